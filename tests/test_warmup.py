"""Warming the shared KPI cache: it computes exactly what the first screens ask for, one worker
per generation warms, a new load or edit warms again, and unpickling leaves the collector on."""
from __future__ import annotations

import datetime as dt
import gc
import logging
import os
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import insert

from dashboard.server import runtime, warmup
from data import schema as s
from kpi import CATALOGUE, kpis_shown
from kpi.cache_store import InProcessStore, RedisStore
from kpi.service import KpiService
from tests import warm_python
from tests.conftest import REDIS_SKIP_REASON as REDIS_SKIP
from tests.conftest import engine_url, shared_demo

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def demo(request, backend):
    """The demonstration data as a load leaves them, with the KPIs' stored totals: warming then
    only computes the views (about 1 s instead of 5)."""
    from kpi.totals import rebuild

    engine = shared_demo(request, derive=rebuild)
    runtime.configure(engine)
    yield engine
    runtime.reset()


@pytest.fixture
def demo_without_totals(request, backend):
    """Loaded without the stored totals (an older load): warming stores them first, and the next
    test then gets the warehouse put back."""
    engine = shared_demo(request)
    runtime.configure(engine)
    yield engine
    runtime.reset()


def stored_totals(engine) -> int:
    from sqlalchemy import func, select

    from data.warehouse.schema import KPI_TOTALEN

    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(KPI_TOTALEN))


def redis_store(engine) -> RedisStore:
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip(REDIS_SKIP)
    return RedisStore(url, prefix=f"jeugdmonitor:test-warm:{os.getpid()}:{engine.dialect.name}:")


def test_every_kpi_has_its_trend_and_each_breakdown_warmed():
    requests = list(warmup.warm_requests(2025, range(2019, 2027)))
    for kpi in CATALOGUE.values():
        mine = [r for r in requests if r.kpi == kpi.id]
        assert {r.by for r in mine} >= set(kpi.breakdowns) | {None}
    assert requests[0].kpi == "jeugdigen_met_jeugdhulp"
    # without iJw trajecten the pages do not list the iJw KPIs, and the warmer leaves them too
    from_csv = {r.kpi for r in warmup.warm_requests(2025, range(2019, 2027), berichtenverkeer=False)}
    assert from_csv == {k.id for k in kpis_shown(berichtenverkeer=False)} != set(CATALOGUE)


def test_after_warming_the_first_screens_need_no_computation(demo_without_totals):
    from dashboard.pages import overzicht, verkenner

    demo = demo_without_totals
    service = runtime.service()
    assert stored_totals(demo) == 0  # loaded without them: warming stores them first
    count, _ = warmup.warm_views(service)
    assert count > 0 and service.misses >= count  # a yearly trend counts one miss per year
    assert stored_totals(demo) > len(CATALOGUE) * 10  # years, quarters and months
    before = service.misses
    overzicht.layout()
    for kpi in kpis_shown(berichtenverkeer=False):  # the demo's trajecten come from CSV files
        verkenner.layout(kpi=kpi.id)
        for by in kpi.breakdowns:
            verkenner.layout(kpi=kpi.id, by=by)
    assert service.misses == before  # every request the pages made was already in the cache
    from kpi.request import resolve

    years, jaar = runtime.years_available(service)
    for state in warmup.warm_states(jaar, years, berichtenverkeer=False):  # the explorer's first pages too
        if state.by:
            service.memo("verkenner-pagina", (resolve(state.breakdown_request()).cache_key(), 1),
                         lambda state=state: pytest.fail(f"first page of {state} not warmed"))


def test_one_worker_warms_a_generation_and_a_new_one_is_warmed_again(demo):
    store = redis_store(demo)
    # the forecast's warming is tested in tests/test_forecast_pages.py; here the lock alone
    worker_a = warmup.Warmer(KpiService(demo, store=store, generation_ttl=0), forecast=False)
    worker_b = warmup.Warmer(KpiService(demo, store=redis_store(demo), generation_ttl=0), forecast=False)
    try:
        assert worker_a.step() is True
        assert worker_b.step() is False            # a's lock: b leaves this generation alone
        assert worker_a.step() is False            # nothing new
        assert worker_b.service.compute(next(warmup.warm_requests(2025, range(2019, 2027)))).rows
        assert worker_b.service.misses == 0        # b is served what a computed
        with demo.begin() as conn:                 # a load elsewhere: a new generation
            conn.execute(insert(s.LoadLog).values(geladen_op=dt.datetime(2026, 12, 1), bron="test", bestanden=[]))
        assert [worker_b.step(), worker_a.step()] == [True, False]
    finally:
        store.clear()


def test_the_warmer_runs_only_for_a_shared_cache(demo):
    assert warmup.start_warmer(KpiService(demo, store=InProcessStore())) is None
    store = redis_store(demo)
    warmer = warmup.start_warmer(KpiService(demo, store=store))
    try:
        assert isinstance(warmer, warmup.Warmer) and warmer.thread.daemon
    finally:
        warmer.stop()
        warmer.thread.join(300)  # its first warming runs to the end
        store.clear()
    assert not warmer.thread.is_alive() and warmer.warmed is not None


