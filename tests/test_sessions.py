"""Sessions end on the server (data/accounts/sessions.py, dashboard/server/auth.py): after logging out a copy of the
old cookie opens nothing; a new password or deactivation (the command line) ends every session of
the account; a session runs out after SESSION_IDLE_MINUTES without a request and 8 hours after
login. HTTP through Flask's test client on a SQLite file; the data layer on both backends."""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys

import pytest
from sqlalchemy import func, select, update

from data.accounts import sessions
from data.accounts.schema import Gebruiker, Sessie
from data.accounts.users import add_user, set_active, set_password
from data.db import make_engine, migrate
from data.programme.plan import load_programme
from tests import warm_python
from tests.beheer_support import programme
from tests.gunicorn_support import ROOT

__all__ = ["programme"]
PASSWORD = "lang-genoeg-wachtwoord"


@pytest.fixture
def database(tmp_path):
    url = f"sqlite:///{tmp_path / 'w.db'}"
    engine = make_engine(url)
    migrate(engine)
    load_programme(engine)
    add_user(engine, "pm", "Programmamanager", "programmamanager", PASSWORD)
    add_user(engine, "anna", "Anna de Trekker", "trekker", PASSWORD, maatregelen=["L1.1"])
    yield url, engine
    engine.dispose()


@pytest.fixture
def make_app(database, app_module):
    def build(**settings):
        return app_module.create_app({"DATABASE_URL": database[0], "SECRET_KEY": "test-" + "x" * 32,
                                      **settings}).server
    return build


@pytest.fixture
def server(make_app):
    return make_app()


