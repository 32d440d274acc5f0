"""CSV and Excel exports of a KPI result: the engine's numbers, suppression kept, context included
(above the data on the first sheet too), filters by their Dutch names, a sheet a person can work in."""
import datetime as dt
import io
import re

from openpyxl import load_workbook

from dashboard.exports.export_table import filename, source_text, to_csv, to_xlsx
from kpi import KpiRequest, compute, privacy
from kpi.result import KpiResult
from kpi.service import DataStatus
from tests import handmade_warehouse

Y = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))


def result(engine):
    handmade_warehouse.fill(engine)
    # per wijk: W1 3, W2 2, W3 1 → threshold 2 hides W3 (primary) and W2 (secondary); W1's 3 is
    # rounded to 5 (a detailed view)
    return compute(engine, KpiRequest("jeugdigen_met_jeugdhulp", *Y, by="wijk", min_cell_size=2))


def test_csv_is_dutch_excel_friendly(warehouse):
    text = to_csv(result(warehouse), DataStatus(None, dt.date(2026, 9, 30), "demonstratiegegevens (synthetisch, startgetal 1)")).decode("utf-8")
    assert text.startswith("\ufeff# KPI;Jeugdigen met jeugdhulp")
    assert "# Bron;Jeugdmonitor Huizen (demonstratiegegevens zijn synthetisch), gegevens t/m 30 september 2026" in text
    assert "# Periode;2025" in text and "# Definitie;" in text and "t/m 30 september 2026" in text
    lines = text.splitlines()
    header = lines.index("Wijk;Code;Waarde (aantal);n")
    assert lines[header + 1:] == ["Noord;W1;5;5", "Zuid;W2;<2;", "Dorp;W3;<2;"]
    assert any(line.startswith("# Afronding;\"Aantallen in een uitsplitsing") and "vijftallen" in line for line in lines)


def test_csv_decimal_comma(warehouse):
    handmade_warehouse.fill(warehouse)
    res = compute(warehouse, KpiRequest("kosten_per_jeugdige", *Y, suppress=False))
    assert to_csv(res).decode("utf-8").splitlines()[-1] == "Totaal;;570,125;2"


def header_row(sheet) -> int:
    """The table's header: the row above the frozen pane."""
    return int(re.fullmatch(r"A(\d+)", sheet.freeze_panes)[1]) - 1


def test_xlsx_opens_and_holds_values_and_context(warehouse):
    res = result(warehouse)
    book = load_workbook(io.BytesIO(to_xlsx(res)))
    sheet = book["Gegevens"]
    first = header_row(sheet)
    data = list(sheet.iter_rows(min_row=first, values_only=True))
    assert data[0] == ("Wijk", "Code", "Waarde (aantal)", "n", None)  # a spare column widens the context
    assert data[1][:4] == ("Noord", "W1", 5, 5)
    assert sheet.cell(first + 1, 3).number_format == sheet.cell(first + 1, 4).number_format == "[$-413]#,##0"
    assert data[2][2] == "<2" and data[3][2] == "<2"
    about = dict(book["Toelichting"].values)
    assert about["KPI"] == "Jeugdigen met jeugdhulp" and about["Periode"] == "2025"
    assert about["Kleine aantallen"].startswith(privacy.small_numbers_line(2, with_manual=False))  # KPIs only
    assert "handmatige" not in about["Kleine aantallen"]
    assert "terug te rekenen" in about["Kleine aantallen"]  # and why a larger group may be hidden too
    assert filename(res, "xlsx") == "jeugdmonitor_jeugdigen_met_jeugdhulp_2025_per_wijk.xlsx"


