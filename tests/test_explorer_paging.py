"""Long breakdowns (regional and national scale): the explorer pages them, and repeated group
names are told apart — pure functions, and the explorer page on a warehouse of three gemeenten."""
from __future__ import annotations

import pytest
from dash import dcc, html

from dashboard.server import runtime
from dashboard.server.params import query as parse_query
from dashboard.ui import ids
from dashboard.ui.group_labels import distinct_labels
from dashboard.ui.paging import PAGE_SIZE, breakdown_page, paginate, range_text
from dashboard.ui.state import from_query
from kpi.result import KpiRow
from tests.conftest import shared_demo
from tests.test_standen import texts


def row(key, label, value, suppressed=False):
    return KpiRow(None, key, label, None if suppressed else value, None if suppressed else value, suppressed)


# --- paging ------------------------------------------------------------------------------------

@pytest.mark.parametrize("total, asked, number, first, last, count", [
    (0, 1, 1, 0, 0, 1),
    (1, 1, 1, 1, 1, 1),
    (40, 1, 1, 1, 40, 1),
    (41, 1, 1, 1, 40, 2),
    (41, 2, 2, 41, 41, 2),
    (80, 2, 2, 41, 80, 2),
    (81, 9, 3, 81, 81, 3),      # past the end: the last page
    (81, 0, 1, 1, 40, 3),       # before the start: the first
])
def test_paginate_edges(total, asked, number, first, last, count):
    page = paginate(list(range(1, total + 1)), asked, size=40)
    assert (page.number, page.first, page.last, page.count) == (number, first, last, count)
    assert list(page.rows) == list(range(first, last + 1)) if total else page.rows == ()
    assert page.clamped == (asked != number)
    assert page.paged == (count > 1)


def test_pages_cover_every_group_once_largest_first_shielded_last():
    rows = [row(f"K{i:03d}", f"Groep {i}", i % 17, suppressed=(i % 5 == 0)) for i in range(95)]
    pages = [breakdown_page(rows, n) for n in (1, 2, 3)]
    shown = [r for p in pages for r in p.rows]
    assert sorted(r.key for r in shown) == sorted(r.key for r in rows)
    values = [r.value for r in shown if not r.suppressed]
    assert values == sorted(values, reverse=True)
    assert all(r.suppressed for r in shown[len(values):])
    assert range_text(pages[1]) == " (41–80 van 95, hoogste eerst)"
    assert range_text(breakdown_page(rows[:PAGE_SIZE], 1)) == ""


def test_big_numbers_in_the_range_read_the_dutch_way():
    rows = [row(f"K{i}", str(i), i) for i in range(5600)]
    assert range_text(breakdown_page(rows, 2)) == " (41–80 van 5.600, hoogste eerst)"


# --- repeated names ----------------------------------------------------------------------------

def test_a_repeated_name_gets_its_gemeente_and_a_unique_one_stays():
    rows = [row("WK1", "Centrum", 30), row("WK2", "Centrum", 20), row("WK3", "De Noord", 10)]
    asked = []
    shown = distinct_labels(rows, rows, lambda: asked.append(1) or {"WK1": "Huizen", "WK2": "Blaricum"})
    assert [r.label for r in shown] == ["Centrum (Huizen)", "Centrum (Blaricum)", "De Noord"]
    assert [r.value for r in shown] == [30, 20, 10]
    assert asked == [1]


def test_names_that_do_not_repeat_need_no_lookup():
    rows = [row("WK1", "Centrum", 1), row("WK2", "De Noord", 2)]
    assert distinct_labels(rows, rows, lambda: pytest.fail("no lookup needed")) == rows


def test_same_name_in_the_same_gemeente_or_without_a_place_gets_its_code():
    rows = [row("S1", "De Regenboog", 3), row("S2", "De Regenboog", 2), row("S3", "Het Anker", 1),
            row("S4", "Het Anker", 1)]
    places = {"S1": "Huizen", "S2": "Huizen", "S3": "Laren"}
    assert [r.label for r in distinct_labels(rows, rows, lambda: places)] == [
        "De Regenboog (Huizen) · S1", "De Regenboog (Huizen) · S2", "Het Anker (Laren)", "Het Anker · S4"]


def test_a_name_repeated_on_another_page_is_told_apart_on_this_one():
    all_rows = [row("WK1", "Centrum", 9), row("WK2", "Oost", 8), row("WK3", "Centrum", 1)]
    page = all_rows[:2]
    assert [r.label for r in distinct_labels(page, all_rows, lambda: {"WK1": "Huizen", "WK3": "Laren"})] == [
        "Centrum (Huizen)", "Oost"]


# --- the page in the URL -----------------------------------------------------------------------

def state_of(search: str):
    return from_query(parse_query(search), 2025, range(2019, 2027))


def test_page_roundtrips_and_page_one_is_not_written():
    state = state_of("?kpi=instroom&jaar=2025&by=wijk&pagina=3")
    assert state.pagina == 3 and state.messages == ()
    assert state.to_search().endswith("&pagina=3")
    assert "pagina" not in state.on_page(1).to_search()


