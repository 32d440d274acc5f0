"""The planner (kpi/sources.py): every source that claims a KPI answers exactly as the facts do —
on random warehouses and random requests, on SQLite and PostgreSQL — and a KPI added only to the
catalogue, with any population, is either computed (from the facts where no summary can) or
refused when the catalogue loads; it never breaks a load."""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from data import schema as s
from kpi import CATALOGUE, KpiRequest, compute, sources
from kpi import measures as m
from kpi.request import resolve
from kpi.sources import (
    COUNTS_PER_YEAR,
    FACTS,
    KOSTEN_PER_MONTH,
    KOSTEN_PER_YEAR,
    RUNNING_PER_YEAR,
    STORED,
    CatalogueError,
    Plan,
    check_catalogue,
    claiming,
)
from tests.test_kpi_oracle import FILTER_VALUE, fill, fill_for_kpis, store_totals, warehouses

D = dt.date

# Every (KPI, source other than the facts) the catalogue has.
CLAIMS = [(kpi_id, source) for kpi_id in sorted(CATALOGUE) for source in claiming(CATALOGUE[kpi_id])
          if source is not FACTS]


YEAR = st.sampled_from([2023, 2024, 2025])
PER_YEAR_OR_NOT = st.sampled_from([None, "jaar"])
START = st.integers(0, 700).map(lambda d: D(2023, 6, 1) + dt.timedelta(days=d))
LENGTH = st.integers(0, 400)
FILTERS = st.sampled_from(["geen", "gemeente", "vrij"])


def requests(kpi_id) -> st.SearchStrategy:
    """Requests the derived tables answer as often as the facts: whole calendar years (one or a
    trend), without a filter, with a gemeente only, or with any filter; otherwise any period.
    Its own strategies are built here, once per test, not in every draw (the draws are the same)."""
    kpi = CATALOGUE[kpi_id]
    shapes = st.sampled_from(["jaar", "jaren", "vrij"] if not kpi.alleen_kalenderjaar else ["jaar"])
    pers = st.sampled_from((None,) + kpi.per_toegestaan)
    bys = st.sampled_from((None,) + kpi.breakdowns)
    dimensions = st.lists(st.sampled_from(kpi.filters), min_size=1, max_size=2, unique=True)

    @st.composite
    def request(draw):
        shape = draw(shapes)
        if shape == "jaar":
            year = draw(YEAR)
            van, tot, per = D(year, 1, 1), D(year, 12, 31), None
        elif shape == "jaren":
            van, tot, per = D(2023, 1, 1), D(2025, 12, 31), draw(PER_YEAR_OR_NOT)
        else:
            van = draw(START)
            tot = van + dt.timedelta(days=draw(LENGTH))
            per = draw(pers)
        by = draw(bys)
        filters = draw(FILTERS)
        if filters == "geen":
            where = {}
        elif filters == "gemeente":
            where = {"gemeente": draw(FILTER_VALUE["gemeente"])}
        else:
            where = {d: draw(FILTER_VALUE[d]) for d in draw(dimensions)}
        return KpiRequest(kpi_id, van, tot, per=per, by=by, where=where, suppress=False)
    return request()


# The claims share each random warehouse, CLAIMS_PER_TEST per test, each with its own requests: a
# warehouse drawn and filled per claim was most of an example's time. Every claim still meets as
# many warehouses and requests as in a test of its own.
CLAIMS_PER_TEST = 6
CLAIM_GROUPS = [CLAIMS[i:i + CLAIMS_PER_TEST] for i in range(0, len(CLAIMS), CLAIMS_PER_TEST)]


@pytest.mark.parametrize("claims", CLAIM_GROUPS, ids=lambda claims: f"{claims[0][0]}-{claims[0][1]}.."
                                                                    f"{claims[-1][0]}-{claims[-1][1]}")
def test_a_source_answers_as_the_facts_do(warehouse, claims):
    @settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(ds=warehouses(), reqs_per_claim=st.tuples(*(st.lists(requests(kpi_id), min_size=2, max_size=5)
                                                       for kpi_id, _source in claims)))
    def check(ds, reqs_per_claim):
        fill_for_kpis(warehouse, ds, {kpi_id for kpi_id, _source in claims})   # with the summaries they read
        for (kpi_id, source), reqs in zip(claims, reqs_per_claim, strict=True):
            store_totals(warehouse, kpi_id, reqs)             # the KPI's stored totals the requests read
            for request in reqs:
                got = compute(warehouse, request, sources={source})
                assert got.rows == compute(warehouse, request, sources=()).rows, (source, request)

    check()


