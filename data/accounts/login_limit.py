"""The login limit: at most MAX_PER_NAAM failed logins per name and MAX_PER_ADRES per address in
VENSTER, exact under concurrency and across gunicorn workers.

An attempt first *reserves* its place: in one short transaction that holds a lock, it counts the
failures in the window and, when there is room, records itself as failed. Only then is the
password checked (slowly, outside the lock), and a correct one turns the record into a success.
So however many attempts arrive at once, no more passwords are checked than the limit allows.
(Counting first and recording after the check let 30 simultaneous attempts check a password
9–10 times for one name and record 24 failures for one address.)

The lock: on PostgreSQL transaction-level advisory locks on the name and on the address (taken in
a fixed order, so two attempts never wait on each other in a circle); an advisory lock also
covers a name or address that has no row yet. On SQLite `BEGIN IMMEDIATE`, the database's one
write lock. Every worker shares the database, so the limit holds across workers; no Redis needed.

A known device passes the address limit: many colleagues share one address (the town hall's
NAT), and a stranger's failures there must not lock them all out. A browser that logged in
successfully as a name before carries a signed cookie for that name (dashboard/server/known_device.py);
with it, only the name's own limit applies to that name. Without it, a blocked address gets no
password checked at all, so the address limit keeps bounding how many passwords one address can
try across many names (password spraying).
"""
from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import Connection, Engine, func, insert, select, text, update

from data.accounts.schema import Inlogpoging

MAX_PER_NAAM = 5
MAX_PER_ADRES = 20
VENSTER = dt.timedelta(minutes=15)


def _lock_key(kind: str, value: str) -> int:
    """A signed 64-bit key for pg_advisory_xact_lock, the same in every process."""
    digest = hashlib.sha256(f"jeugdmonitor:inloggen:{kind}:{value}".encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _lock(conn: Connection, naam: str, adres: str) -> None:
    if conn.dialect.name == "postgresql":
        for key in sorted({_lock_key("naam", naam), _lock_key("adres", adres)}):
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
    else:  # SQLite: take the write lock now, before counting (pysqlite would only at the INSERT)
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def _failures(conn: Connection, column, value: str, since: dt.datetime) -> int:
    return conn.scalar(select(func.count()).select_from(Inlogpoging).where(
        column == value, Inlogpoging.op >= since, Inlogpoging.gelukt.is_(False))) or 0


def reserve(engine: Engine, naam: str, adres: str, now: dt.datetime, known_device: bool = False) -> int | None:
    """Record an attempt as failed if the limits leave room, and return its id; None when the
    name (or, from an unknown device, the address) has reached its limit: check nothing then."""
    since = now - VENSTER
    with engine.connect() as conn:
        _lock(conn, naam, adres)
        if _failures(conn, Inlogpoging.gebruikersnaam, naam, since) >= MAX_PER_NAAM:
            return None
        if not known_device and _failures(conn, Inlogpoging.adres, adres, since) >= MAX_PER_ADRES:
            return None
        attempt = conn.execute(insert(Inlogpoging).values(gebruikersnaam=naam, adres=adres, op=now, gelukt=False)
                               .returning(Inlogpoging.id)).scalar_one()
        conn.commit()
    return attempt


def succeeded(engine: Engine, attempt: int) -> None:
    """The password was right: the reserved attempt counts as a success, not a failure."""
    with engine.begin() as conn:
        conn.execute(update(Inlogpoging).where(Inlogpoging.id == attempt).values(gelukt=True))
