"""The garbage collector's share of building KPI statements, with Python's default threshold and
with the product's (data/collector.py), in a process holding what the app holds.

    python bench/collector_bench.py [--rounds 6]

Each setting runs in a fresh process: it imports the app, freezes what start-up made (as the app
and gunicorn's workers do), and builds the statements of every request a load's stored totals
ask (kpi/totals.py), `--rounds` times with an empty statement cache. Prints per setting the
median build time and the collector's total time and number of collections.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = r"""
import gc, json, sys, time
from dataclasses import replace
import app  # noqa: F401 - the heap a real process has: dash, plotly, pandas, the pages
from data import collector
from kpi import totals
from kpi.catalogue import CATALOGUE
from kpi.query import _built_main_query
from kpi.sources import Plan

setting, rounds = sys.argv[1], int(sys.argv[2])
gc.collect()
gc.freeze()
if setting == "product":
    collector.tune()
years = range(2017, 2027)
requests = []
for kpi in CATALOGUE.values():
    asked = [(None, subs) for subs in totals.periods_to_store(kpi, years)]
    asked += [(by, totals.breakdown_years(years)) for by in kpi.breakdowns]
    requests += [replace(totals.template_request(kpi), van=subs[0].van, tot=subs[-1].tot, per=None, by=by,
                         sub_periods=subs) for by, subs in asked]
plan = Plan(allowed=totals.ALL_BUT_STORED)
paused, started = [0.0, 0], [0.0]

def timed(phase, info):
    if phase == "start":
        started[0] = time.perf_counter()
    else:
        paused[0] += time.perf_counter() - started[0]
        paused[1] += 1

gc.callbacks.append(timed)
builds = []
for _ in range(rounds):
    begin = time.perf_counter()
    for request in requests:  # built anew each round: _built_main_query is what STATEMENTS keeps
        _built_main_query(request, plan, list(enumerate(request.sub_periods)))
    builds.append(time.perf_counter() - begin)
print(json.dumps({"threshold": gc.get_threshold(), "builds": builds, "gc_seconds": paused[0],
                  "collections": paused[1], "requests": len(requests)}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=6)
    args = parser.parse_args()
    print(f"{'setting':<10} {'threshold':<16} {'build (median s)':>17} {'collector (s)':>14} {'collections':>12}")
    for setting in ("python", "product", "python", "product"):  # interleaved: the machine's load drifts
        out = subprocess.run([sys.executable, "-c", PROBE, setting, str(args.rounds)], cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout
        found = json.loads(out.strip().splitlines()[-1])
        print(f"{setting:<10} {str(tuple(found['threshold'])):<16} {statistics.median(found['builds']):>17.3f} "
              f"{found['gc_seconds']:>14.2f} {found['collections']:>12}")


if __name__ == "__main__":
    main()
