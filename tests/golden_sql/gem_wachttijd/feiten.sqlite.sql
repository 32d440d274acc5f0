SELECT agg.idx, agg."key", agg.n, agg.som, agg.aantal, wijken.wijk_naam AS label 
FROM (SELECT ? AS idx, trajecten.wijk_code AS "key", count(DISTINCT trajecten.jeugdige_id) AS n, sum(CAST(julianday(trajecten.startdatum) - julianday(trajecten.aanmelddatum) AS INTEGER)) AS som, count(*) AS aantal 
FROM trajecten LEFT OUTER JOIN wijken ON wijken.wijk_code = trajecten.wijk_code 
WHERE trajecten.startdatum BETWEEN ? AND ? AND trajecten.aanmelddatum IS NOT NULL AND wijken.gemeente_code = ? GROUP BY trajecten.wijk_code) AS agg LEFT OUTER JOIN wijken ON wijken.wijk_code = agg."key"
-- gemeente_code_1 = 'GM0406'
-- param_1 = 0
-- param_2 = datetime.date(2025, 1, 1)
-- param_3 = datetime.date(2025, 12, 31)
