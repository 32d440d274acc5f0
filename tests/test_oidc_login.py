"""Login through OpenID Connect at the HTTP level: the app in this process (Flask's test client,
http://localhost) against a real provider (tests/oidc_provider.py: panva's oidc-provider under
Node.js), walked through by a requests session as a browser would. The flow, the role mapping,
every tampered token, state and code, the provider's errors and outages, LOKALE_ACCOUNTS=uit and
the logout at the provider. The same in Chromium: tests/test_oidc_browser.py."""
from __future__ import annotations

import logging
import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests

from data.accounts.provider_accounts import provider_usernames
from data.accounts.users import add_user, assign, email_addresses, list_users, set_active
from data.db import make_engine, migrate
from data.programme.plan import load_programme
from tests.browser import free_port
from tests.oidc_provider import CLIENT_ID, log_in_at_provider, oidc_settings, running_provider

APP = "http://localhost"  # Flask's test client
CALLBACK = APP + "/inloggen/oidc/terug"
PASSWORD = "lang-genoeg-wachtwoord"
REFUSED = "Het inlogbewijs van de inlogdienst is ongeldig"
EXPIRED = "Deze inlogpoging is verlopen of niet in deze browser begonnen"


@pytest.fixture(scope="module")
def issuer(tmp_path_factory):
    with running_provider(CALLBACK, APP + "/inloggen", tmp_path_factory.mktemp("oidc") / "provider.log") as url:
        yield url


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    """A SQLite file: migrated, the Programmaplan, one local account."""
    url = f"sqlite:///{tmp_path_factory.mktemp('oidc-db') / 'w.db'}"
    engine = make_engine(url)
    migrate(engine)
    load_programme(engine)
    add_user(engine, "lokaal", "Lokale Beheerder", "programmamanager", PASSWORD)
    yield url, engine
    engine.dispose()


@pytest.fixture
def make_app(database, issuer, app_module):
    def build(**settings):
        return app_module.create_app({"DATABASE_URL": database[0], "SECRET_KEY": "test-" + "x" * 32,
                                      "WARM_CACHE": "0", **oidc_settings(issuer), **settings}).server
    return build


@pytest.fixture
def client(make_app):
    return make_app().test_client()


@pytest.fixture
def security_log(caplog):
    caplog.set_level(logging.INFO, logger="jeugdmonitor.security")
    return caplog


def start(client, volgende: str = "/", **headers):
    answer = client.get("/inloggen/oidc?" + urlencode({"volgende": volgende}), headers=headers)
    assert answer.status_code == 302, answer.get_data(as_text=True)[:300]
    return answer.headers["Location"]


def at_provider(authorize_url: str, name: str, provider_browser: requests.Session | None = None) -> str:
    """The callback address the provider sends the browser back to, after `name` logged in there."""
    return log_in_at_provider(provider_browser or requests.Session(), authorize_url, name, APP + "/")


def open_callback(client, url: str):
    parts = urlsplit(url)
    return client.get(parts.path + "?" + parts.query)


def log_in(client, name: str, volgende: str = "/"):
    return open_callback(client, at_provider(start(client, volgende), name))


def text(answer) -> str:
    return answer.get_data(as_text=True)


def logged_in(client) -> bool:
    return client.get("/programma").status_code == 200


def with_query(url: str, **changes) -> str:
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()} | changes
    return parts._replace(query=urlencode(query)).geturl()


# --- the login page ------------------------------------------------------------------------------

def test_the_login_page_offers_the_provider_beside_the_local_form(client, issuer):
    page = client.get("/inloggen?volgende=/programma")
    body = text(page)
    assert page.status_code == 200
    assert '<a class="btn btn-primary" id="inloggen-oidc" href="/inloggen/oidc?volgende=%2Fprogramma">' \
           "Inloggen met gemeente-account</a>" in body
    assert 'name="wachtwoord"' in body
    # the logout form's answer may lead the browser on to the provider
    assert f"form-action 'self' {issuer};" in page.headers["Content-Security-Policy"]


def test_with_local_accounts_off_only_the_provider_remains(make_app, database):
    client = make_app(LOKALE_ACCOUNTS="uit", OIDC_NAAM="Huizen-account").test_client()
    body = text(client.get("/inloggen"))
    assert "Inloggen met Huizen-account" in body and 'name="wachtwoord"' not in body
    with client.session_transaction() as session:
        csrf = session["csrf"]  # the form is gone, the token is in the session: a script's POST
    refused = client.post("/inloggen", data={"csrf": csrf, "gebruikersnaam": "lokaal", "wachtwoord": PASSWORD})
    assert refused.status_code == 403
    assert "Inloggen met een gebruikersnaam en wachtwoord staat uit" in text(refused)
    assert not logged_in(client)


