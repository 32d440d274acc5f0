"""When the reporting of a quarter is due, and when its trekkers are reminded.

The deadline of a quarter is its last day (30 September for 2026-Q3): the trekkers report on the
quarter they are in, as /beheer opens on it (data.programme.edits.current_quarter), and the
programmamanager reviews and locks it after. A reminder goes out from HERINNERING_DAGEN days before
the deadline up to the deadline itself, once per trekker and quarter, so a run every day (or one
missed day) reminds each trekker exactly once."""
from __future__ import annotations

import datetime as dt

from data.programme.edits import current_quarter


def quarter_deadline(periode: str) -> dt.date:
    """'2026-Q3' → 30 September 2026: the last day of the quarter."""
    year, quarter = int(periode[:4]), int(periode[-1])
    if quarter == 4:
        return dt.date(year, 12, 31)
    return dt.date(year, 3 * quarter + 1, 1) - dt.timedelta(days=1)


def reminder_quarter(today: dt.date, days: int) -> str | None:
    """The quarter whose trekkers are reminded on `today` (the current one, when its deadline is at
    most `days` days away); None outside that window."""
    periode = current_quarter(today)
    return periode if (quarter_deadline(periode) - today).days <= days else None
