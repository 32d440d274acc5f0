"""The KPI service the dashboard and exports call: cached results and the data status.

Results are cached per request, in the process or — with REDIS_URL — in Redis, shared by every
worker (kpi/cache_store.py). The cache key holds the warehouse's *generation* — the newest
load-log id and the newest audit (wijziging) id — read from the database, so a load or an edit
anywhere (also by another worker or the CLI) invalidates every cached result at once. Reading the
generation is one tiny indexed query; it is re-read at most every `generation_ttl` seconds.
"""
from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass, replace

from sqlalchemy import Engine, func, select

from data.programme.schema import Wijziging
from data.warehouse.demo import is_demo_source
from data.warehouse.schema import LoadLog, Traject, Wijk
from kpi.availability import empty_tables
from kpi.cache_store import InProcessStore
from kpi.computation import compute_resolved, linked_verdicts
from kpi.observer import SILENT, ServiceObserver
from kpi.request import KpiRequest, resolve
from kpi.result import KpiResult, key_order
from kpi.settings import afronding, min_cell_size


@dataclass(frozen=True)
class DataStatus:
    geladen_op: dt.datetime | None
    data_tot: dt.date | None
    bron: str | None
    #: the trajecten came from the iJw berichtenverkeer (they carry a toewijzingsdatum): the
    #: KPIs that need it are shown (kpi.catalogue.kpis_shown)
    berichtenverkeer: bool = False
    #: the names of the fact tables without a single row: the KPIs that need one are left out
    #: (kpi.availability, kpi.catalogue.kpis_shown)
    leeg: frozenset[str] = frozenset()

    @property
    def synthetisch(self) -> bool:
        """The newest load is the demonstration data set: screens and exports say so, and only then."""
        return is_demo_source(self.bron)


def source_named(conn, newest) -> str:
    """The source the data status names for the newest load-log row: its own; after added
    deliveries the last delivery that replaced the tables (a demonstration set stays one) with
    every delivery added since, in the order they came."""
    if not newest.aangevuld:
        return newest.bron
    base = conn.execute(select(LoadLog.id, LoadLog.bron).where(LoadLog.aangevuld.is_(None))
                        .order_by(LoadLog.id.desc()).limit(1)).first()
    added = conn.execute(select(LoadLog.bron, LoadLog.aangevuld).where(LoadLog.id > (base.id if base else 0))
                         .order_by(LoadLog.id)).all()
    tables = " en ".join(sorted({table for row in added for table in row.aangevuld}))
    sources = [row.bron for row in added]
    named = sources[0] if len(sources) == 1 else f"{', '.join(sources[:-1])} en {sources[-1]}"
    return f"{base.bron}; {tables} aangevuld uit {named}" if base else f"{tables} uit {named}"


