"""One series' year total: realised + completed + forecast rest of year, as simulated paths, so the
interval of the sum is right.

Each kind of help declares at its own pace (a stay is declared within weeks, ambulant help over
months), so a series is completed per hulpvorm, each with the pattern of that hulpvorm over the
whole warehouse (`patterns_at`), and the parts are added up: a shift in the mix of help then does
not bias the completion.

At the peildatum's month A, each care month of the series is one of:
- **complete enough for the chain-ladder** (its age is at least k*, the first age from which
  every hulpvorm has at least P_MIN of its final amount declared, at every later age): its
  expected final amount is the chain-ladder's (kpi/forecast/completion.py), with Mack's
  standard error;
- **too young** (age below k*): too little is declared to scale up (a month at 10% would be
  multiplied by ten, noise included), so it is completed Bornhuetter–Ferguson style: declared +
  (1 − p) × the model's forecast for that month, where p is the share the hulpvormen have
  declared at that age, weighted by their share of the last twelve completed months;
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
P_MIN = 0.4
#: the 80% interval
LOW_Q, HIGH_Q = 0.10, 0.90
Z80 = 1.2815515655446004  # the normal distribution's 90th percentile
#: the column whose groups declare at their own pace
SEGMENT = "hulpvorm"


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
    completion: cl.Combined
    calibration: float = 1.0  # the factor the paths' spread was widened by (kpi/forecast/calibration.py)

    @property
    def interval(self) -> tuple[float, float]:
        return float(np.quantile(self.totals, LOW_Q)), float(np.quantile(self.totals, HIGH_Q))


def young_age(shares: np.ndarray) -> int:
    """k*: the first age from which every later age has at least P_MIN declared."""
    below = np.nonzero(shares < P_MIN)[0]
    return int(below.max()) + 1 if len(below) else 0


def _segments(cells: pd.DataFrame) -> dict:
    if SEGMENT not in cells.columns:
        return {None: cells}
    return {key: part for key, part in cells.groupby(SEGMENT, sort=True)}


def patterns_at(cells: pd.DataFrame, current: pd.Period) -> dict:
    """Each hulpvorm's declaration pattern at the end of month `current`, from all cells."""
    return {key: cl.estimate(cl.triangle(part, current)) for key, part in _segments(cells).items()}


def year_end(cells: pd.DataFrame, current: pd.Period, jaar: int, corrected: bool, patterns: dict | None = None,
             repetitions: int = model.REPETITIONS, seed: int = model.SEED) -> YearEnd:
    """The year total of `jaar` for one series' cells (columns maand, leeftijd, bedrag_cent and
    optionally hulpvorm) at the end of month `current` (the peildatum's month). `patterns`: the
    hulpvormen's patterns when estimated on more than this series (default: on these cells)."""
    segments = _segments(cells)
    first = min([part["maand"].min() for part in segments.values() if len(part)] + [current])
    if corrected and patterns is None:
        patterns = patterns_at(cells, current)
    parts, shares = [], []
    for key, part in segments.items():
        incremental = cl.triangle(part, current, first)
        if corrected:
            pattern = patterns.get(key) or cl.estimate(incremental)
            parts.append(cl.apply(incremental, pattern))
            shares.append(pattern.shares)
        else:
            parts.append(cl.uncorrected(incremental))
    comp = cl.combine(parts)
    k_star = max((young_age(s) for s in shares), default=0)
    months = comp.months
    n = len(months)
    history_end = max(n - k_star, 0)  # months[:history_end] are completed by the chain-ladder
    history = pd.Series(comp.ultimate[:history_end], index=months[:history_end])
    young_share = _young_shares(parts, shares, history_end, k_star)

    year = pd.period_range(f"{jaar}-01", f"{jaar}-12", freq="M")
    first_modelled = months[history_end] if history_end < n else current + 1
    horizon = max(0, (year[-1].year - first_modelled.year) * 12 + year[-1].month - first_modelled.month + 1)
    fit = model.forecast(history, horizon, repetitions, seed)
    modelled = pd.period_range(first_modelled, periods=horizon, freq="M")

    rng = np.random.default_rng(seed + 1)
    in_year_cl = np.array([m.year == jaar for m in months[:history_end]] + [False] * (n - history_end))
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
            value = float(comp.ultimate[i])
            p = declared / value if value > 0 else 1.0
            spread = Z80 * float(comp.se[i])
            kind.append(GEREALISEERD if p >= 0.999 or not corrected else AANGEVULD)
            known.append(declared)
            expected.append(value)
            low.append(value - spread)
            high.append(value + spread)
            completeness.append(min(p, 1.0))
            continue
        if j is None:  # a month before the series' first care month: nothing
            kind.append(GEREALISEERD)
            known.append(0.0)
            expected.append(0.0)
            low.append(0.0)
            high.append(0.0)
            completeness.append(1.0)
            continue
        share = young_share.get(i, 0.0) if i is not None else 0.0
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


def _young_shares(parts: list[cl.Completion], shares: list[np.ndarray], history_end: int, k_star: int
                  ) -> dict[int, float]:
    """For each too-young month (index ≥ history_end): the share of its final amount declared by
    now, over its hulpvormen, weighted by their share of the last twelve completed months."""
    if not shares or k_star == 0:
        return {}
    recent = slice(max(history_end - 12, 0), history_end)
    weights = np.array([max(float(np.nansum(part.ultimate[recent])), 0.0) for part in parts])
    if weights.sum() <= 0:
        weights = np.ones(len(parts))
    weights = weights / weights.sum()
    n = len(parts[0].months)
    out = {}
    for i in range(history_end, n):
        age = min(n - 1 - i, len(shares[0]) - 1)
        out[i] = float(sum(w * s[age] for w, s in zip(weights, shares, strict=True)))
    return out