def test_xlsx_shows_its_context_above_the_data_as_a_table_to_work_in(warehouse):
    handmade_warehouse.fill(warehouse)
    res = compute(warehouse, KpiRequest("jeugdigen_met_jeugdhulp", *Y, by="wijk", where={"verwijzer": "huisarts"},
                                        min_cell_size=2))
    book = load_workbook(io.BytesIO(to_xlsx(res, DataStatus(None, dt.date(2026, 9, 30), "levering gemeente"), stand="Stand per 12 november 2025")))
    assert book.sheetnames[0] == "Gegevens"
    sheet = book["Gegevens"]
    first = header_row(sheet)
    context = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, max_row=first - 1, values_only=True) if row[0]}
    assert context["Stand"] == "Stand per 12 november 2025"
    assert context["KPI"] == "Jeugdigen met jeugdhulp" and context["Periode"] == "2025"
    assert context["Filters"] == "verwijzer = Huisarts"
    assert context["Definitie"].startswith("Het aantal") and "<2" in context["Kleine aantallen"]
    assert "vijftallen" in context["Afronding"] and "30 september 2026" in context["Bron"]
    assert "synthetisch" not in context["Bron"]  # a gemeente's own load
    assert sheet["A1"].value == "Jeugdigen met jeugdhulp per wijk, 2025"
    # the data: a frozen header row with a filter over exactly the table
    assert [c.value for c in sheet[first]][:4] == ["Wijk", "Code", "Waarde (aantal)", "n"]
    assert sheet.freeze_panes == f"A{first + 1}"
    assert sheet.auto_filter.ref == f"A{first}:D{first + len(res.rows)}"
    assert all(sheet.cell(first, c).alignment.wrap_text for c in range(1, 5))
    # printing: the header row on every page, one page wide, the title above
    assert sheet.print_title_rows == f"${first}:${first}"
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.paperSize == 9
    assert sheet.oddHeader.center.text == "Jeugdigen met jeugdhulp per wijk, 2025"
    assert dict(book["Toelichting"].values)["Filters"] == "verwijzer = Huisarts"


def test_filters_read_as_dutch_labels_in_csv_and_xlsx(warehouse):
    handmade_warehouse.fill(warehouse)
    res = compute(warehouse, KpiRequest("instroom", *Y, by="hulpvorm",
                                        where={"verwijzer": "huisarts", "wijk": "W1", "school": ""}))
    labels = {("wijk", "W1"): "Noord"}
    text = to_csv(res, labels=labels).decode("utf-8")
    line = "# Filters;school = Geen school bekend, verwijzer = Huisarts, wijk = Noord (W1)"
    assert line in text.splitlines()
    book = load_workbook(io.BytesIO(to_xlsx(res, labels=labels)))
    assert dict(book["Toelichting"].values)["Filters"] == line.split(";", 1)[1]
    without = to_csv(res).decode("utf-8")  # no name known: the code stays, nothing is made up
    assert "# Filters;school = Geen school bekend, verwijzer = Huisarts, wijk = W1" in without.splitlines()


def test_numbers_have_one_dutch_form_in_csv_and_their_units_format_in_xlsx():
    from dashboard.exports.spreadsheet import csv_number
    from kpi.format import excel_format as number_format

    assert [csv_number(v) for v in (1150, 1183, 13.543140000000001, 14339.37, 0.5, 2.0, -3.25, 1e-07, 1e20)] == \
        ["1150", "1183", "13,5431", "14339,37", "0,5", "2", "-3,25", "0", "100000000000000000000"]
    # each section tagged Dutch ([$-413]): LibreOffice in English showed "1,167" and "13.5%" (Office
    # shows the reader's separators either way)
    assert number_format("%") == '[$-413]#,##0.0"%"'
    assert number_format("€") == '[$-413]"€ "#,##0;[$-413]"€ -"#,##0'
    assert number_format("aantal") == number_format("dagen") == "[$-413]#,##0"
    assert number_format("cijfer") == number_format("aantal per 1.000") == "[$-413]#,##0.0"


def test_a_file_of_kosten_in_the_datas_last_year_says_its_last_months_are_still_coming_in(warehouse):
    """The explorer says beside a trend of kosten that its last months still lack declarations
    (September 2026 held a few percent of a month's costs); its CSV and Excel files are read without
    the page, so they say it too. Kosten a year and more before the data's end, or trajecten, do not."""
    handmade_warehouse.fill(warehouse)
    kosten = compute(warehouse, KpiRequest("totale_kosten", *Y, per="maand", suppress=False))
    instroom = compute(warehouse, KpiRequest("instroom", *Y, per="maand", suppress=False))
    line = ("# Let op;De laatste maanden vallen nog te laag uit: declaraties komen meestal één tot drie maanden na "
            "de maand binnen, een deel tot een jaar later. De prognose in de Jeugdmonitor schat wat er nog komt.")

    def status(data_tot):
        return DataStatus(None, data_tot, "map levering")
    assert line in to_csv(kosten, status(dt.date(2025, 9, 30))).decode("utf-8-sig").splitlines()
    assert line not in to_csv(kosten, status(dt.date(2027, 3, 31))).decode("utf-8-sig")   # 2025 is complete by then
    assert line not in to_csv(instroom, status(dt.date(2025, 9, 30))).decode("utf-8-sig")
    sheet = load_workbook(io.BytesIO(to_xlsx(kosten, status(dt.date(2025, 9, 30))))).active
    assert line[len("# Let op;"):] in [cell.value for row in sheet.iter_rows() for cell in row]


