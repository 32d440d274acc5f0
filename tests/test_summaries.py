"""The kosten summary (data/warehouse/summaries.py) is the exact aggregate of the facts after every load,
reload, partial load, failed load and migration, on SQLite and PostgreSQL; and the KPI engine
reads it only where that gives the same answer."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest
from sqlalchemy import select

from data.warehouse import summaries
from data.warehouse.loader import LoadError, load_folder
from data.warehouse.schema import KOSTEN_JEUGDIGE_JAAR, MAANDEN, Kosten, Traject
from kpi import CATALOGUE, KpiRequest, sources
from kpi.query import compiled_sql
from tests.conftest import shared_demo
from tests.test_loader import VALID, changed, write_folder

KEYS = ("jeugdige_id", "wijk_code", "school_code", "verwijzer", "hulpvorm", "aanbieder_code")


def summary_rows(engine) -> list[tuple]:
    s = KOSTEN_JEUGDIGE_JAAR.c
    with engine.connect() as conn:
        rows = conn.execute(select(s.jaar, *(s[k] for k in KEYS), s.bedrag_cent, s.regels, s.maanden,
                                   *(s[m] for m in MAANDEN)))
        return sorted((tuple(r) for r in rows), key=repr)


def from_the_facts(engine) -> list[tuple]:
    """The summary computed in Python from the kosten and trajecten rows (independent of SQL): per
    year and keys the sum and number of rows, the months with rows as bits, each month's sum."""
    with engine.connect() as conn:
        trajecten = {t.traject_id: t for t in conn.execute(select(Traject.__table__))}
        kosten = conn.execute(select(Kosten.__table__)).all()
    sums: dict[tuple, list] = defaultdict(lambda: [0, 0, [None] * 12])
    for k in kosten:
        t = trajecten[k.traject_id]
        entry = sums[(k.maand.year, *(getattr(t, key) for key in KEYS))]
        entry[0] += k.bedrag_cent
        entry[1] += 1
        months = entry[2]
        months[k.maand.month - 1] = (months[k.maand.month - 1] or 0) + k.bedrag_cent
    return sorted(((*key, som, regels, sum(1 << i for i, v in enumerate(months) if v is not None), *months)
                   for key, (som, regels, months) in sums.items()), key=repr)


def assert_exact(engine) -> None:
    assert summary_rows(engine) == from_the_facts(engine)


def months(**sums: int) -> tuple:
    """The `maanden` bits and m01..m12 of a row with these months' sums (m01=…)."""
    values = tuple(sums.get(name) for name in MAANDEN)
    return (sum(1 << i for i, v in enumerate(values) if v is not None), *values)


def test_a_load_builds_the_summary(warehouse, tmp_path):
    load_folder(warehouse, write_folder(tmp_path / "a", VALID))
    # T1 (J1) has two rows in 2024-01 (1234.50 and -12.50); T3 (J1) one in 2024-07 with other keys
    assert summary_rows(warehouse) == [
        (2024, "J1", "WK040601", "S01", "huisarts", "ambulant", "A1", 122200, 2, *months(m01=122200)),
        (2024, "J1", "WK040601", "S02", "huisarts", "lokaal_team", None, 10000, 1, *months(m07=10000)),
    ]
    assert_exact(warehouse)


def test_a_reload_leaves_it_exact(warehouse, tmp_path):
    load_folder(warehouse, write_folder(tmp_path / "a", VALID))
    load_folder(warehouse, write_folder(tmp_path / "b", changed("kosten.csv", "T3;2024-07;100", "T2;2024-03;7")))
    assert_exact(warehouse)
    assert (2024, "J2", "WK040602", None, "huisarts", "crisis", None, 700, 1, *months(m03=700)) \
        in summary_rows(warehouse)
    assert len(summary_rows(warehouse)) == 2


def test_replacing_only_trajecten_moves_the_kosten_to_the_new_keys(warehouse, tmp_path):
    load_folder(warehouse, write_folder(tmp_path / "a", VALID))
    trajecten = changed("trajecten.csv", "T1;J1;2012; WK040601 ;S01", "T1;J1;2012;WK040602;S02")
    load_folder(warehouse, write_folder(tmp_path / "b", {"trajecten.csv": trajecten["trajecten.csv"]}))
    assert_exact(warehouse)
    assert [row[:4] for row in summary_rows(warehouse) if row[7] == 122200] == [(2024, "J1", "WK040602", "S02")]


