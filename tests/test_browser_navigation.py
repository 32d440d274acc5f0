"""Navigation as a raadslid uses it (issue 15): every navigation adds exactly one history entry,
the back button always leaves a page, and the year being looked at goes along in the menu."""
from __future__ import annotations

import pytest

from tests.browser import module_context, new_page, page, wait_until
from tests.test_browser import app_url, settle  # the same app

__all__ = ["app_url", "module_context", "page"]  # fixtures: a new page per test in one context


def entries(page) -> int:
    return page.evaluate("history.length")


@pytest.fixture(scope="module")
def back_from_a_card(app_url, module_context) -> dict:
    """One reader's way, which both back tests look at (one overview, explorer and back render
    instead of two): the overview of 2024 scrolled down, a card's explorer view opened and left
    with the back button. What the page showed at each step."""
    with new_page(module_context) as page:
        page.goto(app_url + "/?jaar=2024")
        page.wait_for_selector(".kpi-card")  # the cards to scroll past: a cold app's first overview takes seconds
        settle(page)
        seen = {"entries": entries(page)}
        page.mouse.wheel(0, 1500)
        page.wait_for_timeout(500)
        seen["scrolled"] = page.evaluate("window.scrollY")
        link = next(a for a in page.locator(".kpi-card a").all() if a.bounding_box()["y"] > 0)  # one on screen
        link.click()
        page.wait_for_selector("#hoe-berekend")
        settle(page)
        seen.update(opened=page.url, entries_opened=entries(page), scroll_opened=page.evaluate("window.scrollY"))
        page.go_back()
        page.wait_for_selector(".kpi-card")
        settle(page)
        wait_until(page, lambda: abs(page.evaluate("window.scrollY") - seen["scrolled"]) < 40, timeout_s=10)
        seen.update(back=page.url, scroll_back=page.evaluate("window.scrollY"))
    return seen


def test_back_from_the_explorer_returns_to_the_overview(back_from_a_card, app_url):
    seen = back_from_a_card
    assert "/verkenner?" in seen["opened"] and seen["entries_opened"] == seen["entries"] + 1  # one click, one entry
    assert seen["back"] == app_url + "/?jaar=2024"


def test_back_returns_to_where_the_reader_was_on_the_page(back_from_a_card):
    """A raadslid scrolls down the overview, opens a card's explorer view and comes back: the page
    is rendered again from its URL, and the reader is back at the card, not at the top."""
    seen = back_from_a_card
    assert seen["scrolled"] > 1000, seen
    assert seen["scroll_opened"] < 100  # a new view starts at its top
    assert abs(seen["scroll_back"] - seen["scrolled"]) < 40, seen


def test_the_menu_adds_one_entry_and_carries_the_year(page, app_url):
    page.goto(app_url + "/programma?jaar=2026")
    settle(page)
    before = entries(page)
    overzicht = page.locator(".jm-navbar a:text-is('Overzicht')")
    assert overzicht.get_attribute("href") == "/?jaar=2026"
    overzicht.click()
    page.wait_for_selector(".kpi-card")
    settle(page)
    assert page.url == app_url + "/?jaar=2026" and entries(page) == before + 1
    assert "Overzicht 2026" in page.inner_text("h1")
    page.locator(".jm-navbar a:text-is('Programma')").click()
    page.wait_for_selector("h1:text('Programmaplan')")
    settle(page)
    assert page.url == app_url + "/programma?jaar=2026" and entries(page) == before + 2
    page.go_back()
    page.wait_for_selector(".kpi-card")
    page.go_back()
    page.wait_for_selector("h1:text('Programmaplan')")
    settle(page)
    assert page.url == app_url + "/programma?jaar=2026"


def test_a_short_link_is_not_rewritten_into_a_second_entry(page, app_url):
    """/ and /verkenner?kpi=… without the defaults show the same view as their full form: opening
    them must not push the full form as a second entry (the back button would be trapped)."""
    for path in ("/", "/verkenner?kpi=instroom&jaar=2025", "/programma"):
        before = entries(page)
        page.goto(app_url + path)
        settle(page)
        assert entries(page) == before + 1, path
        assert page.url == app_url + path


def test_choosing_with_the_keyboard_changes_the_view_once_and_keeps_the_focus(page, app_url):
    page.goto(app_url + "/verkenner?kpi=instroom&jaar=2025")
    page.wait_for_selector("#hoe-berekend")
    settle(page)
    before, url = entries(page), page.url
    page.focus("#kpi-select")
    page.keyboard.press("ArrowDown")  # on a closed select: opens the list, does not switch the view
    page.wait_for_timeout(800)
    page.keyboard.press("Escape")
    assert page.url == url and entries(page) == before
    assert page.evaluate("document.activeElement.id") == "kpi-select"
    page.select_option("#kpi-select", "uitstroom")
    page.wait_for_url("**kpi=uitstroom**")
    settle(page)
    assert entries(page) == before + 1
    assert page.evaluate("document.activeElement.id") == "kpi-select"  # not <body>


def test_the_running_year_reads_true_on_the_overview(page, app_url):
    """The demonstration data end on 30 September 2026: the overview of 2026 labels its values,
    compares them with the same months of 2025 and leaves counts and sums unjudged."""
    page.goto(app_url + "/?jaar=2026")
    page.wait_for_selector(".kpi-card")
    settle(page)
    kosten = page.locator(".kpi-card", has_text="Totale kosten jeugdhulp").inner_text()
    assert "t/m september" in kosten and "oordeel na afloop van het jaar" in kosten
    assert "dan t/m september 2025" in kosten and "Op koers" not in kosten
    herinstroom = page.locator(".kpi-card", has_text="% herinstroom").inner_text()
    assert "volgperiode loopt nog" in herinstroom


def test_a_maatregel_link_opens_its_lijn_at_the_maatregel(page, app_url):
    """A maatregel in /programma links to its section on the lijn page; Dash builds that page after
    the browser looked for the section, so the reader landed at the top of a long page."""
    page.goto(app_url + "/programma?jaar=2025")
    settle(page)
    page.locator("#lijn-L3 summary").click()
    page.locator("a[href='/programma/L3?jaar=2025#maatregel-L3-2']").click()
    page.wait_for_selector("#maatregel-L3-2")
    settle(page)
    heading = page.locator("#maatregel-L3-2")
    wait_until(page, lambda: 0 <= heading.bounding_box()["y"] < 200, timeout_s=10)
    assert page.evaluate("window.scrollY") > 1000  # far down the page, not its top


def test_the_road_table_fits_its_column_at_1280_pixels(page, app_url):
    """"De weg naar 2028" beside its chart at 1280×720: the table of a euro KPI ran past its column
    (its 80%-marge on one line), so "Kans op de streefwaarde" was cut off at the box's edge."""
    page.set_viewport_size({"width": 1280, "height": 720})
    for code in ("K18", "K19", "K01"):  # millions of euros, thousands of euros, a count
        page.goto(app_url + f"/indicator/{code}")
        page.wait_for_selector("#weg-naar-eindjaar table")
        settle(page)
        box = page.locator("#weg-naar-eindjaar .table-responsive")
        assert box.evaluate("b => b.scrollWidth <= b.clientWidth"), (code, box.evaluate("b => [b.scrollWidth, b.clientWidth]"))