def test_only_the_demonstration_data_are_called_synthetic():
    """A gemeente's own figures must never be labelled as made up, nor the demonstration's as real."""
    demo = DataStatus(None, dt.date(2026, 9, 30), "demonstratiegegevens (synthetisch, startgetal 2025)")
    own = DataStatus(None, dt.date(2026, 9, 30), "map levering-2026-10")
    ijw = DataStatus(None, None, "iJw-berichten (map ijw)", berichtenverkeer=True)
    assert demo.synthetisch and not own.synthetisch and not ijw.synthetisch
    assert not DataStatus(None, None, None).synthetisch  # nothing loaded yet
    assert source_text(demo) == "Jeugdmonitor Huizen (demonstratiegegevens zijn synthetisch), gegevens t/m 30 september 2026"
    assert source_text(own) == "Jeugdmonitor Huizen, gegevens t/m 30 september 2026"
    assert source_text(ijw) == source_text(None) == "Jeugdmonitor Huizen"


def test_a_breakdown_reads_as_on_screen_without_internal_ids(warehouse):
    """/verkenner?kpi=instroom&jaar=2025&by=verwijzer: "Uitgesplitst naar" says the dimension as the
    explorer's choice says it ("Verwijzer"), and no column shows a code list's internal ids
    ("gecertificeerde_instelling"): the group's label is all there is, its Code cell empty."""
    from kpi.dimensions import DIMENSIONS

    handmade_warehouse.fill(warehouse)
    res = compute(warehouse, KpiRequest("instroom", *Y, by="verwijzer", suppress=False))
    assert DIMENSIONS["verwijzer"].naam == "Verwijzer"  # the explorer's label for the breakdown
    keys = {row.key for row in res.rows if row.key}
    assert keys and all(row.key != row.label for row in res.rows)  # ids such as "huisarts", labels "Huisarts"
    lines = to_csv(res).decode("utf-8").lstrip("\ufeff").splitlines()
    assert "# Uitgesplitst naar;Verwijzer" in lines
    header = lines.index("Verwijzer;Code;Waarde (aantal);n")
    data = [line.split(";") for line in lines[header + 1:]]
    assert [cells[0] for cells in data] == [row.label for row in res.rows]
    assert {cells[1] for cells in data} == {""}
    assert [cells[2] for cells in data] == [str(row.value) for row in res.rows]  # the numbers as they were
    assert not keys & {cell for cells in data for cell in cells}

    book = load_workbook(io.BytesIO(to_xlsx(res)))
    sheet = book["Gegevens"]
    first = header_row(sheet)
    table = [row[:4] for row in sheet.iter_rows(min_row=first, max_row=first + len(res.rows), values_only=True)]
    assert table[0] == ("Verwijzer", "Code", "Waarde (aantal)", "n")
    assert [row[0] for row in table[1:]] == [row.label for row in res.rows]
    assert not keys & {cell for row in sheet.iter_rows(values_only=True) for cell in row}
    context = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, max_row=first - 1, values_only=True) if row[0]}
    assert context["Uitgesplitst naar"] == dict(book["Toelichting"].values)["Uitgesplitst naar"] == "Verwijzer"


def test_codes_people_use_keep_their_column(warehouse):
    """A wijk's code (CBS: WK040601) is one a spreadsheet user looks up: it stays beside the name."""
    lines = to_csv(result(warehouse)).decode("utf-8").splitlines()
    assert "# Uitgesplitst naar;Wijk" in lines and "Wijk;Code;Waarde (aantal);n" in lines


