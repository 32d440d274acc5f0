SELECT agg.idx, agg."key", agg.n, agg.som, gemeenten.gemeente_naam AS label 
FROM (SELECT ? AS idx, wijken.gemeente_code AS "key", count(DISTINCT kosten_jeugdige_jaar.jeugdige_id) AS n, sum(kosten_jeugdige_jaar.bedrag_cent) AS som 
FROM kosten_jeugdige_jaar LEFT OUTER JOIN wijken ON wijken.wijk_code = kosten_jeugdige_jaar.wijk_code 
WHERE kosten_jeugdige_jaar.jaar BETWEEN ? AND ? GROUP BY wijken.gemeente_code) AS agg LEFT OUTER JOIN (SELECT wijken.gemeente_code AS gemeente_code, min(wijken.gemeente_naam) AS gemeente_naam 
FROM wijken GROUP BY wijken.gemeente_code) AS gemeenten ON gemeenten.gemeente_code = agg."key"
-- jaar_tot_0 = 2025
-- jaar_van_0 = 2025
-- param_1 = 0
