"""Kostengroei beyond its page: the presentation's slide (the model, the browser's and the
PowerPoint's waterfall, read back with python-pptx), the report's section (its text in the PDF is
what the page shows), and a vastgestelde stand (it keeps the decomposition it showed, answers
nothing else, and a stand made before it says so instead of showing live figures). On the
hand-made warehouse of tests/test_growth_page.py, on SQLite and PostgreSQL."""
from __future__ import annotations

import io
import json

import pytest
from dash import dcc, html
from pptx import Presentation
from sqlalchemy import select, update

from dashboard.exports.growth_report import growth_html, growth_section, waterfall_svg
from dashboard.exports.growth_slide import growth_slide
from dashboard.exports.slide_model import Deck
from dashboard.exports.slides_pptx import render
from dashboard.exports.waterfall import series_values
from dashboard.programme import growth as g
from dashboard.programme.frozen import FrozenService, NotInSnapshot, RecordingService
from dashboard.programme.frozen_growth import growth_from_json, growth_to_json
from dashboard.programme.progress import read_programme
from dashboard.server import runtime, stand_view
from data import schema as s
from data.programme.plan import load_programme
from data.programme.stand_store import checksum
from kpi.cost_growth import GrowthRequest, decompose
from kpi.service import KpiService
from tests.conftest import shared_demo
from tests.test_explorer_paging import find
from tests.test_growth_page import by_id, fill_known, known_to_may, table_rows
from tests.test_standen import PM, texts

__all__ = ["known_to_may"]  # a fixture

JAAR = 2025


@pytest.fixture
def known(warehouse):
    """tests/test_growth_page.py's warehouse known by hand, the dashboard's runtime on it."""
    fill_known(warehouse)
    runtime.configure(warehouse)
    yield warehouse
    runtime.reset()


# --- the slide --------------------------------------------------------------------------------

def test_the_slide_holds_the_waterfall_and_the_effects_per_hulpvorm_in_thousands(known):
    result = decompose(known, GrowthRequest(JAAR))
    slide = growth_slide(KpiService(known), JAAR)
    assert (slide.kind, slide.title) == ("kostengroei", "Waarom stijgen de kosten? 2025 tegenover 2024")
    assert slide.paragraphs[0].text.replace("\xa0", " ") == g.headline(result)
    chart = slide.chart
    assert (chart.kind, chart.categories) == ("waterval", ("2024", "Volume", "Mix", "Intensiteit", "2025"))
    effects = [e.bedrag_cent for e in result.effecten]
    assert chart.series[0].values == (92_000.0, *(c / 100 for c in effects), 168_600.0)
    assert chart.series[0].texts == ("92", *(g.thousands(c, signed=True) for c in effects), "169")
    assert chart.title == "Kosten ×\xa0€\xa01.000"   # the axis starts at zero: the effects are large here
    table = slide.table
    assert [c.label for c in table.columns] == ["Hulpvorm (bedragen ×\xa0€\xa01.000)", "Verandering", "Volume", "Mix",
                                               "Intensiteit"]
    assert [row[0].text for row in table.rows] == ["Jeugdhulp met verblijf", "Specialistische ambulante hulp",
                                                   "Overig (Crisishulp, Dagbehandeling)", "Totaal"]
    verblijf, group = table.rows[0], result.groepen[0]
    assert [c.text for c in verblijf[1:]] == [g.thousands(c, signed=True)
                                             for c in (group.verandering_cent, *group.effecten_cent)]
    assert (verblijf[1].text, verblijf[1].value) == ("+50", 50_000.0)   # € 50.000 → € 100.000; behind it: euros
    assert [c.value for c in table.rows[-1][1:]] == [result.verandering_cent / 100, *(c / 100 for c in effects)]
    assert "Hulpvormen met minder dan 10 jeugdigen staan samen onder ‘Overig’." in slide.footnote
    assert any("Overig: Crisishulp, Dagbehandeling" in note for note in slide.notes)


