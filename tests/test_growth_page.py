"""The page /kostengroei ("Waarom stijgen de kosten?") without a browser: its URL (every bad value
replaced with a Dutch message), the component tree it draws from a hand-made warehouse whose answer
is known by hand (the sentence, the waterfall's bars, the table's cells, the drill links and the
breadcrumb), small groups only inside "Overig", the controls' next URL, and the overview's link.
On SQLite and PostgreSQL; the stand's view is in tests/test_growth_exports.py."""
from __future__ import annotations

import pytest
from dash import dcc, html
from dash.exceptions import PreventUpdate

from dashboard.server import runtime
from dashboard.server.params import BadInput
from dashboard.server.params import query as parse_query
from dashboard.ui import ids
from dashboard.ui.growth_state import CHOICES, GrowthState, from_query, growth_href, next_by
from kpi.cost_growth import GrowthRequest, decompose
from tests.test_cost_growth import LABEL, Warehouse
from tests.test_explorer_paging import find
from tests.test_standen import texts

YEARS = range(2019, 2027)


def state_of(search: str) -> GrowthState:
    return from_query(parse_query(search), YEARS, 2025)


# --- the URL ----------------------------------------------------------------------------------

def test_a_view_is_its_url_and_back():
    state = state_of("?jaar=2026&vergelijk=2023&by=aanbieder&f=hulpvorm:Ambulant&f=verwijzer:huisarts")
    assert (state.jaar, state.vergelijk, state.by) == (2026, 2023, "aanbieder")
    assert state.filters == (("hulpvorm", "ambulant"), ("verwijzer", "huisarts")) and state.messages == ()
    assert state.to_search() == ("?jaar=2026&vergelijk=2023&by=aanbieder&f=hulpvorm%3Aambulant"
                                 "&f=verwijzer%3Ahuisarts")
    assert state_of(state.to_search()) == state
    assert state.request() == GrowthRequest(2026, 2023, by="aanbieder",
                                            where={"hulpvorm": "ambulant", "verwijzer": "huisarts"})
    short = state_of("?jaar=2026")   # the year before, by hulpvorm
    assert (short.vergelijk, short.by, short.filters) == (2025, "hulpvorm", ())
    assert state_of("").jaar == 2025 and state_of("?stand=7").stand == "7"


def test_drilling_and_stepping_back():
    state = state_of("?jaar=2025")
    into = state.drill("crisis")
    assert (into.filters, into.by) == ((("hulpvorm", "crisis"),), "aanbieder")
    deeper = into.drill("A1")
    assert (deeper.filters, deeper.by) == ((("hulpvorm", "crisis"), ("aanbieder", "A1")), "verwijzer")
    assert deeper.back_to(1) == into and deeper.back_to(0) == state
    assert state.drill(None).filters == (("hulpvorm", None),) and "f=hulpvorm%3A&" in state.drill(None).href() + "&"
    everything = state_of("?jaar=2025&f=hulpvorm:crisis&f=aanbieder:A1&f=verwijzer:huisarts&by=wijk")
    assert not everything.can_drill() and next_by(everything.filters + (("wijk", "W1"),)) == "gemeente"
    assert growth_href(2025, "GM0406", 3) == "/kostengroei?jaar=2025&vergelijk=2024&by=hulpvorm&f=gemeente%3AGM0406&stand=3"


