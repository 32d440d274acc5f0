"""`python -m kpi prognose --jaar 2026 [--backtest] [--json] [--peildatum YYYY-MM-DD] [--db URL]`:
the subcommand's arguments and its work; kpi/cli.py holds the parser and registers it."""
from __future__ import annotations

import argparse
import datetime as dt
import json

from data.cli_errors import iso_date, url_argument
from kpi.forecast.errors import ForecastError


class PrognoseUsageError(ValueError):
    """A bad argument of `prognose`: exit 2."""


def add_parser(sub) -> None:
    parser = sub.add_parser("prognose", help="jaarprognose van de totale kosten, met backtest")
    parser.add_argument("--jaar", metavar="JJJJ", help="het kalenderjaar van de prognose (verplicht)")
    parser.add_argument("--backtest", action="store_true",
                        help="ook de backtest tonen: hoe goed de prognose eerder was")
    parser.add_argument("--peildatum", metavar="JJJJ-MM-DD",
                        help="rekenen met de declaraties ontvangen t/m deze dag (standaard: de laatste ontvangstdatum)")
    parser.add_argument("--json", action="store_true", help="als één JSON-object (zie docs/prognose.md)")
    parser.add_argument("--db", metavar="URL", type=url_argument, help="database-URL (standaard: DATABASE_URL of de ingebouwde SQLite)")


def _year(raw: str | None) -> int:
    if raw is None:
        raise PrognoseUsageError("geef een jaar: --jaar JJJJ")
    text = raw.strip()
    if not (text.isdigit() and len(text) == 4 and 1900 <= int(text) <= 2999):
        raise PrognoseUsageError(f"--jaar: ongeldig jaar {raw!r}; gebruik vier cijfers, bijvoorbeeld 2026")
    return int(text)


def _day(raw: str | None) -> dt.date | None:
    return None if raw is None else iso_date(raw, "peildatum", PrognoseUsageError)


def run(args: argparse.Namespace) -> int:
    """The subcommand's work: arguments checked before the database is touched."""
    jaar, peildatum = _year(args.jaar), _day(args.peildatum)
    from data.bootstrap import ensure_warehouse
    from kpi import totals
    from kpi.forecast import output
    from kpi.forecast.backtest import backtest_cells
    from kpi.forecast.basis import check_peildatum, check_year, read_basis
    from kpi.forecast.origins import CALIBRATION_YEARS, YEARS, origins_for
    from kpi.forecast.year_forecast import forecast

    engine = ensure_warehouse(args.db, derive=totals.after_load, reads_only=True)
    try:
        with engine.connect() as conn:
            if peildatum is not None:
                check_peildatum(conn, peildatum)
            basis = read_basis(conn, first_year=jaar, peildatum=peildatum, years_back=YEARS + CALIBRATION_YEARS + 1)
            check_year(basis, jaar)
            history = origins_for(basis.cells, basis.current, basis.first_month, basis.corrected)
            result = forecast(conn, jaar, peildatum, history=history, basis=basis)
            tested = None
            if args.backtest:
                tested = backtest_cells(basis.cells, basis.current, basis.first_month, basis.corrected,
                                        history=history)
    finally:
        engine.dispose()
    if args.json:
        print(json.dumps(output.as_json(result, tested), ensure_ascii=False, indent=2))
    else:
        print(output.text(result, tested))
    return 0


BAD_INPUT = (PrognoseUsageError, ForecastError)
