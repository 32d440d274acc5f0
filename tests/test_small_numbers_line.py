"""The small-number line says what it covers: the KPIs computed from the jeugdhulp registration
are shown as `<10` below 10 jeugdigen or answers; the programme's own figures (handmatige
indicatoren) are shown as entered and vastgesteld, however small. One sentence
(kpi.privacy.small_numbers_line), the same on the screens, in the PDF report, the PowerPoint and
the programme table (CSV, XLSX) — printed beside a manual count of 3 and beside a suppressed
rapportcijfer, so neither reads as a contradiction of it."""
from __future__ import annotations

import io
import re
import subprocess

import pytest
from openpyxl import load_workbook
from pptx import Presentation

from dashboard.exports import programme_export, slides_pptx
from dashboard.exports.report_pdf import report_pdf
from dashboard.exports.slides import build_deck
from dashboard.programme.overview import overview_cards
from dashboard.programme.progress import read_programme
from data.accounts.users import User
from data.db import make_engine
from data.programme.edits import lock_period, set_realisatie
from kpi import privacy
from kpi.service import KpiService
from tests.demo_files import demo_copy

MANAGER = User(0, "pm", "Programmamanager", "programmamanager", frozenset())
LINE = ("Cijfers die de Jeugdmonitor berekent uit de jeugdhulpregistratie (de KPI's) staan als <10 wanneer ze "
        "op minder dan 10 jeugdigen of antwoorden rusten; cijfers die het programma zelf invoert en vaststelt "
        "(handmatige indicatoren) staan zoals ze zijn ingevoerd, ook als ze kleiner zijn dan 10.")
JAAR = 2026  # the demonstration's gem_tevredenheid rests on fewer than 10 answers this year: "<10"
KAMERS = "Jongeren in een Kamer met Aandacht"  # H18, a manual count: 3 young people in 2025


@pytest.fixture(scope="module")
def raad(tmp_path_factory):
    """The demonstration warehouse with the manual count of H18 in 2025 entered (3) and
    vastgesteld: the service and the programme as the raad sees them."""
    engine = make_engine(demo_copy(tmp_path_factory.mktemp("kleine-aantallen") / "demo.db"))
    set_realisatie(engine, MANAGER, "H18", "2025", "3", 1)
    for periode in ("2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"):
        lock_period(engine, MANAGER, periode)
    yield KpiService(engine), read_programme(engine, vastgesteld_only=True)
    engine.dispose()


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_the_line_is_one_sentence_naming_what_it_covers():
    assert privacy.small_numbers_line(10) == LINE
    assert privacy.small_numbers_line(15).count("<15") == 1 and "kleiner zijn dan 15." in privacy.small_numbers_line(15)
    assert privacy.explain_suppression(10, with_manual=True).startswith(LINE)  # the screens' note begins with it
    # a view of KPIs only (explorer, cost growth, forecast) does not speak of manual figures
    kpis_only = privacy.explain_suppression(10)
    assert kpis_only.startswith(LINE.split(";")[0] + ".") and "handmatige" not in kpis_only
    assert "minder dan 10 jeugdigen of antwoorden" in privacy.suppressed_meaning(10)


def test_the_pdf_prints_the_line_beside_a_manual_count_and_a_suppressed_rapportcijfer(raad, tmp_path):
    service, programme = raad
    pdf = tmp_path / "rapport.pdf"
    pdf.write_bytes(report_pdf(service, programme, JAAR))
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    with_line = [i for i, page in enumerate(pages) if LINE in words(page)]
    assert len(with_line) >= 3  # the leeswijzer, the tables that need it, bijlage C
    assert "Een waarde als <10 is afgeschermd omdat hij op te weinig jeugdigen rust" not in words(" ".join(pages))
    # the rapportcijfer shown as <10 has the line on its own page, right under its table
    rapportcijfer = next(i for i, page in enumerate(pages) if re.search(r"Gemiddeld rapportcijfer cliënten\s+<10", page))
    assert rapportcijfer in with_line
    # the manual count 3 (vastgesteld) sits on a page that says why it is shown
    manual = next(i for i, page in enumerate(pages) if re.search(r"Jongeren in een Kamer met\s+3\s+3", page))
    assert manual in with_line


def test_the_programme_table_says_it_in_csv_and_xlsx(raad):
    service, programme = raad
    table = programme_export.programme_table(service, programme, JAAR)
    row = next(r for r in table.rows if r[3] == KAMERS)
    assert row[table.header.index("Realisatie 2025")] == 3  # the manual count, as entered
    assert dict(table.about)["Kleine aantallen"] == LINE
    csv_text = programme_export.to_csv(table).decode("utf-8-sig")
    assert f'# Kleine aantallen;"{LINE}"' in csv_text.splitlines()
    book = load_workbook(io.BytesIO(programme_export.to_xlsx(table)))
    for sheet in book:  # the sheet's context lines and the Toelichting sheet
        notes = {r[0].value: r[1].value for r in sheet.iter_rows() if len(r) > 1 and r[0].value == "Kleine aantallen"}
        assert notes == {"Kleine aantallen": LINE}, sheet.title


def slide_texts(page) -> str:
    parts = []
    for shape in page.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if shape.has_table:
            parts += [cell.text for row in shape.table.rows for cell in row.cells]
    return words(" ".join(parts))


def test_the_powerpoint_prints_the_line_on_the_slides_that_need_it(raad):
    service, programme = raad
    deck = Presentation(io.BytesIO(slides_pptx.render(build_deck(service, programme, 2025))))
    pages = list(deck.slides)
    assert LINE in words(pages[0].notes_slide.notes_text_frame.text)  # the title slide's notes
    kamers = next(p for p in pages if KAMERS in slide_texts(p))
    assert LINE in slide_texts(kamers)  # the manual 3 is on this slide, and the line at its foot

    later = Presentation(io.BytesIO(slides_pptx.render(build_deck(service, programme, JAAR))))
    tevredenheid = next(p for p in later.slides if slide_texts(p).startswith("Tevredenheid"))
    assert re.search(r"Gemiddeld rapportcijfer cliënten <10", slide_texts(tevredenheid))
    assert LINE in slide_texts(tevredenheid)


def test_a_suppressed_value_on_screen_says_what_it_means(raad):
    from dash import html

    from dashboard.pages.overzicht import kpi_card

    service, programme = raad
    cards = [c for axis in overview_cards(service, JAAR, programme).values() for c in axis]
    card = next(c for c in cards if c.kpi.id == "gem_tevredenheid")
    assert card.suppressed and card.value_text == "<10"

    def abbrs(component):
        if isinstance(component, html.Abbr):
            yield component
        children = getattr(component, "children", None)
        for child in children if isinstance(children, list) else [children]:
            if child is not None and not isinstance(child, str):
                yield from abbrs(child)

    found = list(abbrs(kpi_card(card, None)))
    assert [(a.children, a.title) for a in found] == [("<10", "afgeschermd: rust op minder dan 10 jeugdigen of antwoorden")]
