"""Benchmark (not a test), issue 20: the product's load and KPI requests beside plain PostgreSQL COPY
and DuckDB, in one run, with the ratios.

    pip install -r requirements-bench.txt       # duckdb and duckdb-engine: benchmarks only
    python bench/engines_bench.py --scale 20 --rounds 3

On the demonstration set at `--scale` (generated once into bench/out/, bench_support.demo_folder):

1. Load, interleaved over `--rounds` (medians; the 1-minute load average beside each figure):
   - the product's load (`load_folder(..., derive=kpi.totals.rebuild)`) into a fresh schema
     `<prefix>_product` of --pg-url's database, split from outside without changing the product:
     the summary tables (`summaries.rebuild`, wrapped), the stored KPI totals (the `derive`
     callable, wrapped), the commit (from SQLAlchemy's commit event to the end of the transaction:
     the deferred foreign-key checks), VACUUM ANALYZE after the commit (`refresh_statistics`,
     wrapped), and the rest: reading, validating and inserting the files. Reading + validating and
     inserting are one streaming loop whose COPY runs on the server while Python parses the next
     rows, so they are not split; the rest also holds the reference anti-joins, ANALYZE and the
     load-log row.
   - plain PostgreSQL: `COPY` of the same files into plain tables of a schema `<prefix>_copy`
     (each file's columns with the warehouse column's type, except `bedrag` numeric(14,2) and
     `maand` char(7) as in the file; kosten gets the warehouse's identity key `regel`), then the same primary keys and indexes as the warehouse,
     then the same foreign keys (each checked by PostgreSQL in one pass).
   - DuckDB: `CREATE TABLE … AS SELECT * FROM read_csv(file)` per file (types detected), in a fresh
     database file.
2. Requests: every catalogue KPI × (total, by wijk, by school, a drill-down filter wijk = …, per
   kwartaal over three years), uncached, through `kpi.compute` on the product's PostgreSQL (the
   planner's choice, and the facts only) and on DuckDB holding a copy of the same warehouse tables
   (`compute(duckdb_engine, request, sources=())`: the same engine through duckdb-engine, the facts
   only), each DuckDB result checked against PostgreSQL's. Requests the catalogue refuses are
   listed as such; an error or a different result on DuckDB is printed per request.
   The copy: the tables created from the SQLAlchemy metadata without constraints, filled through
   a CSV export from PostgreSQL (timed: what a columnar copy written at load would cost).
3. Markdown tables for docs/performance.md and a line per target of issue 20's item 3.
"""
from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import statistics
import time
from pathlib import Path

from bench_support import WORKDIR, demo_folder, load_average, pg_engine, wrapped  # also puts the project on sys.path
from sqlalchemy import create_engine, event, text

from data.db import migrate
from data.schema import Base
from data.warehouse import loader, summaries
from data.warehouse.import_spec import SPECS
from data.warehouse.schema import DERIVED_TABLES, IMPORT_TABLES, LoadLog
from kpi import CATALOGUE, KpiRequest, KpiRequestError, compute, totals

YEAR = 2025
#: the warehouse tables the KPI engine reads: the facts and dimensions, the summaries, the stored
#: totals and the load log (the newest load decides which stored totals count)
WAREHOUSE_TABLES = IMPORT_TABLES + summaries.TABLES + DERIVED_TABLES + (LoadLog.__tablename__,)
FACT_TABLES = set(IMPORT_TABLES)


# --- 1. load ----------------------------------------------------------------------------------

def product_load(pg_url: str, schema: str, folder: Path) -> dict[str, float]:
    """The product's load into a fresh, migrated schema; seconds in total and per measurable part."""
    engine = pg_engine(pg_url, schema, fresh=True)
    migrate(engine)
    spans: dict[str, float] = {}
    commits: list[float] = []
    event.listen(engine, "commit", lambda conn: commits.append(time.perf_counter()))

    def derive(conn):
        start = time.perf_counter()
        totals.rebuild(conn)
        spans["stored KPI totals"] = time.perf_counter() - start
        spans["derive ended"] = time.perf_counter()

    with wrapped(summaries, "rebuild", spans, "summary tables"), \
            wrapped(loader, "refresh_statistics", spans, "VACUUM ANALYZE after commit"):
        start = time.perf_counter()
        loader.load_folder(engine, folder, bron=f"engines_bench {folder.name}", derive=derive)
        total = time.perf_counter() - start
    engine.dispose()
    statistics_started = spans["VACUUM ANALYZE after commit ended"] - spans["VACUUM ANALYZE after commit"]
    commit_started = min(t for t in commits if t >= spans["derive ended"])
    parts = {
        "summary tables": spans["summary tables"],
        "stored KPI totals": spans["stored KPI totals"],
        "commit (deferred FK checks)": statistics_started - commit_started,
        "VACUUM ANALYZE after commit": spans["VACUUM ANALYZE after commit"],
    }
    parts = {"read + validate + insert, anti-joins, ANALYZE, load log": total - sum(parts.values()), **parts}
    return {"total": total, **parts}


