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