@pytest.mark.parametrize("raw", ["0", "-1", "twee", "2.5", "٣"])
def test_a_bad_page_is_dropped_with_a_dutch_message(raw):
    state = state_of(f"?kpi=instroom&jaar=2025&by=wijk&pagina={raw}")
    assert state.pagina == 1
    assert state.messages == (f"Pagina '{raw}' bestaat niet; de eerste pagina wordt getoond.",)


def test_drilling_or_stepping_back_starts_at_page_one():
    state = state_of("?kpi=instroom&jaar=2025&by=wijk&pagina=2")
    assert state.drill("WK040601", "school").pagina == 1
    deeper = state_of("?kpi=instroom&jaar=2025&by=school&f=wijk:WK040601&pagina=2")
    assert deeper.back_to(0).pagina == 1


# --- the explorer page on three gemeenten --------------------------------------------------------

@pytest.fixture
def three_gemeenten(request, backend):
    engine = shared_demo(request, scale=3)  # Huizen and two copies: 42 wijken with repeated names
    runtime.configure(engine)
    yield engine
    runtime.reset()


def find(node, kind):
    """Every component of type `kind` in a layout tree."""
    found = []

    def walk(n):
        if isinstance(n, kind):
            found.append(n)
        if isinstance(n, (list, tuple)):
            for item in n:
                walk(item)
        elif hasattr(n, "children"):
            walk(n.children)
    walk(node)
    return found


def breakdown_of(layout):
    """(caption, group names, values as shown, bar labels) of the explorer's breakdown."""
    table = next(t for t in find(layout, html.Table) if getattr(t, "id", None) == "breakdown-table")
    body = next(part for part in table.children if isinstance(part, html.Tbody))
    labels = [tr.children[0].children for tr in body.children]
    values = [tr.children[1].children for tr in body.children]
    graph = next(g for g in find(layout, dcc.Graph) if getattr(g, "id", None) == ids.BAR)
    bars = [y for trace in graph.figure.data for y in trace.y]
    return table.children[0].children, labels, values, bars


def dutch_number(text: str) -> float:
    return float(text.replace(".", "").replace(",", "."))


def test_explorer_pages_a_long_breakdown_and_names_every_wijk_apart(three_gemeenten):
    from dashboard.pages import verkenner

    service = runtime.service()
    result = service.compute(state_of("?kpi=instroom&jaar=2025&by=wijk").breakdown_request())
    assert len(result.rows) == 42

    first = verkenner.layout(kpi="instroom", jaar="2025", by="wijk")
    caption, labels, values, bars = breakdown_of(first)
    assert len(labels) == PAGE_SIZE and sorted(bars) == sorted(labels)
    assert len(set(labels)) == len(labels)                     # no two groups share a name
    assert any(label.endswith("(Huizen)") for label in labels)
    assert "Wijken 1–40 van 42 · pagina 1 van 2" in texts(first)
    assert caption.endswith("(1–40 van 42, hoogste eerst)")
    links = [link.href for link in find(first, dcc.Link)]
    assert verkenner.PATH + "?kpi=instroom&jaar=2025&by=wijk&per=jaar&pagina=2" in links

    second = verkenner.layout(kpi="instroom", jaar="2025", by="wijk", pagina="2")
    _, labels2, values2, _ = breakdown_of(second)
    assert len(labels2) == 2 and not set(labels2) & set(labels)
    # together the pages hold every wijk's value exactly once
    shown = sorted(dutch_number(v) for v in values + values2 if not v.startswith("<"))
    assert shown == sorted(r.value for r in result.rows if not r.suppressed)

    past = verkenner.layout(kpi="instroom", jaar="2025", by="wijk", pagina="7")
    assert "Pagina 7 bestaat niet; de laatste pagina (2) wordt getoond." in texts(past)
    assert breakdown_of(past)[1] == labels2

    one = verkenner.layout(kpi="instroom", jaar="2025", by="wijk", gemeente="GM0406")
    labels_one = breakdown_of(one)[1]
    assert len(labels_one) == 14 and not find(one, dcc.Link)
    assert not any(label.endswith("(Huizen)") for label in labels_one)  # one gemeente: plain names


def test_places_name_the_gemeente_of_wijken_and_scholen(three_gemeenten):
    service = runtime.service()
    wijken = service.places("wijk")
    scholen = service.places("school")
    assert len(wijken) == 42 and wijken["WK040601"] == "Huizen"
    assert set(wijken.values()) == {naam for _, naam in service.gemeenten()}
    assert scholen and set(scholen.values()) <= set(wijken.values())
    assert service.places("verwijzer") == {}


def test_a_stand_keeps_the_places_it_showed(three_gemeenten):
    from dashboard.exports.explorer_slide import explorer_slide
    from dashboard.programme.frozen import FrozenService, RecordingService
    from dashboard.programme.progress import read_programme

    live = RecordingService(runtime.service())
    view = "?kpi=instroom&jaar=2025&by=wijk&per=jaar&pagina=2"
    recorded = explorer_slide(live, "Wijken", view)
    frozen = FrozenService.from_json(live.to_json(read_programme(three_gemeenten)), "1 december 2026")
    assert explorer_slide(frozen, "Wijken", view) == recorded
    assert recorded.chart.title.endswith("(41–42 van 42, hoogste eerst)")
