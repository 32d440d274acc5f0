"""The published backtest: how good the year-end forecast of the total has been on this warehouse.

Rolling origin: for each of the last `years` complete years Y and each month end m (end of January
… end of December), the forecast of Y's total is made again with only the declarations received by
that month end (ontvangen ≤ origin; the same chain-ladder, model and interval calibration as the
live forecast, kpi/forecast/origins.py), and compared with the outcome: Y's total as known now.
The same for two naive baselines:

- **run-rate**: declared so far for the months of Y up to m, × 12 / m;
- **last year's same-month share**: declared so far / s, where s is the share of last year's total
  (as known now) that had been declared one year before the origin for last year's first m months.

Per origin month: the MAPE (mean absolute percentage error over the years) of each method, and the
coverage of the 80% interval (share of origins whose outcome lies inside it).

The declarations are read once (kpi/forecast/reads.py); every origin is a filter on the receipt
month of the same cells. The forecasts of up to CALIBRATION_YEARS years before the first reported
year are made too: the interval calibration of the reported years learns from them.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from sqlalchemy.engine import Connection, Engine

from kpi.forecast import calibration
from kpi.forecast.basis import month_end, read_basis
from kpi.forecast.errors import ForecastError
from kpi.forecast.origins import (
    CALIBRATION_YEARS,
    YEARS,
    Origin,
    choose_years,
    complete_age,
    origins_for,
    total_cells,
)
from kpi.forecast.results import Backtest, BacktestMaand, BacktestOorsprong, Doel

#: the goals (issue 17): MAPE per origin month, the margin over the better baseline, the coverage
GOAL_MAPE = {3: 10.0, 6: 5.0, 9: 3.0}
GOAL_BETTER_THAN_BASELINE = 0.30
GOAL_COVERAGE = (75.0, 85.0)
_MONTH_NAMES = {3: "maart", 6: "juni", 9: "september"}


def backtest(bind: Engine | Connection, years: int = YEARS, peildatum: dt.date | None = None,
             history: tuple[Origin, ...] | None = None) -> Backtest:
    """The rolling-origin backtest of the total over the last `years` complete years. `history`:
    the rolling-origin forecasts when already computed (the service caches them)."""
    if isinstance(bind, Engine):
        with bind.connect() as conn:
            return backtest(conn, years, peildatum, history)
    basis = read_basis(bind, peildatum=peildatum, years_back=years + CALIBRATION_YEARS + 1)
    return backtest_cells(basis.cells, basis.current, basis.first_month, basis.corrected, years, history)


def backtest_cells(cells: pd.DataFrame, current: pd.Period, first_month: pd.Period, corrected: bool,
                   years: int = YEARS, history: tuple[Origin, ...] | None = None) -> Backtest:
    """The backtest on cells as `reads.receipt_cells` gives them (any gemeenten and hulpvormen:
    their total is tested), known at the end of month `current`."""
    _, reported = choose_years(current, first_month, years, complete_age(cells, current, corrected))
    if not reported:
        raise ForecastError("te weinig historie voor een backtest: nodig is ten minste één afgesloten jaar "
                            "met het hele jaar ervoor in het datawarehouse")
    if history is None:
        history = origins_for(cells, current, first_month, corrected, years)
    total = total_cells(cells)

    def declared(origin: pd.Period, first: pd.Period, last: pd.Period) -> float:
        chosen = (total["maand"] >= first) & (total["maand"] <= last) & (total["ontvangen_maand"] <= origin)
        return float(total.loc[chosen, "bedrag_cent"].sum()) / 100

    rows = []
    for o in history:
        if o.jaar not in reported:
            continue
        first, last = pd.Period(f"{o.jaar}-01", "M"), pd.Period(f"{o.jaar}-12", "M")
        outcome = declared(current, first, last)
        c = calibration.factor(history, o.jaar, o.maand, dict(o.earlier))
        low, high = o.point - c * (o.point - o.low), o.point + c * (o.high - o.point)
        runrate = o.declared * 12 / o.maand
        share = _last_years_share(declared, o.origin, o.jaar, current)
        same_share = o.declared / share if share else None
        rows.append(BacktestOorsprong(
            o.jaar, o.maand, month_end(o.origin.to_timestamp().date()), round(outcome, 2), round(o.point, 2),
            round(low, 2), round(high, 2), bool(low <= outcome <= high), _ape(o.point, outcome),
            round(runrate, 2), _ape(runrate, outcome),
            None if same_share is None else round(same_share, 2),
            None if same_share is None else _ape(same_share, outcome)))
    return _summary(tuple(reported), month_end(current.to_timestamp().date()), corrected, rows)


def _last_years_share(declared, origin: pd.Period, jaar: int, now: pd.Period) -> float | None:
    """The share of last year's total (as known now) that had been declared, one year before the
    origin, for last year's months up to the origin's month; None when last year is empty."""
    first, last = pd.Period(f"{jaar - 1}-01", "M"), pd.Period(f"{jaar - 1}-12", "M")
    year_total = declared(now, first, last)
    if year_total <= 0:
        return None
    a_year_before = origin - 12
    share = declared(a_year_before, first, a_year_before) / year_total
    return share if share > 0 else None


def _ape(forecast: float, outcome: float) -> float:
    return round(abs(forecast - outcome) / abs(outcome) * 100, 3) if outcome else float("nan")


def _mean(values) -> float | None:
    values = [v for v in values if v is not None and np.isfinite(v)]
    return round(float(np.mean(values)), 3) if values else None


def _summary(years: tuple[int, ...], peildatum: dt.date, corrected: bool,
             origins: list[BacktestOorsprong]) -> Backtest:
    per_maand = []
    for month in range(1, 13):
        these = [o for o in origins if o.maand == month]
        per_maand.append(BacktestMaand(
            month, _mean(o.fout for o in these), _mean(o.fout_runrate for o in these),
            _mean(o.fout_vorig_jaar for o in these),
            round(100 * sum(o.binnen_interval for o in these) / len(these), 1), len(these)))
    mape = _mean(o.fout for o in origins)
    mape_runrate = _mean(o.fout_runrate for o in origins)
    mape_share = _mean(o.fout_vorig_jaar for o in origins)
    coverage = round(100 * sum(o.binnen_interval for o in origins) / len(origins), 1)
    by_month = {m.maand: m for m in per_maand}
    goals = [Doel(f"MAPE eind {_MONTH_NAMES[m]} ≤ {pct(limit)}", by_month[m].mape,
                  by_month[m].mape is not None and by_month[m].mape <= limit)
             for m, limit in GOAL_MAPE.items()]
    baselines = [v for v in (mape_runrate, mape_share) if v is not None]
    better = min(baselines) if baselines else None
    reduction = None if not better or mape is None else round(100 * (1 - mape / better), 1)
    goals.append(Doel(f"MAPE ten minste {pct(100 * GOAL_BETTER_THAN_BASELINE)} lager dan die van de betere "
                      "basislijn (gemiddeld over alle oorsprongen)", reduction,
                      reduction is not None and reduction >= 100 * GOAL_BETTER_THAN_BASELINE))
    goals.append(Doel(f"dekking van het 80%-interval tussen {pct(GOAL_COVERAGE[0])} en {pct(GOAL_COVERAGE[1])}",
                      coverage, GOAL_COVERAGE[0] <= coverage <= GOAL_COVERAGE[1]))
    return Backtest(years, peildatum, corrected, tuple(origins), tuple(per_maand), mape,
                    mape_runrate, mape_share, coverage, tuple(goals))


def pct(value: float) -> str:
    """A percentage the Dutch way: 7,5%."""
    return f"{value:g}%".replace(".", ",")
