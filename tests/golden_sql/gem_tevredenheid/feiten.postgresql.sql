SELECT agg.idx, agg.key, agg.n, agg.som, agg.aantal, wijken.wijk_naam AS label 
FROM (SELECT %(param_1)s::INTEGER AS idx, (trajecten.wijk_code COLLATE "C") AS key, count(*) AS n, sum(tevredenheid.score) AS som, count(*) AS aantal 
FROM tevredenheid LEFT OUTER JOIN trajecten ON tevredenheid.traject_id = trajecten.traject_id 
WHERE tevredenheid.jaar BETWEEN %(jaar_van_0)s::INTEGER AND %(jaar_tot_0)s::INTEGER AND tevredenheid.gemeente_code = %(waarde_gemeente)s::VARCHAR AND tevredenheid.traject_id IS NOT NULL GROUP BY (trajecten.wijk_code COLLATE "C")) AS agg LEFT OUTER JOIN wijken ON wijken.wijk_code = agg.key
-- jaar_tot_0 = 2025
-- jaar_van_0 = 2025
-- param_1 = 0
-- waarde_gemeente = 'GM0406'
