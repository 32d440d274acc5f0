"""Accounts (data.accounts.users), the `python -m data users …` command line and the demo accounts of
the first start. Every test runs on SQLite and PostgreSQL; scrypt is slow-ish, so few accounts."""
from __future__ import annotations

import datetime as dt
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import insert, select, update

from data.accounts.schema import Gebruiker, Inlogpoging
from data.accounts.users import (
    MAX_MISLUKT,
    VENSTER,
    TooManyAttempts,
    UserError,
    add_user,
    assign,
    authenticate,
    known_account_name,
    list_users,
    load_user,
    set_active,
    set_password,
    set_role,
)
from data.db import make_engine, migrate
from data.programme.plan import load_programme
from data.programme.schema import Wijziging
from tests import warm_python
from tests.beheer_support import audit_since, counts, last_audit_id, login_attempts, programme
from tests.cli_support import run_main
from tests.conftest import TEST_PASSWORD_HASH, product_password_hashes

__all__ = ["programme"]
ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "lang-genoeg-wachtwoord"
CLI = "beheer (opdrachtregel)"
WRONG = "Gebruikersnaam of wachtwoord klopt niet."


def test_accounts_and_their_audit_records(programme):
    before = last_audit_id(programme)
    add_user(programme, "anna", "Anna de Trekker", "trekker", PASSWORD)
    assign(programme, "anna", ["L1.1", "L1.4"])
    assign(programme, "anna", ["L1.1"])  # already: nothing
    assign(programme, "anna", ["L1.4"], remove=True)
    set_role(programme, "anna", "trekker")  # unchanged: nothing
    set_role(programme, "anna", "lezer", door="pm")
    set_password(programme, "anna", "een-ander-wachtwoord", door="pm")
    set_active(programme, "anna", False)
    set_active(programme, "anna", False)  # unchanged: nothing
    assert audit_since(programme, before) == [
        ("gebruiker", "anna", "rol", None, "trekker", CLI, None),
        ("gebruiker", "anna", "maatregel", None, "L1.1", CLI, None),
        ("gebruiker", "anna", "maatregel", None, "L1.4", CLI, None),
        ("gebruiker", "anna", "maatregel", "L1.4", None, CLI, None),
        ("gebruiker", "anna", "rol", "trekker", "lezer", "pm", None),
        ("gebruiker", "anna", "wachtwoord", None, "(gewijzigd)", "pm", None),
        ("gebruiker", "anna", "actief", "true", "false", CLI, None)]
    with programme.connect() as conn:
        row = conn.execute(select(Gebruiker)).one()
        stored = [w for r in conn.execute(select(Wijziging.oude_waarde, Wijziging.nieuwe_waarde)) for w in r if w]
    assert row.wachtwoord_hash.startswith("scrypt:") and PASSWORD not in row.wachtwoord_hash
    assert not any(secret in w for w in stored
                   for secret in (row.wachtwoord_hash, PASSWORD, "een-ander-wachtwoord"))
    assert load_user(programme, row.id) is None  # deactivated
    [(user, actief)] = list_users(programme)
    assert (user.gebruikersnaam, user.rol, user.maatregelen, actief) == ("anna", "lezer", frozenset({"L1.1"}), False)


def test_the_product_hashes_at_scrypts_full_cost_and_a_login_reads_the_cost_from_the_hash(programme):
    """The suite makes its accounts with a cheap scrypt (conftest); the product's own is werkzeug's
    default, and a login checks either kind, since a hash carries its parameters."""
    with product_password_hashes():
        add_user(programme, "anna", "Anna", "lezer", PASSWORD)
    add_user(programme, "bert", "Bert", "lezer", PASSWORD)
    with programme.connect() as conn:
        hashes = dict(conn.execute(select(Gebruiker.gebruikersnaam, Gebruiker.wachtwoord_hash)).all())
    assert hashes["anna"].startswith("scrypt:32768:8:1$")
    assert hashes["bert"].startswith(TEST_PASSWORD_HASH + "$")
    assert authenticate(programme, "anna", PASSWORD, "10.0.0.1").gebruikersnaam == "anna"
    assert authenticate(programme, "bert", PASSWORD, "10.0.0.1").gebruikersnaam == "bert"