def test_without_oidc_the_login_page_is_as_before(database, app_module):
    client = app_module.create_app({"DATABASE_URL": database[0], "SECRET_KEY": "test-" + "x" * 32}).server.test_client()
    page = client.get("/inloggen")
    assert "inloggen-oidc" not in text(page) and 'name="wachtwoord"' in text(page)
    assert "form-action 'self';" in page.headers["Content-Security-Policy"]
    assert client.get("/inloggen/oidc").status_code == 404  # no such route without OIDC: the Dutch 404


# --- a login -------------------------------------------------------------------------------------

def test_a_login_through_the_provider_starts_a_server_side_session(client, database, issuer, security_log):
    authorize = start(client, "/programma?jaar=2026")
    parts = urlsplit(authorize)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == issuer + "/auth"
    assert query["response_type"] == "code" and query["client_id"] == CLIENT_ID
    assert query["redirect_uri"] == CALLBACK and query["scope"] == "openid profile email"
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43  # PKCE
    assert len(query["state"]) >= 20 and len(query["nonce"]) >= 20
    answer = open_callback(client, at_provider(authorize, "petra"))
    assert answer.status_code == 302 and answer.headers["Location"] == "/programma?jaar=2026"
    assert logged_in(client)
    with client.session_transaction() as session:
        assert set(session) == {"_permanent", "csrf", "sessie", "inlogdienst"}  # Authlib's state is gone
    [(user, actief)] = [(u, a) for u, a in list_users(database[1]) if u.gebruikersnaam == "petra.manager"]
    assert (user.naam, user.rol, actief) == ("Petra Manager", "programmamanager", True)
    assert email_addresses(database[1])["petra.manager"] == "Petra.Manager@huizen.example"  # the digest's
    messages = [r.getMessage() for r in security_log.records]
    assert "ingelogd via de inlogdienst: petra.manager (programmamanager)" in messages
    assert not any("@" in m or "eyJ" in m for m in messages)  # no e-mail address, no token in the log


def test_an_address_the_provider_has_not_verified_is_not_taken(client, database):
    assert log_in(client, "rob").status_code == 302
    assert "rob" not in email_addresses(database[1])


def test_several_app_roles_give_the_highest(client, database):
    assert log_in(client, "beide").status_code == 302
    assert [u.rol for u, _ in list_users(database[1]) if u.naam == "Bea Beide"] == ["programmamanager"]


def test_without_an_app_role_there_is_no_session_and_no_account(client, database, security_log):
    answer = log_in(client, "geenrol")
    assert answer.status_code == 403
    assert ("Uw account heeft bij de inlogdienst geen app-rol voor de Jeugdmonitor. Een van de app-rollen "
            "jeugdmonitor.programmamanager, jeugdmonitor.trekker of jeugdmonitor.lezer") in text(answer)
    assert 'id="inloggen-oidc"' in text(answer)  # and the way to try again
    assert not logged_in(client)
    assert client.get("/").status_code == 302
    assert "gijs" not in provider_usernames(database[1])
    assert "inloggen via de inlogdienst geweigerd: geen app-rol voor de Jeugdmonitor" in security_log.messages


def test_a_changed_app_role_takes_effect_at_the_next_login_and_the_maatregelen_stay(make_app, database, issuer):
    assert log_in(make_app().test_client(), "anna").status_code == 302
    assign(database[1], "anna", ["L1.1"])
    try:
        requests.put(issuer + "/test/rollen/anna", data="jeugdmonitor.lezer", timeout=10).raise_for_status()
        assert log_in(make_app().test_client(), "anna").status_code == 302
        [anna] = [u for u, _ in list_users(database[1]) if u.gebruikersnaam == "anna"]
        assert (anna.rol, anna.maatregelen) == ("lezer", frozenset({"L1.1"}))
        requests.put(issuer + "/test/rollen/anna", data="", timeout=10).raise_for_status()
        assert log_in(make_app().test_client(), "anna").status_code == 403  # role taken away: no session
    finally:
        requests.put(issuer + "/test/rollen/anna", data="jeugdmonitor.trekker", timeout=10).raise_for_status()
    assert log_in(make_app().test_client(), "anna").status_code == 302
    [anna] = [u for u, _ in list_users(database[1]) if u.gebruikersnaam == "anna"]
    assert (anna.rol, anna.maatregelen) == ("trekker", frozenset({"L1.1"}))


