"""History shown truthfully: a past year's report shows each maatregel's status as it stood at the
end of that year (its last reported quarter, the raad's last vastgestelde one), labelled with that
quarter and with the trekker's toelichting, never today's status; a year without a report says so;
and a manual indicator with only quarter values shows the latest, labelled, without judging it
against the year's target."""
from __future__ import annotations

import shutil
import subprocess

import flask
import pytest
from flask import g

from dashboard.exports.programme_export import programme_table
from dashboard.exports.report_content import build_report
from dashboard.exports.slides import programme_slide
from dashboard.pages import programma_lijn
from dashboard.programme.progress import (
    IndicatorView,
    indicator_values,
    latest_part_of_year,
    maatregel_stand,
    read_programme,
    realisatie_text,
    stand_counts_text,
)
from dashboard.programme.status import GEEN_JAARWAARDE
from dashboard.server import runtime
from dashboard.ui.programme_summary import summary
from data.programme.edits import lock_period, set_voortgang
from kpi.service import KpiService
from tests.beheer_support import ANNA, MANAGER, RAAD, programme
from tests.test_standen import texts

__all__ = ["programme"]

VOORTGANG = {"2025-Q2": ("vertraagd", "Aanbesteding duurt langer."),
             "2025-Q4": ("op_schema", "Tweede locatie open; evaluatie in voorbereiding."),
             "2026-Q2": ("afgerond", "Afgerond en geëvalueerd.")}


# --- the pure rule --------------------------------------------------------------------------

def test_a_years_status_is_that_of_its_last_reported_quarter_with_that_quarter_and_toelichting():
    stand = maatregel_stand(VOORTGANG, 2025, "nog_niet_gestart")
    assert (stand.status, stand.periode, stand.toelichting) == (
        "op_schema", "2025-Q4", "Tweede locatie open; evaluatie in voorbereiding.")
    assert stand.text == "Op schema (status K4 2025)"
    assert maatregel_stand(VOORTGANG, 2026, "nog_niet_gestart").text == "Afgerond (status K2 2026)"


def test_a_year_without_a_report_says_so_and_never_borrows_another_years_status():
    later_only = {"2026-Q1": ("afgerond", "Klaar.")}
    stand = maatregel_stand(later_only, 2025, "op_schema")
    assert stand.status is None and stand.code == "geen_voortgang"
    assert stand.text == "Geen voortgang gemeld over 2025 (in het plan: op schema)"
    assert "fgerond" not in stand.text
    assert (maatregel_stand(VOORTGANG, 2027, "op_schema").text
            == "Geen voortgang gemeld over 2027 (laatst gemeld K2 2026: afgerond)")


def test_a_stand_frozen_before_quarters_were_kept_says_its_status_is_from_the_freeze():
    assert maatregel_stand(None, 2025, "vertraagd").text == "Vertraagd (stand bij het vastleggen)"


def test_counts_per_year_name_the_maatregelen_without_a_report():
    stands = [maatregel_stand(VOORTGANG, 2025, "op_schema"), maatregel_stand({}, 2025, "op_schema"),
              maatregel_stand({"2025-Q1": ("vertraagd", None)}, 2025, "op_schema")]
    assert stand_counts_text(stands) == "1 op schema, 1 vertraagd, 1 zonder voortgang over 2025"


def test_a_quarter_value_without_a_year_value_is_shown_labelled_and_not_judged():
    ind = IndicatorView(1, "H01", "Bereik", "proces", None, "aantal", "hoger_beter", None, "L1", "L1.1",
                        streefwaarden={2026: 100.0}, realisaties={"2026-Q1": 4.0, "2026-Q3": 14.0, "2026-08": 9.0})
    assert latest_part_of_year(ind.realisaties, 2026) == ("2026-Q3", 14.0)
    [year] = indicator_values(None, ind, range(2026, 2027))
    assert year.waarde is None and year.status is None  # 14 in K3 is not the year's 100 missed
    assert year.deelwaarde == ("2026-Q3", 14.0) and year.reden == GEEN_JAARWAARDE
    assert realisatie_text(ind.eenheid, year, 10) == "K3 2026: 14"
    ind.realisaties["2026"] = 120.0  # a year value wins, and is judged
    [year] = indicator_values(None, ind, range(2026, 2027))
    assert (year.waarde, year.deelwaarde, year.status.code) == (120.0, None, "op_koers")
    assert realisatie_text(ind.eenheid, year, 10) == "120"


# --- from the database, for each viewer -------------------------------------------------------

