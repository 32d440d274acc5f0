"""PROMETHEUS_MULTIPROC_DIR: the folder where each gunicorn worker keeps its metrics for /metrics.

Checked before dashboard/server/metrics.py is imported: that module makes its gauges at import,
and in multiprocess mode a gauge opens its file in this folder there and then, so a folder that
does not exist or cannot be written ended the start in prometheus_client's traceback.
"""
from __future__ import annotations

import os


def multiprocess_problem() -> str | None:
    """Why PROMETHEUS_MULTIPROC_DIR cannot be used (Dutch), or None. gunicorn.conf.py sets it to a
    folder of its own unless it is set already."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder and not (os.path.isdir(folder) and os.access(folder, os.W_OK | os.X_OK)):
        return f"PROMETHEUS_MULTIPROC_DIR={folder!r}: geen map waarin de app kan schrijven"
    return None
