"""`kpi_totalen` (kpi/totals.py): every KPI's totals per year, quarter and month and its
breakdowns by every dimension of every year, stored at load. Trends and breakdowns read from them equal those over
the facts for every KPI, on SQLite and PostgreSQL; they are read only for exactly those periods
without filters, only when they belong to the newest load and to the KPI's current query; a load
that fails stores nothing. (The random warehouses of test_kpi_oracle
check the stored totals against the contract's oracle as well.)"""
from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from sqlalchemy import bindparam, event, func, insert, select, update

from data.warehouse import summaries
from data.warehouse.schema import KPI_TOTALEN, LoadLog
from kpi import CATALOGUE, KpiRequest, compute, kpis_shown, totals
from kpi.totals import ALL_BUT_STORED
from tests.conftest import shared_demo

YEARS = range(2019, 2027)
#: what the demo data (2017–2026, two years of burn-in) store: each KPI per year, and per quarter
#: and month of 2024–2026 where it can be asked so
# The demo's trajecten come from CSV files: the iJw KPIs have no records in it (their totals are
# stored empty without a query, proven against the facts on random warehouses with and without the
# iJw dates in tests/test_sources.py), so the demo's every-KPI comparisons leave them out.
DEMO_KPIS = kpis_shown(berichtenverkeer=False)
EXPECTED_ROWS = sum(len(subs) for kpi in CATALOGUE.values() for subs in totals.periods_to_store(kpi, range(2017, 2027)))


def trend_requests() -> list[KpiRequest]:
    """Each KPI's trends as the overview and the explorer ask them (a calendar-year-only KPI one
    year at a time), per year, quarter and month where it allows them, suppressed and not."""
    requests = []
    for kpi in DEMO_KPIS:
        if kpi.alleen_kalenderjaar:
            requests += [KpiRequest.for_year(kpi.id, y) for y in YEARS]
            continue
        for per in kpi.per_toegestaan:
            for suppress in (True, False):
                requests.append(KpiRequest(kpi.id, dt.date(YEARS[0], 1, 1), dt.date(YEARS[-1], 12, 31),
                                           per=per, suppress=suppress))
    return requests


def stored_rows(engine, totals_only: bool = True) -> int:
    """The totals stored (dimensie ''), or every row (totals and breakdown groups)."""
    query = select(func.count()).select_from(KPI_TOTALEN)
    with engine.connect() as conn:
        return conn.scalar(query.where(KPI_TOTALEN.c.dimensie == "") if totals_only else query)


@pytest.fixture
def demo(request, backend):
    """Several tests here overwrite stored totals: the shared warehouse is then put back. (Any demo
    seed will do: the run's one with stored totals, which test_warmup and the apps use too.)"""
    return shared_demo(request, derive=totals.rebuild)


def test_every_kpis_trend_from_the_stored_totals_equals_the_trend_over_the_facts(demo):
    # the demo data run 2017–2026 (two years of burn-in): every KPI, every year
    assert stored_rows(demo) == EXPECTED_ROWS
    requests = trend_requests()
    from_totals = [compute(demo, r).rows for r in requests]
    over_the_facts = [compute(demo, r, sources=ALL_BUT_STORED).rows for r in requests]
    assert from_totals == over_the_facts
    assert sum(row.n or 0 for rows in from_totals for row in rows) > 10_000


def test_every_kpis_breakdowns_from_the_stored_groups_equal_those_over_the_facts(demo):
    requests = [KpiRequest.for_year(kpi.id, year, by=by, suppress=suppress)
                for kpi in DEMO_KPIS for by in kpi.breakdowns
                for year in (2017, 2018, 2022, 2025, 2026) for suppress in (True, False)]
    assert stored_rows(demo, totals_only=False) > EXPECTED_ROWS + 1000
    from_groups = [compute(demo, r).rows for r in requests]
    assert from_groups == [compute(demo, r, sources=ALL_BUT_STORED).rows for r in requests]


