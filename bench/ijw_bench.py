"""How fast a gemeente's iJw berichtenarchief loads (python -m data load-ijw; docs/ijw.md).

    python bench/ijw_bench.py [--scale 1] [--db URL] [--rounds 1]

Writes the demonstration data as iJw messages (`python -m data demo --ijw`: at scale 1 a
Huizen-sized archive, ~4.000 toewijzingen and ~51.000 declaratieregels in ~76.000 message files),
loads its CSV files (wijken …) into a fresh warehouse and then times the messages' load with the
KPI totals, per step. Prints messages per second. --db: a PostgreSQL URL (its tables are emptied
first); default a SQLite file in a temporary folder.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from data.db import make_engine, migrate  # noqa: E402
from data.schema import Base  # noqa: E402
from data.warehouse.ijw.demo_messages import write_demo_messages  # noqa: E402
from data.warehouse.ijw.loader import load_ijw_folder  # noqa: E402
from data.warehouse.loader import load_folder  # noqa: E402
from kpi.totals import rebuild  # noqa: E402


def fresh(url: str):
    engine = make_engine(url)
    migrate(engine)
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())
    return engine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--db", default=None)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ijw-bench-") as tmp:
        archive = Path(tmp) / "archief"
        started = time.perf_counter()
        counts = write_demo_messages(archive, scale=args.scale)
        files = sum(counts.values())
        print(f"geschreven: {files} berichten ({', '.join(f'{k} {v}' for k, v in sorted(counts.items()))}) "
              f"in {time.perf_counter() - started:.1f} s")
        results: dict[str, list[float]] = {}
        for round_ in range(args.rounds):
            engine = fresh(args.db or f"sqlite:///{tmp}/w{round_}.db")
            load_folder(engine, archive / "csv")
            timings: dict[str, float] = {}
            started = time.perf_counter()
            report = load_ijw_folder(engine, archive / "berichten", os.urandom(32).hex().encode(),
                                     postcodes=archive / "postcodes.csv", producten=archive / "producten.csv",
                                     derive_totals=rebuild, timings=timings)
            timings["totaal"] = time.perf_counter() - started
            engine.dispose()
            for name, seconds in timings.items():
                results.setdefault(name, []).append(seconds)
        print(f"database: {engine.dialect.name}; trajecten {report.load.rows['trajecten']}, "
              f"kosten {report.load.rows['kosten']}; load average {os.getloadavg()[0]:.2f}")
        for name, values in results.items():
            print(f"  {name:<36} {statistics.median(values):7.2f} s")
        total = statistics.median(results["totaal"])
        print(f"{files / total:,.0f} berichten per seconde".replace(",", "."))


if __name__ == "__main__":
    main()
