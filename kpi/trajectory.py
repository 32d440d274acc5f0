"""The road to a target year: a straight line through an indicator's yearly values, carried on to
the plan's last year with an 80% prediction interval, and per year the chance that the value
reaches that year's streefwaarde. Pure: yearly points in, projection out (no database, no Dash).

Method (docs/prognose.md, "De weg naar 2028"):
- Ordinary least squares of value on year (statsmodels `OLS`) over the yearly points given; at
  least `MIN_PUNTEN` of them, or no line at all.
- Per later year the prediction interval of a *new observation* (`obs_ci_*` of
  `get_prediction().summary_frame`), not the narrower interval of the line itself: a year's value
  scatters around the line as the past years did.
- The chance of reaching a streefwaarde is P(value on the right side of it) under the same
  predictive distribution: Student's t with n − 2 degrees of freedom around the line's value,
  scale √(se(line)² + residual variance). "On the right side" follows the indicator's direction
  (hoger_beter: ≥ target; lager_beter: ≤ target), with equality counting as reached, as the status does.
- A year whose 80% interval is wider than `MAX_BREEDTE` × the plan's range (`target_range`) is
  `te_onzeker`: the screens then give no percentage as if it were precise.
- `grenzen` (the unit's possible range, e.g. 0–100%) clip the line and its interval for showing;
  a line that leaves that range is flagged (`buiten_bereik`). The chance and the width rule use
  the model's own, unclipped distribution: the probability beyond a bound lies on the same side of
  any streefwaarde within the range, and a clipped interval would hide the scatter.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from kpi.cache_store import InProcessStore

MIN_PUNTEN = 3       # with two points a line fits exactly and says nothing about its scatter
NIVEAU = 0.80        # the prediction interval's coverage
# A year's 80% interval may be at most this many times the plan's range (nulmeting → streefwaarden)
# wide. At twice the range the route from nulmeting to target spans 1.28 predictive standard
# deviations (the 80% interval is ±1.28 σ), so the chance of reaching the target differs by some
# 40 percentage points from the chance of only holding the nulmeting; with a wider interval the
# number says more about the scatter than about the course.
MAX_BREEDTE = 2.0
# Without a range (every streefwaarde and the nulmeting equal), this share of the largest target
# stands in for it: the status's own tolerance is of the same kind (5% of the target).
BEREIK_ZONDER_ROUTE = 0.10
EXACT = 1e-9         # a predictive scale below this share of the value is floating-point noise


@dataclass(frozen=True)
class YearProjection:
    """One later year on the line: its value, 80% interval and, with a streefwaarde, the chance."""
    jaar: int
    verwachting: float
    onder: float
    boven: float
    streefwaarde: float | None = None
    kans: float | None = None       # P(streefwaarde reached); None without a target or when te_onzeker
    te_onzeker: bool = False        # the interval is wider than MAX_BREEDTE × the plan's range
    buiten_bereik: bool = False     # the line itself left the unit's range (clipped to it)


@dataclass(frozen=True)
class Trajectory:
    """The line through `punten` and its projection; `jaren` is empty when there are fewer than
    MIN_PUNTEN points (`te_weinig_punten`)."""
    punten: tuple[tuple[int, float], ...]
    jaren: tuple[YearProjection, ...] = ()
    helling: float | None = None    # change per year along the line
    niveau: float = NIVEAU
    startwaarde: float | None = None  # the line's value in the last point's year

    def line_at(self, jaar: int) -> float | None:
        """The fitted line's value in `jaar` (unclipped), or None without a line."""
        if self.helling is None or self.startwaarde is None:
            return None
        return self.startwaarde + self.helling * (jaar - self.punten[-1][0])

    @property
    def te_weinig_punten(self) -> bool:
        return len(self.punten) < MIN_PUNTEN

    def year(self, jaar: int) -> YearProjection | None:
        return next((y for y in self.jaren if y.jaar == jaar), None)


def target_range(nulmeting: float | None, streefwaarden: Mapping[int, float]) -> float:
    """The plan's range: from the lowest to the highest of the nulmeting and the streefwaarden;
    when those are all equal, BEREIK_ZONDER_ROUTE of the largest in size (0 when that is 0 too)."""
    values = [v for v in [nulmeting, *streefwaarden.values()] if v is not None]
    if not values:
        return 0.0
    spread = max(values) - min(values)
    return spread if spread > 0 else BEREIK_ZONDER_ROUTE * max(abs(v) for v in values)


def chance_reached(verwachting: float, scale: float, df: int, streefwaarde: float, richting: str) -> float:
    """P(a value from t_df(verwachting, scale) reaches `streefwaarde` in direction `richting`).
    A scale of 0 (points exactly on a line) is certainty either way."""
    if scale <= 0:
        margin = EXACT * max(1.0, abs(streefwaarde))  # a line's value equal to the target up to rounding
        reached = (verwachting >= streefwaarde - margin if richting == "hoger_beter"
                   else verwachting <= streefwaarde + margin)
        return 1.0 if reached else 0.0
    from scipy.stats import t as student_t  # here, not at import: scipy.stats costs every app start ~0.5 s

    below = float(student_t.cdf((streefwaarde - verwachting) / scale, df))
    return 1.0 - below if richting == "hoger_beter" else below


