"""How the app logs (LOG_FORMAT): readable text, or one JSON object per line for a log collector.

`configure(fmt)` puts one handler on the root logger, on stderr, and lets the app's own loggers
(`jeugdmonitor.*`, `dashboard.*`) through from INFO; other libraries from WARNING. The entry
points call it (app.main, app.create_server); the tests' in-process apps leave logging alone.

- tekst: `2026-11-12 14:03:01,123 INFO jeugdmonitor.security: ingelogd: anna (trekker)`
- json: `{"time": "2026-11-12T13:03:01.123Z", "level": "INFO", "logger": "jeugdmonitor.security",
  "message": "ingelogd: anna (trekker)", "route": "/inloggen"}` — `route` (the route template,
  dashboard/server/route_labels.py) inside a request; `exception` with the traceback of an error.
  Under gunicorn its own lines (`gunicorn.error`) are JSON too (gunicorn.conf.py), and its access
  log is one JSON object per line already.

What the messages hold is decided where they are logged: account names and client addresses for
security events, never a jeugdige's data, a password, free text a user typed that is no account
name, or a query string (docs/monitoring.md, "Logs").
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import sys

from flask import has_request_context, request

from dashboard.server.route_labels import ROUTE_KEY

FORMATS = {"tekst": "tekst", "text": "tekst", "json": "json"}
SETTING = "LOG_FORMAT"
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
APP_LOGGERS = ("jeugdmonitor", "dashboard")


class LogSettingError(ValueError):
    """A LOG_FORMAT the app refuses to start with (Dutch)."""


def log_format(value: str | None) -> str:
    """LOG_FORMAT: tekst (the default) or json."""
    if value is None or not value.strip():
        return "tekst"
    found = FORMATS.get(value.strip().lower())
    if found is None:
        shown = value if len(value) <= 40 else value[:37] + "…"
        raise LogSettingError(f"{SETTING}={shown!r}: kies tekst of json")
    return found


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line (a traceback's newlines are escaped inside it)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, dt.timezone.utc)
                      .isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if has_request_context() and ROUTE_KEY in request.environ:
            entry["route"] = request.environ[ROUTE_KEY]
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False)


def formatter(fmt: str) -> logging.Formatter:
    return JsonFormatter() if fmt == "json" else logging.Formatter(TEXT_FORMAT)


def configure(fmt: str) -> None:
    """One stderr handler in the given format on the root logger (a second call replaces it)."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "jeugdmonitor", False)]:
        root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter(fmt))
    handler.jeugdmonitor = True
    root.addHandler(handler)
    for name in APP_LOGGERS:
        logging.getLogger(name).setLevel(logging.INFO)
    if fmt == "json":  # the development server's access lines quote the whole URL, query string and all
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
    # a library's warning (warnings.warn) is a log record too, so it arrives in the same format
    logging.captureWarnings(True)
