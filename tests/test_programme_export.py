"""The programme's indicator table as CSV and Excel: the engine's values, `<10` where suppressed,
manual figures only once vastgesteld; the routes answer files and refuse a bad year."""
from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from dashboard.exports.programme_export import programme_table, to_csv, to_xlsx
from dashboard.programme.progress import indicator_values, read_programme
from data.accounts.users import User
from data.programme.edits import lock_period, set_realisatie
from data.warehouse.demo import load_demo
from kpi import privacy
from kpi.service import KpiService
from tests.conftest import shared_demo
from tests.demo_files import demo_copy
from tests.test_export_answers import assert_refusal_page

JAAR = 2025
MANAGER = User(0, "pm", "Programmamanager", "programmamanager", frozenset())


@pytest.fixture
def demo(request, backend):
    return shared_demo(request)


def csv_rows(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8")
    assert text.startswith("\ufeff")
    return [r for r in csv.reader(io.StringIO(text[1:]), delimiter=";") if r and not r[0].startswith("#")]


def column(header, name):
    return header.index(name)


def header_row(sheet) -> int:
    """The table's header: the row above the frozen pane (the title and context lines are above it)."""
    return int(re.fullmatch(r"A(\d+)", sheet.freeze_panes)[1]) - 1


def test_table_holds_the_engines_values_and_only_vastgestelde_manual_figures(demo):
    service = KpiService(demo)
    set_realisatie(demo, MANAGER, "H01", "2025", "512,5", 1)  # a manual figure (the plan has one), quarter open
    table = programme_table(service, read_programme(demo, vastgesteld_only=True), JAAR)
    rows = {r[2]: r for r in table.rows}
    k11 = read_programme(demo).indicators["K11"]
    expected = indicator_values(service, k11, range(2024, JAAR + 1))[-1]
    assert rows["K11"][column(table.header, "Realisatie 2025")] == expected.waarde
    assert rows["K11"][column(table.header, "Streefwaarde 2025")] == k11.streefwaarden[2025]
    assert rows["K11"][column(table.header, "Status 2025")] == expected.status.label
    assert rows["H01"][column(table.header, "Realisatie 2025")] == ""  # not vastgesteld yet

    lock_period(demo, MANAGER, "2025-Q4")
    service.invalidate()
    locked = {r[2]: r for r in programme_table(service, read_programme(demo, vastgesteld_only=True), JAAR).rows}
    assert locked["H01"][column(table.header, "Realisatie 2025")] == 512.5

    header, *body = csv_rows(to_csv(table))
    assert header == table.header
    k11_line = next(r for r in body if r[2] == "K11")
    assert k11_line[column(header, "Streefwaarde 2025")] == f"{k11.streefwaarden[2025]:.1f}".replace(".", ",")
    sheet = load_workbook(io.BytesIO(to_xlsx(table)))["Indicatoren"]
    assert [c.value for c in sheet[header_row(sheet)]] == table.header
    assert load_workbook(io.BytesIO(to_xlsx(table)))["Toelichting"]["A1"].value == "Inhoud"


def test_a_suppressed_value_is_below_threshold_in_every_format(demo, monkeypatch):
    monkeypatch.setenv("MIN_CELL_SIZE", "100000")  # every count-based value is now a small number
    table = programme_table(KpiService(demo), read_programme(demo, vastgesteld_only=True), JAAR)
    k01 = next(r for r in table.rows if r[2] == "K01")
    assert k01[column(table.header, "Realisatie 2025")] == "<100000"
    assert "<100000" in next(r for r in csv_rows(to_csv(table)) if r[2] == "K01")
    sheet = load_workbook(io.BytesIO(to_xlsx(table)))["Indicatoren"]
    assert "<100000" in [c.value for row in sheet.iter_rows() for c in row]


UNIT_FORMATS = {"aantal": "[$-413]#,##0", "dagen": "[$-413]#,##0", "€": '[$-413]"€ "#,##0;[$-413]"€ -"#,##0',
                "%": '[$-413]#,##0.0"%"', "cijfer": "[$-413]#,##0.0", "aantal per 1.000": "[$-413]#,##0.0"}


def test_xlsx_is_a_sheet_a_person_can_work_in_and_print(demo):
    table = programme_table(KpiService(demo), read_programme(demo, vastgesteld_only=True), JAAR)
    sheet = load_workbook(io.BytesIO(to_xlsx(table)))["Indicatoren"]
    first = header_row(sheet)
    title = f"Programmaplan Jeugd – realisatie en streefwaarden {JAAR}"
    assert sheet["A1"].value == title
    context = {r[0]: r[1] for r in sheet.iter_rows(min_row=2, max_row=first - 1, values_only=True) if r[0]}
    assert context["Statusjaar"] == str(JAAR) and "gegevens t/m" in context["Bron"]

    # every number in a value column carries the format of its row's unit (the unit is in the row)
    units = {row[5] for row in table.rows}
    assert {"aantal", "%", "€", "dagen", "cijfer"} <= units
    value_columns = [i for i, name in enumerate(table.header)
                     if name == "Nulmeting" or name.startswith(("Realisatie", "Streefwaarde"))]
    seen = set()
    for offset, row in enumerate(table.rows):
        for c in value_columns:
            cell = sheet.cell(first + 1 + offset, c + 1)
            if isinstance(row[c], (int, float)):
                assert cell.value == pytest.approx(row[c], rel=1e-12)  # the number itself: only what is shown is rounded
                assert cell.number_format == UNIT_FORMATS[row[5]], (row[2], table.header[c], cell.number_format)
                seen.add(row[5])
    assert seen == units

    # headers wrap and every column has a width; the header row is frozen and carries a filter
    assert all(sheet.cell(first, c).alignment.wrap_text for c in range(1, len(table.header) + 1))
    for c, name in enumerate(table.header, start=1):
        width = sheet.column_dimensions[sheet.cell(first, c).column_letter].width
        assert width >= max(len(word) for word in name.split()), name
    assert sheet.freeze_panes == f"A{first + 1}"
    assert sheet.auto_filter.ref == f"A{first}:U{first + len(table.rows)}"

    # print setup: landscape A4 at a readable size (22 columns fitted to one page wide printed at 37%,
    # 4-point type): pages side by side, each with the header row and the indicator's code and name;
    # the title and context on a page of their own, so no repeated column shows them cut
    setup = sheet.page_setup
    assert (setup.orientation, setup.paperSize) == ("landscape", 9)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is False and setup.scale >= 80
    assert sheet.print_title_rows == f"${first}:${first}"
    assert sheet.print_title_cols == "$C:$D"
    assert [c.value for c in sheet[first]][2:4] == ["Indicator", "Naam"]
    assert sheet.print_area == f"'Indicatoren'!$A$1:$G${first - 1},'Indicatoren'!$A${first}:$U${first + len(table.rows)}"
    assert sheet.oddHeader.center.text == title
    assert "&P" in sheet.oddFooter.right.text and "&N" in sheet.oddFooter.right.text


def test_csv_numbers_have_one_dutch_form(demo):
    """No thousands separator anywhere, a decimal comma: `1150` and `13,5431`, never `1.150` beside `1183`."""
    table = programme_table(KpiService(demo), read_programme(demo, vastgesteld_only=True), JAAR)
    header, *body = csv_rows(to_csv(table))
    k01 = next(r for r in body if r[2] == "K01")
    assert k01[column(header, "Nulmeting")] == "1185"
    numbers = [cell for row in body for cell in row[6:-3] if cell and not cell.startswith("<")]
    assert numbers and all(re.fullmatch(r"-?\d+(,\d{1,4})?", cell) for cell in numbers), \
        [c for c in numbers if not re.fullmatch(r"-?\d+(,\d{1,4})?", c)]
    assert any("," in cell for cell in numbers) and any(len(cell) > 4 for cell in numbers)


def test_routes_serve_csv_and_excel_and_refuse_a_bad_year(tmp_path, app_module):
    from dashboard.server import runtime
    from data.db import make_engine

    url = demo_copy(tmp_path / "w.db")
    engine = make_engine(url)
    client = app_module.create_app({"DATABASE_URL": url, "PUBLIC_READ": "1"}).server.test_client()
    try:
        answer = client.get(f"/export/programma.csv?jaar={JAAR}")
        assert answer.status_code == 200 and answer.mimetype == "text/csv"
        assert f"jeugdmonitor_programma_{JAAR}.csv" in answer.headers["Content-Disposition"]
        assert client.get(f"/export/programma.xlsx?jaar={JAAR}").data[:2] == b"PK"
        assert_refusal_page(client.get("/export/programma.csv?jaar=1990"), 400,
                            "Ongeldig jaar '1990': kies een jaar van 2019 tot en met 2026.")
        runtime.current().public_read = False
        assert client.get(f"/export/programma.csv?jaar={JAAR}").status_code == 401
    finally:
        engine.dispose()


# --- a vastgestelde stand's table --------------------------------------------------------------

def test_a_stands_table_keeps_its_figures_and_says_so(tmp_path, app_module):
    """/export/programma.csv|xlsx?stand=ID: the stand's frozen figures, labelled, however the data
    and the streefwaarden change afterwards; an unknown stand is a 404, a stand that did not record
    the table a 409 — both a Dutch page, never live figures."""
    from sqlalchemy import update

    from dashboard.programme import stand_freeze
    from dashboard.programme.overview import overview_cards
    from dashboard.server import runtime, stand_view
    from data import schema as s
    from data.db import make_engine

    url = demo_copy(tmp_path / "w.db")
    engine = make_engine(url)
    client = app_module.create_app({"DATABASE_URL": url, "PUBLIC_READ": "1"}).server.test_client()
    try:
        assert stand_view.freeze_stand(MANAGER, "12-11-2025", "Commissie", 2025).ok
        stand_id = stand_freeze.list_snapshots(engine)[0].id
        frozen_csv = client.get(f"/export/programma.csv?stand={stand_id}")
        frozen_xlsx = client.get(f"/export/programma.xlsx?stand={stand_id}")
        live_before = client.get("/export/programma.csv?jaar=2025")
        assert frozen_csv.status_code == frozen_xlsx.status_code == 200
        lines = frozen_csv.get_data().decode("utf-8").lstrip("\ufeff").splitlines()
        assert lines[0] == "# Stand;Stand per 12 november 2025 — Commissie"
        assert f'# Kleine aantallen;"{privacy.small_numbers_line(10)}"' in lines  # the stand's own line
        assert "stand_2025-11-12" in frozen_csv.headers["Content-Disposition"]
        assert csv_rows(frozen_csv.data) == csv_rows(live_before.data)  # frozen = what was live then
        book = load_workbook(io.BytesIO(frozen_xlsx.data))
        assert book["Indicatoren"]["A2"].value == "Stand" and \
            book["Indicatoren"]["B2"].value == "Stand per 12 november 2025 — Commissie"
        assert book["Indicatoren"].oddFooter.left.text == "Stand per 12 november 2025 — Commissie"

        # new data and another streefwaarde: the live table moves, the stand's does not
        with engine.begin() as conn:
            conn.execute(update(s.Streefwaarde).where(s.Streefwaarde.jaar == 2025, s.Streefwaarde.soort != "nulmeting")
                         .values(waarde=s.Streefwaarde.waarde + 7))
        load_demo(engine, seed=2031)
        runtime.service().invalidate()
        live_after = client.get("/export/programma.csv?jaar=2025")
        assert csv_rows(live_after.data) != csv_rows(live_before.data)
        assert client.get(f"/export/programma.csv?stand={stand_id}").data == frozen_csv.data
        again = load_workbook(io.BytesIO(client.get(f"/export/programma.xlsx?stand={stand_id}").data))
        assert list(again["Indicatoren"].values) == list(book["Indicatoren"].values)

        assert_refusal_page(client.get("/export/programma.xlsx?stand=999"), 404, "Stand 999 bestaat niet (meer).")

        # a stand that recorded the overview only (as one made before the table was part of a stand)
        older = stand_freeze.freeze(engine, runtime.service(), 2025, "10-11-2025", "Oudere stand", MANAGER,
                                 [lambda service, programme: overview_cards(service, 2025, programme)],
                                 programme_reader=lambda e: read_programme(e, vastgesteld_only=True))
        refused = client.get(f"/export/programma.csv?stand={older}")
        page = refused.get_data(as_text=True)
        assert_refusal_page(refused, 409, page.split('id="foutmelding">')[1].split("</p>")[0])
        assert "stand per 10 november 2025 — Oudere stand is vastgelegd voordat de tabel" in page
        assert f'href="/?stand={older}"' in page and "K01" not in page
    finally:
        engine.dispose()


def test_a_year_before_the_programme_has_a_table_without_realisaties(demo):
    """The data start in 2019, the programme in 2024: a table of 2019 (a year the export takes; the
    page offers the programme's years) has every indicator and its targets, and no realisatie yet —
    not an error (a fuzzed 500)."""
    table = programme_table(KpiService(demo), read_programme(demo, vastgesteld_only=True), 2019)
    assert len(table.rows) == 46
    realisatie = [i for i, name in enumerate(table.header) if name.startswith("Realisatie")]
    assert all(row[i] in ("", None) for row in table.rows for i in realisatie)


def _text(component) -> str:
    """A Dash component's text as the screen shows it (icons have none)."""
    if component is None:
        return ""
    if isinstance(component, (str, int, float)):
        return str(component)
    children = getattr(component, "children", None)
    return "".join(_text(c) for c in (children if isinstance(children, list) else [children]))


def screen_statuses(service, programme, jaar: int) -> dict[str, str]:
    """{indicator name: the status cell of the programme page's indicator table} for `jaar`."""
    from dashboard.ui.programme_view import indicator_table

    indicators = [ind for lijn in programme.lijnen for ind in lijn.all_indicators()]
    table = indicator_table(service, indicators, jaar, "Indicatoren", programme.plan)
    body = table.children[2].children
    return {_text(row.children[0].children[0]): _text(row.children[3]).strip() for row in body}


@pytest.mark.parametrize("jaar", [JAAR, 2019])
def test_the_status_reads_as_on_the_programme_page_in_every_format(demo, jaar):
    """No status, no empty cell: the reason the page shows ("geen realisatie" for H03, "volgperiode
    loopt nog" for K05 in 2025), in the table, the CSV and the XLSX alike — also in a year before the
    programme (the export takes every year of the data, 2019 on)."""
    service = KpiService(demo)
    programme = read_programme(demo, vastgesteld_only=True)
    table = programme_table(service, programme, jaar)
    status = column(table.header, f"Status {jaar}")
    shown = {row[3]: row[status] for row in table.rows}
    assert len(shown) == len(table.rows) and shown == screen_statuses(service, programme, jaar)
    assert all(shown.values())
    if jaar == JAAR:
        codes = {row[2]: row[status] for row in table.rows}
        assert codes["H03"] == "geen realisatie" and codes["K05"] == "volgperiode loopt nog"
        assert codes["K11"] == "Op koers"
    header, *body = csv_rows(to_csv(table))
    assert {row[3]: row[status] for row in body} == shown
    sheet = load_workbook(io.BytesIO(to_xlsx(table)))["Indicatoren"]
    first = header_row(sheet)
    cells = sheet.iter_rows(min_row=first + 1, max_row=first + len(table.rows), values_only=True)
    assert {row[3]: row[status] for row in cells} == shown


def test_a_moved_target_says_the_plans_in_every_export(demo):
    """A streefwaarde moved since the plan (with a reason) is not shown as if it were the plan's:
    the overview card, the report's KPI line, the presentation's axis table and the programme table
    all say "(was …)", as the programme page does."""
    from dashboard.exports.report_content import kpi_line
    from dashboard.exports.slides import build_deck
    from dashboard.programme.overview import overview_cards
    from data.programme.edits import set_streefwaarde
    from data.programme.target_rows import target_versions
    from kpi import format as fmt

    programme = read_programme(demo)
    ind = next(i for i in programme.indicators.values() if i.is_kpi and 2025 in i.streefwaarden
               and i.eenheid == "dagen")
    old = ind.streefwaarden[2025]
    with demo.connect() as conn:
        version = target_versions(conn)[(ind.code, 2025, "streefwaarde")]
    set_streefwaarde(demo, MANAGER, ind.code, 2025, str(old + 40), version, reden="bijgesteld")
    moved = f"{fmt.value(old + 40, 'dagen')} (was {fmt.value(old, 'dagen')})"

    service = KpiService(demo)
    programme = read_programme(demo, vastgesteld_only=True)
    card = next(c for band in overview_cards(service, 2025, programme).values() for c in band
                if c.kpi.id == ind.kpi_id)
    assert card.target_text == f"streefwaarde 2025: {moved}"
    assert kpi_line(card).streefwaarde == moved
    cells = [cell.text for s in build_deck(service, programme, 2025).slides if s.table
             for row in s.table.rows for cell in row]
    assert moved in cells
    table = programme_table(service, programme, 2025)
    row = next(r for r in table.rows if r[2] == ind.code)
    assert table.header[-1] == "Bijgestelde streefwaarden" and row[-1] == f"2025: {moved}"
    assert all(r[-1] == "" for r in table.rows if r[2] != ind.code)


def test_the_running_years_realisatie_says_how_far_it_reaches(demo):
    """The demo's data end on 30 September 2026: the table's 2026 column is "Realisatie 2026 (t/m
    september)", as the screens say, not a number that reads as the whole year's; the presentation's
    tables of 2026 name their column so too."""
    from dashboard.exports.slides import build_deck

    service, programme = KpiService(demo), read_programme(demo, vastgesteld_only=True)
    header = programme_table(service, programme, 2026).header
    assert "Realisatie 2026 (t/m september)" in header and "Realisatie 2025" in header
    assert "Streefwaarde 2026" in header
    kinds = ("as", "doelstelling")  # a doelstelling's indicators too, not "2026" alone
    running = build_deck(service, programme, 2026).slides  # once: a deck of 2026 builds its forecast too
    tables = [s.table for s in running if s.kind in kinds and s.table]
    assert {s.kind for s in running if s.table} >= set(kinds)
    assert tables and all(t.columns[1].label == "2026 (t/m september)" for t in tables)
    assert all(t.columns[1].label == "2025" for s in build_deck(service, programme, 2025).slides
               if s.kind in kinds and (t := s.table))
