"""Benchmark (not a test): load throughput and KPI request times at scale, SQLite vs PostgreSQL,
with the same requests done in pandas in memory for comparison.

    python bench/benchmark.py --scale 250                   # ≥ 2 million trajecten
    python bench/benchmark.py --scale 5 --backends sqlite   # a quick look
    python bench/benchmark.py --scale 400 --backends postgresql --pg-schema jm400 --reuse \
        --no-pandas --service [--all-kpis]                  # issue 6: service timings only

It generates the multi-gemeente demonstration set (data.warehouse.demo, `--scale`) as CSV files once
(cached in bench/out/), loads them with the real loader (`data.warehouse.loader.load_folder`) into each
backend, times a set of KPI requests through the real engine (`kpi.compute`), and prints the
numbers as a Markdown table to paste into docs/performance.md. PostgreSQL uses its own schema
(--pg-schema, default `jeugdmonitor_bench`) in the database of --pg-url (default:
TEST_DATABASE_URL); --reuse keeps a schema loaded by an earlier run instead of loading again.

--linked (issue 13) times what rule 3 of the small-number rules (linked requests) adds to requests
with a filter, uncached.

--service (issue 6, "speed at scale") times the requests through `kpi.service.KpiService`, as the
dashboard calls them: *uncached* = a result-cache miss (an empty cache each run; the database's
own buffers are warm, as on a running server), *cached* = a hit, in the process and, with
--redis-url, in Redis. Targets: uncached within 1 s, cached within 20 ms.
"""
from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import sys
import time
from functools import partial
from pathlib import Path

import pandas as pd  # noqa: E402
from bench_support import WORKDIR, demo_folder, pg_engine, timed  # also puts the project on sys.path
from sqlalchemy import text  # noqa: E402

from data.db import make_engine, migrate  # noqa: E402
from kpi import KpiRequest, compute  # noqa: E402

YEAR = 2025
VAN, TOT = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)


def requests(school: str) -> list[tuple[str, KpiRequest]]:
    """The request mix: a total, by wijk, by school with a filter, per maand, and more."""
    return [
        ("jeugdigen_met_jeugdhulp totaal", KpiRequest("jeugdigen_met_jeugdhulp", VAN, TOT)),
        ("instroom per wijk", KpiRequest("instroom", VAN, TOT, by="wijk")),
        ("gem_trajectduur per school, hulpvorm=ambulant",
         KpiRequest("gem_trajectduur", VAN, TOT, by="school", where={"hulpvorm": "ambulant"})),
        ("totale_kosten per maand", KpiRequest("totale_kosten", VAN, TOT, per="maand")),
        ("jeugdigen_met_jeugdhulp per wijk per kwartaal",
         KpiRequest("jeugdigen_met_jeugdhulp", VAN, TOT, by="wijk", per="kwartaal")),
        ("pct_verblijf_gezinsgericht per gemeente",
         KpiRequest("pct_verblijf_gezinsgericht", VAN, TOT, by="gemeente")),
        ("instroom, school=" + school, KpiRequest("instroom", VAN, TOT, where={"school": school})),
    ]


def service_requests(school: str, wijk: str) -> list[tuple[str, KpiRequest]]:
    """Issue 6's targets: requests by wijk and by school, and the two that were slow."""
    return [
        ("jeugdigen_met_jeugdhulp per wijk", KpiRequest("jeugdigen_met_jeugdhulp", VAN, TOT, by="wijk")),
        ("jeugdigen_met_jeugdhulp per school", KpiRequest("jeugdigen_met_jeugdhulp", VAN, TOT, by="school")),
        ("instroom per wijk", KpiRequest("instroom", VAN, TOT, by="wijk")),
        ("gem_trajectduur per school, hulpvorm=ambulant",
         KpiRequest("gem_trajectduur", VAN, TOT, by="school", where={"hulpvorm": "ambulant"})),
        ("pct_uitval per wijk", KpiRequest("pct_uitval", VAN, TOT, by="wijk")),
        ("jeugdigen_met_verblijf per school", KpiRequest("jeugdigen_met_verblijf", VAN, TOT, by="school")),
        ("totale_kosten per wijk", KpiRequest("totale_kosten", VAN, TOT, by="wijk")),
        ("kosten_per_jeugdige per school", KpiRequest("kosten_per_jeugdige", VAN, TOT, by="school")),
        ("gem_tevredenheid per wijk", KpiRequest("gem_tevredenheid", VAN, TOT, by="wijk")),
        ("instroom per school, wijk=" + wijk, KpiRequest("instroom", VAN, TOT, by="school", where={"wijk": wijk})),
        ("totale_kosten per maand", KpiRequest("totale_kosten", VAN, TOT, per="maand")),
        ("jeugdigen_met_jeugdhulp per wijk per kwartaal",
         KpiRequest("jeugdigen_met_jeugdhulp", VAN, TOT, by="wijk", per="kwartaal")),
    ]


