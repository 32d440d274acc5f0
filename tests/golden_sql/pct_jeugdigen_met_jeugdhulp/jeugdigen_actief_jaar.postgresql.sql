SELECT agg.idx, agg.key, agg.n, wijken.wijk_naam AS label 
FROM (SELECT %(param_1)s::INTEGER AS idx, (jeugdigen_actief_jaar.wijk_code COLLATE "C") AS key, count(DISTINCT (jeugdigen_actief_jaar.jeugdige_id COLLATE "C")) AS n 
FROM jeugdigen_actief_jaar 
WHERE jeugdigen_actief_jaar.jaar BETWEEN %(param_2)s::INTEGER AND %(param_3)s::INTEGER AND %(param_3)s::INTEGER - jeugdigen_actief_jaar.geboortejaar BETWEEN %(param_4)s::INTEGER AND %(param_5)s::INTEGER AND jeugdigen_actief_jaar.hulpvorm = %(hulpvorm_1)s::VARCHAR GROUP BY (jeugdigen_actief_jaar.wijk_code COLLATE "C")) AS agg LEFT OUTER JOIN wijken ON wijken.wijk_code = agg.key
-- hulpvorm_1 = 'ambulant'
-- param_1 = 0
-- param_2 = 2025
-- param_3 = 2025
-- param_4 = 0
-- param_5 = 17
