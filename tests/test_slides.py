"""The presentation: the slide model, its PowerPoint rendering, the download route and the CLI.

Data: the demonstration set (as tests/test_demo.py loads it) plus the Programmaplan, on SQLite and
PostgreSQL; for suppression the hand-made warehouse with MIN_CELL_SIZE=3, where some KPIs rest on
fewer than 3 jeugdigen and others do not.
"""
from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest
from lxml import etree
from openpyxl import load_workbook
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.oxml.ns import qn
from pptx.util import Emu

from dashboard.exports.answers import bad_year
from dashboard.exports.slide_model import Paragraph
from dashboard.exports.slides import build_deck, short_name
from dashboard.exports.slides_cli import main as cli_main
from dashboard.exports.slides_pptx import render
from dashboard.programme.progress import read_programme
from dashboard.programme.status import status, waits_for
from data.programme.plan import load_programme
from kpi import AXIS_NAMES, CATALOGUE, KpiRequest, compute, kpis_shown
from kpi import format as fmt
from kpi.service import KpiService
from tests import handmade_warehouse, warm_python
from tests.conftest import engine_url, shared_demo
from tests.test_export_answers import assert_refusal_page

ROOT = Path(__file__).resolve().parent.parent
JAAR = 2025
BY_NAME = {k.naam: k for k in CATALOGUE.values()}
DUTCH = {  # what a value looks like on a Dutch slide, per unit
    "%": r"\d{1,3},\d%", "€": r"€ \d{1,3}(\.\d{3})*", "dagen": r"\d{1,3}(\.\d{3})* dagen",
    "aantal": r"\d{1,3}(\.\d{3})*", "cijfer": r"\d{1,2},\d"}


@pytest.fixture
def demo(request, backend):
    return shared_demo(request)


@pytest.fixture(scope="module")
def _built_once() -> dict:
    """What the module builds from the demonstration data, per backend: the tests only read the
    deck and its file, and the shared warehouse is in its loaded state whenever `demo` hands it
    out, so building them again (a second or so each) would give the same."""
    return {}


def once(store: dict, key: tuple, make):
    if key not in store:
        store[key] = make()
    return store[key]


@pytest.fixture
def demo_service(demo, backend, _built_once) -> KpiService:
    """One KpiService for the demonstration warehouse of this backend, shared by the module's
    tests: each service fitted the forecast of the running year again (~1.5 s) and computed the
    KPIs a deck shows again. Its cache is keyed by the warehouse's load and last change, so it
    never answers from before a change; a warehouse handed out anew gets a service of its own."""
    return once(_built_once, ("service", backend, demo), lambda: KpiService(demo))


@pytest.fixture
def demo_deck(demo, demo_service, backend, _built_once):
    """deck_of(demo): the demonstration deck of JAAR on the test's backend."""
    return once(_built_once, ("deck", backend), lambda: deck_of(demo, service=demo_service))


@pytest.fixture
def demo_pptx(demo_deck, backend, _built_once) -> bytes:
    """render(demo_deck): the demonstration deck as a PowerPoint file."""
    return once(_built_once, ("pptx", backend), lambda: render(demo_deck))


@pytest.fixture
def running_deck(demo, demo_service, backend, _built_once):
    """deck_of(demo) of the year the demonstration data end in (2026, t/m september)."""
    from data.warehouse.demo_huizen import DATA_TOT

    return once(_built_once, ("deck", backend, DATA_TOT[0]), lambda: deck_of(demo, DATA_TOT[0], demo_service))


def engine_total(engine, kpi_id: str, jaar: int):
    """The KPI's total straight from the engine (not through the cached service)."""
    return compute(engine, KpiRequest.for_year(kpi_id, jaar)).rows[0]


def deck_of(engine, jaar: int = JAAR, service: KpiService | None = None):
    return build_deck(service or KpiService(engine), read_programme(engine), jaar)


# --- the slide model ------------------------------------------------------------------------

def slides_of(deck, kind: str) -> list:
    return [slide for slide in deck.slides if slide.kind == kind]


def test_deck_is_title_programme_four_axes_with_the_kostengroei_and_seven_doelstellingen(demo, demo_service, demo_deck):
    """After the kosten axis the slide that explains their change (dashboard/exports/growth_slide.py,
    tested in tests/test_growth_exports.py): 14 slides."""
    programme = read_programme(demo)
    deck = demo_deck
    assert [s.kind for s in deck.slides] == (["titel", "programma"] + ["as"] * 3 + ["kostengroei", "as"]
                                             + ["doelstelling"] * 7)
    assert [s.title for s in slides_of(deck, "as")] == [f"{name} {JAAR}" for name in AXIS_NAMES.values()]
    assert [s.title for s in deck.slides[:2] + deck.slides[7:]] == (
        ["Programmaplan Jeugd 2025–2028", "Het programma in één oogopslag"]
        + [f"Doelstelling {d.nummer}: {d.naam}" for d in programme.doelstellingen])
    assert deck.slides[5].title == f"Waarom dalen de kosten? {JAAR} tegenover {JAAR - 1}"  # the demo's fell
    data_tot = demo_service.data_status().data_tot
    assert deck.footer == f"Bron: Jeugdmonitor Huizen · gegevens t/m {fmt.datum(data_tot)}"
    assert deck.slides[0].paragraphs[0].text == f"Voortgang {JAAR}"
    programma = deck.slides[1].table
    assert [row[0].text for row in programma.rows] == [f"{l.nummer}. {l.naam}" for l in programme.lijnen]
    assert sum(row[1].value for row in programma.rows) == 45
    assert all(slide.notes for slide in deck.slides)


def test_axis_slides_hold_the_engines_values_formatted_the_dutch_way(demo, demo_service, demo_deck):
    programme = read_programme(demo)
    deck = demo_deck
    data_tot = demo_service.data_status().data_tot
    for slide, axis in zip(slides_of(deck, "as"), AXIS_NAMES, strict=True):
        names = [row[0].text for row in slide.table.rows]
        assert names == [k.naam for k in kpis_shown(berichtenverkeer=False) if k.as_ == axis]
        for naam, value, target, state in slide.table.rows:
            kpi = BY_NAME[naam.text]
            row = engine_total(demo, kpi.id, JAAR)
            assert not row.suppressed and value.value == pytest.approx(row.value)
            assert re.fullmatch(DUTCH[kpi.eenheid], value.text), (kpi.id, value.text)
            indicator = programme.indicator_for_kpi(kpi.id)
            assert target.value == indicator.streefwaarden[JAAR]
            assert re.fullmatch(DUTCH[kpi.eenheid], target.text)
            nul = indicator.nulmeting[1] if indicator.nulmeting else None
            waits = waits_for(kpi, JAAR, data_tot, running=False)
            if waits:  # e.g. herinstroom: the follow-up of 12 months is not yet in the data
                assert state.status is None and state.text == waits
            else:
                assert state.status == status(row.value, target.value, kpi.richting, nul)
        for note, kpi_name in zip(slide.notes[1:], names, strict=True):  # the first note is about the chart
            kpi = BY_NAME[kpi_name]
            assert note.startswith(kpi.naam) and f"dan {JAAR - 1}" in note and "status" in note
            assert kpi.definitie.split(". ")[0] in note