def test_deactivation_ends_the_session_and_refuses_the_next_login(make_app, database):
    client = make_app().test_client()
    assert log_in(client, "raad").status_code == 302 and logged_in(client)
    set_active(database[1], "rob.raadslid", False)
    try:
        assert not logged_in(client)
        again = log_in(client, "raad")
        assert again.status_code == 403 and "Dit account is geblokkeerd in de Jeugdmonitor" in text(again)
        assert not logged_in(client)
    finally:
        set_active(database[1], "rob.raadslid", True)


# --- refused: a tampered token, state or code ---------------------------------------------------

@pytest.mark.parametrize("name, reason", [
    ("vervalst", "bad_signature"),          # roles raised to programmamanager after signing
    ("vreemde-sleutel", "bad_signature"),   # signed with a key that is not the provider's
    ("verlopen", "expired_token (exp)"),
    ("andere-client", "invalid_claim (aud)"),
    ("twee-clients", "invalid_claim (aud)"),  # ours and another: Authlib alone would let it pass (azp)
    ("andere-uitgever", "invalid_claim (iss)"),
    ("andere-nonce", "invalid_claim (nonce)"),  # an id_token of another login
])
def test_a_tampered_id_token_is_refused(client, database, security_log, name, reason):
    before = list_users(database[1])
    answer = log_in(client, name)
    assert answer.status_code == 400 and REFUSED in text(answer)
    assert not logged_in(client)
    assert list_users(database[1]) == before  # no account made
    assert f"inloggen via de inlogdienst geweigerd: id_token geweigerd: {reason}" in security_log.messages


def test_a_tampered_state_is_refused_and_the_real_one_still_works_once(client, security_log):
    callback = at_provider(start(client), "raad")
    state = parse_qs(urlsplit(callback).query)["state"][0]
    for forged in (state[:-1] + ("A" if state[-1] != "A" else "B"), "", "x" * 5000, "é"):
        answer = open_callback(client, with_query(callback, state=forged))
        assert answer.status_code == 400 and EXPIRED in text(answer)
    assert not logged_in(client)
    assert open_callback(client, callback).status_code == 302 and logged_in(client)
    # the same callback again (a replay): its state was used up
    replay = open_callback(client, callback)
    assert replay.status_code == 400 and EXPIRED in text(replay)
    assert security_log.messages.count("inloggen via de inlogdienst geweigerd: state klopt niet of is al gebruikt") == 5


def test_a_callback_opened_in_another_browser_is_refused(make_app):
    victim, attacker = make_app().test_client(), make_app().test_client()
    callback = at_provider(start(attacker), "petra")
    answer = open_callback(victim, callback)  # login CSRF: the attacker's login in the victim's browser
    assert answer.status_code == 400 and EXPIRED in text(answer)
    assert not logged_in(victim)


def test_a_tampered_code_and_a_code_of_another_login_are_refused(client, security_log):
    callback = at_provider(start(client), "petra")
    code = parse_qs(urlsplit(callback).query)["code"][0]
    answer = open_callback(client, with_query(callback, code=code[:-2] + "zz"))
    assert answer.status_code == 400 and REFUSED in text(answer)
    # PKCE: the code of one login with the state (so the verifier) of another in the same browser
    first = at_provider(start(client), "petra")
    second = at_provider(start(client), "petra")
    swapped = with_query(second, code=parse_qs(urlsplit(first).query)["code"][0])
    answer = open_callback(client, swapped)
    assert answer.status_code == 400 and REFUSED in text(answer)
    assert not logged_in(client)
    assert security_log.messages.count("inloggen via de inlogdienst geweigerd: tokenaanvraag geweigerd: "
                                       "invalid_grant") == 2


def test_an_answer_naming_another_issuer_is_refused(client):
    callback = at_provider(start(client), "petra")
    answer = open_callback(client, with_query(callback, iss="https://login.elders.example"))
    assert answer.status_code == 400 and REFUSED in text(answer) and not logged_in(client)


