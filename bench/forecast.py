"""Benchmark (not a test): how long the year-end forecast and its backtest take, and what the
cache makes of them.

    python bench/forecast.py [--db URL] [--jaar 2026] [--repeat 3] [--scale N]

Without --db, the demonstration data (seed 2025, at --scale) is generated into a temporary SQLite
warehouse. Prints, in ms (median of --repeat runs, after the imports):
- the read: the declarations aggregated in the database (kpi/forecast/reads.py);
- one model fit with its simulated paths, and one rolling origin (completion + fit);
- the rolling-origin forecasts (the calibration's and the backtest's, 12 fits a year);
- the forecast of every series for --jaar, given those origins, and the backtest from them;
- both through a KpiService: the first request (empty cache) and a cached one.
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


def timed(work, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db")
    parser.add_argument("--jaar", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scale", type=int, default=1)
    args = parser.parse_args()

    start = time.perf_counter()
    import pandas as pd
    import statsmodels.tsa.exponential_smoothing.ets  # noqa: F401 - timed here, not in the first fit

    from data.db import make_engine, migrate
    from kpi.forecast import cached
    from kpi.forecast.backtest import backtest_cells
    from kpi.forecast.basis import read_basis
    from kpi.forecast.model import forecast as model_forecast
    from kpi.forecast.origins import CALIBRATION_YEARS, YEARS, origins_for, total_cells
    from kpi.forecast.year_end import year_end
    from kpi.forecast.year_forecast import forecast
    from kpi.service import KpiService
    print(f"imports (pandas, statsmodels, the engine): {(time.perf_counter() - start) * 1000:.0f} ms")

    url = args.db
    if url is None:
        from data.warehouse.demo import load_demo

        folder = tempfile.mkdtemp(prefix="prognose-bench-")
        url = f"sqlite:///{folder}/demo.db"
        engine = make_engine(url)
        migrate(engine)
        start = time.perf_counter()
        load_demo(engine, seed=2025, scale=args.scale)
        print(f"demonstration data at scale {args.scale} loaded in {time.perf_counter() - start:.1f} s")
    engine = make_engine(url)
    print(f"warehouse: {engine.dialect.name}, forecast of {args.jaar}, median of {args.repeat} runs\n")

    def read():
        with engine.connect() as conn:
            return read_basis(conn, first_year=args.jaar, years_back=YEARS + CALIBRATION_YEARS + 1)
    ms, basis = timed(read, args.repeat)
    print(f"read the declarations (SQL aggregate): {ms:8.0f} ms   {len(basis.cells):,} cells, "
          f"peildatum {basis.peildatum}, receipt dates: {basis.corrected}")

    total = total_cells(basis.cells)
    history = pd.Series(total.groupby("maand")["bedrag_cent"].sum().to_numpy()[:-3] / 100,
                        index=pd.period_range(total["maand"].min(), periods=total["maand"].nunique() - 3, freq="M"))
    ms, _ = timed(lambda: model_forecast(history, 12), args.repeat)
    print(f"one model fit + 1,000 paths:            {ms:8.0f} ms")
    ms, _ = timed(lambda: year_end(total, basis.current, args.jaar, basis.corrected), args.repeat)
    print(f"one origin (completion + fit):          {ms:8.0f} ms")
    ms, origins = timed(lambda: origins_for(basis.cells, basis.current, basis.first_month, basis.corrected),
                        args.repeat)
    years = sorted({o.jaar for o in origins})
    print(f"rolling-origin forecasts ({len(origins)} origins, {years[0]}–{years[-1]}): {ms:8.0f} ms")

    def live():
        with engine.connect() as conn:
            return forecast(conn, args.jaar, history=origins, basis=basis)
    ms, result = timed(live, args.repeat)
    print(f"forecast of every series ({1 + len(result.per_gemeente) + len(result.per_hulpvorm)} series), "
          f"given the origins: {ms:8.0f} ms")
    ms, tested = timed(lambda: backtest_cells(basis.cells, basis.current, basis.first_month, basis.corrected,
                                              history=origins), args.repeat)
    print(f"backtest, given the origins:            {ms:8.0f} ms")

    service = KpiService(engine)
    start = time.perf_counter()
    cached.prognose(service, args.jaar)
    cached.backtest(service)
    first = (time.perf_counter() - start) * 1000
    again, _ = timed(lambda: (cached.prognose(service, args.jaar), cached.backtest(service)), max(args.repeat, 5))
    print(f"\nthrough KpiService (forecast + backtest): first request {first:.0f} ms, cached {again:.1f} ms")
    print(f"\nbacktest {tested.jaren}: MAPE {tested.mape:.2f}% (run-rate {tested.mape_runrate:.2f}%, "
          f"last year's share {tested.mape_vorig_jaar:.2f}%), coverage {tested.dekking:.0f}%")


if __name__ == "__main__":
    main()