class KpiService:
    def __init__(self, engine: Engine, store=None, generation_ttl: float = 1.0,
                 observer: ServiceObserver | None = None):
        self.engine = engine
        self.store = store if store is not None else InProcessStore()
        self.generation_ttl = generation_ttl
        self.observer = observer or SILENT  # told of every cache lookup and computation (kpi/observer.py)
        self._lock = threading.Lock()
        self._generation: tuple | None = None
        self._generation_read = 0.0
        self._status: tuple[int | None, DataStatus] | None = None  # (the load it is of, the status)
        self.hits = 0
        self.misses = 0

    def generation(self) -> tuple:
        now = time.monotonic()
        current = self._generation  # once: another thread's invalidate() may set it to None meanwhile
        if current is None or now - self._generation_read > self.generation_ttl:
            with self.engine.connect() as conn:
                current = (conn.scalar(select(func.max(LoadLog.id))), conn.scalar(select(func.max(Wijziging.id))))
            self._generation, self._generation_read = current, now
        return current

    @property
    def threshold(self) -> int:
        """The small-number threshold in force (a frozen service answers the one of its stand)."""
        return min_cell_size()

    @property
    def base(self) -> int:
        """The rounding base in force for counts in detailed views."""
        return afronding()

    def invalidate(self) -> None:
        """Forget everything now (this process changed the data)."""
        self.store.clear()
        with self._lock:
            self._generation = None

    def compute(self, request: KpiRequest) -> KpiResult:
        resolved = resolve(request)
        if resolved.per == "jaar" and len(resolved.sub_periods) > 1:
            return self._yearly_trend(resolved)
        key = self._key(resolved)
        rows = self.store.get(key)  # only the rows are cached: plain data, picklable for Redis
        if rows is not None:
            with self._lock:
                self.hits += 1
            self.observer.looked_up("result", resolved.kpi.id, 1, 0)
            return KpiResult(resolved, rows)
        self.observer.looked_up("result", resolved.kpi.id, 0, 1)
        started = time.perf_counter()
        with self.engine.connect() as conn:
            result = compute_resolved(conn, resolved, self._linked(conn))
        self.observer.computed("result", resolved.kpi.id, time.perf_counter() - started)
        self.store.set(key, result.rows)
        with self._lock:
            self.misses += 1
        return result

    def _key(self, resolved) -> tuple:
        return (str(self.engine.url), self.generation(), resolved.cache_key())

    def _yearly_trend(self, resolved) -> KpiResult:
        """A trend per jaar, cached one year at a time: a year's rows are those of that year alone
        (its own aggregate, denominator and suppression), so a trend ending a year earlier (the
        explorer's year control) or the overview reuses them. The years not cached yet are
        computed together in one statement (their branches run in parallel), then stored apart."""
        pieces = [replace(resolved, van=sub.van, tot=sub.tot, sub_periods=(sub,)) for sub in resolved.sub_periods]
        found = {piece.sub_periods[0]: self.store.get(self._key(piece)) for piece in pieces}
        missing = [sub for sub, rows in found.items() if rows is None]
        with self._lock:
            self.hits += len(pieces) - len(missing)
            self.misses += len(missing)
        self.observer.looked_up("result", resolved.kpi.id, len(pieces) - len(missing), len(missing))
        if missing:
            started = time.perf_counter()
            with self.engine.connect() as conn:
                computed = compute_resolved(conn, replace(resolved, sub_periods=tuple(missing)), self._linked(conn))
            self.observer.computed("result", resolved.kpi.id, time.perf_counter() - started)
            for piece in pieces:
                sub = piece.sub_periods[0]
                if found[sub] is None:
                    found[sub] = tuple(row for row in computed.rows if row.periode == sub.label)
                    self.store.set(self._key(piece), found[sub])
        return KpiResult(resolved, tuple(row for piece in pieces for row in found[piece.sub_periods[0]]))

    def _linked(self, conn):
        """Rule 3's verdicts (kpi/privacy.py), cached like results: a drill-down asks the same
        linked breakdown for every value of its filter, and the next view of a trend asks it
        again. Keyed by what they depend on — the KPI, the sub-periods, the breakdown, the filter's
        dimension, the other filters, the threshold and (for a small breakdown) the groups asked —
        never by the filter's own value. Only the verdicts are kept (the few groups hidden), not
        the linked breakdown's counts."""
        def cached(req, dimension: str, groups: frozenset | None) -> dict:
            others = tuple(item for item in req.where if item[0] != dimension)
            named = None if groups is None else tuple(sorted(groups, key=key_order))
            parts = (req.kpi.id, tuple((s.van, s.tot) for s in req.sub_periods), req.by, dimension, others,
                     req.min_cell_size, named)
            return self.memo("gekoppeld", parts, lambda: linked_verdicts(conn, req, dimension, groups))
        return cached

    def memo(self, name: str, parts: tuple, build, facts_only: bool = False):
        """A value derived from KPI results (e.g. one page of a long breakdown, ready to show),
        cached like results under the current generation: a cached render then reads only what
        it shows instead of unpickling and sorting thousands of groups. `build()` makes it.
        `facts_only`: the value rests on the loaded facts alone (a forecast, not the programme),
        so a trekker's edit does not make it stale; only the next load does."""
        generation = self.generation()
        key = (str(self.engine.url), generation[:1] if facts_only else generation, name, parts)
        found = self.store.get(key)
        if found is None:
            self.observer.looked_up("memo", name, 0, 1)
            started = time.perf_counter()
            found = build()
            self.observer.computed("memo", name, time.perf_counter() - started)
            self.store.set(key, found)
        else:
            self.observer.looked_up("memo", name, 1, 0)
        return found

    def places(self, dimension: str) -> dict[str, str]:
        """{wijk or school code: gemeente naam}, to tell apart groups whose names repeat across
        gemeenten (a dimension table: thousands of rows at national scale, cached like results)."""
        from data.warehouse.schema import School

        if dimension not in ("wijk", "school"):
            return {}
        if dimension == "wijk":
            statement = select(Wijk.wijk_code, Wijk.gemeente_naam)
        else:
            statement = select(School.school_code, Wijk.gemeente_naam).join(Wijk, Wijk.wijk_code == School.wijk_code)

        def read() -> dict[str, str]:
            with self.engine.connect() as conn:
                return {code: naam for code, naam in conn.execute(statement)}
        return self.memo("places", (dimension,), read)

    def ping_database(self) -> None:
        """Raises when the warehouse cannot answer a query (for the health endpoint)."""
        with self.engine.connect() as conn:
            conn.execute(select(1))

    def gemeenten(self) -> list[tuple[str, str]]:
        """(code, naam) of the gemeenten in the warehouse, by name (asked on every explorer and
        overview render, hence cached: hundreds at national scale)."""
        def read() -> list[tuple[str, str]]:
            with self.engine.connect() as conn:
                rows = conn.execute(select(Wijk.gemeente_code, func.min(Wijk.gemeente_naam))
                                    .group_by(Wijk.gemeente_code)).all()
            return sorted(((code, naam) for code, naam in rows), key=lambda r: (r[1], r[0]))
        return list(self.memo("gemeenten", (), read))

    def group_label(self, dimension: str, key: str | None) -> str:
        """The name of one group (wijk, school, aanbieder, gemeente or a code), as in results."""
        from kpi.query import group_label, label_source

        source = label_source(dimension) if key is not None else None
        if source is None:
            return group_label(dimension, key, None)
        table, code, naam = source

        def read() -> str:
            with self.engine.connect() as conn:
                return group_label(dimension, key, conn.scalar(select(naam).select_from(table).where(code == key)))
        # cached like results (every filtered view and its export names its groups): the names
        # are the load's, so only the next load makes them stale
        return self.memo("groepsnaam", (dimension, key), read, facts_only=True)

    def knows_group(self, dimension: str, key: str) -> bool:
        """Whether the warehouse holds group `key` of a dimension named by the data (a wijk,
        school, aanbieder or gemeente code from a link); the codes of a code list's dimension are
        checked against the list, not here. A load checks that every fact's code is in its table."""
        from kpi.query import label_source

        if dimension == "gemeente":
            return any(code == key for code, _naam in self.gemeenten())
        source = label_source(dimension)
        if source is None:
            return True
        table, code, _naam = source

        def read() -> bool | None:
            with self.engine.connect() as conn:
                found = conn.scalar(select(code).select_from(table).where(code == key).limit(1)) is not None
            return True if found else None  # None is not kept: a link's made-up codes fill no cache
        # cached like results (every view of a link asks it); a group is known until the next load
        return self.memo("bekende-groep", (dimension, key), read, facts_only=True) is True

    def data_status(self) -> DataStatus:
        """The newest load's date and "data t/m" (asked by every card and indicator of a page):
        read from the load log once per load — the newest load is part of the generation — and
        kept in the process, so a page's many asks cost neither a query nor a round trip to a
        shared cache. A new load (the generation moves on) is read at the next ask."""
        newest = self.generation()[0]
        found = self._status
        if found is None or found[0] != newest:
            with self.engine.connect() as conn:
                row = conn.execute(select(LoadLog.geladen_op, LoadLog.data_tot, LoadLog.bron, LoadLog.aangevuld)
                                   .order_by(LoadLog.id.desc()).limit(1)).first()
                bron = None if row is None else source_named(conn, row)
                ijw = row is not None and conn.scalar(select(
                    select(Traject.traject_id).where(Traject.toewijzingsdatum.is_not(None)).exists())) or False
                leeg = frozenset() if row is None else empty_tables(conn)
            status = DataStatus(None, None, None) if row is None else DataStatus(
                row.geladen_op, row.data_tot, bron, bool(ijw), leeg)
            found = self._status = (newest, status)
        return found[1]
