"""/programma for the programmamanager (issue 15): a summary at the top, lijnen folded, and the
filters "alleen aandacht en achter" and "mijn maatregelen" — each a URL."""
from __future__ import annotations

import dash_bootstrap_components as dbc
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
    """A maatregel in the table of 2026 opens its lijn at the status of 2026, as "Naar lijn …" does:
    without the year the lijn page showed the status of the default year (2025) beside a table of 2026."""
    page = render(MANAGER, jaar="2026")
    hrefs = [a.href for a in of_type(page, html.A) if "#maatregel-" in str(getattr(a, "href", ""))]
    assert hrefs and all("?jaar=2026#maatregel-" in h for h in hrefs), hrefs
    assert "/programma/L1?jaar=2026#maatregel-L1-1" in hrefs


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


def year_choices(page) -> list[str]:
    from dashboard.ui import ids

    select = next(s for s in of_type(page, dbc.Select) if s.id == ids.JAAR + "-programma")
    return [option["value"] for option in select.options]


def test_the_programme_pages_offer_the_programmes_years_only():
    """/programma?jaar=2020 showed "45 zonder voortgang over 2020", every maatregel "Geen voortgang
    gemeld over 2020" and "Trend 2020–2020": the programme runs 2025–2028 (the plan's years, read
    from the programme), so its pages offer those the data reach, and an earlier year is told as a
    bad year is, with the year shown instead. The overview keeps 2019 on."""
    from dashboard.pages import overzicht, programma_lijn
    from dashboard.server import runtime

    page = render(RAAD, jaar="2020")
    words = " ".join(texts(page))
    assert "Jaar '2020' valt buiten het programma (2025–2028); 2025 wordt getoond." in words
    assert "over 2020" not in words and "Trend 2020" not in words
    assert "Maatregelen (naar de laatste vastgestelde kwartaalrapportage over 2025):" in words
    assert year_choices(page) == ["2026", "2025"]
    for before in ("2024", "1999"):  # the nulmeting's year, and one the data do not cover either
        assert f"Jaar '{before}' valt buiten het programma (2025–2028); 2025 wordt getoond." in texts(
            render(RAAD, jaar=before))
    for bad in ("abc", "2027"):  # no year, and one of the programme the data do not reach yet: as before
        assert f"Jaar '{bad}' is niet beschikbaar; 2025 wordt getoond." in texts(render(RAAD, jaar=bad)), bad
    assert not [t for t in texts(render(RAAD, jaar="2026")) if t.startswith("Jaar '")]

    lijn = render_page(programma_lijn, "/programma/L1", RAAD, lijn="L1", jaar="2020")
    words = " ".join(texts(lijn))
    assert "Jaar '2020' valt buiten het programma (2025–2028); 2025 wordt getoond." in words
    assert "Status 2025: " in words and "2020:" not in words and "over 2020" not in words

    with pytest.raises(Exception, match="Jaar '2020' bestaat niet"):  # not a choice of the control
        with_request(lambda: programma.href_after_year("2020", "?jaar=2025"))
    assert with_request(lambda: programma.href_after_year("2026", "?jaar=2025")) == "/programma?view=lijnen&jaar=2026"

    years, _default = runtime.years_available()
    assert years.start == 2019 and "Jaar '2020'" not in " ".join(texts(render_page(overzicht, "/", RAAD, jaar="2020")))


def with_request(call):
    import flask

    app = flask.Flask(__name__)
    with app.test_request_context("/programma"):
        flask.g.jm_user = RAAD
        return call()


def test_the_programme_years_are_the_plans_years_the_data_reach():
    from dashboard.ui.programme_view import programme_years
    from data.programme.plan import Plan
    from tests.other_plan import PLAN as EEMNES

    huizen = Plan("Programmaplan Jeugd 2025–2028", "Huizen", 2025, 2028, 2024)
    assert programme_years(huizen, range(2019, 2027), 2025) == (range(2025, 2027), 2025)
    assert programme_years(huizen, range(2019, 2026), 2024) == (range(2025, 2026), 2025)  # data end in 2025
    assert programme_years(huizen, range(2019, 2031), 2030) == (range(2025, 2029), 2028)  # and on after 2028
    assert programme_years(huizen, range(2019, 2024), 2023) == (range(2025, 2026), 2025)  # end before 2025
    assert programme_years(EEMNES, range(2019, 2027), 2025) == (range(2023, 2027), 2025)


def programme_links(page) -> list[str]:
    """The page's links to /programma, a lijn or an indicator."""
    return [a.href for a in of_type(page, (html.A, dbc.NavLink)) if str(getattr(a, "href", "")).startswith(
        ("/programma", "/indicator/"))]


