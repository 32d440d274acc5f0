"""Constants of the demonstration data set: a synthetic but believable Huizen (GM0406).

Neighbourhood names are Huizen's (domain.md; the CBS wijkcodes are illustrative). School and
provider names are FICTIONAL, made up for the demonstration. Mixes and trends are declared here as
data; data/warehouse/demo.py only draws from them.
"""
from __future__ import annotations

GEMEENTE = ("GM0406", "Huizen")
FIRST_YEAR, LAST_YEAR = 2019, 2026
SIMULATION_START = 2017  # burn-in: trajecten started before 2019 still run in 2019
DATA_TOT = (2026, 9, 30)  # the demo's "today": later trajecten are still running

# (code suffix, name, share of the 0–17 population)
WIJKEN = (
    ("01", "Huizen-Centrum", 0.07), ("02", "Bovenmaat", 0.06), ("03", "Bovenweg", 0.05),
    ("04", "De Noord", 0.08), ("05", "De Zuid", 0.07), ("06", "Flevo", 0.05),
    ("07", "Huizermaat", 0.09), ("08", "Oostermeent", 0.16), ("09", "Sijsjesberg", 0.06),
    ("10", "Stad en Lande", 0.07), ("11", "Vierde Kwadrant", 0.06), ("12", "Westereng", 0.05),
    ("13", "Zenderwijk", 0.06), ("14", "Buitengebied (Bikbergen, Krailo, Valkeveen)", 0.02),
)
YOUTH_0_17 = 8000
YOUTH_18_22 = 2300

# Fictional schools: (code, name, soort, wijk suffix)
SCHOLEN = (
    ("B01", "Basisschool De Regenboog", "bao", "01"), ("B02", "Basisschool Het Baken", "bao", "02"),
    ("B03", "Basisschool De Wingerd", "bao", "03"), ("B04", "Basisschool De Kompas", "bao", "04"),
    ("B05", "Basisschool De Zeester", "bao", "05"), ("B06", "Basisschool Flevoschool", "bao", "06"),
    ("B07", "Basisschool De Meent", "bao", "08"), ("B08", "Basisschool Oostermeent-Noord", "bao", "08"),
    ("B09", "Basisschool Het Schateiland", "bao", "07"), ("B10", "Basisschool De Vlinder", "bao", "09"),
    ("B11", "Basisschool De Linde", "bao", "10"), ("B12", "Basisschool Het Palet", "bao", "11"),
    ("B13", "Basisschool De Eik", "bao", "12"), ("B14", "Basisschool Zenderwijk", "bao", "13"),
    ("B15", "Basisschool De Wegwijzer", "bao", "07"),
    ("S01", "SBO De Brug", "sbo", "04"), ("S02", "SO/VSO De Kameleon", "so", "05"),
    ("S03", "VSO Het Anker", "vso", "10"),
    ("V01", "Erfgooiers College", "vo", "02"), ("V02", "Huizermaat Lyceum", "vo", "07"),
    ("V03", "Gooise Scholengemeenschap", "vo", "13"),
)

# Fictional providers: (code, name, hulpvormen they deliver)
AANBIEDERS = (
    ("A01", "Jeugd-GGZ Gooi (fictief)", ("ambulant", "dagbehandeling", "crisis")),
    ("A02", "Kinderpraktijk Huizermaat (fictief)", ("ambulant",)),
    ("A03", "Praktijk Opgroeien (fictief)", ("ambulant",)),
    ("A04", "Pleegzorg Noord-Holland (fictief)", ("verblijf",)),
    ("A05", "Gezinshuis Het Nest (fictief)", ("verblijf",)),
    ("A06", "Jeugdzorg Residentieel Gooi (fictief)", ("verblijf", "crisis")),
    ("A07", "Dagcentrum De Haven (fictief)", ("dagbehandeling",)),
    ("A08", "Gecertificeerde Instelling Jeugd NH (fictief)", ("jeugdbescherming", "jeugdreclassering")),
    ("A09", "Autisme Centrum Gooi (fictief)", ("ambulant", "dagbehandeling")),
    ("A10", "Orthopedagogisch Centrum (fictief)", ("ambulant",)),
    ("A11", "JeugdzorgPlus Eemland (fictief)", ("verblijf",)),
    ("A12", "Leger des Heils Jeugd (fictief)", ("jeugdreclassering", "ambulant")),
)