def test_doelstelling_rows_are_its_indicators_with_their_realisatie(demo, demo_deck):
    programme = read_programme(demo)
    deck = demo_deck
    for doel, slide in zip(programme.doelstellingen, slides_of(deck, "doelstelling"), strict=True):
        assert [row[0].text for row in slide.table.rows] == [i.naam for i in doel.indicatoren]
        for ind, row in zip(doel.indicatoren, slide.table.rows, strict=True):
            expected = (engine_total(demo, ind.kpi_id, JAAR).value if ind.is_kpi
                        else ind.realisaties.get(str(JAAR)))
            assert row[1].value == pytest.approx(expected)
            assert row[1].text == ("–" if expected is None else fmt.value(expected, ind.eenheid))


def test_a_year_without_streefwaarden_gives_the_reason_once_in_the_speaker_notes(demo, demo_service):
    """2023 lies before the plan: its notes say "geen streefwaarde, dus geen status", not
    "geen streefwaarde; geen status (geen streefwaarde)"."""
    notes = [n for s in deck_of(demo, 2023, demo_service).slides if s.kind in ("as", "doelstelling") for n in s.notes]
    without = [n for n in notes if "geen streefwaarde" in n]
    assert without, "the premise: 2023 has values without a streefwaarde"
    assert all("geen streefwaarde, dus geen status;" in n for n in without), without[:2]
    assert not any("geen status (geen streefwaarde" in n for n in notes)


def test_the_running_years_speaker_notes_compare_the_same_months_as_the_overview(demo, demo_service, running_deck):
    """2026 runs to September: every note of a KPI says "in 2026 (t/m september)" and compares with
    January–September 2025 in the card's words, not with the whole of 2025."""
    from dashboard.programme.overview import overview_cards
    from data.warehouse.demo_huizen import DATA_TOT

    running = DATA_TOT[0]
    service = demo_service
    cards = {c.kpi.naam: c for band in overview_cards(service, running, read_programme(demo)).values() for c in band}
    deck = running_deck
    checked = 0
    for slide in deck.slides:
        if slide.kind not in ("as", "doelstelling"):
            continue
        for note in slide.notes:
            naam = note.split(":")[0]
            card = cards.get(naam)
            if card is None or card.value is None:
                continue
            assert f"in {running} ({card.deeljaar});" in note, note
            assert card.change_text in note and f"t/m september {running - 1}" in card.change_text, note
            checked += 1
    assert checked > 20, checked


def test_the_running_years_axis_charts_mark_the_incomplete_year_and_keep_the_streefwaarden(demo, running_deck):
    """The demo's data end inside 2026: a trend's last label reads "2026 (t/m …)", and the
    streefwaarden still line up with the years (the fuzz test found this deck failing)."""
    from data.warehouse.demo_huizen import DATA_TOT

    running = DATA_TOT[0]
    programme = read_programme(demo)
    charts = [s.chart for s in running_deck.slides if s.kind == "as" and s.chart]
    trends = [c for c in charts if c.kind == "lijn"]
    assert trends, "an axis slide with a trend"
    for chart in trends:
        assert re.fullmatch(rf"{running} \(t/m [a-z]+\)", chart.categories[-1]), chart.categories
        lead = next(k for k in CATALOGUE.values() if short_name(k.naam) in chart.title)
        indicator = programme.indicator_for_kpi(lead.id)
        if indicator and len(chart.series) > 1:
            years = [int(label[:4]) for label in chart.categories]
            assert chart.series[1].values == tuple(indicator.streefwaarden.get(y) for y in years)


def test_the_running_years_realisatie_stands_apart_on_the_slides_and_in_the_pptx(running_deck):
    """As on the screens and in the PDF: the trend's line joins whole years; the running year's
    realisatie is an open dot without a segment leading to it (nine months of kosten joined to whole
    years read as a fall). The PowerPoint keeps the value in its data, so the chart stays editable."""
    from dashboard.exports import slide_layout as L
    from dashboard.exports.slide_figures import figure

    deck = running_deck
    trends = [s.chart for s in deck.slides if s.kind == "as" and s.chart and s.chart.kind == "lijn"]
    assert trends
    for chart in trends:
        assert chart.running == (chart.categories[-1],)
        fig = figure(chart, L.Box(0, 0, 6, 4), 16, True)
        line, *running = [fig.data[0], *(t for t in fig.data if t.marker.symbol == "circle-open")]
        assert line.y[-1] is None and line.y[-2] == chart.series[0].values[-2]
        if chart.series[0].values[-1] is None:  # suppressed (tevredenheid 2026 <10): no dot at all
            assert running == []
            continue
        assert list(running[0].x) == [chart.categories[-1]] and running[0].y[0] == chart.series[0].values[-1]
    prs = open_pptx(render(deck))
    titles = {chart.title for chart in trends}
    pptx_lines = [c for page in prs.slides for c in charts_of(page)
                  if c.chart_type == XL_CHART_TYPE.LINE_MARKERS and c.chart_title.text_frame.text in titles]
    assert len(pptx_lines) == len(trends)
    by_title = {chart.title: chart for chart in trends}
    assert any(chart.series[0].values[-1] is not None for chart in trends)
    for chart in pptx_lines:
        model = by_title[chart.chart_title.text_frame.text]
        if model.series[0].values[-1] is None:  # suppressed: no series of open dots, none in the legend
            assert [s.name for s in chart.plots[0].series] == [s.name for s in model.series]
            continue
        realised, *_, running = chart.plots[0].series
        assert len(chart.plots[0].series) == len(model.series) + 1 and chart.has_legend
        # the line's series ends with the last whole year; the running year is a series of its own,
        # so the data behind the chart still hold every value
        assert realised.values == pytest.approx(model.series[0].values[:-1] + (None,))
        months = model.categories[-1].split(" (", 1)[1].rstrip(")")  # "t/m september"
        assert running.name == f"{model.series[0].name} tot nu toe ({months})"
        # under the axis the running year by its year alone: "2026 (t/m september)" was wider than
        # a year's room, and LibreOffice turned all labels on their side, squeezing the plot
        assert list(chart.plots[0].categories) == [c.split(" (", 1)[0] for c in model.categories]
        assert all(len(c) == 4 for c in chart.plots[0].categories)
        assert running.values == pytest.approx((None,) * (len(model.categories) - 1) + model.series[0].values[-1:])
        xml = etree.tostring(running._element.find(qn("c:spPr"))).decode()
        assert "<a:noFill/>" in xml  # no line
        assert 'val="9DB9D0"' in etree.tostring(running._element.find(qn("c:marker"))).decode()  # light dots


