"""The dashboard in headless Chromium, as a user: pages, drill-down, shared URLs, accessibility.

Runs the app with `python app.py` on a fresh warehouse holding the demonstration data.
"""
from __future__ import annotations

from urllib.parse import urlparse

import pytest

from tests.browser import KeptPages, loaded_pages, module_context, page, run_axe, settle, shared_demo_app, wait_until

__all__ = ["module_context", "page"]  # fixtures: a new page per test in one context per module

PAGES = [
    "/",
    "/?jaar=2024",
    "/programma",
    "/programma?view=doelstellingen",
    "/programma/L3",
    "/verkenner",
    "/verkenner?kpi=pct_tevreden&jaar=2025&by=respondent",
    "/verkenner?kpi=totale_kosten&jaar=2025&by=school&per=maand&f=verwijzer:huisarts",
    "/prognose",
    "/kostengroei?jaar=2026&by=aanbieder&f=hulpvorm:ambulant",
    "/presentatie",
    "/presentatie?dia=2",
    "/presentatie?dia=4",
    "/toegankelijkheid",
]


@pytest.fixture(scope="module")
def app_url(request):
    """The app on the demonstration data (shared with the other modules that only read it)."""
    return shared_demo_app(request)


@pytest.fixture(scope="module")
def kept_pages(module_context):
    """The module's pages that tests only read, kept open for a later test of the same URL."""
    return KeptPages(module_context, settle)


@pytest.fixture
def load(kept_pages):
    """`load(url)`: a loaded page, kept for later tests; `load(url, keep=False)`: one to change."""
    with loaded_pages(kept_pages) as load:
        yield load


def crumbs(page) -> str:
    return page.locator("nav[aria-label=Inzoompad]").inner_text().replace("\n", " / ")


@pytest.mark.parametrize("path", PAGES)
def test_every_page_loads_in_dutch_without_console_errors_or_serious_accessibility_violations(app_url, load, path):
    page = load(app_url + path)  # kept: the overview and the presentation serve later tests too
    from playwright.sync_api import expect  # here: without playwright the module still collects (skips)

    # the page's answer can follow a quiet network on a busy machine (a run found no h1 on two pages)
    expect(page.locator("h1")).to_have_count(1, timeout=30_000)
    assert page.evaluate("document.documentElement.lang") == "nl"
    assert page.console_errors == []
    body = page.locator("main").inner_text()
    for english in ("Loading", "Error", "undefined", "NaN", "None"):
        assert english not in body
    assert run_axe(page) == []  # on the same load: axe only reads the page


def test_the_indicator_page_draws_its_road_to_2028(app_url, page):
    """The road's band is drawn, its table and "Hoe berekend?" read, and the section passes axe."""
    page.goto(app_url + "/indicator/K06")
    settle(page)
    from playwright.sync_api import expect

    section = page.locator("#weg-naar-eindjaar")
    assert section.locator("h2").inner_text() == "De weg naar 2028"
    # Plotly draws the legend after the page has settled; on a busy machine that took longer than
    # settle's pause (a run of the whole suite found it missing once, the test alone never).
    expect(section.locator(".legendtext", has_text="80%-marge")).to_have_count(1, timeout=15_000)
    fills = section.locator(".js-plotly-plot path.js-fill")
    assert any(len(fills.nth(i).get_attribute("d") or "") > 10 for i in range(fills.count()))  # the band
    table = section.locator("table").inner_text()
    assert "80%-marge" in table and "kans 2028:" in table
    section.locator("summary").click()
    assert "Status en kans beantwoorden verschillende vragen" in section.locator("details").inner_text()
    assert page.console_errors == []
    assert run_axe(page) == []


# what a 1280×720 screen shows of a page: its width against the window's, the chart titles cut off
# at their chart's edges, and the table boxes that scroll sideways without being a tab stop
PAGE_WIDTH = "() => [document.documentElement.scrollWidth, window.innerWidth]"
CUT_TITLES = """() => [...document.querySelectorAll('.js-plotly-plot')].flatMap(plot => {
  const chart = plot.querySelector('.main-svg').getBoundingClientRect();
  return [...plot.querySelectorAll('.gtitle')].map(t => [t.textContent, t.getBoundingClientRect()])
    .filter(([, r]) => r.left < chart.left - 0.5 || r.right > chart.right + 0.5).map(([text]) => text); })"""
SCROLLING_BOXES = """() => [...document.querySelectorAll('.table-responsive')]
  .filter(box => box.scrollWidth > box.clientWidth + 1)
  .map(box => [box.getAttribute('tabindex'), box.getAttribute('role'), box.getAttribute('aria-label')])"""


