"""Benchmark (not a test): how long the PDF report takes on the demonstration data.

    python bench/report_bench.py [--repeat 3] [--jaar 2025]

1. In-process, `report_pdf(…)` with and without charts (the KPI cache warm after a first build):
   the difference is what the charts cost.
2. Over HTTP (Flask's test client): two requests for the same report at the same moment, as when
   two raadsleden click "Rapport (PDF)" together — the wall time until both have their PDF.
Prints min and median wall times in seconds, the median CPU time (this process and the programs it
started and ended, e.g. a browser), and the load average: on a shared machine the wall times move
with the load, the CPU times much less — compare runs made under a similar load.
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def seconds(times: list[float], cpu: list[float] | None = None) -> str:
    text = f"min {min(times):6.2f} s   median {statistics.median(times):6.2f} s"
    return text + (f"   cpu {statistics.median(cpu):6.2f} s" if cpu else "")


def cpu_now() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def warehouse(folder: Path) -> str:
    from data.db import make_engine, migrate
    from data.warehouse.demo import load_demo
    from kpi import totals

    url = f"sqlite:///{folder / 'demo.db'}"
    engine = make_engine(url)
    migrate(engine)
    load_demo(engine, derive=totals.after_load)  # as `python -m data demo` does
    engine.dispose()
    return url


def in_process(url: str, jaar: int, repeat: int) -> None:
    from dashboard.exports.report_pdf import report_pdf
    from dashboard.programme.progress import read_programme
    from data.db import make_engine
    from kpi.service import KpiService

    engine = make_engine(url)
    service = KpiService(engine)
    programme = read_programme(engine, vastgesteld_only=True)
    start = time.perf_counter()
    report_pdf(service, programme, jaar)
    print(f"  first build (KPI cache empty)  {time.perf_counter() - start:6.2f} s")
    for charts in (True, False):
        times, cpu = [], []
        for _ in range(repeat):
            start, start_cpu = time.perf_counter(), cpu_now()
            report_pdf(service, programme, jaar, charts=charts)
            times.append(time.perf_counter() - start)
            cpu.append(cpu_now() - start_cpu)
        print(f"  {'with charts   ' if charts else 'without charts'}                 {seconds(times, cpu)}")
    engine.dispose()


def two_at_once(url: str, jaar: int, repeat: int) -> None:
    import app

    server = app.create_app({"DATABASE_URL": url, "PUBLIC_READ": "1"}).server
    server.test_client().get(f"/export/rapport.pdf?jaar={jaar - 3}")  # warm the KPI cache
    times, cpu = [], []

    def fetch(path: str, statuses: list[int]) -> None:
        statuses.append(server.test_client().get(path).status_code)

    for round_ in range(repeat):
        # another year each round, so a report kept from an earlier round cannot answer
        path = f"/export/rapport.pdf?jaar={jaar - round_ % 3}"
        statuses: list[int] = []
        threads = [threading.Thread(target=fetch, args=(path, statuses)) for _ in range(2)]
        start, start_cpu = time.perf_counter(), cpu_now()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        times.append(time.perf_counter() - start)
        cpu.append(cpu_now() - start_cpu)
        assert statuses == [200, 200], statuses
    print(f"  two requests for one report    {seconds(times, cpu)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jaar", type=int, default=2025)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = warehouse(Path(folder))
        print(f"## PDF report {args.jaar} (load average at start {os.getloadavg()[0]:.1f}, {os.cpu_count()} cores)")
        in_process(url, args.jaar, args.repeat)
        two_at_once(url, args.jaar, args.repeat)
        print(f"  (load average at end {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
