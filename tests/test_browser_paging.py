"""The explorer in headless Chromium on a warehouse of three gemeenten (Huizen and two copies):
a long breakdown is paged, every wijk has a name of its own, the controls' "all"/"none" choices
read as such, and the pager and drill-down work as a user clicks them."""
from __future__ import annotations

import pytest

from tests.browser import demo_warehouse, module_context, page, require_browser, run_axe, running_app, wait_until
from tests.test_browser import crumbs, settle

__all__ = ["module_context", "page"]  # fixtures: a new page per test in one context

VIEW = "/verkenner?kpi=instroom&jaar=2025&by=wijk"


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    require_browser()
    folder = tmp_path_factory.mktemp("browser-paging")
    # three gemeenten: 42 wijken, more than one page
    # without stored totals: its few views are read from the facts, cheaper than storing them all
    with running_app(demo_warehouse(folder, scale=3, totals=False), folder / "app.log") as base:
        yield base


def rows(page) -> list[str]:
    return page.locator("#breakdown-table tbody th").all_inner_texts()


def test_pager_steps_through_the_wijken_and_back(app_url, page):
    page.goto(app_url + VIEW)
    settle(page)
    first = rows(page)
    assert len(first) == 40 and len(set(first)) == 40
    assert any(name.endswith("(Voorbeeldgemeente 1)") for name in first)
    pager = page.get_by_role("navigation", name="Pagina's van de wijken (boven de grafiek)")
    assert "Wijken 1–40 van 42 · pagina 1 van 2" in pager.inner_text()
    bars = page.locator("#breakdown-graph .bars .point")
    wait_until(page, lambda: bars.count() == 40)  # plotly draws the bars after the table is there
    assert bars.count() == 40
    assert run_axe(page) == []

    pager.get_by_role("link", name="Volgende ›").click()
    page.wait_for_url(lambda url: "pagina=2" in url)
    settle(page)
    wait_until(page, lambda: set(rows(page)).isdisjoint(first))  # the answer may follow the URL (below)
    second = rows(page)
    assert len(second) == 2 and not set(second) & set(first)
    assert "Wijken 41–42 van 42 · pagina 2 van 2" in page.locator("main").inner_text()

    page.go_back()
    page.wait_for_url(lambda url: "pagina=" not in url)
    settle(page)
    wait_until(page, lambda: rows(page) == first)
    assert rows(page) == first
    assert page.console_errors == []


def test_drilling_in_on_page_two_filters_on_that_wijk_and_starts_at_page_one(app_url, page):
    page.goto(app_url + VIEW + "&pagina=2")
    settle(page)
    name = rows(page)[0]
    page.get_by_role("button", name=f"Inzoomen op {name}").click()
    page.wait_for_url(lambda url: "f=wijk" in url)
    # the crumbs come with the view's answer; on a busy machine that can follow the URL by more
    # than networkidle's half second
    page.wait_for_selector("nav[aria-label=Inzoompad] >> text=Wijk:")
    settle(page)
    assert "pagina=" not in page.url
    assert crumbs(page).startswith("Alle jeugdhulp / Wijk: ")
    assert page.locator("#by-select").input_value() == "school"


def test_all_gemeenten_and_no_breakdown_show_their_labels_and_work(app_url, page):
    page.goto(app_url + VIEW + "&pagina=2")
    settle(page)
    gemeente = page.locator("#verkenner-gemeente-select")
    assert gemeente.evaluate("s => s.options[s.selectedIndex].text") == "Alle gemeenten"
    gemeente.select_option(label="Huizen")
    page.wait_for_url(lambda url: "gemeente=GM0406" in url)
    settle(page)
    # the view's answer comes after the URL; on a busy machine by more than networkidle's half second
    wait_until(page, lambda: len(rows(page)) == 14)
    assert "pagina=" not in page.url
    assert len(rows(page)) == 14
    assert page.get_by_role("navigation", name="Pagina's van de wijken (boven de grafiek)").count() == 0

    page.locator("#by-select").select_option(label="Geen uitsplitsing")
    page.wait_for_url(lambda url: "by=&" in url)
    settle(page)
    wait_until(page, lambda: page.locator("#breakdown-table").count() == 0)
    assert page.locator("#by-select").evaluate("s => s.options[s.selectedIndex].text") == "Geen uitsplitsing"
    assert page.locator("#breakdown-table").count() == 0
    assert page.console_errors == []
