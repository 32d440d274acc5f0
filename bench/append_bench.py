"""Benchmark (not a test), issue 20: adding one month of kosten to a loaded warehouse.

    python bench/append_bench.py --scale 700          # the base load takes ~25 minutes at this scale
    python bench/append_bench.py --scale 700 --skip-load   # again on the warehouse the first run left

On the demonstration set at `--scale` (generated once into bench/out/, bench_support.demo_folder):

1. The month: the kosten rows whose declaration was received (`ontvangen`) in the last month the
   data cover — what a gemeente's financial system delivers a month later: that month's costs and
   the late declarations and corrections of earlier months. The base: every file of the set, with
   kosten.csv without those rows. Both are written once into bench/out/.
2. The base is loaded as a gemeente would (`load_folder(..., derive=kpi.totals.rebuild)`) into a
   fresh schema `<prefix>` of --pg-url's database (skipped with --skip-load).
3. The month is added (`load_folder(..., toevoegen=True, derive=kpi.totals.rebuild)`), timed, and
   rolled back or kept (`--keep`); the stored KPI totals it leaves are checked against a full
   rebuild of the same KPIs on the same facts (in a transaction that is rolled back).
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import time
from pathlib import Path

from bench_support import demo_folder, load_average, pg_engine, wrapped  # also puts the project on sys.path


def split_month(folder: Path) -> tuple[Path, Path, str]:
    """(the base folder, the month's folder, the month as YYYY-MM), written once beside `folder`."""
    base, month_folder = folder.with_name(folder.name + "_base"), folder.with_name(folder.name + "_maand")
    marker = month_folder / "MAAND"
    if marker.exists():
        return base, month_folder, marker.read_text().strip()
    with (folder / "kosten.csv").open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        at = header.index("ontvangen")
        month = max(row[at][:7] for row in reader if row[at])
    base.mkdir(exist_ok=True)
    month_folder.mkdir(exist_ok=True)
    for path in folder.glob("*.csv"):
        if path.name != "kosten.csv":
            target = base / path.name
            if not target.exists():
                os.link(path, target)
    with (folder / "kosten.csv").open(newline="", encoding="utf-8") as handle, \
            (base / "kosten.csv").open("w", newline="", encoding="utf-8") as old, \
            (month_folder / "kosten.csv").open("w", newline="", encoding="utf-8") as new:
        reader = csv.reader(handle)
        header = next(reader)
        old_rows, new_rows = csv.writer(old), csv.writer(new)
        old_rows.writerow(header)
        new_rows.writerow(header)
        for row in reader:
            (new_rows if row[at][:7] == month else old_rows).writerow(row)
    marker.write_text(month)
    return base, month_folder, month


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--pg-url", default=os.environ.get("TEST_DATABASE_URL"))
    parser.add_argument("--prefix", default="append_bench", help="the PostgreSQL schema of the warehouse")
    parser.add_argument("--skip-load", action="store_true", help="use the warehouse an earlier run loaded")
    parser.add_argument("--only-load", action="store_true", help="load the base and stop")
    parser.add_argument("--rounds", type=int, default=1, help="add the month, check, and take it out again, so often")
    args = parser.parse_args()

    from data.db import migrate
    from data.warehouse.loader import load_folder
    from kpi import totals

    base, month_folder, month = split_month(demo_folder(args.scale, args.seed))
    rows = sum(1 for _ in (month_folder / "kosten.csv").open("rb")) - 1
    print(f"# append_bench: scale {args.scale}; the month {month}: {rows:,} kosten rows; {os.cpu_count()} cores")
    if not args.skip_load:
        engine = pg_engine(args.pg_url, args.prefix, fresh=True)
        migrate(engine)
        start = time.perf_counter()
        load_folder(engine, base, bron=f"append_bench {base.name}", derive=totals.after_load)
        print(f"base loaded in {time.perf_counter() - start:.1f} s")
        engine.dispose()
    if args.only_load:
        return 0
    engine = pg_engine(args.pg_url, args.prefix, fresh=False)
    migrate(engine)
    if month_is_in(engine, month_folder):
        take_out(engine)  # an earlier run's month
    for round_ in range(1, args.rounds + 1):
        print(f"\n## round {round_} (load average {load_average():.2f} before)")
        spans = add_month(engine, month_folder)
        print("| step | s |\n| --- | --- |")
        for name, seconds in spans.items():
            print(f"| {name} | {seconds:.1f} |")
        print(f"(load average {load_average():.2f})")
        check(engine)
        take_out(engine)
    engine.dispose()
    return 0


def month_is_in(engine, month_folder: Path) -> bool:
    from sqlalchemy import select

    from data.warehouse.schema import LoadLog

    with engine.connect() as conn:
        newest = conn.execute(select(LoadLog.aangevuld, LoadLog.bestanden).order_by(LoadLog.id.desc()).limit(1)).first()
    return bool(newest and newest.aangevuld and newest.bestanden)


def take_out(engine) -> None:
    """Undo the newest load, an added month (not the product's: the benchmark's, to run again):
    its kosten rows out, the kosten summaries of its months and years again from the facts, its
    load-log row replaced by one that names the same months without a file, and the stored totals
    brought back by the product's own step for such a row (`after_load`)."""
    import datetime as dt

    from sqlalchemy import delete, func, insert, or_, select

    from data.warehouse import summaries
    from data.warehouse.schema import KOSTEN_JEUGDIGE_JAAR, Kosten, LoadLog
    from kpi import totals

    start = time.perf_counter()
    with engine.begin() as conn:
        newest = conn.execute(select(LoadLog).order_by(LoadLog.id.desc()).limit(1)).first()
        added = newest.bestanden[0]["rijen"]
        highest = conn.scalar(select(func.max(Kosten.regel)))
        conn.execute(delete(Kosten).where(Kosten.regel > highest - added))
        months = [dt.date.fromisoformat(f"{m}-01") for m in newest.aangevuld["kosten"]]
        years = sorted({month.year for month in months})
        k = Kosten.__table__.c
        conn.execute(delete(KOSTEN_JEUGDIGE_JAAR).where(KOSTEN_JEUGDIGE_JAAR.c.jaar.in_(years)))
        conn.execute(insert(KOSTEN_JEUGDIGE_JAAR).from_select(
            summaries.KOSTEN_COLUMNS,
            summaries.kosten_per_jeugdige_jaar(
                of_kosten=or_(*(k.maand.between(dt.date(y, 1, 1), dt.date(y, 12, 1)) for y in years)))))
        conn.execute(delete(LoadLog).where(LoadLog.id == newest.id))
        conn.execute(insert(LoadLog).values(geladen_op=dt.datetime.now(), bron="append_bench: de maand eruit",
                                            bestanden=[], data_tot=newest.data_tot, aangevuld=newest.aangevuld))
        totals.after_load(conn)
    # As after any load (loader.refresh_statistics): without it the next round's index-only scans
    # meet the dead and new rows of the summaries and the step takes three times as long.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for table in ("kosten", KOSTEN_JEUGDIGE_JAAR.name, "kpi_totalen", "laadlog"):
            conn.exec_driver_sql(f'VACUUM ANALYZE "{table}"')
    print(f"(the month taken out again in {time.perf_counter() - start:.0f} s)")


def add_month(engine, month_folder: Path) -> dict[str, float]:
    """`python -m data load MONTH --toevoegen` as a function, timed in parts from outside."""
    from data.warehouse import loader, summaries
    from kpi import totals

    spans: dict[str, float] = {}
    with wrapped(totals, "after_load", spans, "stored KPI totals (after_load)"), \
            wrapped(summaries, "add_kosten", spans, "kosten summaries (add_kosten)"), \
            wrapped(loader, "refresh_statistics", spans, "VACUUM ANALYZE after commit"):
        start = time.perf_counter()
        report = loader.load_folder(engine, month_folder, bron=f"append_bench {month_folder.name}",
                                    derive=totals.after_load, toevoegen=True)
        total = time.perf_counter() - start
    spans = {label: seconds for label, seconds in spans.items() if not label.endswith(" ended")}
    print(f"added {report.rows['kosten']:,} kosten rows")
    parts = {"read + validate + insert, reference check, ANALYZE, load log": total - sum(spans.values()), **spans}
    return {"total": total, **parts}


def check(engine) -> None:
    """The stored rows of the KPIs the month changed against a full rebuild of those KPIs on the
    same facts (rolled back), and the kosten summary's month sums against the facts."""
    from sqlalchemy import select, text

    from data.warehouse.schema import KPI_TOTALEN, LoadLog
    from kpi import totals

    c = KPI_TOTALEN.c
    with engine.connect() as conn:
        months = conn.execute(select(LoadLog.aangevuld).order_by(LoadLog.id.desc()).limit(1)).scalar()["kosten"]
        kpi_ids = [k for k in totals.CATALOGUE if "kosten" in totals.reads_tables(k)]
        conn.rollback()
        with conn.begin() as transaction:
            def rows():
                return sorted(tuple(map(str, row)) for row in conn.execute(
                    select(c.kpi_id, c.van, c.tot, c.dimensie, c.sleutel, c.label, c.definitie, c.n, c.aggregaten)
                    .where(c.kpi_id.in_(kpi_ids), c.laadlog_id >= totals.first_counting_load())))
            after = rows()
            start = time.perf_counter()
            totals.rebuild(conn, kpi_ids=kpi_ids)
            rebuilt_seconds = time.perf_counter() - start
            again = rows()
            transaction.rollback()
        differing = conn.scalar(text(
            "SELECT count(*) FROM (SELECT maand, sum(bedrag_cent) AS s FROM kosten WHERE maand = ANY(:m) GROUP BY maand) f "
            "FULL JOIN (SELECT make_date(jaar, maand, 1) AS maand, sum((ARRAY[m01, m02, m03, m04, m05, m06, m07, m08, "
            "m09, m10, m11, m12])[maand]) AS s FROM kosten_jeugdige_jaar, generate_series(1, 12) AS maand "
            "GROUP BY 1) m USING (maand) WHERE maand = ANY(:m) AND f.s IS DISTINCT FROM m.s"),
            {"m": [dt.date.fromisoformat(f"{month}-01") for month in months]})
    print(f"- the month touched {len(months)} months ({months[0]} to {months[-1]}); stored rows of "
          f"{', '.join(kpi_ids)}: {len(after):,}, equal to a full rebuild of them: {after == again} "
          f"(that rebuild: {rebuilt_seconds:.1f} s); the kosten summary's month sums differing from the facts: {differing}")


if __name__ == "__main__":
    raise SystemExit(main())