def time_service(engine, cases, repeat: int, redis_url: str | None) -> dict[str, dict[str, tuple]]:
    """Per request: uncached (a fresh cache each run) and cached (in process, and in Redis)."""
    from kpi.cache_store import InProcessStore, RedisStore
    from kpi.service import KpiService

    stores = [("cached, in process", InProcessStore)]
    if redis_url:
        stores.append(("cached, Redis", lambda: RedisStore(redis_url, prefix="jeugdmonitor:bench:")))
    out: dict[str, dict[str, tuple]] = {}
    for name, request in cases:
        row = out[name] = {}
        row["uncached"] = timed(lambda request=request: KpiService(engine, InProcessStore()).compute(request), repeat)
        for label, make_store in stores:
            service = KpiService(engine, make_store())
            service.compute(request)  # fills the cache
            row[label] = timed(partial(service.compute, request), max(repeat, 50))
            if label.endswith("Redis"):
                service.store.clear()
        print(f"  {name:<50} " + "   ".join(f"{k} {m:7.1f} / {p:7.1f}" for k, (m, p) in row.items()),
              flush=True)
    return out


def linked_requests(school: str, wijk: str) -> list[tuple[str, KpiRequest]]:
    """Requests with a filter, as the explorer's drill-downs ask them (rule 3 of the small-number
    rules needs a linked breakdown for each filter)."""
    return [
        ("instroom, hulpvorm=jeugdreclassering", KpiRequest("instroom", VAN, TOT, where={"hulpvorm": "jeugdreclassering"})),
        ("jeugdigen_met_jeugdhulp, school=" + school,
         KpiRequest("jeugdigen_met_jeugdhulp", VAN, TOT, where={"school": school})),
        ("instroom per school, verwijzer=huisarts",
         KpiRequest("instroom", VAN, TOT, by="school", where={"verwijzer": "huisarts"})),
        ("jeugdigen_met_jeugdhulp per wijk, verwijzer=huisarts",
         KpiRequest("jeugdigen_met_jeugdhulp", VAN, TOT, by="wijk", where={"verwijzer": "huisarts"})),
        ("gem_trajectduur per school, hulpvorm=ambulant",
         KpiRequest("gem_trajectduur", VAN, TOT, by="school", where={"hulpvorm": "ambulant"})),
        ("totale_kosten per hulpvorm, wijk=" + wijk, KpiRequest("totale_kosten", VAN, TOT, by="hulpvorm", where={"wijk": wijk})),
        ("instroom per school, wijk=" + wijk + ", verwijzer=huisarts",
         KpiRequest("instroom", VAN, TOT, by="school", where={"wijk": wijk, "verwijzer": "huisarts"})),
    ]


def time_linked(engine, cases, repeat: int) -> None:
    """What rule 3 (linked requests) costs per request, uncached: the request with rule 3 switched
    off, rule 3's linked breakdowns alone (one per filter), and the whole request as the dashboard
    computes it. Once computed, the service caches the verdicts for every value of the filter.
    Prints a Markdown table of medians / p95 in ms."""
    from unittest import mock

    from kpi import privacy
    from kpi.cache_store import InProcessStore
    from kpi.computation import linked_verdicts
    from kpi.request import resolve
    from kpi.service import KpiService

    def uncached(request):
        return timed(lambda: KpiService(engine, InProcessStore()).compute(request), repeat)

    def linked_only(request):
        resolved = resolve(request)

        def run():
            with engine.connect() as conn:
                for dimension in privacy.linked_dimensions(resolved.by, resolved.where):
                    linked_verdicts(conn, resolved, dimension)
        return timed(run, repeat)

    print(f"\n| request ({engine.dialect.name}) | without rule 3 | rule 3's linked breakdowns | "
          "with rule 3 (uncached) |\n| --- | --- | --- | --- |")
    for name, request in cases:
        with mock.patch.object(privacy, "linked_dimensions", lambda by, where: []):
            without = uncached(request)
        alone = linked_only(request)
        whole = uncached(request)
        print(f"| {name} | " + " | ".join(f"{m:.0f} / {p:.0f}" for m, p in (without, alone, whole)) + " |",
              flush=True)