def chosen(request: KpiRequest, covered_to: int | None = 2025) -> list:
    resolved = resolve(request)
    return [Plan(covered_to=covered_to).source(resolved, sub).family for sub in resolved.sub_periods]


Y = 2025


@pytest.mark.parametrize("request_,expected", [
    (KpiRequest.for_year("jeugdigen_met_jeugdhulp", Y), [COUNTS_PER_YEAR]),
    (KpiRequest.for_year("jeugdigen_met_jeugdhulp", Y, by="school", where={"gemeente": "GM1"}), [RUNNING_PER_YEAR]),
    (KpiRequest.for_year("jeugdigen_met_jeugdhulp", Y, where={"hulpvorm": "ambulant"}), [RUNNING_PER_YEAR]),
    (KpiRequest("jeugdigen_met_jeugdhulp", D(Y, 1, 1), D(Y, 6, 30), per="kwartaal"), [FACTS, FACTS]),
    (KpiRequest("jeugdigen_met_jeugdhulp", D(2025, 1, 1), D(2026, 12, 31), per="jaar"), [COUNTS_PER_YEAR, FACTS]),
    (KpiRequest.for_year("pct_jeugdigen_met_jeugdhulp", Y, by="wijk"), [RUNNING_PER_YEAR]),
    (KpiRequest.for_year("totale_kosten", Y, by="wijk"), [KOSTEN_PER_YEAR]),
    (KpiRequest("totale_kosten", D(Y, 1, 1), D(Y, 6, 30), per="kwartaal"), [KOSTEN_PER_MONTH, KOSTEN_PER_MONTH]),
    (KpiRequest.for_year("instroom", Y, by="wijk"), [FACTS]),
    # within one wijk or school the index on the trajecten finds the facts: no summary
    (KpiRequest.for_year("totale_kosten", Y, by="verwijzer", where={"wijk": "W1"}), [FACTS]),
    (KpiRequest("kosten_per_jeugdige", D(Y, 1, 1), D(Y, 6, 30), per="kwartaal", where={"school": "S1"}), [FACTS, FACTS]),
    (KpiRequest.for_year("jeugdigen_met_jeugdhulp", Y, where={"wijk": "W1"}), [FACTS]),
    (KpiRequest("totale_kosten", D(Y, 1, 1), D(Y, 6, 30), per="kwartaal", where={"verwijzer": "huisarts"}),
     [KOSTEN_PER_MONTH, KOSTEN_PER_MONTH]),
    (KpiRequest.for_year("pct_herinstroom", Y), [FACTS]),
], ids=lambda v: v.kpi if isinstance(v, KpiRequest) else None)
def test_the_plan_takes_the_cheapest_source_that_answers(request_, expected):
    assert chosen(request_) == expected


def test_without_the_running_summary_the_plan_reads_the_facts():
    assert chosen(KpiRequest.for_year("jeugdigen_met_jeugdhulp", Y), covered_to=None) == [FACTS]


# --- a KPI added only to the catalogue ---------------------------------------------------------

ENDED_AND_RUNNING = replace(CATALOGUE["jeugdigen_met_jeugdhulp"], id="jeugdigen_met_afgesloten_traject",
                            naam="Jeugdigen met een afgesloten traject",
                            populatie=lambda c: c.t.einddatum.is_not(None))


def test_a_population_on_a_column_the_summaries_lack_is_read_from_the_facts():
    assert RUNNING_PER_YEAR not in claiming(ENDED_AND_RUNNING)
    assert COUNTS_PER_YEAR not in claiming(ENDED_AND_RUNNING)
    assert sources.columns_read(ENDED_AND_RUNNING) == {("t", "einddatum")}


