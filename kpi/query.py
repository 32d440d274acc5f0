"""The query layer: compiles a catalogue entry + request into SQL aggregate queries.

One main query per request:

    SELECT p.idx, <group key>, MIN(<label>), <n>, <measure aggregates>
    FROM <sub-periods p> JOIN <fact> ON <record belongs to p> [JOIN trajecten, wijken, …]
    WHERE <population> AND <filters> AND <record belongs to P (lets an index narrow the scan)>
    GROUP BY p.idx, <group key>

The sub-periods are a small derived table (one row each), so a request `per maand` is still one
statement. Two KPIs need a denominator from outside the facts (bevolking, budget): one more small
aggregate query each. Nothing but aggregated rows ever leaves the database.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import Date, Integer, and_, func, literal, or_, select, true, union_all
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql.expression import ColumnElement, FromClause

from data.schema import Bevolking, Budget, Kosten, Tevredenheid, Traject, Verblijf, Wijk
from kpi import privacy
from kpi.dimensions import DIMENSIONS
from kpi.periods import SubPeriod
from kpi.request import KpiRequest, ResolvedRequest, resolve
from kpi.result import KpiResult, KpiRow, key_order

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


class QueryContext:
    """What the catalogue's column builders see: the tables' columns and the sub-period."""
    t = TRAJECTEN.c
    v = VERBLIJF.c
    k = KOSTEN.c
    a = ANTWOORDEN.c

    def __init__(self, p: Any):
        self.p = p


class _FromBuilder:
    """The FROM clause of the main query, with dimension tables joined only when needed."""

    def __init__(self, req: ResolvedRequest, p: FromClause):
        self.req = req
        self.fact = req.kpi.bron.fact
        self.answers = self.fact == "tevredenheid"
        van, tot = req.van, req.tot
        t, v, k, a = TRAJECTEN.c, VERBLIJF.c, KOSTEN.c, ANTWOORDEN.c
        moment = req.kpi.bron.moment
        if self.fact == "traject":
            fact: FromClause = TRAJECTEN
            start, end = t.startdatum, t.einddatum
        elif self.fact == "verblijf":
            fact = VERBLIJF.join(TRAJECTEN, v.traject_id == t.traject_id)
            start, end = v.startdatum, v.einddatum
        elif self.fact == "kosten":
            fact = KOSTEN.join(TRAJECTEN, k.traject_id == t.traject_id)
        else:  # answers keep their traject's attributes when they have one
            fact = ANTWOORDEN.outerjoin(TRAJECTEN, a.traject_id == t.traject_id)

        if moment == "actief":
            in_p = and_(start <= p.c.tot, or_(end.is_(None), end >= p.c.van))
            in_period = and_(start <= tot, or_(end.is_(None), end >= van))
        elif moment == "gestart":
            in_p = start.between(p.c.van, p.c.tot)
            in_period = start.between(van, tot)
        elif moment == "beeindigd":
            in_p = end.between(p.c.van, p.c.tot)
            in_period = end.between(van, tot)
        elif moment == "maand":
            in_p = k.maand.between(p.c.van, p.c.tot)
            in_period = k.maand.between(van, tot)
        else:  # "jaar": survey years
            in_p = a.jaar.between(p.c.jaar_van, p.c.jaar_tot)
            in_period = a.jaar.between(van.year, tot.year)
        self.from_ = p.join(fact, in_p)
        self.in_period = in_period
        self._wijken = None

    def wijken(self):
        """wijken joined to the facts: only for the gemeente of a traject."""
        if self._wijken is None:
            self.from_ = self.from_.outerjoin(WIJKEN, WIJKEN.c.wijk_code == TRAJECTEN.c.wijk_code)
            self._wijken = WIJKEN.c
        return self._wijken

    def key(self, dimension: str) -> ColumnElement:
        t = TRAJECTEN.c
        if dimension == "wijk":
            return t.wijk_code
        if dimension == "gemeente":
            return ANTWOORDEN.c.gemeente_code if self.answers else self.wijken().gemeente_code
        if dimension == "respondent":
            return ANTWOORDEN.c.respondent
        return {"school": t.school_code, "verwijzer": t.verwijzer, "hulpvorm": t.hulpvorm,
                "aanbieder": t.aanbieder_code}[dimension]




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


def _main_query(req: ResolvedRequest, p: FromClause):
    kpi = req.kpi
    ctx = QueryContext(p=p.c)
    fb = _FromBuilder(req, p)
    conditions = [fb.in_period]
    if kpi.populatie is not None:
        conditions.append(kpi.populatie(ctx))
    for dimension, value in req.where:
        conditions.append(_filter(fb.key(dimension), value))
    if fb.answers and any(DIMENSIONS[d].of_traject and d != "gemeente"
                          for d in req.dimensions_used()):
        # An answer without a traject has no wijk, school, verwijzer, hulpvorm or aanbieder.
        conditions.append(ANTWOORDEN.c.traject_id.is_not(None))

    n = func.count() if kpi.bron.counts_answers else func.count(TRAJECTEN.c.jeugdige_id.distinct())
    aggregates = kpi.maat.aggregates(ctx)
    columns = [p.c.idx.label("idx")]
    group_by = [p.c.idx]
    if req.by:
        key = fb.key(req.by)
        columns.append(key.label("key"))
        group_by.append(key)
    columns.append(n.label("n"))
    columns.extend(expr.label(name) for name, expr in aggregates.items())
    statement = (select(*columns).select_from(fb.from_)
                 .where(and_(true(), *conditions)).group_by(*group_by))
    labels = _label_source(req.by) if req.by else None
    if labels is not None:  # name the groups after aggregating: a join per group, not per record
        table, code, name = labels
        grouped = statement.subquery("agg")
        statement = (select(*grouped.c, name.label("label"))
                     .select_from(grouped.outerjoin(table, code == grouped.c.key)))
    return statement, list(aggregates)


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


def compute_resolved(conn: Connection, req: ResolvedRequest) -> KpiResult:
    p = periods_table(req.sub_periods)
    statement, aggregate_names = _main_query(req, p)
    fetched = conn.execute(statement).mappings().all()
    noemers = _denominators(conn, req, p)
    measure = req.kpi.maat

    by_period: dict[int, list[dict]] = {}
    for row in fetched:
        by_period.setdefault(row["idx"], []).append(dict(row))

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
            period_rows = privacy.suppress(period_rows, req.min_cell_size, breakdown=req.by is not None)
        rows.extend(period_rows)
    return KpiResult(req, tuple(rows))


def compute(bind: Engine | Connection, request: KpiRequest) -> KpiResult:
    """Compute a KPI in the database. Raises KpiRequestError for a request the catalogue refuses."""
    resolved = resolve(request)
    if isinstance(bind, Engine):
        with bind.connect() as conn:
            return compute_resolved(conn, resolved)
    return compute_resolved(bind, resolved)


def compiled_sql(bind: Engine, request: KpiRequest) -> str:
    """The main statement as SQL text for this database (for tests and debugging)."""
    resolved = resolve(request)
    statement, _ = _main_query(resolved, periods_table(resolved.sub_periods))
    return str(statement.compile(dialect=bind.dialect))
