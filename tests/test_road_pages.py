"""De weg naar 2028 on the screens (issue 17, item 5): the indicator page's section, the lijn page's
line per indicator, the overview cards — on the demonstration data, rendered without a browser —
and the raad's road resting on vastgestelde figures only."""
from __future__ import annotations

import datetime as dt

import flask
import pytest
from dash import dcc, html
from flask import g

from dashboard.pages import indicator, overzicht, programma_lijn
from dashboard.programme.overview import overview_cards
from dashboard.programme.progress import read_programme
from dashboard.programme.road import TE_WEINIG_JAREN, has_targets, indicator_road
from dashboard.server import runtime
from dashboard.ui.road_view import HELP_ID, SECTION_ID
from data.programme import edits
from kpi import CATALOGUE, KpiRequest
from kpi.trajectory import project
from tests.beheer_support import MANAGER, RAAD, programme  # noqa: F401 (a fixture)
from tests.conftest import shared_demo
from tests.test_explorer_paging import find as of_type
from tests.test_standen import find, texts


@pytest.fixture
def live(request, backend):
    engine = shared_demo(request)  # the demonstration data hold the Programmaplan
    runtime.configure(engine)
    yield engine
    runtime.reset()


def render(page, path: str, user=RAAD, **query):
    app = flask.Flask(__name__)
    app.secret_key = "test"
    with app.test_request_context(path):
        g.jm_user = user
        return page.layout(**query)


def lines_with(tree, start: str) -> list[str]:
    return [t for t in texts(tree) if t.startswith(start)]


def test_the_indicator_page_shows_the_road_on_the_values_it_shows(live):
    page = render(indicator, "/indicator/K06", code="K06")
    words = " ".join(texts(page))
    assert "De weg naar 2028" in words and "Hoe berekend?" in words
    assert find(page, SECTION_ID) is not None
    # the same yearly values the page shows, asked of the engine directly: complete years 2020–2025
    service = runtime.service()
    rows = service.compute(KpiRequest("pct_lichte_hulp", dt.date(2020, 1, 1), dt.date(2025, 12, 31), per="jaar")).rows
    ind = read_programme(live, vastgesteld_only=True).indicators["K06"]
    expected = project([(int(r.periode), r.value) for r in rows], 2028, ind.streefwaarden, ind.richting,
                       nulmeting=ind.nulmeting[1], grenzen=(0.0, 100.0))
    road = indicator_road(service, ind, 2028, 2026)
    assert road.trajectory == expected
    for jaar in (2026, 2027, 2028):
        assert f"kans {jaar}: {road.verdict(jaar, compact=True)}" in texts(page)
    assert road.short in words and "De lijn door 2020–2025 (6 jaar) stijgt met ongeveer 1,9 procentpunt per jaar." in words
    road_figure = [gr.figure for gr in of_type(page, dcc.Graph) if "de weg naar 2028" in str(gr.figure.layout.title.text)]
    assert len(road_figure) == 1
    names = [trace.name for trace in road_figure[0].data]
    assert {"realisatie", "doorgetrokken lijn", "80%-marge", "streefwaarde"} <= set(names)
    band = next(t for t in road_figure[0].data if t.name == "80%-marge")
    assert list(band.x) == [2025, 2026, 2027, 2028]
    assert list(band.y)[1:] == [y.onder for y in expected.jaren]


def test_an_indicator_with_two_years_says_so_and_draws_no_line(live):
    page = render(indicator, "/indicator/H01", user=MANAGER, code="H01")
    words = " ".join(texts(page))
    assert f"Op weg naar 2028: {TE_WEINIG_JAREN}" in words
    assert "minstens 3 nodig" in words
    assert not [gr for gr in of_type(page, dcc.Graph) if "de weg naar" in str(gr.figure.layout.title.text)]
    assert not lines_with(page, "kans 20")


