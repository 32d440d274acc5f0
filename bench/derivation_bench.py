"""Benchmark (not a test), issue 20 item 2: candidate ways to derive the stored KPI totals
(kpi/totals.py), each measured beside today's on the same loaded warehouse and checked equal.

    pip install -r requirements-bench.txt       # duckdb and duckdb-engine: benchmarks only
    python bench/derivation_bench.py --scale 60

On the demonstration set at `--scale` loaded by the product into the PostgreSQL schema
`<prefix>_product` (as bench/engines_bench.py loads it; `--skip-load` reuses it):

1. **The whole step on DuckDB**: `totals.rebuild` run unchanged through duckdb-engine on a copy of
   the warehouse (bench/engines_bench.py `copy_to_duckdb`), against the same on PostgreSQL; the
   copy's time is printed apart. Every stored row is compared (key, label, n, aggregates).
2. **All breakdowns of a KPI in one pass** (`GROUPING SETS`, what the load now does on PostgreSQL:
   `totals.fetch_breakdowns`): per covered year, one statement grouping by every dimension the KPI is
   broken down by that reads the same records, against a statement per dimension (`totals.fetch`,
   the same sources, what SQLite does). Every row is compared: key, label, n and aggregates.
3. **A trend's sub-periods in one statement**: the records joined to a derived table of the
   sub-periods and grouped by sub-period, against today's statement per sub-period.

Each prints seconds per KPI and in all, and how many results differ (each must be 0). Everything
runs inside transactions that are rolled back: the product schema is left as loaded.
"""
from __future__ import annotations

import argparse
import json
import os
import time
from dataclasses import replace

from bench_support import WORKDIR, demo_folder, load_average, pg_engine, wrapped  # also puts the project on sys.path
from engines_bench import copy_to_duckdb, product_load
from sqlalchemy import and_, select, true

from data.warehouse.schema import KPI_TOTALEN
from kpi import query, sources, totals
from kpi.catalogue import CATALOGUE
from kpi.sqlfuncs import tune_for_aggregates


def _tune(conn, kpi, one_period: bool) -> None:
    tune_for_aggregates(conn, few_facts_per_traject_lookup=kpi.bron.fact in ("tevredenheid", "verblijf"),
                        one_period=one_period)


# --- 1. the whole step on DuckDB ---------------------------------------------------------------

def stored_rows(engine) -> dict[tuple, tuple]:
    c = KPI_TOTALEN.c
    with engine.connect() as conn:
        rows = conn.execute(select(c.kpi_id, c.van, c.tot, c.dimensie, c.sleutel, c.label, c.n, c.aggregaten))
        return {(r.kpi_id, str(r.van), str(r.tot), r.dimensie, r.sleutel):
                (r.label, r.n, r.aggregaten if isinstance(r.aggregaten, dict) else json.loads(r.aggregaten))
                for r in rows}


def rebuild_seconds(engine, commit: bool) -> dict[str, float]:
    """`totals.rebuild` on `engine`: seconds in all and in its queries (`totals.fetch` and
    `totals.fetch_breakdowns`), rows."""
    spans: dict[str, float] = {}
    # the queries: `fetch` per dimension and sub-period, and on PostgreSQL the breakdowns in one pass
    with (engine.begin() as conn, wrapped(totals, "fetch", spans, "queries"),
          wrapped(totals, "fetch_breakdowns", spans, "queries")):
        start = time.perf_counter()
        count = totals.rebuild(conn)
        spans["in all"] = time.perf_counter() - start
        if not commit:
            conn.rollback()
    return {**spans, "rows": count}


def whole_step_on_duckdb(pg, pg_url: str, schema: str, prefix: str) -> None:
    print("## 1. the whole step on DuckDB (duckdb-engine, a copy of the warehouse)\n")
    duck, copy_seconds = copy_to_duckdb(pg_url, schema, WORKDIR / f"{prefix}_derivation.duckdb")
    print(f"copy: facts and dimensions {copy_seconds['facts and dimensions']:.1f} s, derived tables "
          f"{copy_seconds['derived tables']:.1f} s (load average {load_average():.2f})")
    expected = stored_rows(pg)
    on_duckdb = rebuild_seconds(duck, commit=True)  # committed in the copy, to read its rows back
    got = stored_rows(duck)
    differing = [k for k in expected.keys() | got.keys() if expected.get(k) != got.get(k)]
    only_types = [k for k in differing if k in expected and k in got and _same_numbers(expected[k], got[k])]
    on_postgresql = rebuild_seconds(pg, commit=False)
    for name, spans in (("PostgreSQL", on_postgresql), ("DuckDB", on_duckdb)):
        print(f"rebuild on {name}: {spans['in all']:.1f} s, of which its queries {spans['queries']:.1f} s "
              f"({spans['rows']:,} rows)")
    print(f"(load average {load_average():.2f}); rows differing {len(differing)}, of which only in the sums' "
          f"type (DuckDB's integer sums where PostgreSQL's are numeric) {len(only_types)}\n")
    duck.dispose()


def _same_numbers(a: tuple, b: tuple) -> bool:
    def plain(sums):
        return {k: float(v["decimal"]) if isinstance(v, dict) else v for k, v in sums.items()}
    return a[:2] == b[:2] and plain(a[2]) == plain(b[2])


# --- 2. all breakdowns of a KPI in one pass ----------------------------------------------------

def _plain(row: dict) -> dict:
    return {k: v for k, v in row.items() if k not in ("idx", "label")}


def _by_key(rows: list[dict]) -> list[dict]:
    """A breakdown's rows in key order, with the label also where it is None (a code list's groups)."""
    rows = [{**{k: v for k, v in row.items() if k != "idx"}, "label": row.get("label")} for row in rows]
    return sorted(rows, key=lambda r: (r["key"] is None, r["key"] or ""))


