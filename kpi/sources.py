"""Where a number comes from: the planner.

Every number is a sub-period's aggregate per group (its n and the measure's sums). It can be read
from the facts, or from a table the load derived from them (data/warehouse/summaries.py, kpi/totals.py).
Each such table is a `Source`, a type that says which requests it can answer — in two steps:

- `claims(kpi)`, once per KPI when the catalogue loads (`check_catalogue`): the fact and moment the
  KPI counts over, its measure, and **the columns its population and measure read** — found by
  building them once against a recording context — must all be in the table. A KPI whose
  population reads a column a summary lacks (`einddatum`) is not claimed by it: it reads the facts.
- `answers(req, sub, plan)`, per request and sub-period: the period's shape (whole calendar
  years, the years the table covers) and the filters and breakdown.

`Plan.source(req, sub)` takes the first source that claims the KPI and answers, cheapest first; the
facts answer everything. The stored totals and breakdowns (`STORED`) are looked up for the whole
request before that (kpi/totals.py), when the plan allows them. A plan can be narrowed to some
sources (`Plan.allowed`): the planner test computes every KPI once over the facts alone and once
over each source that claims it, and compares.
"""
from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Iterable

from sqlalchemy import Date, Integer, and_, case, func, literal, literal_column, or_, select
from sqlalchemy.sql.expression import ColumnElement, FromClause

from data.warehouse.schema import (
    JEUGDIGEN_ACTIEF_JAAR,
    JEUGDIGEN_PER_JAAR,
    KOSTEN_JEUGDIGE_JAAR,
    MAANDEN,
    Kosten,
    Tevredenheid,
    Traject,
    Verblijf,
)
from data.warehouse.summaries import sum_of
from kpi import measures as m
from kpi.dimensions import DIMENSIONS
from kpi.periods import SubPeriod, is_calendar_year, is_whole_years

if TYPE_CHECKING:
    from kpi.catalogue import Kpi
    from kpi.request import ResolvedRequest

# The facts, by the alias the catalogue's column builders use (c.t, c.v, c.k, c.a).
FACT_TABLES = {"t": Traject.__table__, "v": Verblijf.__table__, "k": Kosten.__table__, "a": Tevredenheid.__table__}


class CatalogueError(ValueError):
    """A KPI the engine cannot compute: refused when the catalogue loads, never at run time."""


# --- the columns a KPI reads ---------------------------------------------------------------------

class _RecordingColumns:
    """A table's columns that note which ones are read."""

    def __init__(self, alias: str, table, seen: set):
        self._alias, self._table, self._seen = alias, table, seen

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        if name not in self._table.c:
            raise CatalogueError(f"kolom {self._alias}.{name} bestaat niet in {self._table.name}")
        self._seen.add((self._alias, name))
        return self._table.c[name]


class _Period:
    """A sub-period as bound values (the period itself is on every source)."""
    van = literal(dt.date(2000, 1, 1), Date)
    tot = literal(dt.date(2000, 12, 31), Date)
    jaar_van = literal(2000, Integer)
    jaar_tot = literal(2000, Integer)


class _RecordingContext:
    def __init__(self, seen: set):
        for alias, table in FACT_TABLES.items():
            setattr(self, alias, _RecordingColumns(alias, table, seen))
        self.p = _Period()


@lru_cache(maxsize=None)
def columns_read(kpi: Kpi) -> frozenset[tuple[str, str]]:
    """(alias, column) of every fact column the KPI's population and measure read."""
    seen: set = set()
    context = _RecordingContext(seen)
    try:
        if kpi.populatie is not None:
            kpi.populatie(context)
        kpi.maat.aggregates(context)
    except CatalogueError as error:
        raise CatalogueError(f"KPI {kpi.id}: {error}") from None
    return frozenset(seen)


def _columns_of(alias: str, table) -> frozenset[tuple[str, str]]:
    return frozenset((alias, name) for name in table.c.keys())


# --- the sources -----------------------------------------------------------------------------------

