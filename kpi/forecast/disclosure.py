"""The small-number rules for the forecast's breakdowns (contract: kpi-definitions.md, "Small
numbers"), decided by the KPI engine itself: a gemeente's or hulpvorm's forecast is shown only
when `totale_kosten` of that group is shown for the year so far *and* for each of its months (the
forecast's monthly chart shows monthly amounts), with every rule the engine applies (threshold,
secondary suppression). Nothing is decided here that the explorer would decide otherwise."""
from __future__ import annotations

import datetime as dt
from typing import Callable

from kpi.request import KpiRequest
from kpi.result import KpiResult

Compute = Callable[[KpiRequest], KpiResult]
KPI = "totale_kosten"


def shown_groups(compute: Compute, jaar: int, peildatum: dt.date, dimension: str) -> tuple[set, int | None]:
    """The keys of `dimension` whose forecast may be shown, and the threshold applied."""
    van, tot = dt.date(jaar, 1, 1), min(dt.date(jaar, 12, 31), peildatum)
    year = compute(KpiRequest(KPI, van, tot, by=dimension))
    monthly = compute(KpiRequest(KPI, van, tot, by=dimension, per="maand"))
    hidden = {row.key for row in year.rows + monthly.rows if row.suppressed}
    shown = {row.key for row in year.rows} - hidden
    return shown, year.request.min_cell_size


def total_shown(compute: Compute, jaar: int, peildatum: dt.date) -> bool:
    """Whether the total's forecast may be shown (a total: the threshold alone, per month and year)."""
    van, tot = dt.date(jaar, 1, 1), min(dt.date(jaar, 12, 31), peildatum)
    rows = compute(KpiRequest(KPI, van, tot)).rows + compute(KpiRequest(KPI, van, tot, per="maand")).rows
    return not any(row.suppressed for row in rows)
