"""What the reporting cycle's screens read (dashboard.programme.history), as plain rows: an
indicator's editable values with their versions, a quarter's voortgang, lock and trekkers, the
audit trail under a code, and the annotations. The SQL on these tables is data/'s; the wording
and the combining are the dashboard's. (Writes go through data.programme.edits.)"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, Row, select

from data.accounts.schema import Gebruiker, GebruikerMaatregel
from data.programme.schema import (
    Annotatie,
    Indicator,
    Maatregel,
    MaatregelVoortgang,
    Rapportageperiode,
    Realisatie,
    Streefwaarde,
    Wijziging,
)


def indicator_value_rows(engine: Engine, code: str) -> tuple[list[Row], list[Row]] | None:
    """The streefwaarde rows (nulmeting included) and the realisatie rows of indicator `code`,
    every column (value, version, who changed it last); None for an unknown code."""
    with engine.connect() as conn:
        ind_id = conn.scalar(select(Indicator.id).where(Indicator.code == code))
        if ind_id is None:
            return None
        targets = conn.execute(select(Streefwaarde).where(Streefwaarde.indicator_id == ind_id)).all()
        realised = conn.execute(select(Realisatie).where(Realisatie.indicator_id == ind_id)).all()
    return targets, realised


def voortgang_rows(engine: Engine, periode: str) -> list[Row]:
    """(code, status, toelichting, version, gewijzigd_door, gewijzigd_op) of every maatregel
    with voortgang reported for quarter `periode`."""
    with engine.connect() as conn:
        return conn.execute(select(Maatregel.code, MaatregelVoortgang.status, MaatregelVoortgang.toelichting,
                                   MaatregelVoortgang.version, MaatregelVoortgang.gewijzigd_door,
                                   MaatregelVoortgang.gewijzigd_op)
                            .join(Maatregel, Maatregel.id == MaatregelVoortgang.maatregel_id)
                            .where(MaatregelVoortgang.periode == periode)).all()


def period_row(engine: Engine, periode: str) -> Row | None:
    """The rapportageperiode row of quarter `periode`; None when it was never locked."""
    with engine.connect() as conn:
        return conn.execute(select(Rapportageperiode).where(Rapportageperiode.periode == periode)).first()


@dataclass(frozen=True)
class QuarterRows:
    """What tells how far the trekkers are with one quarter."""
    maatregelen: list[Row]   # (id, code, naam), by lijn and nummer
    reported: set[int]       # ids of the maatregelen with voortgang for the quarter
    trekkers: list[Row]      # (naam, maatregel_id) of every active trekker's maatregel


def quarter_rows(engine: Engine, periode: str) -> QuarterRows:
    with engine.connect() as conn:
        return QuarterRows(
            maatregelen=conn.execute(select(Maatregel.id, Maatregel.code, Maatregel.naam)
                                     .order_by(Maatregel.lijn_id, Maatregel.nummer)).all(),
            reported=set(conn.scalars(select(MaatregelVoortgang.maatregel_id)
                                      .where(MaatregelVoortgang.periode == periode))),
            trekkers=conn.execute(select(Gebruiker.naam, GebruikerMaatregel.maatregel_id)
                                  .join(Gebruiker, Gebruiker.id == GebruikerMaatregel.gebruiker_id)
                                  .where(Gebruiker.actief.is_(True), Gebruiker.rol == "trekker")).all())


def change_rows(engine: Engine, tables: tuple[str, ...], code: str) -> tuple[list[Row], set[str]]:
    """The audit rows (`wijziging`) of `tables` whose key starts with `code/`, newest first, and
    the locked reporting quarters, read in one connection (a row's period is judged by them)."""
    prefix = code + "/"
    with engine.connect() as conn:
        rows = conn.execute(select(Wijziging).where(
            Wijziging.tabel.in_(tables),
            Wijziging.sleutel.like(prefix.replace("%", r"\%").replace("_", r"\_") + "%", escape="\\"))
            .order_by(Wijziging.op.desc(), Wijziging.id.desc())).all()
        locked = set(conn.scalars(select(Rapportageperiode.periode).where(Rapportageperiode.vastgesteld.is_(True))))
    return rows, locked


def table_change_rows(engine: Engine, table: str) -> tuple[list[Row], set[str]]:
    """Every audit row of `table` (e.g. maatregel_voortgang, for all maatregelen of a page in one
    query), newest first, and the locked reporting quarters, read in one connection."""
    with engine.connect() as conn:
        rows = conn.execute(select(Wijziging).where(Wijziging.tabel == table)
                            .order_by(Wijziging.op.desc(), Wijziging.id.desc())).all()
        locked = set(conn.scalars(select(Rapportageperiode.periode).where(Rapportageperiode.vastgesteld.is_(True))))
    return rows, locked


def lock_change_rows(engine: Engine, periode: str) -> list[Row]:
    """The audit rows of locking and unlocking quarter `periode` (`wijziging`, table
    rapportageperiode: nieuwe_waarde "ja" for vastgesteld, "nee" for ontgrendeld), newest first."""
    with engine.connect() as conn:
        return conn.execute(select(Wijziging).where(Wijziging.tabel == "rapportageperiode",
                                                    Wijziging.sleutel == periode, Wijziging.veld == "vastgesteld")
                            .order_by(Wijziging.op.desc(), Wijziging.id.desc())).all()


def annotation_rows(engine: Engine, codes) -> list[Row]:
    """(code, id, datum, tekst, door) of the notes of the indicators `codes`, by date."""
    with engine.connect() as conn:
        return conn.execute(select(Indicator.code, Annotatie.id, Annotatie.datum, Annotatie.tekst, Annotatie.door)
                            .join(Indicator, Indicator.id == Annotatie.indicator_id)
                            .where(Indicator.code.in_(list(codes)))
                            .order_by(Annotatie.datum, Annotatie.id)).all()
