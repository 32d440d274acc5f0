SELECT agg.idx, agg.key, agg.n, wijken.wijk_naam AS label 
FROM (SELECT %(param_1)s::INTEGER AS idx, jeugdigen_per_jaar.sleutel AS key, jeugdigen_per_jaar.jeugdigen AS n 
FROM jeugdigen_per_jaar 
WHERE jeugdigen_per_jaar.jaar = %(param_2)s::INTEGER AND jeugdigen_per_jaar.dimensie = %(dimensie_1)s::VARCHAR) AS agg LEFT OUTER JOIN wijken ON wijken.wijk_code = agg.key
-- dimensie_1 = 'wijk'
-- param_1 = 0
-- param_2 = 2025
