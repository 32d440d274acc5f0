"""Benchmark (not a test): how long "kostengroei verklaard" (kpi/cost_growth.py) takes, uncached, at
scale, on SQLite and PostgreSQL, beside the one KPI request it rests on (totale_kosten by hulpvorm).

    python bench/cost_growth_bench.py --scale 20                      # 20 gemeenten shaped like Huizen
    python bench/cost_growth_bench.py --scale 100 --backends postgresql --pg-schema kg100 --reuse

It loads the demonstration data (`data.warehouse.demo.load_demo`, with the stored totals, as a real
load does) into each backend once (--reuse keeps a schema or file loaded before), then times each
request: the median and p95 of --repeat runs after one warm-up, in ms, as a Markdown table. The
data end on 30 September 2026, so 2026 is a running year (January–September against the same
months of 2025: the monthly kosten summary answers, not the stored yearly totals).
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_support import timed  # noqa: E402
from sqlalchemy import func, select, text  # noqa: E402

from data.db import make_engine, migrate  # noqa: E402
from data.warehouse.schema import Kosten, Traject  # noqa: E402
from kpi import KpiRequest, compute  # noqa: E402
from kpi.cost_growth import GrowthRequest, decompose  # noqa: E402


def cases(aanbieder: str, wijk: str) -> list[tuple[str, object]]:
    return [
        ("KPI: totale_kosten 2025 per hulpvorm", KpiRequest.for_year("totale_kosten", 2025, by="hulpvorm")),
        ("kostengroei 2025 (per hulpvorm)", GrowthRequest(2025)),
        ("kostengroei 2026 t/m september", GrowthRequest(2026)),
        ("kostengroei 2025 per aanbieder", GrowthRequest(2025, by="aanbieder")),
        ("kostengroei 2025 per wijk", GrowthRequest(2025, by="wijk")),
        (f"kostengroei 2025 binnen aanbieder {aanbieder}", GrowthRequest(2025, where={"aanbieder": aanbieder})),
        ("kostengroei 2026 t/m sep. binnen verwijzer huisarts, per wijk",
         GrowthRequest(2026, by="wijk", where={"verwijzer": "huisarts"})),
        (f"kostengroei 2025 binnen wijk {wijk}", GrowthRequest(2025, where={"wijk": wijk})),
    ]


def engine_for(backend: str, args) -> tuple:
    if backend == "sqlite":
        path = Path(args.workdir) / f"kostengroei_{args.scale}.db"
        if not args.reuse:
            path.unlink(missing_ok=True)
        return make_engine(f"sqlite:///{path}")
    if not args.pg_url:
        raise SystemExit("PostgreSQL: geef --pg-url of zet TEST_DATABASE_URL")
    if not args.reuse:
        admin = make_engine(args.pg_url)
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {args.pg_schema} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {args.pg_schema}"))
        admin.dispose()
    return make_engine(args.pg_url, connect_args={"options": f"-csearch_path={args.pg_schema}"})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=20)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--pg-url", default=os.environ.get("TEST_DATABASE_URL"))
    parser.add_argument("--pg-schema", default="jeugdmonitor_kostengroei")
    parser.add_argument("--workdir", default=str(ROOT / "bench" / "out"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="keep the data loaded by an earlier run")
    args = parser.parse_args()
    Path(args.workdir).mkdir(parents=True, exist_ok=True)

    from data.warehouse.demo import load_demo
    from kpi import totals

    for backend in args.backends.split(","):
        engine = engine_for(backend, args)
        migrate(engine)
        with engine.connect() as conn:
            loaded = conn.scalar(select(func.count()).select_from(Traject))
        if not loaded:
            start = time.perf_counter()
            load_demo(engine, scale=args.scale, derive=totals.after_load)
            print(f"{backend}: geladen in {time.perf_counter() - start:.0f} s")
        with engine.connect() as conn:
            trajecten = conn.scalar(select(func.count()).select_from(Traject))
            kosten = conn.scalar(select(func.count()).select_from(Kosten))
            aanbieder = conn.scalar(select(Traject.aanbieder_code).where(Traject.aanbieder_code.is_not(None))
                                    .group_by(Traject.aanbieder_code).order_by(func.count().desc()).limit(1))
            wijk = conn.scalar(select(Traject.wijk_code).group_by(Traject.wijk_code)
                               .order_by(func.count().desc()).limit(1))
        print(f"\n{backend}, scale {args.scale}: {trajecten:,} trajecten, {kosten:,} kostenregels "
              f"({dt.date.today().isoformat()})\n")
        print("| request | median ms | p95 ms |\n| --- | ---: | ---: |")
        for name, request in cases(aanbieder, wijk):
            if isinstance(request, KpiRequest):
                median, p95 = timed(lambda request=request, engine=engine: compute(engine, request), args.repeat)
            else:
                median, p95 = timed(lambda request=request, engine=engine: decompose(engine, request), args.repeat)
            print(f"| {name} | {median:.0f} | {p95:.0f} |")
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