def test_the_lijn_page_has_one_road_line_per_indicator_with_targets(live):
    page = render(programma_lijn, "/programma/L2", lijn="L2")
    lijn = read_programme(live, vastgesteld_only=True).lijn("L2")
    with_targets = [ind for ind in lijn.all_indicators() if has_targets(ind)]
    assert with_targets
    assert len(lines_with(page, "Op weg naar 2028:")) == len(with_targets)
    assert find(page, HELP_ID) is not None
    links = [a.href for a in of_type(page, html.A) if getattr(a, "className", None) == "road-link"]
    assert links == [f"/indicator/{ind.code}?jaar=2025#{SECTION_ID}" for ind in  # the year shown goes along
                     lijn.indicatoren + [i for m in lijn.maatregelen for i in m.indicatoren] if has_targets(ind)]
    # the year tables name the running year as the charts and the overview do
    row_heads = [th.children for th in of_type(page, html.Th) if isinstance(th.children, str)]
    assert "2026 (t/m september)" in row_heads and not any("t/m 30 september" in h for h in row_heads)


def test_the_indicator_page_names_the_running_year_as_the_lijn_page_does(live):
    """The indicator page's year table labels 2026's value (data up to September) "2026 (t/m
    september)" as the lijn page and the chart do: a bare "2026" reads as the whole year's figure."""
    page = render(indicator, "/indicator/K01", code="K01")
    table = next(t for t in of_type(page, html.Table)
                 if "realisatie en streefwaarden" in str(t.children[0].children))
    row_heads = [th.children for th in of_type(table, html.Th) if isinstance(th.children, str)]
    assert row_heads[4:] == ["2024", "2025", "2026 (t/m september)", "2027", "2028"]


def test_the_indicator_page_breadcrumb_names_the_indicator_not_its_code(live):
    """The last step of the breadcrumb is the page the reader is on, by its name: "K01" is the
    programme's internal code, which a raadslid does not know."""
    page = render(indicator, "/indicator/K01", code="K01")
    [crumbs] = [o for o in of_type(page, html.Ol) if o.className == "breadcrumb"]
    assert [" ".join(texts(li)) for li in crumbs.children] == ["Programma", "Lijn 1", "Jeugdigen met jeugdhulp"]


def test_overview_cards_carry_the_same_road_as_the_indicator_page(live):
    service = runtime.service()
    plan = read_programme(live, vastgesteld_only=True)
    cards = [c for band in overview_cards(service, 2025, plan).values() for c in band]
    with_road = [c for c in cards if c.road is not None]
    assert len(with_road) == len({i.kpi_id for i in plan.indicators.values() if i.kpi_id and has_targets(i)})
    for card in with_road:
        ind = plan.indicator_for_kpi(card.kpi.id)
        assert card.road == indicator_road(service, ind, 2028, 2026), card.kpi.id
    page = render(overzicht, "/", jaar="2025")
    assert len(lines_with(page, "Op weg naar 2028:")) == len(with_road) + 1  # and the "hoe berekend?"
    assert "Op weg naar 2028: hoe berekend?" in texts(page)
    # before the programme's nulmeting year a card has no road
    early = [c for band in overview_cards(service, 2022, plan).values() for c in band]
    assert all(c.road is None for c in early)
    assert not lines_with(render(overzicht, "/", jaar="2022"), "Op weg naar")


def test_a_running_year_does_not_pull_the_line(live):
    """Data run to 30 September 2026: the card for 2026 rests on 2020–2025, as the page does."""
    service = runtime.service()
    assert service.data_status().data_tot == dt.date(2026, 9, 30)
    plan = read_programme(live, vastgesteld_only=True)
    cards = {c.kpi.id: c for band in overview_cards(service, 2026, plan).values() for c in band}
    road = cards["instroom"].road
    assert [j for j, _ in road.trajectory.punten] == list(range(2020, 2026))
    assert road == indicator_road(service, plan.indicators["K03"], 2028, 2026)
    assert CATALOGUE["instroom"].cumulatief  # a count: 2026 t/m september would sit far below the line


