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

The statement is built once per shape — the KPI, its breakdown and filters, and which source
answers each sub-period — with named parameters for the dates and the filters' values (`van_0`,
`tot_0`, …, `waarde_wijk`): a view of 2024 and one of 2025 run the same statement, which
SQLAlchemy compiles once per engine (kpi/statement_cache.py).

Where a sub-period's numbers are read — the facts, or a table the load derived from them (kosten
per jeugdige per month or year, the jeugdigen with a running traject per year, their counts) — is
the planner's choice (kpi/sources.py): each derived table declares which KPIs and requests it can
answer, by the columns the KPI reads and the period's shape.

This module builds the SQL; kpi/computation.py runs it (after looking up what the load stored,
kpi/totals.py) and makes the values.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import Date, Integer, String, and_, bindparam, case, func, literal, or_, select, true, union_all
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql.expression import ColumnElement, FromClause

from data.warehouse.schema import (
    JEUGDIGEN_ACTIEF_JAAR,
    Bevolking,
    Budget,
    Kosten,
    Tevredenheid,
    Traject,
    Verblijf,
    Wijk,
)
from kpi import sources
from kpi.dimensions import DIMENSIONS
from kpi.periods import SubPeriod
from kpi.request import KpiRequest, ResolvedRequest, resolve
from kpi.sqlfuncs import bytewise
from kpi.statement_cache import StatementCache

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
    """Sub-period `idx` as named parameters, named like the columns of periods_table(): with its
    values when `sub` is given (the statement runs as it is), else without (a shape's statement,
    run with `period_parameters`)."""

    def __init__(self, idx: int, sub: SubPeriod | None = None):
        values = period_parameters(idx, sub) if sub is not None else {}
        for name, type_ in (("van", Date), ("tot", Date), ("jaar_van", Integer), ("jaar_tot", Integer)):
            key = f"{name}_{idx}"
            setattr(self, name, bindparam(key, values[key], type_=type_) if sub is not None
                    else bindparam(key, type_=type_, required=True))


def period_parameters(idx: int, sub: SubPeriod) -> dict[str, Any]:
    """The values of SubPeriodValues(idx)'s parameters for `sub`."""
    return {f"van_{idx}": sub.van, f"tot_{idx}": sub.tot, f"jaar_van_{idx}": sub.van.year,
            f"jaar_tot_{idx}": sub.tot.year}


class FilterValues:
    """The request's filter values as named parameters (`waarde_<dimension>`), with their values or,
    for a shape's statement, without; an empty group (None) is part of the shape (IS NULL)."""

    def __init__(self, where: tuple, with_values: bool):
        self.values = {dimension: None if value is None else
                       (bindparam(f"waarde_{dimension}", value) if with_values
                        else bindparam(f"waarde_{dimension}", type_=String, required=True))
                       for dimension, value in where}

    def condition(self, key: ColumnElement, dimension: str) -> ColumnElement:
        return _filter(key, self.values[dimension])


def _filters_shape(where: tuple) -> tuple:
    """What of the filters a shape's statement depends on: the dimensions, and which are the empty group."""
    return tuple((dimension, value is None) for dimension, value in where)


def _parameters(req: ResolvedRequest, subs: list[tuple[int, SubPeriod]]) -> dict[str, Any]:
    """The values a shape's statement runs with for `req`: its filters' and these sub-periods'."""
    parameters = {f"waarde_{dimension}": value for dimension, value in req.where if value is not None}
    for idx, sub in subs:
        parameters.update(period_parameters(idx, sub))
    return parameters


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


def label_source(dimension: str):
    """(table, key column, name column) that names the groups of a dimension, or None where the
    label comes from a code list. Joined onto the aggregated rows, not onto the facts."""
    from data.warehouse.schema import Aanbieder, School

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


#: the main statements built, per shape, for every request of that shape
STATEMENTS = StatementCache()


