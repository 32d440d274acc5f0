"""Login through OpenID Connect in Chromium: the app as `python app.py` (login required) and a real
provider (tests/oidc_provider.py), one of each for the module. A programmamanager logs in through
the provider and sees the overview; the role mapping (a trekker gets Beheer and the maatregelen
assigned here, a lezer not); a user without an app role reads nothing; a tampered state, token or
nonce is refused; logout ends the session here and at the provider. The HTTP-level cases are in
tests/test_oidc_login.py."""
from __future__ import annotations

import base64
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from tests.browser import (
    demo_warehouse,
    free_port,
    module_context,
    page,
    pages,
    require_browser,
    run_axe,
    running_app,
)
from tests.oidc_provider import oidc_settings, require_provider, running_provider

__all__ = ["module_context", "page", "pages"]  # fixtures: a new page per test in one context

REFUSED = "Het inlogbewijs van de inlogdienst is ongeldig"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """(the app's base URL, its warehouse's URL, the issuer): the provider's port is chosen first,
    since the app is told the issuer at its start and the provider the app's callback at its own."""
    require_browser()
    require_provider()
    folder = tmp_path_factory.mktemp("oidc-browser")
    port = free_port()
    issuer = f"http://127.0.0.1:{port}"
    warehouse = demo_warehouse(folder)
    with running_app(warehouse, folder / "app.log", env={"PUBLIC_READ": "0", **oidc_settings(issuer)}) as base, \
            running_provider(base + "/inloggen/oidc/terug", base + "/inloggen", folder / "provider.log", port):
        yield base, warehouse, issuer


def start_login(page, base: str, path: str = "/") -> None:
    """Open `path` without a session, then the login page's button: the provider's form."""
    page.goto(base + path)
    assert urlsplit(page.url).path == "/inloggen"  # reading needs an account
    page.click("#inloggen-oidc")
    page.wait_for_selector("#login")


def at_provider(page, name: str) -> None:
    page.fill("#login", name)
    page.click("button[type=submit]")


def log_in(page, base: str, name: str, path: str = "/") -> None:
    start_login(page, base, path)
    at_provider(page, name)
    page.wait_for_url(base + path)  # back where they wanted to go
    page.wait_for_selector("h1")


def nav(page) -> str:
    return page.inner_text("header")


def refused(page) -> str:
    page.wait_for_selector(".alert-danger")
    return page.inner_text(".alert-danger")


def test_a_programmamanager_logs_in_through_the_provider_and_sees_the_overview(page, site):
    base, _, _ = site
    page.goto(base + "/inloggen")
    assert page.inner_text("#inloggen-oidc") == "Inloggen met gemeente-account"
    assert run_axe(page) == []
    log_in(page, base, "petra")
    page.wait_for_selector(".kpi-card")
    assert "Petra Manager (programmamanager)" in nav(page) and "Beheer" in nav(page)
    assert page.console_errors == []


def test_a_trekker_gets_beheer_with_the_maatregelen_assigned_here_and_a_lezer_not(pages, site):
    from data.accounts.users import assign
    from data.db import make_engine

    base, warehouse, _ = site
    trekker = pages()
    log_in(trekker, base, "anna", "/beheer")
    assert "Anna de Trekker (trekker)" in nav(trekker)
    trekker.wait_for_selector("text=Er zijn (nog) geen maatregelen aan u toegewezen")
    engine = make_engine(warehouse)
    assign(engine, "anna", ["L3.6"])  # by the programmamanager, on the command line
    engine.dispose()
    trekker.reload()
    trekker.wait_for_selector("[id='{\"key\":\"L3.6\",\"type\":\"vg-save\"}']")
    assert trekker.console_errors == []
    trekker.close()  # the lezer's page comes without the trekker's cookies (one context: a request
    # of the trekker's page still in flight would set them again after the lezer's page cleared them)

    lezer = pages()
    log_in(lezer, base, "raad")
    assert "Rob Raadslid (lezer)" in nav(lezer) and "Beheer" not in nav(lezer)


def test_without_an_app_role_reading_is_refused(page, site):
    base, _, _ = site
    start_login(page, base, "/programma")
    at_provider(page, "geenrol")
    message = refused(page)
    assert "Uw account heeft bij de inlogdienst geen app-rol voor de Jeugdmonitor" in message
    assert "jeugdmonitor.lezer" in message
    page.goto(base + "/programma")
    assert urlsplit(page.url).path == "/inloggen"  # still no session


def test_a_tampered_state_is_refused(page, site):
    base, _, _ = site
    held = []
    # The provider sends the browser back through redirects, which Playwright's page.route does not
    # see; Chromium's own interception (DevTools Fetch) holds the callback, as a user stopping there
    # and copying the address would.
    devtools = page.context.new_cdp_session(page)

    def hold(event):
        held.append(event["request"]["url"])
        devtools.send("Fetch.fulfillRequest", {
            "requestId": event["requestId"], "responseCode": 200,
            "responseHeaders": [{"name": "Content-Type", "value": "text/plain"}],
            "body": base64.b64encode(b"vastgehouden").decode()})

    devtools.on("Fetch.requestPaused", hold)
    devtools.send("Fetch.enable", {"patterns": [{"urlPattern": "*/inloggen/oidc/terug?*"}]})
    start_login(page, base)
    at_provider(page, "petra")
    page.wait_for_selector("text=vastgehouden")
    devtools.send("Fetch.disable")
    devtools.detach()
    parts = urlsplit(held[0])
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    page.goto(parts._replace(query=urlencode({**query, "state": query["state"][::-1]})).geturl())
    assert "Deze inlogpoging is verlopen of niet in deze browser begonnen" in refused(page)
    page.goto(base + "/")
    assert urlsplit(page.url).path == "/inloggen"


@pytest.mark.parametrize("name", ["vervalst", "andere-nonce"])
def test_a_tampered_token_or_nonce_is_refused(page, site, name):
    base, _, _ = site
    start_login(page, base)
    at_provider(page, name)  # vervalst: its roles raised after signing; andere-nonce: another login's
    assert REFUSED in refused(page)
    page.goto(base + "/")
    assert urlsplit(page.url).path == "/inloggen"


def test_logout_ends_the_session_here_and_at_the_provider(page, site):
    base, _, issuer = site
    log_in(page, base, "petra")
    page.click("text=Uitloggen")  # the form's answer leads on to the provider (CSP form-action)
    page.wait_for_selector("text=Afmelden bij de test-inlogdienst?")
    assert page.url.startswith(issuer + "/session/end")
    page.click("text=Ja, afmelden")
    page.wait_for_url(base + "/inloggen")
    page.goto(base + "/")
    assert urlsplit(page.url).path == "/inloggen"
    page.click("#inloggen-oidc")
    page.wait_for_selector("#login")  # the provider asks again: its session ended too
    assert page.console_errors == []
