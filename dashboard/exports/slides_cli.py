"""`python -m dashboard.exports.slides_pptx --jaar 2025 --uit presentatie.pptx [--db URL]`: the
presentation as a PowerPoint file, from the command line.

Exit status: 0 written; 2 bad input (year, database URL, output path; message on stderr); 1 any
other failure. No traceback reaches the user.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Sequence

from data.cli_errors import url_argument


class UsageError(Exception):
    """Bad arguments: exit 2."""


ARGPARSE_DUTCH = (  # argparse speaks English; its usual complaints in Dutch
    (re.compile(r"unrecognized arguments: (.*)"), r"onbekend argument: \1"),
    (re.compile(r"the following arguments are required: (.*)"), r"verplicht: \1"),
    (re.compile(r"argument (\S+): expected one argument"), r"\1 verwacht een waarde"),
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's own errors: exit 2 with one Dutch line
        for pattern, dutch in ARGPARSE_DUTCH:
            message = pattern.sub(dutch, message)
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m dashboard.exports.slides_pptx",
                     description="De presentatie voor de commissie als PowerPoint-bestand (.pptx).")
    parser.add_argument("--jaar", metavar="JJJJ", help="het jaar van de voortgang (standaard: het laatste complete jaar)")
    parser.add_argument("--uit", metavar="BESTAND", required=True, help="waar het .pptx-bestand komt")
    parser.add_argument("--db", metavar="URL", type=url_argument, help="database-URL (standaard: DATABASE_URL of de ingebouwde SQLite)")
    return parser


def _output_path(raw: str) -> Path:
    path = Path(raw)
    if path.suffix.lower() != ".pptx":
        raise UsageError(f"--uit: {raw!r} moet eindigen op .pptx")
    if not path.parent.is_dir():
        raise UsageError(f"--uit: de map {str(path.parent)!r} bestaat niet")
    return path


def write_presentation(args) -> Path:
    from dashboard.exports.slides import build_deck, choose_year
    from dashboard.exports.slides_pptx import render
    from dashboard.programme.progress import read_programme
    from dashboard.server.runtime import years_available
    from data.bootstrap import ensure_warehouse
    from data.programme.stand_store import list_dias
    from kpi import totals
    from kpi.service import KpiService

    path = _output_path(args.uit)
    engine = ensure_warehouse(args.db, derive=totals.after_load, reads_only=True)
    try:
        service = KpiService(engine)
        years, default = years_available(service)
        jaar = choose_year(args.jaar, years, default)
        content = render(build_deck(service, read_programme(engine, vastgesteld_only=True), jaar,
                                    dias=list_dias(engine)))
    finally:
        engine.dispose()
    path.write_bytes(content)
    return path


def main(argv: Sequence[str] | None = None) -> int:
    from dashboard.exports.slides import YearError
    from data.cli_errors import run_command
    from data.db import DatabaseUrlError
    from kpi.settings import SettingError, check_disclosure_settings

    def work() -> int:
        check_disclosure_settings()
        path = write_presentation(build_parser().parse_args(argv))
        print(f"presentatie geschreven: {path}")
        return 0
    return run_command(work, bad_input=(UsageError, YearError, DatabaseUrlError, SettingError))


if __name__ == "__main__":
    sys.exit(main())