def test_an_unknown_name_is_checked_at_the_cost_of_the_accounts_own_hashes(programme, monkeypatch):
    """A wrong name takes as long as a wrong password: the hash checked for an unknown name has
    the parameters of the newest local account's hash (werkzeug's full cost for the product's
    accounts, the suite's cheap one for the suite's), whatever this process would make."""
    from data.accounts import users

    checked = []
    real_check = users.check_password_hash
    monkeypatch.setattr(users, "check_password_hash", lambda hashed, typed: checked.append(hashed) or real_check(hashed, typed))
    with product_password_hashes():
        add_user(programme, "anna", "Anna", "lezer", PASSWORD)
    with pytest.raises(UserError, match="Gebruikersnaam of wachtwoord klopt niet"):
        authenticate(programme, "niemand", PASSWORD, "10.0.0.2")
    add_user(programme, "bert", "Bert", "lezer", PASSWORD)  # now the newest account
    with pytest.raises(UserError, match="Gebruikersnaam of wachtwoord klopt niet"):
        authenticate(programme, "niemand", PASSWORD, "10.0.0.2")
    assert checked[0].startswith("scrypt:32768:8:1$")
    assert checked[1].startswith(TEST_PASSWORD_HASH + "$")
    # parameters werkzeug does not make: its default instead, and still only the one Dutch answer
    with programme.begin() as conn:
        conn.execute(update(Gebruiker).where(Gebruiker.gebruikersnaam == "bert")
                     .values(wachtwoord_hash="onbekend:1$zout$0000"))
    with pytest.raises(UserError, match="Gebruikersnaam of wachtwoord klopt niet"):
        authenticate(programme, "niemand", PASSWORD, "10.0.0.2")
    assert checked[2].startswith("scrypt:")


@pytest.mark.parametrize("args,message", [
    (("Anna", "Anna", "trekker", PASSWORD), "gebruikersnaam: 2–64 tekens"),
    (("a", "Anna", "trekker", PASSWORD), "gebruikersnaam: 2–64 tekens"),
    (("anna smit", "Anna", "trekker", PASSWORD), "gebruikersnaam"),
    (("anna\n", "Anna", "trekker", PASSWORD), "gebruikersnaam"),
    (("x" * 65, "Anna", "trekker", PASSWORD), "gebruikersnaam"),
    (("", "Anna", "trekker", PASSWORD), "gebruikersnaam"),
    (("anna", "Anna", "baas", PASSWORD), "rol 'baas' bestaat niet; kies uit programmamanager, trekker, lezer"),
    (("anna", "", "trekker", PASSWORD), "naam: 1–200 tekens"),
    (("anna", "   ", "trekker", PASSWORD), "naam: 1–200 tekens"),
    (("anna", "A" * 201, "trekker", PASSWORD), "naam: 1–200 tekens"),
    (("anna", "Anna", "trekker", "kort"), "het wachtwoord moet minstens 10 tekens lang zijn"),
])
def test_add_user_refuses_bad_input(programme, args, message):
    before = counts(programme)
    with pytest.raises(UserError) as caught:
        add_user(programme, *args)
    assert message in str(caught.value)
    assert counts(programme) == before