@pytest.mark.parametrize("search, message", [
    ("?jaar=abc", "Jaar 'abc' is niet beschikbaar; 2025 wordt getoond."),
    ("?jaar=2019", "De gegevens beginnen in 2019: er is geen eerder jaar om mee te vergelijken; 2020 tegenover "
                   "2019 wordt getoond."),
    ("?jaar=2018", "Jaar '2018' is niet beschikbaar; 2025 wordt getoond."),
    ("?jaar=٢٠٢٥", "Jaar '٢٠٢٥' is niet beschikbaar; 2025 wordt getoond."),
    ("?jaar=2025&vergelijk=2025", "Vergelijkingsjaar '2025' kan niet: kies een jaar van 2019 tot en met 2024; "
                                  "2024 wordt getoond."),
    ("?jaar=2020&vergelijk=2018", "Vergelijkingsjaar '2018' kan niet: alleen 2019 kan; 2019 wordt getoond."),
    ("?jaar=2025&vergelijk=" + "9" * 500, "Vergelijkingsjaar '" + "9" * 40 + "…' kan niet"),  # shortened
    ("?jaar=2025&by=school", "Verdeling naar 'school' kan hier niet; naar hulpvorm wordt getoond."),
    ("?jaar=2025&by=hulpvorm&f=hulpvorm:crisis", "Verdeling naar 'hulpvorm' kan hier niet; naar aanbieder wordt getoond."),
    ("?jaar=2025&f=hulpvorm:bakker", "Onbekende waarde 'bakker' voor hulpvorm; filter weggelaten."),
    ("?jaar=2025&f=aanbieder:<script>", "Onbekende code '<script>' voor aanbieder; filter weggelaten."),
    ("?jaar=2025&f=school:S1", "Filter 'school:S1' past niet bij de kostengroei en is weggelaten."),
    ("?jaar=2025&f=hulpvorm", "Filter 'hulpvorm' past niet bij de kostengroei en is weggelaten."),
    ("?jaar=2025&f=hulpvorm:crisis&f=hulpvorm:verblijf",
     "Filter 'hulpvorm:verblijf' past niet bij de kostengroei en is weggelaten."),
], ids=lambda value: value[:40])
def test_a_bad_value_is_replaced_with_a_dutch_message(search, message):
    state = state_of(search)
    assert any(m.startswith(message) for m in state.messages), state.messages
    assert state.jaar in range(2020, 2027) and state.vergelijk < state.jaar and state.by in CHOICES


def test_values_that_are_no_text_change_nothing():
    state = from_query({"jaar": ["2024", "2023"], "vergelijk": 5, "by": {"x": 1}, "f": 7, "stand": []},
                       YEARS, 2025)
    assert (state.jaar, state.vergelijk, state.by, state.filters, state.stand) == (2023, 2022, "hulpvorm", (), None)
    assert len(state.messages) == 2  # vergelijk and f; a `by` that is no text counts as absent, and a
    # repeated jaar with its last value


# --- the page on a warehouse known by hand -------------------------------------------------------

def fill_known(engine) -> None:
    """Twice the jeugdigen in ambulant (20 → 40 at aanbieder A1, € 1.000 each) and verblijf (10 → 20
    at A2, € 5.000 each). Crisis (4 jeugdigen, at A3) and dagbehandeling (7, at A1) are small in both
    years and their kosten per jeugdige rise from € 2.000 to € 2.600: they can only show inside
    "Overig". Kosten € 92.000 → € 168.600, jeugdigen 41 → 71. The data run to the end of 2025."""
    import datetime as dt

    from sqlalchemy import insert

    from data import schema as s

    w = Warehouse().add(2024, "ambulant", 20, 100_000).add(2024, "verblijf", 10, 500_000, aanbieder="A2")
    w.add(2025, "ambulant", 40, 100_000).add(2025, "verblijf", 20, 500_000, aanbieder="A2")
    for jaar, cent in ((2024, 200_000), (2025, 260_000)):
        w.add(jaar, "crisis", 4, cent, aanbieder="A3").add(jaar, "dagbehandeling", 7, cent, aanbieder="A1")
    w.fill(engine)
    with engine.begin() as conn:
        conn.execute(insert(s.LoadLog).values(geladen_op=dt.datetime(2026, 1, 5), bron="test", bestanden=[],
                                              data_tot=dt.date(2025, 12, 31)))


@pytest.fixture
def known(warehouse):
    """The warehouse of `fill_known`, the dashboard's runtime on it."""
    fill_known(warehouse)
    runtime.configure(warehouse)
    yield warehouse
    runtime.reset()


def table_rows(layout) -> list[list[str]]:
    """The table's rows (head, body, foot) as the texts of their cells."""
    table = next(t for t in find(layout, html.Table) if getattr(t, "id", None) == "kostengroei-tabel")
    return [["".join(texts(cell)) for cell in row.children] for row in find(table, html.Tr)]


def by_id(layout, component_id):
    return next((c for c in find(layout, object) if getattr(c, "id", None) == component_id), None)


