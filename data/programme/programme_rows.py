"""The programme tables read whole, as plain rows, in one connection: what the dashboard's
programme view (dashboard.programme.progress) builds the programme tree from. The SQL on the
programme tables is data/'s; combining the rows with the KPI catalogue is the dashboard's."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, Row, select

from data.programme.plan import Plan, read_plan
from data.programme.schema import (
    Doelstelling,
    Indicator,
    IndicatorDoelstelling,
    Maatregel,
    MaatregelVoortgang,
    Rapportageperiode,
    Realisatie,
    StrategischeLijn,
    Streefwaarde,
)


@dataclass(frozen=True)
class ProgrammeRows:
    plan: Plan
    lijnen: list[Row]              # every column, by nummer
    maatregelen: list[Row]         # every column, by lijn and nummer
    doelstellingen: list[Row]      # every column, by nummer
    indicatoren: list[Row]         # every column, by code
    doelstelling_links: list[Row]  # (indicator_id, doelstelling_id)
    streefwaarden: list[Row]       # every column, nulmetingen included
    realisaties: list[Row]         # every column
    vastgesteld: set[str]          # the locked (vastgestelde) reporting quarters
    voortgang: list[Row]           # (maatregel_id, periode, status, toelichting), oldest periode first


def programme_rows(engine: Engine) -> ProgrammeRows:
    """Every row of the programme tree, with targets, realisaties, locked quarters and reported
    voortgang, read in one connection."""
    with engine.connect() as conn:
        return ProgrammeRows(
            plan=read_plan(conn),
            lijnen=conn.execute(select(StrategischeLijn.__table__).order_by(StrategischeLijn.nummer)).all(),
            maatregelen=conn.execute(select(Maatregel.__table__)
                                     .order_by(Maatregel.lijn_id, Maatregel.nummer)).all(),
            doelstellingen=conn.execute(select(Doelstelling.__table__).order_by(Doelstelling.nummer)).all(),
            indicatoren=conn.execute(select(Indicator.__table__).order_by(Indicator.code)).all(),
            doelstelling_links=conn.execute(select(IndicatorDoelstelling.__table__)).all(),
            streefwaarden=conn.execute(select(Streefwaarde.__table__)).all(),
            realisaties=conn.execute(select(Realisatie.__table__)).all(),
            vastgesteld=set(conn.scalars(select(Rapportageperiode.periode)
                                         .where(Rapportageperiode.vastgesteld.is_(True)))),
            voortgang=conn.execute(select(MaatregelVoortgang.maatregel_id, MaatregelVoortgang.periode,
                                          MaatregelVoortgang.status, MaatregelVoortgang.toelichting)
                                   .order_by(MaatregelVoortgang.periode)).all())


def indicator_unit_row(engine: Engine, code: str) -> Row | None:
    """(eenheid, kpi_id) of indicator `code`, with one small query instead of the whole
    programme; None for an unknown code."""
    with engine.connect() as conn:
        return conn.execute(select(Indicator.eenheid, Indicator.kpi_id).where(Indicator.code == code)).first()