def main_query(req: ResolvedRequest, plan: sources.Plan = sources.EVERY_SOURCE,
               skip: frozenset[int] = frozenset()) -> tuple[Any, list[str], dict[str, Any]]:
    """The aggregates of every sub-period (but those in `skip`) in one statement, with the groups'
    labels: (statement, the aggregates' names, the parameters to run it with). The statement is
    the one of the request's shape, and runs only with these parameters."""
    skip = frozenset(skip)
    kept = [(idx, sub) for idx, sub in enumerate(req.sub_periods) if idx not in skip]
    shape = (req.kpi, req.by, _filters_shape(req.where),
             tuple((idx, plan.source(req, sub), plan.source(req, sub, records=True)) for idx, sub in kept))
    statement, aggregate_names = STATEMENTS.get(shape, len(kept), lambda: _built_main_query(req, plan, kept))
    return statement, list(aggregate_names), _parameters(req, kept)


def _built_main_query(req: ResolvedRequest, plan: sources.Plan, kept: list[tuple[int, SubPeriod]]):
    """The statement of the request's shape: its sub-periods' dates and its filters' values are
    parameters without values (they come with each run)."""
    filters = FilterValues(req.where, with_values=False)
    branches = []
    for idx, sub in kept:
        branch, aggregate_names = sub_period_query(req, idx, sub, plan, SubPeriodValues(idx), filters)
        branches.append(branch)
    statement = union_all(*branches) if len(branches) > 1 else branches[0]
    labels = label_source(req.by) if req.by else None
    if labels is not None:  # name the groups after aggregating: a join per group, not per record
        table, code, name = labels
        grouped = statement.subquery("agg")
        statement = (select(*grouped.c, name.label("label"))
                     .select_from(grouped.outerjoin(table, code == grouped.c.key)))
    return statement, tuple(aggregate_names)


def record_scope(req: ResolvedRequest, sub: SubPeriod, plan: sources.Plan, dimensions: set[str],
                 p: SubPeriodValues, filters: FilterValues):
    """The FROM clause, query context and conditions that select the records of one sub-period
    (its parameters `p`) for a request (its period, population and filters); `dimensions`: every
    dimension the query groups or filters by (an answer without a traject has none of the traject's)."""
    kpi = req.kpi
    source = plan.source(req, sub, records=True)
    fb = _FromBuilder(req, p, source)
    ctx = QueryContext(p, **({source.stands_in_for: source.columns(p)} if source.stands_in_for else {}))
    conditions = [fb.in_period]
    if kpi.populatie is not None:
        conditions.append(kpi.populatie(ctx))
    for dimension, _value in req.where:
        conditions.append(filters.condition(fb.key(dimension), dimension))
    if fb.answers and any(DIMENSIONS[d].of_traject and d != "gemeente" for d in dimensions):
        # An answer without a traject has no wijk, school, verwijzer, hulpvorm or aanbieder.
        conditions.append(ANTWOORDEN.c.traject_id.is_not(None))
    return fb, ctx, conditions


def n_column(req: ResolvedRequest, fb: _FromBuilder):
    """A group's n: its survey answers, or else its distinct jeugdigen."""
    return func.count() if req.kpi.bron.counts_answers else func.count(bytewise(fb.attrs.jeugdige_id).distinct())


def sub_period_query(req: ResolvedRequest, idx: int, sub: SubPeriod, plan: sources.Plan = sources.EVERY_SOURCE,
                     p: SubPeriodValues | None = None, filters: FilterValues | None = None):
    """One sub-period's aggregate per group (or its total: then always exactly one row). With the
    sub-period's and the filters' values, unless `p` and `filters` (parameters) are given."""
    p = p or SubPeriodValues(idx, sub)
    filters = filters or FilterValues(req.where, with_values=True)
    if plan.source(req, sub) is sources.COUNTS_PER_YEAR:
        return sources.COUNTS_PER_YEAR.statement(req, idx, p, filters.values), []
    fb, ctx, conditions = record_scope(req, sub, plan, req.dimensions_used(), p, filters)
    aggregates = req.kpi.maat.aggregates(ctx)
    columns = [literal(idx, Integer).label("idx")]
    group_by = []
    if req.by:
        key = bytewise(fb.key(req.by))  # every key is a code: grouping sorts bytewise, not through strcoll()
        columns.append(key.label("key"))
        group_by.append(key)
    columns.append(n_column(req, fb).label("n"))
    columns.extend(expr.label(name) for name, expr in aggregates.items())
    statement = (select(*columns).select_from(fb.from_)
                 .where(and_(true(), *conditions)).group_by(*group_by))
    return statement, list(aggregates)


