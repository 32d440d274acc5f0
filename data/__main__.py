"""`python -m data`: load a folder, load the demonstration set, migrate the warehouse, back up
and restore the programme tables, manage accounts, or export and import the targets
(`targets`, data/programme/targets_cli.py).

Contract: cli.md. Exit status 0 on success; 2 for bad input (every problem as
`FILE:LINE: column: message` on stderr, at most 50 and nothing else; how many more there were
and "Niets geladen: N problemen." on stdout) and bad arguments or a bad
database URL; 1 for anything else, as one line `fout: ...` on stderr (data/cli_errors.py). No
traceback reaches the user.
The summary goes to stdout, warnings to stderr.
"""
from __future__ import annotations

import argparse
import sys
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path
from typing import Callable

from data.cli_errors import EXIT_BAD_INPUT, EXIT_OK, CommandError, DutchArgumentParser, run_command, url_argument


def _parser() -> argparse.ArgumentParser:
    parser = DutchArgumentParser(
        prog="python -m data", description="Het warehouse van de Jeugdmonitor vullen en bijwerken.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMANDO")

    def with_db(sub: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sub.add_argument("--db", metavar="URL", type=url_argument,
                         help="SQLAlchemy database-URL (standaard: DATABASE_URL, anders de ingebouwde SQLite)")
        return sub

    load = with_db(commands.add_parser("load", help="een map met CSV-bestanden laden"))
    load.add_argument("folder", metavar="MAP", help="map met bestanden in het importformaat")
    load.add_argument("--toevoegen", action="store_true",
                      help="de kostenregels van kosten.csv toevoegen aan de kosten in het warehouse "
                           "(bijvoorbeeld de declaraties van een nieuwe maand) in plaats van de tabel te vervangen")
    load_ijw = with_db(commands.add_parser(
        "load-ijw", help="een map met iJw-berichten (XML, release 3.2) laden; sleutel in PSEUDONIEM_SLEUTEL"))
    load_ijw.add_argument("folder", metavar="MAP", help="map met iJw-berichten (.xml, ook in submappen)")
    load_ijw.add_argument("--postcodes", metavar="BESTAND",
                          help="CSV met postcode en wijk_code: de wijk van de cliënt (docs/ijw.md)")
    load_ijw.add_argument("--producten", metavar="BESTAND",
                          help="CSV met productcategorie, productcode, hulpvorm, verblijfsvorm: de regionale producten")
    load_ijw.add_argument("--xsd", metavar="MAP",
                          help="map met de officiële iJw-XSD's (met basisschema.xsd): ook daartegen controleren")
    demo = with_db(commands.add_parser("demo", help="de demonstratiedata laden"))
    demo.add_argument("--seed", type=int, default=2025, help="startwaarde van de generator (standaard 2025)")
    demo.add_argument("--scale", type=_scale, default=1, metavar="N",
                      help="Huizen en N−1 verzonnen gemeenten van dezelfde vorm (voor metingen; standaard 1)")
    demo.add_argument("--ijw", metavar="MAP",
                      help="niet laden, maar als iJw-berichten (+ postcodetabel en CSV) in MAP schrijven")
    demo.add_argument("--steekproef", type=_scale, default=1, metavar="N",
                      help="met --ijw: alleen elke N-de jeugdige (een kleine proefset; standaard 1: iedereen)")
    with_db(commands.add_parser("migrate", help="het schema bijwerken naar de nieuwste versie"))
    backup = with_db(commands.add_parser("backup", help="de programmatabellen (streefwaarden, audit) naar een bestand"))
    backup.add_argument("file", metavar="BESTAND")
    restore = with_db(commands.add_parser("restore", help="de programmatabellen herstellen uit een back-up"))
    restore.add_argument("file", metavar="BESTAND")
    from data.accounts.users_cli import add_parser as add_users_parser
    from data.programme.targets_cli import add_parser as add_targets_parser

    add_users_parser(commands, with_db)
    add_targets_parser(commands, with_db)
    return parser


@contextmanager
def _warehouse(url: str | None, create: bool = True, reads_only: bool = False):
    """The migrated warehouse for a command. `create=False` for a command that reads or edits one:
    a SQLite file that is not there is refused, not made empty; `reads_only=True` for one that only
    reads it (a back-up, an export): a database without any table is refused too, not migrated.
    When the command fails, what opening the warehouse made goes again: a SQLite file and folders
    it made are removed, and a database that held no table (a new PostgreSQL database, an empty
    file) loses the tables the migration made. A refused command leaves nothing behind."""
    from sqlalchemy.exc import SQLAlchemyError

    from data.bootstrap import refuse_no_warehouse
    from data.db import (
        drop_every_table,
        holds_no_table,
        make_engine,
        migrate,
        refuse_missing_file,
        refuse_no_sqlite_file,
        resolve_url,
        sqlite_file,
    )

    if not create or reads_only:
        refuse_missing_file(url)
    refuse_no_sqlite_file(url)
    path = sqlite_file(url)
    made = None if path is None or path.exists() else path.resolve()
    new_folders = [] if made is None else [f for f in made.parents if not f.exists()]
    try:
        engine = make_engine(resolve_url(url))
        migrated_here = False
        try:
            if reads_only:
                refuse_no_warehouse(engine, resolve_url(url))
            migrated_here = made is None and holds_no_table(engine)
            migrate(engine)
            yield engine
        except BaseException:
            if migrated_here:
                with suppress(SQLAlchemyError):  # (the database gone): the command's own error is the one to tell
                    drop_every_table(engine)
            raise
        finally:
            engine.dispose()  # before a removal: no connection left on the file
    except BaseException:
        if made is not None:
            _remove_new_warehouse(made, new_folders)
        raise


def _remove_new_warehouse(path: Path, new_folders: list[Path]) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with suppress(OSError):  # not made after all (e.g. a file where its folder should be)
            Path(f"{path}{suffix}").unlink()
    for folder in new_folders:  # innermost first, and only while empty
        try:
            folder.rmdir()
        except OSError:
            break


def _print_summary(report, source: str, toegevoegd: bool = False) -> None:
    from data.warehouse.schema import IMPORT_TABLES

    print(f"{'Toegevoegd' if toegevoegd else 'Geladen'} uit {source}:")
    for table in IMPORT_TABLES:
        if table in report.rows:
            count = report.rows[table]
            print(f"  {table:<13} {count:>10,} {'rij' if count == 1 else 'rijen'}".replace(",", "."))
    if report.data_tot is not None:
        print(f"Gegevens tot en met {report.data_tot.isoformat()}.")
    for warning in report.warnings:
        print(f"waarschuwing: {warning}", file=sys.stderr)


def _kpi_totals():
    """The KPI layer's stored totals, computed in the load's transaction (kpi/totals.py
    `after_load`). Imported when a load runs, never when this package loads: data/ does not
    depend on kpi/."""
    from kpi.totals import after_load

    return after_load


def _load(args) -> int:
    from pathlib import Path

    from data.warehouse.loader import find_files, load_folder

    find_files(Path(args.folder))  # a wrong folder fails before the database is touched
    with _warehouse(args.db) as engine:
        report = load_folder(engine, args.folder, derive=_kpi_totals(), toevoegen=args.toevoegen)
    _print_summary(report, args.folder, toegevoegd=args.toevoegen)
    return EXIT_OK


def _load_ijw(args) -> int:
    from pathlib import Path

    from data.warehouse.ijw.loader import find_message_files, load_ijw_folder
    from data.warehouse.ijw.pseudonym import KeyProblem, key_from_environment

    try:
        key = key_from_environment()
    except KeyProblem as exc:
        raise CommandError(str(exc), code=EXIT_BAD_INPUT) from None
    find_message_files(Path(args.folder))  # a wrong folder fails before the database is touched
    with _warehouse(args.db) as engine:
        result = load_ijw_folder(engine, args.folder, key, postcodes=args.postcodes, derive_totals=_kpi_totals(),
                                 xsd=args.xsd, producten=args.producten)
    added = ", ".join(f"{kind} {n}" for kind, n in sorted(result.stored.added.items())) or "geen"
    print(f"{result.messages} berichtbestanden gelezen; nieuw: {added}; al geladen: {result.stored.known}.")
    _print_summary(result.load, args.folder)
    return EXIT_OK


def _scale(raw: str) -> int:
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= 1000:
        raise argparse.ArgumentTypeError(f"ongeldige schaal {raw!r}; geef een geheel getal van 1 tot en met 1000")
    return int(raw)


def _demo(args) -> int:
    if args.ijw:
        return _demo_ijw(args)
    if args.steekproef != 1:
        raise CommandError("--steekproef hoort bij --ijw", code=EXIT_BAD_INPUT)
    try:
        from data.warehouse.demo import load_demo
    except ImportError as exc:
        raise CommandError(f"de demonstratiedata is niet beschikbaar ({exc})") from None
    with _warehouse(args.db) as engine:
        report = load_demo(engine, seed=args.seed, scale=args.scale, derive=_kpi_totals())
    scale = f", schaal {args.scale}" if args.scale > 1 else ""
    _print_summary(report, f"de demonstratiedata (seed {args.seed}{scale})")
    return EXIT_OK


def _demo_ijw(args) -> int:
    from data.warehouse.ijw.demo_messages import write_demo_messages

    counts = write_demo_messages(args.ijw, seed=args.seed, scale=args.scale, keep_one_in=args.steekproef)
    print(f"iJw-berichten geschreven in {args.ijw}/berichten: "
          + ", ".join(f"{kind} {n}" for kind, n in sorted(counts.items())))
    # into an empty warehouse: in a filled one (the embedded demonstration database) the trajecten
    # already there belong to other data, and both loads are refused for their references
    target = args.db or f"sqlite:///{Path(args.ijw).resolve() / 'warehouse.db'}"
    print(f"Laden in een nieuw, leeg warehouse (in een gevuld warehouse, zoals de ingebouwde "
          f"demonstratie-database, horen de trajecten bij andere gegevens); de sleutel staat in "
          f"PSEUDONIEM_SLEUTEL:\n  python -m data load {args.ijw}/csv --db {target}\n"
          f"  python -m data load-ijw {args.ijw}/berichten --postcodes {args.ijw}/postcodes.csv "
          f"--producten {args.ijw}/producten.csv --db {target}\n"
          f"  python -m data users add beheerder --naam Beheerder --rol programmamanager --db {target}\n"
          f"Bekijken: DATABASE_URL={target} python app.py")
    return EXIT_OK


def _migrate(args) -> int:
    from data.db import current_revision

    with _warehouse(args.db) as engine:
        print(f"Schema bijgewerkt; versie {current_revision(engine)}.")
    return EXIT_OK


def _backup(args) -> int:
    from data.cli_errors import CommandError, write_problem
    from data.programme.backup import backup_programme

    with _warehouse(args.db, reads_only=True) as engine:
        try:
            counts = backup_programme(engine, args.file)
        except OSError as exc:  # a folder that does not exist, a folder given as the file, no rights
            raise CommandError(write_problem(args.file, exc), 1) from None
    print(f"Back-up geschreven naar {args.file}: " + ", ".join(f"{t} {n}" for t, n in counts.items()))
    print("Het bestand is alleen leesbaar voor de eigenaar (rechten 600): het bevat de wachtwoord-hashes "
          "van de accounts.")
    return EXIT_OK


def _restore(args) -> int:
    from data.programme.backup import read_backup, restore_programme

    read_backup(args.file)  # a bad file fails before the database is touched
    with _warehouse(args.db) as engine:
        counts = restore_programme(engine, args.file)
    print(f"Hersteld uit {args.file}: " + ", ".join(f"{t} {n}" for t, n in counts.items()))
    return EXIT_OK


def _users(args) -> int:
    from data.accounts.users_cli import run

    with _warehouse(args.db, create=False) as engine:
        return run(args, engine)


def _targets(args) -> int:
    from data.programme.targets_cli import run

    with ExitStack() as opened:  # the warehouse is opened only once the file has been read
        return run(args, lambda: opened.enter_context(
            _warehouse(args.db, create=False, reads_only=args.targets_command == "export")))


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "load": _load, "load-ijw": _load_ijw, "demo": _demo, "migrate": _migrate, "backup": _backup, "restore": _restore,
    "users": _users, "targets": _targets}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)  # bad arguments: argparse exits with 2
    from data.accounts.users import UserError
    from data.db import DatabaseUrlError
    from data.programme.backup import BackupError

    return run_command(lambda: COMMANDS[args.command](args),
                       bad_input=(UserError, BackupError, DatabaseUrlError))


if __name__ == "__main__":
    sys.exit(main())