def test_the_raad_sees_a_road_through_vastgestelde_figures_only(programme):  # noqa: F811
    engine = programme
    assert edits.set_realisatie(engine, MANAGER, "H01", "2026", "490", None)
    code = "H01"

    def road_for(vastgesteld_only: bool):
        ind = read_programme(engine, vastgesteld_only=vastgesteld_only).indicators[code]
        return indicator_road(None, ind, 2028, 2026)  # a manual indicator asks no service

    manager = road_for(False)
    assert manager.trajectory.punten == ((2024, 420.0), (2025, 455.0), (2026, 490.0))
    assert manager.has_line and manager.year(2028).verwachting == pytest.approx(560.0)
    raad = road_for(True)  # nothing vastgesteld: only the nulmeting
    assert raad.trajectory.punten == ((2024, 420.0),) and raad.short == f"Op weg naar 2028: {TE_WEINIG_JAREN}"
    for quarter in ("2025-Q4", "2026-Q4"):
        assert edits.lock_period(engine, MANAGER, quarter)
    assert road_for(True) == manager


def test_an_amount_in_euros_never_breaks_after_its_sign(live):
    """"€" on one line and "13.794.000" on the next (seen at 1280): the lijn page's year tables and the
    indicator page's road table keep an amount whole."""
    plan = read_programme(live, vastgesteld_only=True)
    ind = next(i for lijn in plan.lijnen for i in lijn.all_indicators() if i.kpi_id == "totale_kosten")
    lijn = next(lijn for lijn in plan.lijnen if ind in lijn.all_indicators())
    for page in (render(programma_lijn, f"/programma/{lijn.code}", lijn=lijn.code),
                 render(indicator, f"/indicator/{ind.code}", code=ind.code)):
        cells = [td for td in of_type(page, html.Td) if "€ " in " ".join(texts(td))]
        assert cells
        for td in cells:
            whole = "text-nowrap" in (td.className or "")
            spans = [s for s in of_type(td, html.Span) if "text-nowrap" in (s.className or "")
                     and str(s.children).startswith("€ ")]
            assert whole or spans, td


def test_a_page_without_a_frozen_version_says_it_shows_todays_figures_for_a_stand(live):
    """/programma, a lijn and an indicator have no frozen version: `?stand=3` showed live figures
    without a word, as if they were the stand's."""
    from dashboard.pages import programma
    from dashboard.server import params

    notice = params.live_only("3")
    pages = ((programma, "/programma", {}), (programma_lijn, "/programma/L2", {"lijn": "L2"}),
             (indicator, "/indicator/K07", {"code": "K07"}))
    for page, path, query in pages:
        assert any(notice in text for text in texts(render(page, path, stand="3", **query))), path
        assert not any(notice in text for text in texts(render(page, path, **query))), path
    assert params.live_only(None) is None and params.live_only(" ") is None


def test_a_stand_link_that_names_no_stand_says_so_on_the_pages_without_a_frozen_version(live):
    """/programma?stand=abc said "Deze pagina heeft geen vastgestelde stand …" as if stand 'abc'
    existed somewhere else: the notice now starts with why the link names no stand, in the words
    the pages of a stand refuse it with."""
    from dashboard.pages import programma
    from dashboard.server import params

    for stand, problem in (("abc", "'abc' is geen nummer van een vastgelegde stand."),
                           ("99999", "Stand 99999 bestaat niet (meer).")):
        for page, path, query in ((programma, "/programma", {}), (programma_lijn, "/programma/L2", {"lijn": "L2"}),
                                  (indicator, "/indicator/K07", {"code": "K07"})):
            assert f"{problem} {params.live_only(stand)}" in texts(render(page, path, stand=stand, **query)), path


def test_the_stand_link_problem_reads_the_list_of_stands(warehouse):
    import datetime as dt

    from dashboard.programme.stand_freeze import stand_link_problem
    from data.accounts.users import User
    from data.programme.stand_store import insert_stand

    pm = User(1, "pm", "Petra Manager", "programmamanager", frozenset())
    number = insert_stand(warehouse, pm, dt.date(2026, 11, 12), "commissie", 2025, {})
    assert stand_link_problem(warehouse, str(number)) is None
    assert stand_link_problem(warehouse, f" {number} ") is None
    assert stand_link_problem(warehouse, str(number + 1)) == f"Stand {number + 1} bestaat niet (meer)."
    assert stand_link_problem(warehouse, "") == "De link noemt geen nummer van een vastgelegde stand."
    assert stand_link_problem(warehouse, "١٢") == "'١٢' is geen nummer van een vastgelegde stand."
