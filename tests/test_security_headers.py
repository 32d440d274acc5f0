"""Security headers (dashboard/server/security_headers.py): on every response, a strict
Content-Security-Policy that every page still runs under — checked on the headers themselves and
in Debian's Chromium (every page with its charts: no CSP violation, no console error)."""
from __future__ import annotations

import base64
import hashlib
import re

import pytest

from data.accounts.users import add_user
from data.db import make_engine, migrate
from tests import handmade_warehouse
from tests.browser import demo_warehouse, require_browser, running_app, settle, wait_until

PASSWORD = "geheim-wachtwoord-1"


def directives(policy: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def check_headers(headers) -> dict[str, list[str]]:
    """The headers every response must carry; the policy's directives."""
    headers = {name.lower(): value for name, value in headers.items()}
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    csp = directives(headers["content-security-policy"])
    assert csp["default-src"] == ["'self'"] and csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"] and csp["base-uri"] == ["'self'"] and csp["form-action"] == ["'self'"]
    assert csp["connect-src"] == ["'self'"] and csp["font-src"] == ["'self'"]
    assert csp["style-src-attr"] == ["'none'"]
    assert csp["script-src"][0] == "'self'"
    assert all(re.fullmatch(r"'sha256-[A-Za-z0-9+/]+=*'", s) for s in csp["script-src"][1:]), csp["script-src"]
    everything = " ".join(s for sources in csp.values() for s in sources)
    assert "unsafe-eval" not in everything and "http" not in everything and "*" not in everything
    return csp


@pytest.fixture
def server(tmp_path, app_module):
    url = f"sqlite:///{tmp_path / 'w.db'}"
    engine = make_engine(url)
    migrate(engine)
    handmade_warehouse.fill(engine)
    add_user(engine, "pm", "Programmamanager", "programmamanager", PASSWORD)
    engine.dispose()
    return app_module.create_app({"DATABASE_URL": url, "SECRET_KEY": "test-" + "x" * 32}).server


def test_every_kind_of_response_carries_the_headers(server):
    client = server.test_client()
    responses = {path: client.get(path) for path in ("/", "/inloggen", "/assets/00_bootstrap.min.css",
                                                     "/gezondheid", "/bestaat-niet", "/_dash-layout")}
    assert [r.status_code for r in responses.values()] == [302, 200, 200, 200, 302, 401]
    page = client.get("/inloggen").get_data(as_text=True)
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    responses["login"] = client.post("/inloggen", data={"csrf": token, "gebruikersnaam": "pm", "wachtwoord": PASSWORD})
    responses["page"] = client.get("/verkenner")
    responses["layout"] = client.get("/_dash-layout")
    assert [responses[k].status_code for k in ("login", "page", "layout")] == [302, 200, 200]
    for response in responses.values():
        check_headers(response.headers)
    assert " style=" not in page  # style-src-attr 'none': the login page has no style attribute


def test_every_inline_script_of_a_page_is_allowed_by_its_hash(server):
    """Executable inline scripts (not the JSON config) must each be in script-src, so the
    policy never needs 'unsafe-inline' for scripts."""
    client = server.test_client()
    page = client.get("/inloggen").get_data(as_text=True)
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    client.post("/inloggen", data={"csrf": token, "gebruikersnaam": "pm", "wachtwoord": PASSWORD})
    response = client.get("/programma")
    html = response.get_data(as_text=True)
    allowed = set(check_headers(response.headers)["script-src"][1:])
    inline = [body for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
              if body.strip() and "application/json" not in attrs]
    assert len(inline) >= 2  # the renderer's start and the pages' clientside callbacks
    for body in inline:
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in allowed, body[:80]


# --- in Chromium: every page, logged in as the programmamanager ----------------------------------

PAGES = {  # path → charts the page must draw; the explorer last: the PNG test goes on from there
    "/": 0, "/programma": 0, "/programma/L3": 5, "/indicator/K11": 1,
    "/verkenner?kpi=totale_kosten&jaar=2025&by=school&per=maand": 2, "/presentatie": 0,
    "/presentatie?dia=4": 0, "/standen": 0, "/beheer": 0, "/toegankelijkheid": 0, "/verkenner": 2}

RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(
    e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sourceFile || '')));
"""


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    require_browser()
    folder = tmp_path_factory.mktemp("csp")
    url = demo_warehouse(folder, prepare=lambda e: add_user(e, "beheerder", "Beheerder", "programmamanager",
                                                            PASSWORD))
    with running_app(url, folder / "app.log", {"PUBLIC_READ": "0"}) as base:
        yield base


@pytest.fixture(scope="module")
def page(app_url, browser):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="nl-NL",
                                  accept_downloads=True)
    page = context.new_page()
    page.add_init_script(RECORD_VIOLATIONS)
    page.console = []
    page.on("console", lambda m: page.console.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: page.console.append(str(e)))
    response = page.goto(app_url + "/inloggen")
    check_headers(response.all_headers())
    page.fill("#gebruikersnaam", "beheerder")
    page.fill("#wachtwoord", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(app_url + "/**")
    assert page.evaluate("window.__csp") == [] and page.console == []
    yield page
    context.close()


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_runs_under_the_policy(app_url, page, path):
    page.console.clear()
    response = page.goto(app_url + path)
    check_headers(response.all_headers())
    settle(page)
    # the page's answer and its charts can follow a quiet network on a busy machine (a cold app's
    # first overview takes seconds): wait for them, then assert
    page.locator("h1").first.wait_for(state="attached", timeout=30_000)
    charts = page.locator(".js-plotly-plot")
    drawn = page.locator(".js-plotly-plot .main-svg")
    wait_until(page, lambda: charts.count() >= PAGES[path] and drawn.count() >= PAGES[path], timeout_s=30)
    assert charts.count() >= PAGES[path]
    if PAGES[path]:
        assert drawn.count() >= PAGES[path]  # drawn, not just placed
        charts.first.hover()  # hover labels are styled too
        page.wait_for_timeout(200)
    assert page.locator("h1").count() == 1
    assert page.evaluate("window.__csp") == []
    assert [m for m in page.console if "Content Security Policy" in m or "Content-Security-Policy" in m] == []
    assert page.console == []


def test_plotly_png_download_runs_under_the_policy(app_url, page):
    if page.url != app_url + "/verkenner":  # not already there from the last page test
        page.goto(app_url + "/verkenner")
        settle(page)
    page.locator(".js-plotly-plot").first.hover()
    with page.expect_download() as download:
        page.locator(".modebar-btn[data-title='Grafiek downloaden als PNG']").first.click()
    assert download.value.suggested_filename.endswith(".png")
    assert page.evaluate("window.__csp") == []
