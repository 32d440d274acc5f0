SELECT agg.idx, agg."key", agg.n, agg.teller, agg.noemer, wijken.wijk_naam AS label 
FROM (SELECT ? AS idx, trajecten.wijk_code AS "key", count(DISTINCT trajecten.jeugdige_id) AS n, sum(CASE WHEN (EXISTS (SELECT vervolg.traject_id 
FROM trajecten AS vervolg 
WHERE vervolg.jeugdige_id = trajecten.jeugdige_id AND vervolg.startdatum > trajecten.einddatum AND vervolg.startdatum <= date(trajecten.einddatum, '+365 days'))) THEN ? ELSE ? END) AS teller, count(*) AS noemer 
FROM trajecten LEFT OUTER JOIN wijken ON wijken.wijk_code = trajecten.wijk_code 
WHERE trajecten.einddatum BETWEEN ? AND ? AND trajecten.reden_einde = ? AND wijken.gemeente_code = ? GROUP BY trajecten.wijk_code) AS agg LEFT OUTER JOIN wijken ON wijken.wijk_code = agg."key"
-- param_1 = 0
-- param_2 = 1
-- param_3 = 0
-- reden_einde_1 = 'volgens_plan'
-- tot_0 = datetime.date(2025, 12, 31)
-- van_0 = datetime.date(2025, 1, 1)
-- waarde_gemeente = 'GM0406'
