"""`kpi_jaartotalen` (kpi/jaartotalen.py): every KPI's yearly totals, stored at load. A trend read
from them equals the trend over the facts for every KPI, on SQLite and PostgreSQL; they are read
only for totals of whole calendar years, only when they belong to the newest load and to the
KPI's current query; a load that fails stores nothing. (The random warehouses of test_kpi_oracle
check the stored totals against the contract's oracle as well.)"""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, insert, select, update

from data import samenvatting
from data.schema import KPI_JAARTOTALEN, LoadLog
from kpi import CATALOGUE, KpiRequest, compute, jaartotalen

YEARS = range(2019, 2027)


def trend_requests() -> list[KpiRequest]:
    """Each KPI's trend as the overview and the explorer ask it (a calendar-year-only KPI one year
    at a time), suppressed and not."""
    requests = []
    for kpi in CATALOGUE.values():
        if kpi.alleen_kalenderjaar:
            requests += [KpiRequest.for_year(kpi.id, y) for y in YEARS]
        else:
            for suppress in (True, False):
                requests.append(KpiRequest(kpi.id, dt.date(YEARS[0], 1, 1), dt.date(YEARS[-1], 12, 31),
                                           per="jaar", suppress=suppress))
    return requests


def stored_rows(engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(KPI_JAARTOTALEN))


def forget_totals(engine) -> None:
    with engine.begin() as conn:
        conn.execute(KPI_JAARTOTALEN.delete())


@pytest.fixture
def demo(warehouse):
    from data.demo import load_demo

    load_demo(warehouse, seed=5, derive=jaartotalen.rebuild)
    return warehouse


def test_every_kpis_trend_from_the_stored_totals_equals_the_trend_over_the_facts(demo):
    # the demo data run 2017–2026 (two years of burn-in): every KPI, every year
    assert stored_rows(demo) == len(CATALOGUE) * 10
    requests = trend_requests()
    from_totals = [compute(demo, r).rows for r in requests]
    forget_totals(demo)
    over_the_facts = [compute(demo, r).rows for r in requests]
    assert from_totals == over_the_facts
    assert sum(row.n or 0 for rows in from_totals for row in rows) > 10_000


def corrupt(engine, kpi_id: str, jaar: int, n: int) -> None:
    """Overwrite one stored total, so a test sees whether it is read."""
    c = KPI_JAARTOTALEN.c
    with engine.begin() as conn:
        conn.execute(update(KPI_JAARTOTALEN).where(c.kpi_id == kpi_id, c.jaar == jaar).values(n=n))


def test_a_trend_reads_the_stored_totals_but_a_breakdown_a_filter_or_a_partial_year_does_not(demo):
    kpi = "jeugdigen_met_jeugdhulp"  # value = n
    trend = KpiRequest(kpi, dt.date(2024, 1, 1), dt.date(2025, 12, 31), per="jaar")
    before = compute(demo, trend).rows
    corrupt(demo, kpi, 2025, 123_456)
    after = compute(demo, trend).rows
    assert after[0] == before[0] and (after[1].n, after[1].value) == (123_456, 123_456)

    assert compute(demo, KpiRequest.for_year(kpi, 2025)).rows[0].n == 123_456  # a year's total too
    over_the_facts = before[1].n
    for request in (KpiRequest.for_year(kpi, 2025, by="wijk"),
                    KpiRequest.for_year(kpi, 2025, where={"hulpvorm": "ambulant"}),
                    KpiRequest(kpi, dt.date(2025, 1, 1), dt.date(2025, 12, 31), per="kwartaal"),
                    KpiRequest(kpi, dt.date(2025, 1, 2), dt.date(2025, 12, 31))):
        counts = [row.n for row in compute(demo, request).rows if not row.suppressed]
        assert counts and all(0 < n <= over_the_facts for n in counts), request


def test_stored_totals_of_an_older_load_or_another_definition_are_never_read(demo, monkeypatch):
    request = KpiRequest.for_year("pct_uitval", 2025)
    truth = compute(demo, request).rows
    corrupt(demo, "pct_uitval", 2025, 7)
    assert compute(demo, request).rows != truth

    # a changed KPI query (an upgrade of the catalogue) has another definition hash
    monkeypatch.setattr(jaartotalen, "definition", lambda kpi_id, dialect: "een andere definitie")
    assert compute(demo, request).rows == truth
    monkeypatch.undo()

    # a later load that did not compute them (here: a load-log row written by hand)
    with demo.begin() as conn:
        conn.execute(insert(LoadLog).values(geladen_op=dt.datetime.now(), bron="test", bestanden=[]))
    assert compute(demo, request).rows == truth


def test_rebuilding_the_summaries_drops_them(demo):
    """Facts written outside a load are followed by samenvatting.rebuild: stale totals go."""
    with demo.begin() as conn:
        samenvatting.rebuild(conn)
    assert stored_rows(demo) == 0


def test_the_load_command_stores_them_and_a_failed_load_changes_nothing(backend_url, tmp_path):
    from data.__main__ import main
    from data.db import make_engine
    from data.demo import generate_folder

    folder = tmp_path / "levering"
    generate_folder(folder, seed=3)
    assert main(["load", str(folder), "--db", backend_url]) == 0
    engine = make_engine(backend_url)
    assert stored_rows(engine) == len(CATALOGUE) * 10
    with engine.connect() as conn:
        newest = conn.scalar(select(func.max(LoadLog.id)))
        assert set(conn.scalars(select(KPI_JAARTOTALEN.c.laadlog_id).distinct())) == {newest}
        stored_before = conn.execute(select(KPI_JAARTOTALEN).order_by("kpi_id", "jaar")).all()

    with open(folder / "trajecten.csv", "a", encoding="utf-8") as file:
        file.write("T-KAPOT,J-KAPOT\n")  # a row with two of its columns
    assert main(["load", str(folder), "--db", backend_url]) == 2
    with engine.connect() as conn:
        assert conn.execute(select(KPI_JAARTOTALEN).order_by("kpi_id", "jaar")).all() == stored_before
    engine.dispose()


def test_ensure_stores_them_only_when_the_newest_load_has_none(warehouse):
    from data.demo import load_demo

    load_demo(warehouse, seed=5)  # a caller that does not derive them
    assert stored_rows(warehouse) == 0
    assert jaartotalen.ensure(warehouse) == stored_rows(warehouse) == len(CATALOGUE) * 10
    assert jaartotalen.ensure(warehouse) == 0
    with warehouse.begin() as conn:  # a new load
        conn.execute(insert(LoadLog).values(geladen_op=dt.datetime.now(), bron="test", bestanden=[]))
    assert jaartotalen.ensure(warehouse) == len(CATALOGUE) * 10


def test_a_warehouse_without_facts_stores_nothing(warehouse):
    with warehouse.begin() as conn:
        conn.execute(insert(LoadLog).values(geladen_op=dt.datetime.now(), bron="leeg", bestanden=[]))
        assert jaartotalen.rebuild(conn) == 0
    assert compute(warehouse, KpiRequest.for_year("instroom", 2025, suppress=False)).rows[0].n == 0


def test_decimal_sums_keep_their_type():
    from decimal import Decimal

    for value in (Decimal("12.50"), 3, 2.5, None, 10**15):
        decoded = jaartotalen._decode(jaartotalen._encode(value))
        assert decoded == value and type(decoded) is type(value)