def report_history(engine) -> None:
    """L1.1: 2025-Q4 op schema (vastgesteld), 2026-Q1 afgerond (vastgesteld), 2026-Q2 vertraagd (open).
    L1.4: reported over 2026 only."""
    set_voortgang(engine, ANNA, "L1.1", "2025-Q3", "vertraagd", "Personeelstekort.", None)
    set_voortgang(engine, ANNA, "L1.1", "2025-Q4", "op_schema", "Tweede locatie open.", None)
    set_voortgang(engine, ANNA, "L1.1", "2026-Q1", "afgerond", "Opgenomen in de reguliere uitvoering.", None)
    set_voortgang(engine, ANNA, "L1.1", "2026-Q2", "vertraagd", "Nieuwe aanbesteding.", None)
    set_voortgang(engine, ANNA, "L1.4", "2026-Q1", "afgerond", "Handhavingsplan vastgesteld.", None)
    for periode in ("2025-Q3", "2025-Q4", "2026-Q1"):
        lock_period(engine, MANAGER, periode)


def test_the_raad_reads_a_past_years_status_from_its_last_vastgestelde_quarter(programme):
    report_history(programme)
    raad = {m.code: m for lijn in read_programme(programme, vastgesteld_only=True).lijnen for m in lijn.maatregelen}
    assert raad["L1.1"].stand(2025).text == "Op schema (status K4 2025)"
    assert raad["L1.1"].stand(2025).toelichting == "Tweede locatie open."
    assert raad["L1.1"].stand(2026).text == "Afgerond (status K1 2026)"   # K2 is not vastgesteld
    assert raad["L1.4"].stand(2025).status is None
    staff = {m.code: m for lijn in read_programme(programme).lijnen for m in lijn.maatregelen}
    assert staff["L1.1"].stand(2026).text == "Vertraagd (status K2 2026)"  # the open quarter, for the staff
    assert staff["L1.1"].stand(2025).text == "Op schema (status K4 2025)"


def test_every_summary_and_export_of_2025_shows_2025s_status(programme):
    report_history(programme)
    view = read_programme(programme, vastgesteld_only=True)
    lijn = view.lijn("L1")
    slide = programme_slide(view, 2025)
    first = slide.table.rows[0][2].text
    assert "1 op schema" in first and "afgerond" not in first and "zonder voortgang over 2025" in first
    assert "1 op schema" in summary(view.lijnen, {}, 2025).maatregel_text(2025)
    table = programme_table(KpiService(programme), view, 2025)
    column = table.header.index("Status maatregel 2025")
    by_code = {row[2]: row for row in table.rows}
    assert by_code["H01"][column] == "Op schema (status K4 2025)"   # H01 measures L1.1
    assert by_code["H03"][column].startswith("Geen voortgang gemeld over 2025")  # H03 measures L1.4
    assert lijn.maatregelen[0].stand(2025).status == "op_schema"


def test_the_lijn_page_shows_the_years_status_its_quarter_and_the_toelichting(programme):
    report_history(programme)
    runtime.configure(programme)
    try:
        app = flask.Flask(__name__)
        app.secret_key = "test"
        with app.test_request_context("/programma/L1"):
            g.jm_user = RAAD
            view = read_programme(programme, vastgesteld_only=True)
            parts = programma_lijn.maatregel_progress(view.lijn("L1").maatregelen[0], 2025)
    finally:
        runtime.reset()
    words = " ".join(texts(parts))
    assert "Status 2025:" in words and "Op schema" in words and "status K4 2025" in words
    assert "Toelichting K4 2025:" in words and "Tweede locatie open." in words
    assert "Afgerond" in words  # in the folded list of every vastgestelde quarter, with its own quarter
    assert "Nieuwe aanbesteding." not in words  # K2 2026 is not vastgesteld: not the raad's
    assert any("user-text" in (getattr(c, "className", "") or "") for c in _walk(parts)
               if "Tweede locatie open." in texts(c))


def _walk(node):
    if isinstance(node, (list, tuple)):
        for item in node:
            yield from _walk(item)
    elif hasattr(node, "children"):
        yield node
        yield from _walk(node.children)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_the_2025_report_shows_the_status_of_k4_2025_with_its_toelichting(tmp_path):
    from dashboard.exports.report_pdf import report_pdf
    from data.db import make_engine
    from tests.demo_files import demo_copy

    engine = make_engine(demo_copy(tmp_path / "demo.db"))
    try:
        report_history(engine)
        view = read_programme(engine, vastgesteld_only=True)
        content = build_report(KpiService(engine), view, 2025)
        [line] = [m for lijn in content.lijnen for m in lijn.maatregelen if m.nummer == "1.1"]
        assert (line.status, line.wanneer, line.toelichting) == ("Op schema", "status K4 2025", "Tweede locatie open.")
        pdf = tmp_path / "rapport.pdf"
        pdf.write_bytes(report_pdf(KpiService(engine), view, 2025))
    finally:
        engine.dispose()
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    lijn_1 = text[text.index("Maatregelen van lijn 1"):text.index("Maatregelen van lijn 2")]
    assert "status K4 2025" in lijn_1 and "Tweede locatie open." in lijn_1
    assert "Geen voortgang gemeld over 2025" in lijn_1     # L1.4 reported over 2026 only
    assert "Opgenomen in de reguliere" not in lijn_1       # 2026's toelichting is not 2025's