def test_a_sheet_prints_at_a_readable_size_one_page_wide_or_side_by_side():
    """Fitted to one page wide, a wide table printed in 4-point type. A sheet that fits at 80% or
    more stays one page wide; a wider one prints at 80% over pages side by side, each with the
    header row and the columns that name a row, its context wrapped within the first page."""
    from openpyxl import Workbook

    from dashboard.exports import spreadsheet as s

    def written(columns: int):
        sheet = Workbook().active
        header = ["Code", "Naam"] + [f"Waarde {i}" for i in range(columns - 2)]
        rows = [["K01", "Jeugdigen met jeugdhulp"] + [1234.5] * (columns - 2)] * 3
        s.write_sheet(sheet, s.Sheet("Titel", [("Bron", "een lange zin " * 30)], header, rows,
                                     lambda r, c: "aantal" if c > 1 else None, key_columns=(0, 1)))
        return sheet

    narrow, wide = written(5), written(30)
    widths = [narrow.column_dimensions[chr(65 + c)].width for c in range(5)]
    assert narrow.sheet_properties.pageSetUpPr.fitToPage and narrow.page_setup.fitToWidth == 1
    assert s.print_scale(widths, narrow.page_setup.orientation) >= s.MIN_PRINT_SCALE
    assert not wide.sheet_properties.pageSetUpPr.fitToPage and wide.page_setup.scale == s.MIN_PRINT_SCALE
    assert wide.print_title_cols == "$A:$B" and wide.print_title_rows == "$4:$4"
    context = next(str(m) for m in wide.merged_cells.ranges if m.min_row == 2)
    first_page = s.first_page_columns([wide.column_dimensions[c].width for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"],
                                      "landscape")
    assert context == f"B2:{chr(64 + first_page)}2" and first_page < 30


def test_every_line_of_the_toelichting_sheet_is_as_high_as_its_text_and_nothing_is_drawn_over_it(tmp_path):
    """The "Toelichting" sheet has one wide wrapped column, and LibreOffice does not fit an XLSX row
    to its text: without a height, the lines of "Kleine aantallen" were drawn over "Afronding" and
    "Bron". Each row gets the lines its text needs (the estimate the "Gegevens" sheet uses), and in
    LibreOffice's drawing no word lies over another."""
    from dashboard.exports import spreadsheet as s
    from kpi.request import resolve
    from kpi.result import KpiRow
    from tests.test_slides_render import pdf_words, require_tools, to_pdf

    request = resolve(KpiRequest("instroom", *Y, by="wijk", min_cell_size=10, afronding=5))
    rows = (KpiRow(None, "WK040601", "Huizen-Centrum", 125, 125), KpiRow(None, "WK040602", "De Noord", None, None, True))
    status = DataStatus(None, dt.date(2026, 9, 30), "demonstratiegegevens (synthetisch, startgetal 2025)")
    content = to_xlsx(KpiResult(request, rows), status)
    about = load_workbook(io.BytesIO(content))["Toelichting"]
    width = about.column_dimensions["B"].width
    lines = {row[0].value: s.wrapped_lines(row[1].value, width * s.TEXT_PER_WIDTH) for row in about.iter_rows()}
    assert lines["Kleine aantallen"] >= 3 and lines["Afronding"] >= 2  # the lines that were drawn over each other
    for row in about.iter_rows():
        assert about.row_dimensions[row[0].row].height == s.LINE_HEIGHT * lines[row[0].value], row[0].value

    require_tools()
    (tmp_path / "verkenner.xlsx").write_bytes(content)
    pages = pdf_words(to_pdf([tmp_path / "verkenner.xlsx"], tmp_path)[0])
    words = [w for page in pages for w in page]
    assert "Afronding" in {w.text for w in pages[-1]}  # the Toelichting is drawn, last

    def over(a, b) -> bool:  # wrapped lines' boxes touch by a point; a line drawn over another covers a third
        return (min(a.x1, b.x1) - max(a.x0, b.x0) > 1 and
                min(a.y1, b.y1) - max(a.y0, b.y0) > min(a.y1 - a.y0, b.y1 - b.y0) / 3)
    for page in pages:
        covered = [(a.text, b.text) for i, a in enumerate(page) for b in page[i + 1:] if over(a, b)]
        assert not covered, covered
    assert len(words) > 100


def test_a_selection_without_records_says_so_in_its_files_as_on_screen(warehouse):
    """/verkenner?kpi=instroom&f=wijk: (the empty group of a dimension that is never empty: it selects
    nothing) says "Geen gegevens voor deze selectie" where its chart would be; its CSV and Excel held
    the context lines and a header without rows, and nothing saying why."""
    handmade_warehouse.fill(warehouse)
    empty = compute(warehouse, KpiRequest("instroom", *Y, by="school", where={"wijk": ""}))
    assert empty.rows == ()
    line = "# Let op;Geen gegevens voor deze selectie."
    lines = to_csv(empty).decode("utf-8-sig").splitlines()
    assert lines[lines.index("# Filters;wijk = (leeg)") + 1] == line  # with the selection it is about
    assert lines[-1] == "School;Code;Waarde (aantal);n"
    book = load_workbook(io.BytesIO(to_xlsx(empty)))
    sheet = book["Gegevens"]
    context = [row[:2] for row in sheet.iter_rows(min_row=2, max_row=header_row(sheet) - 1, values_only=True) if row[0]]
    assert ("Let op", "Geen gegevens voor deze selectie.") in context
    assert ("Let op", "Geen gegevens voor deze selectie.") in [row[:2] for row in book["Toelichting"].values]
    # a selection with records does not say it
    some = compute(warehouse, KpiRequest("instroom", *Y, by="school", where={"wijk": "W1"}))
    assert some.rows and line not in to_csv(some).decode("utf-8-sig")
