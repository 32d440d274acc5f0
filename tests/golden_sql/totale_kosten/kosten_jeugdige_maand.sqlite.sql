SELECT agg.idx, agg."key", agg.n, agg.som, gemeenten.gemeente_naam AS label 
FROM (SELECT ? AS idx, wijken.gemeente_code AS "key", count(DISTINCT kosten_jeugdige_maand.jeugdige_id) AS n, sum(kosten_jeugdige_maand.bedrag_cent) AS som 
FROM kosten_jeugdige_maand LEFT OUTER JOIN wijken ON wijken.wijk_code = kosten_jeugdige_maand.wijk_code 
WHERE kosten_jeugdige_maand.maand BETWEEN ? AND ? GROUP BY wijken.gemeente_code) AS agg LEFT OUTER JOIN (SELECT wijken.gemeente_code AS gemeente_code, min(wijken.gemeente_naam) AS gemeente_naam 
FROM wijken GROUP BY wijken.gemeente_code) AS gemeenten ON gemeenten.gemeente_code = agg."key"
-- param_1 = 0
-- tot_0 = datetime.date(2025, 3, 31)
-- van_0 = datetime.date(2025, 1, 1)
