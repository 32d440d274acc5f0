SELECT agg.idx, agg.key, agg.n, wijken.wijk_naam AS label 
FROM (SELECT %(param_1)s::INTEGER AS idx, (jeugdigen_actief_jaar.wijk_code COLLATE "C") AS key, count(DISTINCT (jeugdigen_actief_jaar.jeugdige_id COLLATE "C")) AS n 
FROM jeugdigen_actief_jaar 
WHERE jeugdigen_actief_jaar.jaar BETWEEN %(jaar_van_0)s::INTEGER AND %(jaar_tot_0)s::INTEGER AND jeugdigen_actief_jaar.hulpvorm = %(waarde_hulpvorm)s::VARCHAR GROUP BY (jeugdigen_actief_jaar.wijk_code COLLATE "C")) AS agg LEFT OUTER JOIN wijken ON wijken.wijk_code = agg.key
-- jaar_tot_0 = 2025
-- jaar_van_0 = 2025
-- param_1 = 0
-- waarde_hulpvorm = 'ambulant'
