"""First start: a warehouse that is ready to use.

`ensure_warehouse(url)` resolves the URL (--db, DATABASE_URL, embedded default), brings the schema
to the newest version, and — only for the embedded default SQLite file — fills an empty warehouse
with the demonstration data and the Programmaplan, makes one demo account per role (printed
once, kept in instance/demo-accounts.txt) and replays a year and three quarters of reporting
(data/programme/demo_programme.py), so `python app.py` works with no set-up and shows a running programme.
A production database (DATABASE_URL) is never filled with demonstration data.
"""
from __future__ import annotations

import secrets
import sys
from pathlib import Path

from sqlalchemy import Engine, func, select

from data.cli_errors import COMMAND_LINE_SETTING
from data.db import (
    DatabaseUrlError,
    default_url,
    make_engine,
    migrate,
    normalise_url,
    refuse_missing_file,
    refuse_no_sqlite_file,
    resolve_url,
    table_names,
)
from data.warehouse.schema import Traject


def is_embedded_default(url: str) -> bool:
    return normalise_url(url) == normalise_url(default_url())


NEW_WAREHOUSE = "een nieuw warehouse maakt u met python -m data load of python -m data demo"
NO_WAREHOUSE = (f"de database bevat geen warehouse (geen enkele tabel); controleer {COMMAND_LINE_SETTING} "
                f"({NEW_WAREHOUSE})")
#: tables one of which every warehouse holds: Alembic's revision (every released schema has it)
#: and the trajecten
WAREHOUSE_MARKS = ("alembic_version", "trajecten")


def refuse_no_warehouse(engine: Engine, resolved: str) -> None:
    """For a command that only reads: a database that holds no table at all (a new PostgreSQL
    database, an empty file), or only tables of something else (another application's file), is
    refused, not migrated and answered from; the embedded default is not, as its first start fills
    it."""
    if is_embedded_default(resolved):
        return
    tables = table_names(engine)
    if not tables:
        raise DatabaseUrlError(NO_WAREHOUSE)
    if not any(mark in tables for mark in WAREHOUSE_MARKS):
        shown = ", ".join(sorted(tables)[:3]) + (" …" if len(tables) > 3 else "")
        raise DatabaseUrlError(
            f"de database bevat geen warehouse van de Jeugdmonitor (wel andere tabellen: {shown}); "
            f"controleer {COMMAND_LINE_SETTING} ({NEW_WAREHOUSE})")


def ensure_warehouse(url: str | None = None, derive=None, demo_accounts: bool = True,
                     create: bool = True, reads_only: bool = False,
                     setting: str = COMMAND_LINE_SETTING) -> Engine:
    """`create=False`: refuse a SQLite file that is not there (data.db.refuse_missing_file) instead
    of making an empty warehouse; the embedded default is made and filled either way.
    `reads_only=True` (implies `create=False`), for a command that only reads: also refuse a database
    without any table (refuse_no_warehouse), rather than a report, a KPI or an e-mail of nothing.
    `derive`: computes the KPI layer's tables with a first-start load (data.warehouse.loader.load_folder).
    `demo_accounts`: make the embedded default's demo accounts (not when nobody could log in with
    them: the app with local accounts switched off).
    `setting`: where the URL was set, for a refusal's advice (the app: DATABASE_URL)."""
    resolved = resolve_url(url)
    if not create or reads_only:
        refuse_missing_file(resolved, setting)
    refuse_no_sqlite_file(resolved, setting)
    engine = make_engine(resolved)
    if reads_only:
        try:
            refuse_no_warehouse(engine, resolved)
        except BaseException:
            engine.dispose()
            raise
    migrate(engine)
    if is_embedded_default(resolved):
        from data.programme.demo_programme import PLAN_START, play
        from data.programme.plan import load_programme, programme_is_loaded

        # the plan first (recorded as of its start), so the demonstration data find it loaded
        fresh_programme = not programme_is_loaded(engine)
        if fresh_programme:
            load_programme(engine, op=PLAN_START)
        with engine.connect() as conn:
            empty = not conn.scalar(select(func.count()).select_from(Traject))
        if empty:
            from data.warehouse.demo import load_demo

            load_demo(engine, derive=derive)
        if demo_accounts:
            ensure_demo_accounts(engine)
        if fresh_programme:  # a running programme to look at: reports, vastgestelde quarters, notes
            play(engine)
    return engine


# Demo accounts of the embedded default: one per role, so a newcomer can try every part.
DEMO_ACCOUNTS = (
    ("programmamanager", "Programmamanager Jeugd (demo)", "programmamanager", ()),
    ("trekker", "Beleidsadviseur jeugd (demo)", "trekker", ("Beleidsadviseur jeugd",)),
    ("raadslid", "Raadslid (demo)", "lezer", ()),
)
def demo_accounts_file() -> Path:
    """Beside the embedded default database (read at call time, so a moved default — as in the
    tests — takes its accounts file along instead of writing into the project's instance/)."""
    from data import db

    return db.DEFAULT_SQLITE_PATH.parent / "demo-accounts.txt"


def ensure_demo_accounts(engine: Engine) -> None:
    """On the embedded default only: when no account exists yet, make the demo accounts with
    random passwords, print them once and keep them in instance/demo-accounts.txt (mode 600).
    The trekker account gets the maatregelen whose trekker is "Beleidsadviseur jeugd"."""
    from data.accounts.schema import Gebruiker
    from data.accounts.users import add_user, assign
    from data.programme.schema import Maatregel

    with engine.connect() as conn:
        if conn.scalar(select(func.count()).select_from(Gebruiker)):
            return
    lines = []
    for username, naam, rol, trekker_names in DEMO_ACCOUNTS:
        password = secrets.token_urlsafe(9)
        add_user(engine, username, naam, rol, password, door="eerste start (demo)")
        if trekker_names:
            with engine.connect() as conn:
                codes = conn.scalars(select(Maatregel.code).where(Maatregel.trekker.in_(trekker_names))
                                     .order_by(Maatregel.code)).all()
            if codes:
                assign(engine, username, list(codes), door="eerste start (demo)")
        lines.append(f"{rol:<17} gebruikersnaam {username:<17} wachtwoord {password}")
    path = demo_accounts_file()
    path.write_text("Demo-accounts van de Jeugdmonitor (ingebouwde demonstratie-database):\n"
                    + "\n".join(lines) + "\n", encoding="utf-8")
    path.chmod(0o600)
    # on standard error: the terminal shows it, and a command's own output (`kpi show --json` on
    # a first start) stays what it promises
    print("Eerste start: demo-accounts aangemaakt (ook bewaard in " + str(path) + "):", file=sys.stderr, flush=True)
    for line in lines:
        print("  " + line, file=sys.stderr, flush=True)
