"""The year-end forecast of totale_kosten: in total, per gemeente and per hulpvorm.

    forecast(engine, 2026)                     # uncached; every figure of PrognoseResultaat
    forecast(engine, 2026, compute=service.compute)   # the disclosure checks through the cache

The declarations are read once, aggregated in the database (kpi/forecast/reads.py); each series is
the sum of its cells, completed and forecast by kpi/forecast/year_end.py.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import pandas as pd
from sqlalchemy.engine import Connection, Engine

from kpi import format as fmt
from kpi.forecast import budget as budget_rules
from kpi.forecast import disclosure, reads
from kpi.forecast.completion import MAX_AGE, WINDOW
from kpi.forecast.model import FIT_MONTHS
from kpi.forecast.results import Maand, Prognose, PrognoseResultaat
from kpi.forecast.year_end import YearEnd, year_end
from kpi.query import group_label


class ForecastError(ValueError):
    """A forecast that cannot be made for what was asked (no data for the year, a bad
    peildatum); the message is Dutch and says why."""


@dataclass(frozen=True)
class Basis:
    """What the forecast and the backtest read from the warehouse."""
    cells: pd.DataFrame
    peildatum: dt.date
    corrected: bool
    first_month: pd.Period

    @property
    def current(self) -> pd.Period:
        return pd.Period(self.peildatum, freq="M")


def month_end(day: dt.date) -> dt.date:
    following = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def last_complete_month_end(day: dt.date) -> dt.date:
    """`day` itself when it ends its month, else the end of the month before: the completion works
    on whole receipt months, so receipts of a month that has not ended wait for the next run."""
    return day if month_end(day) == day else dt.date(day.year, day.month, 1) - dt.timedelta(days=1)


def read_basis(conn: Connection, first_year: int | None = None, peildatum: dt.date | None = None,
               years_back: int = 0) -> Basis:
    """The cells of the care months from `first_year` (default: `years_back` years before the
    peildatum's year) on, plus what the model and the chain-ladder look back before it. The peildatum: the given day, else the latest
    receipt date, else (no receipt dates) the end of the latest care month; in each case the end
    of the last complete month on or before it."""
    latest_receipt, latest_month = reads.latest_dates(conn)
    first = reads.first_month(conn)
    if latest_month is None or first is None:
        raise ForecastError("het datawarehouse bevat geen kosten; laad eerst kosten.csv")
    if peildatum is None:
        peildatum = latest_receipt if latest_receipt is not None else month_end(latest_month)
    peildatum = last_complete_month_end(peildatum)
    if peildatum < first:
        raise ForecastError(f"de peildatum {fmt.datum(peildatum)} ligt voor de eerste kostenmaand "
                            f"({fmt.datum(first)})")
    look_back_months = FIT_MONTHS + WINDOW + MAX_AGE
    if first_year is None:
        first_year = peildatum.year - years_back
    since = (pd.Period(dt.date(min(first_year, peildatum.year), 1, 1), freq="M")
             - look_back_months).to_timestamp().date()
    cells = reads.receipt_cells(conn, max(since, first), peildatum)
    corrected = bool(len(cells)) and int(cells["gedateerd"].sum()) > 0
    return Basis(cells, peildatum, corrected, pd.Period(first, freq="M"))


def check_year(basis: Basis, jaar: int) -> None:
    first, last = basis.first_month, basis.current
    if not first.year <= jaar <= last.year:
        raise ForecastError(
            f"voor {jaar} zijn geen kosten in het datawarehouse (kosten van {fmt.periode_label(str(first))} "
            f"t/m {fmt.periode_label(str(last))})")


def forecast(bind: Engine | Connection, jaar: int, peildatum: dt.date | None = None,
             compute: disclosure.Compute | None = None) -> PrognoseResultaat:
    """Every series' year-end forecast of `jaar` (see the module docstring). `compute` answers the
    KPI requests of the small-number checks (default: the uncached engine on `bind`)."""
    if isinstance(bind, Engine):
        with bind.connect() as conn:
            return forecast(conn, jaar, peildatum, compute)
    conn = bind
    basis = read_basis(conn, jaar, peildatum)
    check_year(basis, jaar)
    if compute is None:
        from kpi.computation import compute as compute_kpi

        def compute(request):
            return compute_kpi(conn, request)
    budgets = reads.budgets(conn, jaar)
    names = reads.gemeente_names(conn)
    cells = basis.cells
    total_budget = sum(budgets.values()) if budgets else None
    computed = _series(basis, cells, jaar, "totaal", None, "Totaal", total_budget)
    total_shown = disclosure.total_shown(compute, jaar, basis.peildatum)
    total = computed if total_shown else _hidden(computed)

    shown, threshold = disclosure.shown_groups(compute, jaar, basis.peildatum, "gemeente")
    gemeenten = sorted(cells["gemeente"].unique()) if len(cells) else []
    per_gemeente = []
    for code in gemeenten:
        naam = names.get(code, code)
        if len(gemeenten) == 1 and budgets.get(code) == total_budget:  # the total itself: computed once
            series = replace(computed, reeks="gemeente", sleutel=code, naam=naam)
        else:
            series = _series(basis, cells[cells["gemeente"] == code], jaar, "gemeente", code, naam,
                             budgets.get(code))
        per_gemeente.append(series if code in shown and total_shown else _hidden(series))

    shown_h, _ = disclosure.shown_groups(compute, jaar, basis.peildatum, "hulpvorm")
    per_hulpvorm = []
    recent = cells[cells["maand"] > basis.current - 12] if len(cells) else cells
    for code in sorted(recent["hulpvorm"].unique()) if len(recent) else []:
        series = _series(basis, cells[cells["hulpvorm"] == code], jaar, "hulpvorm", code,
                         group_label("hulpvorm", code, None), None)
        per_hulpvorm.append(series if code in shown_h else _hidden(series))
    return PrognoseResultaat(jaar, basis.peildatum, basis.corrected, not basis.corrected, total,
                             tuple(per_gemeente), tuple(per_hulpvorm), threshold)


def _series(basis: Basis, cells: pd.DataFrame, jaar: int, reeks: str, sleutel: str | None, naam: str,
            budget: float | None) -> Prognose:
    year = year_end(cells, basis.current, jaar, basis.corrected)
    return prognose_of(year, jaar, reeks, sleutel, naam, budget)


def prognose_of(year: YearEnd, jaar: int, reeks: str, sleutel: str | None, naam: str,
                budget: float | None) -> Prognose:
    """A series' YearEnd as the Prognose screens and exports show."""
    low, high = year.interval
    over, over_low, over_high = budget_rules.overshoot(year, budget)
    past = [kind != "prognose" for kind in year.kind]
    maanden = tuple(
        Maand(month.to_timestamp().date(), kind, _euro(known), _euro(expected), _euro(lo), _euro(hi),
              None if year.completeness is None else round(float(p), 4))
        for month, kind, known, expected, lo, hi, p in zip(
            year.months, year.kind, year.known, year.expected, year.low, year.high,
            year.completeness if year.completeness is not None else [None] * 12, strict=True))
    realised = float(sum(k for k, is_past in zip(year.known, past, strict=True) if is_past))
    expected_past = float(sum(e for e, is_past in zip(year.expected, past, strict=True) if is_past))
    rest = float(sum(e for e, is_past in zip(year.expected, past, strict=True) if not is_past))
    return Prognose(
        reeks=reeks, sleutel=sleutel, naam=naam, jaar=jaar,
        gerealiseerd=_euro(realised), nog_te_verwachten=_euro(expected_past - realised),
        prognose_rest=_euro(rest), verwacht_totaal=_euro(year.point),
        totaal_laag=_euro(min(low, year.point)), totaal_hoog=_euro(max(high, year.point)),
        budget=budget, budget_op=budget_rules.used_up_in(year, budget),
        overschrijding=None if over is None else _euro(over),
        overschrijding_laag=None if over_low is None else _euro(min(over_low, over)),
        overschrijding_hoog=None if over_high is None else _euro(max(over_high, over)),
        maanden=maanden, model=year.fit.model, terugval=year.fit.terugval)


def _hidden(series: Prognose) -> Prognose:
    """A series the small-number rules hide: its name only."""
    return Prognose(series.reeks, series.sleutel, series.naam, series.jaar, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
                    None, None, None, None, None, (), "", None, afgeschermd=True)


def _euro(value: float) -> float:
    return round(float(value), 2)

