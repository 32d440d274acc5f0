"""Fact sources and measure types, the building blocks of the catalogue.

A KPI = a source (which records qualify in a period) + a population filter + a measure. The
database returns plain sums and counts per (sub-period, group); the final arithmetic (ratios,
means, euros from cents) happens here in Python, identically on every backend.

A ratio is a first-class measure (Σ teller / Σ noemer), so a breakdown stays consistent with
its total.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from sqlalchemy import case, func
from sqlalchemy.sql.expression import ColumnElement

# A column builder: given the query context (see kpi/query.py: .t trajecten, .v verblijf,
# .k kosten, .a tevredenheid, .p the sub-period), return a SQL expression.
Expr = Callable[[Any], ColumnElement]


#: per fact, the moments at which one of its records belongs to a period
MOMENTS = {
    "traject": ("actief", "gestart", "beeindigd"),     # runs in it, starts in it, ends in it
    "verblijf": ("actief", "gestart", "beeindigd"),
    "kosten": ("maand",),                              # its month lies in it
    "tevredenheid": ("jaar",),                         # its survey year lies in it
}


@dataclass(frozen=True)
class Records:
    """Which records a KPI counts over, and when such a record belongs to a period (the KPI's
    `bron`). Where the numbers are read from — facts or a summary — is the planner's choice
    (kpi/sources.py)."""
    fact: str       # "traject", "verblijf", "kosten" or "tevredenheid"
    moment: str     # one of MOMENTS[fact]
    omschrijving: str

    def __post_init__(self):
        if self.moment not in MOMENTS.get(self.fact, ()):
            raise ValueError(f"onbekende combinatie van feit en moment: {self.fact}/{self.moment}")

    @property
    def counts_answers(self) -> bool:
        return self.fact == "tevredenheid"


TRAJECT_ACTIEF = Records("traject", "actief", "trajecten die in de periode lopen")
TRAJECT_GESTART = Records("traject", "gestart", "trajecten die in de periode starten")
TRAJECT_BEEINDIGD = Records("traject", "beeindigd", "trajecten die in de periode eindigen")
VERBLIJF_ACTIEF = Records("verblijf", "actief", "verblijven die in de periode lopen")
VERBLIJF_BEEINDIGD = Records("verblijf", "beeindigd", "verblijven die in de periode eindigen")
KOSTEN_IN_PERIODE = Records("kosten", "maand", "kostenregels van de maanden in de periode")
ANTWOORDEN = Records("tevredenheid", "jaar", "antwoorden uit de enquêtejaren van de periode")


def _flag(condition: ColumnElement) -> ColumnElement:
    return case((condition, 1), else_=0)


def _ratio(teller, noemer, factor: int = 1):
    """factor × teller / noemer, or None when the denominator is empty or zero."""
    if not noemer:
        return None
    return factor * teller / noemer


class Measure:
    """How a value is made from the aggregates of one group."""
    #: extra denominator from outside the fact table ("bevolking_0_17", "budget") or None
    noemer_bron: str | None = None
    #: every aggregate is a SUM of a per-record amount, so it may also run over rows that
    #: pre-sum several records (the kosten summary, kpi/query.py); a COUNT may not
    sums_only: bool = False

    def aggregates(self, ctx) -> dict[str, ColumnElement]:
        return {}

    def value(self, agg: dict[str, int], n: int, noemer: int | None = None):
        raise NotImplementedError


@dataclass(frozen=True)
class DistinctJeugdigen(Measure):
    """The number of distinct jeugdigen (value = n)."""

    def value(self, agg, n, noemer=None):
        return n


@dataclass(frozen=True)
class CountRecords(Measure):
    """The number of qualifying records (trajecten)."""

    def aggregates(self, ctx):
        return {"aantal": func.count()}

    def value(self, agg, n, noemer=None):
        return int(agg["aantal"])


@dataclass(frozen=True)
class Percentage(Measure):
    """100 × records meeting `teller` / all qualifying records."""
    teller: Expr

    def aggregates(self, ctx):
        return {"teller": func.sum(_flag(self.teller(ctx))), "noemer": func.count()}

    def value(self, agg, n, noemer=None):
        return _ratio(int(agg["teller"]), int(agg["noemer"]), 100)


@dataclass(frozen=True)
class Mean(Measure):
    """Mean of a whole-number expression (days) over the qualifying records."""
    expr: Expr

    def aggregates(self, ctx):
        return {"som": func.sum(self.expr(ctx)), "aantal": func.count()}

    def value(self, agg, n, noemer=None):
        return _ratio(int(agg["som"]), int(agg["aantal"]))


@dataclass(frozen=True)
class RatioOfSums(Measure):
    """100 × Σ teller / Σ noemer over the qualifying records."""
    teller: Expr
    noemer: Expr

    def aggregates(self, ctx):
        return {"teller": func.sum(self.teller(ctx)), "noemer": func.sum(self.noemer(ctx))}

    def value(self, agg, n, noemer=None):
        return _ratio(int(agg["teller"]), int(agg["noemer"]), 100)


@dataclass(frozen=True)
class SumEuros(Measure):
    """Σ of an amount in cents, in euros."""
    cents: Expr
    sums_only = True

    def aggregates(self, ctx):
        return {"som": func.sum(self.cents(ctx))}

    def value(self, agg, n, noemer=None):
        return int(agg["som"]) / 100


@dataclass(frozen=True)
class EurosPerJeugdige(Measure):
    """Σ of an amount in cents, in euros, per distinct jeugdige (n)."""
    cents: Expr
    sums_only = True

    def aggregates(self, ctx):
        return {"som": func.sum(self.cents(ctx))}

    def value(self, agg, n, noemer=None):
        return None if not n else int(agg["som"]) / 100 / n


@dataclass(frozen=True)
class ShareOfPopulation(Measure):
    """100 × n / Σ bevolking.aantal_0_17 of year(tot) (denominator from kpi/query.py)."""
    noemer_bron = "bevolking_0_17"

    def value(self, agg, n, noemer=None):
        return _ratio(n, noemer, 100)


@dataclass(frozen=True)
class ShareOfBudget(Measure):
    """100 × Σ kosten / Σ budget of year(tot) (denominator from kpi/query.py)."""
    cents: Expr
    noemer_bron = "budget"
    sums_only = True

    def aggregates(self, ctx):
        return {"som": func.sum(self.cents(ctx))}

    def value(self, agg, n, noemer=None):
        return _ratio(int(agg["som"]), noemer, 100)


@dataclass(frozen=True)
class MeanScore(Measure):
    """Mean of the answers' scores."""

    def aggregates(self, ctx):
        return {"som": func.sum(ctx.a.score), "aantal": func.count()}

    def value(self, agg, n, noemer=None):
        return _ratio(int(agg["som"]), int(agg["aantal"]))
