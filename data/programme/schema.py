"""The programme's tables: the Programmaplan (lijnen, doelstellingen, maatregelen, indicatoren,
streefwaarden, realisaties) and the audit of its changes, the reporting cycle (voortgang per
kwartaal, vastgestelde perioden, annotaties) and the vastgestelde standen with their slides."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from data.base import Base

# --- the programme -----------------------------------------------------------------------------

class Programma(Base):
    """The programme plan itself — its name, gemeente and years — from the programme file's header
    (data/programme.py); one row. Every screen, export and check of a year reads them here."""
    __tablename__ = "programma"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    naam: Mapped[str] = mapped_column(String(300))
    gemeente: Mapped[str] = mapped_column(String(200))
    eerste_jaar: Mapped[int] = mapped_column(Integer)     # the first year with streefwaarden
    laatste_jaar: Mapped[int] = mapped_column(Integer)    # the last one
    nulmeting_jaar: Mapped[int] = mapped_column(Integer)  # the year the plan measures from


class StrategischeLijn(Base):
    __tablename__ = "strategische_lijn"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    nummer: Mapped[int] = mapped_column(Integer)
    naam: Mapped[str] = mapped_column(String(300))
    omschrijving: Mapped[str | None] = mapped_column(Text)


class Doelstelling(Base):
    __tablename__ = "doelstelling"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    nummer: Mapped[int] = mapped_column(Integer)
    naam: Mapped[str] = mapped_column(String(300))
    omschrijving: Mapped[str | None] = mapped_column(Text)


MAATREGEL_STATUSSEN = ("nog_niet_gestart", "op_schema", "vertraagd", "afgerond")
#: the statuses as people read them (screens, and the write path's messages)
MAATREGEL_STATUS_LABELS = {
    "nog_niet_gestart": "Nog niet gestart",
    "op_schema": "Op schema",
    "vertraagd": "Vertraagd",
    "afgerond": "Afgerond",
}


class Maatregel(Base):
    __tablename__ = "maatregel"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    lijn_id: Mapped[int] = mapped_column(ForeignKey("strategische_lijn.id"), index=True)
    nummer: Mapped[int] = mapped_column(Integer)
    naam: Mapped[str] = mapped_column(String(300))
    omschrijving: Mapped[str | None] = mapped_column(Text)
    trekker: Mapped[str | None] = mapped_column(String(200))
    regionaal: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(32), default="nog_niet_gestart")
    version: Mapped[int] = mapped_column(Integer, default=1)
    __table_args__ = (
        CheckConstraint("status IN (" + ", ".join(f"'{s}'" for s in MAATREGEL_STATUSSEN) + ")",
                        name="status"),
    )


class Indicator(Base):
    """Measures a lijn, maatregel or doelstelling: a catalogue KPI, or a manual series."""
    __tablename__ = "indicator"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    naam: Mapped[str] = mapped_column(String(300))
    soort: Mapped[str] = mapped_column(String(16))  # proces / effect
    kpi_id: Mapped[str | None] = mapped_column(String(64))  # None = manual indicator
    eenheid: Mapped[str | None] = mapped_column(String(32))
    richting: Mapped[str | None] = mapped_column(String(16))
    lijn_id: Mapped[int | None] = mapped_column(ForeignKey("strategische_lijn.id"), index=True)
    maatregel_id: Mapped[int | None] = mapped_column(ForeignKey("maatregel.id"), index=True)
    omschrijving: Mapped[str | None] = mapped_column(Text)
    # The highest value a target or realisatie may take where its unit's range is too narrow
    # (a budget share: spending more than the budget is exactly what it shows); None: the unit's.
    bovengrens: Mapped[float | None] = mapped_column(Float)
    __table_args__ = (
        CheckConstraint("soort IN ('proces', 'effect')", name="soort"),
        CheckConstraint("richting IS NULL OR richting IN ('lager_beter', 'hoger_beter')",
                        name="richting"),
    )


class IndicatorDoelstelling(Base):
    __tablename__ = "indicator_doelstelling"
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id"), primary_key=True)
    doelstelling_id: Mapped[int] = mapped_column(ForeignKey("doelstelling.id"), primary_key=True)


class Streefwaarde(Base):
    """A target (or the nulmeting) of an indicator for one year. `version` guards concurrent edits."""
    __tablename__ = "streefwaarde"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id"))
    jaar: Mapped[int] = mapped_column(Integer)
    soort: Mapped[str] = mapped_column(String(16), default="streefwaarde")
    waarde: Mapped[float] = mapped_column(Float)
    version: Mapped[int] = mapped_column(Integer, default=1)
    gewijzigd_door: Mapped[str | None] = mapped_column(String(200))
    gewijzigd_op: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # The value the plan set, kept when a target is adjusted, so the raad sees whether goals moved.
    # (Last, where its migration added it: a new database has the columns in an upgraded one's order.)
    oorspronkelijke_waarde: Mapped[float | None] = mapped_column(Float)
    __table_args__ = (
        UniqueConstraint("indicator_id", "jaar", "soort", name="uq_streefwaarde_indicator_jaar"),
        CheckConstraint("soort IN ('nulmeting', 'streefwaarde')", name="soort"),
    )


class Realisatie(Base):
    """A reported value of a manual indicator for a period ("2025", "2025-Q1", "2025-01")."""
    __tablename__ = "realisatie"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id"))
    periode: Mapped[str] = mapped_column(String(16))
    waarde: Mapped[float] = mapped_column(Float)
    version: Mapped[int] = mapped_column(Integer, default=1)
    gewijzigd_door: Mapped[str | None] = mapped_column(String(200))
    gewijzigd_op: Mapped[dt.datetime | None] = mapped_column(DateTime)
    __table_args__ = (
        UniqueConstraint("indicator_id", "periode", name="uq_realisatie_indicator_periode"),
    )


class Wijziging(Base):
    """Audit trail: every change to a programme value (who, when, old, new, why)."""
    __tablename__ = "wijziging"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tabel: Mapped[str] = mapped_column(String(64))
    sleutel: Mapped[str] = mapped_column(String(200))
    veld: Mapped[str] = mapped_column(String(64))
    oude_waarde: Mapped[str | None] = mapped_column(Text)
    nieuwe_waarde: Mapped[str | None] = mapped_column(Text)
    door: Mapped[str] = mapped_column(String(200))
    op: Mapped[dt.datetime] = mapped_column(DateTime)
    reden: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (Index("ix_wijziging_sleutel", "tabel", "sleutel", "op"),)




# --- the reporting cycle, annotations, vastgestelde standen ----------------------------------

class MaatregelVoortgang(Base):
    """A maatregel's status and toelichting for one reporting period ("2025-Q3")."""
    __tablename__ = "maatregel_voortgang"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    maatregel_id: Mapped[int] = mapped_column(ForeignKey("maatregel.id"))
    periode: Mapped[str] = mapped_column(String(7))
    status: Mapped[str] = mapped_column(String(32))
    toelichting: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    gewijzigd_door: Mapped[str | None] = mapped_column(String(200))
    gewijzigd_op: Mapped[dt.datetime | None] = mapped_column(DateTime)
    __table_args__ = (
        UniqueConstraint("maatregel_id", "periode", name="uq_maatregel_voortgang_periode"),
        CheckConstraint("status IN (" + ", ".join(f"'{s}'" for s in MAATREGEL_STATUSSEN) + ")",
                        name="status"),
    )