def test_a_load_without_kosten_or_trajecten_keeps_it(warehouse, tmp_path):
    load_folder(warehouse, write_folder(tmp_path / "a", VALID))
    before = summary_rows(warehouse)
    load_folder(warehouse, write_folder(tmp_path / "b", {"budget.csv": VALID["budget.csv"]}))
    assert summary_rows(warehouse) == before
    assert_exact(warehouse)


def test_a_failed_load_leaves_it_as_it_was(warehouse, tmp_path):
    load_folder(warehouse, write_folder(tmp_path / "a", VALID))
    before = summary_rows(warehouse)
    with pytest.raises(LoadError):
        load_folder(warehouse, write_folder(tmp_path / "b", changed("kosten.csv", "T3;2024-07;100", "T9;2024-07;100")))
    assert summary_rows(warehouse) == before


def test_an_empty_kosten_file_empties_it(warehouse, tmp_path):
    load_folder(warehouse, write_folder(tmp_path / "a", VALID))
    load_folder(warehouse, write_folder(tmp_path / "b", {"kosten.csv": "traject_id;maand;bedrag\n"}))
    assert summary_rows(warehouse) == []


def test_the_demo_data_summary_equals_the_facts(request, backend):
    """On the run's demonstration data (any seed will do): loading a seed of its own cost ~5 s per
    backend, where the run has the default one loaded already."""
    warehouse = shared_demo(request)
    assert_exact(warehouse)
    assert len(summary_rows(warehouse)) > 1000


def test_migration_fills_it_from_a_warehouse_without_it(tmp_path, backend_url, monkeypatch):
    from tests.test_migrations import demo_upgraded_from_first_release

    engine = demo_upgraded_from_first_release(backend_url, tmp_path / "demo", monkeypatch)
    assert_exact(engine)
    assert summary_rows(engine)
    engine.dispose()


# --- which KPIs read it ----------------------------------------------------------------------

Y = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))


@pytest.mark.parametrize("kpi_id", sorted(CATALOGUE))
def test_only_kosten_kpis_of_sums_read_the_summary(warehouse, kpi_id):
    kpi = CATALOGUE[kpi_id]
    request = KpiRequest(kpi_id, *Y, by="gemeente" if "gemeente" in kpi.breakdowns else None)
    sql = compiled_sql(warehouse, request)
    reads = sources.KOSTEN_PER_YEAR in sources.claiming(kpi)
    assert reads == (kpi.bron.fact == "kosten")  # all three kosten KPIs are sums
    assert ("kosten_jeugdige_" in sql) == reads
    assert ("trajecten" in sql) == (not reads)


@pytest.mark.parametrize("van,tot,per,months_read", [
    (dt.date(2025, 1, 1), dt.date(2025, 12, 31), None, []),
    (dt.date(2019, 1, 1), dt.date(2025, 12, 31), "jaar", []),
    (dt.date(2025, 1, 1), dt.date(2025, 12, 31), "kwartaal", MAANDEN),
    (dt.date(2025, 1, 1), dt.date(2025, 12, 30), None, []),  # every month's first day: the year's sum
    (dt.date(2025, 1, 1), dt.date(2025, 11, 30), None, MAANDEN[:11]),
    (dt.date(2025, 2, 1), dt.date(2025, 12, 31), None, MAANDEN[1:]),
    (dt.date(2025, 2, 2), dt.date(2025, 12, 31), None, MAANDEN[2:]),
])
def test_whole_years_read_the_years_sums_and_other_periods_their_months(warehouse, van, tot, per, months_read):
    sql = compiled_sql(warehouse, KpiRequest("totale_kosten", van, tot, per=per, by="wijk"))
    assert "kosten_jeugdige_jaar" in sql and "trajecten" not in sql
    assert [m for m in MAANDEN if f".{m}" in sql] == list(months_read)
    assert ("maanden &" in sql) == bool(months_read)