def test_the_powerpoint_chart_is_a_waterfall_whose_numbers_read_back(known):
    slide = growth_slide(KpiService(known), JAAR)
    prs = Presentation(io.BytesIO(render(Deck(JAAR, None, (slide,), "Programmaplan"))))
    page = prs.slides[0]
    (frame,) = [shape for shape in page.shapes if shape.has_chart]
    plot = frame.chart.plots[0]
    series = {s.name: s.values for s in plot.series}
    assert list(series) == ["Basis (niet getekend)", "Kosten", "Stijging", "Daling",
                            "Ruimte voor het bedrag (niet getekend)"]
    assert {name: tuple(values) for name, values in series.items()} == series_values(slide.chart)
    # read back as a reader would: the totals, and each effect as its rise or fall
    start, end = series["Kosten"][0], series["Kosten"][-1]
    changes = [(series["Stijging"][i] or 0) - (series["Daling"][i] or 0) for i in (1, 2, 3)]
    assert (start, end) == (92_000.0, 168_600.0)
    assert changes == pytest.approx([v for v in slide.chart.series[0].values[1:4]])
    assert start + sum(changes) == pytest.approx(end)
    labels = [point.data_label.text_frame.text for point in plot.series[-1].points]
    assert labels == list(slide.chart.series[0].texts)
    assert frame._element.nvGraphicFramePr.cNvPr.get("descr") == slide.chart.summary  # alt text
    (table,) = [shape.table for shape in page.shapes if shape.has_table]
    cells = [[table.cell(r, c).text for c in range(5)] for r in range(len(table.rows))]
    assert cells[1:] == [[cell.text for cell in row] for row in slide.table.rows]


def test_the_browsers_slide_draws_the_same_bars():
    from dashboard.exports import slide_layout as L
    from dashboard.exports.slide_figures import figure
    from dashboard.exports.slide_model import Chart, Series
    from dashboard.exports.waterfall import axis_of

    def drawn(values):
        chart = Chart("waterval", "Kosten", ("2024", "Volume", "Mix", "Intensiteit", "2025"),
                      (Series("Bedrag", values, tuple(str(v) for v in values)),), "€")
        (bars,) = figure(chart, L.Box(0, 0, 5, 3), 14, True).data
        return chart, bars

    chart, bars = drawn((100.0, 300.0, -100.0, 50.0, 350.0))   # large effects: the axis starts at zero
    assert not axis_of(chart).truncated
    assert list(bars.base) == [0.0, 100.0, 300.0, 300.0, 0.0] and list(bars.y) == [100.0, 300.0, 100.0, 50.0, 350.0]
    assert list(bars.marker.color) == ["#0b4f8a", "#D55E00", "#009E73", "#D55E00", "#0b4f8a"]
    chart, bars = drawn((1000.0, 30.0, -10.0, 5.0, 1025.0))    # small ones: the totals start at the axis
    low = axis_of(chart).low
    assert 0 < low < 1000 and list(bars.base) == [low, 1000.0, 1020.0, 1020.0, low]
    assert [b + h for b, h in zip(bars.base, bars.y, strict=True)] == [1000.0, 1030.0, 1030.0, 1025.0, 1025.0]


def test_a_year_without_a_year_before_and_a_hidden_total_are_said_in_words(known):
    first = growth_slide(KpiService(known), 2019)
    assert first.chart is None and first.paragraphs[0].text == ("De gegevens beginnen in 2019; de kostengroei "
                                                                "is er vanaf 2020.")
    hidden = growth_slide(KpiService(known), JAAR, gemeente="GM2")   # Laren: no jeugdigen at all
    assert hidden.chart is None and hidden.table is None and hidden.paragraphs[0].role == "warning"
    assert "kan niet worden getoond (kleine aantallen)" in hidden.paragraphs[0].text


# --- the report ---------------------------------------------------------------------------------

def pdf_text(html_body: str) -> str:
    from pypdf import PdfReader

    from dashboard.exports.report_pdf import html_to_pdf

    pdf = html_to_pdf(f'<!DOCTYPE html><html lang="nl"><head><title>t</title></head><body>{html_body}</body></html>')
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).replace("\xa0", " ")


