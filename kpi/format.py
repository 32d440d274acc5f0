"""Dutch formatting of KPI values: € 1.234.567; 12,3%; 1.234 dagen; 7,4.

Used by the CLI's text output and by every screen and export, so a number reads the same
everywhere. Suppressed values read as "<10" (the threshold in force).
"""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

MAANDEN = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december")

# Decimals shown per unit (the JSON keeps the unrounded value).
DECIMALS = {"aantal": 0, "%": 1, "dagen": 0, "€": 0, "cijfer": 1}


def number(value: float | int, decimals: int = 0) -> str:
    """A number with Dutch separators, rounded half up: 1234567.85 → '1.234.567,9' (decimals=1)."""
    rounded = Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{rounded:,.{decimals}f}"  # 1,234,567.9
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def value(v: float | int | None, eenheid: str, *, suppressed: bool = False,
          threshold: int | None = None, decimals: int | None = None) -> str:
    """A KPI value for the screen, with its unit."""
    if suppressed:
        return f"<{threshold}" if threshold else "<drempel"
    if v is None:
        return "–"
    d = DECIMALS.get(eenheid, 1) if decimals is None else decimals
    if eenheid == "€":
        text = number(abs(v), d)
        return f"€ -{text}" if v < 0 else f"€ {text}"
    if eenheid == "%":
        return f"{number(v, d)}%"
    if eenheid == "dagen":
        text = number(v, d)
        return f"{text} dag" if text in ("1", "-1") else f"{text} dagen"
    return number(v, d)


def datum(day: dt.date) -> str:
    """1 januari 2025."""
    return f"{day.day} {MAANDEN[day.month - 1]} {day.year}"


def periode(van: dt.date, tot: dt.date) -> str:
    """'2025' for a calendar year, else '1 januari 2025 t/m 30 juni 2025'."""
    if van.month == 1 and van.day == 1 and tot == dt.date(van.year, 12, 31):
        return str(van.year)
    return f"{datum(van)} t/m {datum(tot)}"


KORTE_MAANDEN = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


def periode_label(periode: str | None) -> str:
    """A sub-period key for people: '2025' → '2025', '2025-Q1' → 'K1 2025', '2025-03' → 'mrt 2025'."""
    if not periode:
        return ""
    year, _, part = periode.partition("-")
    if not part:
        return year
    if part.startswith("Q"):
        return f"K{part[1:]} {year}"
    return f"{KORTE_MAANDEN[int(part) - 1]} {year}"
