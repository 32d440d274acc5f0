"""SQLite files holding the demonstration data, for tests that need a warehouse file of their own
(an app in a subprocess, a test that writes): the data are loaded once per test process, seed and
scale into a template, and each caller gets a copy (milliseconds, where a load takes seconds)."""
from __future__ import annotations

import atexit
import shutil
import sqlite3
import tempfile
from pathlib import Path

_TEMPLATES: dict[tuple[int, int, bool], Path] = {}
_FOLDER: list[Path] = []


def _template(seed: int, scale: int, totals: bool) -> Path:
    if (seed, scale, totals) not in _TEMPLATES:
        from data.db import make_engine, migrate
        from data.warehouse.demo import load_demo
        from kpi.totals import rebuild as store_kpi_totals

        if not _FOLDER:
            _FOLDER.append(Path(tempfile.mkdtemp(prefix="jeugdmonitor-demo-sjabloon-")))
            atexit.register(shutil.rmtree, _FOLDER[0], ignore_errors=True)
        path = _FOLDER[0] / f"demo-{seed}-{scale}-{int(totals)}.db"
        engine = make_engine(f"sqlite:///{path}")
        migrate(engine)
        load_demo(engine, seed=seed, scale=scale, derive=store_kpi_totals if totals else None)
        engine.dispose()
        _TEMPLATES[(seed, scale, totals)] = path
    return _TEMPLATES[(seed, scale, totals)]


def demo_copy(path: Path, seed: int = 2025, scale: int = 1, totals: bool = False) -> str:
    """A new SQLite file at `path` as load_demo(seed, scale) leaves a fresh, migrated warehouse
    (the demonstration data and the Programmaplan; `totals`: with the KPIs' stored totals, as
    `python -m data load` leaves it); its URL."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(_template(seed, scale, totals))
    target = sqlite3.connect(path)
    try:
        source.backup(target)  # a consistent copy, whatever the template's WAL holds
    finally:
        target.close()
        source.close()
    return f"sqlite:///{path}"
