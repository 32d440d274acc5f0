"""Periods and sub-periods (contract: kpi-definitions.md, "Periods").

A period P = [van, tot], both inclusive. `per` splits P into calendar years, quarters or months,
each clipped to P; every sub-period is then computed as a period of its own.
"""
from __future__ import annotations

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


def _next_boundary(day: dt.date, per: str) -> tuple[str, dt.date]:
    """The label of the calendar unit holding `day`, and the first day of the next unit."""
    if per == "jaar":
        return str(day.year), dt.date(day.year + 1, 1, 1)
    if per == "kwartaal":
        quarter = (day.month - 1) // 3 + 1
        first_month_next = quarter * 3 + 1
        nxt = (dt.date(day.year + 1, 1, 1) if first_month_next > 12
               else dt.date(day.year, first_month_next, 1))
        return f"{day.year}-Q{quarter}", nxt
    if per == "maand":
        nxt = (dt.date(day.year + 1, 1, 1) if day.month == 12
               else dt.date(day.year, day.month + 1, 1))
        return f"{day.year}-{day.month:02d}", nxt
    raise ValueError(f"onbekende onderverdeling {per!r}")


def split(van: dt.date, tot: dt.date, per: str | None) -> list[SubPeriod]:
    """P itself when `per` is None, else its calendar sub-periods clipped to P, in order."""
    if per is None:
        return [SubPeriod(None, van, tot)]
    parts: list[SubPeriod] = []
    start = van
    while start <= tot:
        label, next_start = _next_boundary(start, per)
        end = min(next_start - dt.timedelta(days=1), tot)
        parts.append(SubPeriod(label, start, end))
        start = next_start
    return parts


def is_calendar_year(van: dt.date, tot: dt.date) -> bool:
    return van.month == 1 and van.day == 1 and tot == dt.date(van.year, 12, 31)


def is_whole_years(van: dt.date, tot: dt.date) -> bool:
    """From a 1 January to a 31 December (one calendar year or several)."""
    return (van.month, van.day, tot.month, tot.day) == (1, 1, 12, 31)
