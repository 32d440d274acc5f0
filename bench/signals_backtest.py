"""The signalen's alarm rate on a warehouse's own history (docs/prognose.md, "Signalen"), and how
long judging takes. Not a test: it prints numbers.

    python bench/signals_backtest.py [--db URL] [--maanden 36]

Without --db, the demonstration data (seed 2025) is generated into a temporary SQLite warehouse.
For every monthly KPI, each of its last --maanden complete months is judged as if it were the
latest (history: the months before it, as known now), with the 95% and the 99% band. Prints per
band the months judged, the signals and their share, then per KPI the months with a signal, and
the time of one live judgement of every KPI (kpi.forecast.signals.cached, empty cache).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db")
    parser.add_argument("--maanden", type=int, default=36)
    args = parser.parse_args()
    from data.db import make_engine, migrate
    from kpi.forecast import signals as sg
    from kpi.service import KpiService

    if args.db:
        engine = make_engine(args.db)
    else:
        from data.warehouse.demo import load_demo
        engine = make_engine(f"sqlite:///{tempfile.mkdtemp()}/demo.db")
        migrate(engine)
        load_demo(engine)
    service = KpiService(engine)
    start = time.perf_counter()
    live = sg.cached(service)
    print(f"live judgement of {len(live.beoordelingen)} KPIs: {time.perf_counter() - start:.2f} s, "
          f"{len(live.signalen)} signal(s)")
    for b in live.beoordelingen:
        print("  ", sg.sentence(b) if b.band is not None else f"{b.naam}: niet beoordeeld ({b.reden})")
    with engine.connect() as conn:
        kosten_month = sg.read_kosten_month(conn)
    start = time.perf_counter()
    result = sg.backtest(service.compute, service.data_status().data_tot, kosten_month, months=args.maanden)
    print(f"backtest over {args.maanden} months: {time.perf_counter() - start:.1f} s")
    for level, rows in result.items():
        judged = sum(r.beoordeeld for r in rows)
        flagged = sum(r.signalen for r in rows)
        print(f"band {level:.0%}: {judged} KPI-months judged, {flagged} signals ({flagged / judged:.1%})")
        for r in rows:
            print(f"   {r.kpi:28} {r.signalen:2}/{r.beoordeeld:2}  {' '.join(r.maanden)}")


if __name__ == "__main__":
    main()