@pytest.mark.parametrize("path", ["/programma/L2", "/indicator/K07"])
def test_a_1280_screen_does_not_scroll_sideways_and_shows_whole_chart_titles(app_url, page, path):
    """A projector's or laptop's 1280×720: the year tables beside their charts made the page scroll
    sideways, and long chart titles ("Casusreflecties met gedragswetenschapper: realisatie en
    streefwaarden") were cut off. A table wider than its column scrolls in its own box, which is
    then a named tab stop (the road to 2028's table on K07)."""
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(app_url + path)
    settle(page)
    scroll, width = page.evaluate(PAGE_WIDTH)
    assert scroll <= width, (path, scroll)
    assert page.evaluate(CUT_TITLES) == []
    boxes = page.evaluate(SCROLLING_BOXES)
    assert all(tab == "0" and role == "region" and name.endswith("(schuift opzij)") for tab, role, name in boxes)
    if path.startswith("/indicator"):
        assert run_axe(page) == []  # a box that scrolls and cannot be reached is "serious"
    assert page.console_errors == []


def test_drill_from_card_to_explorer_and_back(app_url, load):
    page = load(app_url + "/", keep=False)
    page.get_by_role("link", name="Bekijk in de verkenner: Gemiddelde trajectduur (dagen)").click()
    page.wait_for_url("**/verkenner?**kpi=gem_trajectduur**")
    settle(page)
    page.select_option("#by-select", "verwijzer")
    page.wait_for_url(lambda url: "by=verwijzer" in url)
    page.wait_for_selector("#breakdown-table >> text=Huisarts")

    # click the Huisarts bar in the chart: filter on it, break down by school
    labels = page.locator("#breakdown-table tbody th").all_inner_texts()
    index = labels.index("Huisarts")
    page.locator("#breakdown-graph .point").nth(index).click(force=True)
    page.wait_for_url(lambda url: "f=verwijzer%3Ahuisarts" in url)
    settle(page)
    wait_until(page, lambda: crumbs(page) == "Alle jeugdhulp / Verwijzer: Huisarts")
    assert "by=school" in page.url
    assert crumbs(page) == "Alle jeugdhulp / Verwijzer: Huisarts"
    assert page.locator("#breakdown-table caption").inner_text().startswith("Gemiddelde trajectduur (dagen) per school")

    # drill once more with the keyboard-accessible button, then step back via the breadcrumb
    first_school = page.locator("#breakdown-table tbody th").first.inner_text()
    page.get_by_role("button", name=f"Inzoomen op {first_school}").click()
    page.wait_for_url(lambda url: url.count("f=") == 2)
    settle(page)
    wait_until(page, lambda: crumbs(page).endswith(f"School: {first_school}"))
    assert crumbs(page).endswith(f"School: {first_school}")
    page.get_by_role("button", name="Verwijzer: Huisarts").click()
    page.wait_for_url(lambda url: url.count("f=") == 1)
    settle(page)
    wait_until(page, lambda: crumbs(page) == "Alle jeugdhulp / Verwijzer: Huisarts")
    assert crumbs(page) == "Alle jeugdhulp / Verwijzer: Huisarts"

    # the browser's back button steps back through the drill-down
    page.go_back()
    page.wait_for_url(lambda url: url.count("f=") == 2)
    settle(page)
    wait_until(page, lambda: crumbs(page).endswith(f"School: {first_school}"))
    assert crumbs(page).endswith(f"School: {first_school}")
    assert page.console_errors == []


def test_a_shared_url_shows_the_same_view_after_reload(app_url, page):
    url = app_url + "/verkenner?kpi=instroom&jaar=2024&by=school&per=kwartaal&f=verwijzer:huisarts"
    page.goto(url)
    settle(page)
    before = (crumbs(page), page.locator("#breakdown-table").inner_text(), page.locator("#by-select").input_value())
    page.reload()
    settle(page)
    after = (crumbs(page), page.locator("#breakdown-table").inner_text(), page.locator("#by-select").input_value())
    assert before == after
    assert page.locator("#per-select").input_value() == "kwartaal"
    assert "K1 2024" in page.locator("#trend-table").text_content()


def test_suppressed_cells_show_below_threshold(app_url, page):
    page.goto(app_url + "/verkenner?kpi=jeugdigen_met_verblijf&jaar=2025&by=school")
    settle(page)
    table = page.locator("#breakdown-table").inner_text()
    assert "<10" in table
    assert "afgeschermd" in page.locator("main").inner_text()


