"""What the targets file reads (dashboard.programme.targets_csv), as plain rows: every indicator
with its place in the programme, its nulmetingen and streefwaarden, and the targets' versions.
They take a connection: the import checks the file and writes its changes in one transaction
(through data.programme.edits.set_streefwaarde_in)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, Row, select

from data.programme.schema import Indicator, Maatregel, StrategischeLijn, Streefwaarde


@dataclass(frozen=True)
class TargetRows:
    # (id, code, naam, kpi_id, eenheid, richting, bovengrens, lijn_id, and of its maatregel if it
    # has one: maatregel (the code), maatregel_nummer, maatregel_lijn_id), in no particular order
    indicatoren: list[Row]
    lijnen: dict[int, tuple[int, str]]  # lijn id → (nummer, code)
    streefwaarden: list[Row]            # (indicator_id, jaar, soort, waarde), oldest jaar first


def target_rows(conn: Connection) -> TargetRows:
    lijn_of_maatregel = select(Maatregel.id, Maatregel.code, Maatregel.nummer, Maatregel.lijn_id).subquery()
    indicatoren = conn.execute(
        select(Indicator.id, Indicator.code, Indicator.naam, Indicator.kpi_id, Indicator.eenheid,
               Indicator.richting, Indicator.bovengrens, Indicator.lijn_id,
               lijn_of_maatregel.c.code.label("maatregel"),
               lijn_of_maatregel.c.nummer.label("maatregel_nummer"),
               lijn_of_maatregel.c.lijn_id.label("maatregel_lijn_id"))
        .outerjoin(lijn_of_maatregel, lijn_of_maatregel.c.id == Indicator.maatregel_id)).all()
    lijnen = {r.id: (r.nummer, r.code) for r in conn.execute(
        select(StrategischeLijn.id, StrategischeLijn.nummer, StrategischeLijn.code))}
    streefwaarden = conn.execute(select(Streefwaarde.indicator_id, Streefwaarde.jaar, Streefwaarde.soort,
                                        Streefwaarde.waarde).order_by(Streefwaarde.jaar)).all()
    return TargetRows(indicatoren, lijnen, streefwaarden)


def target_versions(conn: Connection) -> dict[tuple[str, int, str], int]:
    """(indicator code, jaar, soort) → the version of that streefwaarde or nulmeting."""
    return {(r.code, r.jaar, r.soort): r.version for r in conn.execute(
        select(Indicator.code, Streefwaarde.jaar, Streefwaarde.soort, Streefwaarde.version)
        .join(Indicator, Indicator.id == Streefwaarde.indicator_id))}
