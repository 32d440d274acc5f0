"""The login settings (dashboard/server/login_settings.py), the role from the provider's app roles
(provider_roles.py) and the names a provider account gets (data/accounts/provider_accounts.py):
pure functions, called directly. And `python app.py` with a refused login setting: one Dutch line,
exit 2, before any database is opened."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from dashboard.server.login_settings import (
    CALLBACK_PATH,
    LoginSettingError,
    LoginSettings,
    OidcSettings,
    login_settings,
)
from dashboard.server.provider_roles import app_roles_in, missing_role_text, role_from_claims
from data.accounts.provider_accounts import ProviderIdentity, display_name, username_base
from tests import warm_python

ROOT = Path(__file__).resolve().parent.parent
ENTRA = "https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0"
BASE = {"OIDC_ISSUER": ENTRA, "OIDC_CLIENT_ID": "6731de76-14a6-49ae-97bc-6eba6914391e",
        "OIDC_CLIENT_SECRET": "abc~DEF.123_geheim"}


def test_without_any_login_setting_only_local_accounts():
    assert login_settings({}) == LoginSettings(local_accounts=True, oidc=None)
    assert login_settings({"LOKALE_ACCOUNTS": "", "OIDC_ISSUER": "  "}) == LoginSettings(True, None)


def test_the_three_settings_give_oidc_with_the_default_roles_and_claim():
    settings = login_settings(BASE)
    assert settings.local_accounts is True
    oidc = settings.oidc
    assert (oidc.issuer, oidc.client_id, oidc.client_secret) == (ENTRA, BASE["OIDC_CLIENT_ID"], "abc~DEF.123_geheim")
    assert oidc.role_claim == "roles"
    assert oidc.app_roles == (("programmamanager", "jeugdmonitor.programmamanager"),
                              ("trekker", "jeugdmonitor.trekker"), ("lezer", "jeugdmonitor.lezer"))
    assert oidc.discovery_url == ENTRA + "/.well-known/openid-configuration"
    assert oidc.issuer_origin == "https://login.microsoftonline.com"
    assert oidc.redirect_uri is None and oidc.label == "gemeente-account"
    assert "abc~DEF" not in repr(oidc)  # the secret stays out of logs and tracebacks


def test_role_names_claim_redirect_uri_label_and_the_switch_are_read():
    oidc_on = login_settings({**BASE, "OIDC_ROL_PROGRAMMAMANAGER": "JM.Beheer", "OIDC_ROL_TREKKER": "JM.Trekker",
                              "OIDC_ROL_LEZER": "JM.Lezer", "OIDC_ROL_CLAIM": "app_rollen",
                              "OIDC_REDIRECT_URI": "https://jeugdmonitor.huizen.nl" + CALLBACK_PATH,
                              "OIDC_NAAM": " Huizen-account  (Microsoft) ", "LOKALE_ACCOUNTS": "uit"})
    assert oidc_on.local_accounts is False
    assert oidc_on.oidc.app_roles == (("programmamanager", "JM.Beheer"), ("trekker", "JM.Trekker"),
                                      ("lezer", "JM.Lezer"))
    assert oidc_on.oidc.role_claim == "app_rollen"
    assert oidc_on.oidc.redirect_uri == "https://jeugdmonitor.huizen.nl/inloggen/oidc/terug"
    assert oidc_on.oidc.label == "Huizen-account (Microsoft)"
    for on in ("aan", "AAN", "1", "ja", "on"):
        assert login_settings({**BASE, "LOKALE_ACCOUNTS": on}).local_accounts is True
    for off in ("uit", "Uit", "0", "nee", "off", "false"):
        assert login_settings({**BASE, "LOKALE_ACCOUNTS": off}).local_accounts is False


def test_http_is_accepted_only_for_a_provider_on_this_machine():
    for issuer in ("http://127.0.0.1:8080", "http://localhost:5556/dex", "http://[::1]:9000/realms/huizen"):
        assert login_settings({**BASE, "OIDC_ISSUER": issuer}).oidc.issuer == issuer
    with pytest.raises(LoginSettingError, match="http alleen voor een inlogdienst op deze machine"):
        login_settings({**BASE, "OIDC_ISSUER": "http://login.huizen.nl"})


@pytest.mark.parametrize("settings, message", [
    ({"OIDC_ISSUER": ENTRA}, "OpenID Connect is half ingesteld: OIDC_CLIENT_ID en OIDC_CLIENT_SECRET ontbreken"),
    ({**BASE, "OIDC_CLIENT_SECRET": " "}, "half ingesteld: OIDC_CLIENT_SECRET ontbreekt"),
    ({"OIDC_CLIENT_ID": "x", "OIDC_CLIENT_SECRET": "y"}, "half ingesteld: OIDC_ISSUER ontbreekt"),
    ({"OIDC_ROL_LEZER": "raad"}, "OIDC_ROL_LEZER is gezet, maar OpenID Connect staat uit"),
    ({"LOKALE_ACCOUNTS": "uit"}, "LOKALE_ACCOUNTS=uit zonder OpenID Connect: dan kan niemand inloggen"),
    ({**BASE, "LOKALE_ACCOUNTS": "misschien"}, "LOKALE_ACCOUNTS='misschien': geef aan of uit"),
    ({**BASE, "OIDC_ISSUER": "login.microsoftonline.com/huizen"}, "OIDC_ISSUER='login.microsoftonline.com/huizen': "
                                                                  "geef een volledige https-URL"),
    ({**BASE, "OIDC_ISSUER": "https://login.example/v2.0?tenant=x"}, "OIDC_ISSUER=.*volledige https-URL"),
    ({**BASE, "OIDC_ISSUER": "https://gebruiker:wachtwoord@login.example"}, "OIDC_ISSUER=.*volledige https-URL"),
    ({**BASE, "OIDC_ISSUER": "https://login.example:poort"}, "OIDC_ISSUER=.*volledige https-URL"),
    ({**BASE, "OIDC_ISSUER": "https://login.example/" + "x" * 300}, "OIDC_ISSUER=.*volledige https-URL"),
    ({**BASE, "OIDC_CLIENT_ID": "twee woorden"}, "OIDC_CLIENT_ID='twee woorden': geef de client-ID"),
    ({**BASE, "OIDC_CLIENT_SECRET": "regel\nnog een"}, "OIDC_CLIENT_SECRET: geef het clientgeheim"),
    ({**BASE, "OIDC_ROL_TREKKER": "jeugdmonitor.lezer"}, "moeten drie verschillende app-rollen zijn"),
    ({**BASE, "OIDC_ROL_LEZER": "raad, college"}, "OIDC_ROL_LEZER='raad, college': 1 tot 120 tekens zonder spaties"),
    ({**BASE, "OIDC_ROL_CLAIM": "app rollen"}, "OIDC_ROL_CLAIM='app rollen'"),
    ({**BASE, "OIDC_REDIRECT_URI": "https://jeugdmonitor.huizen.nl/terug"}, "het pad moet /inloggen/oidc/terug zijn"),
    ({**BASE, "OIDC_REDIRECT_URI": "http://jeugdmonitor.huizen.nl" + CALLBACK_PATH}, "OIDC_REDIRECT_URI=.*https-URL"),
    ({**BASE, "OIDC_NAAM": "x" * 61}, "OIDC_NAAM=.*hooguit 60 tekens"),
])
def test_a_refused_combination_says_why_in_dutch(settings, message):
    with pytest.raises(LoginSettingError, match=message):
        login_settings(settings)


def test_the_secret_is_never_in_a_message():
    with pytest.raises(LoginSettingError) as refused:
        login_settings({**BASE, "OIDC_CLIENT_SECRET": "zeer-geheim\tmet-tab"})
    assert "zeer-geheim" not in str(refused.value)


def test_app_py_stops_with_one_dutch_line_before_opening_the_database():
    env = {**os.environ, "DATABASE_URL": "sqlite:////nonexistent/never-opened.db", "OIDC_ISSUER": ENTRA,
           "OIDC_CLIENT_ID": "jeugdmonitor"}
    env.pop("OIDC_CLIENT_SECRET", None)
    proc = warm_python.run([sys.executable, "app.py"], cwd=ROOT, capture_output=True, text=True, timeout=60, env=env)
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == ["fout: OpenID Connect is half ingesteld: OIDC_CLIENT_SECRET ontbreekt (geef "
                                        "OIDC_ISSUER, OIDC_CLIENT_ID en OIDC_CLIENT_SECRET alle drie)"]
    assert "Traceback" not in proc.stdout + proc.stderr


# --- the role from the app roles ----------------------------------------------------------------

OIDC = OidcSettings(issuer=ENTRA, client_id="c", client_secret="s")


@pytest.mark.parametrize("claims, role", [
    ({"roles": ["jeugdmonitor.programmamanager"]}, "programmamanager"),
    ({"roles": ["jeugdmonitor.trekker"]}, "trekker"),
    ({"roles": ["jeugdmonitor.lezer"]}, "lezer"),
    ({"roles": ["jeugdmonitor.lezer", "jeugdmonitor.trekker"]}, "trekker"),  # several: the highest
    ({"roles": ["jeugdmonitor.lezer", "jeugdmonitor.programmamanager", "jeugdmonitor.trekker"]}, "programmamanager"),
    ({"roles": "jeugdmonitor.lezer jeugdmonitor.trekker"}, "trekker"),  # one string, separated by spaces
    ({"roles": ["Jeugdmonitor.Programmamanager"]}, None),  # app role values are case sensitive
    ({"roles": ["ander.programma.beheerder"]}, None),
    ({"roles": []}, None),
    ({}, None),
    ({"roles": [{"rol": "jeugdmonitor.lezer"}, 7, None]}, None),  # no strings: no roles
    ({"roles": {"jeugdmonitor.lezer": True}}, None),
    ({"groups": ["jeugdmonitor.programmamanager"]}, None),  # group membership never counts
])
def test_the_role_is_the_highest_recognised_app_role(claims, role):
    assert role_from_claims(claims, OIDC) == role


def test_configured_role_names_and_claim():
    oidc = login_settings({**BASE, "OIDC_ROL_CLAIM": "rollen", "OIDC_ROL_LEZER": "JM.Lezer"}).oidc
    assert role_from_claims({"rollen": ["JM.Lezer"]}, oidc) == "lezer"
    assert role_from_claims({"roles": ["JM.Lezer"]}, oidc) is None
    assert role_from_claims({"rollen": ["jeugdmonitor.lezer"]}, oidc) is None
    assert app_roles_in({"rollen": ["a", 1, "b"]}, "rollen") == ("a", "b")


def test_the_missing_role_message_names_every_app_role_and_the_claim():
    oidc = login_settings({**BASE, "OIDC_ROL_LEZER": "JM.Lezer"}).oidc
    assert ("Een van de app-rollen jeugdmonitor.programmamanager, jeugdmonitor.trekker of JM.Lezer (in de claim "
            "'roles') is nodig.") in missing_role_text(oidc)


# --- the names of a provider account ------------------------------------------------------------

@pytest.mark.parametrize("preferred, naam, expected", [
    ("anna.devries@huizen.nl", "Anna de Vries", "anna.devries"),
    ("Anna.De.Vries@Huizen.NL", None, "anna.de.vries"),
    ("jörg o'neill@huizen.nl", None, "jorg-o-neill"),
    (None, "Piet Jansen", "piet-jansen"),
    ("@huizen.nl", None, "sso"),
    ("李@huizen.nl", None, "sso"),
    ("a" * 80 + "@huizen.nl", None, "a" * 56),
])
def test_the_username_comes_from_preferred_username(preferred, naam, expected):
    assert username_base(ProviderIdentity("https://i", "sub", naam, preferred)) == expected


def test_the_display_name_is_name_else_preferred_username_else_sub():
    assert display_name(ProviderIdentity("https://i", "s1", "Anna  de\u0000 Vries", "anna@x")) == "Anna de Vries"
    assert display_name(ProviderIdentity("https://i", "s1", " ", "anna@x")) == "anna@x"
    assert display_name(ProviderIdentity("https://i", "s1", None, None)) == "s1"
    assert len(display_name(ProviderIdentity("https://i", "s1", "x" * 500))) == 200


def test_with_local_accounts_off_the_embedded_default_prints_no_demo_passwords(tmp_path, monkeypatch, app_module):
    """Nobody could log in with them: no demo accounts, no file of passwords, nothing printed."""
    import data.db
    from data.accounts.users import list_users
    from data.bootstrap import demo_accounts_file
    from tests.conftest import demo_sqlite_template, sqlite_copy

    sqlite_copy(demo_sqlite_template(), tmp_path / "default.db")  # the demonstration data, no accounts yet
    monkeypatch.setattr(data.db, "DEFAULT_SQLITE_PATH", tmp_path / "default.db")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    dash_app = app_module.create_app({**BASE, "LOKALE_ACCOUNTS": "uit", "WARM_CACHE": "0"})
    from dashboard.server import runtime

    assert dash_app.server is not None and list_users(runtime.current().engine) == []
    assert not demo_accounts_file().exists()
