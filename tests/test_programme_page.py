"""/programma for the programmamanager (issue 15): a summary at the top, lijnen folded, and the
filters "alleen aandacht en achter" and "mijn maatregelen" — each a URL."""
from __future__ import annotations

import pytest
from dash import html

from dashboard.pages import programma
from tests.beheer_support import ANNA, MANAGER, RAAD
from tests.test_explorer_paging import find as of_type
from tests.test_road_pages import live  # noqa: F401 (a fixture)
from tests.test_road_pages import render as render_page
from tests.test_standen import texts

pytestmark = pytest.mark.usefixtures("live")  # the demonstration data with the Programmaplan, per backend


def render(user, **query):
    return render_page(programma, "/programma", user, **query)


def test_summary_on_top_and_every_lijn_folded():
    page = render(MANAGER, jaar="2025")
    words = " ".join(texts(page))
    assert "Het programma in één oogopslag" in words
    assert "Indicatoren 2025:" in words and "op koers" in words
    assert "Maatregelen (naar hun laatste kwartaalrapportage over 2025, ook als die nog niet is vastgesteld):" in words
    lijnen = [d for d in of_type(page, html.Details) if "lijn-fold" in (d.className or "")]
    assert len(lijnen) == 8 and not any(d.open for d in lijnen)


def test_only_what_needs_attention():
    page = render(MANAGER, jaar="2025", toon="aandacht")
    shown = " ".join(texts(page))
    assert "Op koers" not in shown.replace("op koers", "")  # no indicator rows that are op koers
    assert any(status in shown for status in ("Achter", "Aandacht", "Vertraagd"))
    assert all(d.open for d in of_type(page, html.Details) if "lijn-fold" in (d.className or ""))


def test_my_maatregelen_for_a_trekker_and_not_for_the_raad():
    page = render(ANNA, jaar="2025", toon="mijn")
    shown = " ".join(texts(page))
    assert "L1.1 " in shown and "L3.6 " in shown and "L2.1 " not in shown
    raad = " ".join(texts(render(RAAD, jaar="2025", toon="mijn")))
    assert "U heeft geen maatregelen toegewezen; alles wordt getoond." in raad
    assert "Mijn maatregelen" not in raad
    assert "Filter 'x' bestaat niet" in " ".join(texts(render(MANAGER, toon="x")))


def test_the_raad_is_told_its_maatregel_counts_are_those_of_the_vastgestelde_quarters():
    """A raadslid's counts may differ from the programmamanager's (an open quarter is not theirs to
    see): the line says where they come from."""
    raad = " ".join(texts(render(RAAD, jaar="2025")))
    assert "Maatregelen (naar de laatste vastgestelde kwartaalrapportage over 2025):" in raad
    assert "ook als die nog niet is vastgesteld" not in raad



def test_a_maatregel_link_keeps_the_year_shown():
    """A maatregel in the table of 2024 opens its lijn at the status of 2024, as "Naar lijn …" does:
    without the year the lijn page showed the status of the default year beside a table of 2024."""
    page = render(MANAGER, jaar="2024")
    hrefs = [a.href for a in of_type(page, html.A) if "#maatregel-" in str(getattr(a, "href", ""))]
    assert hrefs and all("?jaar=2024#maatregel-" in h for h in hrefs), hrefs
    assert "/programma/L1?jaar=2024#maatregel-L1-1" in hrefs


def test_a_lijn_with_one_maatregel_says_maatregel(live):  # noqa: F811
    """"1 maatregelen" in a lijn's folded summary and in the programme slide's notes: a plan may have a
    lijn with a single maatregel (Huizen's have three to eight)."""
    import dataclasses

    from dashboard.exports.slides import programme_slide
    from dashboard.programme.progress import read_programme
    from dashboard.server import runtime

    programme = read_programme(live, vastgesteld_only=True)
    lijn = programme.lijn("L6")
    one = dataclasses.replace(lijn, maatregelen=lijn.maatregelen[:1], indicatoren=[])
    section = programma.lijn_section(runtime.service(), one, [], [], {}, 2025, "alles", programme.plan)
    summary = " ".join(texts(section.children[0]))
    assert "· 1 maatregel, 0 indicatoren met aandacht of achter" in summary
    slide = programme_slide(dataclasses.replace(programme, lijnen=[one]), 2025)
    assert any(note.startswith(f"Lijn 6, {lijn.naam}: 1 maatregel ") for note in slide.notes), slide.notes
