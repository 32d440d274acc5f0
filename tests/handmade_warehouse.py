"""A small hand-made warehouse whose KPI answers are computed by hand in test_kpi_by_hand.py.

Period of interest: 2025. Edges on purpose: a traject starting on 1 January and ending on
31 December, one starting on 31 December, one ending on 31 December 2024 (not active in 2025), a
same-day traject (duration 0), running trajecten, a jeugdige (J1) in two wijken, a school without
trajecten (S3), stays clipped to the year, a kosten correction, answers without a traject.
"""
import datetime as dt

from sqlalchemy import insert

from data import schema as s
from data.warehouse import summaries

D = dt.date

WIJKEN = [
    dict(wijk_code="W1", wijk_naam="Noord", gemeente_code="GM1", gemeente_naam="Huizen"),
    dict(wijk_code="W2", wijk_naam="Zuid", gemeente_code="GM1", gemeente_naam="Huizen"),
    dict(wijk_code="W3", wijk_naam="Dorp", gemeente_code="GM2", gemeente_naam="Laren"),
]
SCHOLEN = [
    dict(school_code="S1", school_naam="De Linde", school_soort="bao", wijk_code="W1"),
    dict(school_code="S2", school_naam="De Eik", school_soort="bao", wijk_code="W2"),
    dict(school_code="S3", school_naam="Lege School", school_soort="vo", wijk_code="W3"),
]
AANBIEDERS = [dict(aanbieder_code="A1", aanbieder_naam="Zorg A")]


def _t(traject_id, jeugdige, born, wijk, school, verwijzer, hulpvorm, aanbieder, aanmeld, start,
       end=None, reden=None, doel=None):
    return dict(traject_id=traject_id, jeugdige_id=jeugdige, geboortejaar=born, wijk_code=wijk,
                school_code=school, verwijzer=verwijzer, hulpvorm=hulpvorm, aanbieder_code=aanbieder,
                aanmelddatum=aanmeld, startdatum=start, einddatum=end, reden_einde=reden,
                doelrealisatie=doel, financiering="zin")


TRAJECTEN = [
    # 1 Jan → 31 Dec 2025: 364 days, waited 30 days; J1 gets help again in 2026 (T8)
    _t("T1", "J1", 2010, "W1", "S1", "huisarts", "ambulant", "A1", D(2024, 12, 2), D(2025, 1, 1),
       D(2025, 12, 31), "volgens_plan", "volledig"),
    # J1 again, now in another wijk, running
    _t("T2", "J1", 2010, "W2", None, "gemeente", "lokaal_team", None, None, D(2025, 6, 1)),
    # same-day traject (0 days), waited 10 days; J2 is 20 in 2025 (outside 0–17)
    _t("T3", "J2", 2005, "W1", None, "rechter", "verblijf", "A1", D(2025, 3, 1), D(2025, 3, 11),
       D(2025, 3, 11), "voortijdig_client", "niet"),
    # from 2024 into 2025: 2024-11-15 → 2025-02-10 = 87 days, reason and goal unknown
    _t("T4", "J3", 2012, "W2", "S2", "huisarts", "poh_jeugd", None, D(2024, 11, 1), D(2024, 11, 15),
       D(2025, 2, 10), "onbekend", "onbekend"),
    # starts on 31 December, waited 11 days, running
    _t("T5", "J4", 2015, "W3", None, "jeugdarts", "ambulant", None, D(2025, 12, 20), D(2025, 12, 31)),
    # ends on 31 December 2024: not active in 2025
    _t("T6", "J5", 2011, "W1", "S1", "huisarts", "ambulant", "A1", None, D(2023, 1, 1),
       D(2024, 12, 31), "volgens_plan", "gedeeltelijk"),
    _t("T7", "J5", 2011, "W1", "S1", "gemeente", "ambulant", None, None, D(2025, 6, 1)),
    # J1's follow-up, 152 days after T1 ended, with another verwijzer (herinstroom ignores filters)
    _t("T8", "J1", 2010, "W1", "S1", "geen", "ambulant", "A1", None, D(2026, 6, 1)),
]
VERBLIJF = [
    dict(verblijf_id="V1", traject_id="T3", verblijfsvorm="pleegzorg", startdatum=D(2025, 3, 11),
         einddatum=D(2025, 3, 11)),   # 1 day in 2025, duration 0
    dict(verblijf_id="V2", traject_id="T4", verblijfsvorm="residentieel", startdatum=D(2024, 12, 1),
         einddatum=D(2025, 1, 10)),   # 10 days in 2025, duration 40
    dict(verblijf_id="V3", traject_id="T5", verblijfsvorm="gezinshuis", startdatum=D(2025, 12, 30),
         einddatum=None),             # 2 days in 2025, running
]
KOSTEN = [
    dict(regel=2, traject_id="T1", maand=D(2025, 1, 1), bedrag_cent=10000),
    dict(regel=3, traject_id="T1", maand=D(2025, 12, 1), bedrag_cent=5050),
    dict(regel=4, traject_id="T1", maand=D(2025, 12, 1), bedrag_cent=-1025),   # correction
    dict(regel=5, traject_id="T3", maand=D(2025, 3, 1), bedrag_cent=100000),
    dict(regel=6, traject_id="T6", maand=D(2024, 12, 1), bedrag_cent=99999),   # 2024
    dict(regel=7, traject_id="T5", maand=D(2026, 1, 1), bedrag_cent=7700),     # 2026
]
BUDGET = [
    dict(jaar=2025, gemeente_code="GM1", bedrag_cent=10_000_000),
    dict(jaar=2025, gemeente_code="GM2", bedrag_cent=5_000_000),
    dict(jaar=2024, gemeente_code="GM1", bedrag_cent=9_000_000),
]
TEVREDENHEID = [
    dict(respons_id="R1", traject_id="T1", gemeente_code="GM1", jaar=2025, respondent="ouder", score=8),
    dict(respons_id="R2", traject_id="T3", gemeente_code="GM1", jaar=2025, respondent="jongere", score=6),
    dict(respons_id="R3", traject_id=None, gemeente_code="GM2", jaar=2025, respondent="ouder", score=9),
    dict(respons_id="R4", traject_id="T4", gemeente_code="GM1", jaar=2024, respondent="ouder", score=3),
    dict(respons_id="R5", traject_id=None, gemeente_code="GM1", jaar=2025, respondent="jongere", score=7),
]
BEVOLKING = [
    dict(jaar=2025, wijk_code="W1", aantal_0_17=100, aantal_18_22=20),
    dict(jaar=2025, wijk_code="W2", aantal_0_17=50, aantal_18_22=None),
    dict(jaar=2025, wijk_code="W3", aantal_0_17=30, aantal_18_22=None),
    dict(jaar=2024, wijk_code="W1", aantal_0_17=99, aantal_18_22=None),
]


def fill(engine) -> None:
    with engine.begin() as conn:
        for model, rows in ((s.Wijk, WIJKEN), (s.School, SCHOLEN), (s.Aanbieder, AANBIEDERS),
                            (s.Traject, TRAJECTEN), (s.Verblijf, VERBLIJF), (s.Kosten, KOSTEN),
                            (s.Budget, BUDGET), (s.Tevredenheid, TEVREDENHEID), (s.Bevolking, BEVOLKING)):
            conn.execute(insert(model), rows)
        summaries.rebuild(conn)  # as the loader does; facts written here bypass it
