-- wijk, gemeente
SELECT %(param_1)s::INTEGER AS idx, CASE WHEN (agg.grouped_wijk = %(grouped_wijk_1)s::INTEGER) THEN %(param_2)s::VARCHAR WHEN (agg.grouped_gemeente = %(grouped_gemeente_1)s::INTEGER) THEN %(param_3)s::VARCHAR END AS dimensie, CASE WHEN (agg.grouped_wijk = %(grouped_wijk_1)s::INTEGER) THEN agg.key_wijk WHEN (agg.grouped_gemeente = %(grouped_gemeente_1)s::INTEGER) THEN agg.key_gemeente END AS key, agg.n, CASE WHEN (agg.grouped_wijk = %(grouped_wijk_1)s::INTEGER) THEN labels_wijk.wijk_naam WHEN (agg.grouped_gemeente = %(grouped_gemeente_1)s::INTEGER) THEN labels_gemeente.gemeente_naam END AS label 
FROM (SELECT (jeugdigen_actief_jaar.wijk_code COLLATE "C") AS key_wijk, (wijken.gemeente_code COLLATE "C") AS key_gemeente, grouping((jeugdigen_actief_jaar.wijk_code COLLATE "C")) AS grouped_wijk, grouping((wijken.gemeente_code COLLATE "C")) AS grouped_gemeente, count(DISTINCT (jeugdigen_actief_jaar.jeugdige_id COLLATE "C")) AS n 
FROM jeugdigen_actief_jaar LEFT OUTER JOIN wijken ON wijken.wijk_code = jeugdigen_actief_jaar.wijk_code 
WHERE jeugdigen_actief_jaar.jaar BETWEEN %(jaar_van_0)s::INTEGER AND %(jaar_tot_0)s::INTEGER AND %(jaar_tot_0)s::INTEGER - jeugdigen_actief_jaar.geboortejaar BETWEEN %(param_4)s::INTEGER AND %(param_5)s::INTEGER GROUP BY GROUPING SETS((jeugdigen_actief_jaar.wijk_code COLLATE "C"), (wijken.gemeente_code COLLATE "C"))) AS agg LEFT OUTER JOIN wijken AS labels_wijk ON agg.grouped_wijk = %(grouped_wijk_1)s::INTEGER AND labels_wijk.wijk_code = agg.key_wijk LEFT OUTER JOIN (SELECT wijken.gemeente_code AS gemeente_code, min(wijken.gemeente_naam) AS gemeente_naam 
FROM wijken GROUP BY wijken.gemeente_code) AS labels_gemeente ON agg.grouped_gemeente = %(grouped_gemeente_1)s::INTEGER AND labels_gemeente.gemeente_code = agg.key_gemeente
-- grouped_gemeente_1 = 0
-- grouped_wijk_1 = 0
-- jaar_tot_0 = 2025
-- jaar_van_0 = 2025
-- param_1 = 0
-- param_2 = 'wijk'
-- param_3 = 'gemeente'
-- param_4 = 0
-- param_5 = 17
