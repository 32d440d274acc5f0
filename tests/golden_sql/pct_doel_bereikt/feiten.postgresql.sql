SELECT agg.idx, agg.key, agg.n, agg.teller, agg.noemer, wijken.wijk_naam AS label 
FROM (SELECT %(param_1)s::INTEGER AS idx, (trajecten.wijk_code COLLATE "C") AS key, count(DISTINCT (trajecten.jeugdige_id COLLATE "C")) AS n, sum(CASE WHEN (trajecten.doelrealisatie = %(doelrealisatie_1)s::VARCHAR) THEN %(param_2)s::INTEGER ELSE %(param_3)s::INTEGER END) AS teller, count(*) AS noemer 
FROM trajecten LEFT OUTER JOIN wijken ON wijken.wijk_code = trajecten.wijk_code 
WHERE trajecten.einddatum BETWEEN %(van_0)s::DATE AND %(tot_0)s::DATE AND trajecten.doelrealisatie IN (__[POSTCOMPILE_doelrealisatie_2]) AND wijken.gemeente_code = %(waarde_gemeente)s::VARCHAR GROUP BY (trajecten.wijk_code COLLATE "C")) AS agg LEFT OUTER JOIN wijken ON wijken.wijk_code = agg.key
-- doelrealisatie_1 = 'volledig'
-- doelrealisatie_2 = ['volledig', 'gedeeltelijk', 'niet']
-- param_1 = 0
-- param_2 = 1
-- param_3 = 0
-- tot_0 = datetime.date(2025, 12, 31)
-- van_0 = datetime.date(2025, 1, 1)
-- waarde_gemeente = 'GM0406'