def reference_tables(folder: Path):
    """Per import table: its file, the plain table's columns with their PostgreSQL types, and the
    warehouse's primary key, indexes and foreign keys that fit those columns."""
    from sqlalchemy.dialects import postgresql

    dialect = postgresql.dialect()
    for name in IMPORT_TABLES:
        path = folder / f"{name}.csv"
        header = path.open(encoding="utf-8").readline().strip().split(",")
        table = Base.metadata.tables[name]
        stored = {c.name: c.stored_as for c in SPECS[name].columns}
        columns = []
        for column in header:
            db_column = stored.get(column, column)
            if db_column.endswith("_cent"):
                kind = "numeric(14,2)"  # euros with cents in the file; the loader stores whole cents
            elif column == "maand":
                kind = "char(7)"  # YYYY-MM in the file; the loader stores the month's first day
            else:
                kind = table.c[db_column].type.compile(dialect)
            columns.append((column, kind))
        key = list(table.primary_key.columns.keys())
        extra = [("regel", "bigint GENERATED ALWAYS AS IDENTITY")] if key == ["regel"] else []
        names = set(header) | {c for c, _ in extra}
        indexes = [[c.name for c in ix.columns] for ix in table.indexes
                   if ix.columns and all(c.name in names for c in ix.columns)]
        foreign = [(fk.parent.name, fk.column.table.name, fk.column.name) for fk in table.foreign_keys
                   if fk.parent.name in names]
        yield name, path, header, extra + columns, key, indexes, foreign


def plain_copy(pg_url: str, schema: str, folder: Path) -> dict[str, float]:
    """COPY of the files into plain tables, then the keys and indexes, then the foreign keys."""
    engine = pg_engine(pg_url, schema, fresh=True)
    tables = list(reference_tables(folder))
    out = {}
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        with raw.cursor() as cur:
            for name, _path, _header, columns, *_ in tables:
                cur.execute(f"CREATE TABLE {name} ({', '.join(f'{c} {k}' for c, k in columns)})")
            raw.commit()
            start = time.perf_counter()
            for name, path, header, *_ in tables:
                with cur.copy(f"COPY {name} ({', '.join(header)}) FROM STDIN WITH (FORMAT csv, HEADER)") as copy, \
                        path.open("rb") as file:
                    while block := file.read(1 << 20):
                        copy.write(block)
            raw.commit()
            out["bare COPY"] = time.perf_counter() - start
            start = time.perf_counter()
            for name, _path, _header, _columns, key, indexes, _foreign in tables:
                cur.execute(f"ALTER TABLE {name} ADD PRIMARY KEY ({', '.join(key)})")
                for number, columns in enumerate(indexes):
                    cur.execute(f"CREATE INDEX ix_{name}_{number} ON {name} ({', '.join(columns)})")
            raw.commit()
            out["keys + indexes"] = time.perf_counter() - start
            start = time.perf_counter()
            for name, *_, foreign in tables:
                for column, parent, parent_column in foreign:
                    cur.execute(f"ALTER TABLE {name} ADD FOREIGN KEY ({column}) REFERENCES {parent} ({parent_column})")
            raw.commit()
            out["foreign keys"] = time.perf_counter() - start
            start = time.perf_counter()
            for name, *_ in tables:
                cur.execute(f"ANALYZE {name}")
            raw.commit()
            out["ANALYZE"] = time.perf_counter() - start
    engine.dispose()
    out["total"] = sum(out.values())
    return out


def duckdb_read_csv(path: Path, folder: Path) -> dict[str, float]:
    import duckdb

    for stale in (path, Path(str(path) + ".wal")):
        stale.unlink(missing_ok=True)
    start = time.perf_counter()
    with duckdb.connect(str(path)) as con:
        for name in IMPORT_TABLES:
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_csv('{folder / (name + '.csv')}', header = true)")
        con.execute("CHECKPOINT")
    return {"total": time.perf_counter() - start}