def test_the_page_shows_the_sentence_the_waterfall_and_the_table(known):
    from dashboard.pages import kostengroei

    layout = kostengroei.layout(jaar="2025")
    (h1,) = find(layout, html.H1)
    result = decompose(known, GrowthRequest(2025))
    rises = result.verandering_cent > 0
    assert h1.children == ("Waarom stijgen de kosten?" if rises else "Waarom dalen de kosten?")
    lead = " ".join(texts(by_id(layout, "kostengroei-kop"))).replace("\xa0", " ")
    effects = {e.effect: e.bedrag_cent for e in result.effecten}
    assert lead.startswith(f"De kosten stegen met € {result.verandering_cent // 100:,}".replace(",", "."))
    assert "van 2024 naar 2025: volume € +" in lead and "intensiteit € +" in lead

    (graph,) = [g for g in find(layout, dcc.Graph) if g.id == ids.KG_GRAPH]
    (bars,) = graph.figure.data
    assert bars.type == "waterfall" and list(bars.measure) == ["absolute", "relative", "relative", "relative", "total"]
    assert list(bars.x) == ["Kosten 2024", "Volume", "Mix", "Intensiteit", "Kosten 2025"]
    assert list(bars.y) == [result.totaal_eerder.kosten_cent / 100, effects["volume"] / 100, effects["mix"] / 100,
                            effects["intensiteit"] / 100, result.totaal_later.kosten_cent / 100]
    (figure,) = [f for f in find(layout, html.Figure) if f.children[0] is graph]
    alternative = " ".join(texts(figure.children[1])).replace("\xa0", " ")
    assert "Volume (aantal jeugdigen): € +" in alternative and "71 jeugdigen met kosten in 2025 tegen 41 in 2024" in alternative

    head, *body, total = table_rows(layout)
    assert head[:7] == ["Hulpvorm", "Kosten 2024", "Kosten 2025", "Verandering", "Volume", "Mix", "Intensiteit"]
    assert head[7:9] == ["Jeugdigen 2024", "Jeugdigen 2025"]
    names = [row[0] for row in body]
    assert names == [LABEL["verblijf"], LABEL["ambulant"], "Overig (Crisishulp, Dagbehandeling)"]
    for row, group in zip(body, result.groepen, strict=True):
        cents = (group.eerder.kosten_cent, group.later.kosten_cent, group.verandering_cent, *group.effecten_cent)
        assert row[1:7] == [money(c, signed=i >= 2) for i, c in enumerate(cents)], row
    assert body[0][1:3] == ["€ 50.000", "€ 100.000"] and body[0][7:9] == ["10", "20"]
    assert total[0] == "Totaal" and total[1:3] == ["€ 92.000", "€ 168.600"]   # 70.000 / 140.000 + 11 × 2.000 / 2.600
    assert total[7:9] == ["41", "71"]   # a total is exact (no filter); 11 in "Overig" is shown as 10
    # every column of the table adds up to its total: the effects to the cent in the engine, so
    # the shown whole euros at most a euro or two apart
    for col in range(1, 7):
        assert abs(sum(euros(row[col]) for row in body) - euros(total[col])) <= len(body)


def fill_known_to_may(engine) -> None:
    """The warehouse of `fill_known`, its data running to 31 May 2025: 2025 is compared with 2024
    over January to May (all its kosten are in March, so the amounts are the whole years')."""
    import datetime as dt

    from sqlalchemy import update

    from data import schema as s

    fill_known(engine)
    with engine.begin() as conn:
        conn.execute(update(s.LoadLog).values(data_tot=dt.date(2025, 5, 31)))


@pytest.fixture
def known_to_may(warehouse):
    """The warehouse of `fill_known_to_may`, the dashboard's runtime on it."""
    fill_known_to_may(warehouse)
    runtime.configure(warehouse)
    yield warehouse
    runtime.reset()


