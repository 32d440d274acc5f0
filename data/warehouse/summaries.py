"""Summary tables derived from the facts, for the KPI queries at national scale.

`kosten_jeugdige_jaar` (data/warehouse/schema.py) holds the kosten per jeugdige, calendar year and
traject keys, with the sum of each month, `jeugdigen_actief_jaar` the jeugdigen with a
running traject per calendar year, `jeugdigen_per_jaar` their number per year and group of one
dimension. They are never delivered: `rebuild(conn)` computes them from
the facts inside the caller's transaction — the loader calls it in the load's own transaction whenever kosten or trajecten are
replaced, so readers see the old facts with the old summary, or the new with the new, never a mix.
A delivery that adds kosten (`load --toevoegen`) calls `add_kosten` instead: the sums of its own
rows are added as rows of their own.
Anything else that writes kosten or trajecten directly (tests) must call it as well.

Measured at 20.6 M kosten rows on PostgreSQL: `totale_kosten` per maand read the facts through a
hash join to 2.2 M trajecten (3.2 s). A year's breakdown by wijk sorted 2.7 M rows of a monthly
table (7 s on a busy machine); the yearly table holds 0.38 M rows for that year, and a range of
months reads the same rows (docs/performance.md). Jeugdigen per school in a year (3.9 M trajecten): 0.65 s over
the trajecten (a bitmap scan over two date conditions, then a sort), 0.44 s over the year's rows
of `jeugdigen_actief_jaar`.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from sqlalchemy import (
    Connection,
    Date,
    Integer,
    String,
    and_,
    case,
    cast,
    delete,
    extract,
    func,
    insert,
    literal,
    or_,
    select,
    union_all,
)

from data.db import set_local
from data.warehouse.schema import (
    JEUGDIGEN_ACTIEF_JAAR,
    JEUGDIGEN_PER_JAAR,
    KOSTEN_JEUGDIGE_JAAR,
    KPI_TOTALEN,
    MAANDEN,
    Kosten,
    Traject,
    Wijk,
)

#: a load that replaces one of these tables rebuilds the summaries
SOURCES = frozenset({"kosten", "trajecten"})
TABLES = (KOSTEN_JEUGDIGE_JAAR.name, JEUGDIGEN_ACTIEF_JAAR.name, JEUGDIGEN_PER_JAAR.name)
#: (summary, the summaries its rows are selected from)
_MADE_FROM = ((JEUGDIGEN_PER_JAAR.name, (JEUGDIGEN_ACTIEF_JAAR.name,)),)
#: the groups of `jeugdigen_per_jaar`: dimension → its column in `jeugdigen_actief_jaar`
PER_JAAR_DIMENSIES = {"wijk": "wijk_code", "school": "school_code", "verwijzer": "verwijzer",
                      "hulpvorm": "hulpvorm", "aanbieder": "aanbieder_code"}

_KEYS = ("jeugdige_id", "wijk_code", "school_code", "verwijzer", "hulpvorm", "aanbieder_code")
#: the kosten summary's columns, in the order `kosten_per_jeugdige_jaar` selects them
KOSTEN_COLUMNS = ["jaar", *_KEYS, "bedrag_cent", "regels", "maanden", *MAANDEN]


def kosten_per_jeugdige_jaar(of_kosten=None):
    """The summary's rows as a SELECT over the facts (also what the tests compare it with): per
    calendar year, jeugdige and traject keys, the sum of the kosten rows, their number and each
    month's sum (NULL without rows); the months with rows as bits, from those sums (a DISTINCT
    aggregate would make PostgreSQL sort every kosten row). `of_kosten`: only these kosten rows."""
    k, t = Kosten.__table__.c, Traject.__table__.c
    month = cast(extract("month", k.maand), Integer)
    keys = [cast(extract("year", k.maand), Integer).label("jaar")] + [t[name] for name in _KEYS]
    sums = (select(*keys, func.sum(k.bedrag_cent).label("bedrag_cent"), func.count().label("regels"),
                   *(func.sum(case((month == number, k.bedrag_cent))).label(name)
                     for number, name in enumerate(MAANDEN, start=1)))
            .select_from(Kosten.__table__.join(Traject.__table__, k.traject_id == t.traject_id))
            .group_by(*keys))
    if of_kosten is not None:
        sums = sums.where(of_kosten)
    sums = sums.subquery("sommen")
    bits = [case((sums.c[name].is_not(None), 1 << (number - 1)), else_=0)
            for number, name in enumerate(MAANDEN, start=1)]
    return select(*(sums.c[name] for name in ("jaar", *_KEYS, "bedrag_cent", "regels")),
                  sum_of(bits).label("maanden"), *(sums.c[name] for name in MAANDEN))


def sum_of(terms: list):
    """terms[0] + terms[1] + … as one expression."""
    total = terms[0]
    for term in terms[1:]:
        total = total + term
    return total


def covered_years(conn: Connection) -> tuple[int, int] | None:
    """The years `jeugdigen_actief_jaar` must hold: the first start to the last year any traject
    date falls in (an open traject runs on after it, but no later year is asked of the summary)."""
    t = Traject.__table__.c
    first, last_start, last_end = conn.execute(
        select(func.min(t.startdatum), func.max(t.startdatum), func.max(t.einddatum))).one()
    if first is None:
        return None
    as_date = [d if isinstance(d, dt.date) else dt.date.fromisoformat(d) for d in (first, last_start, last_end) if d]
    return as_date[0].year, max(d.year for d in as_date[1:])


def jeugdigen_actief_per_jaar(first: int, last: int):
    """The summary's rows as a SELECT over the facts (also what the tests compare it with)."""
    t = Traject.__table__.c
    years = union_all(*(select(literal(y, Integer).label("jaar"), literal(dt.date(y, 1, 1), Date).label("van"),
                               literal(dt.date(y, 12, 31), Date).label("tot"))
                        for y in range(first, last + 1))).subquery("jaren")
    running = and_(t.startdatum <= years.c.tot, or_(t.einddatum.is_(None), t.einddatum >= years.c.van))
    keys = [years.c.jaar, t.jeugdige_id, t.geboortejaar, t.wijk_code, t.school_code, t.verwijzer, t.hulpvorm,
            t.aanbieder_code]
    return select(*keys).select_from(Traject.__table__.join(years, running)).distinct()


