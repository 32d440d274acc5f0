"""Login sessions kept on the server (table `sessie`), so that a session can be ended.

The signed cookie alone could not be taken back: after logging out, a copy of it still opened
every page until it expired. Now the cookie carries a random token, and a request is logged in
only while the token's session exists here:
- `start` at login; `end` at logout (this session only; the account's other sessions, e.g. the
  laptop in the raadzaal, stay);
- a new password or deactivation (data.accounts.users, in the same transaction) deletes every session of
  the account at once;
- `user_of` on every request: no session after MAX_AGE (8 hours) from login, nor after `idle`
  without a request (SESSION_IDLE_MINUTES); an ended session is deleted.
Only the token's SHA-256 is stored, so a back-up or a copy of the table opens no session.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import Engine, delete, or_, select, update

from data.accounts.schema import Gebruiker, Sessie
from data.accounts.users import User, read_user

MAX_AGE = dt.timedelta(hours=8)
IDLE = dt.timedelta(minutes=60)
# laatst_actief_op is written at most this often: one write per user per minute, not per request
# (a page makes several). The idle limit is therefore kept to within this interval.
TOUCH_EVERY = dt.timedelta(minutes=1)


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start(engine: Engine, gebruiker_id: int, idle: dt.timedelta = IDLE, now: dt.datetime | None = None) -> str:
    """A new session for the account; returns the token for the cookie. Sessions that have run out
    (of anyone) are cleared away here, so the table holds only live ones."""
    now = now or _now()
    token = secrets.token_urlsafe(32)
    with engine.begin() as conn:
        conn.execute(delete(Sessie).where(or_(Sessie.aangemaakt_op <= now - MAX_AGE,
                                              Sessie.laatst_actief_op <= now - idle)))
        conn.execute(Sessie.__table__.insert().values(token_hash=_hash(token), gebruiker_id=gebruiker_id,
                                                      aangemaakt_op=now, laatst_actief_op=now))
    return token


def user_of(engine: Engine, token: str | None, idle: dt.timedelta = IDLE,
            now: dt.datetime | None = None) -> User | None:
    """The active account of the live session with this token; None otherwise."""
    if not isinstance(token, str) or not token:
        return None
    now = now or _now()
    with engine.connect() as conn:
        row = conn.execute(select(Sessie.id, Sessie.gebruiker_id, Sessie.aangemaakt_op, Sessie.laatst_actief_op,
                                  Gebruiker.actief)
                           .join(Gebruiker, Gebruiker.id == Sessie.gebruiker_id)
                           .where(Sessie.token_hash == _hash(token))).first()
        if row is None:
            return None
        if (now - row.aangemaakt_op >= MAX_AGE or now - row.laatst_actief_op >= idle
                or not row.actief):
            conn.execute(delete(Sessie).where(Sessie.id == row.id))
            conn.commit()
            return None
        if now - row.laatst_actief_op >= TOUCH_EVERY:
            conn.execute(update(Sessie).where(Sessie.id == row.id).values(laatst_actief_op=now))
            conn.commit()
        return read_user(conn, row.gebruiker_id)


def end(engine: Engine, token: str | None) -> None:
    """Logging out: this session ends (a request with its cookie is no longer logged in)."""
    if isinstance(token, str) and token:
        with engine.begin() as conn:
            conn.execute(delete(Sessie).where(Sessie.token_hash == _hash(token)))