def test_no_line_of_a_slide_ends_in_a_euro_sign(running_deck):
    """The forecast's lead read "… overschrijding € 1,1 mln (80%: €" on one line and "0,6 – 1,6 mln)"
    on the next, in LibreOffice and in the browser: between "€" and its amount a line may not break,
    in any paragraph or foot of any slide (the renderers and the layout's measure break at spaces)."""
    texts = [t for slide in running_deck.slides for t in (*(p.text for p in slide.paragraphs), slide.footnote)]
    amounts = [t for t in texts if "€" in t]
    assert any("overschrijding" in t for t in amounts)   # the forecast's lead is among them
    assert not [t for t in amounts if re.search(r"€ [-+]?\d", t)]
    assert Paragraph("mix € -169.199 en € +5").text == "mix €\xa0-169.199 en €\xa0+5"


def test_a_suppressed_running_year_gets_no_open_dot_and_no_legend_entry():
    """Tevredenheid 2026 (t/m september) is <10: the slide's legend (in the browser and in the
    PowerPoint) still promised "Realisatie tot nu toe" beside a chart that drew no such dot."""
    from dashboard.exports import slide_layout as L
    from dashboard.exports.slide_figures import figure
    from dashboard.exports.slide_model import Chart, Series
    from dashboard.exports.slides_pptx import chart_data

    categories = ("2024", "2025", "2026 (t/m september)")
    target = Series("Streefwaarde", (7.2, 7.3, 7.4))

    def chart(running_value):
        return Chart("lijn", "Gemiddeld rapportcijfer cliënten: trend 2024–2026 (t/m september)", categories,
                     (Series("Realisatie", (7.1, 7.5, running_value)), target), "cijfer", (categories[-1],))

    for value, dots in ((None, 0), (7.6, 1)):
        traces = figure(chart(value), L.Box(0, 0, 6, 4), 16, True).data
        assert [t.name for t in traces if t.marker.symbol == "circle-open"] == ["Realisatie tot nu toe"] * dots
        names = [s.name for s in chart_data(chart(value))]
        assert names == ["Realisatie", "Streefwaarde"] + ["Realisatie tot nu toe (t/m september)"] * dots


def test_a_trend_of_one_year_is_titled_by_that_year(demo, demo_service):
    """2019, the first year with data: "trend 2019", not "trend 2019–2019"."""
    trends = [s.chart for s in deck_of(demo, 2019, demo_service).slides if s.kind == "as" and s.chart and s.chart.kind == "lijn"]
    assert trends
    for chart in trends:
        assert chart.categories == ("2019",) and chart.title.endswith(": trend 2019"), chart.title


@pytest.mark.parametrize("titel, weergave, shown", [
    ("Totale kosten jeugdhulp (€) per hulpvorm, 2026", "?kpi=totale_kosten&jaar=2026&by=hulpvorm&per=jaar",
     "Totale kosten jeugdhulp (€) per hulpvorm, 2026 (t/m september)"),
    ("Instroom (gestarte trajecten) per wijk, 2026 (verwijzer: Huisarts)",
     "?kpi=instroom&jaar=2026&by=wijk&per=jaar&f=verwijzer%3Ahuisarts",
     "Instroom (gestarte trajecten) per wijk, 2026 (t/m september) (verwijzer: Huisarts)"),
    ("Gemiddelde wachttijd (dagen), per kwartaal, 2025–2026", "?kpi=gem_wachttijd&jaar=2026&by=&per=kwartaal",
     "Gemiddelde wachttijd (dagen), per kwartaal, 2025–2026 (t/m september)"),
    ("Instroom (gestarte trajecten) per wijk, 2025", "?kpi=instroom&jaar=2025&by=wijk&per=jaar",
     "Instroom (gestarte trajecten) per wijk, 2025"),      # a complete year
    ("Mijn eigen titel", "?kpi=totale_kosten&jaar=2026&by=hulpvorm&per=jaar", "Mijn eigen titel"),  # not ours
], ids=["running-year", "filtered", "trend", "complete-year", "other-title"])
def test_an_added_views_title_says_the_running_year_is_not_complete(demo, demo_service, titel, weergave, shown):
    """An added view's title is stored when it is added, without how far the data reach (so it does
    not go stale); the slide shows it with "(t/m september)" as its chart and the overview do, or a
    raadslid reads nine months of kosten as the whole year."""
    from dashboard.exports.explorer_slide import explorer_slide

    slide = explorer_slide(demo_service, titel, weergave)
    assert slide.title == shown


def test_an_added_view_of_kosten_per_maand_says_its_last_months_are_still_coming_in(demo, demo_service):
    """The explorer says beside a kosten trend that its last months still lack declarations
    (September 2026: € 74.155 against € 1,1 mln a month before summer); on a slide, where the raad
    sees the line drop, it says so as well. A view of trajecten does not."""
    from dashboard.exports.explorer_slide import explorer_slide

    late = "De laatste maanden vallen nog te laag uit: declaraties komen meestal één tot drie maanden na de maand binnen"
    kosten = explorer_slide(demo_service, "Kosten per maand", "?kpi=totale_kosten&jaar=2026&by=&per=maand")
    assert any(p.text.startswith(late) for p in kosten.paragraphs) and any(n.startswith(late) for n in kosten.notes)
    instroom = explorer_slide(demo_service, "Instroom per maand", "?kpi=instroom&jaar=2026&by=&per=maand")
    assert not any("declaraties" in p.text for p in instroom.paragraphs)


