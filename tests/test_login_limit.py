"""The login limit holds under concurrency (data/accounts/login_limit.py): 30 simultaneous wrong passwords
check at most 5 passwords per name and record at most 20 failures per address, in threads (both
backends) and against gunicorn with three workers; a colleague's correct login from the blocked
address still works from a browser that logged in as that colleague before (a known device)."""
from __future__ import annotations

import os
import re
import threading
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

import data.accounts.users as users_module
from data.accounts.login_limit import MAX_PER_ADRES, MAX_PER_NAAM
from data.accounts.schema import Inlogpoging
from data.accounts.users import TooManyAttempts, UserError, add_user, authenticate
from data.db import make_engine, migrate
from tests import conftest
from tests.beheer_support import programme
from tests.gunicorn_support import gunicorn, pg_schema
from tests.http_session import HttpSession

__all__ = ["programme"]
PASSWORD = "lang-genoeg-wachtwoord"


@pytest.fixture
def password_checks(monkeypatch):
    """Counts the password checks authenticate makes (the real check still runs)."""
    real, count, lock = users_module.check_password_hash, [0], threading.Lock()

    def counted(stored, given):
        with lock:
            count[0] += 1
        return real(stored, given)

    monkeypatch.setattr(users_module, "check_password_hash", counted)
    return count


def at_once(attempts):
    """Run every attempt in its own thread, released together; the outcome of each."""
    barrier = threading.Barrier(len(attempts), timeout=60)

    def run(attempt):
        barrier.wait()
        try:
            return attempt()
        except UserError as exc:
            return exc

    with ThreadPoolExecutor(len(attempts)) as pool:
        return list(pool.map(run, attempts))


def failures(engine, **where) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(Inlogpoging).where(
            Inlogpoging.gelukt.is_(False), *(getattr(Inlogpoging, k) == v for k, v in where.items())))


def kinds(outcomes) -> tuple[int, int]:
    """(wrong password answers, too-many answers)"""
    too_many = sum(isinstance(o, TooManyAttempts) for o in outcomes)
    wrong = sum(isinstance(o, UserError) and not isinstance(o, TooManyAttempts) for o in outcomes)
    assert wrong + too_many == len(outcomes), outcomes
    return wrong, too_many


def test_thirty_at_once_for_one_name_check_five_passwords(programme, password_checks):
    add_user(programme, "anna", "Anna", "trekker", PASSWORD)
    add_user(programme, "pm", "Programmamanager", "programmamanager", PASSWORD)
    password_checks[0] = 0
    outcomes = at_once([lambda i=i: authenticate(programme, "anna", "fout-wachtwoord", f"10.0.{i}.1")
                        for i in range(30)])
    assert password_checks[0] == MAX_PER_NAAM
    assert failures(programme, gebruikersnaam="anna") == MAX_PER_NAAM
    assert kinds(outcomes) == (MAX_PER_NAAM, 30 - MAX_PER_NAAM)
    with pytest.raises(TooManyAttempts):  # the name is blocked, even with its password
        authenticate(programme, "anna", PASSWORD, "10.9.9.9")
    assert authenticate(programme, "pm", PASSWORD, "10.0.0.1").gebruikersnaam == "pm"


def test_thirty_at_once_from_one_address_record_twenty(programme, password_checks):
    """Password spraying from one address: 30 names at once. At most 20 are checked and recorded;
    then a colleague behind the same address gets in from a known device, not from a new one."""
    add_user(programme, "anna", "Anna", "trekker", PASSWORD)
    add_user(programme, "pm", "Programmamanager", "programmamanager", PASSWORD)
    names = ["anna"] + [f"onbekend-{i}" for i in range(29)]
    password_checks[0] = 0
    outcomes = at_once([lambda n=n: authenticate(programme, n, "fout-wachtwoord", "192.0.2.7") for n in names])
    assert password_checks[0] == MAX_PER_ADRES
    assert failures(programme, adres="192.0.2.7") == MAX_PER_ADRES
    assert kinds(outcomes) == (MAX_PER_ADRES, 30 - MAX_PER_ADRES)

    password_checks[0] = 0
    with pytest.raises(TooManyAttempts):  # a browser that never logged in as pm: nothing checked
        authenticate(programme, "pm", PASSWORD, "192.0.2.7")
    assert password_checks[0] == 0
    user = authenticate(programme, "pm", PASSWORD, "192.0.2.7", known_device=True)
    assert user.gebruikersnaam == "pm"
    with pytest.raises(UserError) as caught:  # a known device still has its name's own limit
        authenticate(programme, "pm", "fout-wachtwoord", "192.0.2.7", known_device=True)
    assert not isinstance(caught.value, TooManyAttempts)
    assert authenticate(programme, "pm", PASSWORD, "198.51.100.1").gebruikersnaam == "pm"  # elsewhere: fine


