SELECT agg.idx, agg.key, agg.n, agg.teller, agg.noemer, wijken.wijk_naam AS label 
FROM (SELECT %(param_1)s::INTEGER AS idx, (trajecten.wijk_code COLLATE "C") AS key, count(DISTINCT (trajecten.jeugdige_id COLLATE "C")) AS n, sum(CASE WHEN (trajecten.reden_einde = %(reden_einde_1)s::VARCHAR) THEN %(param_2)s::INTEGER ELSE %(param_3)s::INTEGER END) AS teller, count(*) AS noemer 
FROM trajecten LEFT OUTER JOIN wijken ON wijken.wijk_code = trajecten.wijk_code 
WHERE trajecten.einddatum BETWEEN %(van_0)s::DATE AND %(tot_0)s::DATE AND trajecten.reden_einde != %(reden_einde_2)s::VARCHAR AND wijken.gemeente_code = %(waarde_gemeente)s::VARCHAR GROUP BY (trajecten.wijk_code COLLATE "C")) AS agg LEFT OUTER JOIN wijken ON wijken.wijk_code = agg.key
-- param_1 = 0
-- param_2 = 1
-- param_3 = 0
-- reden_einde_1 = 'voortijdig_client'
-- reden_einde_2 = 'onbekend'
-- tot_0 = datetime.date(2025, 12, 31)
-- van_0 = datetime.date(2025, 1, 1)
-- waarde_gemeente = 'GM0406'
