"""The health of the berichtenverkeer ("gezondheid van het berichtenverkeer"): what in the stored
messages asks for a look, one signal per record, found at each iJw load (data/warehouse/ijw/derive.py)
and counted per provider (or retourcode) and month by SQL for the page (kpi/berichtenverkeer.py).

The signals, on the peildatum (the latest dagtekening of any loaded message):
- `zonder_start`: a current toewijzing whose Ingangsdatum lies more than 30 days before the
  peildatum and that has no start message (JW305); month: the Ingangsdatum's;
- `zonder_stop`: a started toewijzing whose Einddatum has passed without a final stop message
  (JW307); month: the Einddatum's;
- `zonder_toewijzing`: a declared line (JW323 prestatie) for a ToewijzingNummer without a current
  toewijzing; month: the ProductPeriode's;
- `afgewezen`: a declared line the gemeente rejected (listed in a JW325, or in a declaration the
  JW325 rejected as a whole), with its first retourcode; month: the ProductPeriode's.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, func, select

from data.warehouse.ijw.schema import IjwBericht, IjwSignaal
from data.warehouse.schema import Aanbieder

SOORTEN = ("zonder_start", "zonder_stop", "zonder_toewijzing", "afgewezen")
START_TERMIJN_DAGEN = 30


def replace_signals(conn: Connection, signals: list[dict]) -> None:
    """The signals of this load replace the earlier ones; numbered from 1, so a reload that finds
    the same signals leaves the table exactly as it was."""
    conn.execute(IjwSignaal.__table__.delete())
    if signals:
        conn.execute(IjwSignaal.__table__.insert(), [{"id": i, **s} for i, s in enumerate(signals, start=1)])


def peildatum(conn: Connection) -> dt.date | None:
    """The latest dagtekening of any loaded message: the day the signals are judged on."""
    return conn.scalar(select(func.max(IjwBericht.dagtekening)))


def signal_years(conn: Connection) -> list[int]:
    s = IjwSignaal.__table__.c
    months = conn.execute(select(func.min(s.maand), func.max(s.maand))).one()
    if months[0] is None:
        return []
    return list(range(months[0].year, months[1].year + 1))


def counts_per_provider(conn: Connection, soort: str, jaar: int) -> list[tuple[str, str, dt.date, int]]:
    """(aanbieder_code, name, month, count) of one signal in one year."""
    s, a = IjwSignaal.__table__.c, Aanbieder.__table__.c
    naam = func.coalesce(a.aanbieder_naam, s.aanbieder_code)
    query = (select(s.aanbieder_code, naam, s.maand, func.count())
             .select_from(IjwSignaal.__table__.outerjoin(Aanbieder.__table__, a.aanbieder_code == s.aanbieder_code))
             .where(s.soort == soort, s.maand.between(dt.date(jaar, 1, 1), dt.date(jaar, 12, 31)))
             .group_by(s.aanbieder_code, naam, s.maand))
    return [tuple(r) for r in conn.execute(query)]


def counts_per_retourcode(conn: Connection, jaar: int) -> list[tuple[str, dt.date, int]]:
    """(retourcode, month, count) of the rejected lines in one year."""
    s = IjwSignaal.__table__.c
    query = (select(s.retourcode, s.maand, func.count())
             .where(s.soort == "afgewezen", s.maand.between(dt.date(jaar, 1, 1), dt.date(jaar, 12, 31)))
             .group_by(s.retourcode, s.maand))
    return [tuple(r) for r in conn.execute(query)]
