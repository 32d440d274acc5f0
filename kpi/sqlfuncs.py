"""The only dialect-specific SQL: date arithmetic, greatest/least of two dates, bytewise text
comparison and per-query settings.

SQLite stores DATE as ISO text (which orders correctly) and counts days with julianday();
PostgreSQL subtracts dates to an integer number of days.
"""
from __future__ import annotations

from sqlalchemy import Date, Integer, String, literal_column
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement

from data.db import set_local


class days_between(FunctionElement):
    """Whole days from the first date to the second (`end − start`; same day = 0)."""
    type = Integer()
    inherit_cache = True
    name = "days_between"


@compiles(days_between)
def _days_between_default(element, compiler, **kw):
    start, end = list(element.clauses)
    return f"({compiler.process(end, **kw)} - {compiler.process(start, **kw)})"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element, compiler, **kw):
    start, end = list(element.clauses)
    return (f"CAST(julianday({compiler.process(end, **kw)}) - "
            f"julianday({compiler.process(start, **kw)}) AS INTEGER)")


class add_days(FunctionElement):
    """A date plus a fixed whole number of days."""
    type = Date()
    inherit_cache = True
    name = "add_days"

    def __init__(self, date_expr: ColumnElement, days: int):
        # The day count is a literal clause, so it is part of the statement cache key.
        super().__init__(date_expr, literal_column(str(int(days))))


@compiles(add_days)
def _add_days_default(element, compiler, **kw):
    date_expr, days = list(element.clauses)
    return f"({compiler.process(date_expr, **kw)} + {int(days.name)})"


@compiles(add_days, "sqlite")
def _add_days_sqlite(element, compiler, **kw):
    date_expr, days = list(element.clauses)
    return f"date({compiler.process(date_expr, **kw)}, '{int(days.name):+d} days')"


class later_date(FunctionElement):
    """The later of two dates."""
    type = Date()
    inherit_cache = True
    name = "later_date"


@compiles(later_date)
def _later_default(element, compiler, **kw):
    return f"GREATEST({compiler.process(element.clauses, **kw)})"


@compiles(later_date, "sqlite")
def _later_sqlite(element, compiler, **kw):
    return f"max({compiler.process(element.clauses, **kw)})"


class earlier_date(FunctionElement):
    """The earlier of two dates."""
    type = Date()
    inherit_cache = True
    name = "earlier_date"


@compiles(earlier_date)
def _earlier_default(element, compiler, **kw):
    return f"LEAST({compiler.process(element.clauses, **kw)})"


@compiles(earlier_date, "sqlite")
def _earlier_sqlite(element, compiler, **kw):
    return f"min({compiler.process(element.clauses, **kw)})"


class bytewise(FunctionElement):
    """A text column compared byte by byte (code-point order for UTF-8) on PostgreSQL.

    The database's default collation (C.UTF-8 here) sorts through strcoll(), which made the sorts
    behind COUNT(DISTINCT …) and GROUP BY several times slower at national scale (grouping 0.86 M
    trajecten by school: 0.90 → 0.65 s with the group key compared bytewise as well). Equality is the
    same under both collations (they are deterministic), so counts and groups do not change.
    SQLite already compares text bytewise."""
    type = String()
    inherit_cache = True
    name = "bytewise"


@compiles(bytewise)
def _bytewise_default(element, compiler, **kw):
    return f'({compiler.process(element.clauses, **kw)} COLLATE "C")'


@compiles(bytewise, "sqlite")
def _bytewise_sqlite(element, compiler, **kw):
    return compiler.process(element.clauses, **kw)


def tune_for_aggregates(conn, few_facts_per_traject_lookup: bool = False, one_period: bool = False) -> None:
    """Settings for one KPI query's transaction (SET LOCAL: undone at its end).

    PostgreSQL: JIT compilation cost ~0.5 s per big aggregate and never paid back at this size;
    the default 4 MB work_mem made the sorts behind COUNT(DISTINCT) spill to disk (measured:
    kosten per maand 2.1 s → 0.6 s with 64 MB).

    `one_period` (a request of one sub-period): gathering rows from parallel workers is priced
    cheaper (parallel_tuple_cost 0.1 → 0.001, setup 1000 → 100), so the scan and sort of a year's
    trajecten run in parallel ahead of the GROUP BY: ended trajecten per school 0.48 → 0.46 s (in
    psql 0.46 → 0.40 s). Not with several sub-periods: their branches already run side by side,
    and more parallel workers on 2 cores made jeugdigen per wijk per kwartaal 1.28 → 1.89 s.

    `few_facts_per_traject_lookup` (survey answers and verblijven: a small fact table whose rows
    take their traject's keys): random_page_cost 1.1 (default 4, priced for spinning disks; 1.1 is
    the usual value for SSDs and a warehouse held in memory). With 4 the planner hashed all 3.9 M
    trajecten to attach a wijk to 0.19 M answers (1.2 s) instead of looking each up in the primary
    key (0.3 s); verblijf per school 0.51 → 0.30 s. Not for the KPIs over trajecten or kosten: there
    it traded sequential scans for slower index scans (distinct jeugdigen per wijk 0.8 → 1.2 s).
    SQLite: nothing to tune."""
    if conn.dialect.name == "postgresql":
        # Each setting is set either way: several KPI queries in one transaction (the load's
        # stored totals, kpi/totals.py) must not inherit the previous query's choice. One round
        # trip for all five (a statement without parameters may hold several), none when they are
        # in force already (a request's linked breakdown after its own rows, the stored totals'
        # next request of a KPI).
        set_local(conn, "; ".join((
            "SET LOCAL jit = off",
            "SET LOCAL work_mem = '64MB'",
            "SET LOCAL parallel_tuple_cost = " + ("0.001" if one_period else "DEFAULT"),
            "SET LOCAL parallel_setup_cost = " + ("100" if one_period else "DEFAULT"),
            "SET LOCAL random_page_cost = " + ("1.1" if few_facts_per_traject_lookup else "DEFAULT"))))


class _epoch_monday(FunctionElement):
    """1990-01-01, a Monday before every date the warehouse holds (dates start in 1990)."""
    type = Date()
    inherit_cache = True
    name = "epoch_monday"


@compiles(_epoch_monday)
def _epoch_default(element, compiler, **kw):
    return "DATE '1990-01-01'"


@compiles(_epoch_monday, "sqlite")
def _epoch_sqlite(element, compiler, **kw):
    return "'1990-01-01'"


def _weekdays_through(date_expr: ColumnElement) -> ColumnElement:
    """Monday-to-Friday days from 1990-01-01 up to and including the date: 5 per whole week plus
    the week's part (integer division and modulo behave alike on both databases)."""
    from sqlalchemy import case

    n = days_between(_epoch_monday(), date_expr)
    return 5 * (n // 7) + case((n % 7 > 4, 4), else_=n % 7) + 1


def workdays_between(start: ColumnElement, end: ColumnElement) -> ColumnElement:
    """Werkdagen (Monday–Friday) after `start` up to and including `end`: a request on Monday
    decided the next Monday took 5. Public holidays are not known and count as working days."""
    return _weekdays_through(end) - _weekdays_through(start)