class Source(ABC):
    """A place a sub-period's aggregates can be read from."""
    name: str = ""
    #: the table the records are read from, standing in for the facts (None: the facts themselves)
    table = None
    #: which alias of the column builders the table stands in for ("t" or "k")
    stands_in_for: str | None = None
    #: its records can be selected, filtered and grouped like the facts (not so a table of counts)
    reads_records: bool = True

    @abstractmethod
    def claims(self, kpi: Kpi) -> bool:
        """Whether some request of `kpi` can be answered here (fixed when the catalogue loads)."""

    @abstractmethod
    def answers(self, req: ResolvedRequest, sub: SubPeriod, plan: Plan) -> bool:
        """Whether this sub-period of the request can be answered here."""

    def records(self, kpi: Kpi, p) -> tuple[FromClause, ColumnElement]:
        """The FROM clause and the condition that a record belongs to the sub-period `p` (bound
        values: van, tot, jaar_van, jaar_tot); only where `reads_records`."""
        raise TypeError(f"{self.name} holds counts, not records: the plan never selects records from it")

    def columns(self, p):
        """The columns the KPI's expressions read in place of the facts' (`stands_in_for`), for
        the sub-period `p`."""
        return self.table.c

    def for_sub(self, sub: SubPeriod) -> Source:
        """The source that reads this sub-period (itself, or one made for the sub-period's shape)."""
        return self

    @property
    def family(self) -> Source:
        """The source of SOURCES this one reads for (itself, or the one that made it for a sub-period)."""
        return self

    def __repr__(self) -> str:
        return self.name


class Facts(Source):
    """The facts themselves: every request."""
    name = "feiten"

    def claims(self, kpi):
        return True

    def answers(self, req, sub, plan):
        return True

    def records(self, kpi, p):
        bron = kpi.bron
        if bron.moment == "maand":
            return fact_from(bron.fact), FACT_TABLES["k"].c.maand.between(p.van, p.tot)
        if bron.moment == "jaar":
            return fact_from(bron.fact), FACT_TABLES["a"].c.jaar.between(p.jaar_van, p.jaar_tot)
        table = FACT_TABLES["t" if bron.fact == "traject" else "v"]
        start, end = table.c.startdatum, table.c.einddatum
        in_period = {"actief": lambda: and_(start <= p.tot, or_(end.is_(None), end >= p.van)),
                     "gestart": lambda: start.between(p.van, p.tot),
                     "beeindigd": lambda: end.between(p.van, p.tot)}[bron.moment]()
        return fact_from(bron.fact), in_period


def _summary_may_answer(req: ResolvedRequest) -> bool:
    """The request groups and filters only by the traject's keys, which every summary carries, and
    filters on no dimension of small groups: within one wijk or school the index on the trajecten
    finds the facts faster than a scan of a summary, which has no such index (scale 60: totale_kosten
    of one wijk in a year 50 ms from kosten_jeugdige_jaar, 14 ms from the facts; docs/performance.md)."""
    return (all(DIMENSIONS[d].of_traject for d in req.dimensions_used())
            and not any(DIMENSIONS[d].small_groups for d, _value in req.where))


class KostenSummary(Source):
    """Kosten per jeugdige per calendar year with the traject's keys and each month's sum
    (`kosten_jeugdige_jaar`, data/warehouse/summaries.py): a KPI over the kosten whose aggregates
    are all sums (a COUNT of records needs the rows themselves) and that reads no column but the
    summary's. `whole_years`: periods of whole calendar years, read from the years' sums; else any
    range of months, read per sub-period through `for_sub` (`KostenMonths`)."""
    stands_in_for = "k"
    table = KOSTEN_JEUGDIGE_JAAR

    def __init__(self, whole_years: bool):
        self.whole_years = whole_years
        self.name = KOSTEN_JEUGDIGE_JAAR.name if whole_years else f"{KOSTEN_JEUGDIGE_JAAR.name}_maanden"

    def claims(self, kpi):
        return (kpi.bron.fact == "kosten" and kpi.maat.sums_only
                and (self.whole_years or not kpi.alleen_kalenderjaar)   # a calendar year is whole years
                and columns_read(kpi) <= _columns_of("k", self.table))

    def answers(self, req, sub, plan):
        if not _summary_may_answer(req):
            return False
        return is_whole_years(sub.van, sub.tot) if self.whole_years else kosten_months(sub) is not None

    def records(self, kpi, p):
        return self.table, self.table.c.jaar.between(p.jaar_van, p.jaar_tot)

    def for_sub(self, sub: SubPeriod) -> Source:
        return self if self.whole_years else KostenMonths(*kosten_months(sub))


def kosten_months(sub: SubPeriod) -> tuple[int, int, bool] | None:
    """The months whose kosten rows fall in the sub-period (a row's `maand` is the month's first
    day), as (first month in the first year, last month in the last year, whether the years
    differ); the years are the sub-period's own. None where the period holds no month's first
    day, or its first one lies in the next year (from a day after 1 December): the facts answer."""
    first = sub.van.month + (sub.van.day > 1)
    if first > 12 or (sub.van.year == sub.tot.year and first > sub.tot.month):
        return None
    return first, sub.tot.month, sub.van.year != sub.tot.year


_MONTH_MASKS = tuple(1 << (month - 1) for month in range(1, 13))