def jeugdigen_per_jaar():
    """`jeugdigen_per_jaar`'s rows as one SELECT over `jeugdigen_actief_jaar`: per year the distinct
    jeugdigen in total, per group of each dimension, and per gemeente (of the wijk)."""
    a = JEUGDIGEN_ACTIEF_JAAR.c
    distinct = func.count(a.jeugdige_id.distinct())
    parts = [select(a.jaar, literal("totaal").label("dimensie"), literal(None, String).label("sleutel"),
                    distinct.label("jeugdigen")).group_by(a.jaar)]
    for dimensie, column in PER_JAAR_DIMENSIES.items():
        parts.append(select(a.jaar, literal(dimensie), a[column], distinct).group_by(a.jaar, a[column]))
    w = Wijk.__table__.c
    parts.append(select(a.jaar, literal("gemeente"), w.gemeente_code, distinct)
                 .select_from(JEUGDIGEN_ACTIEF_JAAR.join(Wijk.__table__, w.wijk_code == a.wijk_code))
                 .group_by(a.jaar, w.gemeente_code))
    return union_all(*parts)


def rebuild(conn: Connection, tables: Collection[str] = TABLES) -> None:
    """Replace the summaries' rows by the aggregates of the current facts (in conn's transaction).
    `tables`: only these of TABLES and the ones they are made from (for tests: the summaries one
    KPI can read); the others keep their rows. The stored KPI totals always go."""
    wanted = set(tables)
    wanted |= {name for made, of in _MADE_FROM for name in of if made in wanted}
    if conn.dialect.name == "postgresql":
        # One big sort-based GROUP BY; the 4 MB default spills it to many small temp files.
        set_local(conn, "SET LOCAL work_mem = '256MB'")
    if KOSTEN_JEUGDIGE_JAAR.name in wanted:
        conn.execute(delete(KOSTEN_JEUGDIGE_JAAR))
        rows = kosten_per_jeugdige_jaar()
        # In year order, so the rows of one year lie together on disk.
        rows = rows.order_by(rows.selected_columns.jaar, rows.selected_columns.jeugdige_id)
        conn.execute(insert(KOSTEN_JEUGDIGE_JAAR).from_select(KOSTEN_COLUMNS, rows))
    # The KPI layer's stored yearly totals were computed from the old facts: gone until it
    # computes them again (a load does, right after this; until then KPIs read the facts).
    conn.execute(delete(KPI_TOTALEN))
    if JEUGDIGEN_ACTIEF_JAAR.name in wanted:
        conn.execute(delete(JEUGDIGEN_ACTIEF_JAAR))
        years = covered_years(conn)
        if years is not None:
            rows = jeugdigen_actief_per_jaar(*years)
            rows = rows.order_by(rows.selected_columns.jaar, rows.selected_columns.jeugdige_id)  # a year's rows together
            conn.execute(insert(JEUGDIGEN_ACTIEF_JAAR).from_select([c.name for c in rows.selected_columns], rows))
    if JEUGDIGEN_PER_JAAR.name in wanted:
        conn.execute(delete(JEUGDIGEN_PER_JAAR))
        conn.execute(insert(JEUGDIGEN_PER_JAAR).from_select(["jaar", "dimensie", "sleutel", "jeugdigen"],
                                                           jeugdigen_per_jaar()))


#: the summaries made from the kosten alone: an added delivery of kosten adds to these
KOSTEN_TABLES = (KOSTEN_JEUGDIGE_JAAR.name,)


def add_kosten(conn: Connection, after_regel: int) -> tuple[str, ...]:
    """After kosten rows were added (their `regel` above `after_regel`; loader.py's added
    delivery): their sums per jeugdige, year and traject keys go into the kosten summary as rows
    of their own, beside the rows already there. A group may then have several rows; what reads
    the table stays exact, because it only sums them and counts distinct jeugdigen
    (kpi/sources.py `KostenSummary`: KPIs whose aggregates are all sums), and the next load that
    replaces the kosten makes one row per group again. Redoing the months instead (every row of
    every month the delivery touches, back to a year and a half with late declarations) took 57 s
    at national scale, this a few (docs/performance.md). Returns the summaries changed."""
    added = Kosten.__table__.c.regel > after_regel
    conn.execute(insert(KOSTEN_JEUGDIGE_JAAR).from_select(KOSTEN_COLUMNS, kosten_per_jeugdige_jaar(of_kosten=added)))
    return KOSTEN_TABLES
