SELECT agg.idx, agg."key", agg.n, agg.teller, agg.noemer, wijken.wijk_naam AS label 
FROM (SELECT ? AS idx, trajecten.wijk_code AS "key", count(DISTINCT trajecten.jeugdige_id) AS n, sum(CASE WHEN ((? * (CAST(julianday(trajecten.toewijzingsdatum) - julianday('1990-01-01') AS INTEGER) / ?) + CASE WHEN (CAST(julianday(trajecten.toewijzingsdatum) - julianday('1990-01-01') AS INTEGER) % ? > ?) THEN ? ELSE CAST(julianday(trajecten.toewijzingsdatum) - julianday('1990-01-01') AS INTEGER) % ? END + ?) - (? * (CAST(julianday(trajecten.verzoekdatum) - julianday('1990-01-01') AS INTEGER) / ?) + CASE WHEN (CAST(julianday(trajecten.verzoekdatum) - julianday('1990-01-01') AS INTEGER) % ? > ?) THEN ? ELSE CAST(julianday(trajecten.verzoekdatum) - julianday('1990-01-01') AS INTEGER) % ? END + ?) <= ?) THEN ? ELSE ? END) AS teller, count(*) AS noemer 
FROM trajecten LEFT OUTER JOIN wijken ON wijken.wijk_code = trajecten.wijk_code 
WHERE trajecten.startdatum BETWEEN ? AND ? AND trajecten.verzoekdatum IS NOT NULL AND wijken.gemeente_code = ? GROUP BY trajecten.wijk_code) AS agg LEFT OUTER JOIN wijken ON wijken.wijk_code = agg."key"
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
