"""The cached KPI service: the same answer as compute(), invalidated by a load or an edit."""
import datetime as dt

from sqlalchemy import event, insert

from data import schema as s
from kpi import KpiRequest, compute
from kpi.cache_store import InProcessStore
from kpi.service import DataStatus, KpiService
from tests.conftest import shared_demo

REQ = KpiRequest("instroom", dt.date(2025, 1, 1), dt.date(2025, 12, 31), suppress=False)


def add_traject(engine, i):
    with engine.begin() as conn:
        conn.execute(insert(s.Traject).values(
            traject_id=f"T{i}", jeugdige_id=f"J{i}", geboortejaar=2012, wijk_code="WK01",
            verwijzer="huisarts", hulpvorm="ambulant", startdatum=dt.date(2025, 5, 1)))


def test_cache_hits_and_invalidation_by_a_new_load(warehouse):
    with warehouse.begin() as conn:
        conn.execute(insert(s.Wijk).values(wijk_code="WK01", wijk_naam="Centrum",
                                           gemeente_code="GM0406", gemeente_naam="Huizen"))
    add_traject(warehouse, 1)
    service = KpiService(warehouse, generation_ttl=0)
    assert service.compute(REQ).rows[0].value == 1
    assert service.compute(REQ).rows[0].value == 1
    assert service.hits == 1

    add_traject(warehouse, 2)  # without a load-log row the generation is unchanged: still cached
    assert service.compute(REQ).rows[0].value == 1
    with warehouse.begin() as conn:  # a load records itself in the load log
        conn.execute(insert(s.LoadLog).values(geladen_op=dt.datetime(2026, 1, 1), bron="test",
                                              bestanden=[], data_tot=dt.date(2025, 12, 31)))
    assert service.compute(REQ).rows[0].value == 2 == compute(warehouse, REQ).rows[0].value
    status = service.data_status()
    assert status.data_tot == dt.date(2025, 12, 31) and status.bron == "test"


def test_an_audited_edit_invalidates(warehouse):
    service = KpiService(warehouse, generation_ttl=0)
    first = service.generation()
    with warehouse.begin() as conn:
        conn.execute(insert(s.Wijziging).values(tabel="streefwaarde", sleutel="x", veld="waarde",
                                                oude_waarde="1", nieuwe_waarde="2", door="test",
                                                op=dt.datetime(2026, 1, 1)))
    assert service.generation() != first


def test_a_value_of_the_facts_alone_outlives_an_edit_but_not_a_load(warehouse):
    """The forecast rests on the loaded facts only: a trekker's edit must not throw away its
    seconds of model fits, while a value that reads the programme is built again."""
    service = KpiService(warehouse, generation_ttl=0)
    built = []
    assert service.memo("prognose", (), lambda: built.append("f") or 1, facts_only=True) == 1
    assert service.memo("plan", (), lambda: built.append("p") or 1) == 1
    with warehouse.begin() as conn:
        conn.execute(insert(s.Wijziging).values(tabel="streefwaarde", sleutel="x", veld="waarde",
                                                oude_waarde="1", nieuwe_waarde="2", door="test",
                                                op=dt.datetime(2026, 1, 1)))
    assert service.memo("prognose", (), lambda: built.append("f") or 2, facts_only=True) == 1
    assert service.memo("plan", (), lambda: built.append("p") or 2) == 2
    with warehouse.begin() as conn:
        conn.execute(insert(s.LoadLog).values(geladen_op=dt.datetime(2026, 1, 1), bron="test", bestanden=[]))
    assert service.memo("prognose", (), lambda: built.append("f") or 3, facts_only=True) == 3
    assert built == ["f", "p", "p", "f"]


