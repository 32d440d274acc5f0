"""HTTP level: login, logout, sessions, CSRF and the read guard (dashboard.server.auth) on an app made
by app.create_app over a SQLite file with the programme and two accounts, via Flask's test client.
(Production settings — Secure cookie, SECRET_KEY required — are tested in test_serving.py.)"""
from __future__ import annotations

import json
import re
from urllib.parse import urlencode

import pytest

from data.accounts.users import MAX_MISLUKT, add_user, set_active
from data.db import make_engine, migrate
from data.programme.plan import load_programme

PASSWORD = "lang-genoeg-wachtwoord"


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    """A SQLite file: migrated, the Programmaplan, a programmamanager and a trekker."""
    url = f"sqlite:///{tmp_path_factory.mktemp('auth') / 'w.db'}"
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
def client(make_app):
    return make_app().test_client()


def form_token(response) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', response.get_data(as_text=True)).group(1)


def login(client, username="anna", password=PASSWORD, volgende=None):
    token = form_token(client.get("/inloggen"))
    data = {"csrf": token, "gebruikersnaam": username, "wachtwoord": password}
    if volgende is not None:
        data["volgende"] = volgende
    return client.post("/inloggen", data=data)


def session_of(client) -> dict:
    with client.session_transaction() as session:
        return dict(session)


def page_request(client) -> dict:
    """The body of the request dash-renderer makes to render a page (the pages callback)."""
    deps = json.loads(client.get("/_dash-dependencies").get_data(as_text=True))
    callback = next(c for c in deps if "_pages_content" in c["output"])
    values = {"pathname": "/", "search": "", "hash": "", "href": "http://localhost/"}
    outputs = callback["output"].strip(".").split("...")
    return {"output": callback["output"],
            "outputs": [{"id": o.rsplit(".", 1)[0], "property": o.rsplit(".", 1)[1]} for o in outputs],
            "changedPropIds": ["_pages_location.pathname"],
            "inputs": [{"id": i["id"], "property": i["property"], "value": values.get(i["property"])}
                       for i in callback["inputs"]],
            "state": [{"id": s["id"], "property": s["property"]} for s in callback.get("state", [])]}


# --- the read guard -----------------------------------------------------------------------------