def test_the_pdf_holds_the_effects_as_the_page_shows_them(known):
    from dashboard.pages import kostengroei

    section = growth_section(KpiService(known), JAAR)
    assert "€ " not in section.kop and section.kop.count("€\xa0") == 4   # an amount keeps its sign on its line
    text = " ".join(pdf_text(growth_html(section, "1.5")).split())
    assert "1.5 Waarom stijgen de kosten?" in text and g.headline(decompose(known, GrowthRequest(JAAR))) in text
    shown = table_rows(kostengroei.layout(jaar=str(JAAR)))
    for row in shown[1:]:
        name = row[0].split(" (")[0]
        assert name in text
        for cell in row[1:7]:   # kosten, verandering, volume, mix and intensiteit: as on the page
            assert cell in text, (name, cell)
    assert "Crisishulp, Dagbehandeling" in text and "Hoe berekend?" in text
    svg = waterfall_svg(section).decode()
    assert svg.count("<rect") == 5 and "€ +" in svg and "Kosten 2025" in svg


def test_part_of_a_year_is_labelled_with_its_months_in_the_slide_and_the_pdf(known_to_may):
    """January–May (the data run to 31 May 2025) is "2025 (t/m mei)" on the slide's bars and title,
    and in the PDF's bars, columns, caption and text alternative — never "2025" or "Kosten 2025"
    alone, as on the page (tests/test_growth_page.py)."""
    service = KpiService(known_to_may)
    slide = growth_slide(service, JAAR)
    assert slide.title == "Waarom stijgen de kosten? 2025 tegenover 2024, telkens januari t/m mei"
    assert slide.chart.categories == ("2024 (t/m mei)", "Volume", "Mix", "Intensiteit", "2025 (t/m mei)")
    assert any("71 jeugdigen met kosten in 2025 (t/m mei) tegen 41 in 2024 (t/m mei)" in n for n in slide.notes)

    section = growth_section(service, JAAR)
    assert section.perioden == ("2024 (t/m mei)", "2025 (t/m mei)") and section.maanden == "t/m mei"
    assert section.alt.startswith("Van de kosten van 2024 naar die van 2025 (januari t/m mei). Kosten 2024 (t/m mei): ")
    html_text = growth_html(section, "1.5")
    assert '<th scope="col" class="num">Kosten 2024<span class="context">t/m mei</span></th>' in html_text
    assert "Kosten en effecten per hulpvorm, 2025 tegenover 2024, telkens januari t/m mei</caption>" in html_text
    assert "Waterval: de kosten van 2024 (t/m mei), de drie effecten en de kosten van 2025 (t/m mei);" in html_text
    svg = waterfall_svg(section).decode()
    # each total's name on two lines, the months under the year, and the picture a line taller for them
    assert ">Kosten 2024</text>" in svg and svg.count(">(t/m mei)</text>") == 2 and 'height="316"' in svg
    text = " ".join(pdf_text(html_text).split())
    assert "Kosten 2024 t/m mei Kosten 2025 t/m mei Verandering" in text


def test_a_slide_that_stops_before_the_data_do_says_why(request, backend):
    """The demonstration data run to 30 September 2026, but its declarations are nearly complete
    only to 31 May: the slide compares January–May. Its foot says why, as the page and the PDF
    do, so a raad that reads "t/m mei" under "gegevens t/m 30 september" is not left guessing."""
    service = KpiService(shared_demo(request))
    running = growth_slide(service, 2026)
    assert running.title.endswith("telkens januari t/m mei")
    assert ("Latere maanden tellen nog niet mee: hun declaraties komen nog binnen (declaraties vrijwel "
            "compleet t/m 31 mei 2026)") in running.footnote
    assert "Latere maanden" not in growth_slide(service, 2025).footnote   # a whole year: nothing left out


def test_the_slide_names_overig_only_when_its_table_holds_it(request, backend):
    """The demonstration's 2025 table has six hulpvormen and no 'Overig' row; its foot said the
    small ones stand together under 'Overig' all the same. 2026 (January–May) does hold one."""
    service = KpiService(shared_demo(request))
    for jaar, overig in ((2025, False), (2026, True)):
        slide = growth_slide(service, jaar)
        rows = [row[0].text for row in slide.table.rows]
        assert any(text.startswith("Overig") or text.endswith("en overig") for text in rows) == overig, rows
        assert ("staan samen onder ‘Overig’" in slide.footnote) == overig, slide.footnote
        assert "Volume, mix en intensiteit tellen op tot de verandering" in slide.footnote