@pytest.mark.parametrize("stand", [None, "3"])
def test_every_link_between_the_programme_pages_keeps_the_year_and_the_stand(stand):
    """/programma/L1?jaar=2026: the indicator links (/indicator/H01) and the breadcrumb's "Programma"
    carried no year, nor did the indicator page's way back ("Lijn 1"), so the raad landed on the
    default year. Every link between /programma, a lijn and an indicator keeps `jaar`, and `stand`
    (those pages show today's figures and say so on every page the reader goes on to)."""
    from urllib.parse import parse_qs, urlsplit

    from dashboard.pages import indicator, programma_lijn

    pages = [(programma, "/programma", {}), (programma, "/programma", {"view": "doelstellingen"}),
             (programma, "/programma", {"toon": "aandacht"}), (programma_lijn, "/programma/L1", {"lijn": "L1"}),
             (indicator, "/indicator/H01", {"code": "H01"}), (indicator, "/indicator/K06", {"code": "K06"})]
    for page, path, query in pages:
        hrefs = programme_links(render_page(page, path, RAAD, jaar="2026", stand=stand, **query))
        assert hrefs, path
        for href in hrefs:
            kept = parse_qs(urlsplit(href).query)
            assert kept["jaar"] == ["2026"] and kept.get("stand") == ([stand] if stand else None), (path, href)
    suffix = "&stand=3" if stand else ""
    lijn = programme_links(render_page(programma_lijn, "/programma/L1", RAAD, lijn="L1", jaar="2026", stand=stand))
    assert f"/programma?jaar=2026{suffix}" in lijn and f"/indicator/H01?jaar=2026{suffix}" in lijn
    back = programme_links(render_page(indicator, "/indicator/H01", RAAD, code="H01", jaar="2026", stand=stand))
    assert back[:2] == [f"/programma?jaar=2026{suffix}", f"/programma/L1?jaar=2026{suffix}"]  # the breadcrumb
    nowhere = render_page(programma_lijn, "/programma/L99", RAAD, lijn="L99", jaar="2026", stand=stand)
    assert programme_links(nowhere) == [f"/programma?jaar=2026{suffix}"]  # "Terug naar het programma"
    assert with_request(lambda: programma.href_after_year("2025", f"?jaar=2026{suffix}")) == (
        f"/programma?view=lijnen&jaar=2025{suffix}")


def test_the_indicator_page_says_where_another_year_leads():
    """The indicator page shows every year: a year it cannot take changes only where its links lead."""
    from dashboard.pages import indicator

    page = render_page(indicator, "/indicator/H01", RAAD, code="H01", jaar="abc")
    assert "Jaar 'abc' is niet beschikbaar; de links naar het programma tonen 2025." in texts(page)
    assert programme_links(page)[0] == "/programma?jaar=2025"
    assert not [t for t in texts(render_page(indicator, "/indicator/H01", RAAD, code="H01")) if t.startswith("Jaar '")]


def test_the_indicator_page_names_its_maatregel_and_links_it():
    """/indicator/H01 read "Procesindicator van maatregel L1.1 · handmatig gerapporteerd door de
    trekker": a code the raad does not know. It names the maatregel and links its section of the
    lijn page, of the year (and stand) the reader came with; an indicator of a lijn links the lijn."""
    from dashboard.pages import indicator
    from dashboard.programme.progress import read_programme
    from dashboard.server import runtime

    programme = read_programme(runtime.current().engine, vastgesteld_only=True)

    def about(code: str, **query) -> tuple[str, list[str]]:
        page = render_page(indicator, f"/indicator/{code}", RAAD, code=code, **query)
        line = next(p for p in of_type(page, html.P) if "".join(texts(p)).startswith(("Procesindicator van ",
                                                                                    "Effectindicator van ")))
        return "".join(texts(line)), [a.href for a in of_type(line, html.A)]

    naam = programme.maatregel("L1.1").naam
    assert about("H01", jaar="2026") == (
        f"Procesindicator van maatregel L1.1 {naam} · handmatig gerapporteerd door de trekker · eenheid: aantal",
        ["/programma/L1?jaar=2026#maatregel-L1-1"])
    text, links = about("K11", stand="3")
    assert text.startswith(f"Effectindicator van maatregel L3.6 {programme.maatregel('L3.6').naam} · berekend")
    assert links == ["/programma/L3?jaar=2025&stand=3#maatregel-L3-6"]
    of_lijn = next(ind for lijn in programme.lijnen for ind in lijn.indicatoren)
    text, links = about(of_lijn.code)
    assert text.startswith(f"Effectindicator van lijn {programme.lijn(of_lijn.lijn).nummer} · ") and links == [
        f"/programma/{of_lijn.lijn}?jaar=2025"]
