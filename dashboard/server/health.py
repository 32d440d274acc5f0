"""GET /gezondheid (and /health): is the app able to answer? Checks the database and the cache.

200 with {"status": "ok", …} when the warehouse answers a query; 503 otherwise. No personal data,
no error details beyond the kind of failure.
"""
from __future__ import annotations

import json
import time

from flask import Response

from dashboard.server import runtime


def health_response() -> Response:
    body: dict = {"status": "ok"}
    status = 200
    started = time.perf_counter()
    try:
        runtime.service().ping_database()
        body["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 — report the kind, never the details
        body["database"] = f"fout: {type(exc).__name__}"
        body["status"] = "fout"
        status = 503
    store = runtime.service().store
    body["cache"] = store.name
    if hasattr(store, "ping"):
        try:
            store.ping()
        except Exception as exc:  # noqa: BLE001
            body["cache"] = f"{store.name}: fout ({type(exc).__name__})"
            body["status"] = "fout"
            status = 503
    body["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return Response(json.dumps(body), status=status, mimetype="application/json")


def register(server) -> None:
    server.add_url_rule("/gezondheid", "gezondheid", health_response)
    server.add_url_rule("/health", "health", health_response)
