SELECT agg.idx, agg.key, agg.n, agg.teller, agg.noemer, wijken.wijk_naam AS label 
FROM (SELECT %(param_1)s::INTEGER AS idx, (trajecten.wijk_code COLLATE "C") AS key, count(DISTINCT (trajecten.jeugdige_id COLLATE "C")) AS n, sum(CASE WHEN (trajecten.reden_einde = %(reden_einde_1)s::VARCHAR) THEN %(param_2)s::INTEGER ELSE %(param_3)s::INTEGER END) AS teller, count(*) AS noemer 
FROM trajecten LEFT OUTER JOIN wijken ON wijken.wijk_code = trajecten.wijk_code 
WHERE trajecten.einddatum BETWEEN %(param_4)s::DATE AND %(param_5)s::DATE AND trajecten.reden_einde != %(reden_einde_2)s::VARCHAR AND wijken.gemeente_code = %(gemeente_code_1)s::VARCHAR GROUP BY (trajecten.wijk_code COLLATE "C")) AS agg LEFT OUTER JOIN wijken ON wijken.wijk_code = agg.key
-- gemeente_code_1 = 'GM0406'
-- param_1 = 0
-- param_2 = 1
-- param_3 = 0
-- param_4 = datetime.date(2025, 1, 1)
-- param_5 = datetime.date(2025, 12, 31)
-- reden_einde_1 = 'voortijdig_client'
-- reden_einde_2 = 'onbekend'