def breakdowns_query(req: ResolvedRequest, sub: SubPeriod, dimensions: tuple[str, ...],
                     plan: sources.Plan) -> tuple[Any, list[str], dict[str, Any]]:
    """One sub-period's groups by each of `dimensions` in one pass over its records (GROUPING SETS:
    PostgreSQL; SQLite has none): per row `dimensie`, and the key, label, n and aggregates
    that `sub_period_query` by that dimension alone gives its groups. Every dimension must be read
    from the same source of records (`plan.source(req, sub, records=True)`); `req` has no filters.
    Returns (statement, the aggregates' names, the parameters to run it with), the statement built
    once per shape as `main_query`'s."""
    source = plan.source(req, sub, records=True)
    shape = ("grouping sets", req.kpi, dimensions, source)

    def build():
        fb, ctx, conditions = record_scope(req, sub, plan, set(dimensions), SubPeriodValues(0),
                                           FilterValues((), with_values=False))
        aggregates = req.kpi.maat.aggregates(ctx)
        keys = {d: bytewise(fb.key(d)) for d in dimensions}
        grouped = (select(*[keys[d].label(f"key_{d}") for d in dimensions],
                          *[func.grouping(keys[d]).label(f"grouped_{d}") for d in dimensions],
                          n_column(req, fb).label("n"), *[expr.label(name) for name, expr in aggregates.items()])
                   .select_from(fb.from_).where(and_(true(), *conditions))
                   .group_by(func.grouping_sets(*[keys[d] for d in dimensions])).subquery("agg"))
        # Each row is a group of one dimension: GROUPING(key) is 0 in that dimension's column (its
        # key may be NULL: the empty group), 1 in the others. Labelled as main_query labels them.
        in_dimension = {d: grouped.c[f"grouped_{d}"] == 0 for d in dimensions}
        dimension = case(*[(in_dimension[d], literal(d)) for d in dimensions])
        key = case(*[(in_dimension[d], grouped.c[f"key_{d}"]) for d in dimensions])
        joined, labels = grouped, []
        for d in dimensions:
            if (source_of_labels := label_source(d)) is not None:
                table, code, name = source_of_labels
                table = table.alias(f"labels_{d}")
                joined = joined.outerjoin(table, and_(in_dimension[d], table.c[code.name] == grouped.c[f"key_{d}"]))
                labels.append((in_dimension[d], table.c[name.name]))
        label = case(*labels) if labels else None
        columns = [literal(0, Integer).label("idx"), dimension.label("dimensie"), key.label("key"),
                   grouped.c.n, *[grouped.c[name] for name in aggregates]]
        if label is not None:
            columns.append(label.label("label"))
        return select(*columns).select_from(joined), tuple(aggregates)

    statement, aggregate_names = STATEMENTS.get(shape, len(dimensions), build)
    return statement, list(aggregate_names), period_parameters(0, sub)


def pair_counts_query(req: ResolvedRequest, outer: str, inner: str, plan: sources.Plan,
                      outer_groups: frozenset | None = None) -> tuple[Any, dict[str, Any]]:
    """n per group of two dimensions in every sub-period, in one statement: (idx, outer key, inner
    key, n); `outer_groups`: only these groups of the outer dimension (None: all). Returns the
    statement of the request's shape and the parameters to run it with (as `main_query`)."""
    shape = ("paren", req.kpi, outer, inner, _filters_shape(req.where),
             None if outer_groups is None else None in outer_groups,
             tuple(plan.source(req, sub, records=True) for sub in req.sub_periods))

    def build():
        filters = FilterValues(req.where, with_values=False)
        groups = None if outer_groups is None else _GroupsParameter(None in outer_groups)
        branches = [_pair_counts_branch(req, idx, sub, outer, inner, plan, filters, groups)
                    for idx, sub in enumerate(req.sub_periods)]
        return union_all(*branches) if len(branches) > 1 else branches[0]

    statement = STATEMENTS.get(shape, len(req.sub_periods), build)
    parameters = _parameters(req, list(enumerate(req.sub_periods)))
    if outer_groups is not None:
        parameters[_GroupsParameter.NAME] = sorted(g for g in outer_groups if g is not None)
    return statement, parameters


