SELECT agg.idx, agg.key, agg.n, agg.teller, agg.noemer, wijken.wijk_naam AS label 
FROM (SELECT %(param_1)s::INTEGER AS idx, (trajecten.wijk_code COLLATE "C") AS key, count(*) AS n, sum(CASE WHEN (tevredenheid.score >= %(score_1)s::INTEGER) THEN %(param_2)s::INTEGER ELSE %(param_3)s::INTEGER END) AS teller, count(*) AS noemer 
FROM tevredenheid LEFT OUTER JOIN trajecten ON tevredenheid.traject_id = trajecten.traject_id 
WHERE tevredenheid.jaar BETWEEN %(param_4)s::INTEGER AND %(param_5)s::INTEGER AND tevredenheid.gemeente_code = %(gemeente_code_1)s::VARCHAR AND tevredenheid.traject_id IS NOT NULL GROUP BY (trajecten.wijk_code COLLATE "C")) AS agg LEFT OUTER JOIN wijken ON wijken.wijk_code = agg.key
-- gemeente_code_1 = 'GM0406'
-- param_1 = 0
-- param_2 = 1
-- param_3 = 0
-- param_4 = 2025
-- param_5 = 2025
-- score_1 = 7
