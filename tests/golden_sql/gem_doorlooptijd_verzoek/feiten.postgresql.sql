SELECT agg.idx, agg.key, agg.n, agg.som, agg.aantal, wijken.wijk_naam AS label 
FROM (SELECT %(param_1)s::INTEGER AS idx, (trajecten.wijk_code COLLATE "C") AS key, count(DISTINCT (trajecten.jeugdige_id COLLATE "C")) AS n, sum((trajecten.toewijzingsdatum - trajecten.verzoekdatum)) AS som, count(*) AS aantal 
FROM trajecten LEFT OUTER JOIN wijken ON wijken.wijk_code = trajecten.wijk_code 
WHERE trajecten.startdatum BETWEEN %(van_0)s::DATE AND %(tot_0)s::DATE AND trajecten.verzoekdatum IS NOT NULL AND wijken.gemeente_code = %(waarde_gemeente)s::VARCHAR GROUP BY (trajecten.wijk_code COLLATE "C")) AS agg LEFT OUTER JOIN wijken ON wijken.wijk_code = agg.key
-- param_1 = 0
-- tot_0 = datetime.date(2025, 12, 31)
-- van_0 = datetime.date(2025, 1, 1)
-- waarde_gemeente = 'GM0406'
