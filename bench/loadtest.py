"""Load test (a script, not a test): simulated users clicking through the explorer against gunicorn
on loopback, for a bounded time. Prints throughput, p50/p95/p99 latency and errors per user count.

    python bench/loadtest.py --users 1,10,50 --seconds 20 [--database-url URL] [--redis-url URL]
    python bench/loadtest.py --filter-changes --database-url URL [--redis-url URL]   # issue 6

Without --database-url it builds a SQLite warehouse with the demonstration data in a temp folder.
Each simulated user repeats: render a random explorer view (the pages callback on
/_dash-update-component, as the browser does after a filter change), then the health check.
Traffic goes only to 127.0.0.1.

--filter-changes measures issue 6's targets on a fixed set of explorer views (FILTER_KPIS × one
year × every breakdown, a drill-down, then the previous year): first *uncached* — one user walks the views in
order, so the first view of a KPI computes its trend and breakdown (a new KPI) and the next ones a
new breakdown, drill-down or year (a filter change; the trend's years are cached) — then *cached*: every view
is requested until each worker holds it, and 1 and 10 users request random views of the set. Targets: p95 < 500 ms uncached, < 100 ms cached.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

KPIS = ["jeugdigen_met_jeugdhulp", "instroom", "gem_trajectduur", "totale_kosten", "pct_uitval",
        "kosten_per_jeugdige", "pct_lichte_hulp"]
BYS = ["wijk", "school", "verwijzer", "hulpvorm", "aanbieder"]


def page_request(base: str, callback: dict, search: str) -> dict:
    values = {"pathname": "/verkenner", "search": search, "hash": "", "href": base + "/verkenner" + search}
    outputs = callback["output"].strip(".").split("...")
    return {
        "output": callback["output"],
        "outputs": [{"id": o.rsplit(".", 1)[0], "property": o.rsplit(".", 1)[1]} for o in outputs],
        "inputs": [{"id": i["id"], "property": i["property"], "value": values.get(i["property"])}
                   for i in callback["inputs"]],
        "changedPropIds": ["_pages_location.search"],
        "state": [{"id": s["id"], "property": s["property"]} for s in callback.get("state", [])],
    }


FILTER_KPIS = ["jeugdigen_met_jeugdhulp", "instroom", "gem_trajectduur", "totale_kosten", "pct_uitval"]


def filter_views(year: int, kpis: list[str] = FILTER_KPIS) -> list[str]:
    """Per KPI: its view by each breakdown in `year`, then a drill-down (a click on the largest
    verwijzer, huisarts, broken down by wijk: a breakdown and a trend with a filter, which read
    the facts), then the last breakdown a year earlier (a year change: a new breakdown, and a
    trend that ends a year earlier). A KPI without some of these breakdowns (e.g.
    pct_jeugdigen_met_jeugdhulp: wijk and gemeente only) is left out."""
    from kpi import CATALOGUE

    return [view for kpi in kpis if set(BYS) <= set(CATALOGUE[kpi].breakdowns)
            for view in [f"?kpi={kpi}&jaar={year}&by={by}" for by in BYS]
            + [f"?kpi={kpi}&jaar={year}&by=wijk&f=verwijzer%3Ahuisarts",
               f"?kpi={kpi}&jaar={year - 1}&by={BYS[-1]}"]]


VIEWS_PER_KPI = len(BYS) + 2


def browser_session(base: str):
    """A session with its CSRF cookie, as a browser has after opening a page."""
    from tests.http_session import HttpSession

    session = HttpSession(base, timeout=120)
    session.get("/")
    return session


def render(session, callback: dict, search: str) -> float:
    """One explorer render through /_dash-update-component, in ms (raises on an error)."""
    start = time.perf_counter()
    status, _ = session.post_json("/_dash-update-component", page_request(session.base, callback, search))
    if status != 200:
        raise RuntimeError(f"HTTP {status} for {search}")
    return (time.perf_counter() - start) * 1000


def pages_callback(base: str) -> dict:
    with urllib.request.urlopen(base + "/_dash-dependencies", timeout=30) as response:
        return next(c for c in json.loads(response.read()) if "_pages_content" in c["output"])


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p * (len(values) - 1))))] if values else float("nan")


def summary(label: str, values: list[float]) -> str:
    return (f"| {label} | {len(values)} | {statistics.median(values):.0f} | {percentile(values, 0.95):.0f} "
            f"| {max(values):.0f} |")


def filter_changes(base: str, views: list[str], workers: int, users: list[int], seconds: float) -> None:
    callback = pages_callback(base)
    session = browser_session(base)
    new_kpi, new_breakdown, drill_downs, timed = [], [], [], []
    for i, search in enumerate(views):  # views of one KPI are adjacent: the first is a new KPI
        took = render(session, callback, search)
        (new_kpi if i % VIEWS_PER_KPI == 0 else new_breakdown).append(took)
        if i % VIEWS_PER_KPI == len(BYS):
            drill_downs.append(took)
        if i % VIEWS_PER_KPI:
            timed.append((took, search))
    print("| uncached | renders | median ms | p95 ms | max ms |")
    print("| --- | --- | --- | --- | --- |")
    print(summary("new KPI (trend + breakdown computed)", new_kpi))
    print(summary("filter change (another breakdown, drill-down or year)", new_breakdown))
    print(summary("of which drill-downs (filter verwijzer=huisarts, by wijk)", drill_downs))
    print(summary("all", new_kpi + new_breakdown), flush=True)
    print("\nslowest filter changes: " + "; ".join(f"{search} {took:.0f} ms"
                                                  for took, search in sorted(timed, reverse=True)[:6]))
    for _ in range(3 * workers):  # until every worker holds every view (in-process caches)
        for search in views:
            render(session, callback, search)
    print("\n| cached: users | requests | errors | requests/s | p50 ms | p95 ms | p99 ms |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for n in users:
        r = run_users(base, n, seconds, seed=n, views=views)
        print(f"| {r['users']} | {r['requests']} | {r['errors']} | {r['rps']:.1f} | {r['p50']:.0f} | "
              f"{r['p95']:.0f} | {r['p99']:.0f} |", flush=True)


def run_users(base: str, users: int, seconds: float, seed: int, views: list[str] | None = None) -> dict:
    with urllib.request.urlopen(base + "/_dash-dependencies", timeout=30) as response:
        callback = next(c for c in json.loads(response.read()) if "_pages_content" in c["output"])
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def user(n: int) -> None:
        rng = random.Random(seed * 1000 + n)
        session = browser_session(base)
        while time.monotonic() < stop_at:
            search = (rng.choice(views) if views else
                      f"?kpi={rng.choice(KPIS)}&jaar={rng.choice([2023, 2024, 2025])}&by={rng.choice(BYS)}")
            start = time.perf_counter()
            try:
                status, _ = session.post_json("/_dash-update-component", page_request(base, callback, search))
                ok = status == 200
            except Exception:  # noqa: BLE001 — counted, the run goes on
                ok = False
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                if ok:
                    latencies.append(elapsed)
                else:
                    errors[0] += 1

    threads = [threading.Thread(target=user, args=(n,)) for n in range(users)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - started
    latencies.sort()

    def pct(p):
        return latencies[min(len(latencies) - 1, int(round(p * (len(latencies) - 1))))] if latencies else float("nan")

    return {"users": users, "requests": len(latencies), "errors": errors[0], "rps": len(latencies) / wall,
            "p50": pct(0.5), "p95": pct(0.95), "p99": pct(0.99)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", default="1,10,50")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--database-url")
    parser.add_argument("--redis-url")
    parser.add_argument("--filter-changes", action="store_true",
                        help="issue 6: uncached and cached filter changes on a fixed set of views")
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--kpis", default=",".join(FILTER_KPIS),
                        help="with --filter-changes: the KPIs walked, comma-separated, or 'all' (the catalogue)")
    args = parser.parse_args()
    url = args.database_url
    if not url:
        from data.db import make_engine, migrate
        from data.warehouse.demo import load_demo

        url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'warehouse.db'}"
        engine = make_engine(url)
        migrate(engine)
        load_demo(engine)
        engine.dispose()
    from tests.browser import free_port

    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "PORT": str(port), "HOST": "127.0.0.1", "PUBLIC_READ": "1",
           "WEB_CONCURRENCY": str(args.workers), "SECRET_KEY": "loadtest-" + "x" * 24}
    env.pop("REDIS_URL", None)
    if args.filter_changes:  # "uncached" must mean uncached: no warming of the shared cache
        env["WARM_CACHE"] = "0"
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
    log = open(Path(tempfile.mkdtemp()) / "gunicorn.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--access-logfile", "/dev/null",
                             "app:create_server()"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(base + "/gezondheid", timeout=5).read()
                break
            except OSError:
                time.sleep(0.5)
        cache = "redis" if args.redis_url else "per proces"
        print(f"gunicorn, {args.workers} workers, cache {cache}, {args.seconds:.0f} s per run\n")
        if args.filter_changes:
            if args.redis_url:  # results of an earlier run would make "uncached" a lie
                from kpi.cache_store import RedisStore
                RedisStore(args.redis_url).clear()
            users = [int(u) for u in args.users.split(",")]
            from kpi import CATALOGUE

            kpis = list(CATALOGUE) if args.kpis == "all" else args.kpis.split(",")
            unknown = [k for k in kpis if k not in CATALOGUE]
            if unknown:
                print(f"fout: onbekende KPI's: {', '.join(unknown)}", file=sys.stderr)
                return 2
            filter_changes(base, filter_views(args.year, kpis), args.workers, users, args.seconds)
            return 0
        print("| users | requests | errors | requests/s | p50 ms | p95 ms | p99 ms |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        for users in (int(u) for u in args.users.split(",")):
            r = run_users(base, users, args.seconds, seed=users)
            print(f"| {r['users']} | {r['requests']} | {r['errors']} | {r['rps']:.1f} | {r['p50']:.0f} | "
                  f"{r['p95']:.0f} | {r['p99']:.0f} |", flush=True)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