def test_part_of_a_year_is_labelled_with_its_months_not_as_the_year(known_to_may):
    """January–May is never "Kosten 2025": every bar, column and caption names the months, as the
    screens say "2026 (t/m september)" (the sentence on top already did)."""
    from dashboard.pages import kostengroei

    layout = kostengroei.layout(jaar="2025")
    lead = " ".join(texts(by_id(layout, "kostengroei-kop"))).replace("\xa0", " ")
    assert "van 2024 naar 2025, telkens januari t/m mei:" in lead
    (graph,) = [g for g in find(layout, dcc.Graph) if g.id == ids.KG_GRAPH]
    (bars,) = graph.figure.data
    assert list(bars.x) == ["Kosten 2024<br>(t/m mei)", "Volume", "Mix", "Intensiteit", "Kosten 2025<br>(t/m mei)"]
    assert graph.figure.layout.title.text == "Van de kosten van 2024 naar die van 2025 (januari t/m mei)"
    (figure,) = [f for f in find(layout, html.Figure) if f.children[0] is graph]
    alternative = " ".join(texts(figure.children[1])).replace("\xa0", " ")
    assert alternative.startswith("Van de kosten van 2024 naar die van 2025 (januari t/m mei). Kosten 2024 (t/m mei): € 92.000;")
    assert "71 jeugdigen met kosten in 2025 (t/m mei) tegen 41 in 2024 (t/m mei)" in alternative
    assert alternative.endswith("Kosten 2025 (t/m mei): € 168.600.")
    head, *_rows = table_rows(layout)
    assert head[1:3] == ["Kosten 2024 (t/m mei)", "Kosten 2025 (t/m mei)"]
    assert head[7:9] == ["Jeugdigen 2024 (t/m mei)", "Jeugdigen 2025 (t/m mei)"]
    table = next(t for t in find(layout, html.Table) if getattr(t, "id", None) == "kostengroei-tabel")
    assert table.children[0].children == "Kosten en effecten per hulpvorm, 2025 tegenover 2024, telkens januari t/m mei"


def money(cents: int, signed: bool = False) -> str:
    from dashboard.programme.growth import euro, signed_euro

    return signed_euro(cents) if signed else euro(cents)


def euros(text: str) -> int:
    return int(text.removeprefix("€ ").replace(".", "").replace("+", ""))


def test_a_small_group_is_only_ever_inside_overig(known):
    """Crisis (4 jeugdigen) and dagbehandeling (7) are below the threshold: no row, no bar, no link
    of their own, in no grouping; their euros are inside "Overig", which cannot be drilled into."""
    from dashboard.pages import kostengroei

    layout = kostengroei.layout(jaar="2025")
    *_, overig, _total = table_rows(layout)
    assert overig[0] == "Overig (Crisishulp, Dagbehandeling)" and overig[-1] == ""   # no "Inzoomen"
    assert overig[1:3] == ["€ 22.000", "€ 28.600"]
    links = [link.href for link in find(layout, dcc.Link) if "Inzoomen" in texts(link)]
    assert links == ["/kostengroei?jaar=2025&vergelijk=2024&by=aanbieder&f=hulpvorm%3Averblijf",
                     "/kostengroei?jaar=2025&vergelijk=2024&by=aanbieder&f=hulpvorm%3Aambulant"]
    # by aanbieder: A3 (4 jeugdigen) is hidden, and with it the smallest shown one, A2 (rule 2)
    by_aanbieder = table_rows(kostengroei.layout(jaar="2025", by="aanbieder"))
    assert [row[0] for row in by_aanbieder[1:-1]] == ["Zorg 1", "Overig (Zorg 2, Zorg 3)"]
    shown = " ".join(texts(layout))
    for small in ("Crisishulp", "Dagbehandeling"):
        assert shown.count(small) == shown.count("Crisishulp, Dagbehandeling")  # only in the list of "Overig"


