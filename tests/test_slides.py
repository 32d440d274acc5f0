"""The presentation: the slide model, its PowerPoint rendering, the download route and the CLI.

Data: the demonstration set (as tests/test_demo.py loads it) plus the Programmaplan, on SQLite and
PostgreSQL; for suppression the hand-made warehouse with MIN_CELL_SIZE=3, where some KPIs rest on
fewer than 3 jeugdigen and others do not.
"""
from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pptx import Presentation
from pptx.util import Emu

from dashboard.slides import TITEL, build_deck, short_name
from dashboard.slides_cli import main as cli_main
from dashboard.slides_pptx import render
from data.demo import load_demo
from data.programme import load_programme
from kpi import AXIS_NAMES, CATALOGUE, KpiRequest, compute
from kpi import format as fmt
from kpi.programma import read_programme
from kpi.service import KpiService
from kpi.status import status
from tests import handmade_warehouse

ROOT = Path(__file__).resolve().parent.parent
JAAR = 2025
BY_NAME = {k.naam: k for k in CATALOGUE.values()}
DUTCH = {  # what a value looks like on a Dutch slide, per unit
    "%": r"\d{1,3},\d%", "€": r"€ \d{1,3}(\.\d{3})*", "dagen": r"\d{1,3}(\.\d{3})* dagen",
    "aantal": r"\d{1,3}(\.\d{3})*", "cijfer": r"\d{1,2},\d"}


@pytest.fixture
def demo(warehouse):
    load_demo(warehouse)
    load_programme(warehouse)
    return warehouse


def engine_total(engine, kpi_id: str, jaar: int):
    """The KPI's total straight from the engine (not through the cached service)."""
    return compute(engine, KpiRequest.for_year(kpi_id, jaar)).rows[0]


def deck_of(engine, jaar: int = JAAR):
    return build_deck(KpiService(engine), read_programme(engine), jaar)


# --- the slide model ------------------------------------------------------------------------

def test_deck_is_title_programme_four_axes_and_seven_doelstellingen(demo):
    programme = read_programme(demo)
    deck = deck_of(demo)
    assert [s.kind for s in deck.slides] == ["titel", "programma"] + ["as"] * 4 + ["doelstelling"] * 7
    assert [s.title for s in deck.slides] == (
        [TITEL, "Het programma in één oogopslag"] + [f"{name} {JAAR}" for name in AXIS_NAMES.values()]
        + [f"Doelstelling {d.nummer}: {d.naam}" for d in programme.doelstellingen])
    data_tot = KpiService(demo).data_status().data_tot
    assert deck.footer == f"Bron: Jeugdmonitor Huizen · gegevens t/m {fmt.datum(data_tot)}"
    assert deck.slides[0].paragraphs[0].text == f"Voortgang {JAAR}"
    programma = deck.slides[1].table
    assert [row[0].text for row in programma.rows] == [f"{l.nummer}. {l.naam}" for l in programme.lijnen]
    assert sum(row[1].value for row in programma.rows) == 45
    assert all(slide.notes for slide in deck.slides)


def test_axis_slides_hold_the_engines_values_formatted_the_dutch_way(demo):
    programme = read_programme(demo)
    deck = deck_of(demo)
    for slide, axis in zip(deck.slides[2:6], AXIS_NAMES):
        names = [row[0].text for row in slide.table.rows]
        assert names == [k.naam for k in CATALOGUE.values() if k.as_ == axis]
        for naam, value, target, state in slide.table.rows:
            kpi = BY_NAME[naam.text]
            row = engine_total(demo, kpi.id, JAAR)
            assert not row.suppressed and value.value == pytest.approx(row.value)
            assert re.fullmatch(DUTCH[kpi.eenheid], value.text), (kpi.id, value.text)
            indicator = programme.indicator_for_kpi(kpi.id)
            assert target.value == indicator.streefwaarden[JAAR]
            assert re.fullmatch(DUTCH[kpi.eenheid], target.text)
            nul = indicator.nulmeting[1] if indicator.nulmeting else None
            assert state.status == status(row.value, target.value, kpi.richting, nul)
        for note, kpi_name in zip(slide.notes[1:], names):  # the first note is about the chart
            kpi = BY_NAME[kpi_name]
            assert note.startswith(kpi.naam) and f"dan {JAAR - 1}" in note and "status" in note
            assert kpi.definitie.split(". ")[0] in note


