"""Vastgestelde standen in headless Chromium: the programmamanager adds an explorer view to the
presentation, freezes a stand, and the presentation, overview and explorer show it; a lezer finds
the standen in the menu, reads the list and opens a stand, and sees no forms."""
from __future__ import annotations

from urllib.parse import urlencode

import pytest

from tests.browser import demo_warehouse, module_context, pages, require_browser, run_axe, running_app, settle

__all__ = ["module_context", "pages"]  # fixtures: new pages in one context for the module


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    require_browser()
    from data.accounts.users import add_user

    def accounts(engine):
        add_user(engine, "pm", "Petra de Manager", "programmamanager", "wachtwoord-pm1")
        add_user(engine, "raad", "Raadslid", "lezer", "wachtwoord-raad")

    folder = tmp_path_factory.mktemp("browser_standen")
    with running_app(demo_warehouse(folder, prepare=accounts), folder / "app.log") as base:
        yield base


def _page(pages, app_url, name, password, then: str = "/"):
    """A new page (no cookies) logged in as `name`, on `then`: the login leads there (`volgende`),
    so a test that starts elsewhere than the overview does not load it first."""
    page = pages()
    page.on("response", lambda r: page.console_errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto(app_url + "/inloggen?" + urlencode({"volgende": then}))
    page.fill("#gebruikersnaam", name)
    page.fill("#wachtwoord", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    return page


def test_freeze_and_present_a_stand(app_url, pages):
    page = _page(pages, app_url, "pm", "wachtwoord-pm1", then="/verkenner?kpi=instroom&jaar=2025&by=school&per=jaar")
    settle(page)
    page.click("#toevoegen-aan-presentatie")
    page.wait_for_selector("#toevoegen-aan-presentatie-melding .alert")
    assert "Toegevoegd aan de presentatie: Instroom (gestarte trajecten) per school, 2025." in \
        page.inner_text("#toevoegen-aan-presentatie-melding")

    page.goto(app_url + "/standen")
    settle(page)
    assert page.locator(".jm-navbar a:text-is('Standen')").count() == 1
    page.fill("#stand-peildatum", "12-11-2025")
    page.fill("#stand-titel", "Commissie Samenleving")
    page.select_option("#stand-jaar", "2025")
    page.click("#stand-vastleggen")
    page.wait_for_selector("#stand-melding .alert", timeout=60_000)
    assert page.inner_text("#stand-melding") == "Stand per 12 november 2025 is vastgelegd (Commissie Samenleving)."
    assert "12 november 2025" in page.inner_text("#standen-tabel")
    assert run_axe(page) == []

    page.click("text=Presentatie in deze stand")
    settle(page)
    assert "Stand per 12 november 2025" in page.inner_text(".slide-body")
    assert "Stand per 12 november 2025 — Commissie Samenleving" in page.inner_text(".slide-footer")
    total = int(page.get_attribute("#presentatie", "data-dia-totaal"))
    page.keyboard.press("ArrowRight")
    settle(page)
    assert "stand=" in page.url and "dia=2" in page.url
    page.goto(app_url + f"/presentatie?stand=1&dia={total}")
    settle(page)
    assert page.inner_text("h1") == "Instroom (gestarte trajecten) per school, 2025"
    assert "<10" in page.inner_text(".slide-body")
    page.keyboard.press("Escape")
    settle(page)
    assert page.url.endswith("/?stand=1")
    assert "Vastgestelde stand per 12 november 2025 — Commissie Samenleving" in page.inner_text("#stand-banner")
    assert run_axe(page) == []
    page.click("text=naar de actuele cijfers")
    settle(page)
    assert page.locator("#stand-banner").count() == 0

    # from the stand's overview into the explorer: the stand's figures, labelled, and nothing else
    page.goto(app_url + "/?stand=1")
    settle(page)
    assert page.locator("#stand-links a").count() == 6  # presentation, kostengroei, PowerPoint, PDF, CSV, Excel
    page.locator(".kpi-card a.stretched-link").first.click()
    settle(page)
    assert "/verkenner?" in page.url and page.url.endswith("stand=1")
    assert "Vastgestelde stand per 12 november 2025" in page.inner_text("#stand-banner")
    assert page.locator("#breakdown-table").count() == 1
    assert run_axe(page) == []
    page.select_option("#by-select", "school")
    page.wait_for_selector("#niet-in-stand")
    assert "stand=1" in page.url and "by=school" in page.url
    assert "hoort niet bij de stand per 12 november 2025" in page.inner_text("#niet-in-stand")
    assert page.locator("#breakdown-table").count() == 0

    page.goto(app_url + "/standen")
    settle(page)
    page.click("text=Verwijderen…")
    page.click("text=Definitief verwijderen")
    page.wait_for_selector("#stand-melding .alert")
    assert page.inner_text("#stand-melding") == "De stand is verwijderd."
    assert page.inner_text("#standen-lijst") == "Er is nog geen stand vastgelegd."
    assert page.console_errors == []


def test_a_lezer_finds_and_reads_the_standen_but_sees_no_forms(app_url, pages):
    manager = _page(pages, app_url, "pm", "wachtwoord-pm1", then="/standen")
    settle(manager)
    manager.fill("#stand-peildatum", "13-11-2025")
    manager.fill("#stand-titel", "Raadsvergadering")
    manager.click("#stand-vastleggen")
    manager.wait_for_selector("#stand-melding .alert", timeout=60_000)
    manager.close()  # the lezer's page comes without the manager's cookies

    page = _page(pages, app_url, "raad", "wachtwoord-raad")
    page.click(".jm-navbar a:text-is('Standen')")
    settle(page)
    assert page.url.endswith("/standen")
    assert page.locator("h1").inner_text() == "Vastgestelde standen"
    assert page.locator("#stand-vastleggen").count() == 0
    assert page.locator("text=Definitief verwijderen").count() == 0
    listed = page.inner_text("#standen-tabel")
    assert "13 november 2025" in listed and "Raadsvergadering" in listed
    for link in ("Overzicht in deze stand", "Presentatie in deze stand", "PowerPoint", "Rapport (PDF)",
                 "Tabel (CSV)", "Tabel (Excel)"):
        assert page.locator(f"#standen-tabel a:text-is('{link}')").count() == 1, link
    assert run_axe(page) == []
    page.click("text=Overzicht in deze stand")
    settle(page)
    assert "Vastgestelde stand per 13 november 2025 — Raadsvergadering" in page.inner_text("#stand-banner")
    page.goto(app_url + "/verkenner")
    settle(page)
    assert page.locator("#toevoegen-aan-presentatie").count() == 0
    assert page.console_errors == []
