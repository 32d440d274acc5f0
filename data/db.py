"""Where the warehouse lives and how to reach it.

URL resolution (contract: cli.md): an explicit `--db URL`, else `DATABASE_URL`, else the embedded
default, a SQLite file at `instance/jeugdmonitor.db` in the project folder. The schema is managed by
Alembic (data/migrations); `migrate()` brings any database to the newest version.
"""
from __future__ import annotations

import os
import select
import time
import weakref
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from sqlalchemy import Engine, QueuePool, create_engine, event, exc
from sqlalchemy.engine import make_url

from data.cli_errors import COMMAND_LINE_SETTING, CommandError, os_reason

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "instance" / "jeugdmonitor.db"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class DatabaseUrlError(ValueError):
    """A database URL that cannot be used."""


def default_url() -> str:
    return f"sqlite:///{DEFAULT_SQLITE_PATH}"


def resolve_url(explicit: str | None = None) -> str:
    """The URL in force: --db, then DATABASE_URL, then the embedded SQLite default."""
    return explicit or os.environ.get("DATABASE_URL") or default_url()


def normalise_url(url: str) -> str:
    """Use psycopg 3 for plain postgres URLs (the only PostgreSQL driver we ship)."""
    try:
        parsed = make_url(url)
    except Exception as exc:  # sqlalchemy raises ArgumentError; keep the message plain
        raise DatabaseUrlError(f"ongeldige database-URL: {url!r}") from exc
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise DatabaseUrlError(
            f"database {parsed.get_backend_name()!r} wordt niet ondersteund (alleen SQLite en PostgreSQL)")
    return parsed.render_as_string(hide_password=False)


def refuse_missing_file(url: str, setting: str = COMMAND_LINE_SETTING) -> None:
    """Refuse a SQLite URL naming a file that is not there (other than the embedded default, which
    the first start makes): a command that only reads or edits a warehouse would otherwise make an
    empty one, answer from it as if it held no data, and leave a stray file behind a typo.
    `setting`: where the URL was set (data.cli_errors: the app's DATABASE_URL, a command's --db)."""
    if normalise_url(resolve_url(url)) == normalise_url(default_url()):
        return
    path = sqlite_file(url)
    if path is not None and not path.exists():
        raise DatabaseUrlError(
            f"het database-bestand {path} bestaat niet; controleer {setting} "
            "(een nieuw warehouse maakt u met python -m data load of python -m data demo)")


SQLITE_HEADER = b"SQLite format 3\x00"  # the first 16 bytes of every SQLite database file


def refuse_no_sqlite_file(url: str, setting: str = COMMAND_LINE_SETTING) -> None:
    """Refuse a SQLite URL naming a folder or a file that is no SQLite database (a CSV, a
    spreadsheet): a bad --db or DATABASE_URL, said as such (exit 2 on a command line) before SQLite
    opens it. An empty file is a new database, as SQLite itself takes it."""
    path = sqlite_file(url)
    if path is None or not path.exists():
        return
    if path.is_dir():
        raise DatabaseUrlError(f"{path} is een map, geen databasebestand; controleer {setting}")
    try:
        with path.open("rb") as file:
            start = file.read(len(SQLITE_HEADER))
    except OSError:
        return  # not readable: SQLite says why when it opens it
    if start and start != SQLITE_HEADER:
        raise DatabaseUrlError(f"{path} is geen SQLite-database; controleer {setting}")


def sqlite_file(url: str | None) -> Path | None:
    """The file a SQLite URL names (resolved as make_engine does); None for another database, one in
    memory or a `file:` URI."""
    parsed = make_url(normalise_url(resolve_url(url)))
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def in_memory(url: str | None) -> bool:
    """Whether `url` (resolved as make_engine does) is a SQLite database in memory: no file named."""
    parsed = make_url(normalise_url(resolve_url(url)))
    return parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:")


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str | None = None, **kwargs) -> Engine:
    """An engine for the resolved URL; SQLite gets foreign keys on and its folder created."""
    url = normalise_url(resolve_url(url))
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            folder = Path(database).parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:  # not makeable there, or a file in its place
                raise DatabaseUrlError(f"de map {folder} voor het database-bestand kan niet worden gemaakt "
                                       f"({os_reason(exc)}); controleer --db of DATABASE_URL") from None
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    engine = create_engine(url, **kwargs)
    ping_when_in_doubt(engine)
    return engine