def test_without_login_every_page_goes_to_the_login_page(client):
    for path in ("/", "/verkenner?kpi=jeugdigen_met_jeugdhulp", "/programma"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/inloggen?volgende=")
        body = response.get_data(as_text=True)  # what a client that does not follow it shows
        assert "U wordt doorgestuurd naar" in body and "Redirecting" not in body and 'lang="nl"' in body
    assert client.get("/").headers["Location"] == "/inloggen?volgende=%2F"
    for path in ("/_dash-layout", "/_dash-dependencies"):
        response = client.get(path)
        assert response.status_code == 401 and "Log eerst in" in response.get_data(as_text=True)
    token = session_of(client)["csrf"]  # even with a valid CSRF token: no callbacks for visitors
    response = client.post("/_dash-update-component", json={}, headers={"X-CSRFToken": token})
    assert response.status_code == 401
    assert client.get("/gezondheid").status_code == 200
    assert client.get("/assets/10_jeugdmonitor.css").status_code == 200


def test_a_download_without_login_answers_the_dutch_page_with_a_way_to_log_in(client):
    """A link to a file from a mail, or a session that ran out: not a bare sentence (the report
    link's script reads the page's reason) and not a redirect (the script would get the login
    form as the file)."""
    for path in ("/export/rapport.pdf?jaar=2025", "/export/presentatie.pptx"):
        response = client.get(path)
        assert response.status_code == 401 and response.mimetype == "text/html"
        page = response.get_data(as_text=True)
        assert 'id="foutmelding">Log eerst in om dit bestand te downloaden.</p>' in page
        assert f'href="/inloggen?{urlencode({"volgende": path})}"'.replace("&", "&amp;") in page
        assert "Foutcode 401" in page and 'lang="nl"' in page


def test_public_read_opens_reading_but_not_writing(make_app):
    client = make_app(PUBLIC_READ="1").test_client()
    assert client.get("/").status_code == 200
    assert client.get("/_dash-layout").status_code == 200
    body = page_request(client)
    assert client.post("/_dash-update-component", json=body).status_code == 403  # no CSRF header
    token = session_of(client)["csrf"]
    response = client.post("/_dash-update-component", json=body, headers={"X-CSRFToken": token})
    assert response.status_code == 200 and "sessie" not in session_of(client)


@pytest.mark.parametrize("value", ["0", "", "nee", "false"])
def test_public_read_is_off_unless_switched_on(make_app, value):
    assert make_app(PUBLIC_READ=value).test_client().get("/").status_code == 302


# --- logging in and out ---------------------------------------------------------------------------

def test_login_page_is_dutch(client):
    response = client.get("/inloggen")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and '<html lang="nl">' in html
    for text in ("Inloggen", 'for="gebruikersnaam">Gebruikersnaam', 'for="wachtwoord">Wachtwoord',
                 'type="password"', 'autocomplete="current-password"', "Vraag de programmamanager"):
        assert text in html
    assert form_token(response) == session_of(client)["csrf"]


def test_login_with_a_bad_csrf_token_is_refused(client):
    form_token(client.get("/inloggen"))
    for token in ("verkeerd", ""):
        response = client.post("/inloggen", data={"csrf": token, "gebruikersnaam": "anna", "wachtwoord": PASSWORD})
        assert response.status_code == 400
        assert "Het formulier was verlopen; probeer het opnieuw." in response.get_data(as_text=True)
    fresh = client.application.test_client()  # no session at all
    response = fresh.post("/inloggen", data={"csrf": "x", "gebruikersnaam": "anna", "wachtwoord": PASSWORD})
    assert response.status_code == 400
    assert "sessie" not in session_of(client) and "sessie" not in session_of(fresh)


def test_login_sets_a_new_session_and_logout_clears_it(client):
    before = session_of(client).get("csrf")
    response = login(client, volgende="/verkenner?kpi=jeugdigen_met_jeugdhulp")
    assert response.status_code == 302
    assert response.headers["Location"] == "/verkenner?kpi=jeugdigen_met_jeugdhulp"
    cookies = response.headers.getlist("Set-Cookie")
    session_cookie = next(c for c in cookies if c.startswith("session="))
    assert "HttpOnly" in session_cookie and "SameSite=Lax" in session_cookie and "Expires=" in session_cookie
    csrf_cookie = next(c for c in cookies if c.startswith("_csrf_token="))
    assert "SameSite=Strict" in csrf_cookie and "HttpOnly" not in csrf_cookie
    session = session_of(client)
    assert isinstance(session["sessie"], str) and session["csrf"] != before  # no fixation
    assert client.get("/").status_code == 200
    assert client.get("/_dash-layout").status_code == 200

    body = page_request(client)
    assert client.post("/_dash-update-component", json=body).status_code == 403
    assert client.post("/_dash-update-component", json=body,
                       headers={"X-CSRFToken": before or "oud"}).status_code == 403  # the old token
    ok = client.post("/_dash-update-component", json=body, headers={"X-CSRFToken": session["csrf"]})
    assert ok.status_code == 200

    assert client.post("/uitloggen").status_code == 403  # logout needs the token too
    assert "sessie" in session_of(client)
    response = client.post("/uitloggen", data={"csrf": session["csrf"]})
    assert response.status_code == 302 and response.headers["Location"] == "/inloggen"
    assert "sessie" not in session_of(client)
    assert client.get("/").status_code == 302
    assert client.get("/_dash-layout").status_code == 401


def test_the_login_page_tells_a_logged_in_account_so_and_does_not_redirect(client):
    """After logging in, the back button leads to the login page again: it said nothing, so a raadslid
    thought the login had failed. It names the account and the way on; it stays a page (a redirect
    back would trap the back button) with the form, to log in as someone else."""
    assert "al ingelogd" not in client.get("/inloggen").get_data(as_text=True)  # a visitor: just the form
    login(client)
    response = client.get("/inloggen?volgende=/programma")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="gebruikersnaam"' in page
    assert ('U bent al ingelogd als Anna de Trekker. <a href="/programma">Verder naar de Jeugdmonitor</a>'
            in page)


def test_wrong_password_and_unknown_name_give_the_same_dutch_message(client):
    pages = []
    for name, password in (("anna", "fout-wachtwoord"), ("niemand", PASSWORD)):
        response = login(client, name, password)
        assert response.status_code == 401
        html = response.get_data(as_text=True)
        assert "Gebruikersnaam of wachtwoord klopt niet." in html and f'value="{name}"' in html
        pages.append(html.replace(name, "NAAM"))
    strip = lambda h: re.sub(r'name="csrf" value="[^"]+"', "", h)  # noqa: E731
    assert strip(pages[0]) == strip(pages[1])
    assert "sessie" not in session_of(client)


def test_login_is_rate_limited(client):
    for _ in range(MAX_MISLUKT):
        assert login(client, "pm", "fout-wachtwoord").status_code == 401
    response = login(client, "pm", PASSWORD)
    assert response.status_code == 429
    assert "Te veel mislukte pogingen. Probeer het over 15 minuten opnieuw." in response.get_data(as_text=True)
    assert "sessie" not in session_of(client)


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil.example",
                                    "/\\/evil.example", "\\\\evil.example", "/\t/evil.example",
                                    "javascript:alert(1)", "verkenner"])
