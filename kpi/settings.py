"""Settings of the KPI layer, read from the environment when used (never at import).

The two disclosure settings (contract: kpi-definitions.md, "Small numbers", version 2) are checked
at start by every entry point (`check_disclosure_settings`): an invalid value stops the app and
the command line with one Dutch line instead of failing on the first page.
"""
from __future__ import annotations

import os
import re

DEFAULT_MIN_CELL_SIZE = 10
DEFAULT_AFRONDING = 5
#: a bound keeps a pasted number of thousands of digits from passing as a setting (a national
#: dashboard, or a test that hides everything, may still use a large threshold)
MAX_SETTING = 1_000_000


class SettingError(ValueError):
    """A setting with a value that cannot be used."""


def _positive_int(name: str, default: int, meaning: str) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    # only ASCII digits: str.isdigit() also accepts '²', which int() refuses
    if not re.fullmatch(r"[0-9]{1,7}", raw) or not 1 <= int(raw) <= MAX_SETTING:
        shown = raw if len(raw) <= 20 else raw[:20] + "…"
        largest = f"{MAX_SETTING:,}".replace(",", ".")
        raise SettingError(f"{name} ({meaning}) moet een geheel getal van 1 tot en met {largest} zijn, "
                           f"niet {shown!r}")
    return int(raw)


def min_cell_size() -> int:
    """The suppression threshold T in force: MIN_CELL_SIZE, default 10."""
    return _positive_int("MIN_CELL_SIZE", DEFAULT_MIN_CELL_SIZE, "de drempel voor kleine aantallen")


def afronding() -> int:
    """The rounding base B in force for counts in detailed views: AFRONDING, default 5 (1: no
    rounding)."""
    return _positive_int("AFRONDING", DEFAULT_AFRONDING, "de afronding van aantallen")


def check_disclosure_settings() -> tuple[int, int]:
    """(T, B) when both settings are valid; SettingError with a Dutch message otherwise."""
    return min_cell_size(), afronding()
