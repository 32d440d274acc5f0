"""The forecast's only SQL: the declarations aggregated in the database, the budgets, names and the
peildatum. The same statements run on SQLite and PostgreSQL.

The central read is `receipt_cells`: Σ bedrag_cent per gemeente × hulpvorm × care month × age,
where the age is the number of calendar months from the care month (`maand`) to the month the
declaration was received (`ontvangen`): 0 = received in the care month itself. Only rows received
on or before the peildatum count. A row without a receipt date (format 1.0, or an empty cell) is
taken as received in its own month (age 0), so without receipt dates the cells are the months'
plain totals. For one gemeente that is a few thousand numbers; everything after this is pandas.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Integer, case, cast, extract, func, or_, select
from sqlalchemy.engine import Connection

from data.warehouse.schema import Budget, Kosten, Traject, Wijk

#: the columns of `receipt_cells`' frame
CELL_COLUMNS = ("gemeente", "hulpvorm", "maand", "leeftijd", "bedrag_cent", "gedateerd")


def _months_after(later, earlier):
    """Whole calendar months from `earlier`'s month to `later`'s (SQLAlchemy compiles EXTRACT to
    strftime on SQLite; PostgreSQL's EXTRACT gives a numeric, hence the cast)."""
    years = cast(extract("year", later), Integer) - cast(extract("year", earlier), Integer)
    return years * 12 + cast(extract("month", later), Integer) - cast(extract("month", earlier), Integer)


def receipt_cells(conn: Connection, since: dt.date, peildatum: dt.date) -> pd.DataFrame:
    """The declarations of the care months from `since` up to the peildatum that were received by
    the peildatum, summed per gemeente, hulpvorm, care month and age (see the module docstring).
    `gedateerd` counts the rows with a receipt date, so the caller can tell whether the warehouse
    has them at all."""
    k, t, w = Kosten.__table__.c, Traject.__table__.c, Wijk.__table__.c
    age = case((k.ontvangen.is_(None), 0), else_=_months_after(k.ontvangen, k.maand))
    dated = func.sum(case((k.ontvangen.is_(None), 0), else_=1))
    statement = (
        select(w.gemeente_code, t.hulpvorm, k.maand, age.label("leeftijd"),
               func.sum(k.bedrag_cent).label("bedrag_cent"), dated.label("gedateerd"))
        .select_from(Kosten.__table__.join(Traject.__table__, t.traject_id == k.traject_id)
                     .join(Wijk.__table__, w.wijk_code == t.wijk_code))
        .where(k.maand >= since, k.maand <= peildatum,
               or_(k.ontvangen <= peildatum, k.ontvangen.is_(None)))
        .group_by(w.gemeente_code, t.hulpvorm, k.maand, age))
    rows = conn.execute(statement).all()
    frame = pd.DataFrame(rows, columns=list(CELL_COLUMNS))
    if frame.empty:
        return frame.astype({"leeftijd": "int64", "bedrag_cent": "int64", "gedateerd": "int64"})
    frame["maand"] = pd.to_datetime(frame["maand"]).dt.to_period("M")
    return frame.astype({"leeftijd": "int64", "bedrag_cent": "int64", "gedateerd": "int64"})


def latest_dates(conn: Connection) -> tuple[dt.date | None, dt.date | None]:
    """(the latest receipt date, the latest care month) in the warehouse; None when absent."""
    k = Kosten.__table__.c
    row = conn.execute(select(func.max(k.ontvangen), func.max(k.maand))).one()
    return _as_date(row[0]), _as_date(row[1])


def first_month(conn: Connection) -> dt.date | None:
    """The earliest care month in the warehouse."""
    return _as_date(conn.scalar(select(func.min(Kosten.__table__.c.maand))))


def budgets(conn: Connection, jaar: int) -> dict[str, float]:
    """{gemeente_code: budget in euros} of one year."""
    b = Budget.__table__.c
    rows = conn.execute(select(b.gemeente_code, b.bedrag_cent).where(b.jaar == jaar)).all()
    return {code: cents / 100 for code, cents in rows}


def gemeente_names(conn: Connection) -> dict[str, str]:
    """{gemeente_code: naam}; a gemeente's label is the alphabetically first naam of its wijken,
    as in KPI results."""
    w = Wijk.__table__.c
    return dict(conn.execute(select(w.gemeente_code, func.min(w.gemeente_naam)).group_by(w.gemeente_code)).all())


def _as_date(value) -> dt.date | None:
    """SQLite may hand back an aggregate's date as ISO text (MAX loses the column's type)."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
