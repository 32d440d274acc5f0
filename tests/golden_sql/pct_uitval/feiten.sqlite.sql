SELECT agg.idx, agg."key", agg.n, agg.teller, agg.noemer, wijken.wijk_naam AS label 
FROM (SELECT ? AS idx, trajecten.wijk_code AS "key", count(DISTINCT trajecten.jeugdige_id) AS n, sum(CASE WHEN (trajecten.reden_einde = ?) THEN ? ELSE ? END) AS teller, count(*) AS noemer 
FROM trajecten LEFT OUTER JOIN wijken ON wijken.wijk_code = trajecten.wijk_code 
WHERE trajecten.einddatum BETWEEN ? AND ? AND trajecten.reden_einde != ? AND wijken.gemeente_code = ? GROUP BY trajecten.wijk_code) AS agg LEFT OUTER JOIN wijken ON wijken.wijk_code = agg."key"
-- param_1 = 0
-- param_2 = 1
-- param_3 = 0
-- reden_einde_1 = 'voortijdig_client'
-- reden_einde_2 = 'onbekend'
-- tot_0 = datetime.date(2025, 12, 31)
-- van_0 = datetime.date(2025, 1, 1)
-- waarde_gemeente = 'GM0406'
