"""CSV and Excel exports of a KPI result: the engine's numbers, suppression kept, context included."""
import datetime as dt
import io

from openpyxl import load_workbook

from kpi import KpiRequest, compute
from kpi.export_table import filename, to_csv, to_xlsx
from tests import handmade_warehouse

Y = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))


def result(engine):
    handmade_warehouse.fill(engine)
    # per wijk: W1 3, W2 2, W3 1 → threshold 2 hides W3 (primary) and W2 (secondary); W1's 3 is
    # rounded to 5 (a detailed view)
    return compute(engine, KpiRequest("jeugdigen_met_jeugdhulp", *Y, by="wijk", min_cell_size=2))


def test_csv_is_dutch_excel_friendly(warehouse):
    text = to_csv(result(warehouse), dt.date(2026, 9, 30)).decode("utf-8")
    assert text.startswith("\ufeff# KPI;Jeugdigen met jeugdhulp")
    assert "# Periode;2025" in text and "# Definitie;" in text and "t/m 30 september 2026" in text
    lines = text.splitlines()
    header = lines.index("Wijk;Code;Waarde (aantal);n")
    assert lines[header + 1:] == ["Noord;W1;5;5", "Zuid;W2;<2;", "Dorp;W3;<2;"]
    assert any(line.startswith("# Afronding;\"Aantallen in een uitsplitsing") and "vijftallen" in line for line in lines)


def test_csv_decimal_comma(warehouse):
    handmade_warehouse.fill(warehouse)
    res = compute(warehouse, KpiRequest("kosten_per_jeugdige", *Y, suppress=False))
    assert to_csv(res).decode("utf-8").splitlines()[-1] == "Totaal;;570,125;2"


def test_xlsx_opens_and_holds_values_and_context(warehouse):
    res = result(warehouse)
    book = load_workbook(io.BytesIO(to_xlsx(res)))
    data = list(book["Gegevens"].values)
    assert data[0] == ("Wijk", "Code", "Waarde (aantal)", "n")
    assert data[1] == ("Noord", "W1", 5, 5)
    assert data[2][2] == "<2" and data[3][2] == "<2"
    about = dict(book["Toelichting"].values)
    assert about["KPI"] == "Jeugdigen met jeugdhulp" and about["Periode"] == "2025"
    assert "<2" in about["Kleine aantallen"]
    assert filename(res, "xlsx") == "jeugdmonitor_jeugdigen_met_jeugdhulp_2025_per_wijk.xlsx"