def test_axis_charts_share_one_unit(demo_deck):
    deck = demo_deck
    kwaliteit, _, kosten, _ = slides_of(deck, "as")
    assert kwaliteit.chart.kind == "staaf" and kwaliteit.chart.eenheid == "%"
    assert kwaliteit.chart.categories == tuple(short_name(k.naam) for k in kpis_shown(berichtenverkeer=False)
                                               if k.as_ == "kwaliteit" and k.eenheid == "%")
    assert kosten.chart.kind == "lijn" and kosten.chart.categories == tuple(str(y) for y in range(2019, JAAR + 1))


def test_a_year_before_the_plan_draws_no_empty_streefwaarde_beside_its_percentages(demo, demo_service):
    """2020 has no streefwaarden: the chart was titled "Percentages: 2020 en streefwaarde" and its
    legend named a "Streefwaarde 2020" that had no bar. The chart now shows the realisatie only and
    says so; a year of the plan keeps both (test_axis_charts_share_one_unit)."""
    deck = deck_of(demo, 2020, demo_service)
    charts = [s.chart for s in slides_of(deck, "as") if s.chart is not None and s.chart.kind == "staaf"]
    assert charts
    for chart in charts:
        assert chart.title == "Percentages 2020" and [s.name for s in chart.series] == ["Realisatie 2020"]
    page = open_pptx(render(deck)).slides[2]
    (drawn,) = [c for c in charts_of(page) if c.chart_type == XL_CHART_TYPE.BAR_CLUSTERED]
    assert [s.name for s in drawn.plots[0].series] == ["Realisatie 2020"] and not drawn.has_legend
    notes = page.notes_slide.notes_text_frame.text
    assert "in 2020, zonder streefwaarde" in notes and "naast hun streefwaarde" not in notes


# --- the PowerPoint file --------------------------------------------------------------------

def open_pptx(content: bytes):
    return Presentation(io.BytesIO(content))


def tables_of(page):
    return [shape.table for shape in page.shapes if shape.has_table]


def charts_of(page):
    return [shape.chart for shape in page.shapes if shape.has_chart]


def texts_of(page) -> list[str]:
    return [shape.text_frame.text for shape in page.shapes if shape.has_text_frame]


def test_pptx_has_the_slides_titles_tables_charts_notes_and_footer(demo_deck, demo_pptx):
    deck = demo_deck
    prs = open_pptx(demo_pptx)
    assert Emu(prs.slide_width).inches / Emu(prs.slide_height).inches == pytest.approx(16 / 9, abs=0.01)
    pages = list(prs.slides)
    assert [page.shapes.title.text for page in pages] == [slide.title for slide in deck.slides]
    for number, (page, slide) in enumerate(zip(pages, deck.slides, strict=True), start=1):
        assert deck.footer in texts_of(page) and f"Dia {number} van 14" in texts_of(page)
        assert page.has_notes_slide and page.notes_slide.notes_text_frame.text == "\n".join(slide.notes)
        if slide.table:
            (table,) = tables_of(page)
            assert [table.cell(0, c).text for c in range(len(slide.table.columns))] == \
                   [c.label for c in slide.table.columns]
            shown = [[table.cell(r, c).text for c in range(len(slide.table.columns))]
                     for r in range(1, len(slide.table.rows) + 1)]
            for row, cells in zip(shown, slide.table.rows, strict=True):  # a status reads symbol + word
                assert [text.endswith(cell.text) for text, cell in zip(row, cells, strict=True)] == [True] * len(row)
                assert row[:3] == [cell.text for cell in cells[:3]]
    assert all(len(charts_of(page)) == 1 for page in pages[2:7])  # every axis slide (and the kostengroei)
    # has a native chart


def test_pptx_charts_hold_the_engines_values_with_dutch_number_formats(demo, demo_pptx):
    prs = open_pptx(demo_pptx)
    pages = list(prs.slides)
    (bars,) = charts_of(pages[2])
    plot = bars.plots[0]
    names = {short_name(k.naam): k for k in CATALOGUE.values()}
    realised, target = plot.series
    for index, category in enumerate(plot.categories):
        kpi = names[category]
        assert realised.values[index] == pytest.approx(engine_total(demo, kpi.id, JAAR).value)
        assert target.values[index] == read_programme(demo).indicator_for_kpi(kpi.id).streefwaarden[JAAR]
    assert '<c:formatCode>[$-413]#,##0.0"%"</c:formatCode>' in bars.part.blob.decode()  # 12,3%, also in an English LibreOffice
    frame = next(shape for shape in pages[2].shapes if shape.has_chart)
    uitval = fmt.value(engine_total(demo, "pct_uitval", JAAR).value, "%")
    assert f"% uitval: realisatie {JAAR} {uitval}" in frame._element.nvGraphicFramePr.cNvPr.get("descr")
    (line,) = charts_of(pages[4])
    trend = line.plots[0].series[0].values
    expected = [engine_total(demo, "totale_kosten", year).value for year in range(2019, JAAR + 1)]
    assert trend == pytest.approx(expected)
    workbook = load_workbook(io.BytesIO(line.part.chart_workbook.xlsx_part.blob))
    column = [row[1] for row in workbook.active.iter_rows(min_row=2, values_only=True)]
    assert column == pytest.approx(expected)  # the data behind the chart, editable in PowerPoint


# --- suppression ---------------------------------------------------------------------------

@pytest.fixture
def small(warehouse, monkeypatch):
    """The hand-made warehouse with threshold 3: in 2025 % uitval rests on 2 jeugdigen
    (suppressed), % verblijfsdagen gezinsgericht on 3 (shown)."""
    monkeypatch.setenv("MIN_CELL_SIZE", "3")
    handmade_warehouse.fill(warehouse)
    load_programme(warehouse)
    return warehouse