STARTS_PER_YEAR = 560  # trajecten started per year in Huizen (calibrated to ~12% of youth in care)

# Hulpvorm mix of starts in 2019 and in 2026 (linear in between, the shift speeding up from 2024):
# lichte hulp vóór zware hulp, zo thuis mogelijk.
HULPVORM_2019 = {"lokaal_team": 0.16, "poh_jeugd": 0.06, "ambulant": 0.535, "dagbehandeling": 0.06,
                 "verblijf": 0.055, "crisis": 0.03, "jeugdbescherming": 0.07, "jeugdreclassering": 0.03}
HULPVORM_2026 = {"lokaal_team": 0.24, "poh_jeugd": 0.14, "ambulant": 0.46, "dagbehandeling": 0.05,
                 "verblijf": 0.04, "crisis": 0.025, "jeugdbescherming": 0.055, "jeugdreclassering": 0.02}

# Who refers, per hulpvorm (huisarts a large share of specialised help, as nationally).
VERWIJZER_MIX = {
    "lokaal_team": {"gemeente": 0.75, "geen": 0.2, "jeugdarts": 0.05},
    "poh_jeugd": {"huisarts": 1.0},
    "ambulant": {"huisarts": 0.5, "gemeente": 0.22, "jeugdarts": 0.08, "medisch_specialist": 0.12, "geen": 0.08},
    "dagbehandeling": {"huisarts": 0.3, "gemeente": 0.35, "medisch_specialist": 0.35},
    "verblijf": {"gemeente": 0.55, "gecertificeerde_instelling": 0.3, "rechter": 0.15},
    "crisis": {"gemeente": 0.5, "huisarts": 0.2, "gecertificeerde_instelling": 0.3},
    "jeugdbescherming": {"rechter": 0.7, "gecertificeerde_instelling": 0.3},
    "jeugdreclassering": {"rechter": 1.0},
}

# Mean duration in days per hulpvorm; specialised help lengthens 2019 → 2023 (361 → 406 days
# nationally) and shortens somewhat once the programme runs.
DUUR_BASIS = {"lokaal_team": 170, "poh_jeugd": 140, "ambulant": 430, "dagbehandeling": 320,
              "verblijf": 600, "crisis": 45, "jeugdbescherming": 480, "jeugdreclassering": 330}
DUUR_TREND = {2017: 0.98, 2018: 0.99, 2019: 1.0, 2020: 1.03, 2021: 1.06, 2022: 1.09, 2023: 1.125, 2024: 1.11, 2025: 1.08, 2026: 1.06}

REDEN_EINDE = {"volgens_plan": 0.70, "voortijdig_overeenstemming": 0.09, "voortijdig_client": 0.08,
               "voortijdig_aanbieder": 0.04, "externe_omstandigheden": 0.05, "onbekend": 0.04}
DOELREALISATIE = {"volledig": 0.52, "gedeeltelijk": 0.31, "niet": 0.09, "onbekend": 0.08}
WACHTTIJD = {2017: 45, 2018: 46, 2019: 48, 2020: 52, 2021: 55, 2022: 50, 2023: 46, 2024: 40, 2025: 33, 2026: 29}  # mean days

# Verblijfsvorm mix of new stays, 2019 → 2026 (more family-like care).
VERBLIJF_2019 = {"pleegzorg": 0.45, "gezinshuis": 0.13, "residentieel": 0.34, "jeugdzorgplus": 0.05, "overig": 0.03}
VERBLIJF_2026 = {"pleegzorg": 0.50, "gezinshuis": 0.22, "residentieel": 0.22, "jeugdzorgplus": 0.03, "overig": 0.03}

# Monthly cost in euros in 2019 per hulpvorm, and per verblijfsvorm for stays.
MAANDTARIEF = {"ambulant": 880, "dagbehandeling": 2500, "crisis": 7500, "jeugdbescherming": 1200,
               "jeugdreclassering": 800}
