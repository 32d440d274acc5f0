"""Fast inserts of validated rows inside the loader's transaction.

PostgreSQL: one `COPY table (cols) FROM STDIN` per file through psycopg 3, fed row by row while
the file streams (nothing else runs on the connection meanwhile). SQLite: `executemany` of a
plain INSERT in batches of BATCH_SIZE rows. Both use the transaction of the SQLAlchemy connection
they are given, so a rollback undoes them.

Rows are tuples in the order of `columns`; dates arrive as ISO text, which both backends store as
SQLAlchemy would (SQLite keeps the text, PostgreSQL parses it into a DATE).

On SQLite, `sqlite_bulk_mode` roughly doubles the speed of a big load: a 256 MiB page cache, and
the secondary indexes of the loaded tables dropped before the deletes and inserts and rebuilt from
the models afterwards, all inside the load's transaction (SQLite DDL is transactional; a rollback
brings them back, and readers in WAL mode keep seeing the old tables meanwhile). PostgreSQL is left
alone: dropping an index there would block the dashboard's readers for the whole load.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterable, Iterator, Sequence

from sqlalchemy import Connection, text

BATCH_SIZE = 10_000


class BulkInserter:
    """Context manager: `add(row)` per row; everything is flushed on a clean exit."""

    def __init__(self, conn: Connection, table: str, columns: Sequence[str]) -> None:
        self._dbapi = conn.connection.dbapi_connection
        self._postgres = conn.dialect.name == "postgresql"
        self._table = table
        self._columns = ", ".join(columns)
        self._placeholders = ", ".join("?" for _ in columns)
        self._batch: list[tuple] = []
        self.count = 0

    def __enter__(self) -> "BulkInserter":
        if self._postgres:
            self._cursor = self._dbapi.cursor()
            self._copy_context = self._cursor.copy(
                f"COPY {self._table} ({self._columns}) FROM STDIN")
            self._copy = self._copy_context.__enter__()
            self.add = self._add_copy  # type: ignore[method-assign]
        else:
            self._cursor = self._dbapi.cursor()
            self._sql = f"INSERT INTO {self._table} ({self._columns}) VALUES ({self._placeholders})"
        return self

    def add(self, row: tuple) -> None:
        self._batch.append(row)
        if len(self._batch) >= BATCH_SIZE:
            self._flush()

    def _add_copy(self, row: tuple) -> None:
        self._copy.write_row(row)
        self.count += 1

    def _flush(self) -> None:
        if self._batch:
            self._cursor.executemany(self._sql, self._batch)
            self.count += len(self._batch)
            self._batch = []

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if self._postgres:
                self._copy_context.__exit__(exc_type, exc, tb)
            elif exc_type is None:
                self._flush()
        finally:
            self._cursor.close()


SQLITE_LOAD_CACHE_KIB = 256 * 1024


@contextmanager
def sqlite_bulk_mode(conn: Connection, tables: Iterable[str]) -> Iterator[None]:
    """SQLite: big cache, secondary indexes of `tables` dropped and rebuilt. No-op elsewhere."""
    if conn.dialect.name != "sqlite":
        yield
        return
    dbapi = conn.connection.dbapi_connection
    if not dbapi.in_transaction:
        # sqlite3 only opens a transaction before DML; the DROP INDEX must be inside it.
        dbapi.execute("BEGIN")
    old_cache = conn.execute(text("PRAGMA cache_size")).scalar()
    conn.execute(text(f"PRAGMA cache_size=-{SQLITE_LOAD_CACHE_KIB}"))
    # The indexes as the database holds them (their own CREATE statements), so that the same
    # come back whatever migration the warehouse is at; SQLite's automatic ones (keys) have no SQL.
    indexes = [tuple(row) for table in tables for row in conn.execute(text(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = :table AND sql IS NOT NULL"),
        {"table": table})]
    try:
        for name, _create in indexes:
            conn.execute(text(f'DROP INDEX IF EXISTS "{name}"'))
        yield
        for _name, create in indexes:  # only on success; on failure the rollback restores them
            conn.exec_driver_sql(create)
    finally:
        conn.execute(text(f"PRAGMA cache_size={int(old_cache)}"))
