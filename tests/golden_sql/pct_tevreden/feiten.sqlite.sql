SELECT agg.idx, agg."key", agg.n, agg.teller, agg.noemer, wijken.wijk_naam AS label 
FROM (SELECT ? AS idx, trajecten.wijk_code AS "key", count(*) AS n, sum(CASE WHEN (tevredenheid.score >= ?) THEN ? ELSE ? END) AS teller, count(*) AS noemer 
FROM tevredenheid LEFT OUTER JOIN trajecten ON tevredenheid.traject_id = trajecten.traject_id 
WHERE tevredenheid.jaar BETWEEN ? AND ? AND tevredenheid.gemeente_code = ? AND tevredenheid.traject_id IS NOT NULL GROUP BY trajecten.wijk_code) AS agg LEFT OUTER JOIN wijken ON wijken.wijk_code = agg."key"
-- jaar_tot_0 = 2025
-- jaar_van_0 = 2025
-- param_1 = 0
-- param_2 = 1
-- param_3 = 0
-- score_1 = 7
-- waarde_gemeente = 'GM0406'