def test_a_period_of_whole_and_partial_years_reads_both(warehouse):
    sql = compiled_sql(warehouse, KpiRequest("totale_kosten", dt.date(2024, 3, 1), Y[1], per="jaar"))
    assert [m for m in MAANDEN if f".{m}" in sql] == list(MAANDEN[2:])
    assert sql.count("FROM kosten_jeugdige_jaar") == 2


def test_a_period_from_a_day_after_1_december_reads_the_facts(warehouse):
    """Its first month's first day lies in the next year: the months of no single year."""
    sql = compiled_sql(warehouse, KpiRequest("totale_kosten", dt.date(2024, 12, 2), dt.date(2025, 6, 30)))
    assert "kosten_jeugdige_jaar" not in sql and "FROM kosten" in sql


def test_a_count_over_kosten_or_a_traject_condition_would_not_read_the_summary():
    from dataclasses import replace

    from kpi import measures as m

    counted = replace(CATALOGUE["totale_kosten"], maat=m.CountRecords())
    populated = replace(CATALOGUE["totale_kosten"], populatie=lambda c: c.t.hulpvorm == "crisis")
    for kpi in (counted, populated):
        assert sources.claiming(kpi) == (sources.STORED, sources.FACTS)


def test_rebuild_is_idempotent(warehouse, tmp_path):
    load_folder(warehouse, write_folder(tmp_path / "a", VALID))
    with warehouse.begin() as conn:
        summaries.rebuild(conn)
        summaries.rebuild(conn)
    assert_exact(warehouse)


def _every_summary(engine) -> dict[str, list[tuple]]:
    from data.schema import Base

    with engine.connect() as conn:
        return {name: sorted((tuple(r) for r in conn.execute(select(Base.metadata.tables[name]))), key=repr)
                for name in summaries.TABLES}


@pytest.mark.parametrize("asked,rebuilt", [
    ({"kosten_jeugdige_jaar"}, {"kosten_jeugdige_jaar"}),
    ({"jeugdigen_per_jaar"}, {"jeugdigen_actief_jaar", "jeugdigen_per_jaar"}),
    ({"jeugdigen_actief_jaar"}, {"jeugdigen_actief_jaar"}),
])
def test_a_rebuild_of_some_summaries_builds_those_and_what_they_are_made_from(warehouse, tmp_path, asked, rebuilt):
    """rebuild(tables=…), as the KPI oracle asks for the summaries one KPI reads: those tables and
    the ones they are made from hold exactly what a full rebuild gives; the others keep their rows
    (here: none, after they were emptied)."""
    load_folder(warehouse, write_folder(tmp_path / "a", VALID))
    full = _every_summary(warehouse)
    assert all(full.values())  # every summary has rows to compare
    with warehouse.begin() as conn:
        for name in summaries.TABLES:
            conn.exec_driver_sql(f"DELETE FROM {name}")
        summaries.rebuild(conn, tables=asked)
    partial = _every_summary(warehouse)
    assert {name for name, rows in partial.items() if rows} == rebuilt
    assert all(partial[name] == full[name] for name in rebuilt)


@pytest.mark.parametrize("kpi_id", ["totale_kosten", "kosten_per_jeugdige"])
def test_ranges_of_months_read_from_the_years_equal_the_facts(request, backend, kpi_id):
    """On the demonstration data: ranges within a year, across one or two year ends, from a day
    after the first, per month and per quarter, in total and by wijk and verwijzer — the months
    read from `kosten_jeugdige_jaar` give what the kosten rows give."""
    from kpi import compute

    warehouse = shared_demo(request)
    D = dt.date
    for van, tot, per in [(D(2025, 2, 1), D(2025, 11, 30), None), (D(2024, 7, 1), D(2025, 6, 30), None),
                          (D(2023, 11, 15), D(2025, 2, 10), None), (D(2024, 12, 1), D(2025, 1, 31), "maand"),
                          (D(2024, 4, 1), D(2025, 9, 30), "kwartaal"), (D(2025, 3, 2), D(2025, 3, 31), None)]:
        for by in (None, "wijk", "verwijzer"):
            asked = KpiRequest(kpi_id, van, tot, per=per, by=by, suppress=False)
            months = compute(warehouse, asked, sources={sources.KOSTEN_PER_MONTH})
            assert months.rows == compute(warehouse, asked, sources=()).rows, asked