def test_an_error_from_the_provider_is_a_dutch_page_without_its_text(client, security_log):
    authorize = start(client)
    state = parse_qs(urlsplit(authorize).query)["state"][0]
    answer = client.get("/inloggen/oidc/terug?" + urlencode({
        "error": "access_denied", "error_description": "<script>alert(1)</script> gebruiker@huizen.nl", "state": state}))
    assert answer.status_code == 400
    assert "Inloggen bij de inlogdienst is afgebroken of geweigerd. U bent niet ingelogd." in text(answer)
    assert "<script>" not in text(answer) and "gebruiker@huizen.nl" not in text(answer)
    assert "inloggen via de inlogdienst geweigerd: de inlogdienst meldt: access_denied" in security_log.messages


@pytest.mark.parametrize("query", [
    "", "code=abc", "state=abc", "code=&state=", "error=", "error=" + "x" * 5000, "error=%C3%A9%00",
    "code=a&code=b&state=c&state=d", "state=%FF%FE", "iss=", "volgende=//elders.example",
])
def test_bad_callback_input_is_a_dutch_4xx(client, query):
    answer = client.get("/inloggen/oidc/terug?" + query)
    assert 400 <= answer.status_code < 500
    assert "Traceback" not in text(answer) and "Inloggen" in text(answer)
    assert not logged_in(client)


# --- the provider itself ------------------------------------------------------------------------

def test_an_unreachable_provider_gives_a_dutch_page_not_a_500(make_app, security_log):
    client = make_app(OIDC_ISSUER=f"http://127.0.0.1:{free_port()}").test_client()
    answer = client.get("/inloggen/oidc")
    assert answer.status_code == 503
    assert "De inlogdienst van de gemeente is nu niet bereikbaar." in text(answer)
    assert "inloggen via de inlogdienst geweigerd: discovery onbereikbaar (ConnectionError)" in security_log.messages
    assert client.get("/inloggen/oidc/terug?code=a&state=b").status_code == 503


def test_a_discovery_of_another_issuer_or_without_one_is_refused(make_app, issuer, security_log):
    other_name = issuer.replace("127.0.0.1", "localhost")  # the same provider, under another name
    answer = make_app(OIDC_ISSUER=other_name).test_client().get("/inloggen/oidc")
    assert answer.status_code == 502 and "niet goed ingesteld" in text(answer)
    assert (f"inloggen via de inlogdienst geweigerd: de discovery noemt issuer {issuer!r}, OIDC_ISSUER is "
            f"{other_name!r}: zet OIDC_ISSUER daarop") in security_log.messages
    missing = make_app(OIDC_ISSUER=issuer + "/bestaat-niet").test_client().get("/inloggen/oidc")
    assert missing.status_code == 503 and "niet bereikbaar" in text(missing)


def test_the_redirect_uri_follows_the_proxy_or_the_setting(make_app):
    behind = make_app(BEHIND_PROXY="1").test_client()
    authorize = start(behind, **{"X-Forwarded-Proto": "https", "X-Forwarded-For": "10.1.2.3"})
    assert parse_qs(urlsplit(authorize).query)["redirect_uri"] == ["https://localhost/inloggen/oidc/terug"]
    fixed = make_app(OIDC_REDIRECT_URI="https://jeugdmonitor.huizen.nl/inloggen/oidc/terug").test_client()
    assert parse_qs(urlsplit(start(fixed)).query)["redirect_uri"] == \
        ["https://jeugdmonitor.huizen.nl/inloggen/oidc/terug"]


def test_unfinished_logins_are_not_piled_up_in_the_cookie(client):
    for _ in range(8):
        start(client)
    with client.session_transaction() as session:
        assert len([key for key in session if key.startswith("_state_")]) == 3


# --- logout -------------------------------------------------------------------------------------

def test_logout_ends_the_session_here_and_then_at_the_provider(client, issuer):
    provider_browser = requests.Session()
    assert open_callback(client, at_provider(start(client), "petra", provider_browser)).status_code == 302
    with client.session_transaction() as session:
        id_token, csrf = session["inlogdienst"], session["csrf"]
    answer = client.post("/uitloggen", data={"csrf": csrf})
    assert answer.status_code == 302
    target = urlsplit(answer.headers["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == issuer + "/session/end"
    assert parse_qs(target.query) == {"client_id": [CLIENT_ID], "post_logout_redirect_uri": [APP + "/inloggen"],
                                      "id_token_hint": [id_token]}
    assert not logged_in(client)  # ended here before the browser leaves
    # at the provider: its confirmation, then back to the app's login page
    confirm = provider_browser.get(answer.headers["Location"], timeout=10)
    form = re.search(r'<form[^>]*action="([^"]+)"[^>]*>(.*?)</form>', confirm.text, re.S)
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form.group(2)))
    done = provider_browser.post(issuer + form.group(1) if form.group(1).startswith("/") else form.group(1),
                                 data={**fields, "logout": "yes"}, allow_redirects=False, timeout=10)
    assert done.status_code in (302, 303) and done.headers["Location"] == APP + "/inloggen"
    # the provider's session is over too: a new login asks for the name again
    again = provider_browser.get(start(client), allow_redirects=True, timeout=10)
    assert 'name="login"' in again.text