@dataclass(frozen=True)
class KostenMonths(Source):
    """A range of months of `kosten_jeugdige_jaar`: in the first year from month `first`, in the
    last year to month `last` (one year: `first`..`last`), the years between whole. A row belongs
    to the range when one of its months with kosten rows does (`maanden`); its amount is the sum of
    those months. Equal ranges are equal sources, so a statement's shape names its months."""
    first: int
    last: int
    spans_years: bool
    stands_in_for = "k"
    table = KOSTEN_JEUGDIGE_JAAR

    @property
    def name(self) -> str:
        return f"{KOSTEN_JEUGDIGE_JAAR.name}_maanden_{self.first}_{self.last}"

    @property
    def family(self) -> Source:
        return KOSTEN_PER_MONTH

    def claims(self, kpi):
        return KOSTEN_PER_MONTH.claims(kpi)

    def answers(self, req, sub, plan):
        return KOSTEN_PER_MONTH.answers(req, sub, plan) and kosten_months(sub) == (self.first, self.last, self.spans_years)

    def _months(self) -> tuple[range, range]:
        """The months read in the first year and in the last (the same year when it spans none)."""
        if not self.spans_years:
            return range(self.first, self.last + 1), range(self.first, self.last + 1)
        return range(self.first, 13), range(1, self.last + 1)

    def records(self, kpi, p):
        c = self.table.c
        first_year, last_year = self._months()
        if not self.spans_years:
            return self.table, and_(c.jaar == p.jaar_van, *_has_kosten_in(c, first_year))
        return self.table, and_(c.jaar.between(p.jaar_van, p.jaar_tot),
                                *(or_(c.jaar != year, *_has_kosten_in(c, months))
                                  for year, months in ((p.jaar_van, first_year), (p.jaar_tot, last_year))
                                  if len(months) < 12))

    def columns(self, p):
        c = self.table.c
        first_year, last_year = self._months()
        amount = _sum_of(c, first_year)
        if self.spans_years:
            amount = case((c.jaar == p.jaar_van, amount), (c.jaar == p.jaar_tot, _sum_of(c, last_year)),
                          else_=c.bedrag_cent)
        return _Columns(c, bedrag_cent=amount)


def _has_kosten_in(c, months: range) -> list[ColumnElement]:
    """The condition that a row has kosten rows in one of `months` (none for the whole year)."""
    if len(months) == 12:
        return []
    mask = sum(_MONTH_MASKS[month - 1] for month in months)
    return [c.maanden.op("&")(literal_column(str(mask))) != literal_column("0")]


def _sum_of(c, months: range) -> ColumnElement:
    """A row's amount in `months` (a month without kosten rows is NULL in the row: 0 here)."""
    if len(months) == 12:
        return c.bedrag_cent
    return sum_of([func.coalesce(c[MAANDEN[month - 1]], literal_column("0")) for month in months])


class _Columns:
    """A table's columns, some of them replaced by expressions over its row."""

    def __init__(self, columns, **replaced):
        self._columns, self._replaced = columns, replaced

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        return self._replaced[name] if name in self._replaced else self._columns[name]


class RunningPerYear(Source):
    """Every jeugdige with a traject running in a calendar year, with its keys and geboortejaar
    (`jeugdigen_actief_jaar`): distinct jeugdigen with a running traject, for periods of whole
    calendar years up to the last year the table covers, when the KPI reads no other column."""
    table = JEUGDIGEN_ACTIEF_JAAR
    stands_in_for = "t"
    name = JEUGDIGEN_ACTIEF_JAAR.name

    def claims(self, kpi):
        return (kpi.bron == m.TRAJECT_ACTIEF and isinstance(kpi.maat, (m.DistinctJeugdigen, m.ShareOfPopulation))
                and columns_read(kpi) <= _columns_of("t", self.table))

    def answers(self, req, sub, plan):
        return (plan.covered_to is not None and _summary_may_answer(req)
                and is_whole_years(sub.van, sub.tot) and sub.tot.year <= plan.covered_to)

    def records(self, kpi, p):
        return self.table, self.table.c.jaar.between(p.jaar_van, p.jaar_tot)


#: dimensions `jeugdigen_per_jaar` holds counts by
PER_JAAR_DIMENSIONS = ("wijk", "gemeente", "school", "verwijzer", "hulpvorm", "aanbieder")


