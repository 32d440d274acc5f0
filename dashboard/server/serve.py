"""The production start: `python -m dashboard.server.serve` runs gunicorn with gunicorn.conf.py and
the app (`app:create_server()`), in the project's folder; extra arguments go to gunicorn.

gunicorn reads WEB_CONCURRENCY itself with int() while it is being imported, before any setting
file of ours runs: a value that is no number at all (or empty) ends there in gunicorn's own
traceback. This start reads it first, the way gunicorn.conf.py reads every other setting, and
stops with one Dutch line and exit code 2 instead.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from dashboard.server.switches import SettingValueError, web_concurrency

ROOT = Path(__file__).resolve().parents[2]


def gunicorn_argv(extra: list[str]) -> list[str]:
    return ["gunicorn", "--chdir", str(ROOT), "-c", str(ROOT / "gunicorn.conf.py"), *extra, "app:create_server()"]


def main(argv: list[str] | None = None) -> None:
    try:
        web_concurrency(os.environ.get("WEB_CONCURRENCY"))
    except SettingValueError as exc:
        print(f"fout: {exc}", file=sys.stderr, flush=True)
        raise SystemExit(2) from None
    if not os.environ.get("WEB_CONCURRENCY", "x").strip():
        del os.environ["WEB_CONCURRENCY"]  # empty means "not set" here too; gunicorn's int() would fail
    sys.argv = gunicorn_argv(sys.argv[1:] if argv is None else argv)
    from gunicorn.app.wsgiapp import run

    run()


if __name__ == "__main__":
    main()