# Every render of the overview, a lijn or an indicator page asks its roads again (a fit and a
# prediction each, ~2 ms). A road is a function of its arguments alone, so it is kept under them and
# is never stale: new values (a load) or targets (an edit) are other arguments. The key is their
# repr, which tells 5 from 5.0 and 0.0 from -0.0 (a streefwaarde is passed through as given).
_ROADS = InProcessStore(max_entries=2048)


def project(punten: Sequence[tuple[int, float]], tot: int, streefwaarden: Mapping[int, float],
            richting: str, nulmeting: float | None = None, niveau: float = NIVEAU,
            grenzen: tuple[float | None, float | None] = (None, None)) -> Trajectory:
    """The line through the yearly `punten` (year, value), projected to every year after the last
    point up to `tot`, with each year's streefwaarde (if any) and the chance of reaching it.
    `richting` is "hoger_beter" or "lager_beter"; `nulmeting` widens the plan's range; `grenzen`
    (low, high) is the unit's possible range, None for no bound. Cached by its arguments (the
    result is immutable)."""
    arguments = (tuple(punten), tot, tuple(streefwaarden.items()), richting, nulmeting, niveau, tuple(grenzen))
    key = repr(arguments)
    found = _ROADS.get(key)
    if found is None:
        found = _projection(arguments[0], tot, streefwaarden, richting, nulmeting, niveau, arguments[-1])
        _ROADS.set(key, found)
    return found


def _projection(punten: Sequence[tuple[int, float]], tot: int, streefwaarden: Mapping[int, float],
                richting: str, nulmeting: float | None, niveau: float,
                grenzen: tuple[float | None, float | None]) -> Trajectory:
    if richting not in ("hoger_beter", "lager_beter"):
        raise ValueError(f"onbekende richting {richting!r}")
    points = tuple(sorted((int(j), float(w)) for j, w in punten))
    if len({j for j, _ in points}) != len(points):
        raise ValueError("een jaar komt twee keer voor")
    if any(not math.isfinite(w) for _, w in points):
        raise ValueError("een waarde is geen eindig getal")
    if len(points) < MIN_PUNTEN:
        return Trajectory(points, niveau=niveau)
    from statsmodels.regression.linear_model import OLS  # as scipy above: only when a line is drawn

    last = points[-1][0]
    later = list(range(last + 1, tot + 1))
    x = np.array([j - last for j, _ in points], dtype=float)  # centred near the data: no large numbers squared
    y = np.array([w for _, w in points])
    fit = OLS(y, np.column_stack([np.ones_like(x), x])).fit()
    helling, startwaarde = float(fit.params[1]), float(fit.params[0])
    if not later:
        return Trajectory(points, (), helling, niveau, startwaarde)
    new = np.column_stack([np.ones(len(later)), np.array(later, dtype=float) - last])
    frame = fit.get_prediction(new).summary_frame(alpha=1 - niveau)
    df = int(fit.df_resid)
    residual_variance = max(float(fit.scale), 0.0)
    bereik = target_range(nulmeting, streefwaarden)
    years = []
    for i, jaar in enumerate(later):
        mean = float(frame["mean"].iloc[i])
        scale = math.sqrt(float(frame["mean_se"].iloc[i]) ** 2 + residual_variance)
        if scale <= EXACT * max(1.0, abs(mean)):  # rounding noise of points exactly on a line
            scale = 0.0
        onder, boven = float(frame["obs_ci_lower"].iloc[i]), float(frame["obs_ci_upper"].iloc[i])
        if scale == 0 or not (math.isfinite(onder) and math.isfinite(boven)):  # no scatter: the line itself
            onder = boven = mean
        # judged on the model's own interval: clipping it would hide the scatter of a line that
        # has run out of its range
        width = 0.0 if scale == 0 else boven - onder
        te_onzeker = width > MAX_BREEDTE * bereik if bereik > 0 else width > 0
        target = streefwaarden.get(jaar)
        kans = None
        if target is not None and not te_onzeker:
            kans = chance_reached(mean, scale, df, float(target), richting)
        low, high = grenzen
        outside = (low is not None and mean < low) or (high is not None and mean > high)
        mean, onder, boven = (_clip(v, low, high) for v in (mean, onder, boven))
        years.append(YearProjection(jaar, mean, onder, boven, target, kans, te_onzeker, outside))
    return Trajectory(points, tuple(years), helling, niveau, startwaarde)


def _clip(value: float, low: float | None, high: float | None) -> float:
    if low is not None and value < low:
        return low
    if high is not None and value > high:
        return high
    return value


def chance_text(kans: float) -> str:
    """A chance for the screen: rounded to 5 percentage points, never 0% or 100% (a line through
    a few yearly points cannot make anything certain): "< 5%", "35%", "> 95%"."""
    if kans < 0.05:
        return "<\u00a05%"  # a no-break space: a line never ends between "<" and "5%"
    if kans > 0.95:
        return ">\u00a095%"
    return f"{int(math.floor(kans * 20 + 0.5)) * 5}%"
