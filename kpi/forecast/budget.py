"""The year total against the budget: the month the budget is used up at the current course, and
the expected overschrijding with its 80% interval (negative: onderschrijding)."""
from __future__ import annotations

import datetime as dt

import numpy as np

from kpi.forecast.year_end import HIGH_Q, LOW_Q, YearEnd


def used_up_in(year: YearEnd, budget: float | None) -> dt.date | None:
    """The first month whose cumulative expected amount (realised, completed and forecast, from
    January on) reaches the budget; None without a budget or when the year stays below it."""
    if budget is None:
        return None
    reached = np.nonzero(np.cumsum(year.expected) >= budget)[0]
    if not len(reached):
        return None
    return year.months[int(reached[0])].to_timestamp().date()


def overshoot(year: YearEnd, budget: float | None) -> tuple[float | None, float | None, float | None]:
    """(expected total − budget, and its 80% interval); None without a budget."""
    if budget is None:
        return None, None, None
    return (year.point - budget, float(np.quantile(year.totals, LOW_Q)) - budget,
            float(np.quantile(year.totals, HIGH_Q)) - budget)