def test_a_warmer_survives_a_failing_database(demo, caplog):
    class Broken:
        store = InProcessStore()

        def generation(self):
            raise RuntimeError("database weg")

    warmer = warmup.Warmer(Broken(), poll_seconds=0.01)
    import threading

    thread = threading.Thread(target=warmer.run, daemon=True)
    thread.start()
    thread.join(0.2)
    assert thread.is_alive()
    warmer.stop()
    thread.join(2)
    assert "opwarmen van de KPI-cache mislukt" in caplog.text


def test_a_cache_that_does_not_answer_is_one_warning_without_a_traceback(caplog):
    """Redis down (or not yet up) is an ordinary wait: the log had a traceback every five seconds."""
    import redis

    class Waiting:
        class store:
            @staticmethod
            def claim(key, ttl):
                raise redis.exceptions.ConnectionError("Error 111 connecting to 127.0.0.1:1. Connection refused.")

        engine = SimpleNamespace(url="sqlite://")

        def generation(self):
            return 1

    warmer = warmup.Warmer(Waiting(), poll_seconds=5)
    with caplog.at_level(logging.INFO, logger="jeugdmonitor.warmup"):
        warmer.attempt()
    [record] = caplog.records
    assert record.levelno == logging.WARNING and record.exc_info is None
    assert record.getMessage() == ("opwarmen van de KPI-cache wacht: de cache (Redis) antwoordt niet; "
                                   "volgende poging over 5 s")
    assert warmer.warmed is None  # the next attempt tries this generation again


def test_the_cli_says_in_dutch_when_redis_is_no_address_or_does_not_answer(demo, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", engine_url(demo))
    monkeypatch.setenv("REDIS_URL", "http://:geheim@cache.huizen.nl")
    assert warmup.main([]) == 2
    err = capsys.readouterr().err
    assert err == "fout: REDIS_URL is geen Redis-adres: geef bijvoorbeeld redis://127.0.0.1:6379/0 (of rediss://… of unix://…)\n"
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    assert warmup.main([]) == 1
    assert capsys.readouterr().err == ("fout: opwarmen mislukt: de cache (Redis) antwoordt niet; controleer REDIS_URL "
                                       "en of Redis draait\n")


def test_redis_reads_leave_the_garbage_collector_as_they_found_it(demo):
    store = redis_store(demo)
    store.clear()
    service = KpiService(demo, store=store)
    try:
        request = next(r for r in warmup.warm_requests(2025, range(2019, 2027)) if r.by == "school")
        first = service.compute(request)
        assert gc.isenabled()
        again = service.compute(request)
        assert service.hits == 1 and again.rows == first.rows and gc.isenabled()
        gc.disable()
        try:
            service.compute(request)
            assert not gc.isenabled()
        finally:
            gc.enable()
    finally:
        store.clear()


def test_cli_needs_both_urls_and_says_so_in_dutch(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    done = warm_python.run([sys.executable, "-m", "dashboard.server.warmup"], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "zet DATABASE_URL en REDIS_URL" in done.stderr and "Traceback" not in done.stderr


def test_cli_warms_redis(demo):
    """The command's main(argv) in this process (test_cli_needs_both_urls_and_says_so_in_dutch runs
    the real `python -m dashboard.server.warmup`): a process of its own paid the start-up and every
    statement and forecast fit of a whole warming again, ~14 s per backend."""
    from tests.cli_support import run_main

    store = redis_store(demo)
    url = engine_url(demo)  # on PostgreSQL with the test warehouse's own schema
    try:
        done = run_main(warmup.main, [], env={"DATABASE_URL": url})
        assert done.returncode == 0, done.stderr
        assert "KPI-resultaten berekend en in Redis bewaard" in done.stdout
        from data.db import make_engine

        service = KpiService(make_engine(url), store=RedisStore(os.environ["REDIS_URL"]))  # as a worker would
        service.compute(next(warmup.warm_requests(*reversed(runtime.years_available(service)))))
        assert service.hits > 0 and service.misses == 0  # the trend, one hit per year
    finally:
        RedisStore(os.environ["REDIS_URL"]).clear()
        store.clear()


def test_the_first_drill_down_of_every_breakdown_needs_no_linked_breakdown_after_warming(demo, monkeypatch):
    """Rule 3's linked breakdown of a drill-down (a count per pair of groups) is computed by the
    warmer once per dimension, so a click on any group of a breakdown finds its verdict cached.
    (At national scale a drill-down's breakdown has thousands of groups, so the pair counts cover
    every group; here that is forced, the demonstration's breakdowns being small.)"""
    from kpi import computation as query

    monkeypatch.setattr(query, "LINKED_GROUPS_NAMED", 0)
    service = runtime.service()
    warmup.warm_views(service)
    years, jaar = runtime.years_available(service)
    calls = []
    original = query.linked_counts

    def counting(conn, req, dimension):
        calls.append((req.kpi.id, req.by, dimension))
        return original(conn, req, dimension)
    query.linked_counts = counting
    try:
        from dashboard.ui.explorer_view import next_breakdown

        state = next(s for s in warmup.warm_states(jaar, years) if s.kpi == "instroom" and s.by == "wijk")
        rows = service.compute(state.breakdown_request()).rows
        shown = [r for r in rows if not r.suppressed]
        for row in shown[-2:]:  # groups other than the one the warmer clicked
            clicked = state.drill(row.key, None)
            drilled = clicked.__class__(**{**clicked.__dict__, "by": next_breakdown(clicked)})
            service.compute(drilled.breakdown_request())
    finally:
        query.linked_counts = original
    assert len(shown) >= 3 and calls == []
