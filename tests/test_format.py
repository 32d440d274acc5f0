"""Dutch number formatting."""
import datetime as dt

from kpi import format as fmt


def test_values_read_the_dutch_way():
    assert fmt.value(1234567.4, "€") == "€ 1.234.567"
    assert fmt.value(-1500, "€") == "€ -1.500"
    assert fmt.value(12.345, "%") == "12,3%"
    assert fmt.value(1234, "dagen") == "1.234 dagen"
    assert fmt.value(1.2, "dagen") == "1 dag"
    assert fmt.value(7.46, "cijfer") == "7,5"
    assert fmt.value(12345, "aantal") == "12.345"
    assert fmt.value(None, "%") == "–"
    assert fmt.value(None, "aantal", suppressed=True, threshold=10) == "<10"


def test_dates_and_periods():
    assert fmt.datum(dt.date(2025, 3, 1)) == "1 maart 2025"
    assert fmt.periode(dt.date(2025, 1, 1), dt.date(2025, 12, 31)) == "2025"
    assert fmt.periode(dt.date(2025, 1, 1), dt.date(2025, 6, 30)) == "1 januari 2025 t/m 30 juni 2025"


def test_rounding_is_half_up_as_people_expect():
    assert fmt.value(1234.5, "€") == "€ 1.235"
    assert fmt.value(0.25, "%") == "0,3%"
    assert fmt.number(2.5) == "3"
    assert fmt.number(-2.5) == "-3"


def test_period_labels():
    assert fmt.periode_label("2025") == "2025"
    assert fmt.periode_label("2025-Q3") == "K3 2025"
    assert fmt.periode_label("2025-03") == "mrt 2025"


def test_a_units_format_is_read_from_one_place_by_every_output(monkeypatch):
    """kpi.format.UNITS says how a unit reads; the screen, the status rounding, the change in words,
    the spreadsheet's and the PowerPoint chart's number formats, the report's axis labels and its
    list of definitions all follow a change there."""
    import io

    from openpyxl import Workbook

    from dashboard.exports import report_charts, report_content, slides_pptx, spreadsheet
    from dashboard.exports.slide_model import Chart, Series
    from dashboard.programme.overview import change_text
    from dashboard.programme.status import as_shown

    monkeypatch.setitem(fmt.UNITS, "cijfer", fmt.Unit("punten", 2, suffix=" pt", difference="punt"))
    assert fmt.value(7.456, "cijfer") == "7,46 pt"
    assert as_shown(7.456, "cijfer") == 7.46
    assert change_text(7.5, 7.25, "cijfer", "hoger_beter", 2025) == "0,25 punt hoger dan 2024 (gunstig)"
    assert change_text(7.504, 7.496, "cijfer", "hoger_beter", 2025) == "gelijk aan 2024"  # both "7,50 pt"
    assert report_charts.tick_label(7.5, "cijfer", 1, 0.5) == "7,5 pt"
    assert "punten" in {d.eenheid for d in report_content.definitions()}
    chart = Chart("lijn", "Rapportcijfer", ("2025",), (Series("Realisatie", (7.456,)),), "cijfer")
    assert slides_pptx.chart_data(chart).number_format == '[$-413]#,##0.00" pt"'
    book = Workbook()
    header = spreadsheet.write_sheet(book.active, spreadsheet.Sheet("t", (), ["Cijfer"], [[7.456]],
                                                                    lambda r, c: "cijfer"))
    book.save(io.BytesIO())
    assert book.active.cell(header + 1, 1).number_format == '[$-413]#,##0.00" pt"'


def test_a_change_is_that_of_the_figures_as_shown():
    """Two percentages both shown as 4,2% are "gelijk", not "0,0 procentpunt lager (gunstig)"; a
    change is the difference of the shown figures, so it never contradicts them."""
    from dashboard.programme.overview import change_text

    assert change_text(4.21, 4.24, "%", "lager_beter", 2026, "t/m september") == "gelijk aan t/m september 2025"
    assert change_text(4.26, 4.24, "%", "lager_beter", 2026) == "0,1 procentpunt hoger dan 2025 (ongunstig)"
    assert change_text(3.7, 3.3, "%", "lager_beter", 2025, follow_up_running=True) == \
        "0,4 procentpunt hoger dan 2024; de volgperiode loopt nog"