#: a pooled connection idle longer than this is pinged before it is used again (ping_when_in_doubt)
PING_AFTER_IDLE_SECONDS = 5.0


def ping_when_in_doubt(engine: Engine) -> None:
    """Pessimistic disconnect handling at a fraction of `pool_pre_ping`'s cost: a pooled connection
    is pinged before use only when it may be dead — the server sent it something while it sat idle
    (PostgreSQL says so before it closes a connection at a shutdown, a terminated backend or an
    idle timeout, and a closed socket reads as well), or it sat idle longer than
    PING_AFTER_IDLE_SECONDS (a host gone without a word: it takes longer than that to come back).
    A connection used a moment ago is not pinged: pre-ping cost a round trip per checkout, a
    quarter of a one-query checkout (ping, BEGIN, query, ROLLBACK). A dead connection is replaced
    as pre-ping replaces it (the same ping; after a disconnect every pooled connection is renewed).
    One that dies silently within the idle limit fails its next request, and the pool is renewed
    for the one after (SQLAlchemy's optimistic handling)."""
    dialect = engine.dialect

    def idle_from_now(_dbapi_connection, record) -> None:
        record.info["idle_since"] = time.monotonic()

    def ping_if_in_doubt(dbapi_connection, record, _proxy) -> None:
        idle_since = record.info.get("idle_since")
        if idle_since is None:  # a new connection (a reconnected one too: invalidating clears info)
            return
        if time.monotonic() - idle_since <= PING_AFTER_IDLE_SECONDS and not _server_spoke(dbapi_connection):
            return
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            if dialect.is_disconnect(error, dbapi_connection, None):
                raise exc.InvalidatePoolError() from error  # the pool reconnects, as after a failed pre-ping
            raise

    event.listen(engine, "checkin", idle_from_now)
    event.listen(engine, "checkout", ping_if_in_doubt)


def _server_spoke(dbapi_connection) -> bool:
    """Whether an idle connection's socket has something to read (a notice, or the end of the
    stream): nothing arrives between two transactions otherwise. A poll without waiting, no round
    trip."""
    try:
        poller = select.poll()
        poller.register(dbapi_connection.fileno(), select.POLLIN)
        return bool(poller.poll(0))
    except Exception:  # no socket any more: ping, which then fails and reconnects
        return True


#: per open transaction, the last SET LOCAL that set_local sent in it, with the savepoint it was
#: sent in (a weak reference; None: outside any): a savepoint's end may undo it or keep it
_SET_LOCAL_IN: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def set_local(conn, settings: str) -> None:
    """Run `settings` (PostgreSQL SET LOCAL statements) in conn's transaction, unless the last
    set_local of this transaction, at this savepoint, ran the very same: then they are in force
    and the round trip is saved. Every SET LOCAL of the product goes through here, so no other one
    can have changed them since."""
    if _last_set_local(conn) == settings:
        return
    conn.exec_driver_sql(settings)
    nested = conn.get_nested_transaction()
    _SET_LOCAL_IN[conn.get_transaction()] = (None if nested is None else weakref.ref(nested), settings)


def _last_set_local(conn) -> str | None:
    transaction = conn.get_transaction()
    if transaction is None or not transaction.is_active or transaction not in _SET_LOCAL_IN:
        return None
    savepoint, settings = _SET_LOCAL_IN[transaction]
    nested = conn.get_nested_transaction()
    same_savepoint = nested is None if savepoint is None else nested is not None and savepoint() is nested
    return settings if same_savepoint else None


