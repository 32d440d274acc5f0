"""Helpers for the tests that run the production command: gunicorn with several workers on a
database of the test's own, and warehouses in PostgreSQL schemas of their own."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text

from data.db import make_engine
from tests import warm_python
from tests.browser import free_port, wait_until_answering

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def gunicorn(env: dict, log_path: Path, workers: int = 3, timeout: float = 120):
    """The production start (`python -m dashboard.server.serve`: gunicorn with gunicorn.conf.py) with `env` on top of this process's
    environment (REDIS_URL and SECRET_KEY only when `env` gives them); yields (process, base URL)
    once /gezondheid answers 200 and every worker is forked (the first worker answers while, on a
    busy machine, the master may not yet have forked the next). Stops it at the end."""
    port = free_port()
    full = {**{k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "SECRET_KEY")},
            "PORT": str(port), "HOST": "127.0.0.1", "WEB_CONCURRENCY": str(workers), "WARM_CACHE": "0",
            **env}
    log = open(log_path, "w")
    proc = warm_python.Popen([sys.executable, "-m", "dashboard.server.serve"],
                             cwd=ROOT, env=full, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + timeout
        wait_until_answering(proc, base + "/gezondheid", log_path, "gunicorn", timeout)
        while len(worker_pids(proc.pid)) < workers:
            if proc.poll() is not None or time.time() > deadline:
                raise RuntimeError(f"gunicorn did not start its workers: {log_path.read_text()[-3000:]}")
            time.sleep(0.1)
        yield proc, base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()


def worker_pids(master_pid: int) -> list[int]:
    """The gunicorn workers: the master's child processes (from /proc)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master_pid:
            pids.append(int(entry.name))
    return sorted(pids)


@contextmanager
def pg_schema(name: str):
    """A fresh PostgreSQL schema in TEST_DATABASE_URL; yields a URL that uses it. Dropped after."""
    pg = os.environ["TEST_DATABASE_URL"]
    admin = make_engine(pg)
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {name} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {name}"))
    sep = "&" if "?" in pg else "?"
    try:
        yield pg + f"{sep}options=-csearch_path%3D{name}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {name} CASCADE"))
        admin.dispose()