def test_doelstelling_rows_are_its_indicators_with_their_realisatie(demo):
    programme = read_programme(demo)
    deck = deck_of(demo)
    for doel, slide in zip(programme.doelstellingen, deck.slides[6:]):
        assert [row[0].text for row in slide.table.rows] == [i.naam for i in doel.indicatoren]
        for ind, row in zip(doel.indicatoren, slide.table.rows):
            expected = (engine_total(demo, ind.kpi_id, JAAR).value if ind.is_kpi
                        else ind.realisaties.get(str(JAAR)))
            assert row[1].value == pytest.approx(expected)
            assert row[1].text == ("–" if expected is None else fmt.value(expected, ind.eenheid))


def test_axis_charts_share_one_unit(demo):
    deck = deck_of(demo)
    kwaliteit, _, kosten, _ = deck.slides[2:6]
    assert kwaliteit.chart.kind == "staaf" and kwaliteit.chart.eenheid == "%"
    assert kwaliteit.chart.categories == tuple(short_name(k.naam) for k in CATALOGUE.values()
                                               if k.as_ == "kwaliteit" and k.eenheid == "%")
    assert kosten.chart.kind == "lijn" and kosten.chart.categories == tuple(str(y) for y in range(2019, JAAR + 1))


# --- the PowerPoint file --------------------------------------------------------------------

def open_pptx(content: bytes):
    return Presentation(io.BytesIO(content))


def tables_of(page):
    return [shape.table for shape in page.shapes if shape.has_table]


def charts_of(page):
    return [shape.chart for shape in page.shapes if shape.has_chart]


def texts_of(page) -> list[str]:
    return [shape.text_frame.text for shape in page.shapes if shape.has_text_frame]


def test_pptx_has_the_slides_titles_tables_charts_notes_and_footer(demo):
    deck = deck_of(demo)
    prs = open_pptx(render(deck))
    assert Emu(prs.slide_width).inches / Emu(prs.slide_height).inches == pytest.approx(16 / 9, abs=0.01)
    pages = list(prs.slides)
    assert [page.shapes.title.text for page in pages] == [slide.title for slide in deck.slides]
    for number, (page, slide) in enumerate(zip(pages, deck.slides), start=1):
        assert deck.footer in texts_of(page) and f"Dia {number} van 13" in texts_of(page)
        assert page.has_notes_slide and page.notes_slide.notes_text_frame.text == "\n".join(slide.notes)
        if slide.table:
            (table,) = tables_of(page)
            assert [table.cell(0, c).text for c in range(len(slide.table.columns))] == \
                   [c.label for c in slide.table.columns]
            shown = [[table.cell(r, c).text for c in range(len(slide.table.columns))]
                     for r in range(1, len(slide.table.rows) + 1)]
            for row, cells in zip(shown, slide.table.rows):  # a status reads symbol + word
                assert [text.endswith(cell.text) for text, cell in zip(row, cells)] == [True] * len(row)
                assert row[:3] == [cell.text for cell in cells[:3]]
    assert all(len(charts_of(page)) == 1 for page in pages[2:6])  # every axis slide has a native chart


def test_pptx_charts_hold_the_engines_values_with_dutch_number_formats(demo):
    prs = open_pptx(render(deck_of(demo)))
    pages = list(prs.slides)
    (bars,) = charts_of(pages[2])
    plot = bars.plots[0]
    names = {short_name(k.naam): k for k in CATALOGUE.values()}
    realised, target = plot.series
    for index, category in enumerate(plot.categories):
        kpi = names[category]
        assert realised.values[index] == pytest.approx(engine_total(demo, kpi.id, JAAR).value)
        assert target.values[index] == read_programme(demo).indicator_for_kpi(kpi.id).streefwaarden[JAAR]
    assert '<c:formatCode>#,##0.0"%"</c:formatCode>' in bars.part.blob.decode()  # 12,3% in Dutch Office
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
    assert row[3].text == "afgeschermd" and row[3].status is None  # not "geen streefwaarde": there is one
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
    doelstelling_cells = [cell.text for slide in deck.slides[6:] for row in slide.table.rows for cell in row]
    assert "<3" in doelstelling_cells


# --- serving -------------------------------------------------------------------------------

@pytest.fixture
def server(demo, tmp_path):
    """The app, its runtime pointed at the demonstration warehouse of this backend."""
    import dash

    import app as app_module
    from data.db import make_engine, migrate
    from dashboard import runtime

    empty = make_engine(f"sqlite:///{tmp_path / 'leeg.db'}")
    migrate(empty)
    empty.dispose()
    flask_server = app_module.create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'leeg.db'}"}).server
    runtime.configure(demo, public_read=True)
    yield flask_server
    runtime.reset()
    dash.page_registry.clear()