@dataclass(frozen=True)
class PoolStatus:
    """An engine's connection pool at one moment."""
    size: int          # connections the pool keeps open between uses (pool_size)
    checked_out: int   # connections in use now
    overflow: int      # connections open beyond `size` now (at most max_overflow)


def pool_status(engine: Engine, returning: int = 0) -> PoolStatus | None:
    """The pool's counts, or None for a pool that keeps none (NullPool, StaticPool: not what
    make_engine gives). `returning`: connections being checked in right now, which the pool still
    counts as checked out while its checkin event runs."""
    pool = engine.pool
    if not isinstance(pool, QueuePool):
        return None
    return PoolStatus(pool.size(), max(0, pool.checkedout() - returning), max(0, pool.overflow()))


def watch_pool(engine: Engine, changed: Callable[[PoolStatus], None]) -> None:
    """Call `changed(status)` at every checkout and checkin of a connection of `engine` (also after
    `engine.dispose()`: the new pool keeps the listeners). For metrics that must be right in every
    process without asking each process (gunicorn's workers)."""
    if pool_status(engine) is None:
        return
    event.listen(engine, "checkout", lambda *_: changed(pool_status(engine)))
    event.listen(engine, "checkin", lambda *_: changed(pool_status(engine, returning=1)))


def _alembic_config(connection):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


class UnknownSchemaVersion(CommandError):
    """The database carries a schema version this version of the product does not know: a newer
    version upgraded it (or it is another application's). Upgrading from there would guess."""

    def __init__(self, version: str) -> None:
        super().__init__(f"de database heeft schemaversie {version!r}, die deze versie van de Jeugdmonitor niet "
                         "kent (bijgewerkt door een nieuwere versie?): start de versie die de database bijwerkte, "
                         "of herstel een back-up van vóór die update")


def migrate(engine: Engine, revision: str = "head", from_models: bool = True) -> None:
    """Upgrade the schema to `revision` (default: the newest), in one transaction. A database at a
    version the migrations do not know raises UnknownSchemaVersion and is left as it is.

    A database without any table gets the newest schema from the models in one pass and is stamped
    with the newest version: what running every migration builds (tests/test_schema.py compares
    the two on both databases), in a fifth of the time on SQLite, where some steps rebuild tables.
    `from_models=False` runs every step instead."""
    from alembic import command
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from sqlalchemy import inspect

    with engine.begin() as connection:
        config = _alembic_config(connection)
        current = MigrationContext.configure(connection).get_current_revision()
        known = {script.revision for script in ScriptDirectory.from_config(config).walk_revisions()}
        if current is not None and current not in known:
            raise UnknownSchemaVersion(current)
        if from_models and revision == "head" and current is None and not inspect(connection).get_table_names():
            from data.schema import Base

            Base.metadata.create_all(connection)
            command.stamp(config, "head")
            return
        command.upgrade(config, revision)


def table_names(engine: Engine) -> list[str]:
    """The tables of the database's default schema. A SQLite file is read without the engine's
    connection settings, which would turn it to WAL mode (a change to a file that may be refused)."""
    from sqlalchemy import inspect

    path = sqlite_file(engine.url.render_as_string(hide_password=False))
    if path is not None and path.is_file():
        import sqlite3

        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as connection:
            return [name for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    with engine.connect() as connection:
        return inspect(connection).get_table_names()


def holds_no_table(engine: Engine) -> bool:
    return not table_names(engine)


def drop_every_table(engine: Engine) -> None:
    """Drop every table the database holds, children first, in one transaction: to undo the
    migration of a database that held none (its indexes and sequences go with their tables)."""
    from sqlalchemy import MetaData

    with engine.begin() as connection:
        found = MetaData()
        found.reflect(connection)
        found.drop_all(connection)


def current_revision(engine: Engine) -> str | None:
    from alembic.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
