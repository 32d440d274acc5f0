"""The dialect-specific date functions give the same answers on SQLite and PostgreSQL."""
import datetime as dt

import pytest
from sqlalchemy import Date, literal, select

from kpi.sqlfuncs import add_days, days_between, earlier_date, later_date

D = dt.date


@pytest.mark.parametrize("start,end,days", [
    (D(2025, 1, 1), D(2025, 1, 1), 0),
    (D(2024, 2, 28), D(2024, 3, 1), 2),      # leap year
    (D(2023, 2, 28), D(2023, 3, 1), 1),
    (D(2019, 1, 1), D(2023, 12, 31), 1825),
])
def test_days_between(warehouse, start, end, days):
    with warehouse.connect() as conn:
        assert conn.scalar(select(days_between(literal(start, Date), literal(end, Date)))) == days


def test_add_days_and_greatest_least(warehouse):
    with warehouse.connect() as conn:
        added = conn.scalar(select(add_days(literal(D(2024, 3, 1), Date), 365)))
        later = conn.scalar(select(later_date(literal(D(2024, 3, 1), Date), literal(D(2025, 1, 1), Date))))
        earlier = conn.scalar(select(earlier_date(literal(D(2024, 3, 1), Date), literal(D(2025, 1, 1), Date))))
    assert str(added) == "2025-03-01"
    assert str(later) == "2025-01-01"
    assert str(earlier) == "2024-03-01"


def test_workdays_between_counts_monday_to_friday_after_the_first_day(warehouse):
    """From each day of a week (across a year end) to every day of the following two weeks, against
    a day-by-day count: every weekday meets every remainder."""
    from kpi.sqlfuncs import workdays_between

    def by_hand(start, end):
        return sum(1 for i in range(1, (end - start).days + 1) if (start + dt.timedelta(days=i)).weekday() < 5)

    pairs = [(D(2024, 12, 27) + dt.timedelta(days=i), D(2024, 12, 27) + dt.timedelta(days=i + j))
             for i in range(7) for j in range(15)]
    columns = [workdays_between(literal(a, Date), literal(b, Date)) for a, b in pairs]
    with warehouse.connect() as conn:
        got = conn.execute(select(*columns)).one()
    assert list(got) == [by_hand(a, b) for a, b in pairs]
    assert by_hand(D(2025, 1, 6), D(2025, 1, 13)) == 5  # a Monday's request, decided the next Monday
