SELECT agg.idx, agg.key, agg.n, agg.teller, agg.noemer, wijken.wijk_naam AS label 
FROM (SELECT %(param_1)s::INTEGER AS idx, (trajecten.wijk_code COLLATE "C") AS key, count(DISTINCT (trajecten.jeugdige_id COLLATE "C")) AS n, sum(CASE WHEN ((%(param_2)s::INTEGER * ((trajecten.toewijzingsdatum - DATE '1990-01-01') / %(param_3)s::INTEGER) + CASE WHEN ((trajecten.toewijzingsdatum - DATE '1990-01-01') %% %(param_4)s::INTEGER > %(param_5)s::INTEGER) THEN %(param_6)s::INTEGER ELSE (trajecten.toewijzingsdatum - DATE '1990-01-01') %% %(param_7)s::INTEGER END + %(param_8)s::INTEGER) - (%(param_9)s::INTEGER * ((trajecten.verzoekdatum - DATE '1990-01-01') / %(param_10)s::INTEGER) + CASE WHEN ((trajecten.verzoekdatum - DATE '1990-01-01') %% %(param_11)s::INTEGER > %(param_12)s::INTEGER) THEN %(param_13)s::INTEGER ELSE (trajecten.verzoekdatum - DATE '1990-01-01') %% %(param_14)s::INTEGER END + %(param_15)s::INTEGER) <= %(param_16)s::INTEGER) THEN %(param_17)s::INTEGER ELSE %(param_18)s::INTEGER END) AS teller, count(*) AS noemer 
FROM trajecten LEFT OUTER JOIN wijken ON wijken.wijk_code = trajecten.wijk_code 
WHERE trajecten.startdatum BETWEEN %(van_0)s::DATE AND %(tot_0)s::DATE AND trajecten.verzoekdatum IS NOT NULL AND wijken.gemeente_code = %(waarde_gemeente)s::VARCHAR GROUP BY (trajecten.wijk_code COLLATE "C")) AS agg LEFT OUTER JOIN wijken ON wijken.wijk_code = agg.key
-- param_1 = 0
-- param_10 = 7
-- param_11 = 7
-- param_12 = 4
-- param_13 = 4
-- param_14 = 7
-- param_15 = 1
-- param_16 = 5
-- param_17 = 1
-- param_18 = 0
-- param_2 = 5
-- param_3 = 7
-- param_4 = 7
-- param_5 = 4
-- param_6 = 4
-- param_7 = 7
-- param_8 = 1
-- param_9 = 5
-- tot_0 = datetime.date(2025, 12, 31)
-- van_0 = datetime.date(2025, 1, 1)
-- waarde_gemeente = 'GM0406'
