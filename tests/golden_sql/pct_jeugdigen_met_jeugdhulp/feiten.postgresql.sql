SELECT agg.idx, agg.key, agg.n, wijken.wijk_naam AS label 
FROM (SELECT %(param_1)s::INTEGER AS idx, (trajecten.wijk_code COLLATE "C") AS key, count(DISTINCT (trajecten.jeugdige_id COLLATE "C")) AS n 
FROM trajecten LEFT OUTER JOIN wijken ON wijken.wijk_code = trajecten.wijk_code 
WHERE trajecten.startdatum <= %(param_2)s::DATE AND (trajecten.einddatum IS NULL OR trajecten.einddatum >= %(param_3)s::DATE) AND %(param_4)s::INTEGER - trajecten.geboortejaar BETWEEN %(param_5)s::INTEGER AND %(param_6)s::INTEGER AND wijken.gemeente_code = %(gemeente_code_1)s::VARCHAR GROUP BY (trajecten.wijk_code COLLATE "C")) AS agg LEFT OUTER JOIN wijken ON wijken.wijk_code = agg.key
-- gemeente_code_1 = 'GM0406'
-- param_1 = 0
-- param_2 = datetime.date(2025, 12, 31)
-- param_3 = datetime.date(2025, 1, 1)
-- param_4 = 2025
-- param_5 = 0
-- param_6 = 17
