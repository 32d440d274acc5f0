"""The warehouse schema: SQLAlchemy 2.0 typed models.

Fact and dimension tables mirror the files of the import format (contract: import-format.md), so a
delivered file replaces exactly one table. Programme tables hold the Programmaplan (lijnen,
doelstellingen, maatregelen, indicatoren, streefwaarden, realisaties) and the audit of changes.

The schema is owned by the Alembic migrations in data/migrations; these models are their source.
Money is stored in whole cents (exact sums on SQLite and PostgreSQL alike); dates as SQL DATE
(ISO text on SQLite, which compares correctly); a kosten month as the date of its first day.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from data import codes

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _in(column: str, code_list: codes.CodeList) -> str:
    values = ", ".join(f"'{v}'" for v in code_list.values)
    return f"{column} IN ({values})"


def _fk(target: str) -> ForeignKey:
    # Deferred, so a load can replace a parent table and its children in one transaction; the
    # loader reports dangling references itself (with FILE:LINE) before the commit would.
    return ForeignKey(target, deferrable=True, initially="DEFERRED")


# --- dimensions --------------------------------------------------------------------------------

class Wijk(Base):
    __tablename__ = "wijken"
    wijk_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    wijk_naam: Mapped[str] = mapped_column(String(200))
    gemeente_code: Mapped[str] = mapped_column(String(16), index=True)
    gemeente_naam: Mapped[str] = mapped_column(String(200))


class School(Base):
    __tablename__ = "scholen"
    school_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    school_naam: Mapped[str] = mapped_column(String(200))
    school_soort: Mapped[str] = mapped_column(String(16))
    wijk_code: Mapped[str | None] = mapped_column(String(32), _fk("wijken.wijk_code"), index=True)
    __table_args__ = (CheckConstraint(_in("school_soort", codes.SCHOOL_SOORT), name="soort"),)


class Aanbieder(Base):
    __tablename__ = "aanbieders"
    aanbieder_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    aanbieder_naam: Mapped[str] = mapped_column(String(200))


# --- facts -------------------------------------------------------------------------------------

class Traject(Base):
    __tablename__ = "trajecten"
    traject_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    jeugdige_id: Mapped[str] = mapped_column(String(64))
    geboortejaar: Mapped[int] = mapped_column(Integer)
    wijk_code: Mapped[str] = mapped_column(String(32), _fk("wijken.wijk_code"))
    school_code: Mapped[str | None] = mapped_column(String(32), _fk("scholen.school_code"))
    verwijzer: Mapped[str] = mapped_column(String(32))
    hulpvorm: Mapped[str] = mapped_column(String(32))
    aanbieder_code: Mapped[str | None] = mapped_column(String(32), _fk("aanbieders.aanbieder_code"))
    aanmelddatum: Mapped[dt.date | None] = mapped_column(Date)
    startdatum: Mapped[dt.date] = mapped_column(Date)
    einddatum: Mapped[dt.date | None] = mapped_column(Date)
    reden_einde: Mapped[str | None] = mapped_column(String(32))
    doelrealisatie: Mapped[str | None] = mapped_column(String(16))
    financiering: Mapped[str | None] = mapped_column(String(8))
    __table_args__ = (
        CheckConstraint("geboortejaar >= 1990", name="geboortejaar"),
        CheckConstraint(_in("verwijzer", codes.VERWIJZER), name="verwijzer"),
        CheckConstraint(_in("hulpvorm", codes.HULPVORM), name="hulpvorm"),
        CheckConstraint("reden_einde IS NULL OR " + _in("reden_einde", codes.REDEN_EINDE),
                        name="reden_einde"),
        CheckConstraint("doelrealisatie IS NULL OR " + _in("doelrealisatie", codes.DOELREALISATIE),
                        name="doelrealisatie"),
        CheckConstraint("financiering IS NULL OR " + _in("financiering", codes.FINANCIERING),
                        name="financiering"),
        CheckConstraint("einddatum IS NULL OR einddatum >= startdatum", name="einde_na_start"),
        CheckConstraint("aanmelddatum IS NULL OR aanmelddatum <= startdatum", name="aanmelding_voor_start"),
        CheckConstraint("(einddatum IS NULL) = (reden_einde IS NULL)", name="reden_bij_einde"),
        CheckConstraint("doelrealisatie IS NULL OR einddatum IS NOT NULL", name="doel_bij_einde"),
        # Period predicates (started / ended / active) and the breakdown columns.
        Index("ix_trajecten_startdatum", "startdatum", "einddatum"),
        Index("ix_trajecten_einddatum", "einddatum"),
        Index("ix_trajecten_jeugdige", "jeugdige_id", "startdatum"),
        Index("ix_trajecten_wijk", "wijk_code", "startdatum"),
        Index("ix_trajecten_school", "school_code", "startdatum"),
        Index("ix_trajecten_verwijzer", "verwijzer", "startdatum"),
        Index("ix_trajecten_hulpvorm", "hulpvorm", "startdatum"),
        Index("ix_trajecten_aanbieder", "aanbieder_code", "startdatum"),
    )


class Verblijf(Base):
    __tablename__ = "verblijf"
    verblijf_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    traject_id: Mapped[str] = mapped_column(String(64), _fk("trajecten.traject_id"))
    verblijfsvorm: Mapped[str] = mapped_column(String(16))
    startdatum: Mapped[dt.date] = mapped_column(Date)
    einddatum: Mapped[dt.date | None] = mapped_column(Date)
    __table_args__ = (
        CheckConstraint(_in("verblijfsvorm", codes.VERBLIJFSVORM), name="verblijfsvorm"),
        CheckConstraint("einddatum IS NULL OR einddatum >= startdatum", name="einde_na_start"),
        Index("ix_verblijf_traject", "traject_id"),
        Index("ix_verblijf_periode", "startdatum", "einddatum"),
        Index("ix_verblijf_einddatum", "einddatum"),
    )


class Kosten(Base):
    """One delivered cost row. `regel` is its line in kosten.csv, so reloading is exact."""
    __tablename__ = "kosten"
    regel: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    traject_id: Mapped[str] = mapped_column(String(64), _fk("trajecten.traject_id"))
    maand: Mapped[dt.date] = mapped_column(Date)  # first day of the month
    bedrag_cent: Mapped[int] = mapped_column(BigInteger)
    __table_args__ = (
        Index("ix_kosten_maand", "maand", "traject_id", "bedrag_cent"),
        Index("ix_kosten_traject", "traject_id", "maand"),
    )


class Budget(Base):
    __tablename__ = "budget"
    jaar: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    gemeente_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    bedrag_cent: Mapped[int] = mapped_column(BigInteger)


class Tevredenheid(Base):
    __tablename__ = "tevredenheid"
    respons_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    traject_id: Mapped[str | None] = mapped_column(String(64), _fk("trajecten.traject_id"))
    gemeente_code: Mapped[str] = mapped_column(String(16))
    jaar: Mapped[int] = mapped_column(Integer)
    respondent: Mapped[str] = mapped_column(String(16))
    score: Mapped[int] = mapped_column(Integer)
    __table_args__ = (
        CheckConstraint(_in("respondent", codes.RESPONDENT), name="respondent"),
        CheckConstraint("score BETWEEN 1 AND 10", name="score"),
        Index("ix_tevredenheid_jaar", "jaar", "gemeente_code"),
        Index("ix_tevredenheid_traject", "traject_id"),
    )


class Bevolking(Base):
    __tablename__ = "bevolking"
    jaar: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    wijk_code: Mapped[str] = mapped_column(String(32), _fk("wijken.wijk_code"), primary_key=True)
    aantal_0_17: Mapped[int] = mapped_column(Integer)
    aantal_18_22: Mapped[int | None] = mapped_column(Integer)
    __table_args__ = (
        CheckConstraint("aantal_0_17 >= 0", name="aantal_0_17"),
        CheckConstraint("aantal_18_22 IS NULL OR aantal_18_22 >= 0", name="aantal_18_22"),
    )


class LoadLog(Base):
    """One row per successful load: when, from where, which files (rows, sha256)."""
    __tablename__ = "laadlog"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    geladen_op: Mapped[dt.datetime] = mapped_column(DateTime)
    bron: Mapped[str] = mapped_column(Text)
    bestanden: Mapped[list] = mapped_column(JSON)  # [{"bestand", "rijen", "sha256"}]
    data_tot: Mapped[dt.date | None] = mapped_column(Date)  # latest date in the warehouse


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
    # The value the plan set, kept when a target is adjusted, so the raad sees whether goals moved.
    oorspronkelijke_waarde: Mapped[float | None] = mapped_column(Float)
    version: Mapped[int] = mapped_column(Integer, default=1)
    gewijzigd_door: Mapped[str | None] = mapped_column(String(200))
    gewijzigd_op: Mapped[dt.datetime | None] = mapped_column(DateTime)
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


# --- accounts, the reporting cycle, annotations -------------------------------------------------

ROLLEN = ("programmamanager", "trekker", "lezer")


class Gebruiker(Base):
    """An account. Passwords are stored only as a salted, slow hash (werkzeug scrypt)."""
    __tablename__ = "gebruiker"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    gebruikersnaam: Mapped[str] = mapped_column(String(64), unique=True)
    naam: Mapped[str] = mapped_column(String(200))
    rol: Mapped[str] = mapped_column(String(32))
    wachtwoord_hash: Mapped[str] = mapped_column(String(300))
    actief: Mapped[bool] = mapped_column(Boolean, default=True)
    aangemaakt_op: Mapped[dt.datetime] = mapped_column(DateTime)
    __table_args__ = (
        CheckConstraint("rol IN (" + ", ".join(f"'{r}'" for r in ROLLEN) + ")", name="rol"),
    )


class GebruikerMaatregel(Base):
    """Which maatregelen a trekker may edit."""
    __tablename__ = "gebruiker_maatregel"
    gebruiker_id: Mapped[int] = mapped_column(ForeignKey("gebruiker.id", ondelete="CASCADE"),
                                              primary_key=True)
    maatregel_id: Mapped[int] = mapped_column(ForeignKey("maatregel.id"), primary_key=True)


class Inlogpoging(Base):
    """Login attempts, for rate limiting across workers (no passwords, ever)."""
    __tablename__ = "inlogpoging"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    gebruikersnaam: Mapped[str] = mapped_column(String(64))
    adres: Mapped[str] = mapped_column(String(64))
    op: Mapped[dt.datetime] = mapped_column(DateTime)
    gelukt: Mapped[bool] = mapped_column(Boolean)
    __table_args__ = (Index("ix_inlogpoging_naam_op", "gebruikersnaam", "op"),
                      Index("ix_inlogpoging_adres_op", "adres", "op"))


class Sessie(Base):
    """A login session, kept on the server so it can be ended: logging out deletes it, a new
    password or deactivation deletes all of the account's. The cookie holds a random token; only
    its SHA-256 is stored, so a copy of this table opens no session."""
    __tablename__ = "sessie"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    gebruiker_id: Mapped[int] = mapped_column(ForeignKey("gebruiker.id", ondelete="CASCADE"), index=True)
    aangemaakt_op: Mapped[dt.datetime] = mapped_column(DateTime)
    laatst_actief_op: Mapped[dt.datetime] = mapped_column(DateTime)


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


# --- presenting: frozen snapshots and chosen slides ------------------------------------------------

class Stand(Base):
    """A vastgestelde stand: the figures as of a peildatum, frozen for a meeting."""
    __tablename__ = "stand"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    peildatum: Mapped[dt.date] = mapped_column(Date)
    titel: Mapped[str] = mapped_column(String(200))
    jaar: Mapped[int] = mapped_column(Integer)
    gemaakt_door: Mapped[str] = mapped_column(String(200))
    gemaakt_op: Mapped[dt.datetime] = mapped_column(DateTime)
    inhoud: Mapped[dict] = mapped_column(JSON)


class PresentatieDia(Base):
    """An explorer view the programmamanager added to the presentation."""
    __tablename__ = "presentatie_dia"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    volgorde: Mapped[int] = mapped_column(Integer)
    titel: Mapped[str] = mapped_column(String(200))
    weergave: Mapped[str] = mapped_column(Text)  # the explorer's query string
    toegevoegd_door: Mapped[str] = mapped_column(String(200))
    toegevoegd_op: Mapped[dt.datetime] = mapped_column(DateTime)

# --- derived from the facts (data/samenvatting.py rebuilds it in every load that touches them) ----

# Kosten per jeugdige per month with the keys of the traject they belong to, so the kosten KPIs
# need no join to trajecten. Exact for them: sums add up, and a distinct count of jeugdigen over
# these rows equals one over the kosten rows (a row per jeugdige, month and key combination, never
# summed across months). No primary key: school and aanbieder may be empty.
def _kosten_summary(name: str, period: Column) -> Table:
    return Table(
        name, Base.metadata,
        period,
        Column("jeugdige_id", String(64), nullable=False),
        Column("wijk_code", String(32), nullable=False),
        Column("school_code", String(32)),
        Column("verwijzer", String(32), nullable=False),
        Column("hulpvorm", String(32), nullable=False),
        Column("aanbieder_code", String(32)),
        Column("bedrag_cent", BigInteger, nullable=False),  # Σ of the kosten rows
        Column("regels", Integer, nullable=False),          # how many kosten rows
        # Covering for the totals: a period range and the jeugdigen, read from the index alone.
        Index(f"ix_{name}", period.name, "jeugdige_id", "bedrag_cent"),
    )


KOSTEN_JEUGDIGE_MAAND = _kosten_summary("kosten_jeugdige_maand", Column("maand", Date, nullable=False))
# The same per calendar year, for periods of whole years (a year's breakdown, a yearly trend):
# 7× fewer rows than the months at national scale. Exact for the same reason.
KOSTEN_JEUGDIGE_JAAR = _kosten_summary("kosten_jeugdige_jaar", Column("jaar", Integer, nullable=False))


# Per calendar year, every jeugdige with a traject running in that year (started on or before 31
# December, not ended before 1 January), with that traject's keys and the jeugdige's geboortejaar:
# one row per distinct combination. A distinct count of jeugdigen over a year's rows equals one
# over the trajecten running in that year, per group and under any filter on the keys, and over
# several years' rows one over the trajecten running in the whole span. It covers the years from
# the first start to the last year any traject date falls in; later years read the facts
# (kpi/query.py). Read by the KPIs counting distinct jeugdigen with a running traject.
JEUGDIGEN_ACTIEF_JAAR = Table(
    "jeugdigen_actief_jaar", Base.metadata,
    Column("jaar", Integer, nullable=False),
    Column("jeugdige_id", String(64), nullable=False),
    Column("geboortejaar", Integer, nullable=False),
    Column("wijk_code", String(32), nullable=False),
    Column("school_code", String(32)),
    Column("verwijzer", String(32), nullable=False),
    Column("hulpvorm", String(32), nullable=False),
    Column("aanbieder_code", String(32)),
    Index("ix_jeugdigen_actief_jaar", "jaar", "jeugdige_id"),
)

# From it: the number of distinct jeugdigen per calendar year in each group of one dimension
# ("wijk", "gemeente", "school", "verwijzer", "hulpvorm", "aanbieder"; "totaal" with no key), for
# the explorer's and the overview's unfiltered views of a year. Exact: the distinct counts
# themselves, computed at load (never a sum of counts).
JEUGDIGEN_PER_JAAR = Table(
    "jeugdigen_per_jaar", Base.metadata,
    Column("jaar", Integer, nullable=False),
    Column("dimensie", String(16), nullable=False),
    Column("sleutel", String(32)),   # the group's code; empty school or aanbieder: NULL
    Column("jeugdigen", Integer, nullable=False),
    Index("ix_jeugdigen_per_jaar", "jaar", "dimensie"),
)


# Each KPI's total without filters or breakdown per calendar year, quarter and month (its trends
# on the overview and in the explorer), stored at load as the aggregates its query returns (n and
# the measure's sums, as JSON). Filled by the KPI layer (kpi/totalen.py) in the load's transaction;
# a row counts only for the load it was computed in (`laadlog_id`) and the query it was computed
# with (`definitie`, a hash of the compiled SQL), so a stale row — a later load, an upgraded KPI
# definition — is never read.
# Also each KPI's one-year breakdown by every dimension, without filters, for recent years: one row
# per group (`dimensie`, `sleutel`: the group's code or NULL for the empty group, `label` its name
# at load); a total has dimensie ''.
KPI_TOTALEN = Table(
    "kpi_totalen", Base.metadata,
    Column("kpi_id", String(64), nullable=False),
    Column("van", Date, nullable=False),
    Column("tot", Date, nullable=False),
    Column("dimensie", String(16), nullable=False),
    Column("sleutel", String(64)),
    Column("label", Text),
    Column("laadlog_id", Integer, nullable=False),
    Column("definitie", String(64), nullable=False),
    Column("n", BigInteger, nullable=False),
    Column("aggregaten", JSON, nullable=False),
    Index("ix_kpi_totalen", "kpi_id", "dimensie", "van"),
)

#: tables a higher layer fills in the load's transaction (`load_folder(..., derive=)`); the loader
#: refreshes their statistics after the load like those of the facts
DERIVED_TABLES = (KPI_TOTALEN.name,)


# Tables of the import format, in the order a load inserts them (parents first).
IMPORT_TABLES = ("wijken", "scholen", "aanbieders", "trajecten", "verblijf", "kosten", "budget",
                 "tevredenheid", "bevolking")
