"""Round trips to PostgreSQL saved without losing what they were for.

Connections are pinged before use only when they may be dead (data/db.py: ping_when_in_doubt), not
at every checkout as `pool_pre_ping` did, yet a connection the server closed while it sat in the
pool is still replaced before a request meets it (the app's recovery after an outage:
tests/test_faults.py). A KPI query's settings are sent once while they are in force."""
from __future__ import annotations

import time

import pytest
from sqlalchemy import event, text

from data import db
from kpi.sqlfuncs import tune_for_aggregates
from tests import conftest


@pytest.fixture
def engine():
    if not conftest.pg_test_url():
        pytest.skip(conftest.PG_SKIP_REASON)
    engine = db.make_engine(conftest.pg_test_url())
    yield engine
    engine.dispose()


@pytest.fixture
def pings(engine, monkeypatch) -> list:
    """Every ping of the engine's connections, counted (the same ping pool_pre_ping sent)."""
    sent = []
    ping = engine.dialect.do_ping

    def counted(dbapi_connection):
        sent.append(dbapi_connection)
        return ping(dbapi_connection)
    monkeypatch.setattr(engine.dialect, "do_ping", counted)
    return sent


def backend_pid(engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(text("SELECT pg_backend_pid()"))


def test_a_connection_used_a_moment_ago_is_not_pinged(engine, pings):
    pids = {backend_pid(engine) for _ in range(20)}
    assert len(pids) == 1  # one pooled connection, checked out 20 times
    assert pings == []


def test_a_connection_idle_longer_than_the_limit_is_pinged(engine, pings, monkeypatch):
    backend_pid(engine)
    monkeypatch.setattr(db, "PING_AFTER_IDLE_SECONDS", 0.0)
    time.sleep(0.01)
    first = backend_pid(engine)
    assert len(pings) == 1
    assert backend_pid(engine) == first  # the ping found it alive: kept


def test_a_connection_the_server_closed_while_idle_is_replaced_before_use(engine, pings):
    with engine.connect() as conn:
        terminated = conn.scalar(text("SELECT pg_backend_pid()"))
        pooled = conn.connection.dbapi_connection
    other = db.make_engine(conftest.pg_test_url())
    try:
        with other.connect() as conn:  # as a restart or an idle timeout would: the backend goes
            assert conn.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": terminated})
    finally:
        other.dispose()
    deadline = time.monotonic() + 5
    while not db._server_spoke(pooled) and time.monotonic() < deadline:
        time.sleep(0.01)  # the server's farewell on its way to the socket
    assert backend_pid(engine) != terminated  # no error: a new connection answered
    assert len(pings) == 1


def test_the_settings_of_a_kpi_query_are_sent_once_per_transaction_while_in_force(engine):
    """tune_for_aggregates' SET LOCAL costs a round trip: not sent again when the same settings
    are in force in the transaction; sent again after another SET LOCAL, in a new transaction,
    and where a savepoint's end may have undone them. The settings asked are always in force."""
    sent = []
    event.listen(engine, "before_cursor_execute", lambda *a: sent.append(a[2]) if a[2].startswith("SET") else None)
    with engine.connect() as conn:
        def work_mem_after(**tuning) -> str:
            tune_for_aggregates(conn, **tuning)
            return conn.scalar(text("SHOW work_mem")) + " " + conn.scalar(text("SHOW random_page_cost"))
        assert work_mem_after() == "64MB 4" and work_mem_after() == "64MB 4" and len(sent) == 1
        assert work_mem_after(few_facts_per_traject_lookup=True) == "64MB 1.1" and len(sent) == 2
        db.set_local(conn, "SET LOCAL work_mem = '256MB'")
        assert work_mem_after(few_facts_per_traject_lookup=True) == "64MB 1.1" and len(sent) == 4
        savepoint = conn.begin_nested()
        assert work_mem_after() == "64MB 4" and len(sent) == 5
        savepoint.rollback()  # undoes the savepoint's settings: sent again
        assert work_mem_after() == "64MB 4" and len(sent) == 6
        conn.rollback()
        assert conn.scalar(text("SHOW work_mem")) != "64MB"  # SET LOCAL ended with its transaction
        assert work_mem_after() == "64MB 4" and len(sent) == 7
