"""Stored snapshots (`stand`) and the explorer views added to the presentation (`presentatie_dia`).

Every write is for the programmamanager only (checked here, whatever the caller showed), runs in
one transaction and leaves a row in the audit trail (`wijziging`). What goes into a stand's
`inhoud` is made by dashboard.programme.stand_freeze; this module only stores and fetches it.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from data.accounts.permissions import require_manager
from data.accounts.users import User
from data.programme.edits import too_long
from data.programme.schema import PresentatieDia, Stand, Wijziging

MAX_TITEL = 200
MAX_WEERGAVE = 2000


class StandError(ValueError):
    """A request about snapshots or slides that cannot be carried out; the message (Dutch) says why."""


@dataclass(frozen=True)
class StandInfo:
    id: int
    peildatum: dt.date
    titel: str
    jaar: int
    gemaakt_door: str
    gemaakt_op: dt.datetime


@dataclass(frozen=True)
class Dia:
    id: int
    volgorde: int
    titel: str
    weergave: str
    toegevoegd_door: str
    toegevoegd_op: dt.datetime


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def _audit(session: Session, tabel: str, sleutel: str, veld: str, oud, nieuw, user: User) -> None:
    session.add(Wijziging(tabel=tabel, sleutel=sleutel, veld=veld, oude_waarde=oud,
                          nieuwe_waarde=nieuw, door=user.gebruikersnaam, op=_now(), reden=None))


def check_titel(titel: str | None) -> str:
    titel = titel.strip() if isinstance(titel, str) else ""
    if not titel:
        raise StandError("Geef een titel op.")
    if len(titel) > MAX_TITEL:
        message = too_long("de titel", len(titel), MAX_TITEL, pronoun="hem")
        raise StandError(message[:1].upper() + message[1:] + ".")
    return titel


# --- snapshots ---------------------------------------------------------------------------------

def checksum(inhoud) -> str:
    """sha256 of a stand's content as JSON gives it back (as either database and a back-up do), in
    one spelling: keys sorted, no spaces."""
    text = json.dumps(inhoud, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def insert_stand(engine: Engine, user: User, peildatum: dt.date, titel: str, jaar: int,
                 inhoud: dict) -> int:
    require_manager(user)
    titel = check_titel(titel)
    with Session(engine) as session, session.begin():
        row = Stand(peildatum=peildatum, titel=titel, jaar=jaar, gemaakt_door=user.naam,
                    gemaakt_op=_now(), inhoud=inhoud,
                    # of the content as it will be read: tuples as lists, number keys as text
                    controlegetal=checksum(json.loads(json.dumps(inhoud))))
        session.add(row)
        session.flush()
        _audit(session, "stand", str(row.id), "vastgelegd", None,
               f"{peildatum.isoformat()} {titel}", user)
        return row.id


def _info(row) -> StandInfo:
    return StandInfo(row.id, row.peildatum, row.titel, row.jaar, row.gemaakt_door, row.gemaakt_op)


def list_standen(engine: Engine) -> list[StandInfo]:
    """Newest peildatum first."""
    with engine.connect() as conn:
        rows = conn.execute(select(Stand.id, Stand.peildatum, Stand.titel, Stand.jaar,
                                   Stand.gemaakt_door, Stand.gemaakt_op)
                            .order_by(Stand.peildatum.desc(), Stand.id.desc())).all()
    return [_info(r) for r in rows]


def get_stand(engine: Engine, stand_id: int) -> tuple[StandInfo, dict] | None:
    """The stand and its content; StandError when the content is no longer what was frozen."""
    with engine.connect() as conn:
        row = conn.execute(select(Stand.__table__).where(Stand.id == stand_id)).first()
    if row is None:
        return None
    if row.controlegetal is not None and checksum(row.inhoud) != row.controlegetal:
        raise StandError(f"Stand {stand_id} is beschadigd: zijn inhoud is niet meer wat is vastgesteld. Meld het "
                         "bij de functioneel beheerder.")
    return _info(row), row.inhoud


def delete_stand(engine: Engine, user: User, stand_id: int) -> None:
    require_manager(user)
    with Session(engine) as session, session.begin():
        row = session.get(Stand, stand_id)
        if row is None:
            raise StandError(f"Stand {stand_id} bestaat niet (meer).")
        _audit(session, "stand", str(stand_id), "verwijderd", f"{row.peildatum.isoformat()} {row.titel}",
               None, user)
        session.delete(row)


# --- slides added to the presentation ----------------------------------------------------------

def list_dias(engine: Engine) -> list[Dia]:
    with engine.connect() as conn:
        rows = conn.execute(select(PresentatieDia.__table__)
                            .order_by(PresentatieDia.volgorde, PresentatieDia.id)).all()
    return [Dia(r.id, r.volgorde, r.titel, r.weergave, r.toegevoegd_door, r.toegevoegd_op) for r in rows]


def add_dia(engine: Engine, user: User, titel: str, weergave: str) -> int:
    require_manager(user)
    titel = check_titel(titel)
    if not weergave or len(weergave) > MAX_WEERGAVE or not weergave.startswith("?"):
        raise StandError("Deze weergave kan niet aan de presentatie worden toegevoegd.")
    with Session(engine) as session, session.begin():
        if session.scalar(select(PresentatieDia.id).where(PresentatieDia.weergave == weergave)) is not None:
            raise StandError("Deze weergave staat al in de presentatie.")
        last = session.scalar(select(func.max(PresentatieDia.volgorde))) or 0
        row = PresentatieDia(volgorde=last + 1, titel=titel, weergave=weergave,
                             toegevoegd_door=user.naam, toegevoegd_op=_now())
        session.add(row)
        session.flush()
        _audit(session, "presentatie_dia", str(row.id), "toegevoegd", None, f"{titel} {weergave}", user)
        return row.id


def remove_dia(engine: Engine, user: User, dia_id: int) -> None:
    require_manager(user)
    with Session(engine) as session, session.begin():
        row = session.get(PresentatieDia, dia_id)
        if row is None:
            raise StandError("Deze dia staat niet (meer) in de presentatie.")
        _audit(session, "presentatie_dia", str(dia_id), "verwijderd", f"{row.titel} {row.weergave}", None, user)
        session.execute(delete(PresentatieDia).where(PresentatieDia.id == dia_id))


def move_dia(engine: Engine, user: User, dia_id: int, stap: int) -> None:
    """Move a slide one place up (stap = -1) or down (+1); the order is renumbered 1, 2, 3 …"""
    require_manager(user)
    if stap not in (-1, 1):
        raise StandError("Een dia gaat één plaats omhoog of omlaag.")
    with Session(engine) as session, session.begin():
        rows = list(session.scalars(select(PresentatieDia)
                                    .order_by(PresentatieDia.volgorde, PresentatieDia.id)))
        index = next((i for i, r in enumerate(rows) if r.id == dia_id), None)
        if index is None:
            raise StandError("Deze dia staat niet (meer) in de presentatie.")
        target = index + stap
        if not 0 <= target < len(rows):
            raise StandError("Deze dia staat al " + ("bovenaan." if stap < 0 else "onderaan."))
        rows[index], rows[target] = rows[target], rows[index]
        for number, row in enumerate(rows, start=1):
            row.volgorde = number
        _audit(session, "presentatie_dia", str(dia_id), "volgorde", str(index + 1), str(target + 1), user)
