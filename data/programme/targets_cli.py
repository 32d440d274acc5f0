"""`python -m data targets …`: the programme's targets as a CSV file for Excel, and back.

    python -m data targets export BESTAND [--db URL]
    python -m data targets import BESTAND --door GEBRUIKERSNAAM --reden "…" [--db URL]

The work is done by dashboard.programme.targets_csv (it needs the KPI catalogue for units). data/ does not depend
on kpi/, so it is imported here only when the command runs, never when the package loads.

Exit status: 0 done; 2 bad input — every problem of the file as `FILE:LINE: column: message`
(at most 50 plus a count) and "Niets geïmporteerd: N problemen." (with " Ook: geef een reden …"
when the reason is missing or too long as well, in the words of /beheer's upload), or an unknown
or blocked account, or no reason; 1 anything else, such as an account that is not the programmamanager's
(the import is refused) or a file that cannot be written.
"""
from __future__ import annotations

import sys
from pathlib import Path

from data.cli_errors import CommandError, os_reason, write_problem


def add_parser(commands, with_db) -> None:
    targets = commands.add_parser("targets", help="streefwaarden naar en van een CSV-bestand (Excel)")
    sub = targets.add_subparsers(dest="targets_command", required=True, metavar="ACTIE")
    export = with_db(sub.add_parser("export", help="nulmeting en streefwaarden naar een CSV-bestand"))
    export.add_argument("file", metavar="BESTAND")
    imp = with_db(sub.add_parser("import", help="nulmeting en streefwaarden uit een CSV-bestand "
                                                "(alles of niets, elke wijziging in de historie)"))
    imp.add_argument("file", metavar="BESTAND")
    imp.add_argument("--door", required=True, metavar="GEBRUIKERSNAAM",
                     help="het account van de programmamanager dat importeert (staat in de historie)")
    imp.add_argument("--reden", required=True, help="waarom de waarden wijzigen (staat bij elke wijziging)")


def _account(engine, gebruikersnaam: str):
    """The active account with this name (UserError, exit 2, when unknown or blocked)."""
    from sqlalchemy import select

    from data.accounts.schema import Gebruiker
    from data.accounts.users import UserError, load_user

    with engine.connect() as conn:
        user_id = conn.scalar(select(Gebruiker.id).where(Gebruiker.gebruikersnaam == gebruikersnaam))
    if user_id is None:
        raise UserError(f"gebruiker {gebruikersnaam!r} bestaat niet")
    user = load_user(engine, user_id)
    if user is None:
        raise UserError(f"gebruiker {gebruikersnaam!r} is geblokkeerd")
    return user


def run(args, open_engine) -> int:
    """Run the command; `open_engine()` gives the (migrated) warehouse engine. The file's problems
    (TargetsImportError), refusals (CommandError) and other errors are printed by
    data.cli_errors.run_command in data.__main__.main."""
    from dashboard.programme import targets_csv

    if args.targets_command == "export":
        return _export(args, open_engine, targets_csv)
    return _import(args, open_engine, targets_csv)


def _export(args, open_engine, targets_csv) -> int:
    engine = open_engine()
    try:
        data = targets_csv.export_targets(engine)
    finally:
        engine.dispose()
    try:
        Path(args.file).write_bytes(data)
    except OSError as exc:
        raise CommandError(write_problem(args.file, exc), 1) from None
    rows = data.count(b"\r\n") - 1
    print(f"Streefwaarden van {rows} {'indicator' if rows == 1 else 'indicatoren'} geschreven naar {args.file}.")
    return 0


def _import(args, open_engine, targets_csv) -> int:
    try:
        return _import_file(args, open_engine, targets_csv)
    except targets_csv.TargetsImportError as exc:  # a wrong reason too: both at once, as the upload says
        exc.with_reason(args.reden)
        raise


def _import_file(args, open_engine, targets_csv) -> int:
    from data.accounts.permissions import PermissionDenied
    from data.programme.edits import EditError
    from data.warehouse.loader import Problem

    try:  # a file that cannot be read, or is too large, fails before the database is touched
        too_large = targets_csv.size_problem(Path(args.file).stat().st_size)
        if too_large is not None:  # refused before it is read into memory
            raise targets_csv.TargetsImportError([Problem(args.file, 1, "bestand", too_large)])
        data = Path(args.file).read_bytes()
    except OSError as exc:
        raise targets_csv.TargetsImportError(
            [Problem(args.file, 1, "bestand", f"het bestand is niet te lezen ({os_reason(exc)})")]) from None
    engine = open_engine()
    try:
        user = _account(engine, args.door)
        report = targets_csv.import_targets(engine, user, data, args.file, args.reden)
    except PermissionDenied as exc:
        raise CommandError(f"{args.door}: {exc}", 1) from None
    except targets_csv.TargetsImportError:
        raise
    except EditError as exc:  # no reason, or too long a one
        raise CommandError(str(exc), 2) from None
    finally:
        engine.dispose()
    for warning in report.warnings:
        print(f"waarschuwing: {warning}", file=sys.stderr)
    print(f"Geïmporteerd door {user.gebruikersnaam}: {report.summary}")
    for change in report.changes:
        print(f"  {change}")
    return 0
