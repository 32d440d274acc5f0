"""Rolling-origin forecasts of the total: for every month end of the chosen years, the year-end
forecast made again with only the declarations received by then. The backtest reports them
(kpi/forecast/backtest.py) and the interval calibration learns from them
(kpi/forecast/calibration.py); both read the same records, computed once.

Each origin also keeps what was known *then* about the earlier years' totals (their completed
amounts at that origin), so a calibration at that origin uses nothing from its future.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from kpi.forecast.year_end import patterns_at, year_end

#: complete years the backtest reports by default (the issue asks at least three)
YEARS = 3
#: years before the first reported one whose forecasts only serve the interval calibration
CALIBRATION_YEARS = 2


@dataclass(frozen=True)
class Origin:
    """The forecast of `jaar`'s total at the end of month `maand` of that year (uncalibrated)."""
    jaar: int
    maand: int
    point: float
    low: float
    high: float
    declared: float          # declared by the origin for the year's months so far
    earlier: tuple[tuple[int, float], ...]  # (year, its completed total as known at this origin)

    @property
    def origin(self) -> pd.Period:
        return pd.Period(f"{self.jaar}-{self.maand:02d}", "M")


def total_cells(cells: pd.DataFrame) -> pd.DataFrame:
    """The cells summed over gemeenten (per hulpvorm, which declares at its own pace), with their
    receipt month."""
    keys = ["hulpvorm", "maand", "leeftijd"] if "hulpvorm" in cells.columns else ["maand", "leeftijd"]
    total = cells.groupby(keys, as_index=False)["bedrag_cent"].sum()
    total["ontvangen_maand"] = total["maand"] + total["leeftijd"]
    return total


def rolling_origins(total: pd.DataFrame, years: list[int], corrected: bool) -> tuple[Origin, ...]:
    """An Origin for every month end of `years` (cells from `total_cells`)."""
    out = []
    for jaar in years:
        for month in range(1, 13):
            origin = pd.Period(f"{jaar}-{month:02d}", "M")
            known = total[total["ontvangen_maand"] <= origin]
            year = year_end(known, origin, jaar, corrected)
            low, high = year.interval
            declared = known.loc[(known["maand"] >= pd.Period(f"{jaar}-01", "M")) & (known["maand"] <= origin),
                                 "bedrag_cent"].sum() / 100
            out.append(Origin(jaar, month, year.point, min(low, year.point), max(high, year.point),
                              float(declared), completed_years(year.completion, jaar)))
    return tuple(out)


def completed_years(comp, before: int) -> tuple[tuple[int, float], ...]:
    """The completed total of every year before `before` in a completion (a month the chain-ladder
    cannot scale counts as declared)."""
    values = pd.Series(comp.ultimate, index=comp.months).fillna(pd.Series(comp.known, index=comp.months))
    by_year = values.groupby(values.index.year).sum()
    return tuple((int(y), float(v)) for y, v in by_year.items() if y < before)


#: a year's outcome counts as known once this share of its December has been declared
COMPLETE_SHARE = 0.99


def complete_age(cells: pd.DataFrame, current: pd.Period, corrected: bool) -> int:
    """The age (months) by which every hulpvorm has declared COMPLETE_SHARE of a month, at the
    end of month `current`; 0 without receipt dates (every month is taken as it is)."""
    if not corrected or cells.empty:
        return 0
    ages = []
    for shares in (pattern.shares for pattern in patterns_at(cells, current).values()):
        reached = np.nonzero(shares >= COMPLETE_SHARE)[0]
        ages.append(int(reached[0]) if len(reached) else len(shares) - 1)
    return max(ages, default=0)


def choose_years(current: pd.Period, first_month: pd.Period, years: int = YEARS, settled_age: int = 0
                 ) -> tuple[list[int], list[int]]:
    """(the calibration years, the reported years): complete years — December has passed, and
    by at least `settled_age` months, so the outcome is known — whose previous year the warehouse
    covers entirely (the baseline needs it)."""
    last_complete = (current - settled_age).year if (current - settled_age).month == 12 else (current - settled_age).year - 1
    first_usable = first_month.year + (1 if first_month.month == 1 else 2)
    usable = list(range(first_usable, last_complete + 1))
    reported = usable[-years:] if years > 0 else []
    before = [y for y in usable if reported and y < reported[0]]
    return before[-CALIBRATION_YEARS:], reported


def origins_for(cells: pd.DataFrame, current: pd.Period, first_month: pd.Period, corrected: bool,
                years: int = YEARS) -> tuple[Origin, ...]:
    """The rolling-origin forecasts the backtest and the calibration read (the expensive part:
    twelve model fits per year)."""
    before, reported = choose_years(current, first_month, years, complete_age(cells, current, corrected))
    return rolling_origins(total_cells(cells), before + reported, corrected)
