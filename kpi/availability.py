"""Which KPIs the warehouse can answer at all.

A KPI whose facts were never delivered (no kosten loaded, no bevolking, no tevredenheid) has no
value in any period. Its n is 0, which the small-number rules show as "<10"; on a card that reads
as "the costs were below € 10". Screens and exports therefore leave such a KPI out, as they leave
out the iJw doorlooptijden without iJw data (`kpi.catalogue.kpis_shown`), and say which data are
missing.

The tables a KPI needs follow from the catalogue itself: the fact of its records, the facts its
population and measure read (`kpi.sources.columns_read`) and the table of its outside
denominator. Which tables hold no rows is part of the data status (`DataStatus.leeg`), read once
per load. Whether a whole table is empty says nothing about any child.
"""
from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

from sqlalchemy import select

from data.warehouse.schema import Bevolking, Budget, Kosten, Tevredenheid, Traject, Verblijf
from kpi import format as fmt
from kpi.sources import FACT_TABLES, columns_read

if TYPE_CHECKING:
    from kpi.catalogue import Kpi

#: every table a KPI can need, in the order the import format lists them
TABLES = tuple(t.__table__ for t in (Traject, Verblijf, Kosten, Budget, Tevredenheid, Bevolking))
RECORD_TABLES = {"traject": "trajecten", "verblijf": "verblijf", "kosten": "kosten", "tevredenheid": "tevredenheid"}
DENOMINATOR_TABLES = {"bevolking_0_17": "bevolking", "budget": "budget"}
#: what a table holds, in the words of "er zijn geen … geladen"
WORDS = {"trajecten": "trajecten", "verblijf": "verblijven", "kosten": "kosten", "budget": "begrotingen",
         "tevredenheid": "tevredenheidsantwoorden", "bevolking": "bevolkingscijfers"}
#: one year's denominator, in the words of "geen … over 2026 geladen"
DENOMINATOR_WORDS = {"bevolking_0_17": "bevolkingscijfers", "budget": "begroting"}
_ORDER = {t.name: i for i, t in enumerate(TABLES)}


@lru_cache(maxsize=None)
def tables_read(kpi: Kpi) -> frozenset[str]:
    """The names of the warehouse tables the KPI's value needs rows in."""
    names = {FACT_TABLES[alias].name for alias, _ in columns_read(kpi)}
    names.add(RECORD_TABLES[kpi.bron.fact])
    if kpi.maat.noemer_bron is not None:
        names.add(DENOMINATOR_TABLES[kpi.maat.noemer_bron])
    return frozenset(names)


def missing_tables(kpi: Kpi, leeg: Iterable[str]) -> tuple[str, ...]:
    """The tables the KPI needs that hold no rows, in the import format's order."""
    return tuple(sorted(tables_read(kpi) & frozenset(leeg), key=_ORDER.__getitem__))


def empty_tables(conn) -> frozenset[str]:
    """The names of the tables in `TABLES` without a single row (one statement)."""
    found = conn.execute(select(*(select(t).limit(1).exists().label(t.name) for t in TABLES))).one()
    return frozenset(t.name for t, present in zip(TABLES, found, strict=True) if not present)


def none_loaded(tables: Iterable[str]) -> str:
    """"geen kosten geladen", "geen kosten en begrotingen geladen": a reason beside a count or in a
    status cell ("2 geen kosten geladen", as "4 geen realisatie")."""
    return f"geen {fmt.opsomming([WORDS[t] for t in sorted(tables, key=_ORDER.__getitem__)])} geladen"


def not_loaded(tables: Iterable[str]) -> str:
    """"er zijn geen kosten geladen", "er zijn geen kosten en begrotingen geladen"."""
    return f"er zijn {none_loaded(tables)}"


def no_denominator(kpi: Kpi, jaar: int) -> str | None:
    """Why a share of the population or of the budget has no value in `jaar` while its count has
    one: "geen bevolkingscijfers over 2026 geladen" (the bevolking of 1 January 2026 is often
    delivered later than the trajecten). None for a KPI without an outside denominator."""
    if kpi.maat.noemer_bron is None:
        return None
    return f"geen {DENOMINATOR_WORDS[kpi.maat.noemer_bron]} over {jaar} geladen"


def left_out(kpis: Iterable[Kpi], leeg: Iterable[str]) -> list[tuple[tuple[str, ...], list[Kpi]]]:
    """The KPIs of `kpis` that need an empty table, grouped by the tables they miss (in the order
    the first of each group comes)."""
    groups: dict[tuple[str, ...], list[Kpi]] = {}
    leeg = frozenset(leeg)
    for kpi in kpis:
        if missing := missing_tables(kpi, leeg):
            groups.setdefault(missing, []).append(kpi)
    return list(groups.items())


def left_out_sentence(kpis: Iterable[Kpi], leeg: Iterable[str]) -> str | None:
    """"Niet getoond: Totale kosten jeugdhulp (€) en Kosten per jeugdige (€), want er zijn geen kosten
    geladen." for the KPIs of `kpis` that need an empty table; None when there are none."""
    parts = []
    for tables, group in left_out(kpis, leeg):
        parts.append(f"{fmt.opsomming([k.naam for k in group])}, want {not_loaded(tables)}")
    return None if not parts else "Niet getoond: " + "; ".join(parts) + "."
