"""Accounts of the OpenID Connect provider (data/accounts/provider_accounts.py) on SQLite and
PostgreSQL: made at the first login and found again by issuer + sub, the role of every login
(audited), the maatregelen kept, deactivation, no password (local login, passwd and role refuse
such an account), and `python -m data users list` marking them."""
from __future__ import annotations

import argparse
import re

import pytest
from sqlalchemy import select

from data.accounts import users_cli
from data.accounts.provider_accounts import (
    AccountBlocked,
    ProviderIdentity,
    provider_usernames,
    sign_in,
)
from data.accounts.schema import PROVIDER_ACCOUNT_HASH, Gebruiker
from data.accounts.users import (
    UserError,
    add_user,
    assign,
    authenticate,
    load_user,
    set_active,
    set_password,
    set_role,
)
from tests.beheer_support import audit_since, last_audit_id, programme

__all__ = ["programme"]
ISSUER = "https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0"
DOOR = "inlogdienst (OpenID Connect)"
ANNA = ProviderIdentity(ISSUER, "AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ", "Anna de Vries", "anna.devries@huizen.nl")


def test_the_first_login_makes_the_account_and_the_next_finds_it_by_sub(programme):
    before = last_audit_id(programme)
    user = sign_in(programme, ANNA, "trekker")
    assert (user.gebruikersnaam, user.naam, user.rol, user.maatregelen) == ("anna.devries", "Anna de Vries",
                                                                              "trekker", frozenset())
    # a new e-mail address and name at the provider: the same account (found by issuer + sub)
    renamed = ProviderIdentity(ISSUER, ANNA.sub, "Anna Jansen-de Vries", "anna.jansen@huizen.nl")
    again = sign_in(programme, renamed, "trekker")
    assert (again.id, again.gebruikersnaam, again.naam) == (user.id, "anna.devries", "Anna Jansen-de Vries")
    assert audit_since(programme, before) == [("gebruiker", "anna.devries", "rol", None, "trekker", DOOR,
                                               "app-rol bij aanmelding")]
    with programme.connect() as conn:
        row = conn.execute(select(Gebruiker).where(Gebruiker.id == user.id)).one()
    assert (row.oidc_issuer, row.oidc_sub, row.wachtwoord_hash) == (ISSUER, ANNA.sub, PROVIDER_ACCOUNT_HASH)


def test_the_same_sub_of_another_issuer_is_another_account(programme):
    first = sign_in(programme, ANNA, "lezer")
    other = sign_in(programme, ProviderIdentity("https://idp.huizen.nl", ANNA.sub, "Anna", "anna.devries@x"), "lezer")
    assert other.id != first.id and other.gebruikersnaam == "anna.devries-2"


def test_the_role_comes_from_every_login_and_the_maatregelen_stay(programme):
    sign_in(programme, ANNA, "trekker")
    assign(programme, "anna.devries", ["L1.1", "L3.6"], door="pm")
    before = last_audit_id(programme)
    assert sign_in(programme, ANNA, "lezer").rol == "lezer"
    back = sign_in(programme, ANNA, "trekker")
    assert (back.rol, back.maatregelen) == ("trekker", frozenset({"L1.1", "L3.6"}))
    assert audit_since(programme, before) == [
        ("gebruiker", "anna.devries", "rol", "trekker", "lezer", DOOR, "app-rol bij aanmelding"),
        ("gebruiker", "anna.devries", "rol", "lezer", "trekker", DOOR, "app-rol bij aanmelding")]


def test_a_deactivated_account_is_refused_and_changes_nothing(programme):
    user = sign_in(programme, ANNA, "trekker")
    set_active(programme, "anna.devries", False)
    before = last_audit_id(programme)
    with pytest.raises(AccountBlocked, match="Dit account is geblokkeerd in de Jeugdmonitor"):
        sign_in(programme, ANNA, "programmamanager")
    assert audit_since(programme, before) == []
    set_active(programme, "anna.devries", True)
    assert load_user(programme, user.id).rol == "trekker"


