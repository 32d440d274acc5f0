"""The warehouse's tables: dimensions and facts as the import format delivers them (a delivered
file replaces exactly one table), the load log, and the tables derived from the facts at load."""
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
    Index,
    Integer,
    String,
    Table,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from data.base import Base, check_in
from data.warehouse import codes

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
    wijk_code: Mapped[str | None] = mapped_column(String(32), index=True)
    __table_args__ = (CheckConstraint(check_in("school_soort", codes.SCHOOL_SOORT), name="soort"),)


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
    wijk_code: Mapped[str] = mapped_column(String(32))
    school_code: Mapped[str | None] = mapped_column(String(32))
    verwijzer: Mapped[str] = mapped_column(String(32))
    hulpvorm: Mapped[str] = mapped_column(String(32))
    aanbieder_code: Mapped[str | None] = mapped_column(String(32))
    aanmelddatum: Mapped[dt.date | None] = mapped_column(Date)
    startdatum: Mapped[dt.date] = mapped_column(Date)
    einddatum: Mapped[dt.date | None] = mapped_column(Date)
    reden_einde: Mapped[str | None] = mapped_column(String(32))
    doelrealisatie: Mapped[str | None] = mapped_column(String(16))
    financiering: Mapped[str | None] = mapped_column(String(8))
    # Only from the iJw berichtenverkeer (data/warehouse/ijw/, not in the import format): the JW315
    # request's date, the first JW301's Toewijzingsdatum and the toewijzing's Ingangsdatum.
    verzoekdatum: Mapped[dt.date | None] = mapped_column(Date)
    toewijzingsdatum: Mapped[dt.date | None] = mapped_column(Date)
    ingangsdatum: Mapped[dt.date | None] = mapped_column(Date)
    __table_args__ = (
        CheckConstraint("geboortejaar >= 1990", name="geboortejaar"),
        CheckConstraint(check_in("verwijzer", codes.VERWIJZER), name="verwijzer"),
        CheckConstraint(check_in("hulpvorm", codes.HULPVORM), name="hulpvorm"),
        CheckConstraint("reden_einde IS NULL OR " + check_in("reden_einde", codes.REDEN_EINDE),
                        name="reden_einde"),
        CheckConstraint("doelrealisatie IS NULL OR " + check_in("doelrealisatie", codes.DOELREALISATIE),
                        name="doelrealisatie"),
        CheckConstraint("financiering IS NULL OR " + check_in("financiering", codes.FINANCIERING),
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
        # The iJw KPIs' populations (verzoek, ingang): without the berichtenverkeer these indexes
        # are empty and such a KPI is answered at once, not by a scan of the period's trajecten
        # (3.9 M trajecten: 78-209 ms -> 3-5 ms, docs/performance.md).
        Index("ix_trajecten_verzoek", "startdatum", postgresql_where=text("verzoekdatum IS NOT NULL"),
              sqlite_where=text("verzoekdatum IS NOT NULL")),
        Index("ix_trajecten_ingang", "startdatum", postgresql_where=text("ingangsdatum IS NOT NULL"),
              sqlite_where=text("ingangsdatum IS NOT NULL")),
    )


class Verblijf(Base):
    __tablename__ = "verblijf"
    verblijf_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    traject_id: Mapped[str] = mapped_column(String(64))
    verblijfsvorm: Mapped[str] = mapped_column(String(16))
    startdatum: Mapped[dt.date] = mapped_column(Date)
    einddatum: Mapped[dt.date | None] = mapped_column(Date)
    __table_args__ = (
        CheckConstraint(check_in("verblijfsvorm", codes.VERBLIJFSVORM), name="verblijfsvorm"),
        CheckConstraint("einddatum IS NULL OR einddatum >= startdatum", name="einde_na_start"),
        Index("ix_verblijf_traject", "traject_id"),
        Index("ix_verblijf_periode", "startdatum", "einddatum"),
        Index("ix_verblijf_einddatum", "einddatum"),
    )


class Kosten(Base):
    """One delivered cost row. `regel` is its line in kosten.csv, so reloading is exact."""
    __tablename__ = "kosten"
    regel: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    traject_id: Mapped[str] = mapped_column(String(64))
    maand: Mapped[dt.date] = mapped_column(Date)  # first day of the month
    bedrag_cent: Mapped[int] = mapped_column(BigInteger)
    # The day the declaration was received (import format 1.1, optional column); NULL when not delivered.
    ontvangen: Mapped[dt.date | None] = mapped_column(Date)
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
    traject_id: Mapped[str | None] = mapped_column(String(64))
    gemeente_code: Mapped[str] = mapped_column(String(16))
    jaar: Mapped[int] = mapped_column(Integer)
    respondent: Mapped[str] = mapped_column(String(16))
    score: Mapped[int] = mapped_column(Integer)
    __table_args__ = (
        CheckConstraint(check_in("respondent", codes.RESPONDENT), name="respondent"),
        CheckConstraint("score BETWEEN 1 AND 10", name="score"),
        Index("ix_tevredenheid_jaar", "jaar", "gemeente_code"),
        Index("ix_tevredenheid_traject", "traject_id"),
    )


class Bevolking(Base):
    __tablename__ = "bevolking"
    jaar: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    wijk_code: Mapped[str] = mapped_column(String(32), primary_key=True)
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
    # An added delivery (`load --toevoegen`): per table the months its rows fall in, e.g.
    # {"kosten": ["2026-08", "2026-09"]}; NULL for a load that replaced its tables.
    aangevuld: Mapped[dict | None] = mapped_column(JSON)
    # The stored KPI totals (kpi_totalen) count from this load on: rows of a load before it were
    # computed from other facts. NULL: only this load's own rows (what every load writes; the
    # KPI layer sets it when an added delivery left the other rows true; kpi/totals.py).
    totalen_vanaf: Mapped[int | None] = mapped_column(Integer)


class LoadRun(Base):
    """One row per load run, successful or not, for the monitoring (/metrics; data/warehouse/load_runs.py):
    its kind, when it started, how long it took, how it ended. Written after the load's own
    transaction, so a failed load still leaves the warehouse as it was. No file names, values or
    problem texts: only their number."""
    __tablename__ = "laadrun"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    soort: Mapped[str] = mapped_column(String(16))  # csv, ijw or demo
    gestart_op: Mapped[dt.datetime] = mapped_column(DateTime)  # UTC (laadlog.geladen_op is local time)
    duur_seconden: Mapped[float] = mapped_column(Float)
    geslaagd: Mapped[bool] = mapped_column(Boolean)
    problemen: Mapped[int] = mapped_column(Integer)  # a refused load's problems; 0 otherwise


# --- derived from the facts (data/warehouse/summaries.py rebuilds it in every load that touches them) ----

# Kosten per jeugdige per calendar year with the keys of the traject they belong to, so the kosten
# KPIs need no join to trajecten: the year's sum and, per month, the month's sum (NULL: no kosten
# row in that month; 0 is a month whose rows cancel out) and a bit per month with rows (`maanden`,
# bit 0 January), so any range of months reads its sum and its jeugdigen from a year's row. Exact
# for them: sums add up, and a distinct count of jeugdigen over the rows with a month in the range
# equals one over the kosten rows (a row per jeugdige, year and key combination; after an added
# delivery of kosten a combination may have more than one, which changes neither). One row per
# year instead of one per month: 7× fewer rows at national scale, a sixth of the disk
# (docs/performance.md). No primary key: school and aanbieder may be empty.
MAANDEN = tuple(f"m{month:02d}" for month in range(1, 13))

KOSTEN_JEUGDIGE_JAAR = Table(
    "kosten_jeugdige_jaar", Base.metadata,
    Column("jaar", Integer, nullable=False),
    Column("jeugdige_id", String(64), nullable=False),
    Column("wijk_code", String(32), nullable=False),
    Column("school_code", String(32)),
    Column("verwijzer", String(32), nullable=False),
    Column("hulpvorm", String(32), nullable=False),
    Column("aanbieder_code", String(32)),
    Column("bedrag_cent", BigInteger, nullable=False),  # Σ of the year's kosten rows
    Column("regels", Integer, nullable=False),          # how many kosten rows
    Column("maanden", Integer, nullable=False),         # bit m-1: month m has kosten rows
    *(Column(name, BigInteger) for name in MAANDEN),    # Σ per month
    # Covering for a year's totals: the year and the jeugdigen, read from the index alone.
    Index("ix_kosten_jeugdige_jaar", "jaar", "jeugdige_id", "bedrag_cent"),
)


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
# the measure's sums, as JSON). Filled by the KPI layer (kpi/totals.py) in the load's transaction;
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