class Rapportageperiode(Base):
    """A reporting quarter; once vastgesteld (locked) its values can only change after unlocking."""
    __tablename__ = "rapportageperiode"
    periode: Mapped[str] = mapped_column(String(7), primary_key=True)  # "2025-Q3"
    vastgesteld: Mapped[bool] = mapped_column(Boolean, default=False)
    vastgesteld_door: Mapped[str | None] = mapped_column(String(200))
    vastgesteld_op: Mapped[dt.datetime | None] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)


class Annotatie(Base):
    """A dated note on an indicator's timeline, shown on its trend charts."""
    __tablename__ = "annotatie"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id"), index=True)
    datum: Mapped[dt.date] = mapped_column(Date)
    tekst: Mapped[str] = mapped_column(String(300))
    door: Mapped[str] = mapped_column(String(200))
    op: Mapped[dt.datetime] = mapped_column(DateTime)


class Herinnering(Base):
    """A reminder e-mail a trekker was sent for a reporting quarter (dashboard/mail/), so a daily
    run sends each trekker at most one per quarter. Written before the mail goes out (a claim) and
    taken back when it could not be sent."""
    __tablename__ = "herinnering"
    gebruiker_id: Mapped[int] = mapped_column(ForeignKey("gebruiker.id", ondelete="CASCADE"), primary_key=True)
    periode: Mapped[str] = mapped_column(String(7), primary_key=True)  # "2026-Q4"
    verzonden_op: Mapped[dt.datetime] = mapped_column(DateTime)


# --- presenting: frozen snapshots and chosen slides ------------------------------------------------

class Stand(Base):
    """A vastgestelde stand: the figures as of a peildatum, frozen for a meeting. Its number is in
    the links sent to the raad, so a removed stand's number is never given again (on SQLite
    AUTOINCREMENT; PostgreSQL's sequence never goes back)."""
    __tablename__ = "stand"
    __table_args__ = {"sqlite_autoincrement": True}
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    peildatum: Mapped[dt.date] = mapped_column(Date)
    titel: Mapped[str] = mapped_column(String(200))
    jaar: Mapped[int] = mapped_column(Integer)
    gemaakt_door: Mapped[str] = mapped_column(String(200))
    gemaakt_op: Mapped[dt.datetime] = mapped_column(DateTime)
    inhoud: Mapped[dict] = mapped_column(JSON)
    # sha256 of `inhoud` as frozen (stand_store.checksum): a changed or damaged stand says so instead
    # of showing other figures; NULL only for a stand restored from a back-up made before it
    controlegetal: Mapped[str | None] = mapped_column(String(64), nullable=True)


class PresentatieDia(Base):
    """An explorer view the programmamanager added to the presentation."""
    __tablename__ = "presentatie_dia"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    volgorde: Mapped[int] = mapped_column(Integer)
    titel: Mapped[str] = mapped_column(String(200))
    weergave: Mapped[str] = mapped_column(Text)  # the explorer's query string
    toegevoegd_door: Mapped[str] = mapped_column(String(200))
    toegevoegd_op: Mapped[dt.datetime] = mapped_column(DateTime)
