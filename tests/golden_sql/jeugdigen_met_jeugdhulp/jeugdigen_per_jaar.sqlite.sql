SELECT agg.idx, agg."key", agg.n, wijken.wijk_naam AS label 
FROM (SELECT ? AS idx, jeugdigen_per_jaar.sleutel AS "key", jeugdigen_per_jaar.jeugdigen AS n 
FROM jeugdigen_per_jaar 
WHERE jeugdigen_per_jaar.jaar = ? AND jeugdigen_per_jaar.dimensie = ?) AS agg LEFT OUTER JOIN wijken ON wijken.wijk_code = agg."key"
-- dimensie_1 = 'wijk'
-- jaar_van_0 = 2025
-- param_1 = 0
