"""Periods and sub-periods (contract: kpi-definitions.md, "Periods").

A period P = [van, tot], both inclusive. `per` splits P into calendar years, quarters or months,
each clipped to P; every sub-period is then computed as a period of its own.
"""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

PER_VALUES = ("jaar", "kwartaal", "maand")


@dataclass(frozen=True)
class SubPeriod:
    label: str | None  # "2025", "2025-Q1", "2025-01"; None when P is not split
    van: dt.date
    tot: dt.date


def year_period(jaar: int) -> tuple[dt.date, dt.date]:
    return dt.date(jaar, 1, 1), dt.date(jaar, 12, 31)


def _unit(day: dt.date, per: str) -> tuple[str, dt.date]:
    """The label of the calendar unit holding `day`, and the unit's last day (not the next unit's
    first: after 31 December 9999 there is none)."""
    if per == "jaar":
        return str(day.year), dt.date(day.year, 12, 31)
    if per == "kwartaal":
        quarter = (day.month - 1) // 3 + 1
        last_month = quarter * 3
        return f"{day.year}-Q{quarter}", dt.date(day.year, last_month, calendar.monthrange(day.year, last_month)[1])
    if per == "maand":
        return f"{day.year}-{day.month:02d}", dt.date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])
    raise ValueError(f"onbekende onderverdeling {per!r}")


def split(van: dt.date, tot: dt.date, per: str | None) -> list[SubPeriod]:
    """P itself when `per` is None, else its calendar sub-periods clipped to P, in order."""
    if per is None:
        return [SubPeriod(None, van, tot)]
    parts: list[SubPeriod] = []
    start = van
    while start <= tot:
        label, last = _unit(start, per)
        end = min(last, tot)
        parts.append(SubPeriod(label, start, end))
        if end == tot:
            break
        start = end + dt.timedelta(days=1)
    return parts


def is_calendar_year(van: dt.date, tot: dt.date) -> bool:
    return van.month == 1 and van.day == 1 and tot == dt.date(van.year, 12, 31)


def is_whole_years(van: dt.date, tot: dt.date) -> bool:
    """From a 1 January to a 31 December (one calendar year or several)."""
    return (van.month, van.day, tot.month, tot.day) == (1, 1, 12, 31)
