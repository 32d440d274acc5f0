"""Cell parsers of the import format: one small function per column type.

Every parser takes a trimmed, non-empty cell and returns the value to store, or raises `Invalid`
with a Dutch message that names the bad value. Parsers are built once per file (the decimal comma
depends on the file's delimiter), so checking a row is a few function calls.

Decisions:
- Dates strictly `YYYY-MM-DD`, a real calendar date, years 1990-2100 (nobody in the format was
  born before 1990, so an earlier date is a typo). They are returned as the ISO text itself: it
  compares correctly, SQLite stores exactly that and PostgreSQL's COPY parses it.
- A month `YYYY-MM` becomes the ISO text of its first day (the schema stores kosten.maand so).
- Integers are plain digits with an optional minus sign (no `+`, no `12.0`, no separators).
- Money becomes integer cents: `1234`, `1234.5`, `-12.50`, and with a `;` file also `1234,50`;
  no thousands separators, at most 2 decimals.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Callable

from data.warehouse.codes import CodeList

Parser = Callable[[str], Any]

MIN_YEAR, MAX_YEAR = 1990, 2100
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_MONTH = re.compile(r"[0-9]{4}-[0-9]{2}")
_INTEGER = re.compile(r"-?[0-9]+")
_MONEY_POINT = re.compile(r"(-?)([0-9]+)(?:\.([0-9]+))?")
_MONEY_POINT_OR_COMMA = re.compile(r"(-?)([0-9]+)(?:[.,]([0-9]+))?")
_MAX_MONEY_DIGITS = 13  # whole euros; keeps cents far inside a BIGINT


class Invalid(ValueError):
    """A cell that does not fit its column; the message is shown to the user."""


def shown(raw: str, limit: int = 40) -> str:
    """A cell value quoted for a message, shortened when long."""
    return repr(raw if len(raw) <= limit else raw[:limit] + "...")


def text(max_length: int) -> Parser:
    def parse(raw: str) -> str:
        if len(raw) > max_length:
            raise Invalid(f"{shown(raw)} is te lang (meer dan {max_length} tekens)")
        return raw
    return parse


def code(code_list: CodeList) -> Parser:
    normalise = code_list.normalise

    def parse(raw: str) -> str:
        value = normalise(raw)
        if value is None:
            raise Invalid(f"onbekende waarde {shown(raw)}; toegestaan: {code_list.describe()}")
        return value
    return parse


def _check_year(raw: str, year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Invalid(f"{shown(raw)}: het jaar ligt niet tussen {MIN_YEAR} en {MAX_YEAR}")


def date() -> Parser:
    seen: set[str] = set()  # dates repeat a lot; check each distinct one once

    def parse(raw: str) -> str:
        if raw in seen:
            return raw
        if not _DATE.fullmatch(raw):
            raise Invalid(f"{shown(raw)} is geen datum in de vorm JJJJ-MM-DD")
        try:
            value = dt.date.fromisoformat(raw)
        except ValueError:
            raise Invalid(f"{shown(raw)} is geen bestaande datum") from None
        _check_year(raw, value.year)
        seen.add(raw)
        return raw
    return parse


def month() -> Parser:
    seen: dict[str, str] = {}

    def parse(raw: str) -> str:
        found = seen.get(raw)
        if found is not None:
            return found
        if not _MONTH.fullmatch(raw) or not 1 <= int(raw[5:]) <= 12:
            raise Invalid(f"{shown(raw)} is geen maand in de vorm JJJJ-MM")
        _check_year(raw, int(raw[:4]))
        seen[raw] = first_day = raw + "-01"
        return first_day
    return parse


def integer(low: int, high: int) -> Parser:
    def parse(raw: str) -> int:
        if not _INTEGER.fullmatch(raw):
            raise Invalid(f"{shown(raw)} is geen geheel getal")
        value = int(raw)
        if not low <= value <= high:
            raise Invalid(f"{value} ligt niet tussen {low} en {high}")
        return value
    return parse


def money(decimal_comma: bool, minimum_cents: int | None = None) -> Parser:
    pattern = _MONEY_POINT_OR_COMMA if decimal_comma else _MONEY_POINT
    example = "1234.50 of 1234,50" if decimal_comma else "1234.50"

    def parse(raw: str) -> int:
        match = pattern.fullmatch(raw)
        if match is None:
            raise Invalid(f"{shown(raw)} is geen bedrag (verwacht bijvoorbeeld {example}, "
                          "zonder duizendtalscheiding of valutateken)")
        sign, whole, fraction = match.groups()
        if len(whole) > _MAX_MONEY_DIGITS:
            raise Invalid(f"bedrag {shown(raw)} is te groot")
        if fraction is None:
            cents = int(whole) * 100
        elif len(fraction) > 2:
            raise Invalid(f"bedrag heeft meer dan 2 decimalen: {shown(raw)}")
        else:
            cents = int(whole) * 100 + int(fraction.ljust(2, "0"))
        if sign:
            cents = -cents
        if minimum_cents is not None and cents < minimum_cents:
            raise Invalid(f"bedrag {shown(raw)} mag niet negatief zijn")
        return cents
    return parse
