"""The two shipped themes in Debian's Chromium: the default (Huizen) and the one built from Den
Haag's published token package. Under each, axe-core finds no violation at all (colour contrast
included) on the overview, the programme, the explorer, the login page, the accessibility
statement and the error page, and what the browser computes is the theme's token values."""
from __future__ import annotations

import pytest

from dashboard.theming import stylesheet
from tests.browser import (
    AXE,
    KeptPages,
    demo_warehouse,
    loaded_pages,
    module_context,
    require_browser,
    running_app,
    settle,
    shared_demo_app,
)

__all__ = ["module_context"]

THEMES = ("huizen", "denhaag")
PAGES = ["/", "/programma", "/verkenner", "/inloggen", "/toegankelijkheid", "/bestaat-niet"]


@pytest.fixture(scope="module")
def app_urls(request, tmp_path_factory):
    """{theme: base URL}: the shared demo app (THEMA unset: huizen) and one with THEMA=denhaag."""
    require_browser()
    folder = tmp_path_factory.mktemp("denhaag")
    with running_app(demo_warehouse(folder), folder / "app.log", {"THEMA": "denhaag"}) as denhaag:
        yield {"huizen": shared_demo_app(request), "denhaag": denhaag}


@pytest.fixture(scope="module")
def kept_pages(module_context):
    """The pages are only read: the token test reads the overview and login page the accessibility
    test loaded."""
    return KeptPages(module_context, settle)


@pytest.fixture
def load(kept_pages):
    with loaded_pages(kept_pages) as load:
        yield load


def all_violations(page) -> list[dict]:
    """Every axe-core violation, of any impact (tests.browser.run_axe keeps the serious ones)."""
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"]]


def families(font_family: str) -> list[str]:
    """The names of a font-family list (Chrome writes a one-word name without its quotes)."""
    return [name.strip().strip('"') for name in font_family.split(",")]


def px(length: str) -> str:
    return f"{float(length[:-3]) * 16:g}px" if length.endswith("rem") else length


def rgb(hex_colour: str) -> str:
    return "rgb({}, {}, {})".format(*(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)))


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("theme", THEMES)
def test_no_accessibility_violation_under_either_theme(app_urls, load, theme, path):
    page = load(app_urls[theme] + path)
    assert page.load_response.status == (404 if path == "/bestaat-niet" else 200)
    links = page.locator("link[rel=stylesheet]").evaluate_all("links => links.map(l => l.getAttribute('href'))")
    assert [h.split("?")[0] for h in links if "/themes/" in h] == [f"/assets/themes/{theme}.css"]
    from playwright.sync_api import expect  # here: without playwright the module still collects (skips)

    # the page's answer can follow a quiet network on a busy machine (test_browser once found no h1)
    expect(page.locator("h1")).to_have_count(1, timeout=30_000)
    assert page.evaluate("document.documentElement.lang") == "nl"
    assert page.get_by_role("link", name="Toegankelijkheid").count() == 1  # in the footer
    assert all_violations(page) == []
    expected_errors = 1 if path == "/bestaat-niet" else 0  # the browser logs the page's own 404
    assert len(page.console_errors) == expected_errors, page.console_errors


@pytest.mark.parametrize("theme", THEMES)
def test_the_page_shows_the_theme_s_token_values(app_urls, load, theme):
    values = stylesheet.read_theme(stylesheet.theme_path(theme))
    page = load(app_urls[theme] + "/")

    def style(selector: str, prop: str) -> str:
        return page.locator(selector).first.evaluate(f"e => getComputedStyle(e).{prop}")

    assert style("body", "backgroundColor") == rgb(values["--basis-color-default-bg-subtle"])
    assert style("body", "color") == rgb(values["--basis-color-default-color-document"])
    assert families(style("body", "fontFamily")) == families(values["--basis-text-font-family-default"])
    assert style("body", "fontSize") == px(values["--basis-text-font-size-md"])
    assert families(style("h1", "fontFamily")) == families(values["--basis-heading-font-family"])
    assert style("h1", "color") == rgb(values["--basis-heading-color"])
    assert style(".jm-navbar", "backgroundColor") == rgb(values["--utrecht-page-header-background-color"])
    assert style(".jm-navbar .nav-link", "color") == rgb(values["--utrecht-page-header-color"])
    assert style("main a[href^='/verkenner']", "color") == rgb(values["--nl-link-color"])
    assert style(".kpi-card", "backgroundColor") == rgb(values["--basis-color-default-bg-document"])
    assert style(".kpi-card .kpi-value", "color") == rgb(values["--basis-color-accent-1-color-document"])
    assert style(".status-op_koers", "color") == rgb(values["--basis-color-positive-color-default"])
    assert style(".axis-band", "paddingTop") == px(values["--basis-space-block-md"])
    assert style(".jm-footer", "backgroundColor") == rgb(values["--utrecht-page-footer-background-color"])
    assert style(".jm-footer a", "color") == rgb(values["--utrecht-page-footer-color"])
    page = load(app_urls[theme] + "/inloggen")  # style() reads this page from here on
    assert style(".btn-primary", "backgroundColor") == rgb(values["--nl-button-primary-background-color"])
    assert style(".btn-primary", "color") == rgb(values["--nl-button-primary-color"])