def test_a_success_does_not_count_as_a_failure(programme):
    add_user(programme, "anna", "Anna", "trekker", PASSWORD)
    for _ in range(MAX_PER_NAAM + 2):
        authenticate(programme, "anna", PASSWORD, "10.0.0.1")
    assert failures(programme, gebruikersnaam="anna") == 0


# --- against gunicorn: three workers, one database ----------------------------------------------

def _form_post(session: HttpSession, username: str, password: str):
    """The login form as the browser sends it; returns a callable that posts it (status code)."""
    _status, page = session.get("/inloggen")
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"csrf": token, "gebruikersnaam": username, "wachtwoord": password,
                                   "volgende": "/"}).encode()
    return lambda: session.request("/inloggen", body, {"Content-Type": "application/x-www-form-urlencoded"})[0]


@pytest.fixture(params=["sqlite", "postgresql"])
def gunicorn_database(request, tmp_path):
    """A database with the accounts anna and pm, on each backend (the URL)."""
    def prepare(url):
        engine = make_engine(url)
        migrate(engine)
        add_user(engine, "anna", "Anna", "trekker", PASSWORD)
        add_user(engine, "pm", "Programmamanager", "programmamanager", PASSWORD)
        engine.dispose()
        return url

    if request.param == "sqlite":
        yield prepare(f"sqlite:///{tmp_path / 'w.db'}")
        return
    if not conftest.pg_test_url():
        pytest.skip(conftest.PG_SKIP_REASON)
    with pg_schema(f"jeugdmonitor_inlog_{os.getpid()}") as url:
        yield prepare(url)


def test_gunicorn_workers_keep_the_limit_and_let_a_colleague_in(tmp_path, gunicorn_database):
    url = gunicorn_database
    env = {"DATABASE_URL": url, "SECRET_KEY": "test-" + "x" * 32}
    with gunicorn(env, tmp_path / "gunicorn.log", workers=3) as (_proc, base):
        colleague = HttpSession(base)  # pm logged in from this browser before the attack
        colleague.log_in("pm", PASSWORD)
        attacks = [_form_post(HttpSession(base), "anna", "fout-wachtwoord") for _ in range(10)]
        attacks += [_form_post(HttpSession(base), f"onbekend-{i}", "fout-wachtwoord") for i in range(20)]
        barrier = threading.Barrier(len(attacks), timeout=60)

        def attack(post):
            barrier.wait()
            return post()

        with ThreadPoolExecutor(len(attacks)) as pool:
            statuses = list(pool.map(attack, attacks))
        engine = make_engine(url)
        try:
            assert failures(engine, gebruikersnaam="anna") <= MAX_PER_NAAM
            assert failures(engine, adres="127.0.0.1") == MAX_PER_ADRES  # 30 tried, 20 recorded
            assert statuses.count(401) == MAX_PER_ADRES and statuses.count(429) == 30 - MAX_PER_ADRES
            assert _form_post(colleague, "pm", PASSWORD)() == 302  # known device: in
            assert _form_post(HttpSession(base), "pm", PASSWORD)() == 429  # a new browser waits
            assert failures(engine, adres="127.0.0.1") == MAX_PER_ADRES
        finally:
            engine.dispose()
    assert "Traceback" not in (tmp_path / "gunicorn.log").read_text()
