"""Fixtures shared by the suite: the same tests on SQLite and on PostgreSQL.

`warehouse` is an empty, migrated warehouse engine, parametrised over both backends. PostgreSQL
runs when TEST_DATABASE_URL is set (the tests use schemas of their own in that database, named
after the test process and dropped at the end) and is skipped with the reason otherwise.
"""
from __future__ import annotations

import os

import pytest
from sqlalchemy import Engine, text

from data.db import make_engine, migrate
from data.schema import Base

# One schema per test process, so parallel runs against one database do not collide.
PG_SCHEMA = f"jeugdmonitor_test_{os.getpid()}"
PG_SKIP_REASON = ("TEST_DATABASE_URL is not set, so the PostgreSQL variant is skipped "
                  "(set it, e.g. postgresql://postgres@127.0.0.1:5432/test, as .ci/run does)")


def pg_test_url() -> str | None:
    return os.environ.get("TEST_DATABASE_URL") or None


@pytest.fixture(scope="session", autouse=True)
def _session_key_file(tmp_path_factory):
    """Apps built without SECRET_KEY keep their generated key in a temporary file, not in the
    project's instance/ folder (in this process and in the apps the tests start)."""
    path = tmp_path_factory.mktemp("sleutel") / "secret_key"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("dashboard.secret_key.default_path", lambda: path)
        patch.setenv("SECRET_KEY_FILE", str(path))
        yield path


REDIS_SKIP_REASON = "REDIS_URL is not set, so the Redis variant is skipped (.ci/run sets it)"


@pytest.fixture
def redis_url() -> str:
    """REDIS_URL, or the test is skipped with the reason."""
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip(REDIS_SKIP_REASON)
    return url


# Test data need no durability: without waiting for the WAL flush a commit is ~5x cheaper, and
# visibility between connections is unchanged.
PG_TEST_OPTIONS = "-csynchronous_commit=off"


def _pg_engine() -> Engine:
    url = pg_test_url()
    admin = make_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {PG_SCHEMA}"))
    admin.dispose()
    return make_engine(url, connect_args={"options": f"-csearch_path={PG_SCHEMA} {PG_TEST_OPTIONS}"})


@pytest.fixture(scope="session")
def _sqlite_engine(tmp_path_factory) -> Engine:
    path = tmp_path_factory.mktemp("warehouse") / "test.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def _postgresql_engine() -> Engine:
    if not pg_test_url():
        pytest.skip(PG_SKIP_REASON)
    engine = _pg_engine()
    migrate(engine)
    yield engine
    engine.dispose()
    _drop_schema(PG_SCHEMA)


def _drop_schema(name: str) -> None:
    admin = make_engine(pg_test_url())
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {name} CASCADE"))
    admin.dispose()


def empty_all_tables(engine: Engine) -> None:
    """Remove every row (the schema stays), children before parents, and restart the identity
    sequences (as TRUNCATE ... RESTART IDENTITY did). On PostgreSQL one round trip: DELETE on a
    small table takes milliseconds where TRUNCATE of all tables took ~0.3 s (new files per table),
    which the hypothesis tests paid per example."""
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql("; ".join(
                [f"DELETE FROM {name}" for name in tables]
                + ["SELECT setval(c.oid, 1, false) FROM pg_class c JOIN pg_namespace n "
                   "ON n.oid = c.relnamespace WHERE c.relkind = 'S' AND n.nspname = current_schema()"]))
        else:
            for name in tables:
                conn.execute(text(f"DELETE FROM {name}"))


@pytest.fixture(params=["sqlite", "postgresql"])
def warehouse(request) -> Engine:
    """An empty, migrated warehouse on each backend."""
    engine = request.getfixturevalue(f"_{request.param}_engine")
    empty_all_tables(engine)
    return engine


@pytest.fixture(params=["sqlite", "postgresql"])
def backend_url(request, tmp_path) -> str:
    """A database URL for a fresh, empty (unmigrated) database on each backend, for CLI tests."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'cli.db'}"
        return
    if not pg_test_url():
        pytest.skip(PG_SKIP_REASON)
    schema = f"jeugdmonitor_cli_{os.getpid()}"
    _drop_schema(schema)
    engine = make_engine(pg_test_url())
    with engine.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    engine.dispose()
    sep = "&" if "?" in pg_test_url() else "?"
    yield pg_test_url() + f"{sep}options=-csearch_path%3D{schema}"
    _drop_schema(schema)
