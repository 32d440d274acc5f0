"""The year-end forecast of totale_kosten: in total, per gemeente and per hulpvorm.

    forecast(engine, 2026)        # uncached; kpi/forecast/cached.py caches it on a KpiService

The declarations are read once, aggregated in the database (kpi/forecast/reads.py); each series is
the sum of its cells, completed and forecast by kpi/forecast/year_end.py. The interval of every
series is widened by the factor the total's earlier forecasts on this warehouse call for
(kpi/forecast/calibration.py; the series share the total's factor, as they are too small for a
backtest of their own).
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy.engine import Connection, Engine

from kpi.forecast import budget as budget_rules
from kpi.forecast import calibration, disclosure, reads
from kpi.forecast.basis import Basis, check_year, read_basis
from kpi.forecast.origins import CALIBRATION_YEARS, YEARS, Origin, completed_years, origins_for
from kpi.forecast.results import Maand, Prognose, PrognoseResultaat
from kpi.forecast.year_end import YearEnd, patterns_at, year_end
from kpi.query import group_label


def forecast(bind: Engine | Connection, jaar: int, peildatum: dt.date | None = None,
             compute: disclosure.Compute | None = None, history: tuple[Origin, ...] | None = None,
             basis: Basis | None = None) -> PrognoseResultaat:
    """Every series' year-end forecast of `jaar` (see the module docstring). `compute` answers the
    KPI requests of the small-number checks (default: the uncached engine on `bind`); `history`:
    the rolling-origin forecasts for the calibration when already computed (the service caches
    them; they are the backtest's); `basis`: the declarations when already read (for `jaar`, as
    `read_basis(conn, first_year=jaar, …)` reads them)."""
    if isinstance(bind, Engine):
        with bind.connect() as conn:
            return forecast(conn, jaar, peildatum, compute, history, basis)
    conn = bind
    if basis is None:
        basis = read_basis(conn, first_year=jaar, peildatum=peildatum, years_back=YEARS + CALIBRATION_YEARS + 1)
    check_year(basis, jaar)
    if compute is None:
        from kpi.computation import compute as compute_kpi

        def compute(request):
            return compute_kpi(conn, request)
    if history is None:
        history = origins_for(basis.cells, basis.current, basis.first_month, basis.corrected)
    budgets = reads.budgets(conn, jaar)
    names = reads.gemeente_names(conn)
    cells = basis.cells

    patterns = patterns_at(cells, basis.current) if basis.corrected else None
    total_year = year_end(cells, basis.current, jaar, basis.corrected, patterns)
    origin_month = basis.current.month if jaar == basis.current.year else 12
    c = calibration.factor(history, jaar, origin_month, dict(completed_years(total_year.completion, jaar)))

    def series(part: pd.DataFrame, reeks: str, sleutel: str | None, naam: str, budget: float | None,
               verdict: disclosure.Verdict, year: YearEnd | None = None) -> Prognose:
        if sleutel not in verdict.shown:
            return hidden(reeks, sleutel, naam, jaar)
        year = year or year_end(part, basis.current, jaar, basis.corrected, patterns)
        return prognose_of(calibration.widen(year, c), jaar, reeks, sleutel, naam, budget,
                           frozenset(verdict.withheld.get(sleutel, ())))

    total_budget = sum(budgets.values()) if budgets else None
    total_verdict = disclosure.total(compute, jaar, basis.peildatum)
    total = series(cells, "totaal", None, "Totaal", total_budget, total_verdict, total_year)

    by_gemeente = disclosure.groups(compute, jaar, basis.peildatum, "gemeente")
    gemeenten = sorted(cells["gemeente"].unique()) if len(cells) else []
    per_gemeente = []
    for code in gemeenten:
        naam = names.get(code, code)
        part = cells[cells["gemeente"] == code]
        # one gemeente with the total's budget is the total: computed once
        year = total_year if len(gemeenten) == 1 and budgets.get(code) == total_budget else None
        per_gemeente.append(series(part, "gemeente", code, naam, budgets.get(code), by_gemeente, year))

    by_hulpvorm = disclosure.groups(compute, jaar, basis.peildatum, "hulpvorm")
    per_hulpvorm = []
    recent = cells[cells["maand"] > basis.current - 12] if len(cells) else cells
    for code in sorted(recent["hulpvorm"].unique()) if len(recent) else []:
        per_hulpvorm.append(series(cells[cells["hulpvorm"] == code], "hulpvorm", code,
                                   group_label("hulpvorm", code, None), None, by_hulpvorm))
    return PrognoseResultaat(jaar, basis.peildatum, basis.corrected, not basis.corrected, total,
                             tuple(per_gemeente), tuple(per_hulpvorm), by_gemeente.threshold)


def prognose_of(year: YearEnd, jaar: int, reeks: str, sleutel: str | None, naam: str,
                budget: float | None, withheld: frozenset = frozenset()) -> Prognose:
    """A series' YearEnd as the Prognose screens and exports show; the months in `withheld`
    ('2026-09') without their declared amount and share (kpi/forecast/disclosure.py)."""
    low, high = year.interval
    over, over_low, over_high = budget_rules.overshoot(year, budget)
    past = [kind != "prognose" for kind in year.kind]
    maanden = tuple(
        Maand(month.to_timestamp().date(), kind, None if str(month) in withheld else _euro(known),
              _euro(expected), _euro(lo), _euro(hi),
              None if year.completeness is None or str(month) in withheld else round(float(p), 4))
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
        maanden=maanden, model=year.fit.model, terugval=year.fit.terugval, kalibratie=round(year.calibration, 3))


def hidden(reeks: str, sleutel: str | None, naam: str, jaar: int) -> Prognose:
    """A series the small-number rules hide: its name only."""
    return Prognose(reeks, sleutel, naam, jaar, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, None, None, None, None, None, (), "",
                    afgeschermd=True)


def _euro(value: float) -> float:
    return round(float(value), 2)