def test_year_control_on_overview_changes_the_url(app_url, load):
    page = load(app_url + "/", keep=False)
    page.select_option("#jaar-select", "2023")
    page.wait_for_url(lambda url: "jaar=2023" in url)
    from playwright.sync_api import expect

    # the page re-renders after the URL changed: wait for it (a busy machine takes a while)
    expect(page.locator("h1")).to_have_text("Overzicht 2023", timeout=30_000)


def test_explorer_view_downloads_as_excel(app_url, page, tmp_path):
    from openpyxl import load_workbook

    page.goto(app_url + "/verkenner?kpi=instroom&jaar=2025&by=verwijzer")
    settle(page)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download Excel").click()
    download = download_info.value
    assert download.suggested_filename == "jeugdmonitor_instroom_2025_per_verwijzer.xlsx"
    path = tmp_path / "export.xlsx"
    download.save_as(path)
    book = load_workbook(path)
    rows = list(book["Gegevens"].values)
    header = next(i for i, row in enumerate(rows) if row[0] == "Verwijzer")  # the context stands above it
    labels = [row[0] for row in rows[header + 1:] if row[0]]
    shown = page.locator("#breakdown-table tbody th").all_inner_texts()
    assert sorted(labels) == sorted(shown)
    assert page.console_errors == []


def test_presentation_walks_with_the_keyboard(app_url, load):
    page = load(app_url + "/presentatie", keep=False)
    assert page.locator("h1").inner_text() == "Programmaplan Jeugd 2025–2028"
    assert not page.locator(".jm-navbar").is_visible()  # no controls in view
    total = int(page.locator("#presentatie").get_attribute("data-dia-totaal"))
    assert total == 2 + 4 + 1 + 7  # title, programme, 4 axes, the kostengroei, 7 doelstellingen
    page.keyboard.press("ArrowRight")
    page.wait_for_url(lambda url: "dia=2" in url)
    page.wait_for_selector("h1:has-text('Het programma in één oogopslag')")
    page.keyboard.press("PageDown")
    page.wait_for_url(lambda url: "dia=3" in url)
    page.wait_for_selector("h1:has-text('Kwaliteit')")
    page.keyboard.press("ArrowLeft")
    page.wait_for_url(lambda url: "dia=2" in url)
    page.reload()
    settle(page)
    assert page.locator("h1").inner_text() == "Het programma in één oogopslag"  # slide number in the URL
    page.keyboard.press("Escape")
    page.wait_for_url(lambda url: urlparse(url).path == "/")
    page.wait_for_selector("h1:has-text('Overzicht')")
    assert page.console_errors == []


# /programma offers the programme's years only (2025 on); the overview every year of the data
@pytest.mark.parametrize("path, jaar", [("/?jaar=2024", 2024), ("/programma?jaar=2026", 2026)])
def test_report_link_is_visible_and_downloads_the_pdf_of_the_year(app_url, load, path, jaar, tmp_path):
    page = load(app_url + path)  # a download leaves the page as it was
    link = page.get_by_role("link", name=f"Rapport (PDF) over {jaar} downloaden")
    assert link.is_visible() and link.inner_text().strip() == "Rapport (PDF)"
    if path.startswith("/programma"):
        return  # one download is enough: the link is the same component
    with page.expect_download(timeout=240_000) as download_info:  # charts need a browser start
        link.click(no_wait_after=True)  # a download, not a navigation
    download = download_info.value
    assert download.suggested_filename == "voortgangsrapportage_jeugd_2024.pdf"
    download.save_as(tmp_path / "rapport.pdf")
    assert (tmp_path / "rapport.pdf").read_bytes()[:5] == b"%PDF-"
    assert page.console_errors == []


def test_overview_leads_to_the_presentation_and_its_powerpoint(app_url, load):
    page = load(app_url + "/?jaar=2024", keep=False)
    download = page.get_by_role("link", name="Download als PowerPoint")
    assert download.get_attribute("href") == "/export/presentatie.pptx?jaar=2024"
    response = page.request.get(app_url + download.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == ("application/vnd.openxmlformats-officedocument."
                                                "presentationml.presentation")
    page.get_by_role("link", name="Presentatie starten").click()
    page.wait_for_url(lambda url: urlparse(url).path == "/presentatie")
    settle(page)
    from playwright.sync_api import expect

    # the page's answer follows the URL; on a busy machine by more than the settling
    expect(page.locator("h1")).to_have_text("Programmaplan Jeugd 2025–2028", timeout=30_000)
    expect(page.locator("#presentatie")).to_have_attribute("data-jaar", "2024", timeout=30_000)
