"""The "Rapport (PDF)" link in headless Chromium (issue 15): while the report is being made the page
says so (spinner, "Rapport wordt gemaakt…" in a live region, the link busy), a second click starts
no second request, the PDF arrives under its file name, and a refusal shows the server's sentence.
Pages are served under a strict Content-Security-Policy (scripts only from the app and Dash's own
inline scripts by hash, no eval, no style attributes): a violation is a console error."""
from __future__ import annotations

import base64
import hashlib
import re

import pytest

from tests.browser import module_context, new_page, run_axe, shared_demo_app

__all__ = ["module_context"]

JAAR = 2025
LINK = f"Rapport (PDF) over {JAAR} downloaden"


def strict_csp(html: str) -> str:
    """The app's policy: 'self' plus the hashes of the page's inline scripts, nothing inline else."""
    inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, flags=re.S)
    hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'"
                      for s in inline)
    return ("default-src 'self'; script-src 'self' " + hashes + "; style-src 'self' 'unsafe-inline'; "
            "style-src-elem 'self' 'unsafe-inline'; style-src-attr 'none'; img-src 'self' data: blob:; "
            "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
            "form-action 'self'; frame-ancestors 'none'")


@pytest.fixture(scope="module")
def app_url(request):
    """The app on the demonstration data (shared with the other modules that only read it)."""
    return shared_demo_app(request)


@pytest.fixture
def page(module_context):
    def with_policy(route):
        if route.request.resource_type != "document":
            return route.continue_()
        response = route.fetch()
        body = response.text()
        route.fulfill(response=response, body=body,
                      headers={**response.headers, "content-security-policy": strict_csp(body)})

    with new_page(module_context) as page:
        page.route("**/*", with_policy)
        yield page


def open_overview(page, app_url):
    page.goto(f"{app_url}/?jaar={JAAR}")
    page.wait_for_load_state("networkidle")
    page.wait_for_selector("._dash-loading", state="detached")  # not wait_for_function: the CSP forbids its eval
    link = page.get_by_role("link", name=LINK)
    link.wait_for()
    return link, page.locator(".report-download [role=status]")


def test_the_page_says_the_report_is_being_made_and_then_saves_it(app_url, page, tmp_path):
    from playwright.sync_api import expect

    link, status = open_overview(page, app_url)
    assert status.get_attribute("aria-live") == "polite" and status.inner_text() == ""
    requests = []
    page.on("request", lambda r: requests.append(r.url) if "/export/rapport.pdf" in r.url else None)
    with page.expect_download(timeout=120_000) as download_info:
        link.click(no_wait_after=True)
        expect(status).to_have_text("Rapport wordt gemaakt…")
        assert status.locator(".spinner-border[aria-hidden=true]").count() == 1
        expect(link).to_have_attribute("aria-busy", "true")
        link.press("Enter")  # asking again while it is being made starts nothing
    download = download_info.value
    assert download.suggested_filename == f"voortgangsrapportage_jeugd_{JAAR}.pdf"
    download.save_as(tmp_path / "rapport.pdf")
    assert (tmp_path / "rapport.pdf").read_bytes()[:5] == b"%PDF-"
    expect(status).to_have_text("Rapport gedownload.")
    assert link.get_attribute("aria-busy") is None
    assert requests == [f"{app_url}/export/rapport.pdf?jaar={JAAR}"]
    assert page.console_errors == []  # nothing the policy refused


def test_a_refusal_shows_the_servers_sentence(app_url, page):
    """A refused download is the Dutch page of every export (dashboard/exports/answers.py): the
    status shows its reason, not the page's HTML nor only "fout 500"."""
    from flask import Flask
    from playwright.sync_api import expect

    from dashboard.exports.answers import refusal

    sentence = "Het rapport kon niet worden gemaakt. Probeer het later opnieuw."
    with Flask(__name__).test_request_context():
        refused = refusal(500, sentence)
    page.route("**/export/rapport.pdf*", lambda route: route.fulfill(
        status=500, body=refused.get_data(as_text=True), content_type=refused.headers["Content-Type"]))
    link, status = open_overview(page, app_url)
    link.click()
    expect(status).to_have_text(sentence)
    assert "text-danger-emphasis" in status.get_attribute("class")
    assert link.get_attribute("aria-busy") is None  # it can be tried again
    assert [e for e in page.console_errors if "500" not in e] == []  # the browser logs the 500 itself


def test_the_status_beside_the_link_passes_axe(app_url, browser):
    context = browser.new_context(bypass_csp=True)  # axe is injected as an inline script
    page = context.new_page()
    try:
        page.route("**/export/rapport.pdf*", lambda route: route.fulfill(
            status=400, body="Ongeldig jaar.\n", content_type="text/plain; charset=utf-8"))
        link, status = open_overview(page, app_url)
        link.click()
        status.filter(has_text="Ongeldig jaar.").wait_for()
        assert run_axe(page) == []
    finally:
        context.close()