def largest_groups(engine) -> dict[tuple[str, str], str | None]:
    """{(KPI, dimension): the key of its largest group in 2025}, from the stored breakdowns."""
    c = KPI_TOTALEN.c
    with engine.connect() as conn:
        rows = conn.execute(select(c.kpi_id, c.dimensie, c.sleutel, c.n)
                            .where(c.dimensie != "", c.van == dt.date(2025, 1, 1))).all()
    best = {}
    for kpi_id, dimensie, sleutel, n in rows:
        if (kpi_id, dimensie) not in best or n > best[(kpi_id, dimensie)][1]:
            best[(kpi_id, dimensie)] = (sleutel, n)
    return {k: v[0] for k, v in best.items()}


def test_every_kpis_trend_within_one_group_from_the_stored_groups_equals_the_trend_over_the_facts(demo):
    """A drill-down's trend (a total per year within one group of one dimension) reads that group's
    row of the stored breakdowns: for every KPI and dimension, its largest group, the empty group
    and a group without records, equal to the filtered query over the facts."""
    from kpi import DIMENSIONS

    largest = largest_groups(demo)
    with demo.connect() as conn:
        c = KPI_TOTALEN.c
        keys = set(conn.execute(select(c.kpi_id, c.dimensie, c.sleutel).where(c.dimensie != "")).all())
    requests = []
    for kpi in DEMO_KPIS:
        for by in kpi.breakdowns:
            code_list = DIMENSIONS[by].code_list
            absent = next((v for v in (code_list.values if code_list else ["ZZ-ONBEKEND"])
                           if (kpi.id, by, v) not in keys), None)  # a valid value without records
            for value, suppress in ((largest[(kpi.id, by)], True), (largest[(kpi.id, by)], False),
                                    (None, False), *([(absent, False)] if absent else [])):
                where = {by: "" if value is None else value}
                requests += ([KpiRequest.for_year(kpi.id, y, where=where, suppress=suppress) for y in YEARS]
                             if kpi.alleen_kalenderjaar else
                             [KpiRequest(kpi.id, dt.date(YEARS[0], 1, 1), dt.date(YEARS[-1], 12, 31),
                                         per="jaar", where=where, suppress=suppress)])
    from_groups = [compute(demo, r).rows for r in requests]
    assert from_groups == [compute(demo, r, sources=ALL_BUT_STORED).rows for r in requests]
    assert sum(row.n or 0 for rows in from_groups for row in rows) > 10_000


def test_a_trend_within_one_group_reads_its_stored_group_but_not_with_two_filters(demo):
    kpi = "jeugdigen_met_jeugdhulp"  # value = n
    trend = KpiRequest(kpi, dt.date(2019, 1, 1), dt.date(2025, 12, 31), per="jaar", where={"verwijzer": "huisarts"})
    truth = compute(demo, trend).rows
    corrupt(demo, kpi, dt.date(2020, 1, 1), dt.date(2020, 12, 31), 4325, "verwijzer", "huisarts")
    after = compute(demo, trend).rows
    assert after[1].value == 4325 and after[:1] + after[2:] == truth[:1] + truth[2:]  # 2020: an older year, stored
    two_filters = KpiRequest(kpi, dt.date(2019, 1, 1), dt.date(2025, 12, 31), per="jaar",
                             where={"verwijzer": "huisarts", "hulpvorm": "ambulant"})
    assert 4325 not in [r.value for r in compute(demo, two_filters).rows]
    by_wijk = KpiRequest.for_year(kpi, 2020, by="wijk", where={"verwijzer": "huisarts"})
    assert sum(r.n or 0 for r in compute(demo, by_wijk).rows) != 4325  # a drill-down's breakdown: the facts
    # within one wijk the indexes find the facts faster than its row among all stored groups
    wijk_trend = KpiRequest(kpi, dt.date(2019, 1, 1), dt.date(2025, 12, 31), per="jaar", where={"wijk": "WK040601"})
    before = compute(demo, wijk_trend).rows
    corrupt(demo, kpi, dt.date(2020, 1, 1), dt.date(2020, 12, 31), 4325, "wijk", "WK040601")
    assert compute(demo, wijk_trend).rows == before


def test_breakdowns_are_stored_for_every_covered_year():
    assert [s.van.year for s in totals.breakdown_years(range(2017, 2027))] == list(range(2017, 2027))


