"""The monthly model: statsmodels' ETS (exponential smoothing state space model) fitted to a
series' completed monthly amounts, and simulated paths for the months still to come.

First choice: ETS with additive errors, a damped additive trend and additive seasonality (period
12) on the logarithm of the amounts, over the last FIT_MONTHS months. On the log scale the seasonal
pattern and the errors are proportional to the level (a summer dip of 8% stays 8% when costs
grow), and a damped trend does not extrapolate a one-off jump (a new tariff) for ever. Simulated
paths are exponentiated, so the interval is skewed as costs are.

Fallbacks, in order, each with its reason kept for the user (`Fit.terugval`):
1. fewer than MIN_SEASONAL months, or the seasonal model does not fit: ETS with a damped trend
   without seasonality;
2. that does not fit either (or fewer than MIN_ETS months): the mean of the last 12 months with
   the spread of those months (no statsmodels);
3. amounts zero or negative (no logarithm): the same models on the amounts themselves.
A series that does not vary at all is forecast as that constant, with no spread.

"Does not fit" means: the optimiser raised, did not converge, or gave non-finite numbers.
Statsmodels' warnings (convergence, start values, frequency) are caught here and never reach a
user; a warning about convergence makes the fit count as failed. (Python's warning filters and
threadpoolctl's limit are process-wide: a thread of a threaded server that warns while a fit runs
may have its warning swallowed too. The server logs nothing from warnings, so nothing is lost.)
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kpi.cache_store import InProcessStore

#: the model sees at most this many months (5 years): enough for the seasonal pattern, while older
#: years (another contract, another mix of help) weigh nothing
FIT_MONTHS = 60
#: seasonality needs two full years of history to be estimated at all
MIN_SEASONAL = 24
#: an ETS model needs a year of history; below it the mean of what there is
MIN_ETS = 12
#: the initial level, trend and seasonal states from the first years by the classical decomposition
#: (Hyndman et al. 2008, §2.6.1) rather than estimated with the smoothing parameters: 4 parameters
#: to optimise instead of 17, ten times faster
INITIALIZATION = "heuristic"
#: simulated paths per forecast (the interval's quantiles are stable to about 1% of its width)
REPETITIONS = 1000
#: the simulations start from a fixed seed, so the same data give the same figures
SEED = 20260930

SEASONAL_SPECS = (dict(error="add", trend=None, seasonal="add", seasonal_periods=12),)
TREND_SPEC = dict(error="add", trend="add", damped_trend=True)
SEASONAL = "ETS(A,N,A) op de logaritme: exponentiële afvlakking van niveau en seizoenspatroon"
TREND_ONLY = "ETS(A,Ad,N) op de logaritme: exponentiële afvlakking met gedempte trend, zonder seizoen"
MEAN = "gemiddelde van de laatste 12 maanden met de spreiding van die maanden"
CONSTANT = "constante reeks: de laatste waarde"
NONE_NEEDED = "geen model nodig: alle maanden van het jaar zijn verstreken"
NO_HISTORY = "geen prognose mogelijk: te weinig historie"


@dataclass(frozen=True)
class Fit:
    """Forecast of the next `horizon` months: the point forecast per month and simulated paths
    (horizon × REPETITIONS)."""
    model: str
    terugval: str | None
    mean: np.ndarray
    paths: np.ndarray


# A backtest fits every origin of every series, and the forecast page, the warmer, the slides and
# the signals ask the same fits again (~20–60 ms each). A fit is a function of its arguments alone
# (the simulation's generator starts from `seed`), so it is kept under them and never stale: new
# amounts are other arguments. Its arrays are read-only, so no caller can change a kept fit. A
# backtest of the demonstration data makes ~200 fits of ~46 KB simulated paths each (~9 MB).
_FITS = InProcessStore(max_entries=512)


def forecast(history: pd.Series, horizon: int, repetitions: int = REPETITIONS, seed: int = SEED) -> Fit:
    """Forecast `horizon` months after a monthly series (PeriodIndex, no gaps). Cached by its
    arguments."""
    values = history.to_numpy(dtype=float)[-FIT_MONTHS:]
    first = str(history.index[-len(values)]) if len(values) else ""
    key = repr((values.tobytes(), first, history.index.freqstr, horizon, repetitions, seed))
    found = _FITS.get(key)
    if found is None:
        found = _fit(history, values, horizon, repetitions, seed)
        found.mean.setflags(write=False)
        found.paths.setflags(write=False)
        _FITS.set(key, found)
    return found


def _fit(history: pd.Series, values: np.ndarray, horizon: int, repetitions: int, seed: int) -> Fit:
    if horizon <= 0:
        return Fit(NONE_NEEDED, None, np.zeros(0), np.zeros((0, repetitions)))
    if len(values) == 0:
        return Fit(NO_HISTORY, "geen maanden met genoeg gedeclareerd om op te baseren",
                   np.zeros(horizon), np.zeros((horizon, repetitions)))
    if np.allclose(values, values[-1], rtol=1e-9, atol=0.005):
        return Fit(CONSTANT, None, np.full(horizon, values[-1]), np.full((horizon, repetitions), values[-1]))
    rng = np.random.default_rng(seed)
    log = bool(np.all(values > 0))
    reasons: list[str] = []
    if not log:
        reasons.append("bedragen van nul of negatief: model op de bedragen zelf in plaats van de logaritme")
    index = history.index[-len(values):]
    series = pd.Series(np.log(values) if log else values, index=index.to_timestamp())
    attempts = []
    if len(values) >= MIN_SEASONAL:
        attempts.append((SEASONAL, SEASONAL_SPECS))
    else:
        reasons.append(f"minder dan {MIN_SEASONAL} maanden historie: geen seizoenspatroon te schatten")
    if len(values) >= MIN_ETS:
        attempts.append((TREND_ONLY, (TREND_SPEC,)))
    for name, specs in attempts:
        fitted = _combined(series, specs, horizon, repetitions, rng)
        if fitted is not None:
            mean, paths = fitted
            if log:
                mean, paths = np.exp(mean), np.exp(paths)
            else:
                name = name.replace(" op de logaritme", "")
            return Fit(name, "; ".join(reasons) or None, mean, paths)
        reasons.append(f"{name.split(': ', 1)[-1]} paste niet")  # the words, not the code: users read it
    mean, paths = _recent_mean(values, horizon, repetitions, rng)
    return Fit(MEAN, "; ".join(reasons) or None, mean, paths)


def _combined(series: pd.Series, specs, horizon: int, repetitions: int, rng):
    """The equal-weight combination of the models in `specs`: the mean of their point forecasts,
    and paths drawn from each in equal numbers (a mixture); None when any of them does not fit."""
    shares = np.array_split(np.arange(repetitions), len(specs))
    means, paths = [], []
    for spec, share in zip(specs, shares, strict=True):
        fitted = _ets(series, spec, horizon, len(share), rng)
        if fitted is None:
            return None
        means.append(fitted[0])
        paths.append(fitted[1])
    return np.mean(means, axis=0), np.concatenate(paths, axis=1)


def _ets(series: pd.Series, spec: dict, horizon: int, repetitions: int, rng) -> tuple[np.ndarray, np.ndarray] | None:
    """Fit and simulate one ETS model; None when it does not fit (see the module docstring)."""
    from statsmodels.tools.sm_exceptions import ConvergenceWarning
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel
    from threadpoolctl import threadpool_limits

    # One BLAS thread: the optimiser's vectors are tiny, and OpenBLAS's threads made each fit 5–8×
    # slower on two cores (0.30 → 0.04 s, bench/forecast.py).
    with threadpool_limits(limits=1, user_api="blas"), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = ETSModel(series, freq="MS", initialization_method=INITIALIZATION, **spec).fit(disp=False)
            mean = np.asarray(result.forecast(horizon), dtype=float)
            paths = np.asarray(result.simulate(horizon, anchor="end", repetitions=repetitions, rng=rng),
                               dtype=float).reshape(horizon, repetitions)
        except Exception:  # noqa: BLE001 - any failure of the optimiser means: use the next model
            return None
    if any(issubclass(w.category, ConvergenceWarning) for w in caught):
        return None
    converged = (getattr(result, "mle_retvals", None) or {}).get("converged", True)
    if not converged or not np.all(np.isfinite(mean)) or not np.all(np.isfinite(paths)):
        return None
    return mean, paths


def _recent_mean(values: np.ndarray, horizon: int, repetitions: int, rng) -> tuple[np.ndarray, np.ndarray]:
    """The last resort: each month the mean of the last 12, with their spread (normal)."""
    recent = values[-12:]
    spread = float(np.std(recent, ddof=1)) if len(recent) > 1 else abs(float(recent[-1])) * 0.1
    mean = np.full(horizon, float(np.mean(recent)))
    return mean, mean[:, None] + rng.normal(0.0, spread, size=(horizon, repetitions))
