"""Load test (a script, not a test): simulated users clicking through the explorer against gunicorn
on loopback, for a bounded time. Prints throughput, p50/p95/p99 latency and errors per user count.

    python bench/loadtest.py --users 1,10,50 --seconds 20 [--database-url URL] [--redis-url URL]

Without --database-url it builds a SQLite warehouse with the demonstration data in a temp folder.
Each simulated user repeats: render a random explorer view (the pages callback on
/_dash-update-component, as the browser does after a filter change), then the health check.
Traffic goes only to 127.0.0.1.
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


def run_users(base: str, users: int, seconds: float, seed: int) -> dict:
    with urllib.request.urlopen(base + "/_dash-dependencies", timeout=30) as response:
        callback = next(c for c in json.loads(response.read()) if "_pages_content" in c["output"])
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def user(n: int) -> None:
        from tests.http_session import HttpSession

        rng = random.Random(seed * 1000 + n)
        session = HttpSession(base, timeout=30)
        session.get("/")  # a session and its CSRF cookie, as a browser gets them
        while time.monotonic() < stop_at:
            search = f"?kpi={rng.choice(KPIS)}&jaar={rng.choice([2023, 2024, 2025])}&by={rng.choice(BYS)}"
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
    args = parser.parse_args()
    url = args.database_url
    if not url:
        from data.db import make_engine, migrate
        from data.demo import load_demo

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
