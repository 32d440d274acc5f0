"""Upgrading a warehouse made with the first released schema (revision 0001) loses nothing.

Today 0001 is also the newest revision; the test pins the first release so that every later
migration is exercised against a full warehouse (facts, programme, edited targets, audit).
"""
import datetime as dt

from sqlalchemy import MetaData, select, update

from data import samenvatting
from data import schema as s
from data.db import current_revision, migrate
from data.demo import generate_folder
from data.loader import load_folder
from data.programme import load_programme

FIRST_RELEASE = "0001"


def everything(engine):
    """Every row of every table that existed in the first release, in key order."""
    meta = MetaData()
    meta.reflect(engine)
    out = {}
    with engine.connect() as conn:
        for name, table in meta.tables.items():
            if name == "alembic_version":
                continue
            order = list(table.primary_key.columns) or list(table.columns)
            out[name] = [tuple(r) for r in conn.execute(select(table).order_by(*order))]
    return out


def load_as_first_release(engine, folder, monkeypatch):
    """Today's loader, minus what the first release did not have: the summary tables."""
    with monkeypatch.context() as patch:
        patch.setattr(samenvatting, "SOURCES", frozenset())
        load_folder(engine, folder)


def test_first_release_upgrades_without_loss(tmp_path, backend_url, monkeypatch):
    from data.db import make_engine

    engine = make_engine(backend_url)  # an empty database on SQLite and on PostgreSQL
    migrate(engine, FIRST_RELEASE)
    assert current_revision(engine) == FIRST_RELEASE
    generate_folder(tmp_path / "demo", seed=3)
    load_as_first_release(engine, tmp_path / "demo", monkeypatch)
    load_programme(engine)
    with engine.begin() as conn:
        conn.execute(update(s.Streefwaarde).where(s.Streefwaarde.id == 1).values(waarde=42.0, version=2))
        conn.execute(s.Wijziging.__table__.insert().values(
            tabel="streefwaarde", sleutel="1", veld="waarde", oude_waarde="1", nieuwe_waarde="42",
            door="trekker", op=dt.datetime(2026, 1, 5), reden="test"))
    before = everything(engine)

    migrate(engine)  # to the newest revision

    after = everything(engine)
    for table, rows in before.items():
        assert after[table] == rows, table
    engine.dispose()
