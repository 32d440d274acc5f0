SELECT agg.idx, agg.key, agg.n, agg.som, gemeenten.gemeente_naam AS label 
FROM (SELECT %(param_1)s::INTEGER AS idx, (wijken.gemeente_code COLLATE "C") AS key, count(DISTINCT (kosten_jeugdige_jaar.jeugdige_id COLLATE "C")) AS n, sum(kosten_jeugdige_jaar.bedrag_cent) AS som 
FROM kosten_jeugdige_jaar LEFT OUTER JOIN wijken ON wijken.wijk_code = kosten_jeugdige_jaar.wijk_code 
WHERE kosten_jeugdige_jaar.jaar BETWEEN %(param_2)s::INTEGER AND %(param_3)s::INTEGER GROUP BY (wijken.gemeente_code COLLATE "C")) AS agg LEFT OUTER JOIN (SELECT wijken.gemeente_code AS gemeente_code, min(wijken.gemeente_naam) AS gemeente_naam 
FROM wijken GROUP BY wijken.gemeente_code) AS gemeenten ON gemeenten.gemeente_code = agg.key
-- param_1 = 0
-- param_2 = 2025
-- param_3 = 2025
