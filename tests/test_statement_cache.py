"""One statement per shape (kpi/query.py `main_query`, kpi/statement_cache.py): requests that differ
only in their dates or their filters' values run the same statement object, each with its own
values, and the statements kept are bounded by their SELECT branches."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from sqlalchemy.exc import StatementError

from kpi import KpiRequest, compute
from kpi.query import STATEMENTS, main_query, sub_period_query
from kpi.request import resolve
from kpi.sources import FACTS, Plan
from kpi.statement_cache import StatementCache
from tests import handmade_warehouse
from tests.conftest import loaded_warehouse
from tests.test_kpi_by_hand import CASES, request

FACTS_ONLY = Plan(allowed=frozenset({FACTS}))


@pytest.fixture
def handmade(request, backend):
    return loaded_warehouse(request, "handmade", handmade_warehouse.fill)


def test_the_cache_returns_what_it_built_and_keeps_statements_up_to_its_branches():
    cache = StatementCache(max_branches=10)
    built = []

    def build(name):
        built.append(name)
        return object()

    first = cache.get("a", 4, lambda: build("a"))
    assert cache.get("a", 4, lambda: build("a")) is first and built == ["a"]
    cache.get("b", 4, lambda: build("b"))
    cache.get("a", 4, lambda: build("a"))          # a is now the most recently used
    cache.get("c", 4, lambda: build("c"))          # 12 branches > 10: b, the least recently used, goes
    assert (len(cache), cache.branches) == (2, 8)
    cache.get("a", 4, lambda: build("a"))
    cache.get("b", 4, lambda: build("b"))
    assert built == ["a", "b", "c", "b"]
    huge = cache.get("huge", 50, lambda: build("huge"))  # larger than the budget: returned, kept alone
    assert (len(cache), cache.branches) == (1, 50) and cache.get("huge", 50, lambda: build("again")) is huge


def test_years_of_one_shape_share_a_statement_and_each_runs_with_its_own_dates(handmade):
    STATEMENTS.clear()
    year_2024 = resolve(KpiRequest.for_year("instroom", 2024, by="verwijzer"))
    year_2025 = resolve(KpiRequest.for_year("instroom", 2025, by="verwijzer"))
    statement_2024, _names, parameters_2024 = main_query(year_2024, FACTS_ONLY)
    statement_2025, _names, parameters_2025 = main_query(year_2025, FACTS_ONLY)
    assert statement_2025 is statement_2024 and len(STATEMENTS) == 1
    assert (parameters_2024["van_0"], parameters_2025["van_0"]) == (dt.date(2024, 1, 1), dt.date(2025, 1, 1))

    # asked after 2024, 2025 still gives the hand-computed figures
    compute(handmade, request({**CASES["instroom per verwijzer"][0], "van": dt.date(2024, 1, 1),
                               "tot": dt.date(2024, 12, 31)}), sources=())
    spec, expected = CASES["instroom per verwijzer"]
    rows = compute(handmade, request(spec), sources=()).rows
    assert [(r.key, r.value, r.n) for r in rows] == [(key, value, n) for _sub, key, value, n in expected]


def test_filter_values_are_parameters_and_each_request_runs_with_its_own(handmade):
    STATEMENTS.clear()
    results = {}
    for wijk in ("W1", "W2", "W3", None):
        req = resolve(KpiRequest.for_year("jeugdigen_met_jeugdhulp", 2025, where={"wijk": wijk or ""}, suppress=False))
        statement, _names, parameters = main_query(req, FACTS_ONLY)
        with handmade.connect() as conn:
            results[wijk] = conn.execute(statement, parameters).mappings().one()["n"]
            # the same sub-period built with its values, outside the cache, runs as it is
            alone, _names = sub_period_query(req, 0, req.sub_periods[0], FACTS_ONLY)
            assert conn.execute(alone).mappings().one()["n"] == results[wijk]
    assert len(STATEMENTS) == 2                     # a wijk's value is a parameter; the empty wijk (IS NULL) is a shape
    assert results == {"W1": 3, "W2": 2, "W3": 1, None: 0}


def test_a_shapes_statement_does_not_run_without_its_values(handmade):
    statement, _names, _parameters = main_query(resolve(KpiRequest.for_year("instroom", 2025)), FACTS_ONLY)
    with handmade.connect() as conn, pytest.raises(StatementError, match="van_0"):
        conn.execute(statement)


def test_rule_3s_pair_counts_share_a_statement_per_shape_and_count_each_request_apart(handmade):
    """The linked breakdown of a breakdown with a filter (kpi/computation.py `linked_counts`): the
    count per pair of groups equals the filtered breakdown asked group by group, for each year."""
    from kpi.computation import linked_counts
    from kpi.query import pair_counts_query

    STATEMENTS.clear()
    shapes = set()
    for year in (2024, 2025):
        req = resolve(KpiRequest.for_year("jeugdigen_met_jeugdhulp", year, by="wijk", where={"verwijzer": "huisarts"}))
        linked = replace(req, by="verwijzer", where=())
        shapes.add(id(pair_counts_query(linked, "wijk", "verwijzer", FACTS_ONLY, frozenset({"W1", "W2", None}))[0]))
        with handmade.connect() as conn:
            pairs = linked_counts(conn, req, "verwijzer", frozenset({"W1", "W2", "W3"}))
        for wijk in ("W1", "W2", "W3"):
            alone = compute(handmade, KpiRequest.for_year("jeugdigen_met_jeugdhulp", year, by="verwijzer",
                                                          where={"wijk": wijk}, suppress=False), sources=()).rows
            assert pairs.get((0, wijk), {}) == {r.key: r.n for r in alone if r.n}, (year, wijk)
        assert sum(n for counts in pairs.values() for n in counts.values()) > 0
    assert len(shapes) == 1