def breakdowns_in_one_pass(pg) -> None:
    print("## 2. all breakdowns of a KPI in one pass (GROUPING SETS), per covered year\n")
    print("| KPI | dimensions | per dimension (s) | one pass (s) | differing |")
    print("| --- | --- | --- | --- | --- |")
    spent = {"per dimension": 0.0, "one pass": 0.0}
    differing_all = 0
    for kpi in CATALOGUE.values():
        with pg.begin() as conn:
            subs = totals.breakdown_years(totals.covered_years(conn))
            start = time.perf_counter()
            today = {}
            for by in kpi.breakdowns:
                req = replace(totals.template_request(kpi), van=subs[0].van, tot=subs[-1].tot, per=None, by=by,
                              sub_periods=subs)
                today[by] = totals.fetch(conn, req)[0]
            middle = time.perf_counter()
            one_pass = totals.fetch_breakdowns(conn, kpi, [(by, subs) for by in kpi.breakdowns])[0]
            end = time.perf_counter()
            conn.rollback()
        differing = sum(_by_key(today[by].get(idx, [])) != _by_key(one_pass[by].get(idx, []))
                        for by in kpi.breakdowns for idx in range(len(subs)))
        differing_all += differing
        spent["per dimension"] += middle - start
        spent["one pass"] += end - middle
        print(f"| {kpi.id} | {len(kpi.breakdowns)} | {middle - start:.2f} | {end - middle:.2f} | {differing} |")
    print(f"\nin all: per dimension {spent['per dimension']:.1f} s, one pass {spent['one pass']:.1f} s; "
          f"{differing_all} results differ (load average {load_average():.2f})\n")


# --- 3. a trend's sub-periods in one statement -------------------------------------------------

def joined_periods(conn, kpi, subs) -> dict[int, list[dict]] | None:
    """The sub-periods' totals from one statement over the records joined to a table of the
    sub-periods; None where the sub-periods are not all read from one source of records."""
    req = replace(totals.template_request(kpi), van=subs[0].van, tot=subs[-1].tot, per=None, by=None, sub_periods=subs)
    plan = query.plan_for(conn, req, allowed=totals.ALL_BUT_STORED)
    if (len({plan.source(req, sub, records=True) for sub in subs}) != 1
            or any(plan.source(req, sub) is sources.COUNTS_PER_YEAR for sub in subs)):
        return None
    periods = query.periods_table(subs)
    _tune(conn, kpi, one_period=False)
    fb, ctx, conditions = query.record_scope(req, subs[0], plan, set(), periods.c, query.FilterValues((), True))
    aggregates = kpi.maat.aggregates(ctx)
    statement = (select(periods.c.idx, query.n_column(req, fb).label("n"),
                        *[expr.label(name) for name, expr in aggregates.items()])
                 .select_from(fb.from_.join(periods, true())).where(and_(true(), *conditions))
                 .group_by(periods.c.idx))
    return {row["idx"]: [dict(row)] for row in conn.execute(statement).mappings()}


def trends_in_one_statement(pg) -> None:
    print("## 3. a trend's sub-periods in one statement (records joined to the sub-periods)\n")
    print("| KPI | sub-periods | per sub-period (s) | one statement (s) | differing |")
    print("| --- | --- | --- | --- | --- |")
    spent = {"per sub-period": 0.0, "one statement": 0.0}
    differing_all = 0
    for kpi in CATALOGUE.values():
        with pg.begin() as conn:
            for subs in totals.periods_to_store(kpi, totals.covered_years(conn)):
                req = replace(totals.template_request(kpi), van=subs[0].van, tot=subs[-1].tot, per=None, by=None,
                              sub_periods=subs)
                start = time.perf_counter()
                today = totals.fetch(conn, req)[0]
                middle = time.perf_counter()
                joined = joined_periods(conn, kpi, subs)
                end = time.perf_counter()
                if joined is None:
                    print(f"| {kpi.id} | {len(subs)} | {middle - start:.2f} | (several sources) | |")
                    continue
                # a sub-period without records: today's statement returns its empty total, the
                # join no row at all
                differing = sum(_plain(today[idx][0]) != _plain(joined[idx][0]) for idx in range(len(subs))
                                if idx in joined or today.get(idx, [{}])[0].get("n"))
                differing_all += differing
                spent["per sub-period"] += middle - start
                spent["one statement"] += end - middle
                print(f"| {kpi.id} | {len(subs)} | {middle - start:.2f} | {end - middle:.2f} | {differing} |")
            conn.rollback()
    print(f"\nin all: per sub-period {spent['per sub-period']:.1f} s, one statement "
          f"{spent['one statement']:.1f} s; {differing_all} results differ (load average {load_average():.2f})\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--pg-url", default=os.environ.get("TEST_DATABASE_URL"))
    parser.add_argument("--prefix", default="derivation_bench")
    parser.add_argument("--skip-load", action="store_true", help="use the product schema an earlier run loaded")
    args = parser.parse_args()

    folder = demo_folder(args.scale, args.seed)
    schema = f"{args.prefix}_product"
    print(f"# derivation_bench: scale {args.scale}; {os.cpu_count()} cores; load average {load_average():.2f}\n")
    if not args.skip_load:
        parts = product_load(args.pg_url, schema, folder)
        print("product load (s): " + ", ".join(f"{k} {v:.1f}" for k, v in parts.items()) + "\n")
    pg = pg_engine(args.pg_url, schema, fresh=False)
    whole_step_on_duckdb(pg, args.pg_url, schema, args.prefix)
    breakdowns_in_one_pass(pg)
    trends_in_one_statement(pg)
    pg.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
