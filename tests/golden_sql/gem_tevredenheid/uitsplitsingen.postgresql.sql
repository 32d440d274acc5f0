-- wijk, school, verwijzer, hulpvorm, aanbieder
SELECT %(param_1)s::INTEGER AS idx, CASE WHEN (agg.grouped_wijk = %(grouped_wijk_1)s::INTEGER) THEN %(param_2)s::VARCHAR WHEN (agg.grouped_school = %(grouped_school_1)s::INTEGER) THEN %(param_3)s::VARCHAR WHEN (agg.grouped_verwijzer = %(grouped_verwijzer_1)s::INTEGER) THEN %(param_4)s::VARCHAR WHEN (agg.grouped_hulpvorm = %(grouped_hulpvorm_1)s::INTEGER) THEN %(param_5)s::VARCHAR WHEN (agg.grouped_aanbieder = %(grouped_aanbieder_1)s::INTEGER) THEN %(param_6)s::VARCHAR END AS dimensie, CASE WHEN (agg.grouped_wijk = %(grouped_wijk_1)s::INTEGER) THEN agg.key_wijk WHEN (agg.grouped_school = %(grouped_school_1)s::INTEGER) THEN agg.key_school WHEN (agg.grouped_verwijzer = %(grouped_verwijzer_1)s::INTEGER) THEN agg.key_verwijzer WHEN (agg.grouped_hulpvorm = %(grouped_hulpvorm_1)s::INTEGER) THEN agg.key_hulpvorm WHEN (agg.grouped_aanbieder = %(grouped_aanbieder_1)s::INTEGER) THEN agg.key_aanbieder END AS key, agg.n, agg.som, agg.aantal, CASE WHEN (agg.grouped_wijk = %(grouped_wijk_1)s::INTEGER) THEN labels_wijk.wijk_naam WHEN (agg.grouped_school = %(grouped_school_1)s::INTEGER) THEN labels_school.school_naam WHEN (agg.grouped_aanbieder = %(grouped_aanbieder_1)s::INTEGER) THEN labels_aanbieder.aanbieder_naam END AS label 
FROM (SELECT (trajecten.wijk_code COLLATE "C") AS key_wijk, (trajecten.school_code COLLATE "C") AS key_school, (trajecten.verwijzer COLLATE "C") AS key_verwijzer, (trajecten.hulpvorm COLLATE "C") AS key_hulpvorm, (trajecten.aanbieder_code COLLATE "C") AS key_aanbieder, grouping((trajecten.wijk_code COLLATE "C")) AS grouped_wijk, grouping((trajecten.school_code COLLATE "C")) AS grouped_school, grouping((trajecten.verwijzer COLLATE "C")) AS grouped_verwijzer, grouping((trajecten.hulpvorm COLLATE "C")) AS grouped_hulpvorm, grouping((trajecten.aanbieder_code COLLATE "C")) AS grouped_aanbieder, count(*) AS n, sum(tevredenheid.score) AS som, count(*) AS aantal 
FROM tevredenheid LEFT OUTER JOIN trajecten ON tevredenheid.traject_id = trajecten.traject_id 
WHERE tevredenheid.jaar BETWEEN %(jaar_van_0)s::INTEGER AND %(jaar_tot_0)s::INTEGER AND tevredenheid.traject_id IS NOT NULL GROUP BY GROUPING SETS((trajecten.wijk_code COLLATE "C"), (trajecten.school_code COLLATE "C"), (trajecten.verwijzer COLLATE "C"), (trajecten.hulpvorm COLLATE "C"), (trajecten.aanbieder_code COLLATE "C"))) AS agg LEFT OUTER JOIN wijken AS labels_wijk ON agg.grouped_wijk = %(grouped_wijk_1)s::INTEGER AND labels_wijk.wijk_code = agg.key_wijk LEFT OUTER JOIN scholen AS labels_school ON agg.grouped_school = %(grouped_school_1)s::INTEGER AND labels_school.school_code = agg.key_school LEFT OUTER JOIN aanbieders AS labels_aanbieder ON agg.grouped_aanbieder = %(grouped_aanbieder_1)s::INTEGER AND labels_aanbieder.aanbieder_code = agg.key_aanbieder
-- grouped_aanbieder_1 = 0
-- grouped_hulpvorm_1 = 0
-- grouped_school_1 = 0
-- grouped_verwijzer_1 = 0
-- grouped_wijk_1 = 0
-- jaar_tot_0 = 2025
-- jaar_van_0 = 2025
-- param_1 = 0
-- param_2 = 'wijk'
-- param_3 = 'school'
-- param_4 = 'verwijzer'
-- param_5 = 'hulpvorm'
-- param_6 = 'aanbieder'

-- gemeente, respondent
SELECT %(param_1)s::INTEGER AS idx, CASE WHEN (agg.grouped_gemeente = %(grouped_gemeente_1)s::INTEGER) THEN %(param_2)s::VARCHAR WHEN (agg.grouped_respondent = %(grouped_respondent_1)s::INTEGER) THEN %(param_3)s::VARCHAR END AS dimensie, CASE WHEN (agg.grouped_gemeente = %(grouped_gemeente_1)s::INTEGER) THEN agg.key_gemeente WHEN (agg.grouped_respondent = %(grouped_respondent_1)s::INTEGER) THEN agg.key_respondent END AS key, agg.n, agg.som, agg.aantal, CASE WHEN (agg.grouped_gemeente = %(grouped_gemeente_1)s::INTEGER) THEN labels_gemeente.gemeente_naam END AS label 
FROM (SELECT (tevredenheid.gemeente_code COLLATE "C") AS key_gemeente, (tevredenheid.respondent COLLATE "C") AS key_respondent, grouping((tevredenheid.gemeente_code COLLATE "C")) AS grouped_gemeente, grouping((tevredenheid.respondent COLLATE "C")) AS grouped_respondent, count(*) AS n, sum(tevredenheid.score) AS som, count(*) AS aantal 
FROM tevredenheid LEFT OUTER JOIN trajecten ON tevredenheid.traject_id = trajecten.traject_id 
WHERE tevredenheid.jaar BETWEEN %(jaar_van_0)s::INTEGER AND %(jaar_tot_0)s::INTEGER GROUP BY GROUPING SETS((tevredenheid.gemeente_code COLLATE "C"), (tevredenheid.respondent COLLATE "C"))) AS agg LEFT OUTER JOIN (SELECT wijken.gemeente_code AS gemeente_code, min(wijken.gemeente_naam) AS gemeente_naam 
FROM wijken GROUP BY wijken.gemeente_code) AS labels_gemeente ON agg.grouped_gemeente = %(grouped_gemeente_1)s::INTEGER AND labels_gemeente.gemeente_code = agg.key_gemeente
-- grouped_gemeente_1 = 0
-- grouped_respondent_1 = 0
-- jaar_tot_0 = 2025
-- jaar_van_0 = 2025
-- param_1 = 0
-- param_2 = 'gemeente'
-- param_3 = 'respondent'