def test_a_catalogue_only_kpi_computes_a_whole_year_and_never_breaks_a_load(warehouse, monkeypatch):
    """The review's case: a copy of jeugdigen_met_jeugdhulp with a population on einddatum crashed
    for a calendar year (the summary of running trajecten has no einddatum), and so did the load
    that stores every KPI's totals."""
    monkeypatch.setitem(CATALOGUE, ENDED_AND_RUNNING.id, ENDED_AND_RUNNING)
    ds = {"wijken": [dict(wijk_code="W1", wijk_naam="Centrum", gemeente_code="GM1", gemeente_naam="Een")],
          "scholen": [], "aanbieders": [], "verblijf": [], "kosten": [], "budget": [], "tevredenheid": [],
          "bevolking": [],
          "trajecten": [dict(traject_id=f"T{i}", jeugdige_id=f"J{i % 3}", geboortejaar=2012, wijk_code="W1",
                             verwijzer="huisarts", hulpvorm="ambulant", startdatum=D(2024, 3, 1),
                             einddatum=end, reden_einde="volgens_plan" if end else None, financiering="zin")
                        for i, end in enumerate([None, D(2025, 2, 1), D(2025, 8, 1), None])]}
    fill(warehouse, ds, kpi_id=ENDED_AND_RUNNING.id)     # the load's step that stores the totals
    with warehouse.connect() as conn:
        stored = conn.scalar(select(func.count()).select_from(s.KPI_TOTALEN)
                             .where(s.KPI_TOTALEN.c.kpi_id == ENDED_AND_RUNNING.id))
    assert stored > 0
    year = compute(warehouse, KpiRequest.for_year(ENDED_AND_RUNNING.id, 2025, suppress=False)).rows
    assert [row.n for row in year] == [2]                # J1 and J2 have an ended traject running in 2025
    by_wijk = compute(warehouse, KpiRequest.for_year(ENDED_AND_RUNNING.id, 2025, by="wijk", suppress=False))
    assert [row.n for row in by_wijk.rows] == [2]
    assert year == compute(warehouse, KpiRequest.for_year(ENDED_AND_RUNNING.id, 2025, suppress=False),
                           sources=()).rows


def test_a_kpi_reading_a_column_that_does_not_exist_is_refused_when_the_catalogue_loads():
    broken = replace(CATALOGUE["instroom"], id="stuk", populatie=lambda c: c.t.einddatum_gepland.is_(None))
    with pytest.raises(CatalogueError, match="stuk.*einddatum_gepland"):
        check_catalogue([broken])


def test_a_fact_and_moment_the_engine_cannot_select_are_refused_when_the_catalogue_loads():
    with pytest.raises(ValueError, match="kosten/actief"):
        m.Records("kosten", "actief", "kostenregels die lopen")


def test_every_kpi_is_claimed_by_the_facts_and_the_stored_totals():
    for kpi in CATALOGUE.values():
        assert claiming(kpi)[0] is STORED and claiming(kpi)[-1] is FACTS


def test_stored_totals_are_read_only_when_the_plan_allows_them(warehouse):
    """The stored rows stand in for the facts only when allowed: corrupt one and see who reads it."""
    ds = {"wijken": [dict(wijk_code="W1", wijk_naam="Centrum", gemeente_code="GM1", gemeente_naam="Een")],
          "scholen": [], "aanbieders": [], "verblijf": [], "kosten": [], "budget": [], "tevredenheid": [],
          "bevolking": [],
          "trajecten": [dict(traject_id="T1", jeugdige_id="J1", geboortejaar=2012, wijk_code="W1",
                             verwijzer="huisarts", hulpvorm="ambulant", startdatum=D(2025, 3, 1), einddatum=None,
                             reden_einde=None, financiering="zin")]}
    fill(warehouse, ds, kpi_id="instroom")
    with warehouse.begin() as conn:
        conn.execute(s.KPI_TOTALEN.update().where(s.KPI_TOTALEN.c.kpi_id == "instroom").values(n=99))
    request = KpiRequest.for_year("instroom", 2025, suppress=False)
    assert compute(warehouse, request, sources={STORED}).rows[0].n == 99   # the corrupted stored row
    assert compute(warehouse, request, sources=()).rows[0].n == 1


# --- golden SQL ----------------------------------------------------------------------------------
# Per KPI, dialect and source, the SQL the engine sends, kept in tests/golden_sql/ and reviewed in
# the diff when it changes (`UPDATE_GOLDEN_SQL=1 python -m pytest tests/test_sources.py -k golden`
# writes them anew). The result tests above prove the numbers; these show what the database is asked.

GOLDEN = Path(__file__).parent / "golden_sql"
GOLDEN_REQUESTS = {   # a request each source answers
    COUNTS_PER_YEAR: lambda kpi: KpiRequest.for_year(kpi.id, Y, by="wijk"),
    RUNNING_PER_YEAR: lambda kpi: KpiRequest.for_year(kpi.id, Y, by="wijk", where={"hulpvorm": "ambulant"}),
    KOSTEN_PER_YEAR: lambda kpi: KpiRequest.for_year(kpi.id, Y, by="gemeente"),
    KOSTEN_PER_MONTH: lambda kpi: KpiRequest(kpi.id, D(Y, 1, 1), D(Y, 3, 31), by="gemeente"),
    FACTS: lambda kpi: KpiRequest.for_year(kpi.id, Y, by=kpi.breakdowns[0], where={"gemeente": "GM0406"}),
}
GOLDEN_CASES = [(kpi_id, source, dialect) for kpi_id in sorted(CATALOGUE) for source in claiming(CATALOGUE[kpi_id])
                if source is not STORED for dialect in ("sqlite", "postgresql")]