def time_loads(args, folder: Path) -> dict[str, list[tuple[dict, float]]]:
    """The three loads interleaved, `rounds` times: {alternative: [(seconds per part, load average)]}."""
    runs: dict[str, list[tuple[dict, float]]] = {"product": [], "plain PostgreSQL": [], "DuckDB read_csv": []}
    for number in range(args.rounds):
        for label, run in (
                ("product", lambda: product_load(args.pg_url, f"{args.prefix}_product", folder)),
                ("plain PostgreSQL", lambda: plain_copy(args.pg_url, f"{args.prefix}_copy", folder)),
                ("DuckDB read_csv", lambda: duckdb_read_csv(WORKDIR / f"{args.prefix}_read_csv.duckdb", folder))):
            before = load_average()
            seconds = run()
            runs[label].append((seconds, max(before, load_average())))
            print(f"  round {number + 1}: {label}: {seconds['total']:.1f} s (load average {before:.2f})", flush=True)
    return runs


def print_loads(runs) -> dict[str, float]:
    print("\n| load | median (s) | runs (s) | load average (1 min) |\n| --- | --- | --- | --- |")
    medians = {}
    for label, results in runs.items():
        for part in ["total"] + [p for p in results[0][0] if p != "total"]:
            values = [r[part] for r, _ in results]
            medians[f"{label}: {part}"] = median = statistics.median(values)
            name = label if part == "total" else f"· {part}"
            total = "**" if part == "total" else ""
            print(f"| {total}{name}{total} | {median:.1f} | {' / '.join(f'{v:.1f}' for v in values)} | "
                  f"{' / '.join(f'{la:.2f}' for _, la in results)} |")
    return medians


def disk_sizes(pg_url: str, schema: str) -> dict[str, int]:
    engine = pg_engine(pg_url, schema, fresh=False)
    with engine.connect() as conn:
        sizes = {table: conn.scalar(text("SELECT pg_total_relation_size(:t)"), {"t": f"{schema}.{table}"})
                 for table in WAREHOUSE_TABLES}
    engine.dispose()
    return sizes


# --- 2. the warehouse copied into DuckDB -------------------------------------------------------

def copy_to_duckdb(pg_url: str, schema: str, path: Path):
    """The warehouse tables created from the metadata (types only, no constraints) in a fresh
    DuckDB file and filled through a CSV export from PostgreSQL. Returns the engine and the
    seconds for the facts and dimensions and for the derived tables."""
    for stale in (path, Path(str(path) + ".wal")):
        stale.unlink(missing_ok=True)
    duck = create_engine(f"duckdb:///{path}")
    source = pg_engine(pg_url, schema, fresh=False)
    export = WORKDIR / "engines_bench_export.csv"
    seconds = {"facts and dimensions": 0.0, "derived tables": 0.0}
    with source.connect() as pg, duck.connect() as conn:
        cursor = pg.connection.dbapi_connection.cursor()
        raw = conn.connection.dbapi_connection
        for name in WAREHOUSE_TABLES:
            table = Base.metadata.tables[name]
            columns = ", ".join(f'"{c.name}" {c.type.compile(duck.dialect)}' for c in table.c)
            raw.execute(f"CREATE TABLE {name} ({columns})")
            start = time.perf_counter()
            with cursor.copy(f"COPY {name} TO STDOUT WITH (FORMAT csv, HEADER)") as copy, export.open("wb") as out:
                for block in copy:
                    out.write(block)
            # all_varchar: codes keep their leading zeros; the insert casts to the column types.
            # allow_quoted_nulls off: PostgreSQL writes "" for an empty text and nothing for NULL.
            raw.execute(f"INSERT INTO {name} SELECT * FROM read_csv('{export}', header = true, "
                        "all_varchar = true, allow_quoted_nulls = false)")
            seconds["facts and dimensions" if name in FACT_TABLES else "derived tables"] += time.perf_counter() - start
        raw.execute("CHECKPOINT")
        raw.commit()
    export.unlink()
    source.dispose()
    return duck, seconds


# --- 2. requests -------------------------------------------------------------------------------

def request_shapes(wijk: str) -> list[tuple[str, dict]]:
    van, tot = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
    return [
        ("totaal", {"van": van, "tot": tot}),
        ("per wijk", {"van": van, "tot": tot, "by": "wijk"}),
        ("per school", {"van": van, "tot": tot, "by": "school"}),
        (f"wijk = {wijk}", {"van": van, "tot": tot, "where": {"wijk": wijk}}),
        (f"per kwartaal {YEAR - 2}–{YEAR}", {"van": dt.date(YEAR - 2, 1, 1), "tot": tot, "per": "kwartaal"}),
    ]


