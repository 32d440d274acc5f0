"""The Programmaplan Jeugd Huizen 2025–2028 as data: the file, its loader, and reloads."""
from __future__ import annotations

import copy
import json
from collections import Counter
from itertools import pairwise
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from data.programme.plan import (
    DEFAULT_PATH,
    Plan,
    ProgrammeError,
    default_plan,
    load_programme,
    programme_is_loaded,
    read_plan,
    read_programme,
    validate_programme,
)
from data.programme.schema import (
    Doelstelling,
    Indicator,
    IndicatorDoelstelling,
    Maatregel,
    Realisatie,
    StrategischeLijn,
    Streefwaarde,
    Wijziging,
)
from kpi.catalogue import CATALOGUE
from tests.test_catalogue import CONTRACT

PROGRAMME_TABLES = (StrategischeLijn, Doelstelling, Maatregel, Indicator, IndicatorDoelstelling,
                    Streefwaarde, Realisatie, Wijziging)


@pytest.fixture(scope="module")
def doc() -> dict:
    return read_programme()


def table_counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t.__tablename__: conn.scalar(select(func.count()).select_from(t))
                for t in PROGRAMME_TABLES}


def snapshot(engine) -> dict[str, list]:
    """Every programme row except the audit trail, as plain tuples, for before/after comparisons."""
    out = {}
    with engine.connect() as conn:
        for t in PROGRAMME_TABLES[:-1]:
            cols = [c for c in t.__table__.columns]
            out[t.__tablename__] = sorted(tuple(r) for r in conn.execute(select(*cols)))
    return out


# --- the file ------------------------------------------------------------------------------------

def test_file_is_readable_json_with_indent_and_plain_unicode():
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    assert "\\u00" not in text and "één" in text  # ensure_ascii=False
    assert json.loads(text)["programma"]["periode"] == [2025, 2028]


def test_structure_of_the_plan(doc):
    assert [l["code"] for l in doc["lijnen"]] == [f"L{i}" for i in range(1, 9)]
    assert [d["code"] for d in doc["doelstellingen"]] == [f"D{i}" for i in range(1, 8)]
    assert 40 <= len(doc["maatregelen"]) <= 55
    regionaal = [m for m in doc["maatregelen"] if m["regionaal"]]
    assert 5 <= len(regionaal) < len(doc["maatregelen"])
    assert {m["lijn"] for m in doc["maatregelen"]} == {l["code"] for l in doc["lijnen"]}
    for m in doc["maatregelen"]:
        assert m["code"] == f"{m['lijn']}.{m['nummer']}"
        assert m["trekker"] and m["omschrijving"]
    # the plan's own names
    namen = {m["naam"] for m in doc["maatregelen"]}
    assert {"Buurtgezinnen", "Ondersteuning op scholen", "Kamers met Aandacht",
            "Praktijkondersteuning jeugd (POH-jeugd)", "Meedoen HBEL"} <= namen
    assert {d["naam"] for d in doc["doelstellingen"]} >= {"Minder jeugdigen in jeugdzorg",
                                                          "Minder en korter verblijf",
                                                          "Financieel duurzame jeugdhulp"}


def test_every_lijn_and_doelstelling_is_measured(doc):
    lijn_van = {m["code"]: m["lijn"] for m in doc["maatregelen"]}
    per_lijn = Counter(i["lijn"] or lijn_van[i["maatregel"]] for i in doc["indicatoren"])
    per_doel = Counter(c for i in doc["indicatoren"] for c in i["doelstellingen"])
    assert all(per_lijn[l["code"]] >= 1 for l in doc["lijnen"]), per_lijn
    assert all(per_doel[d["code"]] >= 1 for d in doc["doelstellingen"]), per_doel
    assert all(i["doelstellingen"] for i in doc["indicatoren"])


def test_kpi_ids_exist_and_every_contract_kpi_is_used(doc):
    used = [i["kpi_id"] for i in doc["indicatoren"] if i["kpi_id"] is not None]
    assert set(used) <= set(CATALOGUE), set(used) - set(CATALOGUE)
    assert set(CONTRACT) <= set(used), set(CONTRACT) - set(used)  # a KPI added later need not be
    for i in doc["indicatoren"]:
        if i["kpi_id"] is not None:
            kpi = CATALOGUE[i["kpi_id"]]
            assert (i["richting"], i["eenheid"]) == (kpi.richting, kpi.eenheid), i["code"]
            assert not i["realisaties"], i["code"]  # computed, not reported
    handmatig = [i for i in doc["indicatoren"] if i["kpi_id"] is None]
    assert len(handmatig) >= 10
    assert {"proces", "effect"} == {i["soort"] for i in handmatig}


