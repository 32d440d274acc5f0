"""What the forecast and the backtest start from: the peildatum, the declarations read from the
warehouse (kpi/forecast/reads.py) and whether they carry receipt dates; and the Dutch refusal
(`ForecastError`) when there is nothing to forecast from."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy.engine import Connection

from kpi import format as fmt
from kpi.forecast import reads
from kpi.forecast.completion import MAX_AGE, WINDOW
from kpi.forecast.errors import ForecastError
from kpi.forecast.model import FIT_MONTHS


@dataclass(frozen=True)
class Basis:
    """What the forecast and the backtest read from the warehouse."""
    cells: pd.DataFrame
    peildatum: dt.date
    corrected: bool
    first_month: pd.Period

    @property
    def current(self) -> pd.Period:
        return pd.Period(self.peildatum, freq="M")


def month_end(day: dt.date) -> dt.date:
    following = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def last_complete_month_end(day: dt.date) -> dt.date:
    """`day` itself when it ends its month, else the end of the month before: the completion works
    on whole receipt months, so receipts of a month that has not ended wait for the next run."""
    return day if month_end(day) == day else dt.date(day.year, day.month, 1) - dt.timedelta(days=1)


def read_basis(conn: Connection, first_year: int | None = None, peildatum: dt.date | None = None,
               years_back: int = 0) -> Basis:
    """The cells of the care months from `first_year` or `years_back` years before the peildatum's
    year, whichever is earlier, plus what the model and the chain-ladder look back before it. The peildatum: the given day, else the latest
    receipt date, else (no receipt dates) the end of the latest care month; in each case the end
    of the last complete month on or before it."""
    latest_receipt, latest_month = reads.latest_dates(conn)
    first = reads.first_month(conn)
    if latest_month is None or first is None:
        raise ForecastError("het datawarehouse bevat geen kosten; laad eerst kosten.csv")
    if peildatum is None:
        peildatum = latest_receipt if latest_receipt is not None else month_end(latest_month)
    peildatum = last_complete_month_end(peildatum)
    if peildatum < first:
        raise ForecastError(f"de peildatum {fmt.datum(peildatum)} ligt voor de eerste kostenmaand "
                            f"({fmt.datum(first)})")
    look_back_months = FIT_MONTHS + WINDOW + MAX_AGE
    since_year = peildatum.year - years_back if first_year is None else min(first_year, peildatum.year - years_back)
    since = (pd.Period(dt.date(since_year, 1, 1), freq="M")
             - look_back_months).to_timestamp().date()
    cells = reads.receipt_cells(conn, max(since, first), peildatum)
    corrected = bool(len(cells)) and int(cells["gedateerd"].sum()) > 0
    return Basis(cells, peildatum, corrected, pd.Period(first, freq="M"))


def check_peildatum(conn: Connection, peildatum: dt.date) -> None:
    """A peildatum a user gives (the command line): not in a month after the data's last, whose
    months would read as declared in full (€ 0 "gerealiseerd", an interval of no width)."""
    latest_receipt, latest_month = reads.latest_dates(conn)
    if latest_month is None:
        return  # read_basis says there are no kosten
    latest = latest_receipt if latest_receipt is not None else month_end(latest_month)
    if last_complete_month_end(peildatum) > month_end(latest):
        raise ForecastError(f"de peildatum {fmt.datum(peildatum)} ligt na de laatste gegevens "
                            f"({fmt.datum(latest)}); kies een peildatum t/m {fmt.datum(month_end(latest))}")


def check_year(basis: Basis, jaar: int) -> None:
    first, last = basis.first_month, basis.current
    if not first.year <= jaar <= last.year:
        raise ForecastError(
            f"voor {jaar} zijn geen kosten in het datawarehouse (kosten van {fmt.periode_label(str(first))} "
            f"t/m {fmt.periode_label(str(last))})")
