"""Benchmark (not a test): load throughput and KPI request times at scale, SQLite vs PostgreSQL,
with the same requests done in pandas in memory for comparison.

    python bench/benchmark.py --scale 250                   # ≥ 2 million trajecten
    python bench/benchmark.py --scale 5 --backends sqlite   # a quick look

It generates the multi-gemeente demonstration set (data.demo, `--scale`) as CSV files once
(cached in bench/out/), loads them with the real loader (`data.loader.load_folder`) into each
backend, times a set of KPI requests through the real engine (`kpi.compute`), and prints the
numbers as a Markdown table to paste into docs/performance.md. PostgreSQL uses its own schema
`jeugdmonitor_bench` in the database of --pg-url (default: TEST_DATABASE_URL).
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402
from sqlalchemy import text  # noqa: E402

from data.db import make_engine, migrate  # noqa: E402
from kpi import KpiRequest, compute  # noqa: E402

YEAR = 2025
VAN, TOT = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)


def requests(school: str) -> list[tuple[str, KpiRequest]]:
    """The request mix: a total, by wijk, by school with a filter, per maand, and more."""
    return [
        ("jeugdigen_met_jeugdhulp totaal", KpiRequest("jeugdigen_met_jeugdhulp", VAN, TOT)),
        ("instroom per wijk", KpiRequest("instroom", VAN, TOT, by="wijk")),
        ("gem_trajectduur per school, hulpvorm=ambulant",
         KpiRequest("gem_trajectduur", VAN, TOT, by="school", where={"hulpvorm": "ambulant"})),
        ("totale_kosten per maand", KpiRequest("totale_kosten", VAN, TOT, per="maand")),
        ("jeugdigen_met_jeugdhulp per wijk per kwartaal",
         KpiRequest("jeugdigen_met_jeugdhulp", VAN, TOT, by="wijk", per="kwartaal")),
        ("pct_verblijf_gezinsgericht per gemeente",
         KpiRequest("pct_verblijf_gezinsgericht", VAN, TOT, by="gemeente")),
        ("instroom, school=" + school, KpiRequest("instroom", VAN, TOT, where={"school": school})),
    ]


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


def engine_for(backend: str, pg_url: str | None, workdir: Path):
    if backend == "sqlite":
        path = workdir / "bench.db"
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        return make_engine(f"sqlite:///{path}")
    if not pg_url:
        raise SystemExit("PostgreSQL: give --pg-url or set TEST_DATABASE_URL")
    admin = make_engine(pg_url)
    with admin.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS jeugdmonitor_bench CASCADE"))
        conn.execute(text("CREATE SCHEMA jeugdmonitor_bench"))
    admin.dispose()
    return make_engine(pg_url, connect_args={"options": "-csearch_path=jeugdmonitor_bench"})


def load(engine, folder: Path) -> tuple[dict[str, int], float]:
    from data.loader import load_folder

    migrate(engine)
    start = time.perf_counter()
    report = load_folder(engine, folder, bron=f"benchmark {folder.name}")
    seconds = time.perf_counter() - start
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    return report.rows, seconds


def pandas_frames(engine) -> dict[str, pd.DataFrame]:
    """The fact tables in memory, for the pandas comparison only (the product never does this)."""
    with engine.connect() as conn:
        t = pd.read_sql(text("SELECT traject_id, jeugdige_id, wijk_code, school_code, hulpvorm, "
                             "startdatum, einddatum FROM trajecten"), conn)
        k = pd.read_sql(text("SELECT traject_id, maand, bedrag_cent FROM kosten"), conn)
        v = pd.read_sql(text("SELECT traject_id, verblijfsvorm, startdatum, einddatum FROM verblijf"), conn)
        w = pd.read_sql(text("SELECT wijk_code, gemeente_code FROM wijken"), conn)
    for frame, cols in ((t, ("startdatum", "einddatum")), (v, ("startdatum", "einddatum")), (k, ("maand",))):
        for col in cols:
            frame[col] = pd.to_datetime(frame[col])
    return {"t": t, "k": k, "v": v, "w": w}


def pandas_requests(f: dict[str, pd.DataFrame], school: str) -> list:
    t, k, v, w = f["t"], f["k"], f["v"], f["w"]
    van, tot = pd.Timestamp(VAN), pd.Timestamp(TOT)

    def active(frame, a, b):
        return frame[(frame.startdatum <= b) & (frame.einddatum.isna() | (frame.einddatum >= a))]

    def totaal():
        return active(t, van, tot).jeugdige_id.nunique()

    def instroom_wijk():
        return t[(t.startdatum >= van) & (t.startdatum <= tot)].groupby("wijk_code").size()

    def duur_school():
        e = t[(t.einddatum >= van) & (t.einddatum <= tot) & (t.hulpvorm == "ambulant")]
        return ((e.einddatum - e.startdatum).dt.days).groupby(e.school_code.fillna("")).mean()

    def kosten_maand():
        kk = k[(k.maand >= van) & (k.maand <= tot)]
        return kk.groupby("maand").bedrag_cent.sum()

    def wijk_kwartaal():
        out = {}
        for q in range(4):
            a = pd.Timestamp(YEAR, 3 * q + 1, 1)
            b = (a + pd.offsets.QuarterEnd(0))
            out[q] = active(t, a, b).groupby("wijk_code").jeugdige_id.nunique()
        return out

    def gezinsgericht_gemeente():
        s = active(v, van, tot).merge(t[["traject_id", "wijk_code"]], on="traject_id").merge(w, on="wijk_code")
        end = s.einddatum.fillna(tot).clip(upper=tot)
        days = (end - s.startdatum.clip(lower=van)).dt.days + 1
        g = s.verblijfsvorm.isin(["pleegzorg", "gezinshuis"])
        return (days.where(g, 0).groupby(s.gemeente_code).sum() * 100 / days.groupby(s.gemeente_code).sum())

    def instroom_school():
        return int(((t.startdatum >= van) & (t.startdatum <= tot) & (t.school_code == school)).sum())

    return [totaal, instroom_wijk, duur_school, kosten_maand, wijk_kwartaal, gezinsgericht_gemeente,
            instroom_school]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=250)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--pg-url", default=os.environ.get("TEST_DATABASE_URL"))
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--no-pandas", action="store_true")
    args = parser.parse_args()

    from data.demo import generate_folder

    workdir = ROOT / "bench" / "out"
    folder = workdir / f"scale{args.scale}_seed{args.seed}"
    if not (folder / "trajecten.csv").exists():
        folder.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        counts = generate_folder(folder, seed=args.seed, scale=args.scale)
        print(f"generated {sum(counts.values()):,} rows in {time.perf_counter() - start:.0f} s: {counts}")
    size_mb = sum(p.stat().st_size for p in folder.glob("*.csv")) / 1e6
    print(f"data set: {folder} ({size_mb:,.0f} MB)\n")

    results: dict[str, dict[str, tuple[float, float]]] = {}
    school = None
    frames = None
    for backend in args.backends.split(","):
        engine = engine_for(backend, args.pg_url, workdir)
        rows, seconds = load(engine, folder)
        total = sum(rows.values())
        print(f"## {backend}: loaded {total:,} rows in {seconds:.1f} s = {total / seconds:,.0f} rows/s "
              f"(trajecten {rows.get('trajecten', 0):,}, kosten {rows.get('kosten', 0):,}, "
              f"verblijf {rows.get('verblijf', 0):,})")
        if school is None:
            with engine.connect() as conn:
                school = conn.scalar(text("SELECT min(school_code) FROM scholen"))
        results[backend] = {}
        for name, request in requests(school):
            median, p95 = timed(lambda: compute(engine, request), args.repeat)
            results[backend][name] = (median, p95)
            print(f"  {name:<50} median {median:8.1f} ms   p95 {p95:8.1f} ms")
        if frames is None and not args.no_pandas:
            start = time.perf_counter()
            frames = pandas_frames(engine)
            print(f"  (pandas: read the fact tables into memory in {time.perf_counter() - start:.1f} s)")
        engine.dispose()
    if frames is not None:
        results["pandas"] = {}
        print("## pandas, in memory")
        for (name, _), fn in zip(requests(school), pandas_requests(frames, school)):
            median, p95 = timed(fn, args.repeat)
            results["pandas"][name] = (median, p95)
            print(f"  {name:<50} median {median:8.1f} ms   p95 {p95:8.1f} ms")

    backends = list(results)
    print("\n| request | " + " | ".join(f"{b} median / p95 (ms)" for b in backends) + " |")
    print("| --- | " + " | ".join("---" for _ in backends) + " |")
    for name, _ in requests(school):
        cells = [f"{results[b][name][0]:.0f} / {results[b][name][1]:.0f}" for b in backends]
        print(f"| {name} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
