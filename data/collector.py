"""The garbage collector's settings for every process of the product (the app, gunicorn's workers,
the command lines) and of its test suite.

Building a KPI statement allocates tens of thousands of short-lived objects, many in reference
cycles (SQLAlchemy's expression trees). With Python's default threshold — collect the youngest
generation every 700 allocations — a process holding Dash, plotly and pandas (~300,000 objects)
spent about half of that building in collections. Collecting the youngest generation every
10,000 allocations halved the collector's time (measured: docs/performance.md, "Garbage
collector"); the cycles are still collected, a little later.
"""
from __future__ import annotations

import gc

#: allocations (minus deallocations) between two collections of the youngest generation
YOUNGEST_GENERATION_THRESHOLD = 10_000


def tune() -> None:
    """This process's collector thresholds (the older generations' stay Python's)."""
    _young, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNGEST_GENERATION_THRESHOLD, middle, old)