# --- a stand ------------------------------------------------------------------------------------

def test_the_decomposition_round_trips_through_json_exactly(known):
    for request in (GrowthRequest(JAAR), GrowthRequest(JAAR, by="aanbieder"), GrowthRequest(JAAR, where={"aanbieder": "A3"})):
        result = decompose(known, request)
        assert growth_from_json(json.loads(json.dumps(growth_to_json(result)))) == result


def test_a_recording_answers_what_it_recorded_and_nothing_else(known):
    from dashboard.ui.growth_view import record_growth_views

    recorder = RecordingService(runtime.service())
    record_growth_views(recorder, JAAR)
    data = json.loads(json.dumps(recorder.to_json(read_programme(known))))
    from dashboard.ui.growth_view import dimensions_of

    views = [decompose(known, GrowthRequest(JAAR, by=by)) for by in dimensions_of(runtime.service())]
    assert len(data["kostengroei"]) == sum(1 + sum(line.drillable for line in g.lines(v)) for v in views)
    frozen = FrozenService.from_json(data, "1 januari 2026")
    for request in (GrowthRequest(JAAR), GrowthRequest(JAAR, by="wijk"), GrowthRequest(JAAR, where={"hulpvorm": "verblijf"})):
        assert frozen.cost_growth(request) == decompose(known, request)
    for other in (GrowthRequest(2024), GrowthRequest(JAAR, where={"aanbieder": "A2", "hulpvorm": "verblijf"}),
                  GrowthRequest(JAAR, suppress=False)):
        with pytest.raises(NotInSnapshot):
            frozen.cost_growth(other)
    with pytest.raises(Exception, match="afgeschermde"):
        recorder.cost_growth(GrowthRequest(JAAR, suppress=False))


@pytest.fixture
def stand(known):
    """A stand of 2025 frozen on the warehouse known by hand (with its programme)."""
    from dashboard.programme.stand_freeze import list_snapshots

    load_programme(known)
    outcome = stand_view.freeze_stand(PM, "12-11-2025", "Commissie", JAAR)
    assert outcome.ok, outcome.message
    return list_snapshots(known)[0].id


def add_kosten(engine) -> None:
    """New data: 9 more jeugdigen in verblijf in 2025, in another wijk (the live figures move)."""
    from sqlalchemy import insert

    from data.warehouse import summaries
    from tests.test_cost_growth import Warehouse

    new = Warehouse().add(JAAR, "verblijf", 9, 900_000, aanbieder="A2", wijk="W2")
    for traject in new.trajecten:
        traject["traject_id"] = "N" + traject["traject_id"]
    for kosten in new.kosten:
        kosten.update(traject_id="N" + kosten["traject_id"], regel=kosten["regel"] + 10_000)
    with engine.begin() as conn:
        conn.execute(insert(s.Traject), new.trajecten)
        conn.execute(insert(s.Kosten), new.kosten)
        summaries.rebuild(conn)
    runtime.service().invalidate()


def _frozen(stand_id):
    from dashboard.server.stand_source import service_and_programme

    return service_and_programme(str(stand_id))


