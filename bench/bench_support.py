"""Helpers the benchmarks share (not a test): the generated demonstration set, a PostgreSQL schema
of a benchmark's own, and timing."""
from __future__ import annotations

import os
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from data.db import make_engine  # noqa: E402

WORKDIR = ROOT / "bench" / "out"


def demo_folder(scale: int, seed: int, generate: bool = True) -> Path:
    """The multi-gemeente demonstration set at `scale` as CSV files, generated once and cached in
    bench/out/ (data.warehouse.demo)."""
    from data.warehouse.demo import generate_folder

    folder = WORKDIR / f"scale{scale}_seed{seed}"
    if generate and not (folder / "trajecten.csv").exists():
        folder.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        counts = generate_folder(folder, seed=seed, scale=scale)
        print(f"generated {sum(counts.values()):,} rows in {time.perf_counter() - start:.0f} s: {counts}")
    return folder


def pg_engine(pg_url: str | None, schema: str, fresh: bool):
    """An engine whose search_path is `schema` in the database of `pg_url`; `fresh`: the schema is
    dropped and created empty first."""
    if not pg_url:
        raise SystemExit("PostgreSQL: give --pg-url or set TEST_DATABASE_URL")
    if fresh:
        admin = make_engine(pg_url)
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        admin.dispose()
    return make_engine(pg_url, connect_args={"options": f"-csearch_path={schema}"})


def timed(fn, repeat: int) -> tuple[float, float]:
    """Median and p95 wall time in ms over `repeat` runs (after one warm-up run)."""
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return statistics.median(times), p95


def load_average() -> float:
    return os.getloadavg()[0]


@contextmanager
def wrapped(owner, name: str, spans: dict, label: str):
    """Time every call of owner.name into spans[label] (the function itself runs unchanged), and
    when the last call ended into spans[label + " ended"]."""
    original = getattr(owner, name)

    def timing(*args, **kwargs):
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spans[label] = spans.get(label, 0.0) + time.perf_counter() - start
            spans[label + " ended"] = time.perf_counter()

    with mock.patch.object(owner, name, timing):
        yield