def test_route_serves_the_pptx_and_refuses_a_bad_year(server):
    client = server.test_client()
    response = client.get(f"/export/presentatie.pptx?jaar={JAAR}")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    assert f'filename="jeugdmonitor_presentatie_{JAAR}.pptx"' in response.headers["Content-Disposition"]
    assert len(open_pptx(response.data).slides) == 13
    assert client.get("/export/presentatie.pptx").status_code == 200  # the default year
    for bad, words in (("abc", "geen jaartal"), ("1999", "niet beschikbaar"), ("20255", "geen jaartal")):
        refused = client.get(f"/export/presentatie.pptx?jaar={bad}")
        assert refused.status_code == 400 and words in refused.get_data(as_text=True)


def test_overview_links_to_the_presentation_and_the_pptx(server):
    from dashboard.pages import overzicht

    page = str(overzicht.layout(jaar=str(JAAR)))
    assert f"/presentatie?dia=1&jaar={JAAR}" in page and "Presentatie starten" in page
    assert f"/export/presentatie.pptx?jaar={JAAR}" in page and "Download als PowerPoint" in page


# --- the command line ----------------------------------------------------------------------

@pytest.fixture
def demo_url(backend_url):
    from data.db import make_engine, migrate

    engine = make_engine(backend_url)
    migrate(engine)
    load_demo(engine)
    load_programme(engine)
    engine.dispose()
    return backend_url


def test_cli_writes_the_presentation(demo_url, tmp_path, capsys):
    out = tmp_path / "presentatie.pptx"
    assert cli_main(["--jaar", str(JAAR), "--uit", str(out), "--db", demo_url]) == 0
    assert "presentatie geschreven" in capsys.readouterr().out
    prs = open_pptx(out.read_bytes())
    assert prs.slides[2].shapes.title.text == f"Kwaliteit {JAAR}"


@pytest.mark.parametrize("args, words", [
    (["--jaar", "abc"], "geen jaartal"),
    (["--jaar", "1990"], "niet beschikbaar"),
    (["--uit", "presentatie.txt"], "moet eindigen op .pptx"),
    (["--uit", "/bestaat/niet/p.pptx"], "bestaat niet"),
    (["--db", "mysql://x@y/z"], "wordt niet ondersteund"),
    (["--onbekend", "x"], "onbekend argument"),
])
def test_cli_bad_input_is_exit_2_with_a_dutch_message(tmp_path, capsys, args, words):
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
    done = subprocess.run([sys.executable, "-m", "dashboard.slides_pptx", "--jaar", str(JAAR), "--uit",
                           str(tmp_path / "p.pptx"), "--db", "postgresql://nobody@127.0.0.1:1/geen?connect_timeout=2"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr.startswith("fout: de database is niet bereikbaar") and "Traceback" not in done.stderr
    assert not (tmp_path / "p.pptx").exists()


# --- table layout ---------------------------------------------------------------------------

def _table(rows: int, name: str):
    from dashboard.slides import Cell, Column, Table

    return Table((Column("Indicator"), Column("2025", numeric=True), Column("Status")),
                 tuple((Cell(f"{name} {i}"), Cell("1.234", 1234, kind="number"), Cell("Achter", kind="status"))
                       for i in range(rows)))


def test_table_type_is_as_large_as_fits():
    from dashboard.slide_layout import fit_table

    short = fit_table(_table(3, "Jeugdigen met jeugdhulp"), 12.1, 5.25)
    long = fit_table(_table(14, "Ingebrachte lokale inkoopwensen verwerkt in de inkoopstrategie van de regio"), 12.1, 5.25)
    assert short.size == 24 and long.size < short.size
    for fit in (short, long):
        assert sum(fit.widths) == pytest.approx(12.1) and sum(fit.heights) <= 5.25 + 1e-9


def test_html_slide_renders_the_same_model(server, demo):
    from dashboard.pages import presentatie

    slide = deck_of(demo).slides[2]
    page = str(presentatie.layout(dia="3", jaar=str(JAAR)))
    assert f"'{slide.title}'" in page and "data-dia-totaal='13'" in page
    for row in slide.table.rows:
        assert f"'{row[0].text}'" in page and f"'{row[1].text}'" in page and f"'{row[2].text}'" in page
