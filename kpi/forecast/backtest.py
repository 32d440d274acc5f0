"""The published backtest: how good the year-end forecast of the total has been on this warehouse.

Rolling origin: for each of the last `years` complete years Y and each month end m (end of January
… end of December), the forecast of Y's total is made again with only the declarations received by
that month end (ontvangen ≤ origin; the same chain-ladder and model as the live forecast), and
compared with the outcome: Y's total as known now. The same for two naive baselines:

- **run-rate**: declared so far for the months of Y up to m, × 12 / m;
- **last year's same-month share**: declared so far / s, where s is the share of last year's total
  (as known now) that had been declared one year before the origin for last year's first m months.

Per origin month: the MAPE (mean absolute percentage error over the years) of each method, and the
coverage of the 80% interval (share of origins whose outcome lies inside it).

The declarations are read once (kpi/forecast/reads.py); every origin is a filter on the
receipt month of the same cells, so the backtest costs one query and 12 × `years` model fits.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy.engine import Connection, Engine

from kpi.forecast.results import Backtest, BacktestMaand, BacktestOorsprong, Doel
from kpi.forecast.year_end import year_end
from kpi.forecast.year_forecast import ForecastError, month_end, read_basis

#: complete years the backtest covers by default (the issue asks at least three)
YEARS = 3
#: the goals (issue 17): MAPE per origin month, the margin over the better baseline, the coverage
GOAL_MAPE = {3: 10.0, 6: 5.0, 9: 3.0}
GOAL_BETTER_THAN_BASELINE = 0.30
GOAL_COVERAGE = (75.0, 85.0)


@dataclass(frozen=True)
class _Known:
    """The total's cells with their receipt month, for filtering by origin."""
    cells: pd.DataFrame  # maand, leeftijd, bedrag_cent, ontvangen_maand

    def declared(self, origin: pd.Period, first: pd.Period, last: pd.Period) -> float:
        """Σ euros of the care months first … last received by the end of `origin`."""
        c = self.cells
        chosen = (c["maand"] >= first) & (c["maand"] <= last) & (c["ontvangen_maand"] <= origin)
        return float(c.loc[chosen, "bedrag_cent"].sum()) / 100


def backtest(bind: Engine | Connection, years: int = YEARS, peildatum: dt.date | None = None) -> Backtest:
    """The rolling-origin backtest of the total over the last `years` complete years."""
    if isinstance(bind, Engine):
        with bind.connect() as conn:
            return backtest(conn, years, peildatum)
    basis = read_basis(bind, peildatum=peildatum, years_back=years + 1)
    current = basis.current
    last_complete = current.year - 1 if current.month < 12 else current.year
    first_possible = basis.first_month.year + 2  # a year of history and a year for the baseline
    chosen = [y for y in range(last_complete - years + 1, last_complete + 1) if y >= first_possible]
    if not chosen:
        raise ForecastError("te weinig historie voor een backtest: nodig zijn ten minste twee jaar kosten "
                            "vóór een afgesloten jaar")
    total = (basis.cells.groupby(["maand", "leeftijd"], as_index=False)["bedrag_cent"].sum())
    total["ontvangen_maand"] = total["maand"] + total["leeftijd"]
    known = _Known(total)

    origins = []
    for jaar in chosen:
        first, last = pd.Period(f"{jaar}-01", "M"), pd.Period(f"{jaar}-12", "M")
        outcome = known.declared(current, first, last)
        for month in range(1, 13):
            origin = pd.Period(f"{jaar}-{month:02d}", "M")
            year = year_end(total[total["ontvangen_maand"] <= origin], origin, jaar, basis.corrected)
            low, high = year.interval
            low, high = min(low, year.point), max(high, year.point)
            so_far = known.declared(origin, first, origin)
            runrate = so_far * 12 / month
            previous = _last_years_share(known, origin, jaar, current)
            same_share = so_far / previous if previous else None
            origins.append(BacktestOorsprong(
                jaar, month, month_end(origin.to_timestamp().date()), round(outcome, 2), round(year.point, 2),
                round(low, 2), round(high, 2), low <= outcome <= high, _ape(year.point, outcome),
                round(runrate, 2), _ape(runrate, outcome),
                None if same_share is None else round(same_share, 2),
                None if same_share is None else _ape(same_share, outcome)))
    return _summary(tuple(chosen), basis, origins)


def _last_years_share(known: _Known, origin: pd.Period, jaar: int, now: pd.Period) -> float | None:
    """The share of last year's total (as known now) that had been declared, one year before the
    origin, for last year's months up to the origin's month; None when last year is empty."""
    first, last = pd.Period(f"{jaar - 1}-01", "M"), pd.Period(f"{jaar - 1}-12", "M")
    year_total = known.declared(now, first, last)
    if year_total <= 0:
        return None
    a_year_before = origin - 12
    share = known.declared(a_year_before, first, a_year_before) / year_total
    return share if share > 0 else None


def _ape(forecast: float, outcome: float) -> float:
    return round(abs(forecast - outcome) / abs(outcome) * 100, 3) if outcome else float("nan")


def _mean(values) -> float | None:
    values = [v for v in values if v is not None and np.isfinite(v)]
    return round(float(np.mean(values)), 3) if values else None


def _summary(years: tuple[int, ...], basis, origins: list[BacktestOorsprong]) -> Backtest:
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
    goals = [Doel(f"MAPE eind {_MONTH_NAMES[m]} ≤ {fmt_pct(limit)}", by_month[m].mape,
                  by_month[m].mape is not None and by_month[m].mape <= limit)
             for m, limit in GOAL_MAPE.items()]
    baselines = [v for v in (mape_runrate, mape_share) if v is not None]
    better = min(baselines) if baselines else None
    reduction = None if not better else round(100 * (1 - mape / better), 1)
    goals.append(Doel(f"MAPE ten minste {fmt_pct(100 * GOAL_BETTER_THAN_BASELINE)} lager dan de betere "
                      "basislijn (gemiddeld over alle oorsprongen)", reduction,
                      reduction is not None and reduction >= 100 * GOAL_BETTER_THAN_BASELINE))
    goals.append(Doel(f"dekking van het 80%-interval tussen {fmt_pct(GOAL_COVERAGE[0])} en "
                      f"{fmt_pct(GOAL_COVERAGE[1])}", coverage, GOAL_COVERAGE[0] <= coverage <= GOAL_COVERAGE[1]))
    return Backtest(years, basis.peildatum, basis.corrected, tuple(origins), tuple(per_maand), mape,
                    mape_runrate, mape_share, coverage, tuple(goals))


_MONTH_NAMES = {3: "maart", 6: "juni", 9: "september"}


def fmt_pct(value: float) -> str:
    return f"{value:g}%".replace(".", ",")
