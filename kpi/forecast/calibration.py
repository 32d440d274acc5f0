"""Calibrating the 80% interval on the warehouse's own history.

The model's simulated paths know the noise of the months but not that its own parameters (trend,
seasonal pattern) are estimates, nor that the data may not follow the model; such intervals are
known to be too narrow (Hyndman & Athanasopoulos, Forecasting: Principles and Practice, §8.7 and
§5.5), most of all early in the year, when eleven months are still to come. So the spread of the
paths around the point forecast is multiplied by a factor c learned from the earlier forecasts of
this same warehouse:

- for each earlier rolling-origin forecast (kpi/forecast/origins.py) at an origin month within two
  months of the current one (end of January … end of May for end of March: three years give
  fifteen errors), the error is
  measured in units of that forecast's own spread: z = (outcome − point) / σ, with σ the interval's
  half-width on the outcome's side divided by 1.2816 (the normal distribution's 90th percentile);
- c = √(mean z²), the factor that makes those errors one σ on average (a well-calibrated model
  gives c ≈ 1), kept within C_MIN … C_MAX;
- fewer than MIN_ERRORS earlier forecasts: c = 1, the model's own interval.

Only what was known at the forecast's peildatum is used: the earlier years' outcomes as completed
then (no later declarations), and only earlier years' forecasts.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from kpi.forecast.origins import Origin
from kpi.forecast.year_end import Z80, YearEnd

C_MIN, C_MAX = 0.5, 5.0
MIN_ERRORS = 3
#: origin months within this distance count as "the same time of the year"
NEIGHBOURS = 2


def factor(history: tuple[Origin, ...], jaar: int, maand: int, outcomes: dict[int, float]) -> float:
    """c for a forecast of `jaar` at the end of month `maand`, from the earlier origins of
    `history` whose year's outcome is in `outcomes` (as known at the forecast's peildatum)."""
    z = []
    for o in history:
        if o.jaar >= jaar or abs(o.maand - maand) > NEIGHBOURS or o.jaar not in outcomes:
            continue
        outcome = outcomes[o.jaar]
        side = (o.high - o.point) if outcome >= o.point else (o.point - o.low)
        if side <= 0:
            continue  # a forecast without spread (a constant series) says nothing about its width
        z.append((outcome - o.point) / (side / Z80))
    if len(z) < MIN_ERRORS:
        return 1.0
    return float(np.clip(np.sqrt(np.mean(np.square(z))), C_MIN, C_MAX))


def widen(year: YearEnd, c: float) -> YearEnd:
    """The year with its paths' spread around the point forecast (and each month's interval)
    multiplied by c."""
    if c == 1.0:
        return year
    return replace(year, totals=year.point + c * (year.totals - year.point),
                   low=year.expected - c * (year.expected - year.low),
                   high=year.expected + c * (year.high - year.expected), calibration=c)
