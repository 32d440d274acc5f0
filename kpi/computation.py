"""Computing a request: its rows from the cheapest sources (the stored totals, then per sub-period
what the planner chooses, kpi/sources.py), the measure's values, and disclosure control
(kpi/privacy.py) with rule 3's linked breakdowns. The SQL itself is built in kpi/query.py.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Callable, Iterable

from sqlalchemy.engine import Connection, Engine

from kpi import privacy, sources, totals
from kpi.query import denominators, group_label, main_query, pair_counts_query, periods_table, plan_for
from kpi.request import KpiRequest, ResolvedRequest, resolve
from kpi.result import KpiResult, KpiRow, key_order
from kpi.sqlfuncs import tune_for_aggregates


def aggregate_rows(conn: Connection, req: ResolvedRequest,
                   allowed: frozenset | None = None) -> tuple[dict[int, list[dict]], list[str]]:
    """What the database returns for a request — per sub-period index its rows (key, label, n and
    the measure's aggregates) — and the aggregates' names. What the load stored (kpi/totals.py:
    totals of calendar years, quarters and months, and breakdowns of every year, without filters;
    a total within one group of a dimension) is taken from there; the other sub-periods are
    computed, each from the source the plan chooses (kpi/sources.py); `allowed`: only these
    sources besides the facts (None: every one)."""
    plan = sources.Plan(allowed=allowed)
    stored = totals.stored(conn, req) if plan.may_use(sources.STORED) else {}
    by_period: dict[int, list[dict]] = dict(stored)
    first = next(iter(stored.values()), [{}])[0]
    aggregate_names = [name for name in first if name not in ("idx", "key", "label", "n")]
    if len(stored) < len(req.sub_periods):
        tune_for_aggregates(conn, few_facts_per_traject_lookup=req.kpi.bron.fact in ("tevredenheid", "verblijf"),
                            one_period=len(req.sub_periods) - len(stored) == 1)
        statement, aggregate_names, parameters = main_query(req, plan_for(conn, req, allowed), frozenset(stored))
        for row in conn.execute(statement, parameters).mappings():
            by_period.setdefault(row["idx"], []).append(dict(row))
    return by_period, aggregate_names


#: rule 3's verdicts of one filter dimension, for the given groups of the breakdown (None: all):
#: {sub-period index: {row key: groups hidden}}
LinkedVerdicts = Callable[[ResolvedRequest, str, "frozenset | None"], dict]
#: a breakdown with at most this many groups asks rule 3's pair counts for its own groups only (an
#: index finds them), instead of every group of the dimension (a pass over the year's facts)
LINKED_GROUPS_NAMED = 1000


def compute_resolved(conn: Connection, req: ResolvedRequest, linked: LinkedVerdicts | None = None,
                     allowed: frozenset | None = None) -> KpiResult:
    """The request's rows, with disclosure control applied (unless it is off). `linked(req, D)`
    gives rule 3's verdicts for the filter on D (`linked_verdicts` on this connection by default;
    the service passes a cached one); `allowed`: read only these sources besides the facts."""
    by_period, aggregate_names = aggregate_rows(conn, req, allowed)
    noemers = denominators(conn, req, periods_table(req.sub_periods))
    measure = req.kpi.maat
    groups = None
    if req.by is not None:
        keys = frozenset(row.get("key") for found in by_period.values() for row in found)
        groups = keys if len(keys) <= LINKED_GROUPS_NAMED else None
    verdicts = _linked_verdicts(req, groups, linked or (lambda r, d, g: linked_verdicts(conn, r, d, g)))

    rows: list[KpiRow] = []
    for idx, sub in enumerate(req.sub_periods):
        found = by_period.get(idx, [])
        if req.by is None and not found:  # a total always has a row, also when empty
            found = [{"n": 0, **{name: 0 for name in aggregate_names}}]
        period_rows = []
        for row in found:
            key = row.get("key") if req.by else None
            n = int(row["n"])
            aggregates = {name: (row[name] if row[name] is not None else 0)
                          for name in aggregate_names}
            value = measure.value(aggregates, n, noemers.get((idx, key)))
            label = group_label(req.by, key, row.get("label")) if req.by else "Totaal"
            period_rows.append(KpiRow(sub.label, key, label, value, n))
        period_rows.sort(key=lambda r: key_order(r.key))
        if req.min_cell_size is not None:
            period_rows = privacy.protect(
                period_rows, threshold=req.min_cell_size, base=req.afronding or 1, breakdown=req.by is not None,
                detailed=req.detailed, where=req.where, count_value=req.kpi.eenheid == privacy.COUNT_UNIT,
                linked={dimension: by_row.get(idx, {}) for dimension, by_row in verdicts.items()})
        rows.extend(period_rows)
    return KpiResult(req, tuple(rows))


def linked_verdicts(conn: Connection, req: ResolvedRequest, dimension: str,
                    groups: frozenset | None = None) -> dict[int, dict]:
    """Rule 3 for the filter on `dimension`: {sub-period index: {row key: the groups rules 1–2
    hide in the linked breakdown}}, for the breakdown's `groups` (None: all)."""
    return privacy.verdicts_by_period(linked_counts(conn, req, dimension, groups), req.min_cell_size)


def _linked_verdicts(req: ResolvedRequest, groups: frozenset | None, linked: LinkedVerdicts) -> dict[str, dict[int, dict]]:
    """Rule 3 for every filter that needs it; nothing when suppression is off or there is no filter."""
    if req.min_cell_size is None:
        return {}
    return {dimension: linked(req, dimension, groups) for dimension in privacy.linked_dimensions(req.by, req.where)}


def compute(bind: Engine | Connection, request: KpiRequest, sources: Iterable | None = None) -> KpiResult:
    """Compute a KPI in the database. Raises KpiRequestError for a request the catalogue refuses.
    `sources`: read only these besides the facts (kpi/sources.py; default every one)."""
    resolved = resolve(request)
    allowed = None if sources is None else frozenset(sources)
    if isinstance(bind, Engine):
        with bind.connect() as conn:
            return compute_resolved(conn, resolved, allowed=allowed)
    return compute_resolved(bind, resolved, allowed=allowed)


def linked_counts(conn: Connection, req: ResolvedRequest, dimension: str,
                  groups: frozenset | None = None) -> dict[tuple[int, str | None], dict]:
    """Rule 3's linked breakdown of the filter on `dimension` (kpi/privacy.py): the exact n of
    every group of `dimension` per sub-period, with the request's other filters, and — when the
    request has a breakdown by B — within each group b of B (`groups`: only the b's the request's
    rows have; the verdicts of other groups are never asked). Returns {(sub-period index, b or
    None): {group: n}}. Without a breakdown this is an ordinary breakdown, read from the stored
    ones where the load stored it; with one, a count per pair of groups over the facts."""
    others = tuple(item for item in req.where if item[0] != dimension)
    linked = replace(req, by=dimension, where=others)
    out: dict[tuple[int, str | None], dict] = {}
    if req.by is None:
        by_period, _names = aggregate_rows(conn, linked)
        for idx, rows in by_period.items():
            out[(idx, None)] = {row["key"]: int(row["n"]) for row in rows}
        return out
    statement, parameters = pair_counts_query(linked, req.by, dimension, plan_for(conn, linked), groups)
    tune_for_aggregates(conn, few_facts_per_traject_lookup=req.kpi.bron.fact in ("tevredenheid", "verblijf"),
                        one_period=len(req.sub_periods) == 1)
    for row in conn.execute(statement, parameters):
        out.setdefault((row.idx, row.outer), {})[row.inner] = int(row.n)
    return out
