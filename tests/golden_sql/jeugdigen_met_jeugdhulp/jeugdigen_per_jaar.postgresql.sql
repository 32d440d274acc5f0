SELECT agg.idx, agg.key, agg.n, wijken.wijk_naam AS label 
FROM (SELECT %(param_1)s::INTEGER AS idx, jeugdigen_per_jaar.sleutel AS key, jeugdigen_per_jaar.jeugdigen AS n 
FROM jeugdigen_per_jaar 
WHERE jeugdigen_per_jaar.jaar = %(jaar_van_0)s::INTEGER AND jeugdigen_per_jaar.dimensie = %(dimensie_1)s::VARCHAR) AS agg LEFT OUTER JOIN wijken ON wijken.wijk_code = agg.key
-- dimensie_1 = 'wijk'
-- jaar_van_0 = 2025
-- param_1 = 0