def test_login_never_redirects_to_another_site(client, target):
    from urllib.parse import urljoin, urlparse

    response = login(client, volgende=target)
    location = response.headers["Location"]
    assert response.status_code == 302
    # Resolved the way a browser does (a raw backslash counts as a slash, tabs are dropped).
    browser = location.replace("\\", "/").replace("\t", "")
    assert urlparse(urljoin("http://huizen.example/x", browser)).netloc == "huizen.example", location
    assert location.startswith("/") and not browser.startswith("//")


def test_a_deactivated_account_loses_its_session_at_once(client, database):
    login(client)
    assert client.get("/").status_code == 200
    set_active(database[1], "anna", False)
    try:
        assert client.get("/").status_code == 302
        assert client.get("/_dash-layout").status_code == 401
    finally:
        set_active(database[1], "anna", True)


def test_behind_a_proxy_the_client_address_comes_from_the_forwarded_header(tmp_path, app_module):
    """BEHIND_PROXY=1: the login rate limit counts per real client, not per proxy."""
    from data.db import make_engine, migrate

    url = f"sqlite:///{tmp_path / 'w.db'}"
    migrate(make_engine(url))
    server = app_module.create_app({"DATABASE_URL": url, "BEHIND_PROXY": "1", "PUBLIC_READ": "1"}).server
    seen = []
    from flask import request

    server.add_url_rule("/_test_adres", "test_adres", lambda: seen.append(request.remote_addr) or "")
    server.test_client().get("/_test_adres", headers={"X-Forwarded-For": "203.0.113.7"})
    assert seen == ["203.0.113.7"]


def test_a_login_marks_the_browser_as_a_known_device_for_that_name(client, database):
    """The signed cookie that lets a colleague past a blocked shared address (data/accounts/login_limit.py):
    set at login, sent only to the login page, and useless when forged or for another name."""
    import datetime as dt

    from sqlalchemy import insert

    from data.accounts.schema import Inlogpoging

    response = login(client, "anna")
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("jm_apparaat="))
    assert "Path=/inloggen" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    with database[1].begin() as conn:  # a stranger's failures have blocked this address
        conn.execute(insert(Inlogpoging), [dict(gebruikersnaam=f"vreemd{i}", adres="127.0.0.1", gelukt=False,
                                                op=dt.datetime.now()) for i in range(20)])
    try:
        assert login(client, "anna").status_code == 302  # known device for anna
        assert login(client, "pm").status_code == 429  # not for pm
        forged = client.application.test_client()
        forged.set_cookie("jm_apparaat", "WyJwbSJd.nep.handtekening", path="/inloggen")
        assert login(forged, "pm").status_code == 429
    finally:
        with database[1].begin() as conn:
            conn.execute(Inlogpoging.__table__.delete())