def test_duplicates_unknown_maatregelen_and_non_trekkers(programme):
    add_user(programme, "anna", "Anna", "trekker", PASSWORD)
    add_user(programme, "raad", "Raadslid", "lezer", PASSWORD)
    before = counts(programme)
    with pytest.raises(UserError, match="gebruiker 'anna' bestaat al"):
        add_user(programme, "anna", "Anna 2", "lezer", PASSWORD)
    with pytest.raises(UserError, match="onbekende maatregel\\(en\\): L9.9"):
        assign(programme, "anna", ["L1.1", "L9.9"])  # nothing of it, also not L1.1
    with pytest.raises(UserError, match="raad is lezer: alleen een trekker krijgt maatregelen toegewezen"):
        assign(programme, "raad", ["L1.1"])
    with pytest.raises(UserError, match="gebruiker 'niemand' bestaat niet"):
        assign(programme, "niemand", ["L1.1"])
    with pytest.raises(UserError, match="bestaat niet"):
        set_role(programme, "niemand", "lezer")
    with pytest.raises(UserError, match="rol 'baas' bestaat niet"):
        set_role(programme, "anna", "baas")
    with pytest.raises(UserError, match="minstens 10 tekens"):
        set_password(programme, "anna", "kort")
    assert counts(programme) == before
    assign(programme, "anna", ["L1.1", "L1.1"])  # named twice: assigned once
    assert [u.maatregelen for u, _ in list_users(programme) if u.gebruikersnaam == "anna"] == [frozenset({"L1.1"})]
    before = counts(programme)
    # add with maatregelen is one step: refused as a whole
    for rol, codes, message in (("trekker", ["L9.9"], "onbekende maatregel"),
                                ("lezer", ["L1.1"], "alleen een trekker")):
        with pytest.raises(UserError, match=message):
            add_user(programme, "bert", "Bert", rol, PASSWORD, maatregelen=codes)
    assert counts(programme) == before


def test_authenticate(programme):
    add_user(programme, "anna", "Anna de Trekker", "trekker", PASSWORD, maatregelen=["L1.1"])
    user = authenticate(programme, " Anna ", PASSWORD, "10.0.0.1")
    assert (user.gebruikersnaam, user.rol, user.maatregelen) == ("anna", "trekker", frozenset({"L1.1"}))
    messages = set()
    for name, password in (("anna", PASSWORD + "x"), ("onbekend", PASSWORD), ("anna", "")):
        with pytest.raises(UserError) as caught:
            authenticate(programme, name, password, "10.0.0.1")
        assert not isinstance(caught.value, TooManyAttempts)
        messages.add(str(caught.value))
    assert messages == {WRONG}  # no hint whether the name exists
    set_active(programme, "anna", False)
    with pytest.raises(UserError, match=WRONG):
        authenticate(programme, "anna", PASSWORD, "10.0.0.1")
    assert login_attempts(programme) == 5  # every attempt recorded
    with programme.connect() as conn:
        assert conn.execute(select(Inlogpoging.gebruikersnaam, Inlogpoging.gelukt)
                            .order_by(Inlogpoging.id)).all() == [
            ("anna", True), ("anna", False), ("onbekend", False), ("anna", False), ("anna", False)]