class _GroupsParameter:
    """The groups of a dimension as one expanding parameter (its list is given at each run); the
    empty group (None) is part of the shape."""
    NAME = "groepen"

    def __init__(self, with_empty: bool):
        self.with_empty = with_empty

    def condition(self, column: ColumnElement) -> ColumnElement:
        named = column.in_(bindparam(self.NAME, expanding=True))
        return or_(named, column.is_(None)) if self.with_empty else named


def _pair_counts_branch(req: ResolvedRequest, idx: int, sub: SubPeriod, outer: str, inner: str,
                        plan: sources.Plan, filters: FilterValues, groups: _GroupsParameter | None):
    fb, _ctx, conditions = record_scope(req, sub, plan, req.dimensions_used() | {outer, inner},
                                        SubPeriodValues(idx), filters)
    if groups is not None:
        conditions.append(groups.condition(fb.key(outer)))
    outer_key, inner_key = bytewise(fb.key(outer)), bytewise(fb.key(inner))
    return (select(literal(idx, Integer).label("idx"), outer_key.label("outer"), inner_key.label("inner"),
                   n_column(req, fb).label("n"))
            .select_from(fb.from_).where(and_(true(), *conditions)).group_by(outer_key, inner_key))


def groups_together_query(req: ResolvedRequest, idx: int, sub: SubPeriod, dimension: str, groups: frozenset,
                          plan: sources.Plan = sources.EVERY_SOURCE):
    """The n of the records of several groups of `dimension` taken together, in one sub-period:
    (idx, n). For distinct jeugdigen this is not the sum of the groups' n, since a jeugdige with
    records in two groups counts in both (what an "overig" of small groups rests on)."""
    fb, _ctx, conditions = record_scope(req, sub, plan, req.dimensions_used() | {dimension},
                                        SubPeriodValues(idx, sub), FilterValues(req.where, with_values=True))
    conditions.append(_in_groups(fb.key(dimension), groups))
    return (select(literal(idx, Integer).label("idx"), n_column(req, fb).label("n"))
            .select_from(fb.from_).where(and_(true(), *conditions)))


def _in_groups(column: ColumnElement, groups: frozenset) -> ColumnElement:
    """The column holds one of the groups' keys (None: the empty group)."""
    named = sorted(g for g in groups if g is not None)
    return or_(column.in_(named), column.is_(None)) if None in groups else column.in_(named)


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


def denominators(conn: Connection, req: ResolvedRequest, p: FromClause) -> dict:
    source = req.kpi.maat.noemer_bron
    if source is None:
        return {}
    statement = _bevolking_query(req, p) if source == "bevolking_0_17" else _budget_query(req, p)
    result = {}
    for row in conn.execute(statement).mappings():
        key = row["key"] if req.by else None
        result[(row["idx"], key)] = None if row["som"] is None else int(row["som"])
    return result


def group_label(dimension: str, key: str | None, sql_label: str | None) -> str:
    dim = DIMENSIONS[dimension]
    if key is None:
        return dim.empty_label or "Onbekend"
    if dim.code_list is not None:
        return dim.code_list.label(key)
    return sql_label if sql_label is not None else key


def compiled_sql(bind: Engine, request: KpiRequest) -> str:
    """The main statement as SQL text for this database (for tests and debugging)."""
    resolved = resolve(request)
    with bind.connect() as conn:
        statement, _names, _parameters = main_query(resolved, plan_for(conn, resolved))
    return str(statement.compile(dialect=bind.dialect))
