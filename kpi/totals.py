"""Each KPI's totals and breakdowns without filters, computed at load: trends and views read them.

A trend (the overview's cards, the explorer's line under every view) asks a KPI per year, quarter
or month without a filter or breakdown; the explorer's first view of a KPI asks its one-year
breakdown by a dimension. At national scale each is an aggregate over millions of facts: 0.4–1.2 s
per breakdown and per year of a trend, paid by whoever first opens a view after a load. They depend
on nothing but the facts, so the load computes them once: `rebuild(conn)` runs each KPI's own
query (kpi/query.py, the statement a request of that one period runs) for every calendar year the data
cover and for the quarters and months of the last three (only where the KPI can be asked by
them), and by every dimension of its breakdowns for every covered year. It stores what the
database returned — per group its key and label, n and the measure's sums — in `kpi_totalen`
(data/warehouse/schema.py). A request without filters takes those rows for its sub-periods that are
exactly such a period; so does a total within one group of one dimension (a drill-down's trend),
from that group's row. The measure makes the value from them exactly as from fresh rows (same
numbers, same types), and suppression follows as always. Other periods, and every other request
with a filter, read the facts.

A stored row is read only when it belongs to the newest load or to one the newest load left true
(`laadlog_id` from the newest load-log row's `totalen_vanaf` on: `first_counting_load`) and to the KPI's
current query by that group key (`definitie`: a hash of its compiled SQL), so neither a later
load without this step nor a changed KPI definition can serve a stale number.

A delivery that adds kosten (`load --toevoegen`; the load-log row's `aangevuld` names its months)
changes only the KPIs that read the kosten, and of those only the periods that hold one of its
months: `after_load` stores those again and keeps every other row (a month of kosten at national
scale: docs/performance.md). Anything it cannot vouch for — the rows before it were not current,
the years covered changed — makes it rebuild everything.

The loader calls `rebuild` in the load's own transaction, after the summaries (data/warehouse/summaries.py)
and the load-log row: the CLI's load and demo commands and the embedded default's first start pass
it in (data/ does not import kpi/).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import replace
from decimal import Decimal
from functools import lru_cache
from typing import Collection, Iterable

from sqlalchemy import Connection, Engine, Text, and_, cast, delete, func, or_, select, text, update
from sqlalchemy.sql.util import find_tables

from data.schema import Base
from data.warehouse.bulk_insert import BulkInserter
from data.warehouse.schema import KPI_TOTALEN, Kosten, LoadLog, Tevredenheid, Traject, Verblijf
from kpi.catalogue import CATALOGUE, Kpi
from kpi.dimensions import DIMENSIONS
from kpi.periods import SubPeriod, split
from kpi.query import breakdowns_query, main_query, plan_for, sub_period_query
from kpi.request import KpiRequest, ResolvedRequest, resolve
from kpi.sources import COUNTS_PER_YEAR, SOURCES, STORED, Plan
from kpi.sqlfuncs import tune_for_aggregates

ALL_BUT_STORED = frozenset(source for source in SOURCES if source is not STORED)
_TABLE_NAMES = frozenset(Base.metadata.tables)
FACTS_ONLY = Plan(allowed=frozenset())

# Tables rebuilt before this step whose statistics the KPI queries need (fresh in the transaction).
_SUMMARIES = ("kosten_jeugdige_jaar", "jeugdigen_actief_jaar", "jeugdigen_per_jaar")


@lru_cache(maxsize=None)
def definition(kpi_id: str, dialect_name: str, by: str | None = None) -> str:
    """A hash of the KPI's query for one period (by `by`) as compiled for this database (its facts
    path): any change to its source, population, aggregates or group key changes it."""
    from sqlalchemy.dialects import postgresql, sqlite

    req = replace(template_request(CATALOGUE[kpi_id]), by=by)
    statement, names = sub_period_query(req, 0, req.sub_periods[0], Plan())
    dialect = postgresql.dialect() if dialect_name == "postgresql" else sqlite.dialect()
    sql = str(statement.compile(dialect=dialect))
    return hashlib.sha256(f"{kpi_id}\n{by}\n{names}\n{sql}".encode()).hexdigest()[:32]


def template_request(kpi: Kpi) -> ResolvedRequest:
    """A request of the KPI without suppression, whose period and breakdown a caller replaces."""
    return resolve(KpiRequest.for_year(kpi.id, 2000, suppress=False))


def _encode(value):
    """A value as JSON that decodes to the same type: Decimal (PostgreSQL's sums) as text."""
    return {"decimal": str(value)} if isinstance(value, Decimal) else value


def _decode(value):
    return Decimal(value["decimal"]) if isinstance(value, dict) else value


def stored(conn: Connection, req: ResolvedRequest) -> dict[int, list[dict]]:
    """{sub-period index: the rows the database would return} for the sub-periods of `req` whose
    totals — or, with a breakdown, groups — the newest load stored with the KPI's current
    definition; {} when none. A total within one group of one dimension (a drill-down's trend) is
    that group's row of the stored breakdown by that dimension; other requests with a filter read
    the facts."""
    if req.where:
        return _within_one_group(conn, req)
    c = KPI_TOTALEN.c
    rows = conn.execute(
        # The aggregates as text, decoded below in one pass: a breakdown has up to 15 thousand
        # groups, and decoding each row's JSON on its own took half the time of reading them.
        select(c.van, c.tot, c.sleutel, c.label, c.n, cast(c.aggregaten, Text))
        .where(c.kpi_id == req.kpi.id, c.dimensie == (req.by or ""),
               c.definitie == definition(req.kpi.id, conn.dialect.name, req.by),
               c.van.in_(sorted({sub.van for sub in req.sub_periods})), c.laadlog_id >= first_counting_load())).all()
    aggregates = json.loads("[" + ",".join(row[5] for row in rows) + "]")
    by_period: dict[tuple, list] = {}
    for row, sums in zip(rows, aggregates, strict=True):
        by_period.setdefault((_as_date(row.van), _as_date(row.tot)), []).append((row, sums))
    found = {}
    for idx, sub in enumerate(req.sub_periods):
        for row, sums in by_period.get((sub.van, sub.tot), ()):
            group = {"key": row.sleutel, "label": row.label} if req.by else {}
            found.setdefault(idx, []).append(
                {"idx": idx, **group, "n": row.n, **{name: _decode(v) for name, v in sums.items()}})
    return found


#: the dimensions whose one group's trend is read from the stored breakdowns: few groups, each a
#: large share of the facts (a verwijzer's trend over the facts: 0.45–0.84 s at national scale, from
#: the stored rows 2–3 ms). A wijk or a school is a small part of the facts that the indexes find
#: in a few ms, while picking its row out of 10–15 thousand stored groups per year took 50–150 ms.
GROUPS_READ_ONE_BY_ONE = tuple(name for name, dimension in DIMENSIONS.items() if not dimension.small_groups)


def _within_one_group(conn: Connection, req: ResolvedRequest) -> dict[int, list[dict]]:
    """The total of a request filtered on one group (`where` = one dimension, one value; no
    breakdown), per sub-period whose breakdown by that dimension is stored. The KPI's query filters
    on exactly the group key it breaks down by (kpi/query.py: `_filter` and the group key are the
    same expression), and the measure, its denominator and suppression are applied to the request
    itself, so the row is the one the filtered query returns. A group absent from a stored
    breakdown had no records: its total is n 0 with empty sums, as the filtered query returns."""
    if req.by or len(req.where) != 1:
        return {}
    (dimension, value), = req.where
    # only breakdowns users can ask: their groups' trends are proven against the facts (test_totals)
    if dimension not in GROUPS_READ_ONE_BY_ONE or dimension not in req.kpi.breakdowns:
        return {}
    c = KPI_TOTALEN.c
    of_breakdown = (c.kpi_id == req.kpi.id, c.dimensie == dimension,
                    c.definitie == definition(req.kpi.id, conn.dialect.name, dimension),
                    c.van.in_(sorted({sub.van for sub in req.sub_periods})), c.laadlog_id >= first_counting_load())
    # The periods whose breakdown is stored (a period with no records at all has no groups: its
    # facts are read, cheaply), with one group's aggregates to name the sums of an absent group.
    periods = conn.execute(select(c.van, c.tot, func.min(cast(c.aggregaten, Text)))
                           .where(*of_breakdown).group_by(c.van, c.tot)).all()
    group = {(_as_date(van), _as_date(tot)): (n, json.loads(sums))
             for van, tot, n, sums in conn.execute(
                 select(c.van, c.tot, c.n, cast(c.aggregaten, Text))
                 .where(*of_breakdown, c.sleutel.is_(None) if value is None else c.sleutel == value))}
    names = {(_as_date(van), _as_date(tot)): json.loads(sums) for van, tot, sums in periods}
    found = {}
    for idx, sub in enumerate(req.sub_periods):
        if (sub.van, sub.tot) not in names:
            continue
        n, sums = group.get((sub.van, sub.tot), (0, dict.fromkeys(names[(sub.van, sub.tot)])))
        found[idx] = [{"idx": idx, "n": n, **{name: _decode(v) for name, v in sums.items()}}]
    return found


def first_counting_load():
    """The first load-log id whose stored rows count, as a subquery: the newest load's
    `totalen_vanaf`, or that load itself."""
    newest = select(func.max(LoadLog.id)).scalar_subquery()
    return (select(func.coalesce(LoadLog.totalen_vanaf, LoadLog.id)).where(LoadLog.id == newest)
            .scalar_subquery())


def _as_date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def covered_years(conn: Connection) -> range:
    """The calendar years the facts cover: the first to the last year any fact date falls in."""
    t, v, a = Traject.__table__.c, Verblijf.__table__.c, Tevredenheid.__table__.c
    dates = [*conn.execute(select(func.min(t.startdatum), func.max(t.startdatum), func.max(t.einddatum))).one(),
             *conn.execute(select(func.min(v.startdatum), func.max(v.einddatum))).one(),
             *conn.execute(select(func.min(Kosten.maand), func.max(Kosten.maand))).one()]
    years = [_as_date(d).year for d in dates if d is not None]
    years += [y for y in conn.execute(select(func.min(a.jaar), func.max(a.jaar))).one() if y is not None]
    return range(min(years), max(years) + 1) if years else range(0)


UNITS = ("jaar", "kwartaal", "maand")
#: quarters and months are stored for the last this many covered years. Months: the explorer's
#: trend per maand (the year shown) of its default year (the last complete one), of the running year
#: and of the year before. Quarters: one year more, so that three whole years of quarters up to the
#: default year are stored beside the running year (a trend per kwartaal over three years took 1.1–
#: 1.6 s at national scale with its first year read from the facts; a year of quarters costs ~12 s
#: per load there). Every year's quarters and months would cost 124 s + ~350 s more per load at
#: national scale (measured: docs/performance.md) for views rarely asked; older ones read the facts.
RECENT_YEARS = {"kwartaal": 4, "maand": 3}


def stored_dimensions(kpi: Kpi) -> tuple[str, ...]:
    """The dimensions whose yearly breakdowns are stored: every one the KPI can be broken down by,
    and every one it can be filtered on. Rule 3 reads a filtered request's linked breakdown by the
    filter's dimension, also where users may not ask that breakdown (pct_budget_besteed of one
    wijk: 0.6–0.9 s at national scale for the linked breakdown over a summary, 4× DuckDB)."""
    return kpi.filters


def breakdown_years(years: range) -> tuple[SubPeriod, ...]:
    """The whole years whose breakdowns are stored: every covered year, so the explorer's view of
    any year it offers, and a drill-down's trend within one group (`_within_one_group`), read them."""
    return tuple(split(dt.date(years[0], 1, 1), dt.date(years[-1], 12, 31), "jaar"))


def periods_to_store(kpi: Kpi, years: range, units: Iterable[str] = UNITS) -> list[tuple[SubPeriod, ...]]:
    """Per calendar unit the KPI can be asked by (a year always, quarters and months if allowed),
    its sub-periods: every covered year, the quarters and months of the last RECENT_YEARS[unit]."""
    out = []
    for unit in units:
        if unit != "jaar" and (unit not in kpi.per_toegestaan or kpi.alleen_kalenderjaar):
            continue
        first = years[0] if unit == "jaar" else max(years[0], years[-1] - RECENT_YEARS[unit] + 1)
        out.append(tuple(split(dt.date(first, 1, 1), dt.date(years[-1], 12, 31), unit)))
    return out


def rebuild(conn: Connection, kpi_ids: Iterable[str] | None = None, units: Iterable[str] = UNITS,
            breakdowns: bool = True, periods: Collection[tuple[dt.date, dt.date]] | None = None,
            dimensions: Collection[str] | None = None) -> int:
    """Replace the stored rows by every KPI's totals per covered year (and recent quarter and
    month) and its breakdowns of every year by every dimension, for the newest load-log row (in
    conn's transaction, after that row is written). Returns the rows stored. `kpi_ids`, `units`,
    `breakdowns`, `periods` ((van, tot) of sub-periods), `dimensions` (of breakdowns): only these
    (for tests and timings); a row stored is the same as in a full rebuild."""
    conn.execute(delete(KPI_TOTALEN))
    laadlog_id = conn.scalar(select(func.max(LoadLog.id)))
    years = covered_years(conn)
    if laadlog_id is None or not years:
        return 0
    if conn.dialect.name == "postgresql":  # the summaries were just rebuilt in this transaction
        for table in _SUMMARIES:
            conn.execute(text(f"ANALYZE {table}"))
    kpis = CATALOGUE.values() if kpi_ids is None else [CATALOGUE[k] for k in kpi_ids]
    stored_rows = _store(conn, laadlog_id, years, kpis, units, breakdowns, periods, dimensions)
    if conn.dialect.name == "postgresql":  # millions of new rows: the planner must know them now
        conn.execute(text("ANALYZE kpi_totalen"))
    return stored_rows


def _store(conn: Connection, laadlog_id: int, years: range, kpis: Iterable[Kpi], units: Iterable[str],
           breakdowns: bool, periods: Collection[tuple[dt.date, dt.date]] | None,
           dimensions: Collection[str] | None) -> int:
    """Compute and insert the stored rows `rebuild` describes for `kpis` (nothing is deleted)."""
    stored_rows = 0
    run = SameStatementsOnce(conn)
    # A KPI of the iJw berichtenverkeer has no records while the trajecten came from CSV files:
    # its totals are stored as empty without a query (ten scans of the facts that find nothing).
    berichtenverkeer = conn.scalar(select(select(Traject.traject_id)
                                          .where(Traject.toewijzingsdatum.is_not(None)).exists()))
    for kpi in kpis:
        run.next_kpi()
        requests = [(None, subs) for subs in periods_to_store(kpi, years, units)]
        if breakdowns:
            requests += [(by, breakdown_years(years)) for by in stored_dimensions(kpi)
                         if dimensions is None or by in dimensions]
        if periods is not None:
            requests = [(by, kept) for by, subs in requests
                        if (kept := tuple(sub for sub in subs if (sub.van, sub.tot) in periods))]
        rows: list[tuple] = []
        queried = berichtenverkeer or not kpi.alleen_berichtenverkeer
        # On PostgreSQL a year's breakdowns by every dimension are one pass over its records.
        in_one_pass, names_in_one_pass = (
            fetch_breakdowns(conn, kpi, [(by, subs) for by, subs in requests if by is not None], run)
            if queried and conn.dialect.name == "postgresql" else ({}, []))
        for by, subs in requests:
            req = replace(template_request(kpi), van=subs[0].van, tot=subs[-1].tot, per=None, by=by, sub_periods=subs)
            if by in in_one_pass:
                fetched, names = in_one_pass[by], names_in_one_pass
            else:
                fetched, names = fetch(conn, req, run) if queried else ({}, _aggregate_names(conn, req))
            hashed = definition(kpi.id, conn.dialect.name, by)
            for idx, sub in enumerate(subs):
                found = fetched.get(idx, [])
                if by is None and not found:  # a total always has a row, also when there are no records
                    found = [{"n": 0, **{name: None for name in names}}]
                van, tot = sub.van.isoformat(), sub.tot.isoformat()
                rows += [(kpi.id, van, tot, by or "", row.get("key") if by else None,
                          row.get("label") if by else None, laadlog_id, hashed, int(row["n"]),
                          json.dumps({name: _encode(row[name]) for name in names})) for row in found]
        # A KPI's rows go in as the loader's do (data/warehouse/bulk_insert.py): one COPY on
        # PostgreSQL, after its queries (a COPY holds the connection). At scale 60 (373 thousand
        # rows) the rebuild took 62–69 s this way, 72–77 s with an INSERT per row.
        with BulkInserter(conn, KPI_TOTALEN.name, _STORED_COLUMNS) as out:
            for row in rows:
                out.add(row)
        stored_rows += out.count
    return stored_rows


def after_load(conn: Connection) -> int:
    """What a load runs as its `derive` step (in its transaction, after its load-log row): for a
    delivery that added kosten, whose stored rows before it were current and which covers the same
    years, the rows of the KPIs that read what it added, for the periods that hold one of its
    months; otherwise `rebuild`. Returns the rows stored. The rows a full rebuild would store are
    the same (tests/test_append.py compares them)."""
    newest, previous = (conn.execute(select(LoadLog.id, LoadLog.aangevuld, LoadLog.totalen_vanaf)
                                     .order_by(LoadLog.id.desc()).limit(2)).all() + [None, None])[:2]
    if newest is None or not newest.aangevuld or previous is None:
        return rebuild(conn)
    valid_from = previous.totalen_vanaf or previous.id
    years = covered_years(conn)
    if not _current_for(conn, valid_from, years):
        return rebuild(conn)
    months = [dt.date.fromisoformat(f"{month}-01") for added in newest.aangevuld.values() for month in added]
    kpis = [kpi for kpi in CATALOGUE.values() if reads_tables(kpi.id) & set(newest.aangevuld)]
    touched = {(sub.van, sub.tot) for kpi in kpis for subs in _stored_periods(kpi, years) for sub in subs
               if any(sub.van <= month <= sub.tot for month in months)}
    c = KPI_TOTALEN.c
    if touched:
        conn.execute(delete(KPI_TOTALEN).where(
            c.kpi_id.in_([kpi.id for kpi in kpis]),
            or_(*(and_(c.van == van, c.tot == tot) for van, tot in sorted(touched)))))
    stored_rows = _store(conn, newest.id, years, kpis, UNITS, True, touched, None) if touched else 0
    conn.execute(update(LoadLog).where(LoadLog.id == newest.id).values(totalen_vanaf=valid_from))
    return stored_rows


def _stored_periods(kpi: Kpi, years: range) -> list[tuple[SubPeriod, ...]]:
    """Every sub-period `rebuild` stores rows of for the KPI (its totals and its breakdowns)."""
    return periods_to_store(kpi, years) + ([breakdown_years(years)] if stored_dimensions(kpi) else [])


def _current_for(conn: Connection, valid_from: int, years: range) -> bool:
    """Whether the rows counting from `valid_from` hold every KPI's totals with its current
    definition, for exactly `years`."""
    c = KPI_TOTALEN.c
    totals_of = (c.dimensie == "", c.laadlog_id >= valid_from)
    current = {(kpi.id, definition(kpi.id, conn.dialect.name)) for kpi in CATALOGUE.values()}
    stored = set(map(tuple, conn.execute(select(c.kpi_id, c.definitie).distinct().where(*totals_of))))
    first, last = conn.execute(select(func.min(c.van), func.max(c.tot)).where(*totals_of)).one()
    return (bool(years) and current <= stored and first is not None
            and range(_as_date(first).year, _as_date(last).year + 1) == years)


@lru_cache(maxsize=None)
def reads_tables(kpi_id: str) -> frozenset[str]:
    """The warehouse tables the KPI's stored rows are computed from: those its query reads when
    it reads the facts only, for its total and every stored breakdown (so an added delivery knows
    which KPIs it changes from the queries themselves; a denominator is read at each request)."""
    kpi = CATALOGUE[kpi_id]
    names: set[str] = set()
    for by in (None, *stored_dimensions(kpi)):
        req = replace(template_request(kpi), by=by)
        statement, _names = sub_period_query(req, 0, req.sub_periods[0], FACTS_ONLY)
        names |= {table.name for table in find_tables(statement, include_aliases=True, include_joins=True,
                                                      include_selects=True)
                  if hasattr(table, "name") and table.name in _TABLE_NAMES}
    return frozenset(names)


#: the order of the values in each row `rebuild` stores
_STORED_COLUMNS = ("kpi_id", "van", "tot", "dimensie", "sleutel", "label", "laadlog_id", "definitie", "n",
                   "aggregaten")


class SameStatementsOnce:
    """Runs the statements of one `_store` step, each statement with the same SQL and values once:
    KPIs whose queries are the same share their rows (totale_kosten, kosten_per_jeugdige and
    pct_budget_besteed all ask the sums and the distinct jeugdigen of the same kosten: their
    rebuild at national scale took 103 s before, 74–84 s after). Keeps the rows of the current and the previous KPI only (a
    national breakdown by school is 10^5 rows); the catalogue lists such KPIs one after another."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.current: dict[tuple, list] = {}
        self.previous: dict[tuple, list] = {}
        self._identities: dict[int, tuple] = {}

    def next_kpi(self) -> None:
        self.previous, self.current = self.current, {}

    def __call__(self, statement, parameters: dict) -> list:
        key = (self._identity(statement), repr(sorted(parameters.items())))
        rows = self.current.get(key)
        if rows is None:
            rows = self.previous.get(key)
        if rows is None:
            rows = [dict(row) for row in self.conn.execute(statement, parameters).mappings()]
        self.current[key] = rows
        return rows

    def _identity(self, statement) -> tuple:
        """What makes two statements the same: SQLAlchemy's cache key (equal keys compile to the
        same SQL; SQLAlchemy's own compiled cache relies on it) and the values bound in it (a
        population's code), in order. Cheaper than compiling each statement to compare its SQL,
        which the execution does once more (a tenth of the KPI oracle's time)."""
        found = self._identities.get(id(statement))
        if found is None or found[0] is not statement:  # the statement itself is kept: ids stay unique
            cache_key = statement._generate_cache_key()
            if cache_key is None:  # not cacheable: its SQL and values
                compiled = statement.compile(dialect=self.conn.dialect)
                identity = (str(compiled), repr(sorted(compiled.params.items())))
            else:
                identity = (cache_key.key, repr([bind.effective_value for bind in cache_key.bindparams]))
            found = self._identities[id(statement)] = (statement, identity)
        return found[1]


def _run_directly(conn: Connection):
    return lambda statement, parameters: conn.execute(statement, parameters).mappings()


def fetch(conn: Connection, req: ResolvedRequest, run=None) -> tuple[dict[int, list[dict]], list[str]]:
    """What the database returns for each sub-period of `req`, read from the sources the planner
    chooses (never from the stored rows this step replaces). `run(statement, parameters)` runs a
    statement (`SameStatementsOnce`; by default directly).

    One statement per sub-period, not the request's UNION ALL of them all: the sub-periods of one
    source share one statement (its dates are parameters), built and compiled once and run per
    period. Building and compiling the unions (36 branches for the months) was two thirds of the
    stored totals' time on the demonstration data (SQLite 3.4 → 1.4 s, PostgreSQL 4.2 → 2.4 s per
    load); at scale 20 the round trips cost a little (16.3 → 17.7 s; docs/performance.md). The
    parallel-query tuning stays the union's: priced for one period it was slower (18.9 s)."""
    tune_for_aggregates(conn, few_facts_per_traject_lookup=req.kpi.bron.fact in ("tevredenheid", "verblijf"),
                        one_period=len(req.sub_periods) == 1)
    plan = plan_for(conn, req, allowed=ALL_BUT_STORED)
    run = run or _run_directly(conn)
    fetched: dict[int, list[dict]] = {}
    names: list[str] = []
    for idx, sub in enumerate(req.sub_periods):
        statement, names, parameters = main_query(_one_period(req, sub), plan)
        for row in run(statement, parameters):
            fetched.setdefault(idx, []).append({**row, "idx": idx})
    return fetched, names


def fetch_breakdowns(conn: Connection, kpi: Kpi, requests: list[tuple[str, tuple[SubPeriod, ...]]],
                     run=None) -> tuple[dict[str, dict[int, list[dict]]], list[str]]:
    """({dimension: what `fetch` returns for the KPI by that dimension over its sub-periods}, the
    aggregates' names) for `requests` ((dimension, sub-periods), without filters), with the
    dimensions that one sub-period reads from the same records in one statement (GROUPING SETS:
    PostgreSQL; `breakdown_passes`). Measured at scale 60: `rebuild` 45.8–47.6 s one dimension at a
    time, 38.7–42.1 s in one pass (docs/performance.md)."""
    found: dict[str, dict[int, list[dict]]] = {by: {} for by, _subs in requests}
    if not requests:
        return found, []
    index = {(by, sub): idx for by, subs in requests for idx, sub in enumerate(subs)}
    template = template_request(kpi)
    names = _aggregate_names(conn, template)
    tune_for_aggregates(conn, few_facts_per_traject_lookup=kpi.bron.fact in ("tevredenheid", "verblijf"),
                        one_period=True)
    plan = plan_for(conn, template, allowed=ALL_BUT_STORED)
    run = run or _run_directly(conn)
    for sub in sorted({sub for _by, sub in index}, key=lambda sub: sub.van):
        dimensions = tuple(by for by, _subs in requests if (by, sub) in index)
        for one_pass in breakdown_passes(kpi, sub, dimensions, plan):
            req = replace(template, van=sub.van, tot=sub.tot, by=one_pass[0], sub_periods=(sub,))
            if len(one_pass) == 1:  # the request's own statement (also from a table of counts)
                statement, _names, parameters = main_query(req, plan)
            else:
                statement, _names, parameters = breakdowns_query(req, sub, one_pass, plan)
            for row in run(statement, parameters):
                by = row.get("dimensie", one_pass[0])
                idx = index[by, sub]
                found[by].setdefault(idx, []).append(
                    {name: value for name, value in row.items() if name != "dimensie"} | {"idx": idx})
    return found, names


def breakdown_passes(kpi: Kpi, sub: SubPeriod, dimensions: tuple[str, ...], plan: Plan) -> list[tuple[str, ...]]:
    """The KPI's breakdowns of one sub-period by `dimensions`, grouped into the statements that
    read them: the dimensions read from the same records together (one pass), a dimension answered
    from the counts per year alone."""
    template = replace(template_request(kpi), van=sub.van, tot=sub.tot, sub_periods=(sub,))
    passes: dict[tuple, list[str]] = {}
    for by in dimensions:
        req = replace(template, by=by)
        if plan.source(req, sub) is COUNTS_PER_YEAR:
            passes[("counts", by)] = [by]
            continue
        # Answers without a traject leave the groups of a traject's dimension (kpi/query.py
        # record_scope), not the gemeente's or respondent's: those are a pass of their own.
        apart = kpi.bron.counts_answers and DIMENSIONS[by].of_traject and by != "gemeente"
        passes.setdefault((plan.source(req, sub, records=True), apart), []).append(by)
    return [tuple(dims) for dims in passes.values()]


def _aggregate_names(conn: Connection, req: ResolvedRequest) -> list[str]:
    """The names of the KPI's aggregates: its query's for one sub-period (every one has them)."""
    one = _one_period(req, req.sub_periods[0])
    return main_query(one, plan_for(conn, one, allowed=ALL_BUT_STORED))[1]


def _one_period(req: ResolvedRequest, sub: SubPeriod) -> ResolvedRequest:
    """`req` asked for one of its sub-periods only."""
    return replace(req, van=sub.van, tot=sub.tot, sub_periods=(sub,))


def ensure(engine: Engine) -> int:
    """Store the totals when the newest load lacks some KPI's with its current definition — a
    warehouse loaded by a caller that did not derive them, or upgraded to a version whose KPI
    queries differ (their stored rows are never read) — so its trends need not read the facts until
    the next load. Returns the rows stored (0: they were there, or there are no facts)."""
    c = KPI_TOTALEN.c
    with engine.begin() as conn:
        current = {(kpi.id, definition(kpi.id, conn.dialect.name)) for kpi in CATALOGUE.values()}
        stored = set(map(tuple, conn.execute(select(c.kpi_id, c.definitie).distinct()
                                             .where(c.dimensie == "", c.laadlog_id >= first_counting_load()))))
        return 0 if current <= stored else rebuild(conn)
