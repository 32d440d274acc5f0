"""Sub-period splitting and clipping (kpi-definitions.md, "Periods")."""
import datetime as dt

import pytest

from kpi.periods import is_calendar_year, split

D = dt.date


def test_no_per_is_the_period_itself():
    assert [(s.label, s.van, s.tot) for s in split(D(2025, 2, 3), D(2025, 5, 6), None)] == [
        (None, D(2025, 2, 3), D(2025, 5, 6))]


def test_quarters_are_clipped_to_the_period():
    parts = split(D(2025, 2, 15), D(2025, 4, 10), "kwartaal")
    assert [(s.label, s.van, s.tot) for s in parts] == [
        ("2025-Q1", D(2025, 2, 15), D(2025, 3, 31)),
        ("2025-Q2", D(2025, 4, 1), D(2025, 4, 10)),
    ]


def test_months_across_a_year_end_and_a_leap_day():
    parts = split(D(2023, 12, 31), D(2024, 2, 29), "maand")
    assert [(s.label, s.van, s.tot) for s in parts] == [
        ("2023-12", D(2023, 12, 31), D(2023, 12, 31)),
        ("2024-01", D(2024, 1, 1), D(2024, 1, 31)),
        ("2024-02", D(2024, 2, 1), D(2024, 2, 29)),
    ]


def test_years_and_single_day():
    assert [s.label for s in split(D(2019, 6, 1), D(2021, 1, 1), "jaar")] == ["2019", "2020", "2021"]
    assert [(s.van, s.tot) for s in split(D(2025, 3, 3), D(2025, 3, 3), "maand")] == [
        (D(2025, 3, 3), D(2025, 3, 3))]
    assert len(split(D(2025, 1, 1), D(2025, 12, 31), "maand")) == 12


def test_calendar_year():
    assert is_calendar_year(D(2025, 1, 1), D(2025, 12, 31))
    assert not is_calendar_year(D(2025, 1, 1), D(2026, 12, 31))
    assert not is_calendar_year(D(2025, 1, 2), D(2025, 12, 31))


@pytest.mark.parametrize("per, labels", [
    ("jaar", ["9999"]), ("kwartaal", ["9999-Q4"]), ("maand", ["9999-11", "9999-12"])])
def test_the_last_sub_period_of_the_calendar_ends_on_its_last_day(per, labels):
    """A period up to 31 December 9999 split per year, quarter or month: there is no next unit to
    start (`--per` gave exit 1 and "year 10000 is out of range")."""
    parts = split(D(9999, 11, 15), D(9999, 12, 31), per)
    assert [s.label for s in parts] == labels
    assert parts[0].van == D(9999, 11, 15) and parts[-1].tot == D(9999, 12, 31)