def test_nulmeting_and_targets_in_the_good_direction(doc):
    for i in doc["indicatoren"]:
        waarden = {(s["jaar"], s["soort"]): s["waarde"] for s in i["streefwaarden"]}
        assert (2024, "nulmeting") in waarden, i["code"]
        reeks = [waarden[(j, "streefwaarde")] for j in (2025, 2026, 2027, 2028)]
        sign = 1 if i["richting"] == "hoger_beter" else -1
        steps = [waarden[(2024, "nulmeting")]] + reeks
        assert all(sign * (b - a) >= 0 for a, b in pairwise(steps)), (i["code"], steps)
        assert sign * (reeks[-1] - steps[0]) > 0, (i["code"], steps)


def test_manual_indicators_have_some_realisaties(doc):
    handmatig = [i for i in doc["indicatoren"] if i["kpi_id"] is None]
    assert all(i["realisaties"] for i in handmatig)
    periodes = {r["periode"] for i in handmatig for r in i["realisaties"]}
    assert {"2024", "2025", "2026-Q1"} <= periodes


def test_plan_benchmarks_are_manual_effect_indicators(doc):
    by_name = {i["naam"]: i for i in doc["indicatoren"]}
    verzuim = by_name["Relatief verzuim per 1.000 leerlingen"]
    vso = by_name["Doorstroom naar (voortgezet) speciaal onderwijs"]
    for ind, nul in ((verzuim, 31), (vso, 14.1)):
        assert ind["kpi_id"] is None and ind["soort"] == "effect"
        assert {(s["jaar"], s["soort"]): s["waarde"] for s in ind["streefwaarden"]}[
            (2024, "nulmeting")] == nul


# --- loading -------------------------------------------------------------------------------------

def test_load_into_the_warehouse(warehouse, doc):
    assert not programme_is_loaded(warehouse)
    counts = load_programme(warehouse)
    assert programme_is_loaded(warehouse)
    n_ind = len(doc["indicatoren"])
    assert counts["strategische_lijn"] == 8
    assert counts["doelstelling"] == 7
    assert counts["maatregel"] == len(doc["maatregelen"])
    assert counts["indicator"] == n_ind
    assert counts["indicator_doelstelling"] == sum(len(i["doelstellingen"]) for i in doc["indicatoren"])
    assert counts["streefwaarde"] == 5 * n_ind
    assert counts["realisatie"] == sum(len(i["realisaties"]) for i in doc["indicatoren"])
    assert counts["bijgewerkt"] == 0
    in_db = table_counts(warehouse)
    assert {k: v for k, v in in_db.items()} == {k: counts[k] for k in in_db}

    with warehouse.connect() as conn:
        regionaal = conn.scalar(select(func.count()).select_from(Maatregel)
                                .where(Maatregel.regionaal.is_(True)))
        assert regionaal == sum(m["regionaal"] for m in doc["maatregelen"]) > 0
        # a maatregel hangs under its lijn; an indicator of a maatregel under the same lijn
        row = conn.execute(select(Maatregel.code, StrategischeLijn.code)
                           .join(StrategischeLijn, Maatregel.lijn_id == StrategischeLijn.id)
                           .where(Maatregel.code == "L7.1")).one()
        assert row == ("L7.1", "L7")
        mismatched = conn.scalar(
            select(func.count()).select_from(Indicator)
            .join(Maatregel, Indicator.maatregel_id == Maatregel.id)
            .where(Maatregel.lijn_id != Indicator.lijn_id))
        assert mismatched == 0
        assert conn.scalar(select(func.count()).select_from(Indicator)
                           .where(Indicator.lijn_id.is_(None))) == 0
        sw = conn.execute(select(Streefwaarde.gewijzigd_door, Streefwaarde.version)).all()
        assert set(sw) == {("systeem (programmaplan)", 1)}
        audit = conn.execute(select(Wijziging.tabel, func.count()).group_by(Wijziging.tabel)).all()
        assert dict(audit) == {"maatregel": counts["maatregel"],
                               "streefwaarde": counts["streefwaarde"],
                               "realisatie": counts["realisatie"]}


def test_loading_twice_changes_nothing(warehouse):
    load_programme(warehouse)
    before = snapshot(warehouse)
    before_counts = table_counts(warehouse)
    again = load_programme(warehouse)
    assert all(v == 0 for v in again.values()), again
    assert snapshot(warehouse) == before
    assert table_counts(warehouse) == before_counts


