"""Completing the latest months ("nog te verwachten declaraties"): the chain-ladder method with
Mack's standard error, in a few lines of pandas and numpy.

The triangle has a row per care month and a column per age (months after the care month in which
a declaration came in, 0 = the care month itself). At the peildatum, care month i has age a_i and
its cumulative declared amount C[i, a_i]. The age-to-age factor f_k = Σ C[i, k+1] / Σ C[i, k] is
taken over the most recent WINDOW care months that have reached age k+1 (volume-weighted, as in
the classic chain-ladder). The share of the final amount declared by age k is
p_k = 1 / (f_k · f_(k+1) · … · f_(MAX_AGE−1)); the expected final amount of month i is
C[i, a_i] / p_(a_i). Its standard error is Mack's (1993): process and estimation error from the
spread σ²_k of the individual months' factors around f_k; the error of a sum of months includes
Mack's covariance term (the months share the estimated factors).

Why Mack: it is the standard error of exactly this estimator, published and checked by actuaries
for decades, it needs no distributional assumption beyond the chain-ladder's own, and it widens
where few months inform a factor (estimation error), which the plain spread of the factors does not.

A month whose declared share is 0 at its age (nothing comes in within the care month) cannot be
scaled up; `ultimate` is NaN there and the year-end forecast completes it from the model instead
(Bornhuetter–Ferguson, kpi/forecast/year_end.py).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

#: ages (months after the care month) the pattern is estimated for; later receipts count at this age
MAX_AGE = 24
#: the factors are estimated from at most this many of the most recent care months per age:
#: long enough to average out a month's noise, short enough to follow a change in how fast
#: declarations come in (a new provider system, a new contract)
WINDOW = 24


@dataclass(frozen=True)
class Completion:
    """The chain-ladder completion of one series at one peildatum (amounts in euros, one entry per
    care month from the first to the peildatum's month)."""
    months: pd.PeriodIndex
    age: np.ndarray            # a_i: months from the care month to the peildatum's month
    known: np.ndarray          # C[i, a_i]: declared by the peildatum
    completeness: np.ndarray   # p_(a_i): share of the final amount declared by now (0: unknown)
    ultimate: np.ndarray       # expected final amount (NaN where completeness is 0)
    se: np.ndarray             # Mack's standard error of the final amount (0 where complete)
    factors: np.ndarray        # f_k, k = 0 … MAX_AGE−1
    pattern: np.ndarray        # p_k, k = 0 … MAX_AGE
    sigma2: np.ndarray         # σ²_k
    volume: np.ndarray         # S_k = Σ C[i, k] over the months that estimated f_k

    def total_se(self, mask: np.ndarray) -> float:
        """Mack's standard error of the sum of the final amounts of the months in `mask` (a
        boolean array over `months`; months without a chain-ladder estimate are left out)."""
        use = mask & np.isfinite(self.ultimate)
        if not use.any():
            return 0.0
        mse = float(np.sum(self.se[use] ** 2))
        ultimate, age = self.ultimate[use], self.age[use]
        with np.errstate(divide="ignore", invalid="ignore"):
            v = np.where((self.volume > 0) & (self.factors > 0),
                         self.sigma2 / self.factors ** 2 / self.volume, 0.0)
        for k in range(len(self.factors)):
            if v[k] == 0:
                continue
            young = age <= k
            s = ultimate[young]
            mse += v[k] * (s.sum() ** 2 - (s ** 2).sum())
        return float(np.sqrt(max(mse, 0.0)))


def triangle(cells: pd.DataFrame, current: pd.Period, first: pd.Period | None = None) -> pd.DataFrame:
    """Incremental amounts in euros: a row per care month (`first`, default the first in the
    cells, … `current`), a column per age 0 … MAX_AGE, from cells (columns maand, leeftijd,
    bedrag_cent) received by the end of `current` (maand + leeftijd ≤ current). Receipts later
    than MAX_AGE count at MAX_AGE."""
    if first is None:
        first = min(cells["maand"].min(), current) if len(cells) else current
    index = pd.period_range(first, current, freq="M")
    grid = np.zeros((len(index), MAX_AGE + 1))
    if len(cells):
        month = cells["maand"]
        row = ((month.dt.year - first.year) * 12 + month.dt.month - first.month).to_numpy()
        age = cells["leeftijd"].to_numpy()
        keep = (row + age <= len(index) - 1) & (row >= 0)
        np.add.at(grid, (row[keep], np.minimum(age[keep], MAX_AGE)), cells["bedrag_cent"].to_numpy()[keep] / 100)
    return pd.DataFrame(grid, index=index, columns=range(MAX_AGE + 1))


@dataclass(frozen=True)
class Pattern:
    """How fast declarations come in, estimated from one triangle: the age-to-age factors f_k,
    Mack's σ²_k, the volumes S_k they were estimated on, and the share declared by age k, p_k."""
    factors: np.ndarray
    sigma2: np.ndarray
    volume: np.ndarray
    shares: np.ndarray

    @property
    def max_age(self) -> int:
        return len(self.factors)


def estimate(incremental: pd.DataFrame, window: int = WINDOW) -> Pattern:
    """The declaration pattern of a triangle from `triangle()` (its last row is the peildatum's
    month, age 0)."""
    n_months, n_ages = incremental.shape
    max_age = n_ages - 1
    cumulative = _cumulative(incremental)
    age = np.arange(n_months)[::-1]
    factors = np.ones(max_age)
    sigma2 = np.full(max_age, np.nan)
    volume = np.zeros(max_age)
    defined = np.ones(max_age, dtype=bool)
    for k in range(max_age):
        rows = np.nonzero(age >= k + 1)[0][-window:]  # the most recent months that reached k+1
        if len(rows) == 0:
            continue  # no month that old yet: assumed complete beyond this age
        c_k, c_next = cumulative[rows, k], cumulative[rows, k + 1]
        volume[k] = c_k.sum()
        if volume[k] <= 0:
            defined[k] = False  # nothing declared by this age: the share so far is unknown (0)
            continue
        factors[k] = c_next.sum() / volume[k]
        positive = c_k > 0
        if positive.sum() >= 2:
            ratios = c_next[positive] / c_k[positive]
            sigma2[k] = float(np.sum(c_k[positive] * (ratios - factors[k]) ** 2) / (positive.sum() - 1))
    shares = np.ones(n_ages)
    for k in range(max_age - 1, -1, -1):
        shares[k] = shares[k + 1] / factors[k] if defined[k] and factors[k] > 0 and shares[k + 1] > 0 else 0.0
    return Pattern(factors, _extrapolate_sigma2(sigma2), volume, shares)


def _cumulative(incremental: pd.DataFrame) -> np.ndarray:
    n_months, n_ages = incremental.shape
    age = np.arange(n_months)[::-1]
    observed = np.arange(n_ages)[None, :] <= age[:, None]
    return np.where(observed, incremental.to_numpy().cumsum(axis=1), np.nan)


def apply(incremental: pd.DataFrame, pattern: Pattern) -> Completion:
    """The completion of a triangle with a pattern (its own, or one estimated on a larger triangle
    of the same kind of help: a gemeente's ambulant help completes like the region's)."""
    n_months = len(incremental)
    max_age = pattern.max_age
    age = np.arange(n_months)[::-1]
    clipped = np.minimum(age, max_age)
    known = np.nan_to_num(_cumulative(incremental)[np.arange(n_months), clipped])
    completeness = pattern.shares[clipped]
    with np.errstate(divide="ignore", invalid="ignore"):
        ultimate = np.where(completeness > 0, known / completeness, np.nan)
    factors, sigma2, volume = pattern.factors, pattern.sigma2, pattern.volume
    se = np.zeros(n_months)
    for i in range(n_months):
        if not np.isfinite(ultimate[i]) or clipped[i] >= max_age:
            continue
        projected = known[i]
        total = 0.0
        for k in range(clipped[i], max_age):
            if projected > 0 and volume[k] > 0 and factors[k] > 0:
                total += sigma2[k] / factors[k] ** 2 * (1 / projected + 1 / volume[k])
            projected *= factors[k]
        se[i] = abs(ultimate[i]) * np.sqrt(max(total, 0.0))
    return Completion(incremental.index, age, known, completeness, ultimate, se, factors, pattern.shares,
                      sigma2, volume)


def chain_ladder(incremental: pd.DataFrame, window: int = WINDOW) -> Completion:
    """The chain-ladder completion of a triangle with its own pattern."""
    return apply(incremental, estimate(incremental, window))


def _extrapolate_sigma2(sigma2: np.ndarray) -> np.ndarray:
    """Mack's rule for a σ² that one month cannot estimate (the oldest ages):
    σ²_k = min(σ⁴_(k−1) / σ²_(k−2), σ²_(k−2), σ²_(k−1)); 0 where even that is unknown."""
    out = sigma2.copy()
    for k in range(len(out)):
        if np.isnan(out[k]) and k >= 2 and not np.isnan(out[k - 1]) and not np.isnan(out[k - 2]):
            ratio = out[k - 1] ** 2 / out[k - 2] if out[k - 2] > 0 else 0.0
            out[k] = min(ratio, out[k - 2], out[k - 1])
    return np.nan_to_num(out)


def uncorrected(incremental: pd.DataFrame) -> Completion:
    """The raw figures as they are (no receipt dates: nothing can be completed): every month is
    taken as complete."""
    n_months, n_ages = incremental.shape
    known = incremental.to_numpy().sum(axis=1)
    return Completion(incremental.index, np.arange(n_months)[::-1], known, np.ones(n_months), known.copy(),
                      np.zeros(n_months), np.ones(n_ages - 1), np.ones(n_ages), np.zeros(n_ages - 1),
                      np.zeros(n_ages - 1))


@dataclass(frozen=True)
class Combined:
    """The completions of a series' parts (its hulpvormen, each with its own pattern) added up."""
    months: pd.PeriodIndex
    known: np.ndarray
    ultimate: np.ndarray
    se: np.ndarray
    parts: tuple[Completion, ...]

    @property
    def completeness(self) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self.ultimate > 0, np.clip(self.known / self.ultimate, 0, 1), 0.0)

    def total_se(self, mask: np.ndarray) -> float:
        """The parts are taken as independent: their errors add in quadrature."""
        return float(np.sqrt(sum(part.total_se(mask) ** 2 for part in self.parts)))


def combine(parts: list[Completion]) -> Combined:
    known = np.sum([p.known for p in parts], axis=0)
    ultimate = np.sum([p.ultimate for p in parts], axis=0)
    se = np.sqrt(np.sum([p.se ** 2 for p in parts], axis=0))
    return Combined(parts[0].months, known, ultimate, se, tuple(parts))