def time_all_kpis(engine, repeat: int) -> None:
    """Every KPI of the catalogue by wijk and by school for YEAR, uncached (a fresh cache each
    run), as the explorer's year views ask them: read from the breakdowns stored at load
    (kpi/totals.py) and over the facts (the stored rows ignored: what a view with a filter or
    an older year costs). Prints a Markdown table of medians in ms."""
    from unittest import mock

    from kpi import CATALOGUE, totals
    from kpi.cache_store import InProcessStore
    from kpi.service import KpiService

    def uncached(request):
        return timed(lambda: KpiService(engine, InProcessStore()).compute(request), repeat)[0]

    print("\n| KPI | per wijk: stored / facts | per school: stored / facts |\n| --- | --- | --- |")
    for kpi in CATALOGUE.values():
        cells = []
        for by in ("wijk", "school"):
            if by not in kpi.breakdowns:
                cells.append("–")
                continue
            request = KpiRequest.for_year(kpi.id, YEAR, by=by)
            stored = uncached(request)
            with mock.patch.object(totals, "stored", lambda conn, req: {}):
                facts = uncached(request)
            cells.append(f"{stored:.0f} / {facts:.0f}")
        print(f"| {kpi.id} | {cells[0]} | {cells[1]} |", flush=True)


def time_trends(engine, repeat: int) -> None:
    """Every KPI's explorer trends for YEAR, uncached (a fresh cache each run) — per jaar from
    2019, per kwartaal over two years, per maand over one — read from the totals stored at load
    (kpi/totals.py) and, for comparison, over the facts (the stored totals ignored), and per
    jaar within one gemeente (a filter: always the facts). Prints a Markdown table of medians in ms."""
    from unittest import mock

    from dashboard.ui.state import ExplorerState
    from kpi import CATALOGUE, totals
    from kpi.cache_store import InProcessStore
    from kpi.service import KpiService

    with engine.connect() as conn:
        gemeente = conn.scalar(text("SELECT min(gemeente_code) FROM wijken"))

    def uncached(request):
        return timed(lambda: KpiService(engine, InProcessStore()).compute(request), repeat)[0]

    print(f"\n| KPI | per jaar: stored / facts | per kwartaal: stored / facts | per maand: stored / facts "
          f"| per jaar, gemeente {gemeente} |\n| --- | --- | --- | --- | --- |")
    for kpi in CATALOGUE.values():
        cells = []
        for per in ("jaar", "kwartaal", "maand"):
            if per not in kpi.per_toegestaan or (kpi.alleen_kalenderjaar and per != "jaar"):
                cells.append("–")
                continue
            request = ExplorerState(kpi.id, YEAR, per=per).trend_request()
            stored = uncached(request)
            with mock.patch.object(totals, "stored", lambda conn, req: {}):
                facts = uncached(request)
            cells.append(f"{stored:.0f} / {facts:.0f}")
        if "gemeente" in kpi.filters:
            cells.append(f"{uncached(ExplorerState(kpi.id, YEAR, gemeente=gemeente).trend_request()):.0f}")
        else:
            cells.append("–")
        print(f"| {kpi.id} | " + " | ".join(cells) + " |", flush=True)


def time_totals_cost(engine, units: list[str], last_years: int | None) -> None:
    """What storing the KPI totals (kpi/totals.py) costs at load, per calendar unit: every KPI's
    query over the unit's sub-periods of the covered years (or of the last `last_years`), run as
    the load runs it but not stored, the stored totals themselves ignored. Prints seconds."""
    from dataclasses import replace
    from unittest import mock

    from kpi import CATALOGUE, totals
    from kpi.computation import aggregate_rows
    from kpi.periods import split

    with engine.connect() as conn, mock.patch.object(totals, "stored", lambda conn, req: {}):
        years = totals.covered_years(conn)
        if last_years:
            years = range(max(years[0], years[-1] - last_years + 1), years[-1] + 1)
        for unit in units:
            total = 0.0
            for kpi in CATALOGUE.values():
                for subs in totals.periods_to_store(kpi, years, (unit,)):
                    if unit != "jaar":  # every covered year's quarters or months, not just the recent ones
                        subs = tuple(split(dt.date(years[0], 1, 1), dt.date(years[-1], 12, 31), unit))
                    req = replace(totals.template_request(kpi), van=subs[0].van, tot=subs[-1].tot, per=None,
                                  sub_periods=subs)
                    start = time.perf_counter()
                    aggregate_rows(conn, req)
                    total += time.perf_counter() - start
                conn.rollback()
            print(f"  totals per {unit}, years {years[0]}–{years[-1]}: {total:.1f} s", flush=True)