def test_a_name_with_control_characters_is_a_failed_attempt_not_a_database_error(programme):
    """PostgreSQL refuses a NUL in text: typed at the login it was a database error (a 500 page)."""
    add_user(programme, "anna", "Anna de Trekker", "trekker", PASSWORD)
    for typed in ("ann\x00a", "\x00", "anna\x00" + "x" * 80, "an\nna\x1b"):
        with pytest.raises(UserError, match=WRONG):
            authenticate(programme, typed, PASSWORD + "x", "10.0.0.1")
    assert known_account_name(programme, "ann\x00a") == "anna"
    assert authenticate(programme, "\x00anna", PASSWORD, "10.0.0.1").gebruikersnaam == "anna"
    with programme.connect() as conn:
        names = conn.scalars(select(Inlogpoging.gebruikersnaam).order_by(Inlogpoging.id)).all()
    assert names == ["anna", "", "annaxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "anna", "anna"]


def test_rate_limit_per_name_and_it_lifts_after_the_window(programme):
    add_user(programme, "anna", "Anna", "trekker", PASSWORD)
    start = dt.datetime(2026, 3, 2, 9, 0)
    for i in range(MAX_MISLUKT):
        with pytest.raises(UserError, match=WRONG):
            authenticate(programme, "anna", "fout-wachtwoord", f"10.0.0.{i}", now=start + dt.timedelta(minutes=i))
    later = start + dt.timedelta(minutes=MAX_MISLUKT)
    with pytest.raises(TooManyAttempts, match="Te veel mislukte pogingen. Probeer het over 15 minuten opnieuw."):
        authenticate(programme, "anna", PASSWORD, "10.0.0.99", now=later)  # even the right password
    with pytest.raises(TooManyAttempts):
        authenticate(programme, "ANNA", PASSWORD, "10.0.0.99", now=later)
    with pytest.raises(UserError, match=WRONG):  # another name is not blocked
        authenticate(programme, "bert", PASSWORD, "10.0.0.99", now=later)
    # once the first failure is older than the window, one attempt is free again
    assert authenticate(programme, "anna", PASSWORD, "10.0.0.99",
                        now=start + VENSTER + dt.timedelta(minutes=1)).gebruikersnaam == "anna"


def test_rate_limit_per_address(programme):
    start = dt.datetime(2026, 3, 2, 9, 0)
    with programme.begin() as conn:  # 20 failures from one address, each for another name
        conn.execute(insert(Inlogpoging), [dict(gebruikersnaam=f"naam{i}", adres="10.9.9.9", gelukt=False,
                                                op=start + dt.timedelta(seconds=i)) for i in range(MAX_MISLUKT * 4)])
    with pytest.raises(TooManyAttempts):
        authenticate(programme, "nieuw", PASSWORD, "10.9.9.9", now=start + dt.timedelta(minutes=1))
    with pytest.raises(UserError, match=WRONG):
        authenticate(programme, "nieuw", PASSWORD, "10.1.1.1", now=start + dt.timedelta(minutes=1))


# --- python -m data users … -----------------------------------------------------------------------

def cli(*args, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = warm_python.run([sys.executable, "-m", "data", "users", *args], cwd=ROOT, env=env, input=stdin,
                             capture_output=True, text=True, timeout=120)
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    return result


def users_main(*args, stdin: str | None = None) -> subprocess.CompletedProcess:
    """The same through `python -m data`'s main function in this process (tests/cli_support.py)."""
    from data.__main__ import main

    return run_main(main, ["users", *args], stdin)


def test_users_command_line(backend_url):
    engine = make_engine(backend_url)
    migrate(engine)
    load_programme(engine)
    try:
        db = ("--db", backend_url)
        ok = cli("add", "anna", "--naam", "Anna de Trekker", "--rol", "trekker", "--maatregel", "L1.1",
                 "--maatregel", "L1.4", "--wachtwoord-stdin", *db, stdin=PASSWORD + "\n")
        assert (ok.returncode, ok.stdout, ok.stderr) == (0, "Account anna (trekker) aangemaakt.\n", "")
        assert authenticate(engine, "anna", PASSWORD, "cli").maatregelen == frozenset({"L1.1", "L1.4"})

        for args, stdin, message in [
            (("add", "anna", "--naam", "A", "--rol", "lezer", "--wachtwoord-stdin"), PASSWORD,
             "gebruiker 'anna' bestaat al"),
            (("add", "bert", "--naam", "Bert", "--rol", "trekker", "--maatregel", "L9.9", "--wachtwoord-stdin"),
             PASSWORD, "onbekende maatregel(en): L9.9"),
            (("add", "Dirk", "--naam", "Dirk", "--rol", "lezer", "--wachtwoord-stdin"), PASSWORD, "gebruikersnaam: 2–64 tekens, kleine letters, cijfers, '.', '_' of '-'"),
            (("passwd", "anna", "--wachtwoord-stdin"), "kort\n", "het wachtwoord moet minstens 10 tekens lang zijn"),
            (("role", "niemand", "lezer"), None, "gebruiker 'niemand' bestaat niet"),
            # without a terminal getpass warned in English and the command said "fout: EOFError: "
            (("add", "piet", "--naam", "Piet", "--rol", "lezer"), None,
             "er is geen terminal om het wachtwoord te vragen; geef het op de standaardinvoer met --wachtwoord-stdin"),
            (("add", "piet", "--naam", "Piet", "--rol", "lezer", "--wachtwoord-stdin"), "",
             "geen wachtwoord op de standaardinvoer (--wachtwoord-stdin leest één regel)"),
            # what is wrong with the account is said before a password is asked
            (("add", "Dirk", "--naam", "Dirk", "--rol", "lezer"), None,
             "gebruikersnaam: 2–64 tekens, kleine letters, cijfers, '.', '_' of '-'"),
            (("add", "dirk", "--naam", " ", "--rol", "lezer"), None, "naam: 1–200 tekens"),
        ]:
            bad = users_main(*args, *db, stdin=stdin)
            if message is None:
                assert bad.returncode == 0, bad.stderr
                continue
            assert bad.returncode == 2 and bad.stdout == "" and bad.stderr == f"fout: {message}\n", (args, bad.stderr)

        assert users_main("passwd", "anna", "--wachtwoord-stdin", *db, stdin="nieuw-wachtwoord-123\n").returncode == 0
        assert users_main("assign", "anna", "L1.4", "--remove", *db).returncode == 0
        assert users_main("deactivate", "anna", *db).stdout == "anna is geblokkeerd.\n"
        listed = users_main("list", *db)
        assert listed.returncode == 0
        assert re.fullmatch(r"anna\s+trekker\s+geblokkeerd\s+Anna de Trekker · maatregelen: L1\.1 · e-mail: –\n", listed.stdout)
        names = [u.gebruikersnaam for u, _ in list_users(engine)]
        assert names == ["anna"]  # the refused adds left no half-made account
        set_active(engine, "anna", True)
        assert authenticate(engine, "anna", "nieuw-wachtwoord-123", "cli").maatregelen == frozenset({"L1.1"})
    finally:
        engine.dispose()


# --- demo accounts of the first start ----------------------------------------------------------------

def test_demo_accounts(programme, tmp_path, monkeypatch, capsys):
    from data import bootstrap

    path = tmp_path / "demo-accounts.txt"
    monkeypatch.setattr(bootstrap, "demo_accounts_file", lambda: path)
    bootstrap.ensure_demo_accounts(programme)
    text = path.read_text(encoding="utf-8")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    found = dict(re.findall(r"gebruikersnaam (\S+)\s+wachtwoord (\S+)", text))
    assert set(found) == {"programmamanager", "trekker", "raadslid"}
    printed = capsys.readouterr()
    # printed once at the first start, on stderr: a command's own output (kpi show --json) stays its own
    assert all(p in printed.err for p in found.values()) and printed.out == ""
    roles = {}
    for name, password in found.items():
        user = authenticate(programme, name, password, "test")
        roles[name] = (user.rol, user.maatregelen)
    with programme.connect() as conn:
        from data.programme.schema import Maatregel

        jeugd = frozenset(conn.scalars(select(Maatregel.code).where(Maatregel.trekker == "Beleidsadviseur jeugd")))
    assert len(jeugd) >= 5
    assert roles == {"programmamanager": ("programmamanager", frozenset()), "trekker": ("trekker", jeugd),
                     "raadslid": ("lezer", frozenset())}
    before = counts(programme)
    bootstrap.ensure_demo_accounts(programme)  # second start: nothing happens
    assert counts(programme) == before and path.read_text(encoding="utf-8") == text
    assert capsys.readouterr() == ("", "")
