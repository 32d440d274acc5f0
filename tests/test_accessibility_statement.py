"""The accessibility statement (/toegankelijkheid) and the theme in the app, in process: open to a
visitor without an account, in the model's structure, linked from every kind of page; THEMA and
TOEGANKELIJKHEID_CONTACT refused with one Dutch line; only the chosen theme linked."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from dashboard.server import accessibility_statement, plain_page
from data.db import make_engine, migrate
from tests import handmade_warehouse, warm_python

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def make_app(tmp_path, app_module):
    url = f"sqlite:///{tmp_path / 'w.db'}"
    engine = make_engine(url)
    migrate(engine)
    handmade_warehouse.fill(engine)
    engine.dispose()

    def make(**settings):
        return app_module.create_app({"DATABASE_URL": url, "SECRET_KEY": "test-" + "x" * 32, "WARM_CACHE": "0",
                                      **settings}).server
    return make


def test_a_visitor_without_an_account_reads_the_statement(make_app):
    client = make_app().test_client()  # PUBLIC_READ off: every other page sends a visitor to log in
    assert client.get("/").status_code == 302
    answer = client.get("/toegankelijkheid")
    assert answer.status_code == 200 and answer.mimetype == "text/html"
    page = answer.get_data(as_text=True)
    assert '<html lang="nl">' in page and page.count("<h1") == 1
    for heading in ("Toegankelijkheidsverklaring", "Nalevingsstatus", "Wat is onderzocht, en hoe", "Wat nog niet voldoet",
                    "Feedback en contactgegevens", "Handhavingsprocedure", "Over deze verklaring"):
        assert heading in page
    assert "Gemeente Huizen streeft ernaar" in page and "Status C: eerste maatregelen genomen" in page
    assert "axe-core 4.14.1" in page and "Opgelost vóór" in page
    assert "via de functioneel beheerder van de Jeugdmonitor" in page  # no contact set
    assert client.post("/toegankelijkheid").status_code in (400, 403, 405)  # never a change, never a 5xx


def test_the_contact_setting_gives_a_link_and_a_bad_one_stops_the_start(make_app, app_module):
    page = make_app(TOEGANKELIJKHEID_CONTACT="toegankelijkheid@huizen.nl").test_client().get("/toegankelijkheid")
    assert 'href="mailto:toegankelijkheid@huizen.nl"' in page.get_data(as_text=True)
    for bad in ("geen adres", "http://huizen.nl/contact", "javascript:alert(1)", "a@b", "<x>@huizen.nl"):
        with pytest.raises(app_module.SettingsError, match=r"^TOEGANKELIJKHEID_CONTACT=.*: geef een e-mailadres of "
                                                           r"een adres dat met https:// begint$"):
            make_app(TOEGANKELIJKHEID_CONTACT=bad)
    assert accessibility_statement.contact_from_setting("https://www.huizen.nl/contact").href == \
        "https://www.huizen.nl/contact"


def test_every_kind_of_page_links_the_statement(make_app):
    client = make_app(PUBLIC_READ="1").test_client()
    link = f'<a href="{plain_page.STATEMENT_PATH}">Toegankelijkheid</a>'
    for path in ("/inloggen", "/bestaat-niet", "/toegankelijkheid"):
        assert link in client.get(path).get_data(as_text=True), path
    frame = client.get("/_dash-layout").get_json()  # the Dash frame
    footer = next(c for c in frame["props"]["children"] if c["type"] == "Footer")
    assert plain_page.STATEMENT_PATH in hrefs(footer)
    assert link in plain_page.page("Storing", "<p>x</p>")  # the outage page and the export's refusals use it too


def hrefs(component) -> list[str]:
    """Every href in a serialised Dash component tree."""
    if isinstance(component, list):
        return [h for child in component for h in hrefs(child)]
    if not isinstance(component, dict):
        return []
    props = component.get("props", {})
    return ([props["href"]] if "href" in props else []) + hrefs(props.get("children"))


def test_only_the_chosen_theme_reaches_the_pages(make_app):
    client = make_app(THEMA="denhaag", PUBLIC_READ="1").test_client()
    for path in ("/", "/inloggen", "/bestaat-niet", "/toegankelijkheid"):
        page = client.get(path).get_data(as_text=True)
        links = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
        assert [h for h in links if "/themes/" in h] == [h for h in links if h.startswith("/assets/themes/denhaag.css?v=")]
        assert len([h for h in links if "/themes/" in h]) == 1, path
        # the theme before Bootstrap and the product's stylesheet, as in the Dash frame
        assert links.index(next(h for h in links if "/themes/" in h)) < links.index(
            next(h for h in links if "10_jeugdmonitor.css" in h)), path
    theme = client.get("/assets/themes/denhaag.css")
    assert theme.status_code == 200 and theme.mimetype == "text/css"


def test_a_bad_thema_stops_the_start_with_one_dutch_line(tmp_path):
    for env, says in ((dict(THEMA="paars"), "fout: THEMA='paars': geen thema met die naam in assets/themes/ "
                                            "(beschikbaar: denhaag, huizen)"),
                      (dict(TOEGANKELIJKHEID_CONTACT="bel ons"), "fout: TOEGANKELIJKHEID_CONTACT='bel ons': ")):
        done = warm_python.run([sys.executable, "app.py"], cwd=ROOT, capture_output=True, text=True, timeout=120,
                               env={"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{tmp_path / 'nooit.db'}", **env})
        assert done.returncode == 2
        assert done.stderr.startswith(says) and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert not (tmp_path / "nooit.db").exists()  # refused before any database work


def test_the_statement_names_only_pages_the_browser_tests_check_with_axe():
    """Every page the statement says is checked is opened by a browser test that runs axe-core."""
    opened = ""
    for path in sorted((ROOT / "tests").glob("test_*browser*.py")) + [ROOT / "tests" / "test_browser.py"]:
        text = path.read_text(encoding="utf-8")
        if "run_axe(" in text or "axe.run(" in text:
            opened += text
    for _name, path in accessibility_statement.TESTED_PAGES:
        assert re.search(rf'["\'+]{re.escape(path)}["?&]', opened) or f'"{path}"' in opened, path


def test_every_page_starts_with_a_skip_link(make_app):
    client = make_app(PUBLIC_READ="1").test_client()
    skip = '<a class="visually-hidden-focusable skip-link" href="#inhoud">Direct naar de inhoud</a>'
    for path in ("/inloggen", "/bestaat-niet", "/toegankelijkheid"):
        page = client.get(path).get_data(as_text=True)
        assert page.index(skip) < page.index("<header") and 'id="inhoud"' in page, path
    frame = client.get("/_dash-layout").get_json()
    assert frame["props"]["children"][0]["props"] == {"children": "Direct naar de inhoud", "href": "#inhoud",
                                                      "className": "visually-hidden-focusable skip-link"}