def test_a_local_session_logs_out_here_only(client):
    page = text(client.get("/inloggen"))
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    assert client.post("/inloggen", data={"csrf": csrf, "gebruikersnaam": "lokaal",
                                          "wachtwoord": PASSWORD}).status_code == 302
    with client.session_transaction() as session:
        csrf = session["csrf"]
    answer = client.post("/uitloggen", data={"csrf": csrf})
    assert answer.status_code == 302 and answer.headers["Location"] == "/inloggen"


# --- a discovery document that is not what it should be -----------------------------------------

@pytest.fixture
def discovery_server():
    """A small HTTP server on this machine that answers /.well-known/openid-configuration with the
    document a test puts in `answers` (the bad documents a misconfigured provider could send)."""
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    answers: dict = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the name http.server calls
            body = answers["body"] if isinstance(answers["body"], bytes) else json.dumps(answers["body"]).encode()
            self.send_response(answers.get("status", 200))
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", answers
    server.shutdown()
    server.server_close()


def test_a_bad_discovery_document_is_refused_with_its_reason(discovery_server):
    from dashboard.server.login_settings import OidcSettings
    from dashboard.server.oidc_login import ProviderProblem, discover

    issuer, answers = discovery_server
    settings = OidcSettings(issuer=issuer, client_id=CLIENT_ID, client_secret="s")
    good = {"issuer": issuer, "authorization_endpoint": issuer + "/auth", "token_endpoint": issuer + "/token",
            "jwks_uri": issuer + "/jwks", "id_token_signing_alg_values_supported": ["none", "HS256", "RS256", ["x"]]}
    answers["body"] = good
    metadata = discover(settings)
    assert metadata["id_token_signing_alg_values_supported"] == ["RS256"]  # never none, never the shared secret's
    assert "end_session_endpoint" not in metadata  # a provider without RP-initiated logout
    for body, status, reason in [
        (b"<html>storing</html>", 200, "discovery gaf geen JSON-object"),
        ([good], 200, "discovery gaf geen JSON-object"),
        (good, 500, "discovery gaf HTTP 500"),
        ({**good, "issuer": issuer + "/"}, 200, "de discovery noemt issuer"),
        ({**good, "token_endpoint": "http://login.elders.example/token"}, 200, "geen geldige token_endpoint"),
        ({**good, "jwks_uri": None}, 200, "geen geldige jwks_uri"),
        ({**good, "authorization_endpoint": ["/auth"]}, 200, "geen geldige authorization_endpoint"),
        ({**good, "end_session_endpoint": "javascript:alert(1)"}, 200, "geen geldige end_session_endpoint"),
    ]:
        answers.update(body=body, status=status)
        with pytest.raises(ProviderProblem, match=re.escape(reason)) as refused:
            discover(settings)
        assert refused.value.status in (502, 503)


def test_without_a_logout_endpoint_on_the_issuers_origin_logout_stays_here(discovery_server, security_log):
    from dashboard.server.login_settings import OidcSettings
    from dashboard.server.oidc_login import ProviderLogin

    issuer, answers = discovery_server
    good = {"issuer": issuer, "authorization_endpoint": issuer + "/auth", "token_endpoint": issuer + "/token",
            "jwks_uri": issuer + "/jwks"}
    answers["body"] = good  # no end_session_endpoint: no RP-initiated logout
    assert ProviderLogin(OidcSettings(issuer=issuer, client_id=CLIENT_ID, client_secret="s")).logout_url("t") is None
    # on another origin the CSP's form-action would stop the browser: the session ends here only
    answers["body"] = {**good, "end_session_endpoint": "https://afmelden.elders.example/logout"}
    assert ProviderLogin(OidcSettings(issuer=issuer, client_id=CLIENT_ID, client_secret="s")).logout_url("t") is None
    assert f"uitloggen bij de inlogdienst overgeslagen: end_session_endpoint ligt niet op {issuer}" \
        in security_log.messages