def engine_for(backend: str, pg_url: str | None, workdir: Path, schema: str, reuse: bool):
    if backend == "sqlite":
        path = workdir / "bench.db"
        if not reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
        return make_engine(f"sqlite:///{path}")
    return pg_engine(pg_url, schema, fresh=not reuse)


def load(engine, folder: Path) -> tuple[dict[str, int], float]:
    from data.warehouse.loader import load_folder
    from kpi import totals

    migrate(engine)
    start = time.perf_counter()
    report = load_folder(engine, folder, bron=f"benchmark {folder.name}", derive=totals.after_load)
    seconds = time.perf_counter() - start
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    return report.rows, seconds


def pandas_frames(engine) -> dict[str, pd.DataFrame]:
    """The fact tables in memory, for the pandas comparison only (the product never does this)."""
    with engine.connect() as conn:
        t = pd.read_sql(text("SELECT traject_id, jeugdige_id, wijk_code, school_code, hulpvorm, "
                             "startdatum, einddatum FROM trajecten"), conn)
        k = pd.read_sql(text("SELECT traject_id, maand, bedrag_cent FROM kosten"), conn)
        v = pd.read_sql(text("SELECT traject_id, verblijfsvorm, startdatum, einddatum FROM verblijf"), conn)
        w = pd.read_sql(text("SELECT wijk_code, gemeente_code FROM wijken"), conn)
    for frame, cols in ((t, ("startdatum", "einddatum")), (v, ("startdatum", "einddatum")), (k, ("maand",))):
        for col in cols:
            frame[col] = pd.to_datetime(frame[col])
    return {"t": t, "k": k, "v": v, "w": w}