def test_a_local_account_keeps_its_name_and_is_never_taken_over(programme):
    add_user(programme, "anna.devries", "Anna (lokaal)", "programmamanager", "lang-genoeg-wachtwoord")
    provider_user = sign_in(programme, ANNA, "lezer")
    assert provider_user.gebruikersnaam == "anna.devries-2" and provider_user.rol == "lezer"
    local = authenticate(programme, "anna.devries", "lang-genoeg-wachtwoord", "test")
    assert (local.rol, local.naam) == ("programmamanager", "Anna (lokaal)")
    assert sign_in(programme, ProviderIdentity(ISSUER, "sub-3", None, "anna.devries@elders.nl"),
                   "lezer").gebruikersnaam == "anna.devries-3"


def test_a_provider_account_has_no_password(programme):
    sign_in(programme, ANNA, "trekker")
    for password in ("", PROVIDER_ACCOUNT_HASH, "lang-genoeg-wachtwoord"):
        with pytest.raises(UserError, match="^Gebruikersnaam of wachtwoord klopt niet.$"):
            authenticate(programme, "anna.devries", password, "test")
    with pytest.raises(UserError, match="logt in via de inlogdienst van de gemeente .*geen wachtwoord"):
        set_password(programme, "anna.devries", "een-nieuw-wachtwoord")
    with pytest.raises(UserError, match="de rol komt bij elke aanmelding uit de app-rollen"):
        set_role(programme, "anna.devries", "programmamanager")
    with programme.connect() as conn:
        assert conn.scalar(select(Gebruiker.wachtwoord_hash)) == PROVIDER_ACCOUNT_HASH


@pytest.mark.parametrize("identity, rol, message", [
    (ProviderIdentity(ISSUER, ""), "lezer", "geen geldige gebruikerscode"),
    (ProviderIdentity(ISSUER, "s" * 256), "lezer", "geen geldige gebruikerscode"),
    (ProviderIdentity(ISSUER, 12345), "lezer", "geen geldige gebruikerscode"),  # a number, not a string
    (ProviderIdentity("", "sub"), "lezer", "ongeldige uitgever"),
    (ProviderIdentity(ISSUER, "sub"), "beheerder", "rol 'beheerder' bestaat niet"),
])
def test_bad_claims_change_nothing(programme, identity, rol, message):
    with pytest.raises(UserError, match=message):
        sign_in(programme, identity, rol)
    with programme.connect() as conn:
        assert conn.execute(select(Gebruiker)).all() == []


def test_users_list_marks_the_provider_accounts(programme, capsys):
    add_user(programme, "piet", "Piet Lokaal", "lezer", "lang-genoeg-wachtwoord")
    sign_in(programme, ANNA, "trekker")
    assign(programme, "anna.devries", ["L1.1"])
    assert provider_usernames(programme) == {"anna.devries"}
    # the command's own function on this test's database (on PostgreSQL a schema of the worker's)
    assert users_cli.run(argparse.Namespace(users_command="list"), programme) == 0
    lines = capsys.readouterr().out.splitlines()
    assert re.fullmatch(r"anna\.devries\s+trekker\s+actief\s+Anna de Vries · maatregelen: L1\.1 · e-mail: – · via de inlogdienst",
                        lines[0])
    assert re.fullmatch(r"piet\s+lezer\s+actief\s+Piet Lokaal · maatregelen: – · e-mail: –", lines[1])


def test_the_providers_address_is_taken_once_and_never_replaces_one_set_here(programme):
    """The digest needs an address: a provider account takes the `email` claim while it has none;
    an address set with `python -m data users email` stays, and a claim that is no address is ignored."""
    from dataclasses import replace

    from data.accounts.users import email_addresses, set_emailadres

    sign_in(programme, replace(ANNA, email="Anna.deVries@HUIZEN.nl"), "trekker")
    assert email_addresses(programme)["anna.devries"] == "Anna.deVries@huizen.nl"
    set_emailadres(programme, "anna.devries", "secretariaat@huizen.nl")
    sign_in(programme, replace(ANNA, email="anna@elders.nl"), "trekker")
    assert email_addresses(programme)["anna.devries"] == "secretariaat@huizen.nl"
    bert = ProviderIdentity(ISSUER, "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB", "Bert", "bert@huizen.nl", email="geen adres")
    sign_in(programme, bert, "lezer")
    assert "bert" not in email_addresses(programme)