class CountsPerYear(Source):
    """The distinct count of jeugdigen with a running traject per calendar year, in total and per
    group of one dimension, computed at load (`jeugdigen_per_jaar`): a plain count without a
    population, of one calendar year, without filters or with only a gemeente (then in total or by
    gemeente: the gemeente's own group is its total)."""
    table = JEUGDIGEN_PER_JAAR
    name = JEUGDIGEN_PER_JAAR.name
    reads_records = False

    def claims(self, kpi):
        return RUNNING_PER_YEAR.claims(kpi) and type(kpi.maat) is m.DistinctJeugdigen and kpi.populatie is None

    def answers(self, req, sub, plan):
        if plan.covered_to is None or (req.by is not None and req.by not in PER_JAAR_DIMENSIONS):
            return False
        if req.where and (self.gemeente(req) is None or req.by not in (None, "gemeente")):
            return False
        return is_calendar_year(sub.van, sub.tot) and sub.van.year <= plan.covered_to

    def statement(self, req: ResolvedRequest, idx: int, p, filter_values: dict):
        """(idx[, key], n) of the sub-period, as kpi/query.py's `sub_period_query` would give them;
        `p`: the sub-period's parameters, `filter_values`: the filters' (kpi/query.py)."""
        c = self.table.c
        columns = [literal(idx, Integer).label("idx")] + ([c.sleutel.label("key")] if req.by else [])
        conditions = [c.jaar == p.jaar_van]
        if self.gemeente(req) is not None:
            conditions += [c.dimensie == "gemeente", c.sleutel == filter_values["gemeente"]]
        else:
            conditions.append(c.dimensie == (req.by or "totaal"))
        return select(*columns, c.jeugdigen.label("n")).where(*conditions)

    @staticmethod
    def gemeente(req: ResolvedRequest) -> str | None:
        """The gemeente of a request filtered by nothing else, or None."""
        return dict(req.where).get("gemeente") if [d for d, _ in req.where] == ["gemeente"] else None


class StoredTotals(Source):
    """The totals and breakdowns the load stored per KPI (`kpi_totalen`, kpi/totals.py): what the
    facts return for a calendar year, quarter or month without filters (or within one group of one
    dimension). Looked up in the database for the whole request before the other sources."""
    name = "kpi_totalen"
    reads_records = False

    def claims(self, kpi):
        return True

    def answers(self, req, sub, plan):  # decided by what the newest load stored (kpi/totals.py)
        return False


FACTS = Facts()
KOSTEN_PER_YEAR = KostenSummary(whole_years=True)
KOSTEN_PER_MONTH = KostenSummary(whole_years=False)
RUNNING_PER_YEAR = RunningPerYear()
COUNTS_PER_YEAR = CountsPerYear()
STORED = StoredTotals()

#: every source, cheapest first (the stored totals are looked up before the others)
SOURCES: tuple[Source, ...] = (STORED, COUNTS_PER_YEAR, RUNNING_PER_YEAR, KOSTEN_PER_YEAR, KOSTEN_PER_MONTH, FACTS)


@lru_cache(maxsize=None)
def claiming(kpi: Kpi) -> tuple[Source, ...]:
    """The sources that can answer some request of `kpi`, cheapest first (always ending with the facts)."""
    return tuple(source for source in SOURCES if source.claims(kpi))


def check_catalogue(kpis: Iterable[Kpi]) -> None:
    """Build every KPI's expressions once, so a KPI reading a column that does not exist is refused
    when the catalogue loads; and fix which sources claim it."""
    for kpi in kpis:
        columns_read(kpi)
        claiming(kpi)


@dataclass(frozen=True)
class Plan:
    """How one request's sub-periods are read."""
    #: the last year `jeugdigen_actief_jaar` covers (None: not asked, or no trajecten)
    covered_to: int | None = None
    #: the sources this plan may use besides the facts (None: every one)
    allowed: frozenset[Source] | None = None

    def may_use(self, source: Source) -> bool:
        return source is FACTS or self.allowed is None or source in self.allowed

    def source(self, req: ResolvedRequest, sub: SubPeriod, records: bool = False) -> Source:
        """The cheapest source that claims the KPI and answers this sub-period of the request;
        `records`: one whose records a query can select and group at will (not a table of counts)."""
        for source in claiming(req.kpi):
            if (source is not STORED and self.may_use(source) and (source.reads_records or not records)
                    and source.answers(req, sub, self)):
                return source.for_sub(sub)
        return FACTS


#: every source, without knowing how far the running-trajecten summary reaches (so not that one)
EVERY_SOURCE = Plan()


def fact_from(fact: str) -> FromClause:
    """The facts of a KPI's records, with the trajecten joined where they are not the facts."""
    t, v, k, a = (FACT_TABLES[alias] for alias in "tvka")
    if fact == "traject":
        return t
    if fact == "verblijf":
        return v.join(t, v.c.traject_id == t.c.traject_id)
    if fact == "kosten":
        return k.join(t, k.c.traject_id == t.c.traject_id)
    return a.outerjoin(t, a.c.traject_id == t.c.traject_id)  # answers keep their traject's keys when they have one