def golden_sql(kpi_id: str, source, dialect_name: str) -> str:
    from sqlalchemy.dialects import postgresql, sqlite

    from kpi.query import main_query

    resolved = resolve(GOLDEN_REQUESTS[source](CATALOGUE[kpi_id]))
    plan = Plan(covered_to=Y, allowed=frozenset({source}))
    assert {plan.source(resolved, sub).family for sub in resolved.sub_periods} == {source}
    statement, _names, parameters = main_query(resolved, plan)
    dialect = postgresql.dialect() if dialect_name == "postgresql" else sqlite.dialect()
    compiled = statement.compile(dialect=dialect)
    binds = "\n".join(f"-- {name} = {value!r}" for name, value in sorted(compiled.construct_params(parameters).items()))
    return f"{compiled}\n{binds}\n"


@pytest.mark.parametrize("kpi_id,source,dialect", GOLDEN_CASES, ids=[f"{k}-{s}-{d}" for k, s, d in GOLDEN_CASES])
def test_golden_sql(kpi_id, source, dialect):
    path = GOLDEN / kpi_id / f"{source}.{dialect}.sql"
    sql = golden_sql(kpi_id, source, dialect)
    if os.environ.get("UPDATE_GOLDEN_SQL") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(sql, encoding="utf-8")
    assert path.exists(), f"{path} ontbreekt: maak hem met UPDATE_GOLDEN_SQL=1"
    assert sql == path.read_text(encoding="utf-8")


# The load's breakdowns of a year on PostgreSQL: every dimension one pass reads (kpi/totals.py
# `fetch_breakdowns`), one GROUPING SETS statement per pass of more than one dimension.
BREAKDOWNS_CASES = [kpi_id for kpi_id in sorted(CATALOGUE) if len(CATALOGUE[kpi_id].breakdowns) > 1]


def golden_breakdowns_sql(kpi_id: str) -> str:
    from sqlalchemy.dialects import postgresql

    from kpi import totals
    from kpi.periods import split
    from kpi.query import breakdowns_query

    kpi = CATALOGUE[kpi_id]
    sub = split(D(Y, 1, 1), D(Y, 12, 31), "jaar")[0]
    plan = Plan(covered_to=Y, allowed=totals.ALL_BUT_STORED)
    out = []
    for one_pass in totals.breakdown_passes(kpi, sub, kpi.breakdowns, plan):
        if len(one_pass) > 1:
            req = replace(totals.template_request(kpi), van=sub.van, tot=sub.tot, by=one_pass[0], sub_periods=(sub,))
            statement, _names, parameters = breakdowns_query(req, sub, one_pass, plan)
            compiled = statement.compile(dialect=postgresql.dialect())
            binds = "\n".join(f"-- {name} = {value!r}"
                              for name, value in sorted(compiled.construct_params(parameters).items()))
            out.append(f"-- {', '.join(one_pass)}\n{compiled}\n{binds}\n")
        else:
            out.append(f"-- {one_pass[0]}: its own statement\n")
    return "\n".join(out)


@pytest.mark.parametrize("kpi_id", BREAKDOWNS_CASES)
def test_golden_sql_of_the_loads_breakdowns(kpi_id):
    path = GOLDEN / kpi_id / "uitsplitsingen.postgresql.sql"
    sql = golden_breakdowns_sql(kpi_id)
    if os.environ.get("UPDATE_GOLDEN_SQL") == "1":
        path.write_text(sql, encoding="utf-8")
    assert path.exists(), f"{path} ontbreekt: maak hem met UPDATE_GOLDEN_SQL=1"
    assert sql == path.read_text(encoding="utf-8")


def test_every_golden_file_belongs_to_a_case():
    expected = {GOLDEN / k / f"{s}.{d}.sql" for k, s, d in GOLDEN_CASES}
    expected |= {GOLDEN / k / "uitsplitsingen.postgresql.sql" for k in BREAKDOWNS_CASES}
    assert set(GOLDEN.glob("*/*.sql")) == expected
