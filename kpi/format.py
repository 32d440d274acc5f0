"""Dutch formatting of KPI values: € 1.234.567; 12,3%; 1.234 dagen; 7,4.

The one place that says how a unit reads (UNITS: its decimals, its sign before or after the number,
its word, its name and how a difference in it reads), for every screen, export, chart, slide,
spreadsheet number format and the report, so a number reads the same everywhere. Suppressed values
read as "<10" (the threshold in force).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable, Sequence

MAANDEN = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december")


@dataclass(frozen=True)
class Unit:
    """How values of one unit read."""
    naam: str                             # in words, as a definition list names it
    decimals: int                         # shown (the JSON keeps the unrounded value)
    prefix: str = ""                      # before the number ("€ "); a minus goes after it: "€ -12"
    suffix: str = ""                      # right after the number ("%"); also in a spreadsheet
    words: tuple[str, str] | None = None  # after the number on screen, singular and plural
    difference: str | None = None         # the word for a difference of two values ("procentpunt")


UNITS = {
    "aantal": Unit("aantal", 0),
    "%": Unit("percentage", 1, suffix="%", difference="procentpunt"),
    "dagen": Unit("dagen", 0, words=("dag", "dagen")),
    "€": Unit("euro", 0, prefix="€ "),
    "cijfer": Unit("rapportcijfer (1–10)", 1),
}
MILLION = 1e6  # amounts from a million on are drawn in millions ("€ 12 mln")


def unit(eenheid: str | None) -> Unit:
    """How `eenheid` reads; any other unit (e.g. "aantal per 1.000") as a plain number with one
    decimal, named by itself."""
    return UNITS.get(eenheid or "") or Unit(eenheid or "", 1)


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
    u = unit(eenheid)
    d = u.decimals if decimals is None else decimals
    if u.prefix:
        text = number(abs(v), d)
        return f"{u.prefix}-{text}{u.suffix}" if v < 0 else f"{u.prefix}{text}{u.suffix}"
    text = number(v, d)
    if u.words:
        return f"{text} {u.words[0] if text in ('1', '-1') else u.words[1]}"
    return text + u.suffix


# "… (80%: €" ended a line and "0,6 – 1,6 mln)" began the next: a sentence keeps the euro sign
# with its amount (a no-break space, which every renderer and the slides' measure respect)
AMOUNT_AFTER_EURO = re.compile(r"€ (?=[-+\u2212]?\d)")


def unbroken_amounts(text: str) -> str:
    """`text` with a no-break space between every "€" and the amount after it."""
    return AMOUNT_AFTER_EURO.sub("€\u00a0", text)


def difference(diff: float, eenheid: str) -> str:
    """The size of a change, without its direction: '2,5 procentpunt', '12 dagen'."""
    u = unit(eenheid)
    if u.difference:
        return f"{number(abs(diff), u.decimals)} {u.difference}"
    return value(abs(diff), eenheid)


def in_millions(eenheid: str, values: Iterable[float | None]) -> bool:
    """Whether a chart of these values draws them in millions (amounts of a million or more)."""
    return eenheid == "€" and any(v is not None and abs(v) >= MILLION for v in values)


def axis_label(v: float, eenheid: str, decimals: int, millions: bool = False) -> str:
    """A value on a chart's axis: its sign, not its word ('€ 15.000', '7,5%', '40'); `millions`:
    `v` is in millions ('€ 2,5 mln')."""
    u = unit(eenheid)
    return f"{u.prefix}{number(v, decimals)}{u.suffix}" + (" mln" if millions else "")


#: a number format's language tag: Dutch (the Netherlands, LCID 0x0413)
EXCEL_DUTCH = "[$-413]"


def excel_format(eenheid: str | None, millions: bool = False) -> str:
    """The unit's number format in a spreadsheet or a PowerPoint chart: OOXML's invariant codes
    (`#,##0`, `#,##0.0"%"`), which a Dutch Office shows with its own separators (`€ 14.339`,
    `13,5%`), each section tagged Dutch (`[$-413]`) so that LibreOffice does so in any language it
    runs in (an English one showed a chart's axis as `8.0`). The unit's decimals and sign (quoted:
    a bare % would multiply by 100), not its word; a negative amount after its sign (`€ -12`);
    `millions`: shown in millions (`€ 12,3 mln`)."""
    u = unit(eenheid)
    body = "#,##0.0,," if millions else "#,##0" + ("." + "0" * u.decimals if u.decimals else "")
    tail = u.suffix + (" mln" if millions else "")

    def section(prefix: str) -> str:
        return EXCEL_DUTCH + (f'"{prefix}"' if prefix else "") + body + (f'"{tail}"' if tail else "")
    return section(u.prefix) + (";" + section(u.prefix + "-") if u.prefix else "")


def opsomming(items: Sequence[str]) -> str:
    """"a", "a en b", "a, b en c"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " en " + items[-1]


def datum(day: dt.date) -> str:
    """1 januari 2025."""
    return f"{day.day} {MAANDEN[day.month - 1]} {day.year}"


def moment(value: dt.datetime) -> str:
    """'3 april 2026, 14:05': when something was saved or recorded, the same on every screen."""
    return f"{datum(value.date())}, {value:%H:%M}"


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