def log_in(client, username="anna", password=PASSWORD):
    page = client.get("/inloggen").get_data(as_text=True)
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    response = client.post("/inloggen", data={"csrf": token, "gebruikersnaam": username, "wachtwoord": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


def logged_in(client) -> bool:
    """Both kinds of request a logged-in browser makes: a page and Dash's layout."""
    page, layout = client.get("/beheer").status_code, client.get("/_dash-layout").status_code
    assert (page, layout) in ((200, 200), (302, 401)), (page, layout)
    return page == 200


def copy_of(client, server):
    """Another browser holding a copy of `client`'s session cookie (as a thief would)."""
    other = server.test_client()
    other.set_cookie("session", client.get_cookie("session").value)
    return other


def cli(database_url, *args, stdin=None):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    done = warm_python.run([sys.executable, "-m", "data", "users", *args, "--db", database_url], cwd=ROOT,
                           env=env, input=stdin, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    return done.stdout


def test_logging_out_ends_the_session_on_the_server(server):
    browser = log_in(server.test_client())
    thief = copy_of(browser, server)
    assert logged_in(thief)
    csrf = browser.get_cookie("_csrf_token").value
    assert browser.post("/uitloggen", data={"csrf": csrf}).status_code == 302
    assert not logged_in(browser)
    assert not logged_in(thief)  # the old cookie is still validly signed, and opens nothing


def test_logging_out_ends_only_this_session(server):
    desk, raadzaal = log_in(server.test_client()), log_in(server.test_client())
    desk.post("/uitloggen", data={"csrf": desk.get_cookie("_csrf_token").value})
    assert not logged_in(desk) and logged_in(raadzaal)


def test_a_new_password_ends_every_session_of_the_account(server, database):
    url, _engine = database
    anna_desk, anna_laptop, pm = (log_in(server.test_client()), log_in(server.test_client()),
                                  log_in(server.test_client(), "pm"))
    out = cli(url, "passwd", "anna", "--wachtwoord-stdin", stdin="een-nieuw-wachtwoord\n")
    assert out == "Wachtwoord van anna gewijzigd. 2 open sessies beëindigd.\n"
    assert not logged_in(anna_desk) and not logged_in(anna_laptop)
    assert logged_in(pm)  # another account keeps its session
    assert logged_in(log_in(server.test_client(), "anna", "een-nieuw-wachtwoord"))


def test_deactivation_ends_every_session_for_good(server, database):
    """Also after the account is activated again: its old sessions stay ended."""
    url, _engine = database
    browser = log_in(server.test_client())
    assert cli(url, "deactivate", "anna") == "anna is geblokkeerd. 1 open sessie beëindigd.\n"
    assert not logged_in(browser)
    assert cli(url, "activate", "anna") == "anna is weer actief.\n"
    assert not logged_in(browser)
    assert logged_in(log_in(server.test_client()))


def _age(engine, **moments):
    with engine.begin() as conn:
        conn.execute(update(Sessie).values(**moments))


def test_a_session_ends_after_the_idle_minutes(make_app, database):
    _url, engine = database
    server = make_app(SESSION_IDLE_MINUTES="30")
    browser = log_in(server.test_client())
    now = dt.datetime.now().replace(microsecond=0)
    _age(engine, laatst_actief_op=now - dt.timedelta(minutes=29))
    assert logged_in(browser)
    with engine.connect() as conn:  # the request counted as activity
        assert conn.scalar(select(Sessie.laatst_actief_op)) >= now - dt.timedelta(minutes=1)
    _age(engine, laatst_actief_op=now - dt.timedelta(minutes=31))
    assert not logged_in(browser)
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Sessie)) == 0  # and it is gone


def test_a_session_ends_eight_hours_after_login_however_active(server, database):
    _url, engine = database
    browser = log_in(server.test_client())
    now = dt.datetime.now().replace(microsecond=0)
    _age(engine, aangemaakt_op=now - dt.timedelta(hours=7, minutes=59))
    assert logged_in(browser)
    _age(engine, aangemaakt_op=now - dt.timedelta(hours=8, minutes=1), laatst_actief_op=now)
    assert not logged_in(browser)


@pytest.mark.parametrize("value", ["0", "-5", "481", "een uur", "1.5"])
def test_the_idle_setting_is_checked(make_app, value):
    import app as app_module

    with pytest.raises(app_module.SettingsError, match="SESSION_IDLE_MINUTES=.*: geef een aantal minuten van 1 "
                                                       "tot en met 480"):
        make_app(SESSION_IDLE_MINUTES=value)


def test_the_idle_setting_defaults_to_an_hour(make_app):
    assert make_app().config["SESSION_IDLE_MINUTES"] == 60
    assert make_app(SESSION_IDLE_MINUTES=" 15 ").config["SESSION_IDLE_MINUTES"] == 15


# --- the data layer, on SQLite and PostgreSQL -----------------------------------------------------

def test_sessions_on_both_backends(programme, tmp_path):
    from data.programme.backup import backup_programme, restore_programme

    add_user(programme, "anna", "Anna", "trekker", PASSWORD, maatregelen=["L1.1"])
    add_user(programme, "bert", "Bert", "lezer", PASSWORD)
    with programme.connect() as conn:
        ids = dict(conn.execute(select(Gebruiker.gebruikersnaam, Gebruiker.id)).all())
    start = dt.datetime(2026, 3, 2, 9, 0)
    anna = [sessions.start(programme, ids["anna"], now=start) for _ in range(2)]
    bert = sessions.start(programme, ids["bert"], now=start)
    with programme.connect() as conn:
        stored = conn.scalars(select(Sessie.token_hash)).all()
    assert len(stored) == 3 and not set(anna + [bert]) & set(stored)  # only hashes are kept
    later = start + dt.timedelta(minutes=30)
    user = sessions.user_of(programme, anna[0], now=later)
    assert (user.gebruikersnaam, user.maatregelen) == ("anna", frozenset({"L1.1"}))
    assert sessions.user_of(programme, "verzonnen", now=later) is None
    assert sessions.user_of(programme, None, now=later) is None

    sessions.end(programme, anna[0])
    assert sessions.user_of(programme, anna[0], now=later) is None
    assert sessions.user_of(programme, anna[1], now=later).gebruikersnaam == "anna"
    assert set_password(programme, "anna", "een-nieuw-wachtwoord") == 1
    assert sessions.user_of(programme, anna[1], now=later) is None
    assert set_active(programme, "bert", False) == 1 and set_active(programme, "bert", True) == 0
    assert sessions.user_of(programme, bert, now=later) is None

    # idle: each request moves "last active" on; 60 minutes without one and the session has run out
    token = sessions.start(programme, ids["anna"], now=later)
    assert sessions.user_of(programme, token, now=later + dt.timedelta(minutes=59)) is not None
    assert sessions.user_of(programme, token, now=later + dt.timedelta(minutes=59 + 59)) is not None
    assert sessions.user_of(programme, token, now=later + dt.timedelta(minutes=59 + 59 + 60)) is None

    # a restored back-up replaces the accounts: every session ends (and none is in the file)
    token = sessions.start(programme, ids["anna"], now=start)
    backup_programme(programme, tmp_path / "b.json")
    assert "sessie" not in json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))["tabellen"]
    restore_programme(programme, tmp_path / "b.json")
    assert sessions.user_of(programme, token, now=start) is None