def test_on_postgresql_a_years_breakdowns_are_one_pass_and_equal_those_one_dimension_at_a_time(demo):
    """The load reads a year's breakdowns of a KPI by every dimension in one statement (GROUPING
    SETS) on PostgreSQL: the same groups, labels, n and sums as one statement per dimension."""
    if demo.dialect.name != "postgresql":
        pytest.skip("GROUPING SETS only on PostgreSQL: SQLite reads one dimension at a time")
    statements: dict[str, list[str]] = {}

    def one_dimension_at_a_time(conn, kpi, by, subs):
        req = replace(totals.template_request(kpi), van=subs[0].van, tot=subs[-1].tot, per=None, by=by,
                      sub_periods=subs)
        return totals.fetch(conn, req)

    def as_rows(found: dict) -> dict:
        return {idx: sorted(({**row, "label": row.get("label")} for row in rows),
                            key=lambda row: (row["key"] is None, row["key"] or "")) for idx, rows in found.items()}

    with demo.connect() as conn:
        subs = totals.breakdown_years(totals.covered_years(conn))
        for kpi in DEMO_KPIS:
            def note(conn, cursor, statement, parameters, context, executemany, kpi_id=kpi.id):
                statements.setdefault(kpi_id, []).append(statement)

            event.listen(demo, "before_cursor_execute", note)
            try:
                one_pass, names = totals.fetch_breakdowns(conn, kpi, [(by, subs) for by in kpi.breakdowns])
            finally:
                event.remove(demo, "before_cursor_execute", note)
            apart = [one_dimension_at_a_time(conn, kpi, by, subs) for by in kpi.breakdowns]
            assert names == apart[0][1], kpi.id
            for by, (found, _names) in zip(kpi.breakdowns, apart, strict=True):
                assert as_rows(one_pass[by]) == as_rows(found), (kpi.id, by)
        conn.rollback()
    # ended trajecten by wijk, gemeente, school, verwijzer, hulpvorm and aanbieder: one pass a year
    uitval = [statement for statement in statements["pct_uitval"] if "GROUP BY" in statement]
    assert len(CATALOGUE["pct_uitval"].breakdowns) >= 5
    assert len(uitval) == len(subs) and all("GROUPING SETS" in statement for statement in uitval)


def corrupt(engine, kpi_id: str, van: dt.date, tot: dt.date, n: int, dimensie: str = "", sleutel=None) -> None:
    """Overwrite one stored total (or group), so a test sees whether it is read."""
    c = KPI_TOTALEN.c
    with engine.begin() as conn:
        changed = conn.execute(update(KPI_TOTALEN).where(
            c.kpi_id == kpi_id, c.van == van, c.tot == tot, c.dimensie == dimensie,
            c.sleutel.is_(None) if sleutel is None else c.sleutel == sleutel).values(n=n))
        assert changed.rowcount == 1


def test_a_breakdown_reads_its_stored_groups_but_not_with_a_filter(demo):
    kpi = "jeugdigen_met_jeugdhulp"  # value = n
    truth = compute(demo, KpiRequest.for_year(kpi, 2025, by="wijk")).rows
    corrupt(demo, kpi, dt.date(2025, 1, 1), dt.date(2025, 12, 31), 4325, "wijk", truth[0].key)
    after = compute(demo, KpiRequest.for_year(kpi, 2025, by="wijk")).rows
    assert (after[0].value, after[0].label) == (4325, truth[0].label) and after[1:] == truth[1:]
    filtered = compute(demo, KpiRequest.for_year(kpi, 2025, by="wijk", where={"gemeente": "GM0406"})).rows
    assert [r.n for r in filtered] == [r.n for r in truth]  # the facts: all Huizen's wijken
    older = compute(demo, KpiRequest.for_year(kpi, 2022, by="wijk")).rows
    corrupt(demo, kpi, dt.date(2022, 1, 1), dt.date(2022, 12, 31), 4325, "wijk", older[0].key)
    assert compute(demo, KpiRequest.for_year(kpi, 2022, by="wijk")).rows[0].value == 4325  # every year is stored


