SELECT agg.idx, agg.key, agg.n, agg.aantal, wijken.wijk_naam AS label 
FROM (SELECT %(param_1)s::INTEGER AS idx, (trajecten.wijk_code COLLATE "C") AS key, count(DISTINCT (trajecten.jeugdige_id COLLATE "C")) AS n, count(*) AS aantal 
FROM trajecten LEFT OUTER JOIN wijken ON wijken.wijk_code = trajecten.wijk_code 
WHERE trajecten.startdatum BETWEEN %(param_2)s::DATE AND %(param_3)s::DATE AND wijken.gemeente_code = %(gemeente_code_1)s::VARCHAR GROUP BY (trajecten.wijk_code COLLATE "C")) AS agg LEFT OUTER JOIN wijken ON wijken.wijk_code = agg.key
-- gemeente_code_1 = 'GM0406'
-- param_1 = 0
-- param_2 = datetime.date(2025, 1, 1)
-- param_3 = datetime.date(2025, 12, 31)
