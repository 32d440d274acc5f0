-- wijk, gemeente, school, verwijzer, hulpvorm, aanbieder
SELECT %(param_1)s::INTEGER AS idx, CASE WHEN (agg.grouped_wijk = %(grouped_wijk_1)s::INTEGER) THEN %(param_2)s::VARCHAR WHEN (agg.grouped_gemeente = %(grouped_gemeente_1)s::INTEGER) THEN %(param_3)s::VARCHAR WHEN (agg.grouped_school = %(grouped_school_1)s::INTEGER) THEN %(param_4)s::VARCHAR WHEN (agg.grouped_verwijzer = %(grouped_verwijzer_1)s::INTEGER) THEN %(param_5)s::VARCHAR WHEN (agg.grouped_hulpvorm = %(grouped_hulpvorm_1)s::INTEGER) THEN %(param_6)s::VARCHAR WHEN (agg.grouped_aanbieder = %(grouped_aanbieder_1)s::INTEGER) THEN %(param_7)s::VARCHAR END AS dimensie, CASE WHEN (agg.grouped_wijk = %(grouped_wijk_1)s::INTEGER) THEN agg.key_wijk WHEN (agg.grouped_gemeente = %(grouped_gemeente_1)s::INTEGER) THEN agg.key_gemeente WHEN (agg.grouped_school = %(grouped_school_1)s::INTEGER) THEN agg.key_school WHEN (agg.grouped_verwijzer = %(grouped_verwijzer_1)s::INTEGER) THEN agg.key_verwijzer WHEN (agg.grouped_hulpvorm = %(grouped_hulpvorm_1)s::INTEGER) THEN agg.key_hulpvorm WHEN (agg.grouped_aanbieder = %(grouped_aanbieder_1)s::INTEGER) THEN agg.key_aanbieder END AS key, agg.n, agg.teller, agg.noemer, CASE WHEN (agg.grouped_wijk = %(grouped_wijk_1)s::INTEGER) THEN labels_wijk.wijk_naam WHEN (agg.grouped_gemeente = %(grouped_gemeente_1)s::INTEGER) THEN labels_gemeente.gemeente_naam WHEN (agg.grouped_school = %(grouped_school_1)s::INTEGER) THEN labels_school.school_naam WHEN (agg.grouped_aanbieder = %(grouped_aanbieder_1)s::INTEGER) THEN labels_aanbieder.aanbieder_naam END AS label 
FROM (SELECT (trajecten.wijk_code COLLATE "C") AS key_wijk, (wijken.gemeente_code COLLATE "C") AS key_gemeente, (trajecten.school_code COLLATE "C") AS key_school, (trajecten.verwijzer COLLATE "C") AS key_verwijzer, (trajecten.hulpvorm COLLATE "C") AS key_hulpvorm, (trajecten.aanbieder_code COLLATE "C") AS key_aanbieder, grouping((trajecten.wijk_code COLLATE "C")) AS grouped_wijk, grouping((wijken.gemeente_code COLLATE "C")) AS grouped_gemeente, grouping((trajecten.school_code COLLATE "C")) AS grouped_school, grouping((trajecten.verwijzer COLLATE "C")) AS grouped_verwijzer, grouping((trajecten.hulpvorm COLLATE "C")) AS grouped_hulpvorm, grouping((trajecten.aanbieder_code COLLATE "C")) AS grouped_aanbieder, count(DISTINCT (trajecten.jeugdige_id COLLATE "C")) AS n, sum(CASE WHEN (EXISTS (SELECT vervolg.traject_id 
FROM trajecten AS vervolg 
WHERE vervolg.jeugdige_id = trajecten.jeugdige_id AND vervolg.startdatum > trajecten.einddatum AND vervolg.startdatum <= (trajecten.einddatum + 365))) THEN %(param_8)s::INTEGER ELSE %(param_9)s::INTEGER END) AS teller, count(*) AS noemer 
FROM trajecten LEFT OUTER JOIN wijken ON wijken.wijk_code = trajecten.wijk_code 
WHERE trajecten.einddatum BETWEEN %(van_0)s::DATE AND %(tot_0)s::DATE AND trajecten.reden_einde = %(reden_einde_1)s::VARCHAR GROUP BY GROUPING SETS((trajecten.wijk_code COLLATE "C"), (wijken.gemeente_code COLLATE "C"), (trajecten.school_code COLLATE "C"), (trajecten.verwijzer COLLATE "C"), (trajecten.hulpvorm COLLATE "C"), (trajecten.aanbieder_code COLLATE "C"))) AS agg LEFT OUTER JOIN wijken AS labels_wijk ON agg.grouped_wijk = %(grouped_wijk_1)s::INTEGER AND labels_wijk.wijk_code = agg.key_wijk LEFT OUTER JOIN (SELECT wijken.gemeente_code AS gemeente_code, min(wijken.gemeente_naam) AS gemeente_naam 
FROM wijken GROUP BY wijken.gemeente_code) AS labels_gemeente ON agg.grouped_gemeente = %(grouped_gemeente_1)s::INTEGER AND labels_gemeente.gemeente_code = agg.key_gemeente LEFT OUTER JOIN scholen AS labels_school ON agg.grouped_school = %(grouped_school_1)s::INTEGER AND labels_school.school_code = agg.key_school LEFT OUTER JOIN aanbieders AS labels_aanbieder ON agg.grouped_aanbieder = %(grouped_aanbieder_1)s::INTEGER AND labels_aanbieder.aanbieder_code = agg.key_aanbieder
-- grouped_aanbieder_1 = 0
-- grouped_gemeente_1 = 0
-- grouped_hulpvorm_1 = 0
-- grouped_school_1 = 0
-- grouped_verwijzer_1 = 0
-- grouped_wijk_1 = 0
-- param_1 = 0
-- param_2 = 'wijk'
-- param_3 = 'gemeente'
-- param_4 = 'school'
-- param_5 = 'verwijzer'
-- param_6 = 'hulpvorm'
-- param_7 = 'aanbieder'
-- param_8 = 1
-- param_9 = 0
-- reden_einde_1 = 'volgens_plan'
-- tot_0 = datetime.date(2025, 12, 31)
-- van_0 = datetime.date(2025, 1, 1)
