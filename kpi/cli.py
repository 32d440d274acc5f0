"""`python -m kpi list|show|kostengroei|prognose` (contract: cli.md; `kostengroei`:
kpi/cost_growth_cli.py; `prognose`: kpi/forecast/cli.py and docs/prognose.md).

Exit status: 0 success; 2 bad input or arguments (message on stderr); 1 any other failure.
No traceback reaches the user.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import Sequence

from data.cli_errors import DutchArgumentParser, dutch_argparse_message, iso_date, run_command, url_argument
from kpi import cost_growth_cli, privacy
from kpi import format as fmt
from kpi.catalogue import AXIS_NAMES, CATALOGUE
from kpi.computation import compute
from kpi.dimensions import DIMENSIONS
from kpi.forecast import cli as forecast_cli
from kpi.periods import PER_VALUES, year_period
from kpi.request import KpiRequest, KpiRequestError
from kpi.settings import SettingError, check_disclosure_settings


class UsageError(Exception):
    """Bad arguments: exit 2."""


class _Parser(DutchArgumentParser):
    """Dutch help and refusals (data/cli_errors.py); a refusal is a UsageError, exit 2."""

    def error(self, message: str):  # argparse's own errors: exit 2 with our wording
        raise UsageError(dutch_argparse_message(message))


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m kpi", description="KPI's van de Jeugdmonitor berekenen.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser, metavar="COMMANDO")

    lst = sub.add_parser("list", help="de KPI-catalogus tonen")
    lst.add_argument("--json", action="store_true", help="als JSON")
    # every command takes --db (cli.md); the catalogue is the same for every warehouse, so it is
    # checked as a URL but not opened
    lst.add_argument("--db", metavar="URL", type=url_argument, help="database-URL (de catalogus is voor elk warehouse dezelfde)")

    show = sub.add_parser("show", help="één KPI berekenen")
    show.add_argument("kpi_id", metavar="KPI_ID")
    show.add_argument("--jaar", type=int, metavar="JJJJ", help="een kalenderjaar")
    show.add_argument("--van", metavar="JJJJ-MM-DD", help="eerste dag van de periode")
    show.add_argument("--tot", metavar="JJJJ-MM-DD", help="laatste dag van de periode (inclusief)")
    show.add_argument("--by", metavar="DIMENSIE", help="uitsplitsen naar deze dimensie")
    show.add_argument("--per", choices=PER_VALUES, help="onderverdelen in jaren, kwartalen of maanden")
    show.add_argument("--where", action="append", default=[], metavar="DIMENSIE=CODE",
                      help="filter (herhaalbaar; DIMENSIE= kiest de lege groep)")
    show.add_argument("--json", action="store_true", help="als JSON (zie cli.md)")
    show.add_argument("--no-suppress", action="store_true",
                      help="kleine aantallen niet afschermen (alleen met directe databasetoegang)")
    show.add_argument("--db", metavar="URL", type=url_argument, help="database-URL (standaard: DATABASE_URL of de ingebouwde SQLite)")

    cost_growth_cli.add_parser(sub)
    forecast_cli.add_parser(sub)
    return parser


def _period(args) -> tuple[dt.date, dt.date]:
    if args.jaar is not None:
        if args.van or args.tot:
            raise UsageError("gebruik --jaar of --van/--tot, niet beide")
        if not 1900 <= args.jaar <= 2999:
            raise UsageError(f"--jaar: ongeldig jaar {args.jaar}")
        return year_period(args.jaar)
    if not (args.van and args.tot):
        raise UsageError("geef een periode: --jaar JJJJ, of --van JJJJ-MM-DD en --tot JJJJ-MM-DD")
    return iso_date(args.van, "van", UsageError), iso_date(args.tot, "tot", UsageError)


def _where(items: Sequence[str]) -> dict[str, str]:
    where: dict[str, str] = {}
    for item in items:
        if "=" not in item:
            raise UsageError(f"--where {item!r}: gebruik DIMENSIE=CODE")
        dimension, value = item.split("=", 1)
        dimension = dimension.strip()
        if dimension not in DIMENSIONS:
            raise UsageError(f"--where: onbekende dimensie {dimension!r}; kies uit: {', '.join(DIMENSIONS)}")
        if dimension in where:
            raise UsageError(f"--where: dimensie {dimension!r} staat er twee keer in")
        where[dimension] = value
    return where


def _catalogue_json() -> list[dict]:
    return [{
        "id": k.id, "naam": k.naam, "as": k.as_, "eenheid": k.eenheid, "richting": k.richting,
        "breakdowns": list(k.breakdowns), "filters": list(k.filters), "per": list(k.per_toegestaan),
        "definitie": k.definitie, "n": k.n_omschrijving,
        "benchmarks": [{"waarde": b.waarde, "jaar": b.jaar, "bron": b.bron} for b in k.benchmarks],
    } for k in CATALOGUE.values()]


def _print_list(as_json: bool) -> None:
    if as_json:
        print(json.dumps(_catalogue_json(), ensure_ascii=False, indent=2))
        return
    for axis, axis_name in AXIS_NAMES.items():
        print(axis_name)
        for k in CATALOGUE.values():
            if k.as_ == axis:
                print(f"  {k.id:<28} {k.naam}")


def _print_table(result) -> None:
    data = result.to_dict()
    kpi = result.kpi
    title = f"{kpi.naam} — {fmt.periode(result.request.van, result.request.tot)}"
    if data["by"]:
        title += f", per {DIMENSIONS[data['by']].naam.lower()}"
    if data["where"]:
        title += ", filter: " + ", ".join(f"{d}={v or '(leeg)'}" for d, v in data["where"].items())
    print(title)
    threshold = data["min_cell_size"]
    lines = [("periode", "groep", "waarde", "n")]
    for row in result.rows:
        group = row.label if row.key is None else f"{row.label} ({row.key})"
        lines.append((row.periode or "", group,
                      fmt.value(row.value, kpi.eenheid, suppressed=row.suppressed, threshold=threshold),
                      "" if row.n is None else fmt.number(row.n)))
    widths = [max(len(line[i]) for line in lines) for i in range(4)]
    for line in lines:
        print(f"{line[0]:<{widths[0]}}  {line[1]:<{widths[1]}}  {line[2]:>{widths[2]}}  {line[3]:>{widths[3]}}")
    if any(r.suppressed for r in result.rows):
        print(f"<{threshold}: afgeschermd, gebaseerd op minder dan {threshold} jeugdigen of antwoorden "
              "(of af te leiden uit andere groepen of weergaven).")
    if threshold is not None and result.request.detailed and (result.request.afronding or 1) > 1:
        print(privacy.explain_rounding(result.request.afronding))


def _show(args) -> None:
    van, tot = _period(args)
    request = KpiRequest(args.kpi_id, van, tot, by=args.by, per=args.per, where=_where(args.where),
                         suppress=not args.no_suppress)
    from kpi.request import resolve

    resolve(request)  # refuse a bad request before touching the database
    from data.bootstrap import ensure_warehouse
    from kpi import totals

    engine = ensure_warehouse(args.db, derive=totals.after_load, reads_only=True)
    try:
        result = compute(engine, request)
    finally:
        engine.dispose()
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        _print_table(result)


def main(argv: Sequence[str] | None = None) -> int:
    from data.db import DatabaseUrlError

    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")

    def work() -> int:
        args = build_parser().parse_args(argv)
        check_disclosure_settings()  # an invalid MIN_CELL_SIZE or AFRONDING stops every command
        if args.command == "list":
            if args.db is not None:
                from data.db import normalise_url

                normalise_url(args.db)  # a URL of a database the product cannot use is refused
            _print_list(args.json)
        elif args.command == cost_growth_cli.COMMAND:
            cost_growth_cli.run(args, _where(args.where))
        elif args.command == "prognose":
            return forecast_cli.run(args)
        else:
            _show(args)
        return 0
    return run_command(work, bad_input=(UsageError, KpiRequestError, SettingError, DatabaseUrlError,
                                        *forecast_cli.BAD_INPUT))