def pandas_requests(f: dict[str, pd.DataFrame], school: str) -> list:
    t, k, v, w = f["t"], f["k"], f["v"], f["w"]
    van, tot = pd.Timestamp(VAN), pd.Timestamp(TOT)

    def active(frame, a, b):
        return frame[(frame.startdatum <= b) & (frame.einddatum.isna() | (frame.einddatum >= a))]

    def totaal():
        return active(t, van, tot).jeugdige_id.nunique()

    def instroom_wijk():
        return t[(t.startdatum >= van) & (t.startdatum <= tot)].groupby("wijk_code").size()

    def duur_school():
        e = t[(t.einddatum >= van) & (t.einddatum <= tot) & (t.hulpvorm == "ambulant")]
        return ((e.einddatum - e.startdatum).dt.days).groupby(e.school_code.fillna("")).mean()

    def kosten_maand():
        kk = k[(k.maand >= van) & (k.maand <= tot)]
        return kk.groupby("maand").bedrag_cent.sum()

    def wijk_kwartaal():
        out = {}
        for q in range(4):
            a = pd.Timestamp(YEAR, 3 * q + 1, 1)
            b = (a + pd.offsets.QuarterEnd(0))
            out[q] = active(t, a, b).groupby("wijk_code").jeugdige_id.nunique()
        return out

    def gezinsgericht_gemeente():
        s = active(v, van, tot).merge(t[["traject_id", "wijk_code"]], on="traject_id").merge(w, on="wijk_code")
        end = s.einddatum.fillna(tot).clip(upper=tot)
        days = (end - s.startdatum.clip(lower=van)).dt.days + 1
        g = s.verblijfsvorm.isin(["pleegzorg", "gezinshuis"])
        return (days.where(g, 0).groupby(s.gemeente_code).sum() * 100 / days.groupby(s.gemeente_code).sum())

    def instroom_school():
        return int(((t.startdatum >= van) & (t.startdatum <= tot) & (t.school_code == school)).sum())

    return [totaal, instroom_wijk, duur_school, kosten_maand, wijk_kwartaal, gezinsgericht_gemeente,
            instroom_school]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=250)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--pg-url", default=os.environ.get("TEST_DATABASE_URL"))
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--no-pandas", action="store_true")
    parser.add_argument("--pg-schema", default="jeugdmonitor_bench")
    parser.add_argument("--reuse", action="store_true",
                        help="use the warehouse an earlier run loaded (no generation, no load)")
    parser.add_argument("--service", action="store_true",
                        help="time issue 6's requests uncached and cached through the KPI service")
    parser.add_argument("--redis-url", default=None, help="also time the Redis cache")
    parser.add_argument("--trends", action="store_true",
                        help="with --service: every KPI's explorer trends, stored totals against the facts")
    parser.add_argument("--totals-cost", metavar="UNITS",
                        help="with --reuse: what storing the KPI totals costs per unit, e.g. jaar,kwartaal,maand")
    parser.add_argument("--totals-years", type=int, default=None,
                        help="with --totals-cost: only the last N covered years")
    parser.add_argument("--linked", action="store_true",
                        help="what rule 3 of the small-number rules (linked requests) costs, uncached")
    parser.add_argument("--all-kpis", action="store_true",
                        help="with --service: also every KPI by wijk and by school, uncached")
    args = parser.parse_args()

    workdir = WORKDIR
    folder = demo_folder(args.scale, args.seed, generate=not args.reuse)
    if folder.exists():
        size_mb = sum(p.stat().st_size for p in folder.glob("*.csv")) / 1e6
        print(f"data set: {folder} ({size_mb:,.0f} MB)\n")

    results: dict[str, dict[str, tuple[float, float]]] = {}
    school = None
    frames = None
    for backend in args.backends.split(","):
        engine = engine_for(backend, args.pg_url, workdir, args.pg_schema, args.reuse)
        if args.reuse:
            with engine.connect() as conn:
                counts = {t: conn.scalar(text(f"SELECT count(*) FROM {t}"))
                          for t in ("trajecten", "kosten", "verblijf", "kosten_jeugdige_jaar")}
            print(f"## {backend}: reusing the loaded warehouse: {counts}")
        else:
            rows, seconds = load(engine, folder)
            total = sum(rows.values())
            print(f"## {backend}: loaded {total:,} rows in {seconds:.1f} s = {total / seconds:,.0f} rows/s "
                  f"(trajecten {rows.get('trajecten', 0):,}, kosten {rows.get('kosten', 0):,}, "
                  f"verblijf {rows.get('verblijf', 0):,})")
        if school is None:
            with engine.connect() as conn:
                school = conn.scalar(text("SELECT min(school_code) FROM scholen"))
                wijk = conn.scalar(text("SELECT min(wijk_code) FROM wijken"))
        if args.totals_cost:
            time_totals_cost(engine, args.totals_cost.split(","), args.totals_years)
            engine.dispose()
            continue
        if args.linked:
            time_linked(engine, linked_requests(school, wijk), args.repeat)
            engine.dispose()
            continue
        if args.service:
            print(f"  (median / p95 ms; uncached {args.repeat} runs, cached ≥ 50 runs, after a warm-up)")
            gc.collect()
            gc.freeze()  # as every gunicorn worker does after start-up (gunicorn.conf.py)
            service = time_service(engine, service_requests(school, wijk), args.repeat, args.redis_url)
            kinds = list(next(iter(service.values())))
            print(f"\n| request ({backend}) | " + " | ".join(f"{k} median / p95 (ms)" for k in kinds) + " |")
            print("| --- | " + " | ".join("---" for _ in kinds) + " |")
            for name, row in service.items():
                print(f"| {name} | " + " | ".join(
                    f"{m:.0f} / {p:.0f}" if k == "uncached" else f"{m:.2f} / {p:.2f}"
                    for k, (m, p) in row.items()) + " |")
            if args.all_kpis:
                time_all_kpis(engine, max(3, args.repeat // 2))
            if args.trends:
                time_trends(engine, max(3, args.repeat // 2))
            engine.dispose()
            continue
        results[backend] = {}
        for name, request in requests(school):
            median, p95 = timed(partial(compute, engine, request), args.repeat)
            results[backend][name] = (median, p95)
            print(f"  {name:<50} median {median:8.1f} ms   p95 {p95:8.1f} ms")
        if frames is None and not args.no_pandas:
            start = time.perf_counter()
            frames = pandas_frames(engine)
            print(f"  (pandas: read the fact tables into memory in {time.perf_counter() - start:.1f} s)")
        engine.dispose()
    if frames is not None:
        results["pandas"] = {}
        print("## pandas, in memory")
        for (name, _), fn in zip(requests(school), pandas_requests(frames, school), strict=True):
            median, p95 = timed(fn, args.repeat)
            results["pandas"][name] = (median, p95)
            print(f"  {name:<50} median {median:8.1f} ms   p95 {p95:8.1f} ms")

    backends = list(results)
    if not backends:
        return 0
    print("\n| request | " + " | ".join(f"{b} median / p95 (ms)" for b in backends) + " |")
    print("| --- | " + " | ".join("---" for _ in backends) + " |")
    for name, _ in requests(school):
        cells = [f"{results[b][name][0]:.0f} / {results[b][name][1]:.0f}" for b in backends]
        print(f"| {name} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
