"""The rolling-origin forecasts (kpi.forecast.origins.origins_for) kept per test process under the
value of their arguments.

Every KpiService computes them once per load (kpi/forecast/cached.py), and the tests make many
services on warehouses holding the same demonstration facts (each test module, each backend: a
deck, a report, a page of the running year), so a worker computed the same origins again and again
(~1.5 s each with the model fits already kept, kpi/forecast/model.py). The function is
deterministic (its fits draw from a fixed seed) and returns frozen Origins in a tuple, so the kept
value is what a new computation gives; other declarations are another key and are computed. The
product keeps computing them per load: a new load brings other facts, where this would never hit.
"""
from __future__ import annotations

import pandas as pd

#: where origins_for is called by its imported name
CALLERS = ("kpi.forecast.origins", "kpi.forecast.cached", "kpi.forecast.backtest", "kpi.forecast.year_forecast")
MOST = 16  # distinct warehouses a process keeps origins of (each a tuple of ~60 small records)


def arguments_key(cells: pd.DataFrame, *rest) -> tuple:
    """The cells by content (their columns, types and every value), with the other arguments."""
    hashed = pd.util.hash_pandas_object(cells, index=False).to_numpy().tobytes()
    return (tuple(cells.columns), tuple(str(t) for t in cells.dtypes), len(cells), hashed, repr(rest))


def kept(origins_for):
    found: dict[tuple, tuple] = {}

    def origins_for_kept(cells, *args, **kwargs):
        key = arguments_key(cells, *args, sorted(kwargs.items()))
        if key not in found:
            if len(found) >= MOST:
                found.pop(next(iter(found)))
            found[key] = origins_for(cells, *args, **kwargs)
        return found[key]
    origins_for_kept.found = found
    return origins_for_kept
