"""The small-number rules for the forecast (contract: kpi-definitions.md, "Small numbers"),
decided by the KPI engine itself, so nothing is shown here that the explorer would hide:

- a gemeente's or hulpvorm's forecast is shown only when `totale_kosten` of that group is shown
  for the year so far (the same breakdown the explorer shows, with every rule: threshold,
  secondary suppression), and the total only when the year's total is shown;
- within a shown series, the declared amount (and the share declared) of a month is withheld when
  `totale_kosten` of that group and month is hidden: the latest month, with only a few
  declarations in, often is.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

from kpi.periods import split
from kpi.request import KpiRequest
from kpi.result import KpiResult

Compute = Callable[[KpiRequest], KpiResult]
KPI = "totale_kosten"


@dataclass(frozen=True)
class Verdict:
    """Which groups are shown, and per shown group the months ('2026-09') whose declared amount is
    withheld; `threshold`: the threshold in force (None: suppression off)."""
    shown: frozenset
    withheld: dict
    threshold: int | None


def _period(jaar: int, peildatum: dt.date) -> tuple[dt.date, dt.date]:
    return dt.date(jaar, 1, 1), min(dt.date(jaar, 12, 31), peildatum)


def groups(compute: Compute, jaar: int, peildatum: dt.date, dimension: str) -> Verdict:
    """The verdict for the breakdown of the forecast by `dimension`."""
    van, tot = _period(jaar, peildatum)
    year = compute(KpiRequest(KPI, van, tot, by=dimension))
    monthly = compute(KpiRequest(KPI, van, tot, by=dimension, per="maand"))
    shown = frozenset(row.key for row in year.rows if not row.suppressed)
    # a breakdown lists a group in a month only with a record in it (the contract); a month without
    # one has n = 0, which the group's own request hides (<10) as any n below the threshold
    listed = {(row.key, row.periode) for row in monthly.rows if not row.suppressed}
    withheld: dict = {}
    if year.request.min_cell_size:
        months = [part.label for part in split(van, tot, "maand")]
        for key in shown:
            hidden = {month for month in months if (key, month) not in listed}
            if hidden:
                withheld[key] = hidden
    return Verdict(shown, withheld, year.request.min_cell_size)


def total(compute: Compute, jaar: int, peildatum: dt.date) -> Verdict:
    """The verdict for the total (a total: the threshold alone)."""
    van, tot = _period(jaar, peildatum)
    year = compute(KpiRequest(KPI, van, tot))
    monthly = compute(KpiRequest(KPI, van, tot, per="maand"))
    shown = frozenset() if any(row.suppressed for row in year.rows) else frozenset({None})
    withheld = {None: {row.periode for row in monthly.rows if row.suppressed}}
    return Verdict(shown, withheld, year.request.min_cell_size)
