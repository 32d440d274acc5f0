-- wijk, gemeente, school, verwijzer, hulpvorm, aanbieder
SELECT %(param_1)s::INTEGER AS idx, CASE WHEN (agg.grouped_wijk = %(grouped_wijk_1)s::INTEGER) THEN %(param_2)s::VARCHAR WHEN (agg.grouped_gemeente = %(grouped_gemeente_1)s::INTEGER) THEN %(param_3)s::VARCHAR WHEN (agg.grouped_school = %(grouped_school_1)s::INTEGER) THEN %(param_4)s::VARCHAR WHEN (agg.grouped_verwijzer = %(grouped_verwijzer_1)s::INTEGER) THEN %(param_5)s::VARCHAR WHEN (agg.grouped_hulpvorm = %(grouped_hulpvorm_1)s::INTEGER) THEN %(param_6)s::VARCHAR WHEN (agg.grouped_aanbieder = %(grouped_aanbieder_1)s::INTEGER) THEN %(param_7)s::VARCHAR END AS dimensie, CASE WHEN (agg.grouped_wijk = %(grouped_wijk_1)s::INTEGER) THEN agg.key_wijk WHEN (agg.grouped_gemeente = %(grouped_gemeente_1)s::INTEGER) THEN agg.key_gemeente WHEN (agg.grouped_school = %(grouped_school_1)s::INTEGER) THEN agg.key_school WHEN (agg.grouped_verwijzer = %(grouped_verwijzer_1)s::INTEGER) THEN agg.key_verwijzer WHEN (agg.grouped_hulpvorm = %(grouped_hulpvorm_1)s::INTEGER) THEN agg.key_hulpvorm WHEN (agg.grouped_aanbieder = %(grouped_aanbieder_1)s::INTEGER) THEN agg.key_aanbieder END AS key, agg.n, agg.som, CASE WHEN (agg.grouped_wijk = %(grouped_wijk_1)s::INTEGER) THEN labels_wijk.wijk_naam WHEN (agg.grouped_gemeente = %(grouped_gemeente_1)s::INTEGER) THEN labels_gemeente.gemeente_naam WHEN (agg.grouped_school = %(grouped_school_1)s::INTEGER) THEN labels_school.school_naam WHEN (agg.grouped_aanbieder = %(grouped_aanbieder_1)s::INTEGER) THEN labels_aanbieder.aanbieder_naam END AS label 
FROM (SELECT (kosten_jeugdige_jaar.wijk_code COLLATE "C") AS key_wijk, (wijken.gemeente_code COLLATE "C") AS key_gemeente, (kosten_jeugdige_jaar.school_code COLLATE "C") AS key_school, (kosten_jeugdige_jaar.verwijzer COLLATE "C") AS key_verwijzer, (kosten_jeugdige_jaar.hulpvorm COLLATE "C") AS key_hulpvorm, (kosten_jeugdige_jaar.aanbieder_code COLLATE "C") AS key_aanbieder, grouping((kosten_jeugdige_jaar.wijk_code COLLATE "C")) AS grouped_wijk, grouping((wijken.gemeente_code COLLATE "C")) AS grouped_gemeente, grouping((kosten_jeugdige_jaar.school_code COLLATE "C")) AS grouped_school, grouping((kosten_jeugdige_jaar.verwijzer COLLATE "C")) AS grouped_verwijzer, grouping((kosten_jeugdige_jaar.hulpvorm COLLATE "C")) AS grouped_hulpvorm, grouping((kosten_jeugdige_jaar.aanbieder_code COLLATE "C")) AS grouped_aanbieder, count(DISTINCT (kosten_jeugdige_jaar.jeugdige_id COLLATE "C")) AS n, sum(kosten_jeugdige_jaar.bedrag_cent) AS som 
FROM kosten_jeugdige_jaar LEFT OUTER JOIN wijken ON wijken.wijk_code = kosten_jeugdige_jaar.wijk_code 
WHERE kosten_jeugdige_jaar.jaar BETWEEN %(jaar_van_0)s::INTEGER AND %(jaar_tot_0)s::INTEGER GROUP BY GROUPING SETS((kosten_jeugdige_jaar.wijk_code COLLATE "C"), (wijken.gemeente_code COLLATE "C"), (kosten_jeugdige_jaar.school_code COLLATE "C"), (kosten_jeugdige_jaar.verwijzer COLLATE "C"), (kosten_jeugdige_jaar.hulpvorm COLLATE "C"), (kosten_jeugdige_jaar.aanbieder_code COLLATE "C"))) AS agg LEFT OUTER JOIN wijken AS labels_wijk ON agg.grouped_wijk = %(grouped_wijk_1)s::INTEGER AND labels_wijk.wijk_code = agg.key_wijk LEFT OUTER JOIN (SELECT wijken.gemeente_code AS gemeente_code, min(wijken.gemeente_naam) AS gemeente_naam 
FROM wijken GROUP BY wijken.gemeente_code) AS labels_gemeente ON agg.grouped_gemeente = %(grouped_gemeente_1)s::INTEGER AND labels_gemeente.gemeente_code = agg.key_gemeente LEFT OUTER JOIN scholen AS labels_school ON agg.grouped_school = %(grouped_school_1)s::INTEGER AND labels_school.school_code = agg.key_school LEFT OUTER JOIN aanbieders AS labels_aanbieder ON agg.grouped_aanbieder = %(grouped_aanbieder_1)s::INTEGER AND labels_aanbieder.aanbieder_code = agg.key_aanbieder
-- grouped_aanbieder_1 = 0
-- grouped_gemeente_1 = 0
-- grouped_hulpvorm_1 = 0
-- grouped_school_1 = 0
-- grouped_verwijzer_1 = 0
-- grouped_wijk_1 = 0
-- jaar_tot_0 = 2025
-- jaar_van_0 = 2025
-- param_1 = 0
-- param_2 = 'wijk'
-- param_3 = 'gemeente'
-- param_4 = 'school'
-- param_5 = 'verwijzer'
-- param_6 = 'hulpvorm'
-- param_7 = 'aanbieder'
