"""Shared pieces for the tests of the write path (issue 4): the Programmaplan loaded into the
`warehouse` fixture, a few accounts as the login layer hands them to data.programme.edits, and
helpers to read the audit trail and count every programme table."""
from __future__ import annotations

from contextlib import contextmanager

import flask
import pytest
from flask import g
from sqlalchemy import func, select

from data.accounts.schema import Gebruiker, GebruikerMaatregel, Inlogpoging
from data.accounts.users import User
from data.programme.backup import backup_programme, restore_programme
from data.programme.plan import load_programme
from data.programme.schema import (
    Annotatie,
    Indicator,
    IndicatorDoelstelling,
    Maatregel,
    MaatregelVoortgang,
    Rapportageperiode,
    Realisatie,
    Streefwaarde,
    Wijziging,
)

# Everything a save may touch: a refused or invalid save must leave every count unchanged.
WRITE_TABLES = (Streefwaarde, Realisatie, MaatregelVoortgang, Rapportageperiode, Annotatie, Wijziging,
                Gebruiker, GebruikerMaatregel, Maatregel, Indicator, IndicatorDoelstelling)

MANAGER = User(1, "pm", "Programmamanager Jeugd", "programmamanager", frozenset())
# H01 (manual, aantal) and H03 (manual, %) belong to L1.1 and L1.4; K11 (KPI, cijfer) to L3.6.
ANNA = User(2, "anna", "Anna de Trekker", "trekker", frozenset({"L1.1", "L1.4", "L3.6"}))
# H05 (manual, aantal) belongs to L2.1.
BOB = User(3, "bob", "Bob de Trekker", "trekker", frozenset({"L2.1"}))
RAAD = User(4, "raad", "Raadslid", "lezer", frozenset())


_LOADED: dict[str, object] = {}  # backend → a back-up of the freshly loaded programme


@pytest.fixture
def programme(warehouse, tmp_path_factory):
    """The warehouse (SQLite and PostgreSQL) with the Huizen Programmaplan loaded. The plan is
    loaded once per backend and restored from its back-up for later tests (much faster)."""
    backend = warehouse.dialect.name
    if backend not in _LOADED:
        load_programme(warehouse)
        path = tmp_path_factory.mktemp("programme") / f"{backend}.json"
        backup_programme(warehouse, path)
        _LOADED[backend] = path
    else:
        restore_programme(warehouse, _LOADED[backend])
    return warehouse


@pytest.fixture
def live(programme):
    """`programme` as the pages' database (dashboard.server.runtime), for rendering them."""
    from dashboard.server import runtime

    runtime.configure(programme)
    yield programme
    runtime.reset()


@contextmanager
def logged_in(user):
    """A request in which `user` is logged in, for a callback's or a page's pure function."""
    app = flask.Flask(__name__)
    app.secret_key = "test"
    with app.test_request_context("/"):
        g.jm_user = user
        yield


def counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t.__tablename__: conn.scalar(select(func.count()).select_from(t)) for t in WRITE_TABLES}


def last_audit_id(engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.max(Wijziging.id))) or 0


def audit_since(engine, after_id: int) -> list[tuple]:
    """(tabel, sleutel, veld, oude_waarde, nieuwe_waarde, door, reden) of the records after an id."""
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(
            select(Wijziging.tabel, Wijziging.sleutel, Wijziging.veld, Wijziging.oude_waarde,
                   Wijziging.nieuwe_waarde, Wijziging.door, Wijziging.reden)
            .where(Wijziging.id > after_id).order_by(Wijziging.id))]


def streefwaarde_row(engine, code: str, jaar: int, soort: str = "streefwaarde"):
    with engine.connect() as conn:
        return conn.execute(select(Streefwaarde).join(Indicator, Indicator.id == Streefwaarde.indicator_id)
                            .where(Indicator.code == code, Streefwaarde.jaar == jaar,
                                   Streefwaarde.soort == soort)).first()


def realisatie_row(engine, code: str, periode: str):
    with engine.connect() as conn:
        return conn.execute(select(Realisatie).join(Indicator, Indicator.id == Realisatie.indicator_id)
                            .where(Indicator.code == code, Realisatie.periode == periode)).first()


def voortgang_row(engine, code: str, periode: str):
    with engine.connect() as conn:
        return conn.execute(select(MaatregelVoortgang)
                            .join(Maatregel, Maatregel.id == MaatregelVoortgang.maatregel_id)
                            .where(Maatregel.code == code, MaatregelVoortgang.periode == periode)).first()


def login_attempts(engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(Inlogpoging))


def snapshot(engine) -> dict[str, list[tuple]]:
    """Every row of every table a save may touch, for before/after comparisons."""
    out = {}
    with engine.connect() as conn:
        for t in WRITE_TABLES:
            out[t.__tablename__] = sorted((tuple(r) for r in conn.execute(select(*t.__table__.columns))),
                                          key=repr)
    return out