def test_drilling_in_shows_the_decomposition_within_the_group_with_its_breadcrumb(known):
    from dashboard.pages import kostengroei

    layout = kostengroei.layout(jaar="2025", vergelijk="2024", by="aanbieder", f="hulpvorm:verblijf")
    crumbs = next(n for n in find(layout, html.Nav) if n.to_plotly_json()["props"].get("aria-label") == "Inzoompad")
    assert texts(crumbs) == ["Alle jeugdhulp", "Hulpvorm: Jeugdhulp met verblijf"]
    (back,) = find(crumbs, dcc.Link)
    assert back.href == "/kostengroei?jaar=2025&vergelijk=2024&by=hulpvorm"
    lead = " ".join(texts(by_id(layout, "kostengroei-kop"))).replace("\xa0", " ")
    assert lead.startswith("De kosten binnen hulpvorm Jeugdhulp met verblijf stegen met € 50.000 (+100,0%)")
    assert "volume € +50.000, mix € 0, intensiteit € 0." in lead   # twice the jeugdigen, nothing else
    head, zorg2, total = table_rows(layout)
    assert head[0] == "Aanbieder" and zorg2[0] == "Zorg 2" and zorg2[3:7] == ["€ +50.000", "€ +50.000", "€ 0", "€ 0"]


def test_a_hidden_total_shows_no_figures(known):
    from dashboard.pages import kostengroei

    layout = kostengroei.layout(jaar="2025", f="aanbieder:A3")   # 4 jeugdigen
    shown = " ".join(texts(layout)).replace("\xa0", " ")
    assert by_id(layout, "kostengroei-afgeschermd") is not None and "kostengroei-tabel" not in str(layout)
    assert not [g for g in find(layout, dcc.Graph)] and "€ 22.000" not in shown
    assert find(layout, html.H1)[0].children == "Waarom veranderen de kosten?"


def test_bad_values_show_their_message_and_the_default_view(known):
    from dashboard.pages import kostengroei

    layout = kostengroei.layout(jaar="twintig", by="school", f=["x", "hulpvorm:verblijf"])
    shown = texts(layout)
    for message in ("Jaar 'twintig' is niet beschikbaar; 2025 wordt getoond.",
                    "Verdeling naar 'school' kan hier niet; naar aanbieder wordt getoond.",
                    "Filter 'x' past niet bij de kostengroei en is weggelaten."):
        assert message in shown   # (a bad `stand` is refused, never live: tests/test_stand_links.py)
    assert table_rows(layout)[1][0] == "Zorg 2"   # within verblijf, by aanbieder, live
    assert "Jaar '2026' is niet beschikbaar; 2025 wordt getoond." in texts(kostengroei.layout(jaar="2026"))


def test_the_controls_write_the_next_url_once(known):
    from dashboard.pages import kostengroei

    now = "?jaar=2025&vergelijk=2024&by=hulpvorm&f=verwijzer%3Ahuisarts"
    assert kostengroei.href_after_controls(now, "2024", "2024", "hulpvorm") == \
        "/kostengroei?jaar=2024&vergelijk=2023&by=hulpvorm&f=verwijzer%3Ahuisarts"   # another year: the one before
    assert kostengroei.href_after_controls(now, "2025", "2021", "hulpvorm").startswith(
        "/kostengroei?jaar=2025&vergelijk=2021&")
    assert kostengroei.href_after_controls(now, "2025", "2024", "wijk") == \
        "/kostengroei?jaar=2025&vergelijk=2024&by=wijk&f=verwijzer%3Ahuisarts"
    for same in (now, "?jaar=2025&f=verwijzer:huisarts"):  # the same view, perhaps spelled shorter
        with pytest.raises(PreventUpdate):
            kostengroei.href_after_controls(same, "2025", "2024", "hulpvorm")
    for bad in (("2026", "2024", "hulpvorm"), ("2025", ["2024"], "hulpvorm"), ("2025", "2024", "school")):
        with pytest.raises(BadInput):
            kostengroei.href_after_controls(now, *bad)


def test_the_overviews_kosten_band_links_here(known):
    from dashboard.pages import overzicht

    layout = overzicht.layout(jaar="2025")
    link = by_id(layout, "kostengroei-link")
    assert link.href == "/kostengroei?jaar=2025&vergelijk=2024&by=hulpvorm"
    assert texts(link) == [" Waarom stijgen de kosten?"]      # € 92.000 → € 168.600
    band = next(s for s in find(layout, html.Section) if s.to_plotly_json()["props"].get("aria-labelledby") == "as-kosten")
    assert by_id(band, "kostengroei-link") is link
    assert by_id(overzicht.layout(jaar="2025", gemeente="GM1"), "kostengroei-link").href.endswith("&f=gemeente%3AGM1")
