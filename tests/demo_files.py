"""SQLite files holding the demonstration data, for tests that need a warehouse file of their own
(an app in a subprocess, a test that writes): the data are loaded once per test run, seed and
scale into a template that shared_demo's SQLite warehouses are copied from too
(tests.conftest.RunTemplates), and each caller gets a copy (milliseconds, where a load takes
seconds)."""
from __future__ import annotations

from pathlib import Path


def _template(seed: int, scale: int, totals: bool) -> Path:
    from kpi.totals import rebuild as store_kpi_totals
    from tests.conftest import demo_sqlite_template

    return demo_sqlite_template(seed, scale, derive=store_kpi_totals if totals else None)


def demo_copy(path: Path, seed: int = 2025, scale: int = 1, totals: bool = False) -> str:
    """A new SQLite file at `path` as load_demo(seed, scale) leaves a fresh, migrated warehouse
    (the demonstration data and the Programmaplan; `totals`: with the KPIs' stored totals, as
    `python -m data load` leaves it); its URL."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    from tests.conftest import sqlite_copy

    sqlite_copy(_template(seed, scale, totals), path)  # a consistent copy, whatever the template's WAL holds
    return f"sqlite:///{path}"