VERBLIJF_TARIEF = {"pleegzorg": 2100, "gezinshuis": 5800, "residentieel": 10500, "jeugdzorgplus": 17000,
                   "overig": 7500}
# Tariffs rise each January, at a rate of their own per hulpvorm (a stay's staff costs faster than
# an ambulant hour). The pleegzorg part of jeugdbescherming follows jeugdbescherming.
TARIEFSTIJGING = {"ambulant": 0.025, "dagbehandeling": 0.03, "verblijf": 0.04, "crisis": 0.045,
                  "jeugdbescherming": 0.035, "jeugdreclassering": 0.02}
# The break the demo shows: a new regional contract for verblijf from January 2024 raises the
# verblijf tariffs by 12% on top of the yearly rise (hulpvorm verblijf only).
NIEUW_CONTRACT = {"vanaf": (2024, 1), "hulpvorm": "verblijf", "factor": 1.12}
# Season: the billed amount of a month relative to a usual month. Fewer sessions in the summer
# holidays (a stay is billed per day, so verblijf and crisis do not dip).
SEIZOEN = {"ambulant": {7: 0.80, 8: 0.72}, "dagbehandeling": {7: 0.76, 8: 0.68},
           "jeugdbescherming": {7: 0.96, 8: 0.94}, "jeugdreclassering": {7: 0.90, 8: 0.85}}
# December: a share of the trajecten gets a year-end declaration (the year's remaining hours on top
# of December's): (share of the trajecten, lowest and highest fraction of the month's amount).
SLOTDECLARATIE = {"ambulant": (0.25, 0.3, 0.9), "dagbehandeling": (0.25, 0.3, 0.9),
                  "jeugdbescherming": (0.15, 0.2, 0.6), "jeugdreclassering": (0.15, 0.2, 0.6)}

# Late declarations: when a cost row is received (kosten.ontvangen), per hulpvorm
# (share received in the care month itself, median days after the month's end for the bulk, share in
# the tail). The bulk is lognormal with DECLARATIE_SPREIDING; the tail lies DECLARATIE_STAART days
# after the month's end, most of it early (triangular, mode at the low end). Verblijf is declared
# fastest (a fixed amount per day), ambulant slowest (sessions collected over weeks). The medians
# shrink DECLARATIE_VERSNELLING a year (1.0 in 2022): declaring via the iJw messages speeds up slowly.
# Receipts on a Saturday or Sunday are booked on the Monday. A received row whose day lies after
# DATA_TOT has not come in yet and is not delivered.
DECLARATIE = {"verblijf": (0.10, 17, 0.05), "crisis": (0.05, 22, 0.08), "jeugdbescherming": (0.04, 26, 0.07),
              "jeugdreclassering": (0.03, 30, 0.08), "dagbehandeling": (0.04, 28, 0.09),
              "ambulant": (0.03, 32, 0.10)}
DECLARATIE_SPREIDING = 0.55
DECLARATIE_STAART = (60, 365)
DECLARATIE_VERSNELLING = 0.02
IN_DE_MAAND = 11  # a receipt in the care month itself falls in its last this many days
# Corrections: a share of the rows is corrected later (received CORRECTIE_NA days after the row):
# withdrawn and replaced by a new amount, only withdrawn, or partly credited.
CORRECTIE_KANS = 0.03
CORRECTIE_NA = (14, 150)
CORRECTIE_VERVANGEN, CORRECTIE_INTREKKEN = 0.60, 0.15  # the rest is a partial credit
VERVANGING = (0.8, 1.1)   # the replacement's amount as a fraction of the original
DEELCREDIT = (0.1, 0.4)   # a partial credit as a fraction of the original

BUDGET_FACTOR = {2019: 1.04, 2020: 0.98, 2021: 0.95, 2022: 0.97, 2023: 0.99, 2024: 1.01, 2025: 1.02, 2026: 1.03}

TEVREDENHEID_ANTWOORDEN = 320           # per survey year
TEVREDENHEID_GEMIDDELD = {2019: 7.0, 2020: 6.9, 2021: 7.0, 2022: 7.1, 2023: 7.1, 2024: 7.3, 2025: 7.4}