def test_a_stand_shows_the_decomposition_it_showed_and_says_what_it_does_not_hold(known, stand):
    from dashboard.pages import kostengroei, overzicht
    from dashboard.ui.growth_state import growth_href

    live = table_rows(kostengroei.layout(jaar=str(JAAR)))
    drilled = table_rows(kostengroei.layout(jaar=str(JAAR), by="aanbieder", f="hulpvorm:verblijf"))
    slide, section = growth_slide(KpiService(known), JAAR), growth_section(KpiService(known), JAAR)
    add_kosten(known)
    assert table_rows(kostengroei.layout(jaar=str(JAAR))) != live

    in_stand = kostengroei.layout(stand=str(stand))
    assert table_rows(in_stand) == live
    assert "Vastgestelde stand per 12 november 2025 — Commissie" in " ".join(texts(by_id(in_stand, "stand-banner")))
    links = [link.href for link in find(in_stand, dcc.Link) if "Inzoomen" in texts(link)]
    assert len(links) == 2 and all(link.endswith(f"&stand={stand}") for link in links)
    # one step in, the same figures; no links deeper than the stand recorded
    deeper = table_rows(kostengroei.layout(jaar=str(JAAR), by="aanbieder", f="hulpvorm:verblijf", stand=str(stand)))
    assert deeper == [row[:9] for row in drilled] and len(drilled[0]) == 10
    frozen, _programme, _label = _frozen(stand)
    assert growth_slide(frozen, JAAR) == slide and growth_section(frozen, JAAR) == section
    assert by_id(overzicht.layout(stand=str(stand)), "kostengroei-link").href == growth_href(JAAR, None, stand)

    other_year = kostengroei.layout(jaar="2024", stand=str(stand))   # a stand holds one year: its own, said
    assert f"Stand {stand} bevat alleen cijfers over {JAAR}; u ziet {JAAR}." in texts(other_year)
    assert table_rows(other_year) == live
    beyond = kostengroei.layout(jaar=str(JAAR), vergelijk=str(JAAR - 3), stand=str(stand))  # not recorded
    note = by_id(beyond, "niet-in-stand")
    assert "Deze weergave hoort niet bij de stand per 12 november 2025 — Commissie." in " ".join(texts(note))
    assert [a.href for a in find(note, html.A)] == [f"/kostengroei?jaar={JAAR}&vergelijk={JAAR - 3}&by=hulpvorm"]
    assert by_id(beyond, "kostengroei-tabel") is None and not find(beyond, dcc.Graph)


def test_a_stand_made_before_kostengroei_says_so_and_shows_no_live_figures(known, stand):
    from dashboard.pages import kostengroei

    with known.begin() as conn:
        inhoud = conn.scalar(select(s.Stand.inhoud).where(s.Stand.id == stand))
        inhoud.pop("kostengroei")  # with its checksum, as migration 0022 gave such a stand
        conn.execute(update(s.Stand).where(s.Stand.id == stand).values(inhoud=inhoud, controlegetal=checksum(inhoud)))
    page = kostengroei.layout(stand=str(stand))
    assert by_id(page, "niet-in-stand") is not None and by_id(page, "kostengroei-tabel") is None
    frozen, _programme, _label = _frozen(stand)
    slide = growth_slide(frozen, JAAR)
    assert slide.chart is None and "zit niet in de vastgelegde stand van 12 november 2025" in slide.paragraphs[0].text
    section = growth_section(frozen, JAAR)
    assert section.melding and "zit niet in de vastgelegde stand" in section.kop
    assert "€" not in pdf_text(growth_html(section, "1.5"))   # no figures at all


def test_a_no_break_space_is_no_place_to_break_a_line():
    from dashboard.exports.text_metrics import words, wrap

    assert words("volume €\xa0-484.187, mix €\xa0+185.054") == ["volume", "€\xa0-484.187,", "mix", "€\xa0+185.054"]
    assert all("€" not in line[-2:] for line in wrap("De kosten daalden met €\xa0644.715 " * 4, 2.0, 20))


def test_a_minus_stays_with_its_amount_in_the_powerpoint():
    """LibreOffice (and PowerPoint) break a line after a hyphen-minus, also before a digit:
    'volume € -' ended a line and '182.758' began the next. In the PowerPoint a minus before a
    number is a no-break hyphen (the same glyph); a hyphen inside a word or a date is left alone."""
    from dashboard.exports.slide_model import Paragraph, Slide

    text = "De kosten daalden met €\xa0448.217 (-7,6%): volume €\xa0-182.758, mix €\xa0+5; peildatum 06-01-2025, K4-rapportage."
    slide = Slide("Waarom dalen de kosten?", "kostengroei", paragraphs=(Paragraph(text, "plain"),))
    prs = Presentation(io.BytesIO(render(Deck(JAAR, None, (slide,), "Programmaplan"))))
    shown = [shape.text_frame.text for shape in prs.slides[0].shapes
             if shape.has_text_frame and "De kosten daalden" in shape.text_frame.text]
    assert shown == [text.replace("(-7", "(\u20117").replace("\xa0-182", "\xa0\u2011182")]