def test_derived_values_and_the_gemeenten_follow_the_generation(warehouse):
    with warehouse.begin() as conn:
        conn.execute(insert(s.Wijk).values(wijk_code="WK01", wijk_naam="Centrum",
                                           gemeente_code="GM0406", gemeente_naam="Huizen"))
    service = KpiService(warehouse, generation_ttl=0)
    built = []
    assert service.memo("test", ("a",), lambda: built.append(1) or "waarde") == "waarde"
    assert service.memo("test", ("a",), lambda: built.append(1) or "anders") == "waarde"
    assert service.memo("test", ("b",), lambda: built.append(1) or "b") == "b"
    assert service.gemeenten() == [("GM0406", "Huizen")]
    with warehouse.begin() as conn:  # a load: new gemeenten, and derived values are built again
        conn.execute(insert(s.Wijk).values(wijk_code="WK02", wijk_naam="Centrum",
                                           gemeente_code="GM0417", gemeente_naam="Laren"))
        conn.execute(insert(s.LoadLog).values(geladen_op=dt.datetime(2026, 1, 1), bron="test", bestanden=[]))
    assert service.memo("test", ("a",), lambda: built.append(1) or "nieuw") == "nieuw"
    assert len(built) == 3
    assert service.gemeenten() == [("GM0406", "Huizen"), ("GM0417", "Laren")]
    assert service.places("wijk") == {"WK01": "Huizen", "WK02": "Laren"}


def _gunicorn_conf():
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("gunicorn_conf", Path(__file__).parent.parent / "gunicorn.conf.py")
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    return conf


