SELECT agg.idx, agg."key", agg.n, agg.som, gemeenten.gemeente_naam AS label 
FROM (SELECT ? AS idx, wijken.gemeente_code AS "key", count(DISTINCT kosten_jeugdige_jaar.jeugdige_id) AS n, sum(coalesce(kosten_jeugdige_jaar.m01, 0) + coalesce(kosten_jeugdige_jaar.m02, 0) + coalesce(kosten_jeugdige_jaar.m03, 0)) AS som 
FROM kosten_jeugdige_jaar LEFT OUTER JOIN wijken ON wijken.wijk_code = kosten_jeugdige_jaar.wijk_code 
WHERE kosten_jeugdige_jaar.jaar = ? AND (kosten_jeugdige_jaar.maanden & 7) != 0 GROUP BY wijken.gemeente_code) AS agg LEFT OUTER JOIN (SELECT wijken.gemeente_code AS gemeente_code, min(wijken.gemeente_naam) AS gemeente_naam 
FROM wijken GROUP BY wijken.gemeente_code) AS gemeenten ON gemeenten.gemeente_code = agg."key"
-- jaar_van_0 = 2025
-- param_1 = 0
