"""The query layer: compiles a catalogue entry + request into SQL aggregate queries.

One main statement per request: an aggregate per sub-period, combined with UNION ALL, and the
group labels joined onto the result:

    SELECT agg.*, <label> FROM (
        SELECT <idx>, <group key>, <n>, <measure aggregates>
        FROM <fact> [JOIN trajecten, wijken, …]
        WHERE <record belongs to the sub-period> AND <population> AND <filters>
        GROUP BY <group key>
      UNION ALL …one such SELECT per further sub-period…) agg LEFT JOIN <labels>

Each sub-period's dates are bound values, so its period predicate is a plain range an index can
use. (It used to be one aggregate over a join with a derived table of sub-periods: measured at
national scale on PostgreSQL, that shape ran single-threaded with one big sort by sub-period,
while separate aggregates run as parallel scans.) Two KPIs need a denominator from outside the
facts (bevolking, budget): one more small aggregate query each. Nothing but aggregated rows ever
leaves the database.

Where a sub-period's numbers are read — the facts, or a table the load derived from them (kosten
per jeugdige per month or year, the jeugdigen with a running traject per year, their counts) — is
the planner's choice (kpi/sources.py): each derived table declares which KPIs and requests it can
answer, by the columns the KPI reads and the period's shape.

A total without filters of a calendar year, quarter or month is first looked up among the totals
the load stored (`kpi_totalen`, kpi/totalen.py): the trends of the overview and the explorer.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Callable, Iterable

from sqlalchemy import Date, Integer, and_, func, literal, or_, select, true, union_all
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql.expression import ColumnElement, FromClause

from data.schema import JEUGDIGEN_ACTIEF_JAAR, Bevolking, Budget, Kosten, Tevredenheid, Traject, Verblijf, Wijk
from kpi import privacy, sources
from kpi.dimensions import DIMENSIONS
from kpi.periods import SubPeriod
from kpi.request import KpiRequest, ResolvedRequest, resolve
from kpi.result import KpiResult, KpiRow, key_order
from kpi.sqlfuncs import bytewise, tune_for_aggregates

TRAJECTEN = Traject.__table__
VERBLIJF = Verblijf.__table__
KOSTEN = Kosten.__table__
ANTWOORDEN = Tevredenheid.__table__
WIJKEN = Wijk.__table__
BEVOLKING = Bevolking.__table__
BUDGET = Budget.__table__


def periods_table(subs: tuple[SubPeriod, ...]) -> FromClause:
    """The sub-periods as a derived table p(idx, van, tot, jaar_van, jaar_tot)."""
    # Typed bind parameters, no CAST: SQLite would turn CAST('2025-01-01' AS DATE) into 2025.
    rows = [select(literal(i, Integer).label("idx"),
                   literal(s.van, Date).label("van"),
                   literal(s.tot, Date).label("tot"),
                   literal(s.van.year, Integer).label("jaar_van"),
                   literal(s.tot.year, Integer).label("jaar_tot"))
            for i, s in enumerate(subs)]
    return (union_all(*rows) if len(rows) > 1 else rows[0]).subquery("p")


class SubPeriodValues:
    """A sub-period as bound values, named like the columns of periods_table()."""

    def __init__(self, sub: SubPeriod):
        self.sub = sub
        self.van = literal(sub.van, Date)
        self.tot = literal(sub.tot, Date)
        self.jaar_van = literal(sub.van.year, Integer)
        self.jaar_tot = literal(sub.tot.year, Integer)


class QueryContext:
    """What the catalogue's column builders see: the tables' columns and the sub-period."""
    t = TRAJECTEN.c
    v = VERBLIJF.c
    k = KOSTEN.c
    a = ANTWOORDEN.c

    def __init__(self, p: Any, k: Any = None, t: Any = None):
        self.p = p
        if k is not None:  # the kosten summary stands in for the kosten rows
            self.k = k
        if t is not None:  # the summary of running trajecten stands in for the trajecten
            self.t = t


class _FromBuilder:
    """The FROM clause of the main query, with dimension tables joined only when needed."""

    def __init__(self, req: ResolvedRequest, p: SubPeriodValues, source: sources.Source):
        self.req = req
        self.answers = req.kpi.bron.counts_answers
        self.source = source
        self.from_, self.in_period = source.records(req.kpi, p)
        # Where the traject keys and the jeugdige of a record are read: a summary carries them.
        self.attrs = source.table.c if source.table is not None else TRAJECTEN.c
        self._wijken = None

    def wijken(self):
        """wijken joined to the facts: only for the gemeente of a traject."""
        if self._wijken is None:
            self.from_ = self.from_.outerjoin(WIJKEN, WIJKEN.c.wijk_code == self.attrs.wijk_code)
            self._wijken = WIJKEN.c
        return self._wijken

    def key(self, dimension: str) -> ColumnElement:
        t = self.attrs
        if dimension == "wijk":
            return t.wijk_code
        if dimension == "gemeente":
            return ANTWOORDEN.c.gemeente_code if self.answers else self.wijken().gemeente_code
        if dimension == "respondent":
            return ANTWOORDEN.c.respondent
        return {"school": t.school_code, "verwijzer": t.verwijzer, "hulpvorm": t.hulpvorm,
                "aanbieder": t.aanbieder_code}[dimension]


def plan_for(conn: Connection, req: ResolvedRequest, allowed: frozenset | None = None) -> sources.Plan:
    """The plan of a request: which derived tables it may read, and how far the running-trajecten
    summary reaches (one cheap MAX, only for a KPI it can answer)."""
    plan = sources.Plan(allowed=allowed)
    if any(s.table is JEUGDIGEN_ACTIEF_JAAR for s in sources.claiming(req.kpi) if plan.may_use(s)):
        plan = replace(plan, covered_to=conn.scalar(select(func.max(JEUGDIGEN_ACTIEF_JAAR.c.jaar))))
    return plan


def _label_source(dimension: str):
    """(table, key column, name column) that names the groups of a dimension, or None where the
    label comes from a code list. Joined onto the aggregated rows, not onto the facts."""
    from data.schema import Aanbieder, School

    if dimension == "wijk":
        return WIJKEN, WIJKEN.c.wijk_code, WIJKEN.c.wijk_naam
    if dimension == "gemeente":
        gemeenten = (select(WIJKEN.c.gemeente_code,
                            func.min(WIJKEN.c.gemeente_naam).label("gemeente_naam"))
                     .group_by(WIJKEN.c.gemeente_code).subquery("gemeenten"))
        return gemeenten, gemeenten.c.gemeente_code, gemeenten.c.gemeente_naam
    if dimension == "school":
        scholen = School.__table__
        return scholen, scholen.c.school_code, scholen.c.school_naam
    if dimension == "aanbieder":
        aanbieders = Aanbieder.__table__
        return aanbieders, aanbieders.c.aanbieder_code, aanbieders.c.aanbieder_naam
    return None


def _filter(key: ColumnElement, value: str | None) -> ColumnElement:
    return key.is_(None) if value is None else key == value


def _main_query(req: ResolvedRequest, plan: sources.Plan = sources.Plan(), skip: frozenset[int] = frozenset()):
    """The aggregates of every sub-period (but those in `skip`) in one statement, with the groups'
    labels."""
    branches = []
    for idx, sub in enumerate(req.sub_periods):
        if idx in skip:
            continue
        branch, aggregate_names = _sub_period_query(req, idx, sub, plan)
        branches.append(branch)
    statement = union_all(*branches) if len(branches) > 1 else branches[0]
    labels = _label_source(req.by) if req.by else None
    if labels is not None:  # name the groups after aggregating: a join per group, not per record
        table, code, name = labels
        grouped = statement.subquery("agg")
        statement = (select(*grouped.c, name.label("label"))
                     .select_from(grouped.outerjoin(table, code == grouped.c.key)))
    return statement, aggregate_names


def _record_scope(req: ResolvedRequest, sub: SubPeriod, plan: sources.Plan, dimensions: set[str]):
    """The FROM clause, query context and conditions that select the records of one sub-period
    for a request (its period, population and filters); `dimensions`: every dimension the query
    groups or filters by (an answer without a traject has none of the traject's)."""
    kpi = req.kpi
    p = SubPeriodValues(sub)
    source = plan.source(req, sub, records=True)
    fb = _FromBuilder(req, p, source)
    ctx = QueryContext(p, **({source.stands_in_for: source.table.c} if source.stands_in_for else {}))
    conditions = [fb.in_period]
    if kpi.populatie is not None:
        conditions.append(kpi.populatie(ctx))
    for dimension, value in req.where:
        conditions.append(_filter(fb.key(dimension), value))
    if fb.answers and any(DIMENSIONS[d].of_traject and d != "gemeente" for d in dimensions):
        # An answer without a traject has no wijk, school, verwijzer, hulpvorm or aanbieder.
        conditions.append(ANTWOORDEN.c.traject_id.is_not(None))
    return fb, ctx, conditions


def _n_column(req: ResolvedRequest, fb: _FromBuilder):
    return func.count() if req.kpi.bron.counts_answers else func.count(bytewise(fb.attrs.jeugdige_id).distinct())


def _sub_period_query(req: ResolvedRequest, idx: int, sub: SubPeriod, plan: sources.Plan = sources.Plan()):
    """One sub-period's aggregate per group (or its total: then always exactly one row)."""
    if plan.source(req, sub) is sources.COUNTS_PER_YEAR:
        return sources.COUNTS_PER_YEAR.statement(req, idx, sub), []
    fb, ctx, conditions = _record_scope(req, sub, plan, req.dimensions_used())
    aggregates = req.kpi.maat.aggregates(ctx)
    columns = [literal(idx, Integer).label("idx")]
    group_by = []
    if req.by:
        key = bytewise(fb.key(req.by))  # every key is a code: grouping sorts bytewise, not through strcoll()
        columns.append(key.label("key"))
        group_by.append(key)
    columns.append(_n_column(req, fb).label("n"))
    columns.extend(expr.label(name) for name, expr in aggregates.items())
    statement = (select(*columns).select_from(fb.from_)
                 .where(and_(true(), *conditions)).group_by(*group_by))
    return statement, list(aggregates)


def _pair_counts_query(req: ResolvedRequest, idx: int, sub: SubPeriod, outer: str, inner: str,
                       plan: sources.Plan, outer_groups: frozenset | None = None):
    """n per group of two dimensions in one sub-period: (idx, outer key, inner key, n);
    `outer_groups`: only these groups of the outer dimension (None: all)."""
    fb, _ctx, conditions = _record_scope(req, sub, plan, req.dimensions_used() | {outer, inner})
    if outer_groups is not None:
        named = sorted(g for g in outer_groups if g is not None)
        column = fb.key(outer)
        conditions.append(or_(column.in_(named), column.is_(None)) if None in outer_groups else column.in_(named))
    outer_key, inner_key = bytewise(fb.key(outer)), bytewise(fb.key(inner))
    return (select(literal(idx, Integer).label("idx"), outer_key.label("outer"), inner_key.label("inner"),
                   _n_column(req, fb).label("n"))
            .select_from(fb.from_).where(and_(true(), *conditions)).group_by(outer_key, inner_key))


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
    plan = plan_for(conn, linked)
    branches = [_pair_counts_query(linked, idx, sub, req.by, dimension, plan, groups)
                for idx, sub in enumerate(req.sub_periods)]
    tune_for_aggregates(conn, few_facts_per_traject_lookup=req.kpi.bron.fact in ("tevredenheid", "verblijf"),
                        one_period=len(branches) == 1)
    for row in conn.execute(union_all(*branches) if len(branches) > 1 else branches[0]):
        out.setdefault((row.idx, row.outer), {})[row.inner] = int(row.n)
    return out


def _bevolking_query(req: ResolvedRequest, p: FromClause):
    """Σ aantal_0_17 of year(tot) per sub-period (and wijk or gemeente), respecting wijk/gemeente filters."""
    b, w = BEVOLKING.c, WIJKEN.c
    keys = {"wijk": w.wijk_code, "gemeente": w.gemeente_code}
    columns = [p.c.idx.label("idx")]
    group_by = [p.c.idx]
    if req.by:
        columns.append(keys[req.by].label("key"))
        group_by.append(keys[req.by])
    columns.extend([func.sum(b.aantal_0_17).label("som"), func.count().label("rijen")])
    conditions = [_filter(keys[d], v) for d, v in req.where if d in keys]
    return (select(*columns)
            .select_from(p.join(BEVOLKING, b.jaar == p.c.jaar_tot).join(WIJKEN, w.wijk_code == b.wijk_code))
            .where(and_(true(), *conditions)).group_by(*group_by))


def _budget_query(req: ResolvedRequest, p: FromClause):
    """Σ budget of year(tot): per gemeente group, else within the gemeente filter, else all."""
    bu = BUDGET.c
    columns = [p.c.idx.label("idx")]
    group_by = [p.c.idx]
    conditions = []
    if req.by == "gemeente":
        columns.append(bu.gemeente_code.label("key"))
        group_by.append(bu.gemeente_code)
    else:
        conditions = [_filter(bu.gemeente_code, v) for d, v in req.where if d == "gemeente"]
    columns.extend([func.sum(bu.bedrag_cent).label("som"), func.count().label("rijen")])
    return (select(*columns).select_from(p.join(BUDGET, bu.jaar == p.c.jaar_tot))
            .where(and_(true(), *conditions)).group_by(*group_by))


def _denominators(conn: Connection, req: ResolvedRequest, p: FromClause) -> dict:
    source = req.kpi.maat.noemer_bron
    if source is None:
        return {}
    statement = _bevolking_query(req, p) if source == "bevolking_0_17" else _budget_query(req, p)
    result = {}
    for row in conn.execute(statement).mappings():
        key = row["key"] if req.by else None
        result[(row["idx"], key)] = None if row["som"] is None else int(row["som"])
    return result


def _group_label(dimension: str, key: str | None, sql_label: str | None) -> str:
    dim = DIMENSIONS[dimension]
    if key is None:
        return dim.empty_label or "Onbekend"
    if dim.code_list is not None:
        return dim.code_list.label(key)
    return sql_label if sql_label is not None else key


def aggregate_rows(conn: Connection, req: ResolvedRequest,
                   allowed: frozenset | None = None) -> tuple[dict[int, list[dict]], list[str]]:
    """What the database returns for a request — per sub-period index its rows (key, label, n and
    the measure's aggregates) — and the aggregates' names. What the load stored (kpi/totalen.py:
    totals of calendar years, quarters and months, and breakdowns of every year, without filters;
    a total within one group of a dimension) is taken from there; the other sub-periods are
    computed, each from the source the plan chooses (kpi/sources.py); `allowed`: only these
    sources besides the facts (None: every one)."""
    from kpi import totalen  # it builds on this module

    plan = sources.Plan(allowed=allowed)
    stored = totalen.stored(conn, req) if plan.may_use(sources.STORED) else {}
    by_period: dict[int, list[dict]] = dict(stored)
    first = next(iter(stored.values()), [{}])[0]
    aggregate_names = [name for name in first if name not in ("idx", "key", "label", "n")]
    if len(stored) < len(req.sub_periods):
        tune_for_aggregates(conn, few_facts_per_traject_lookup=req.kpi.bron.fact in ("tevredenheid", "verblijf"),
                            one_period=len(req.sub_periods) - len(stored) == 1)
        statement, aggregate_names = _main_query(req, plan_for(conn, req, allowed), frozenset(stored))
        for row in conn.execute(statement).mappings():
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
    noemers = _denominators(conn, req, periods_table(req.sub_periods))
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
            label = _group_label(req.by, key, row.get("label")) if req.by else "Totaal"
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


def compiled_sql(bind: Engine, request: KpiRequest) -> str:
    """The main statement as SQL text for this database (for tests and debugging)."""
    resolved = resolve(request)
    with bind.connect() as conn:
        statement, _ = _main_query(resolved, plan_for(conn, resolved))
    return str(statement.compile(dialect=bind.dialect))
