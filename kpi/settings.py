"""Settings of the KPI layer, read from the environment when used (never at import)."""
from __future__ import annotations

import os

DEFAULT_MIN_CELL_SIZE = 10


class SettingError(ValueError):
    """A setting with a value that cannot be used."""


def min_cell_size() -> int:
    """The suppression threshold in force: MIN_CELL_SIZE, default 10."""
    raw = os.environ.get("MIN_CELL_SIZE", "").strip()
    if not raw:
        return DEFAULT_MIN_CELL_SIZE
    if not raw.isdigit() or int(raw) < 1:
        raise SettingError(f"MIN_CELL_SIZE moet een geheel getal van 1 of meer zijn, niet {raw!r}")
    return int(raw)
