"""Benchmark (not a test): how fast the dashboard feels on the demonstration data.

    python bench/dashboard_bench.py [--repeat 5]

1. In-process: time to build each page's layout, first (empty cache) and again (cached).
2. In the browser (Debian's Chromium via Playwright): time from navigation to a rendered page, and
   from a filter change to the updated table — what a user waits for.
Prints median and p95 in ms. Issue 3's targets: a page within 1 s, a filter change within 300 ms.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = {"Overzicht": ("/", "h1"), "Programma": ("/programma", "h1"),
         "Lijn 3": ("/programma/L3", "h1"),
         "Verkenner": ("/verkenner?kpi=gem_trajectduur&jaar=2025&by=school", "#breakdown-table")}


def stats(times: list[float]) -> str:
    times = sorted(times)
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return f"median {statistics.median(times):7.0f} ms   p95 {p95:7.0f} ms"


def in_process(url: str, repeat: int) -> None:
    import app
    from dashboard.pages import overzicht, programma, programma_lijn, verkenner
    from dashboard.server import runtime

    app.create_app({"DATABASE_URL": url})
    cases = [("Overzicht", overzicht.layout, {}), ("Programma", programma.layout, {}),
             ("Lijn 3", programma_lijn.layout, {"lijn": "L3"}),
             ("Verkenner", verkenner.layout, {"kpi": "gem_trajectduur", "by": "school"})]
    print("## layout build in the server process")
    for name, layout, query in cases:
        runtime.service().invalidate()
        start = time.perf_counter()
        layout(**query)
        first = (time.perf_counter() - start) * 1000
        again = []
        for _ in range(repeat):
            start = time.perf_counter()
            layout(**query)
            again.append((time.perf_counter() - start) * 1000)
        print(f"  {name:<12} empty cache {first:6.0f} ms   cached {stats(again)}")


def in_browser(url: str, repeat: int) -> None:
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM, CHROMIUM_ARGS, start_app

    log = Path(tempfile.mkdtemp()) / "app.log"
    proc, base = start_app(url, log)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            print("## in the browser (navigation → rendered page)")
            for name, (path, selector) in PAGES.items():
                times = []
                for _ in range(repeat):
                    start = time.perf_counter()
                    page.goto(base + path)
                    page.wait_for_selector(selector)
                    page.wait_for_function("!document.querySelector('._dash-loading')")
                    times.append((time.perf_counter() - start) * 1000)
                print(f"  {name:<12} {stats(times)}")
            print("## filter change in the explorer (select → updated table)")
            times = []
            page.goto(base + "/verkenner?kpi=instroom&jaar=2025&by=wijk")
            page.wait_for_selector("#breakdown-table")
            for i in range(repeat * 2):
                target = ["verwijzer", "school", "hulpvorm", "wijk"][i % 4]
                start = time.perf_counter()
                page.select_option("#by-select", target)
                page.wait_for_function(
                    "t => location.search.includes('by=' + t) && "
                    "document.querySelector('#breakdown-table caption') && "
                    "document.querySelector('#breakdown-table caption').textContent.includes('per ' + t)",
                    arg=target)
                times.append((time.perf_counter() - start) * 1000)
            print(f"  uitsplitsing wijzigen {stats(times)}")
            browser.close()
    finally:
        proc.terminate()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from data.db import make_engine, migrate
    from data.warehouse.demo import load_demo

    folder = Path(tempfile.mkdtemp(prefix="jeugdmonitor-bench-"))
    url = f"sqlite:///{folder / 'warehouse.db'}"
    engine = make_engine(url)
    migrate(engine)
    load_demo(engine)
    engine.dispose()
    in_process(url, args.repeat)
    in_browser(url, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
