"""What one statement per request shape saves (kpi/query.py, kpi/statement_cache.py): the views a
user steps through — every KPI's year view by each of its breakdowns, for the years 2019–2026 —
built and run on an empty SQLite warehouse in memory, once with the statements kept per shape and
once with every statement built anew (the cache emptied before each request).

    python bench/statement_bench.py [--rounds 5]

Prints per setting the median over the rounds of the time for all requests and the statements
built. The warehouse is empty, so the time is the engine's own cost per request — building,
SQLAlchemy's cache key and compilation (its cache is per engine: a fresh engine per round) —
which a cached KPI result never pays.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine  # noqa: E402

from data import collector  # noqa: E402
from data.schema import Base  # noqa: E402
from kpi.catalogue import CATALOGUE  # noqa: E402
from kpi.query import STATEMENTS, main_query  # noqa: E402
from kpi.request import KpiRequest, resolve  # noqa: E402
from kpi.sources import FACTS, Plan  # noqa: E402

YEARS = range(2019, 2027)


def requests() -> list:
    return [resolve(KpiRequest.for_year(kpi.id, year, by=by))
            for year in YEARS for kpi in CATALOGUE.values() for by in kpi.breakdowns]


def run(kept: bool, asked: list, plan: Plan) -> tuple[float, int]:
    engine = create_engine("sqlite://")  # a fresh compilation cache per round, as a new process has
    Base.metadata.create_all(engine)
    STATEMENTS.clear()
    built = set()
    with engine.connect() as conn:
        begin = time.perf_counter()
        for req in asked:
            if not kept:
                STATEMENTS.clear()
            statement, _names, parameters = main_query(req, plan)
            built.add(id(statement))
            conn.execute(statement, parameters).all()
        elapsed = time.perf_counter() - begin
    engine.dispose()
    return elapsed, len(built) if kept else len(asked)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    collector.tune()
    asked, plan = requests(), Plan(allowed=frozenset({FACTS}))
    print(f"{len(asked)} requests: every KPI's year view by each breakdown, {YEARS[0]}–{YEARS[-1]}")
    print(f"{'statements':<22} {'median (s)':>11} {'built':>7}")
    results = {True: [], False: []}
    for _ in range(args.rounds):
        for kept in (False, True):  # interleaved: the machine's load drifts
            results[kept].append(run(kept, asked, plan))
    for kept, label in ((False, "built per request"), (True, "kept per shape")):
        times = [r[0] for r in results[kept]]
        print(f"{label:<22} {statistics.median(times):>11.3f} {results[kept][0][1]:>7}")


if __name__ == "__main__":
    main()
