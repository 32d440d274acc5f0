"""An added delivery of kosten (`python -m data load MAP --toevoegen`): the rows of one month of
declarations added to a loaded warehouse, and everything derived from them brought up to date
only where they change it — with the same result as loading everything again.

The month: the demonstration set's kosten rows received in its last month (September 2026), which
also correct and complete earlier months, back to October 2025 (late declarations)."""
from __future__ import annotations

import csv
import datetime as dt
import os
import shutil
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, select, text

from data.warehouse import summaries
from data.warehouse.demo import generate_folder
from data.warehouse.loader import LoadError, load_folder
from data.warehouse.schema import KPI_TOTALEN, Kosten, LoadLog
from kpi import KpiRequest, compute, totals
from kpi.request import resolve
from tests import warm_python
from tests.conftest import loaded_warehouse
from tests.demo_files import demo_copy

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def folders(tmp_path_factory) -> dict[str, Path]:
    """The demonstration set (`whole`), the same without the last month's kosten (`base`) and
    that month's kosten alone (`month`)."""
    root = tmp_path_factory.mktemp("toevoegen")
    whole, base, month = root / "whole", root / "base", root / "month"
    for folder in (whole, base, month):
        folder.mkdir()
    generate_folder(whole, seed=2025, scale=1)
    for path in whole.glob("*.csv"):
        if path.name != "kosten.csv":
            shutil.copy(path, base / path.name)
    with (whole / "kosten.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    at = rows[0].index("ontvangen")
    last = max(row[at][:7] for row in rows[1:])
    for folder, kept in ((base, [r for r in rows[1:] if r[at][:7] != last]),
                         (month, [r for r in rows[1:] if r[at][:7] == last])):
        with (folder / "kosten.csv").open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows([rows[0], *kept])
    return {"whole": whole, "base": base, "month": month}


BASE = "basislevering"


@pytest.fixture
def loaded(request, backend, folders) -> Engine:
    """The warehouse with the base delivery, as `python -m data load` leaves it (loaded once per
    run and put back after each test: tests.conftest.loaded_warehouse)."""
    return loaded_warehouse(request, "toevoegen_basis", lambda engine: load_folder(
        engine, folders["base"], bron=BASE, derive=totals.after_load))


@pytest.fixture
def facts_loaded(request, backend, folders) -> Engine:
    """The warehouse with the base delivery's facts and summaries, without stored totals."""
    return loaded_warehouse(request, "toevoegen_feiten", lambda engine: load_folder(
        engine, folders["base"], bron=BASE))


def stored_rows(conn: Connection) -> Counter:
    """Every stored KPI row that counts now, without the load it was computed in."""
    c = KPI_TOTALEN.c
    rows = conn.execute(select(c.kpi_id, c.van, c.tot, c.dimensie, c.sleutel, c.label, c.definitie, c.n,
                               c.aggregaten).where(c.laadlog_id >= totals.first_counting_load())).all()
    return Counter(tuple(str(value) for value in row) for row in rows)


def summary_rows(conn: Connection) -> dict[str, Counter]:
    """Each summary's content as what reads it sees: the kosten summary's sums per group and month
    and its months with rows (an added delivery adds rows of its own), the others row by row."""
    keys = "jeugdige_id, wijk_code, school_code, verwijzer, hulpvorm, aanbieder_code"
    months = ", ".join([f"SUM(m{m:02d})" for m in range(1, 13)] + [f"MAX(maanden & {1 << i})" for i in range(12)])
    queries = {"kosten_jeugdige_jaar": f"SELECT jaar, {keys}, SUM(bedrag_cent), SUM(regels), {months} "
                                       f"FROM kosten_jeugdige_jaar GROUP BY jaar, {keys}"}
    return {table: Counter(tuple(map(str, row)) for row in conn.execute(
                text(queries.get(table, f"SELECT * FROM {table}"))))
            for table in summaries.TABLES}


def kosten_rows(conn: Connection) -> Counter:
    k = Kosten.__table__.c
    return Counter(map(tuple, conn.execute(select(k.traject_id, k.maand, k.bedrag_cent, k.ontvangen))))


def delivered_kosten(folder: Path) -> Counter:
    """The kosten rows of a folder's kosten.csv as the warehouse stores them."""
    with (folder / "kosten.csv").open(newline="", encoding="utf-8") as handle:
        return Counter((row["traject_id"], dt.date.fromisoformat(row["maand"] + "-01"),
                        int(Decimal(row["bedrag"]) * 100),
                        dt.date.fromisoformat(row["ontvangen"]) if row["ontvangen"] else None)
                       for row in csv.DictReader(handle))


def test_a_month_added_leaves_what_loading_everything_again_leaves(loaded, folders):
    with loaded.connect() as conn:
        before = stored_rows(conn)
    report = load_folder(loaded, folders["month"], derive=totals.after_load, toevoegen=True)
    added = report.rows["kosten"]
    assert added == sum(1 for _ in (folders["month"] / "kosten.csv").open()) - 1 > 0
    with loaded.connect() as conn:
        after = (kosten_rows(conn), summary_rows(conn), stored_rows(conn))
        newest = conn.execute(select(LoadLog).order_by(LoadLog.id.desc())).first()
        regels = conn.execute(select(Kosten.regel)).scalars().all()
        assert newest.aangevuld == {"kosten": [f"2025-{m}" for m in ("10", "11", "12")]
                                    + [f"2026-{m:02d}" for m in range(1, 10)]}
        assert len(set(regels)) == len(regels)  # numbered on after the warehouse's rows
        # Only the kosten KPIs' rows of the years the month touches were stored again.
        changed = {row[0] for row in (after[2] - before) + (before - after[2])}
        assert changed and changed <= {"totale_kosten", "kosten_per_jeugdige", "pct_budget_besteed"}

        # What loading the whole set again leaves: its kosten, and everything derived from them
        # made anew (in a transaction that is rolled back).
        assert after[0] == delivered_kosten(folders["whole"])
        conn.rollback()
        with conn.begin() as transaction:
            summaries.rebuild(conn)
            totals.rebuild(conn)
            assert summary_rows(conn) == after[1]
            assert stored_rows(conn) == after[2]
            transaction.rollback()


def test_after_a_month_added_the_requests_read_the_stored_rows_and_answer_as_the_facts(loaded, folders):
    load_folder(loaded, folders["month"], derive=totals.after_load, toevoegen=True)
    for kpi_id, year in (("totale_kosten", 2026), ("kosten_per_jeugdige", 2025), ("instroom", 2024)):
        request = KpiRequest.for_year(kpi_id, year, per="kwartaal")
        with loaded.connect() as conn:
            assert len(totals.stored(conn, resolve(request))) == 4  # every quarter from a stored row
        from_stored = compute(loaded, request)
        from_facts = compute(loaded, request, sources=totals.ALL_BUT_STORED)
        assert [(r.periode, r.value, r.n) for r in from_stored.rows] == \
               [(r.periode, r.value, r.n) for r in from_facts.rows]


def test_a_month_added_after_a_load_that_stored_nothing_stores_everything(facts_loaded, folders):
    warehouse = facts_loaded  # loaded without derive: no stored rows count
    load_folder(warehouse, folders["month"], derive=totals.after_load, toevoegen=True)
    assert_stored_as_a_rebuild_would(warehouse)


def assert_stored_as_a_rebuild_would(engine: Engine) -> Counter:
    """The stored rows that count are every KPI's, and those a full rebuild stores (rolled back)."""
    with engine.connect() as conn, conn.begin() as transaction:
        after = stored_rows(conn)
        assert {row[0] for row in after} == set(totals.CATALOGUE)
        totals.rebuild(conn)
        assert stored_rows(conn) == after
        transaction.rollback()
    return after


def test_a_month_in_a_new_year_stores_that_year_for_every_kpi(loaded, folders, tmp_path):
    with (folders["month"] / "kosten.csv").open(encoding="utf-8") as handle:
        header, first = handle.readline(), handle.readline().split(",")
    (tmp_path / "kosten.csv").write_text(header + f"{first[0]},2027-01,10.00,2027-02-01\n", encoding="utf-8")
    load_folder(loaded, tmp_path, derive=totals.after_load, toevoegen=True)
    after = assert_stored_as_a_rebuild_would(loaded)
    assert {row[0] for row in after if row[1] == "2027-01-01" and row[3] == ""} == set(totals.CATALOGUE)


def _unchanged(engine: Engine):
    with engine.connect() as conn:
        return (conn.scalar(select(text("count(*)")).select_from(LoadLog)), kosten_rows(conn),
                stored_rows(conn))


def test_the_same_month_added_twice_is_refused_and_changes_nothing(facts_loaded, folders):
    loaded = facts_loaded
    load_folder(loaded, folders["month"], toevoegen=True)
    before = _unchanged(loaded)
    with pytest.raises(LoadError) as refused:
        load_folder(loaded, folders["month"], toevoegen=True)
    assert [str(p) for p in refused.value.problems] == [
        f"kosten.csv:1: bestand: dit bestand is al geladen op {p}; nog eens toevoegen zou elke "
        f"kostenregel dubbel tellen" for p in [refused.value.problems[0].message.split(" op ")[1].split(";")[0]]]
    assert _unchanged(loaded) == before


def test_an_added_month_with_an_unknown_traject_names_the_files_own_line(facts_loaded, tmp_path):
    loaded = facts_loaded
    (tmp_path / "kosten.csv").write_text(
        "traject_id,maand,bedrag\nT-ONBEKEND,2026-09,12.50\nT-ONBEKEND,2026-09,1.00\n", encoding="utf-8")
    before = _unchanged(loaded)
    with pytest.raises(LoadError) as refused:
        load_folder(loaded, tmp_path, toevoegen=True)
    assert refused.value.lines() == [
        "kosten.csv:2: traject_id: 'T-ONBEKEND' komt niet voor als traject_id in het warehouse "
        "(trajecten.csv zit niet in deze levering); 2 kostenregels gebruiken deze waarde, de eerste op deze regel"]
    assert _unchanged(loaded) == before


def test_only_kosten_can_be_added(facts_loaded, folders, tmp_path):
    loaded = facts_loaded
    for name in ("kosten.csv", "trajecten.csv"):
        shutil.copy(folders["whole"] / name, tmp_path / name)
    before = _unchanged(loaded)
    with pytest.raises(LoadError) as refused:
        load_folder(loaded, tmp_path, toevoegen=True)
    assert refused.value.lines() == [
        f"{tmp_path}:0: map: met --toevoegen kan alleen kosten.csv worden aangevuld; lever trajecten.csv "
        "in een gewone load (die vervangt de tabel)"]
    assert _unchanged(loaded) == before


def test_the_command_adds_a_month_and_says_so(folders, tmp_path):
    from data.__main__ import main
    from tests.cli_support import run_main

    url = demo_copy(tmp_path / "w.db", totals=True)
    added = warm_python.run([sys.executable, "-m", "data", "load", str(folders["month"]), "--toevoegen"], cwd=ROOT,
                            env={**os.environ, "DATABASE_URL": url}, capture_output=True, text=True, timeout=300)
    assert added.returncode == 0, added.stderr
    assert added.stdout.startswith(f"Toegevoegd uit {folders['month']}:\n  kosten ")
    # the refusal through main(argv) in this process: a second `python -m data` only started Python again
    again = run_main(main, ["load", str(folders["month"]), "--toevoegen"], env={"DATABASE_URL": url})
    assert again.returncode == 2
    assert "dit bestand is al geladen op" in again.stderr and "Traceback" not in again.stderr


def test_the_data_status_names_the_delivery_and_what_was_added_to_it(loaded, folders):
    from kpi.service import KpiService

    before = KpiService(loaded).data_status()
    load_folder(loaded, folders["month"], bron="kosten september", derive=totals.after_load, toevoegen=True)
    after = KpiService(loaded).data_status()
    assert before.bron == BASE
    assert after.bron == f"{before.bron}; kosten aangevuld uit kosten september"
    assert after.geladen_op > before.geladen_op and after.data_tot == before.data_tot


def test_after_two_added_deliveries_the_data_status_names_both(loaded, folders, tmp_path):
    """Every delivery added since the tables were last replaced is named, not only the newest."""
    from kpi.service import KpiService

    with (folders["month"] / "kosten.csv").open(encoding="utf-8") as handle:
        header, first = handle.readline(), handle.readline().split(",")
    (tmp_path / "kosten.csv").write_text(header + f"{first[0]},2026-09,10.00,2026-10-01\n", encoding="utf-8")
    load_folder(loaded, folders["month"], bron="kosten september", derive=totals.after_load, toevoegen=True)
    load_folder(loaded, tmp_path, bron="kosten oktober", derive=totals.after_load, toevoegen=True)
    assert KpiService(loaded).data_status().bron == f"{BASE}; kosten aangevuld uit kosten september en kosten oktober"
    load_folder(loaded, folders["whole"], bron="nieuwe levering", derive=totals.after_load)
    assert KpiService(loaded).data_status().bron == "nieuwe levering"