def test_gunicorn_freezes_the_startup_objects_in_the_master_before_the_fork():
    import gc

    conf = _gunicorn_conf()
    assert conf.preload_app is True
    try:
        conf.when_ready(None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_a_forked_gunicorn_worker_gets_connections_of_its_own_and_freezes_too(warehouse, monkeypatch):
    """post_worker_init: the pool the master filled is given up without closing the master's
    connections (engine.dispose(close=False)), then the worker's objects are frozen."""
    import gc

    from dashboard.server import runtime

    monkeypatch.setenv("WARM_CACHE", "0")
    runtime.configure(warehouse)
    with warehouse.connect() as conn:  # a pooled connection, as the master's start leaves one
        conn.exec_driver_sql("SELECT 1")
    pool_before = warehouse.pool
    try:
        _gunicorn_conf().post_worker_init(None)
        assert warehouse.pool is not pool_before
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        runtime.reset()


def test_a_yearly_trend_is_cached_per_year_and_stays_exact(request, backend):
    warehouse = shared_demo(request)  # any seed will do: the run's demonstration data
    service = KpiService(warehouse, generation_ttl=0)
    cases = [KpiRequest("jeugdigen_met_jeugdhulp", dt.date(2019, 1, 1), dt.date(2025, 12, 31), per="jaar"),
             KpiRequest("pct_uitval", dt.date(2019, 1, 1), dt.date(2025, 12, 31), per="jaar", by="wijk"),
             KpiRequest("gem_trajectduur", dt.date(2020, 3, 1), dt.date(2026, 6, 30), per="jaar",
                        where={"verwijzer": "huisarts"}),          # partial first and last year
             KpiRequest("pct_jeugdigen_met_jeugdhulp", dt.date(2019, 1, 1), dt.date(2025, 12, 31), per="jaar",
                        by="wijk"),
             KpiRequest("kosten_per_jeugdige", dt.date(2021, 1, 1), dt.date(2025, 12, 31), per="jaar",
                        by="school")]
    for request in cases:
        assert service.compute(request).rows == compute(warehouse, request).rows, request
    misses = service.misses
    shorter = KpiRequest("pct_uitval", dt.date(2019, 1, 1), dt.date(2023, 12, 31), per="jaar", by="wijk")
    assert service.compute(shorter).rows == compute(warehouse, shorter).rows
    assert service.misses == misses                     # every year already cached
    longer = KpiRequest("pct_uitval", dt.date(2017, 1, 1), dt.date(2025, 12, 31), per="jaar", by="wijk")
    assert service.compute(longer).rows == compute(warehouse, longer).rows
    assert service.misses == misses + 2                 # only 2017 and 2018 computed


class CountingStore(InProcessStore):
    def __init__(self):
        super().__init__()
        self.gets = 0

    def get(self, key):
        self.gets += 1
        return super().get(key)


def test_a_groups_name_and_existence_are_read_once_per_load(warehouse):
    """Every filtered view checks the group of its link and names it (the page, its exports):
    one query each per load, not one per view; a made-up code is asked again, never kept."""
    with warehouse.begin() as conn:
        conn.execute(insert(s.Wijk).values(wijk_code="WK01", wijk_naam="Centrum",
                                           gemeente_code="GM0406", gemeente_naam="Huizen"))
    service = KpiService(warehouse, generation_ttl=0)
    reads = []

    def seen(_conn, _cursor, statement, *_args):
        if "wijk" in statement and "laadlog" not in statement and "wijziging" not in statement:
            reads.append(statement)
    event.listen(warehouse, "before_cursor_execute", seen)
    try:
        for _ in range(3):
            assert service.knows_group("wijk", "WK01") and not service.knows_group("wijk", "WK99")
            assert service.group_label("wijk", "WK01") == "Centrum"
            assert service.group_label("gemeente", "GM0406") == "Huizen"
        assert len(reads) == 3 + 3  # WK01 once, WK99 every time, each name once
        with warehouse.begin() as conn:  # a load: renamed, and a new wijk
            conn.execute(s.Wijk.__table__.update().values(wijk_naam="Oud-Centrum"))
            conn.execute(insert(s.Wijk).values(wijk_code="WK99", wijk_naam="Noord",
                                               gemeente_code="GM0406", gemeente_naam="Huizen"))
            conn.execute(insert(s.LoadLog).values(geladen_op=dt.datetime(2026, 1, 1), bron="test", bestanden=[]))
        assert service.knows_group("wijk", "WK99") and service.group_label("wijk", "WK01") == "Oud-Centrum"
    finally:
        event.remove(warehouse, "before_cursor_execute", seen)


def test_the_data_status_is_read_once_per_load_and_never_stale(warehouse):
    """A page asks the status for every card and indicator: one read of the load log per load,
    no round trip to a (shared) cache per ask; the next load is read at the next ask."""
    store = CountingStore()
    service = KpiService(warehouse, store=store, generation_ttl=0)
    reads = []

    def seen(_conn, _cursor, statement, *_args):
        if "laadlog.geladen_op" in statement:
            reads.append(statement)
    event.listen(warehouse, "before_cursor_execute", seen)
    try:
        for _ in range(5):
            assert service.data_status() == DataStatus(None, None, None)
        with warehouse.begin() as conn:  # a load records itself in the load log
            conn.execute(insert(s.LoadLog).values(geladen_op=dt.datetime(2026, 1, 2), bron="nieuw",
                                                  bestanden=[], data_tot=dt.date(2025, 9, 30)))
        for _ in range(5):
            assert service.data_status().data_tot == dt.date(2025, 9, 30)
    finally:
        event.remove(warehouse, "before_cursor_execute", seen)
    assert len(reads) == 2 and store.gets == 0


def test_a_save_in_another_thread_never_makes_the_generation_none(warehouse):
    """gunicorn's threads share one service: a save's invalidate() landing between a thread's read
    of the generation and its return made that thread see None (a 500 on a save under load)."""

    class Racing(KpiService):
        race = False

        def __setattr__(self, name, value):
            super().__setattr__(name, value)
            if name == "_generation_read" and self.race:  # right after the read is stored
                self.race = False
                self.invalidate()                          # the other thread's save lands here

    service = Racing(warehouse)
    service.race = True
    assert service.generation() is not None
    service.race = True
    assert service.data_status() == service.data_status()