def test_user_changes_survive_a_reload(warehouse):
    load_programme(warehouse)
    with warehouse.begin() as conn:
        ind_id = conn.scalar(select(Indicator.id).where(Indicator.code == "H09"))
        conn.execute(update(Streefwaarde)
                     .where(Streefwaarde.indicator_id == ind_id, Streefwaarde.jaar == 2026,
                            Streefwaarde.soort == "streefwaarde")
                     .values(waarde=9.0, version=2, gewijzigd_door="trekker"))
        conn.execute(update(Realisatie)
                     .where(Realisatie.indicator_id == ind_id, Realisatie.periode == "2025")
                     .values(waarde=7.0, version=2))
        conn.execute(update(Maatregel).where(Maatregel.code == "L1.5")
                     .values(status="afgerond", trekker="Coördinator Buurtgezinnen"))
        # a trekker removed one streefwaarde: the reload puts the file's value back (initial state)
        conn.execute(Streefwaarde.__table__.delete()
                     .where(Streefwaarde.indicator_id == ind_id, Streefwaarde.jaar == 2028))
    counts = load_programme(warehouse, door="beheerder")
    assert counts["streefwaarde"] == 1 and counts["realisatie"] == 0
    with warehouse.connect() as conn:
        assert conn.execute(select(Streefwaarde.waarde, Streefwaarde.version, Streefwaarde.gewijzigd_door)
                            .where(Streefwaarde.indicator_id == ind_id, Streefwaarde.jaar == 2026,
                                   Streefwaarde.soort == "streefwaarde")).one() == (9.0, 2, "trekker")
        assert conn.scalar(select(Realisatie.waarde).where(
            Realisatie.indicator_id == ind_id, Realisatie.periode == "2025")) == 7.0
        assert conn.execute(select(Maatregel.status, Maatregel.trekker)
                            .where(Maatregel.code == "L1.5")).one() == (
            "afgerond", "Coördinator Buurtgezinnen")
        assert conn.scalar(select(Streefwaarde.gewijzigd_door).where(
            Streefwaarde.indicator_id == ind_id, Streefwaarde.jaar == 2028)) == "beheerder"


def test_changed_definition_in_the_file_is_updated_and_audited(warehouse, doc, tmp_path):
    load_programme(warehouse)
    changed = copy.deepcopy(doc)
    changed["lijnen"][0]["omschrijving"] = "Nieuwe omschrijving."
    changed["maatregelen"][0]["status"] = "afgerond"  # status belongs to the users after the load
    path = tmp_path / "p.json"
    path.write_text(json.dumps(changed, ensure_ascii=False), encoding="utf-8")
    counts = load_programme(warehouse, path)
    assert counts["bijgewerkt"] == 1 and counts["strategische_lijn"] == 0
    with warehouse.connect() as conn:
        assert conn.scalar(select(StrategischeLijn.omschrijving)
                           .where(StrategischeLijn.code == "L1")) == "Nieuwe omschrijving."
        assert conn.scalar(select(Maatregel.status).where(Maatregel.code == "L1.1")) == \
            doc["maatregelen"][0]["status"]
        audit = conn.execute(select(Wijziging.tabel, Wijziging.sleutel, Wijziging.veld,
                                    Wijziging.nieuwe_waarde)
                             .where(Wijziging.tabel == "strategische_lijn")).all()
        assert audit == [("strategische_lijn", "L1", "omschrijving", "Nieuwe omschrijving.")]


def test_the_plans_name_gemeente_and_years_are_stored_and_read_back(warehouse, tmp_path):
    from tests.other_plan import GEMEENTE, NAAM, PLAN, load_other_plan

    huizen = Plan("Programmaplan Jeugd 2025–2028", "Huizen", 2025, 2028, 2024)
    assert default_plan() == huizen == read_plan(warehouse)  # before any programme is loaded
    assert (huizen.jaren, huizen.jaren_met_nulmeting) == (range(2025, 2029), range(2024, 2029))
    load_other_plan(warehouse, tmp_path)
    assert read_plan(warehouse) == PLAN == Plan(NAAM, GEMEENTE, 2023, 2027, 2022)
    counts = load_programme(warehouse)  # the Huizen file over it: its header, audited
    assert counts["programma"] == 0 and read_plan(warehouse) == huizen
    with warehouse.connect() as conn:
        audit = conn.execute(select(Wijziging.veld, Wijziging.oude_waarde, Wijziging.nieuwe_waarde)
                             .where(Wijziging.tabel == "programma").order_by(Wijziging.id)).all()
    assert audit == [("naam", NAAM, huizen.naam), ("gemeente", GEMEENTE, "Huizen"), ("eerste_jaar", "2023", "2025"),
                     ("laatste_jaar", "2027", "2028"), ("nulmeting_jaar", "2022", "2024")]


