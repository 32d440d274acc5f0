"""The bookkeeping of the trekkers' reminders (dashboard/mail/): which active trekkers still have a
maatregel without voortgang for a quarter, with their e-mail address and whether they were
reminded of that quarter already, and the record that a reminder went out (`herinnering`).

A reminder is claimed before it is sent (`claim`: one row per account and quarter, the primary key
refuses a second) and taken back when the mail could not be sent (`release`), so two runs at the
same moment never both send it, and a failed send is tried again on the next run."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, delete, select
from sqlalchemy.exc import IntegrityError

from data.accounts.schema import Gebruiker, GebruikerMaatregel
from data.programme.schema import Herinnering, Maatregel, MaatregelVoortgang, Rapportageperiode


@dataclass(frozen=True)
class OpenTrekker:
    """An active trekker with at least one maatregel not yet reported on for the quarter."""
    gebruiker_id: int
    gebruikersnaam: str
    naam: str
    emailadres: str | None
    maatregelen: tuple[tuple[str, str], ...]  # (code, naam) without voortgang, in the plan's order
    herinnerd: bool                            # a reminder for this quarter was sent already


@dataclass(frozen=True)
class QuarterReminders:
    periode: str
    vastgesteld: bool                   # locked: nobody can report any more, so nobody is reminded
    trekkers: tuple[OpenTrekker, ...]   # by name


def open_trekkers(engine: Engine, periode: str) -> QuarterReminders:
    """Every active trekker's maatregelen without voortgang for quarter `periode` ("2026-Q4")."""
    with engine.connect() as conn:
        vastgesteld = bool(conn.scalar(select(Rapportageperiode.vastgesteld)
                                       .where(Rapportageperiode.periode == periode)))
        reported = select(MaatregelVoortgang.maatregel_id).where(MaatregelVoortgang.periode == periode)
        rows = conn.execute(
            select(Gebruiker.id, Gebruiker.gebruikersnaam, Gebruiker.naam, Gebruiker.emailadres,
                   Maatregel.code, Maatregel.naam.label("maatregel"))
            .join(GebruikerMaatregel, GebruikerMaatregel.gebruiker_id == Gebruiker.id)
            .join(Maatregel, Maatregel.id == GebruikerMaatregel.maatregel_id)
            .where(Gebruiker.actief.is_(True), Gebruiker.rol == "trekker", Maatregel.id.not_in(reported))
            .order_by(Gebruiker.naam, Gebruiker.id, Maatregel.lijn_id, Maatregel.nummer)).all()
        reminded = set(conn.scalars(select(Herinnering.gebruiker_id).where(Herinnering.periode == periode)))
    found: dict[int, list] = {}
    for row in rows:
        found.setdefault(row.id, []).append(row)
    return QuarterReminders(periode, vastgesteld, tuple(
        OpenTrekker(first.id, first.gebruikersnaam, first.naam, first.emailadres,
                    tuple((r.code, r.maatregel) for r in group), first.id in reminded)
        for first, group in ((group[0], group) for group in found.values())))


def claim(engine: Engine, gebruiker_id: int, periode: str, now: dt.datetime) -> bool:
    """Record that the account is reminded of `periode` now; False when it was already (by an
    earlier run, or one running at the same moment)."""
    try:
        with engine.begin() as conn:
            conn.execute(Herinnering.__table__.insert().values(
                gebruiker_id=gebruiker_id, periode=periode, verzonden_op=now.replace(microsecond=0)))
    except IntegrityError:
        return False
    return True


def release(engine: Engine, gebruiker_id: int, periode: str) -> None:
    """Take a claim back: its mail was not sent, so the next run tries again."""
    with engine.begin() as conn:
        conn.execute(delete(Herinnering).where(Herinnering.gebruiker_id == gebruiker_id,
                                               Herinnering.periode == periode))
