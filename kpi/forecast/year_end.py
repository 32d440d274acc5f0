"""One series' year total: realised + completed + forecast rest of year, as simulated paths, so the
interval of the sum is right.

At the peildatum's month A, each care month of the series is one of:
- **complete enough for the chain-ladder** (its age is at least k*, the first age from which
  every later age has at least P_MIN of the final amount declared): its expected final amount is
  the chain-ladder's (kpi/forecast/completion.py), with Mack's standard error;
- **too young** (age below k*): too little is declared to scale up (a month at 10% would be
  multiplied by ten, noise included), so it is completed Bornhuetter–Ferguson style: declared +
  (1 − p) × the model's forecast for that month;
- **still to come** (after A): the model's forecast.

The model (kpi/forecast/model.py) is fitted to the completed amounts of the months up to A − k*,
and its simulated paths run over the too-young months and the rest of the year. Each path's year
total adds the chain-ladder months' expected amounts plus one draw of their completion error
(normal, with Mack's standard error of their sum), so the interval holds both the completion's
and the model's uncertainty. The 80% interval is the 10th–90th percentile of the path totals.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from kpi.forecast import completion as cl
from kpi.forecast import model
from kpi.forecast.results import AANGEVULD, GEREALISEERD, PROGNOSE

#: a month is completed by the chain-ladder once at least this share is declared at its age
#: (and at every later age); below it, the chain-ladder's multiplication by 1/p (more than double)
#: lets a month's noise dominate, and Bornhuetter–Ferguson takes over
P_MIN = 0.5
#: the 80% interval
LOW_Q, HIGH_Q = 0.10, 0.90
Z80 = 1.2815515655446004  # the normal distribution's 90th percentile


@dataclass(frozen=True)
class YearEnd:
    """The year's twelve months and the total's simulated paths (amounts in euros)."""
    months: pd.PeriodIndex
    kind: tuple[str, ...]
    known: np.ndarray
    expected: np.ndarray
    low: np.ndarray
    high: np.ndarray
    completeness: np.ndarray | None
    totals: np.ndarray    # the year total of each path
    point: float          # Σ expected
    fit: model.Fit
    completion: cl.Completion
    calibration: float = 1.0  # the factor the paths' spread was widened by (kpi/forecast/calibration.py)

    @property
    def interval(self) -> tuple[float, float]:
        return float(np.quantile(self.totals, LOW_Q)), float(np.quantile(self.totals, HIGH_Q))


def young_age(comp: cl.Completion) -> int:
    """k*: the first age from which every later age has at least P_MIN declared."""
    below = np.nonzero(comp.pattern < P_MIN)[0]
    return int(below.max()) + 1 if len(below) else 0


def year_end(cells: pd.DataFrame, current: pd.Period, jaar: int, corrected: bool,
             repetitions: int = model.REPETITIONS, seed: int = model.SEED) -> YearEnd:
    """The year total of `jaar` for one series' cells (columns maand, leeftijd, bedrag_cent) at
    the end of month `current` (the peildatum's month)."""
    incremental = cl.triangle(cells, current)
    comp = cl.chain_ladder(incremental) if corrected else cl.uncorrected(incremental)
    k_star = young_age(comp)
    months = comp.months
    n = len(months)
    history_end = n - k_star  # months[:history_end] are completed by the chain-ladder
    history = pd.Series(comp.ultimate[:history_end], index=months[:history_end])

    year = pd.period_range(f"{jaar}-01", f"{jaar}-12", freq="M")
    last_needed = year[-1]
    first_modelled = months[history_end] if history_end < n else current + 1
    horizon = max(0, (last_needed.year - first_modelled.year) * 12 + last_needed.month - first_modelled.month + 1)
    fit = model.forecast(history, horizon, repetitions, seed) if horizon > 0 else model.forecast(history, 0, repetitions)
    modelled = pd.period_range(first_modelled, periods=horizon, freq="M")

    rng = np.random.default_rng(seed + 1)
    in_year_cl = np.array([m.year == jaar for m in months[:history_end]] + [False] * k_star)
    completion_se = comp.total_se(in_year_cl)
    totals = np.full(repetitions, float(np.nansum(comp.ultimate[in_year_cl])))
    if completion_se > 0:
        totals = totals + rng.normal(0.0, completion_se, repetitions)

    kind, known, expected, low, high, completeness = [], [], [], [], [], []
    position = {m: i for i, m in enumerate(months)}
    modelled_at = {m: j for j, m in enumerate(modelled)}
    for month in year:
        i = position.get(month)
        j = modelled_at.get(month)
        declared = float(comp.known[i]) if i is not None else 0.0
        if i is not None and j is None:  # completed by the chain-ladder (or simply complete)
            p = float(comp.completeness[i])
            value = float(comp.ultimate[i])
            spread = Z80 * float(comp.se[i])
            kind.append(GEREALISEERD if p >= 0.999 or not corrected else AANGEVULD)
            known.append(declared)
            expected.append(value)
            low.append(value - spread)
            high.append(value + spread)
            completeness.append(p)
            continue
        if j is None:  # a month before the series' first care month: nothing
            kind.append(GEREALISEERD)
            known.append(0.0)
            expected.append(0.0)
            low.append(0.0)
            high.append(0.0)
            completeness.append(1.0)
            continue
        share = float(comp.completeness[i]) if i is not None else 0.0
        path = declared + (1 - share) * fit.paths[j]
        totals = totals + path
        kind.append(AANGEVULD if i is not None else PROGNOSE)
        known.append(declared)
        expected.append(declared + (1 - share) * float(fit.mean[j]))
        low.append(float(np.quantile(path, LOW_Q)))
        high.append(float(np.quantile(path, HIGH_Q)))
        completeness.append(share)
    expected_arr = np.array(expected)
    return YearEnd(year, tuple(kind), np.array(known), expected_arr, np.array(low), np.array(high),
                   np.array(completeness) if corrected else None, totals, float(expected_arr.sum()), fit, comp)