def same_result(a, b) -> str | None:
    """None when two results have the same rows (values equal to 1e-9 relative: sums of floats
    in another order), else what differs first."""
    if len(a.rows) != len(b.rows):
        return f"{len(a.rows)} rijen tegen {len(b.rows)}"
    for x, y in zip(a.rows, b.rows, strict=True):
        if x[:3] != y[:3] or x.n != y.n or x.suppressed != y.suppressed:
            return f"{tuple(x)} tegen {tuple(y)}"
        if (x.value is None) != (y.value is None) or (
                x.value is not None and not math.isclose(float(x.value), float(y.value), rel_tol=1e-9)):
            return f"{tuple(x)} tegen {tuple(y)}"
    return None


def time_requests(pg, duck, repeat: int, wijk: str) -> list[dict]:
    """Every KPI × shape: PostgreSQL (planner's choice, facts only) and DuckDB (facts only),
    interleaved `repeat` times after one warm-up each; medians in ms."""
    variants = (("pg", pg, None), ("pg facts", pg, ()), ("duckdb", duck, ()))
    out = []
    for kpi in CATALOGUE.values():
        for shape, fields in request_shapes(wijk):
            row = {"request": f"{kpi.id} {shape}"}
            out.append(row)
            request = KpiRequest(kpi.id, **fields)
            try:
                results = {label: compute(bind, request, sources) for label, bind, sources in variants[:2]}
            except KpiRequestError as exc:
                row["refused"] = str(exc)
                print(f"  {row['request']}: refused: {exc}", flush=True)
                continue
            try:
                results["duckdb"] = compute(duck, request, ())
            except Exception as exc:  # noqa: BLE001 — every DuckDB failure is reported, none hides the rest
                row["error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
                variants_here = variants[:2]
            else:
                variants_here = variants
                row["differs"] = same_result(results["pg"], results["duckdb"])
                row["facts differ"] = same_result(results["pg"], results["pg facts"])
            times = {label: [] for label, *_ in variants_here}
            row["load average"] = load_average()
            for _ in range(repeat):
                for label, bind, sources in variants_here:
                    start = time.perf_counter()
                    compute(bind, request, sources)
                    times[label].append((time.perf_counter() - start) * 1000)
            row.update({label: statistics.median(values) for label, values in times.items()})
            note = row.get("error") or (f"VERSCHIL: {row['differs']}" if row.get("differs") else "gelijk")
            print(f"  {row['request']}: " + "  ".join(f"{label} {row[label]:.0f} ms" for label in times)
                  + f"  ({note})", flush=True)
    return out


def print_requests(rows: list[dict]) -> dict[str, list[float]]:
    print("\n| request | PostgreSQL, planner (ms) | PostgreSQL, facts (ms) | DuckDB, facts (ms) | ratio planner | "
          "ratio facts | checked | load avg |\n| --- | --- | --- | --- | --- | --- | --- | --- |")
    ratios: dict[str, list[float]] = {"planner": [], "facts": []}
    for row in rows:
        if "refused" in row:
            print(f"| {row['request']} | refused by the catalogue | | | | | | |")
            continue
        if "error" in row:
            print(f"| {row['request']} | {row['pg']:.0f} | {row['pg facts']:.0f} | error: {row['error']} | | | | "
                  f"{row['load average']:.2f} |")
            continue
        planner, facts = row["pg"] / row["duckdb"], row["pg facts"] / row["duckdb"]
        ratios["planner"].append(planner)
        ratios["facts"].append(facts)
        checked = f"differs: {row['differs']}" if row["differs"] else "equal"
        if row["facts differ"]:
            checked += f"; PostgreSQL facts differ from its planner: {row['facts differ']}"
        print(f"| {row['request']} | {row['pg']:.0f} | {row['pg facts']:.0f} | {row['duckdb']:.0f} | {planner:.2f} | "
              f"{facts:.2f} | {checked} | {row['load average']:.2f} |")
    return ratios


def worst(rows: list[dict], key: str) -> dict:
    timed_rows = [r for r in rows if "duckdb" in r]
    return max(timed_rows, key=lambda r: r[key] / r["duckdb"])


# --- main --------------------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--pg-url", default=os.environ.get("TEST_DATABASE_URL"))
    parser.add_argument("--prefix", default="engines_bench", help="PostgreSQL schemas <prefix>_product, <prefix>_copy")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds of the three loads")
    parser.add_argument("--repeat", type=int, default=3, help="interleaved runs per request after a warm-up")
    parser.add_argument("--skip-load", action="store_true", help="use the product schema an earlier run loaded")
    args = parser.parse_args()

    folder = demo_folder(args.scale, args.seed)
    size_mb = sum(p.stat().st_size for p in folder.glob("*.csv")) / 1e6
    rows = sum(sum(1 for _ in p.open("rb")) - 1 for p in folder.glob("*.csv"))
    print(f"# engines_bench: scale {args.scale}, {rows:,} rows, {size_mb:,.0f} MB of CSV; "
          f"{os.cpu_count()} cores; load average {load_average():.2f}\n")

    medians = {}
    if not args.skip_load:
        print("## 1. load (interleaved)")
        medians = print_loads(time_loads(args, folder))

    schema = f"{args.prefix}_product"
    sizes = disk_sizes(args.pg_url, schema)
    facts_mb = sum(v for k, v in sizes.items() if k in FACT_TABLES) / 1e6
    derived_mb = sum(v for k, v in sizes.items() if k not in FACT_TABLES) / 1e6

    print("\n## 2. requests (uncached; PostgreSQL vs DuckDB through duckdb-engine)")
    duck_path = WORKDIR / f"{args.prefix}_warehouse.duckdb"
    duck, copy_seconds = copy_to_duckdb(args.pg_url, schema, duck_path)
    duck_mb = duck_path.stat().st_size / 1e6
    print(f"copied the warehouse into DuckDB ({duck_mb:.0f} MB): facts and dimensions "
          f"{copy_seconds['facts and dimensions']:.1f} s, derived tables {copy_seconds['derived tables']:.1f} s "
          f"(load average {load_average():.2f})")
    pg = pg_engine(args.pg_url, schema, fresh=False)
    with pg.connect() as conn:
        wijk = conn.scalar(text("SELECT min(wijk_code) FROM wijken"))
    results = time_requests(pg, duck, args.repeat, wijk)
    ratios = print_requests(results)

    print("\n## 3. summary")
    errors = [r for r in results if "error" in r]
    differs = [r for r in results if r.get("differs")]
    refused = [r for r in results if "refused" in r]
    print(f"- requests: {len(results)} combinations, {len(refused)} refused by the catalogue, "
          f"{len(ratios['planner'])} timed on both, {len(errors)} failed on DuckDB, {len(differs)} differed")
    if ratios["planner"]:
        slow_p, slow_f = worst(results, "pg"), worst(results, "pg facts")
        slowest = max((r for r in results if "pg" in r), key=lambda r: r["pg"])
        print(f"- item 3, every request within 3× DuckDB and under 1 s: planner median "
              f"{statistics.median(ratios['planner']):.2f}×, worst {slow_p['pg'] / slow_p['duckdb']:.1f}× "
              f"({slow_p['request']}: {slow_p['pg']:.0f} vs {slow_p['duckdb']:.0f} ms); facts only median "
              f"{statistics.median(ratios['facts']):.2f}×, worst {slow_f['pg facts'] / slow_f['duckdb']:.1f}× "
              f"({slow_f['request']}); slowest on the planner's path {slowest['pg']:.0f} ms ({slowest['request']})")
    if medians:
        product, reference = medians["product: total"], (medians["plain PostgreSQL: bare COPY"]
                                                         + medians["plain PostgreSQL: keys + indexes"])
        print(f"- item 3, a full load within 2× plain COPY + indexes: {product:.1f} s vs {reference:.1f} s = "
              f"{product / reference:.1f}× (with the foreign keys and ANALYZE {medians['plain PostgreSQL: total']:.1f} s "
              f"= {product / medians['plain PostgreSQL: total']:.1f}×); DuckDB read_csv "
              f"{medians['DuckDB read_csv: total']:.1f} s = {product / medians['DuckDB read_csv: total']:.0f}×")
    print(f"- item 3, derived data at most half the facts: derived {derived_mb:.0f} MB = "
          f"{100 * derived_mb / facts_mb:.0f}% of the facts' {facts_mb:.0f} MB (tables with their indexes: "
          + ", ".join(f"{k} {v / 1e6:.0f}" for k, v in sorted(sizes.items(), key=lambda kv: -kv[1])[:5])
          + f" MB); the DuckDB file of all of it {duck_mb:.0f} MB")
    print("- item 3, adding one month of kosten within a minute: not measured here (bench/append_bench.py: "
          "`python -m data load MAP --toevoegen`)")
    print("- item 3, the SQLite default as fast as today: not measured here (bench/dashboard_bench.py)")
    duck.dispose()
    pg.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
