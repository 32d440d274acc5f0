"""Reference checks that need the warehouse, run as SQL anti-joins inside the load transaction.

Two cases (contract: references are checked against the state after the load):
- a delivered child file refers to a parent table whose file is absent: which referenced values
  are not in the parent table?
- a delivered parent file replaces its table while a child table whose file is absent keeps its
  rows: which of those rows now point at a removed key?
Both are the same query: the distinct child values without a parent row, with their row counts.
Nothing is pulled into Python but those (normally zero) values. Table and column names come from
the import spec, never from input.
"""
from __future__ import annotations

from sqlalchemy import Connection, text

MAX_VALUES = 100_000  # more dangling values than this are not listed one by one


def dangling_values(conn: Connection, child: str, column: str, parent: str, parent_column: str,
                    new_rows: tuple[str, int] | None = None) -> list[tuple[str, int]]:
    """(value, number of child rows) for child.column values absent from parent.parent_column.
    `new_rows` = (a column, a number): only the child rows whose column is above it (the rows an
    added delivery put after the warehouse's own; a month's kosten instead of all of them)."""
    only_new = f"c.{new_rows[0]} > :after AND " if new_rows else ""
    sql = text(
        f"SELECT c.{column}, COUNT(*) FROM {child} c "
        f"WHERE {only_new}c.{column} IS NOT NULL AND NOT EXISTS "
        f"(SELECT 1 FROM {parent} p WHERE p.{parent_column} = c.{column}) "
        f"GROUP BY c.{column} ORDER BY c.{column} LIMIT {MAX_VALUES}")
    return [(value, count) for value, count in conn.execute(sql, {"after": new_rows[1]} if new_rows else {})]


def distinct_values(conn: Connection, table: str, column: str) -> int:
    """How many distinct values table.column holds (NULL not counted): what its rows refer to."""
    return conn.scalar(text(f"SELECT COUNT(DISTINCT {column}) FROM {table} WHERE {column} IS NOT NULL"))