def test_suppressed_value_reads_below_threshold_and_is_no_chart_point(small):
    uitval = engine_total(small, "pct_uitval", JAAR)
    gezinsgericht = engine_total(small, "pct_verblijf_gezinsgericht", JAAR)
    assert uitval.suppressed and uitval.value is None and not gezinsgericht.suppressed  # the premise
    deck = deck_of(small)
    kwaliteit = deck.slides[2]
    row = next(r for r in kwaliteit.table.rows if r[0].text == CATALOGUE["pct_uitval"].naam)
    assert row[1].text == "<3" and row[1].value is None and row[1].suppressed
    assert row[3].text == "afgeschermd (<3)" and row[3].status is None  # not "geen streefwaarde": there is one
    assert any(n.startswith(CATALOGUE["pct_uitval"].naam + ": afgeschermd (<3)") and "leeg gelaten" in n
               for n in kwaliteit.notes)

    page = list(open_pptx(render(deck)).slides)[2]
    (table,) = tables_of(page)
    cells = {table.cell(r, 0).text: table.cell(r, 1).text for r in range(1, len(table.rows))}
    assert cells[CATALOGUE["pct_uitval"].naam] == "<3"
    (chart,) = charts_of(page)
    categories = list(chart.plots[0].categories)
    realised = chart.plots[0].series[0].values
    assert realised[categories.index("% uitval")] is None
    assert f"% uitval: realisatie {JAAR}: geen waarde, streefwaarde" in kwaliteit.chart.summary  # alt text
    assert realised[categories.index("% verblijfsdagen gezinsgericht")] == pytest.approx(gezinsgericht.value)
    # Nor in the workbook behind the chart: the cell of a suppressed value is empty.
    workbook = load_workbook(io.BytesIO(chart.part.chart_workbook.xlsx_part.blob))
    values = {row[0]: row[1] for row in workbook.active.iter_rows(min_row=2, values_only=True)}
    assert values["% uitval"] is None and values["% verblijfsdagen gezinsgericht"] == pytest.approx(gezinsgericht.value)
    doelstelling_cells = [cell.text for slide in slides_of(deck, "doelstelling") for row in slide.table.rows
                          for cell in row]
    assert "<3" in doelstelling_cells


# --- serving -------------------------------------------------------------------------------

@pytest.fixture
def server(demo, tmp_path, app_module):
    """The app, its runtime pointed at the demonstration warehouse of this backend."""
    from dashboard.server import runtime
    from data.db import make_engine, migrate

    empty = make_engine(f"sqlite:///{tmp_path / 'leeg.db'}")
    migrate(empty)
    empty.dispose()
    flask_server = app_module.create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'leeg.db'}"}).server
    runtime.configure(demo, public_read=True)
    return flask_server


def test_route_serves_the_pptx_and_refuses_a_bad_year(server):
    from dashboard.server import runtime

    client = server.test_client()
    response = client.get(f"/export/presentatie.pptx?jaar={JAAR}")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    assert f'filename="jeugdmonitor_presentatie_{JAAR}.pptx"' in response.headers["Content-Disposition"]
    assert len(open_pptx(response.data).slides) == 14
    assert client.get("/export/presentatie.pptx").status_code == 200  # the default year
    years, _default = runtime.years_available()
    for bad in ("abc", "1999", "20255"):  # the page of every export (tests/test_export_answers.py)
        assert_refusal_page(client.get(f"/export/presentatie.pptx?jaar={bad}"), 400, bad_year(bad, years))


def test_overview_links_to_the_presentation_and_the_pptx(server):
    from dashboard.pages import overzicht

    page = str(overzicht.layout(jaar=str(JAAR)))
    assert f"/presentatie?dia=1&jaar={JAAR}" in page and "Presentatie starten" in page
    assert f"/export/presentatie.pptx?jaar={JAAR}" in page and "Download als PowerPoint" in page


# --- the command line ----------------------------------------------------------------------

@pytest.fixture
def demo_url(demo):
    return engine_url(demo)


def test_cli_writes_the_presentation(demo_url, tmp_path, capsys):
    out = tmp_path / "presentatie.pptx"
    assert cli_main(["--jaar", str(JAAR), "--uit", str(out), "--db", demo_url]) == 0
    assert "presentatie geschreven" in capsys.readouterr().out
    prs = open_pptx(out.read_bytes())
    assert prs.slides[2].shapes.title.text == f"Kwaliteit {JAAR}"


@pytest.mark.parametrize("args, words", [
    (["--jaar", "abc"], "Ongeldig jaar 'abc': kies een jaar van"),
    (["--jaar", "1990"], "Ongeldig jaar '1990': kies een jaar van"),
    (["--uit", "presentatie.txt"], "moet eindigen op .pptx"),
    (["--uit", "/bestaat/niet/p.pptx"], "bestaat niet"),
    (["--db", "mysql://x@y/z"], "wordt niet ondersteund"),
    (["--onbekend", "x"], "onbekend argument"),
])
def test_cli_bad_input_is_exit_2_with_a_dutch_message(tmp_path, capsys, args, words):
    from data.db import make_engine, migrate

    empty = make_engine(f"sqlite:///{tmp_path / 'w.db'}")  # the command reads a warehouse; it makes none
    migrate(empty)
    empty.dispose()
    argv = ["--jaar", str(JAAR), "--uit", str(tmp_path / "p.pptx"), "--db", f"sqlite:///{tmp_path / 'w.db'}"]
    for index in range(0, len(args), 2):  # replace the default of that option, or add it
        if args[index] in argv:
            argv[argv.index(args[index]) + 1] = args[index + 1]
        else:
            argv += args[index:index + 2]
    assert cli_main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("fout: ") and words in err and "Traceback" not in err


