SELECT agg.idx, agg."key", agg.n, wijken.wijk_naam AS label 
FROM (SELECT ? AS idx, jeugdigen_actief_jaar.wijk_code AS "key", count(DISTINCT jeugdigen_actief_jaar.jeugdige_id) AS n 
FROM jeugdigen_actief_jaar 
WHERE jeugdigen_actief_jaar.jaar BETWEEN ? AND ? AND jeugdigen_actief_jaar.hulpvorm = ? GROUP BY jeugdigen_actief_jaar.wijk_code) AS agg LEFT OUTER JOIN wijken ON wijken.wijk_code = agg."key"
-- jaar_tot_0 = 2025
-- jaar_van_0 = 2025
-- param_1 = 0
-- waarde_hulpvorm = 'ambulant'