def test_a_trend_reads_the_stored_totals_but_a_filter_or_a_partial_year_does_not(demo):
    kpi = "jeugdigen_met_jeugdhulp"  # value = n
    trend = KpiRequest(kpi, dt.date(2024, 1, 1), dt.date(2025, 12, 31), per="jaar")
    before = compute(demo, trend).rows
    corrupt(demo, kpi, dt.date(2025, 1, 1), dt.date(2025, 12, 31), 123_456)
    after = compute(demo, trend).rows
    assert after[0] == before[0] and (after[1].n, after[1].value) == (123_456, 123_456)

    assert compute(demo, KpiRequest.for_year(kpi, 2025)).rows[0].n == 123_456  # a year's total too
    over_the_facts = before[1].n
    for request in (KpiRequest.for_year(kpi, 2025, where={"hulpvorm": "ambulant"}),
                    KpiRequest(kpi, dt.date(2025, 1, 1), dt.date(2025, 12, 31), per="kwartaal"),
                    KpiRequest(kpi, dt.date(2025, 1, 2), dt.date(2025, 12, 31))):
        counts = [row.n for row in compute(demo, request).rows if not row.suppressed]
        assert counts and all(0 < n <= over_the_facts for n in counts), request


def test_a_quarter_or_a_month_reads_its_own_stored_total(demo):
    kpi = "instroom"
    q3 = (dt.date(2025, 7, 1), dt.date(2025, 9, 30))
    march = (dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    with demo.begin() as conn:  # instroom's value is its aggregate "aantal"; set it with n
        c = KPI_TOTALEN.c
        for (van, tot), value in ((q3, 777), (march, 555)):
            conn.execute(update(KPI_TOTALEN).where(c.kpi_id == kpi, c.van == van, c.tot == tot)
                         .values(n=value, aggregaten={"aantal": value}))
    per_kwartaal = compute(demo, KpiRequest(kpi, dt.date(2025, 1, 1), dt.date(2025, 12, 31), per="kwartaal")).rows
    assert [r.value for r in per_kwartaal][2] == 777 and 777 not in [r.value for r in per_kwartaal][:2]
    per_maand = compute(demo, KpiRequest(kpi, dt.date(2025, 1, 1), dt.date(2025, 6, 30), per="maand")).rows
    assert per_maand[2].value == 555
    # a partial month is no calendar month: the facts
    assert compute(demo, KpiRequest(kpi, dt.date(2025, 3, 1), dt.date(2025, 3, 30))).rows[0].value != 555


def test_stored_totals_of_an_older_load_or_another_definition_are_never_read(demo, monkeypatch):
    request = KpiRequest.for_year("pct_uitval", 2025)
    truth = compute(demo, request).rows
    corrupt(demo, "pct_uitval", dt.date(2025, 1, 1), dt.date(2025, 12, 31), 7)
    assert compute(demo, request).rows != truth

    # a changed KPI query (an upgrade of the catalogue) has another definition hash
    monkeypatch.setattr(totals, "definition", lambda kpi_id, dialect, by=None: "een andere definitie")
    assert compute(demo, request).rows == truth
    monkeypatch.undo()

    # a later load that did not compute them (here: a load-log row written by hand)
    with demo.begin() as conn:
        conn.execute(insert(LoadLog).values(geladen_op=dt.datetime.now(), bron="test", bestanden=[]))
    assert compute(demo, request).rows == truth


def test_rebuilding_the_summaries_drops_them(demo):
    """Facts written outside a load are followed by summaries.rebuild: stale totals go."""
    with demo.begin() as conn:
        summaries.rebuild(conn)
    assert stored_rows(demo) == 0


def test_the_load_command_stores_them_and_a_failed_load_changes_nothing(backend_url, tmp_path):
    from data.__main__ import main
    from data.db import make_engine
    from data.warehouse.demo import generate_folder

    folder = tmp_path / "levering"
    generate_folder(folder, seed=3)
    assert main(["load", str(folder), "--db", backend_url]) == 0
    engine = make_engine(backend_url)
    assert stored_rows(engine) == EXPECTED_ROWS and stored_rows(engine, totals_only=False) > EXPECTED_ROWS
    with engine.connect() as conn:
        newest = conn.scalar(select(func.max(LoadLog.id)))
        assert set(conn.scalars(select(KPI_TOTALEN.c.laadlog_id).distinct())) == {newest}
        stored_before = sorted(map(tuple, conn.execute(select(KPI_TOTALEN))), key=repr)

    with open(folder / "trajecten.csv", "a", encoding="utf-8") as file:
        file.write("T-KAPOT,J-KAPOT\n")  # a row with two of its columns
    assert main(["load", str(folder), "--db", backend_url]) == 2
    with engine.connect() as conn:
        assert sorted(map(tuple, conn.execute(select(KPI_TOTALEN))), key=repr) == stored_before
    engine.dispose()


def test_a_load_refreshes_the_statistics_of_the_stored_rows(warehouse, tmp_path):
    """Millions of stored rows replace those of the last load: the planner learns of them in the
    load (ANALYZE) and the loader vacuums the old ones away after it, as it does the facts'. (What
    the loader does to the table does not depend on the delivery's size: a small one will do.)"""
    if warehouse.dialect.name != "postgresql":
        pytest.skip("statistics and VACUUM: PostgreSQL only")
    from sqlalchemy import text

    from data.warehouse.loader import load_folder
    from tests.test_loader import VALID, write_folder

    load_folder(warehouse, write_folder(tmp_path, VALID), derive=totals.rebuild)
    assert stored_rows(warehouse) > 0
    with warehouse.connect() as conn:
        conn.execute(text("SELECT pg_stat_clear_snapshot()"))
        vacuumed, analysed = conn.execute(text(
            "SELECT last_vacuum, coalesce(last_analyze, last_autoanalyze) FROM pg_stat_user_tables "
            "WHERE relname = 'kpi_totalen' AND schemaname = current_schema()")).one()
    assert vacuumed is not None and analysed is not None


def test_ensure_stores_them_only_when_the_newest_load_has_none(request, backend):
    warehouse = shared_demo(request)  # loaded by a caller that does not derive them
    assert stored_rows(warehouse) == 0
    assert totals.ensure(warehouse) == stored_rows(warehouse, totals_only=False)
    assert stored_rows(warehouse) == EXPECTED_ROWS
    assert totals.ensure(warehouse) == 0
    with warehouse.begin() as conn:  # a new load
        conn.execute(insert(LoadLog).values(geladen_op=dt.datetime.now(), bron="test", bestanden=[]))
    assert totals.ensure(warehouse) == stored_rows(warehouse, totals_only=False)
    assert stored_rows(warehouse) == EXPECTED_ROWS


def test_ensure_stores_them_again_when_a_kpis_query_changed(warehouse, monkeypatch):
    """An upgrade that changes a KPI's query leaves stored rows that are never read: ensure stores
    them anew (on a small warehouse: what ensure decides does not depend on its size)."""
    from tests import handmade_warehouse

    handmade_warehouse.fill(warehouse)
    with warehouse.begin() as conn:
        conn.execute(insert(LoadLog).values(geladen_op=dt.datetime.now(), bron="test", bestanden=[]))
    assert totals.ensure(warehouse) > 0 and totals.ensure(warehouse) == 0
    upgraded = totals.definition

    def changed(kpi_id, dialect_name, by=None):
        return "een andere definitie" if kpi_id == "instroom" else upgraded(kpi_id, dialect_name, by)

    monkeypatch.setattr(totals, "definition", changed)
    assert totals.ensure(warehouse) == stored_rows(warehouse, totals_only=False)
    with warehouse.connect() as conn:
        c = KPI_TOTALEN.c
        assert conn.scalar(select(func.count()).where(c.kpi_id == "instroom", c.definitie == "een andere definitie")) > 0
    assert totals.ensure(warehouse) == 0


def test_a_warehouse_without_facts_stores_nothing(warehouse):
    with warehouse.begin() as conn:
        conn.execute(insert(LoadLog).values(geladen_op=dt.datetime.now(), bron="leeg", bestanden=[]))
        assert totals.rebuild(conn) == 0
    assert compute(warehouse, KpiRequest.for_year("instroom", 2025, suppress=False)).rows[0].n == 0


def test_decimal_sums_keep_their_type():
    from decimal import Decimal

    for value in (Decimal("12.50"), 3, 2.5, None, 10**15):
        decoded = totals._decode(totals._encode(value))
        assert decoded == value and type(decoded) is type(value)


def test_every_year_is_stored_the_quarters_of_the_last_four_and_the_months_of_the_last_three():
    """Quarters of four years: three whole years up to the last complete one, and the running one."""
    years = range(2017, 2027)
    instroom = totals.periods_to_store(CATALOGUE["instroom"], years)
    assert [len(subs) for subs in instroom] == [10, 16, 36]
    assert (instroom[1][0].van, instroom[1][-1].tot) == (dt.date(2023, 1, 1), dt.date(2026, 12, 31))
    assert (instroom[2][0].van, instroom[2][-1].tot) == (dt.date(2024, 1, 1), dt.date(2026, 12, 31))
    budget = totals.periods_to_store(CATALOGUE["pct_budget_besteed"], years)  # calendar years only
    assert [len(subs) for subs in budget] == [10]
    assert [len(s) for s in totals.periods_to_store(CATALOGUE["instroom"], range(2026, 2027))] == [1, 4, 12]


def test_a_filters_linked_breakdown_reads_the_stored_groups_also_where_users_cannot_ask_it(demo, monkeypatch):
    """Rule 3 reads a filtered request's breakdown by the filter's dimension (kpi/privacy.py). The
    load stores the breakdowns of every dimension a KPI can be filtered on, also those it cannot be
    broken down by (pct_budget_besteed of one wijk), and those stored groups equal the facts'."""
    from kpi import DIMENSIONS
    from kpi.computation import linked_counts
    from kpi.request import resolve

    extra = [(kpi, dimension) for kpi in DEMO_KPIS for dimension in kpi.filters
             if dimension not in kpi.breakdowns]
    assert ("pct_budget_besteed", "wijk") in [(kpi.id, dimension) for kpi, dimension in extra]
    c = KPI_TOTALEN.c
    with demo.connect() as conn:
        for kpi, dimension in extra:
            code_list = DIMENSIONS[dimension].code_list
            value = code_list.values[0] if code_list else "x"  # the filter's value does not matter here
            request = resolve(KpiRequest.for_year(kpi.id, 2025, where={dimension: value}))
            stored = linked_counts(conn, request, dimension)
            assert conn.scalar(select(func.count()).where(c.kpi_id == kpi.id, c.dimensie == dimension,
                                                          c.van == dt.date(2025, 1, 1))), (kpi.id, dimension)
            with monkeypatch.context() as patch:
                patch.setattr(totals, "stored", lambda _conn, _req: {})
                assert linked_counts(conn, request, dimension) == stored, (kpi.id, dimension)


def test_a_statement_asked_again_runs_once_and_one_with_another_value_runs_again(warehouse):
    """totals.SameStatementsOnce: the kosten KPIs build the same statements apart; each runs once,
    and a statement differing only in a bound value (a population's code) or a parameter does not
    take another's rows."""
    from data.warehouse.schema import Wijk

    with warehouse.begin() as conn:
        conn.execute(insert(Wijk), [
            {"wijk_code": "W1", "wijk_naam": "Een", "gemeente_code": "GM1", "gemeente_naam": "G"},
            {"wijk_code": "W2", "wijk_naam": "Twee", "gemeente_code": "GM1", "gemeente_naam": "G"}])
        ran = []
        event.listen(conn, "before_cursor_execute", lambda *args: ran.append(args[2]))
        run = totals.SameStatementsOnce(conn)

        def names(code, *, lower=""):
            return run(select(Wijk.wijk_naam.label("naam")).where(Wijk.wijk_code == code, Wijk.wijk_naam > lower), {})

        assert names("W1") == [{"naam": "Een"}] and names("W1") == [{"naam": "Een"}]
        assert len(ran) == 1
        assert names("W2") == [{"naam": "Twee"}] and names("W1", lower="F") == []
        assert len(ran) == 3
        run.next_kpi()
        run.next_kpi()  # kept for the current and the previous KPI only
        assert names("W1") == [{"naam": "Een"}] and len(ran) == 4
        statement = select(Wijk.wijk_naam.label("naam")).where(Wijk.wijk_code == bindparam("code"))
        assert run(statement, {"code": "W2"}) == [{"naam": "Twee"}] and run(statement, {"code": "W1"}) == [{"naam": "Een"}]
        assert len(ran) == 6