def test_cli_as_a_module_reports_an_unreachable_database_with_exit_1(tmp_path):
    done = warm_python.run([sys.executable, "-m", "dashboard.exports.slides_pptx", "--jaar", str(JAAR), "--uit",
                           str(tmp_path / "p.pptx"), "--db", "postgresql://nobody@127.0.0.1:1/geen?connect_timeout=2"],
                           cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr.startswith("fout: de database is niet bereikbaar") and "Traceback" not in done.stderr
    assert not (tmp_path / "p.pptx").exists()


# --- table layout ---------------------------------------------------------------------------

def _table(rows: int, name: str):
    from dashboard.exports.slides import Cell, Column, Table

    return Table((Column("Indicator"), Column("2025", numeric=True), Column("Status")),
                 tuple((Cell(f"{name} {i}"), Cell("1.234", 1234, kind="number"), Cell("Achter", kind="status"))
                       for i in range(rows)))


def test_table_type_is_as_large_as_fits():
    from dashboard.exports.slide_layout import fit_table

    short = fit_table(_table(3, "Jeugdigen met jeugdhulp"), 12.1, 5.25)
    long = fit_table(_table(14, "Ingebrachte lokale inkoopwensen verwerkt in de inkoopstrategie van de regio"), 12.1, 5.25)
    assert short.size == 24 and long.size < short.size
    for fit in (short, long):
        assert sum(fit.widths) == pytest.approx(12.1) and sum(fit.heights) <= 5.25 + 1e-9


def test_a_long_reason_for_no_status_wraps_instead_of_shrinking_the_type():
    from dashboard.exports.slide_layout import fit_table
    from dashboard.exports.slides import Cell, Column, Table
    from dashboard.programme.status import ACHTER

    def table(reason: str) -> Table:
        rows = [(Cell(f"Gemiddelde verblijfsduur in een gezinsvorm {i}"), Cell("3,7%", 3.7, kind="number"),
                 Cell("Achter", kind="status", status=ACHTER)) for i in range(8)]
        rows[5] = rows[5][:2] + (Cell(reason, kind="status"),)
        return Table((Column("KPI"), Column("2025", numeric=True), Column("Status")), tuple(rows))

    short, long = fit_table(table("geen streefwaarde"), 6.7, 5.25), fit_table(table(
        "oordeel na de volgperiode van 12 maanden"), 6.7, 5.25)
    assert long.size >= short.size - 2   # on one line it took the names' room: 11 pt instead of 15
    assert long.heights[6] > long.heights[5]  # the reason takes two lines


def test_html_slide_renders_the_same_model(server, demo_deck):
    from dashboard.pages import presentatie

    slide = demo_deck.slides[2]
    page = str(presentatie.layout(dia="3", jaar=str(JAAR)))
    assert f"'{slide.title}'" in page and "data-dia-totaal='14'" in page
    for row in slide.table.rows:
        assert f"'{row[0].text}'" in page and f"'{row[1].text}'" in page and f"'{row[2].text}'" in page


# --- the deck shown is the deck the raad gets (issue 15) -------------------------------------

SCHOOL_VIEW = "?kpi=instroom&jaar=2025&by=school&per=jaar"
TREND_VIEW = "?kpi=gem_wachttijd&jaar=2025&by=&per=kwartaal"


@pytest.fixture
def added_views(server, demo):
    """Two explorer views added to the presentation, as 'Toevoegen aan presentatie' does."""
    from dashboard.server import stand_view
    from data.accounts.users import User

    manager = User(1, "pm", "Petra Manager", "programmamanager", frozenset())
    for view in (SCHOOL_VIEW, TREND_VIEW):
        assert stand_view.add_view(manager, view).ok
    return manager


def strings(node) -> list[str]:
    """Every string in a Dash component tree, in order (figures left out)."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, (list, tuple)):
        return [s for item in node for s in strings(item)]
    return strings(getattr(node, "children", None) or [])


def find(node, kind) -> list:
    """Every component of type `kind` in a tree."""
    found = [node] if isinstance(node, kind) else []
    children = node if isinstance(node, (list, tuple)) else getattr(node, "children", None)
    if isinstance(children, (list, tuple)):
        found += [c for child in children for c in find(child, kind)]
    elif children is not None and not isinstance(children, str):
        found += find(children, kind)
    return found


def without_mark(text: str) -> str:
    """A status as both renderers write it, without its mark (✔ Op koers → Op koers)."""
    return text.lstrip("✔▲✖ ").strip()


def screen_slides(query: dict) -> list[dict]:
    """Every slide of /presentatie as the page draws it: title, table rows (texts), all texts."""
    from dash import html

    from dashboard.pages import presentatie

    first = presentatie.layout(dia="1", **query)
    total = int(first.to_plotly_json()["props"]["data-dia-totaal"])
    slides = []
    for number in range(1, total + 1):
        page = presentatie.layout(dia=str(number), **query)
        (title,) = find(page, html.H1)
        tables = [[[without_mark(" ".join(strings(cell))) for cell in find(row, (html.Th, html.Td))]
                   for row in find(table, html.Tr)] for table in find(page, html.Table)]
        # the title's text as the DOM reads it: its parts side by side (a span that must not break)
        slides.append({"title": "".join(strings(title)), "tables": tables, "texts": strings(page)})
    return slides


def file_slides(content: bytes) -> list[dict]:
    """Every slide of the PowerPoint: title, table rows, chart points, footer and notes."""
    slides = []
    for page in open_pptx(content).slides:
        tables = [[[without_mark(table.cell(r, c).text) for c in range(len(table.columns))]
                   for r in range(len(table.rows))] for table in tables_of(page)]
        points = [(category, value) for chart in charts_of(page)
                  for category, value in zip(chart.plots[0].categories, chart.plots[0].series[0].values, strict=True)]
        slides.append({"title": page.shapes.title.text, "tables": tables, "points": points,
                       "texts": texts_of(page), "notes": page.notes_slide.notes_text_frame.text})
    return slides


def shown_as(value: float | None, text: str) -> bool:
    """Is `text` (a cell on the screen) the chart point `value` written the Dutch way?"""
    if value is None:
        return text.startswith("<") or text == "–"
    return any(fmt.value(value, eenheid) == text for eenheid in DUTCH)


def assert_same_deck(screen: list[dict], file: list[dict]) -> None:
    """Same slides in the same order, and the same numbers on each."""
    assert [s["title"] for s in file] == [s["title"] for s in screen]
    for shown, written in zip(screen, file, strict=True):
        if written["tables"]:  # a table in the file is the table on the screen, cell for cell
            assert written["tables"] == shown["tables"], shown["title"]
        elif written["points"]:  # an added view: its bars are the rows of its table on the screen
            parts = shown["tables"]  # a long table in columns, each under the header
            rows = parts[0][:1] + [row for part in parts for row in part[1:]]
            assert rows[0][1:] == ["Waarde", "Aantal (n)"] and len(written["points"]) == len(rows) - 1
            for (category, value), row in zip(written["points"], rows[1:], strict=True):
                assert category in (row[0], f"{row[0]} ({row[1]})") and shown_as(value, row[1]), (category, row)


def test_the_pptx_holds_the_slides_shown_with_the_added_views(server, added_views):
    client = server.test_client()
    screen = screen_slides({"jaar": str(JAAR)})
    file = file_slides(client.get(f"/export/presentatie.pptx?jaar={JAAR}").data)
    assert len(screen) == 16 and screen[-2]["title"] == "Instroom (gestarte trajecten) per school, 2025"
    assert_same_deck(screen, file)
    school, trend = file[-2:]
    assert [category for category, _ in school["points"]][:1] == ["Geen school bekend"]
    assert any(category.endswith("(<10)") and value is None for category, value in school["points"])
    from kpi import privacy

    rounding = privacy.explain_rounding(5)
    assert rounding in school["notes"] and any(rounding in text for text in school["texts"])  # footnote
    assert privacy.explain_suppression(10) in trend["notes"] and rounding not in trend["notes"]
    data_tot = KpiService(runtime_engine()).data_status().data_tot
    footer = f"Bron: Jeugdmonitor Huizen · gegevens t/m {fmt.datum(data_tot)}"
    assert all(footer in " ".join(slide["texts"]) for slide in screen)  # the data date on screen too
    assert all(footer in slide["texts"] for slide in file)


def runtime_engine():
    from dashboard.server import runtime

    return runtime.current().engine


def test_a_stands_pptx_holds_its_slides_and_says_stand_per_on_every_one(server, added_views):
    from dashboard.programme.stand_freeze import list_snapshots
    from dashboard.server import stand_view
    from data.programme import stand_store

    assert stand_view.freeze_stand(added_views, "12-11-2025", "Commissie Samenleving", "2025").ok
    stand_id = list_snapshots(runtime_engine())[0].id
    first = stand_store.list_dias(runtime_engine())[0]
    assert stand_view.remove_dia(added_views, first.id).ok  # the live deck changes; the stand's does not
    client = server.test_client()
    screen = screen_slides({"stand": str(stand_id)})
    file = file_slides(client.get(f"/export/presentatie.pptx?stand={stand_id}").data)
    assert len(screen) == 16 and len(file_slides(client.get(f"/export/presentatie.pptx?jaar={JAAR}").data)) == 15
    assert_same_deck(screen, file)
    label = "Stand per 12 november 2025 — Commissie Samenleving"
    for slide in file:
        assert any(label in text and "gegevens t/m" in text for text in slide["texts"]), slide["title"]


def test_slide_numbers_are_fields(demo_pptx):
    from lxml import etree

    prs = open_pptx(demo_pptx)
    total = len(prs.slides)
    for number, page in enumerate(prs.slides, start=1):
        (box,) = [shape for shape in page.shapes if shape.has_text_frame and shape.text_frame.text.startswith("Dia ")]
        paragraph = box.text_frame.paragraphs[0]._p
        fields = paragraph.findall("{http://schemas.openxmlformats.org/drawingml/2006/main}fld")
        assert [f.get("type") for f in fields] == ["slidenum"], etree.tostring(paragraph)
        typed = "".join(r.text for r in box.text_frame.paragraphs[0].runs)
        assert typed == f"Dia  van {total}" and fields[0].findtext(
            "{http://schemas.openxmlformats.org/drawingml/2006/main}t") == str(number)


def test_an_added_views_footnote_is_the_explorers_rule_text():
    from dashboard.exports.explorer_slide import rules_text
    from dashboard.ui import components

    for threshold, rounding in ((10, 5), (10, None), (3, 10)):
        shown = "".join(strings(components.suppression_note(threshold, rounding))).strip()
        assert rules_text(threshold, rounding) == shown


def test_the_running_years_label_stands_under_its_year_in_the_browsers_chart():
    """On one line "2026 (t/m september)" ran over the labels of 2025 and 2024 (the kosten slide,
    eight years): the part in brackets goes on a second line, the category itself is unchanged;
    where eight years do not fit side by side, every other year is labelled, back from the last."""
    from dashboard.exports import slide_layout as L
    from dashboard.exports.slide_figures import figure, period_ticks
    from dashboard.exports.slide_model import Chart, Series

    years = tuple(str(y) for y in range(2019, 2026)) + ("2026 (t/m september)",)
    values = tuple(float(v) for v in range(10, 18))
    chart = Chart("lijn", "Totale kosten jeugdhulp: trend 2019–2026 (t/m september)", years,
                  (Series("Realisatie", values, tuple(str(v) for v in values)),), "€")
    fig = figure(chart, L.Box(0, 0, 6, 4), 16, True)
    assert list(fig.data[0].x) == list(years)
    assert list(fig.layout.xaxis.tickvals) == ["2020", "2022", "2024", "2026 (t/m september)"]
    assert list(fig.layout.xaxis.ticktext) == ["2020", "2022", "2024", "2026<br>(t/m september)"]
    assert period_ticks(years, 20, 16) == list(years)            # room enough: every year
    assert period_ticks(years[:3], 6, 16) == list(years[:3])


def test_an_added_kosten_views_bars_carry_the_amounts_the_screen_shows(demo, demo_service):
    """The PowerPoint's bars of an added explorer view read "€ 3,6 mln" where the screen, the
    slide's table and the other exports read "€ 3.591.661": each bar's label is now the text the
    catalogue's format gives (kpi.format), in full euros with Dutch thousands dots — written on
    the bar, so it reads the same in an Office of any language."""
    from dashboard.exports.explorer_slide import explorer_slide
    from dashboard.exports.slide_model import Deck

    slide = explorer_slide(demo_service, "Kosten per hulpvorm", f"?kpi=totale_kosten&jaar={JAAR}&by=hulpvorm&per=jaar")
    screen = [row[1].text for row in slide.table.rows]
    assert max(v for v in slide.chart.series[0].values if v is not None) >= fmt.MILLION  # the case that broke
    page = open_pptx(render(Deck(JAAR, None, (slide,), "Programmaplan Jeugd 2025–2028"))).slides[0]
    (chart,) = charts_of(page)
    (series,) = chart.plots[0].series
    labels = [series.points[i].data_label.text_frame.text if series.points[i].data_label.has_text_frame else None
              for i in range(len(series.values))]
    assert labels == [text if value is not None else None for text, value in zip(screen, series.values, strict=True)]
    assert all(re.fullmatch(r"€ \d{1,3}(\.\d{3})*", label) for label in labels if label is not None), labels
    assert "mln" not in " ".join(label for label in labels if label)
    # one line each: LibreOffice wrapped a label it found long ("€ / 3.591.66 / 1") over the bar above
    frames = [series.points[i].data_label.text_frame for i in range(len(series.values))
              if series.points[i].data_label.has_text_frame]
    assert frames and all(frame.word_wrap is False for frame in frames)


EMPTY_VIEW = "?kpi=pct_tevreden&jaar=2026&by=wijk&per=jaar"  # no survey answers in 2026 yet


def test_an_added_view_without_data_says_so_and_the_deck_still_renders(demo, demo_service):
    """A view added while its year has no figures (the survey of 2026 is not in yet): the explorer
    says "Geen gegevens voor deze selectie", and so does the slide — the PowerPoint download and
    /presentatie failed on its empty chart (max() of no bar labels)."""
    import datetime as dt

    from dashboard.exports import slide_layout as L
    from dashboard.exports.explorer_slide import explorer_slide
    from dashboard.exports.slides_html import slide_body
    from dashboard.ui.state import from_query
    from data.programme.stand_store import Dia

    service = demo_service
    state = from_query({"kpi": "pct_tevreden", "jaar": "2026", "by": "wijk"}, 2025)
    assert not service.compute(state.breakdown_request()).rows  # what the view rests on
    slide = explorer_slide(service, "Tevredenheid per wijk, 2026", EMPTY_VIEW)
    assert slide.chart is None and slide.table is None
    assert [p.text for p in slide.paragraphs] == ["Geen gegevens voor deze selectie."]
    assert slide.footnote and any("Geen gegevens voor deze selectie." in note for note in slide.notes)
    L.layout(slide)
    slide_body(slide)  # the screen's renderer
    dias = [Dia(1, 1, "Tevredenheid per wijk, 2026", EMPTY_VIEW, "pm", dt.datetime(2026, 11, 1))]
    deck = build_deck(service, read_programme(demo, vastgesteld_only=True), 2026, dias=dias)
    page = list(open_pptx(render(deck)).slides)[-1]
    assert "Geen gegevens voor deze selectie." in texts_of(page)


@pytest.mark.parametrize("jaar", [2025, 2026])
def test_an_added_views_footnote_stays_clear_of_its_chart_and_the_footer_rule(demo, demo_service, jaar):
    """In the file's own geometry (EMU): the small-number footnote of an added view is tall enough
    for its lines at its own width (Arial's widths, line height 1.2), starts below the charts and
    ends a gap above the footer's rule. (The screen overlapped: its footnote wrapped to a fifth line
    at the page's 60rem; tests/test_browser_presentatie.py measures the screen's lines.)"""
    import datetime as dt

    from pptx.enum.shapes import MSO_SHAPE_TYPE

    from dashboard.exports import slide_layout as L
    from dashboard.exports.text_metrics import line_count
    from data.programme.stand_store import Dia

    views = (SCHOOL_VIEW, TREND_VIEW, "?kpi=pct_herinstroom&jaar=2025&by=aanbieder&per=jaar")
    dias = [Dia(i, i, f"Weergave {i}", view.replace("2025", str(jaar)), "pm", dt.datetime(2026, 11, 1))
            for i, view in enumerate(views, start=1)]
    deck = build_deck(demo_service, read_programme(demo, vastgesteld_only=True), jaar, dias=dias)
    pages = list(open_pptx(render(deck)).slides)[-len(views):]
    for slide, page in zip(deck.slides[-len(views):], pages, strict=True):
        rule = next(shape for shape in page.shapes if shape.shape_type == MSO_SHAPE_TYPE.LINE)
        note = next(shape for shape in page.shapes if shape.has_text_frame and shape.text_frame.text == slide.footnote)
        size = note.text_frame.paragraphs[0].runs[0].font.size.pt
        lines = line_count(slide.footnote, Emu(note.width).inches, size)
        assert lines and Emu(note.height).inches >= lines * size * L.LINE / 72, (slide.title, lines)
        assert Emu(note.top + note.height).inches <= Emu(rule.top).inches - 0.1, slide.title
        for frame in (shape for shape in page.shapes if shape.has_chart):
            assert frame.top + frame.height <= note.top, slide.title


def test_both_columns_of_a_long_list_place_their_bars_alike_and_each_number_fits_inside_its_plot(demo, demo_service):
    """An added view of 22 schools is drawn in two columns. LibreOffice drew the left column's
    names (and numbers) smaller: the scale ended at 1,15 × the longest bar, so that bar's number
    ran past the chart's edge, and LibreOffice shrank every text of that chart to fit it. Now the
    layout places the plot in both columns alike (slide_layout.bar_plot, written as the plot
    area's manual layout) and ends the one scale where every bar's number fits after its bar."""
    from dashboard.exports import slide_layout as L
    from dashboard.exports.explorer_slide import explorer_slide
    from dashboard.exports.slide_model import Deck
    from dashboard.exports.text_metrics import width_in

    slide = explorer_slide(demo_service, "Kosten per school", f"?kpi=totale_kosten&jaar={JAAR}&by=school&per=jaar")
    layout = L.layout(slide)
    parts = layout.chart_parts(slide.chart)
    assert len(parts) == 2
    page = open_pptx(render(Deck(JAAR, None, (slide,), "Programmaplan Jeugd 2025–2028"))).slides[0]
    drawn = []
    for frame, (part, box) in zip((s for s in page.shapes if s.has_chart), parts, strict=True):
        c = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
        manual = frame.chart._chartSpace.chart.plotArea.find(f"{c}layout/{c}manualLayout")
        assert manual is not None, "the plot is left to the renderer"
        left, width = (float(manual.find(f"{c}{k}").get("val")) * box.width for k in ("x", "w"))
        top = frame.chart.value_axis.maximum_scale
        for index, value in enumerate(part.series[0].values):
            if value is not None:
                number = width_in(part.series[0].text(index, part.eenheid), layout.chart_size) * L.SLACK
                assert value / top * width + number <= width, (part.categories[index], value, top)
        names = max(width_in(name, layout.chart_size) for name in part.categories)
        assert names <= left
        drawn.append((round(left, 2), round(width, 2), top,
                      frame.chart.category_axis.tick_labels.font.size.pt))
    assert drawn[0] == drawn[1]


def test_the_running_years_axis_tables_keep_every_cell_to_three_lines(running_deck):
    """The axis slides of the running year: the number column's header "2026 (t/m september)" was
    kept on one line and took a third of the table, so the KPI names wrapped into four lines and
    "oordeel na afloop van het jaar" into five lines of a word or two in a narrow Status column.
    Now a number's header may wrap too, and a size is chosen where no cell needs more than three
    lines, every word whole and the table within its box (the layout's own widths and lines)."""
    from dashboard.exports import slide_layout as L
    from dashboard.exports.text_metrics import line_count

    checked = 0
    for slide in slides_of(running_deck, "as"):
        if slide.table is None:
            continue
        layout = L.layout(slide)
        fit = layout.table_fit
        assert fit is not None and sum(fit.heights) <= layout.table.height + 1e-9, slide.title
        assert sum(fit.widths) == pytest.approx(layout.table.width), slide.title
        for column, (spec, width) in enumerate(zip(slide.table.columns, fit.widths, strict=True)):
            cells = [(spec.label, True)] + [(L.cell_text(row[column]), L.cell_bold(row[column], column))
                                            for row in slide.table.rows]
            for text, bold in cells:
                lines = line_count(text, (width - 2 * L.PAD_X) / L.SLACK, fit.size, bold)
                assert lines is not None and lines <= 3, (slide.title, text, lines, fit)
        checked += 1
    assert checked == 4