def _broken(doc, how):
    bad = copy.deepcopy(doc)
    how(bad)
    return bad


BROKEN = {
    "dubbele maatregelcode": (lambda d: d["maatregelen"].append(dict(d["maatregelen"][0])),
                              "maatregel 'L1.1' komt meer dan één keer voor"),
    "onbekende lijn": (lambda d: d["maatregelen"][3].update(lijn="L9"),
                       "maatregel 'L1.4': onbekende strategische lijn 'L9'"),
    "onbekende doelstelling": (lambda d: d["indicatoren"][0]["doelstellingen"].append("D8"),
                               "indicator 'K01': onbekende doelstelling 'D8'"),
    "onbekende maatregel": (lambda d: d["indicatoren"][-1].update(maatregel="L8.99", lijn=None),
                            "onbekende maatregel 'L8.99'"),
    "maatregel van andere lijn": (lambda d: d["indicatoren"][-1].update(lijn="L1"),
                                  "hoort bij lijn 'L8', niet bij 'L1'"),
    "onbekende status": (lambda d: d["maatregelen"][0].update(status="klaar"),
                         "onbekende status 'klaar'"),
    "dubbele streefwaarde": (lambda d: d["indicatoren"][1]["streefwaarden"].append(
        dict(d["indicatoren"][1]["streefwaarden"][1])), "streefwaarde 2025"),
    "foute periode": (lambda d: d["indicatoren"][-1]["realisaties"].append(
        {"periode": "2026-Q5", "waarde": 1}), "realisatie '2026-Q5'"),
    "realisatie bij KPI": (lambda d: d["indicatoren"][0]["realisaties"].append(
        {"periode": "2025", "waarde": 1}), "alleen bij handmatige indicatoren"),
    "richting": (lambda d: d["indicatoren"][0].update(richting="omhoog"), "'richting'"),
    "geen programma": (lambda d: d.pop("programma"), "'programma' (naam, gemeente, periode, nulmeting_jaar)"),
    "periode": (lambda d: d["programma"].update(periode=[2028, 2025]), "'periode' moet [eerste jaar, laatste jaar]"),
    "nulmeting na de periode": (lambda d: d["programma"].update(nulmeting_jaar=2029),
                                "het nulmeting_jaar 2029 ligt na de periode 2025–2028"),
    "streefwaarde buiten de periode": (lambda d: d["indicatoren"][2]["streefwaarden"].append(
        {"jaar": 2029, "soort": "streefwaarde", "waarde": 1}), "ligt buiten de periode 2025–2028 van het programma"),
    "bovengrens": (lambda d: d["indicatoren"][0].update(bovengrens="veel"), "bovengrens: waarde moet een getal zijn"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_file_is_refused_with_a_clear_message(doc, case):
    how, message = BROKEN[case]
    with pytest.raises(ProgrammeError) as info:
        validate_programme(_broken(doc, how))
    assert message in str(info.value)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("case", ["dubbele maatregelcode", "onbekende lijn"])
def test_broken_file_writes_nothing(warehouse, doc, tmp_path, case):
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(_broken(doc, BROKEN[case][0]), ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ProgrammeError):
        load_programme(warehouse, path)
    assert set(table_counts(warehouse).values()) == {0}
    assert not programme_is_loaded(warehouse)


def test_broken_file_on_a_loaded_warehouse_changes_nothing(warehouse, doc, tmp_path):
    load_programme(warehouse)
    before = snapshot(warehouse)
    bad = _broken(doc, lambda d: d["indicatoren"][5].update(maatregel="L0.1"))
    bad["lijnen"][0]["naam"] = "Gewijzigd"
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ProgrammeError, match="onbekende maatregel 'L0.1'"):
        load_programme(warehouse, path)
    assert snapshot(warehouse) == before


def test_unreadable_files(tmp_path):
    with pytest.raises(ProgrammeError, match="kan niet worden gelezen"):
        read_programme(tmp_path / "bestaat-niet.json")
    path = tmp_path / "kapot.json"
    path.write_text('{"lijnen": [', encoding="utf-8")
    with pytest.raises(ProgrammeError, match="geen geldige JSON"):
        read_programme(path)


def test_data_package_does_not_import_kpi():
    import subprocess
    import sys
    code = "import sys, data.programme.plan; assert not any(m == 'kpi' or m.startswith('kpi.') for m in sys.modules)"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parent.parent)
