"""First start: a warehouse that is ready to use.

`ensure_warehouse(url)` resolves the URL (--db, DATABASE_URL, embedded default), brings the schema
to the newest version, and — only for the embedded default SQLite file — fills an empty warehouse
with the demonstration data and the Programmaplan, so `python app.py` works with no set-up.
A production database (DATABASE_URL) is never filled with demonstration data.
"""
from __future__ import annotations

from sqlalchemy import Engine, func, select

from data.db import default_url, make_engine, migrate, normalise_url, resolve_url
from data.schema import Traject


def is_embedded_default(url: str) -> bool:
    return normalise_url(url) == normalise_url(default_url())


def ensure_warehouse(url: str | None = None) -> Engine:
    resolved = resolve_url(url)
    engine = make_engine(resolved)
    migrate(engine)
    if is_embedded_default(resolved):
        with engine.connect() as conn:
            empty = not conn.scalar(select(func.count()).select_from(Traject))
        if empty:
            from data.demo import load_demo

            load_demo(engine)
        from data.programme import load_programme, programme_is_loaded

        if not programme_is_loaded(engine):
            load_programme(engine)
    return engine
