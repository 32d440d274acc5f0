"""Fixtures shared by the suite: the same tests on SQLite and on PostgreSQL.

`warehouse` is an empty, migrated warehouse engine, parametrised over both backends. PostgreSQL
runs when TEST_DATABASE_URL is set (the tests use schemas of their own in that database, named
after the test process and dropped at the end) and is skipped with the reason otherwise.

`loaded_warehouse(request, key, load)` is a warehouse filled by `load` once and handed to every
later test asking for the same key, for as long as nothing has written to it (see _Loaded).
"""
from __future__ import annotations

import os
import re
import sqlite3

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
        patch.setattr("dashboard.server.secret_key.default_path", lambda: path)
        patch.setenv("SECRET_KEY_FILE", str(path))
        yield path


# Under pytest-xdist (--dist loadgroup) a module's tests stay on one worker, so its module-scoped
# fixtures (an app, a rendered deck) and the process's shared warehouses are made once. The tests
# of SPREAD_MODULES are many or heavy and independent, and go to the workers one by one.
SPREAD_MODULES = {"test_kpi_oracle.py", "test_fuzz.py"}
# Seconds a module's group took under xdist (the fuzz and oracle tests: one test), measured in
# docs/performance.md's runs: handed out first, so that the last work to finish is short and the
# workers end together.
HEAVY_MODULES = {"test_browser.py": 140, "test_totals.py": 90, "test_sources.py": 60, "test_report_pdf.py": 45,
                 "test_browser_presentatie.py": 45, "test_data_cli.py": 40, "test_disclosure_attack.py": 40,
                 "test_warmup.py": 35, "test_browser_standen.py": 33, "test_targets_csv.py": 30,
                 "test_security_headers.py": 30, "test_login_limit.py": 27, "test_browser_navigation.py": 27,
                 # one test at a time, last: they fill the workers' ends evenly
                 "test_fuzz.py": -1, "test_kpi_oracle.py": -1}


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook, which reads the groups into the node ids
def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.path.name not in SPREAD_MODULES:
            item.add_marker(pytest.mark.xdist_group(item.path.name))
    if os.environ.get("PYTEST_XDIST_WORKER"):  # a worker's collection is the order work is handed out
        items.sort(key=lambda item: -HEAVY_MODULES.get(item.path.name, 0))  # stable: same order within


@pytest.fixture
def app_module():
    """The app module, for tests that build the Dash app in this process. Afterwards the process
    is as before: create_app points the runtime at its warehouse and registers the pages in Dash's
    (global) page registry, where a later create_app would find them twice."""
    import app

    try:
        yield app
    finally:
        reset_app_state()


def reset_app_state() -> None:
    """Undo what create_app did to the process (see the app_module fixture)."""
    import dash

    from dashboard.server import runtime

    runtime.reset()
    dash.page_registry.clear()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium under Playwright, one per test process (a start takes a second or two):
    each test opens a context of its own (cookies, storage, viewport), so tests share no state."""
    from tests.browser import chromium_browser

    with chromium_browser() as chromium:
        yield chromium


@pytest.fixture
def page(browser):
    """A fresh page at 1440×900 that records console errors (tests.browser.open_page)."""
    from tests.browser import open_page

    page = open_page(browser)
    yield page
    page.context.close()


REDIS_SKIP_REASON = "REDIS_URL is not set, so the Redis variant is skipped (.ci/run sets it)"


def pytest_configure(config):
    """Under pytest-xdist every worker uses a Redis database of its own (1, 2, ...): the apps the
    tests start cache KPI results under one key prefix, and a test clears that prefix, so two
    workers sharing a database could read each other's results or lose their own."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")  # gw0, gw1, ...
    url = os.environ.get("REDIS_URL")
    if worker and url:
        from urllib.parse import urlsplit, urlunsplit

        parts = urlsplit(url)
        number = 1 + int(worker.removeprefix("gw")) % 15  # Redis has databases 0-15
        os.environ["REDIS_URL"] = urlunsplit(parts._replace(path=f"/{number}"))


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


def _create_schema(name: str) -> None:
    admin = make_engine(pg_test_url())
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {name} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {name}"))
    admin.dispose()


def _pg_engine() -> Engine:
    _create_schema(PG_SCHEMA)
    return make_engine(pg_test_url(), connect_args={"options": f"-csearch_path={PG_SCHEMA} {PG_TEST_OPTIONS}"})


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


# --- warehouses loaded once and reused while unchanged ----------------------------------------

@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request) -> str:
    """Each backend's name; PostgreSQL is skipped with the reason when it is not configured."""
    if request.param == "postgresql" and not pg_test_url():
        pytest.skip(PG_SKIP_REASON)
    return request.param


class _Loaded:
    """One warehouse (SQLite file or PostgreSQL schema) per (backend, key), filled by its `load`.

    Loading the demonstration data takes 1-3 s (10 s with the stored totals), and most tests only
    read it, so a later test asking for the same key gets the same warehouse back. It is handed
    out only in exactly the loaded state: a fingerprint taken right after the load is compared,
    and a test that wrote anything (insert, update, delete, on any table) has the warehouse put
    back from a copy taken after the load (SQLite: the whole file; PostgreSQL: the changed tables
    and the tables referring to them, and the sequences), much faster than loading again.
    Fingerprint on SQLite: PRAGMA data_version on a connection of our own, which changes with
    every commit of any other connection. On PostgreSQL: per table the row count and the newest
    row version (xmin; every insert or update makes a new one), and the sequences' values.
    """

    def __init__(self, backend: str, key: str, folder):
        self.backend, self.key = backend, key
        if backend == "sqlite":
            self.path = folder / f"{key}.db"
            self.copy = folder / f"{key}.geladen.db"
            self.engine = make_engine(f"sqlite:///{self.path}")
            self.watcher = sqlite3.connect(self.path, check_same_thread=False)
            self.schema = None
        else:
            self.schema = f"{PG_SCHEMA}_{key}"
            self.copy = f"{self.schema}_geladen"
            _create_schema(self.schema)
            _create_schema(self.copy)
            self.engine = make_engine(pg_test_url(), connect_args={
                "options": f"-csearch_path={self.schema} {PG_TEST_OPTIONS}"})
        migrate(self.engine)
        self.mark = None

    def fingerprint(self):
        if self.backend == "sqlite":
            return self.watcher.execute("PRAGMA data_version").fetchone()[0]
        tables = [t.name for t in Base.metadata.sorted_tables]
        with self.engine.connect() as conn:
            rows = conn.exec_driver_sql(" UNION ALL ".join(
                f"SELECT '{name}', count(*), max(xmin::text::bigint) FROM {name}" for name in tables)).all()
            sequences = conn.exec_driver_sql(
                "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = current_schema()").all()
        return {name: (count, xmin) for name, count, xmin in rows}, dict(map(tuple, sequences))

    def _keep_copy(self) -> None:
        if self.backend == "sqlite":
            _sqlite_copy(self.path, self.copy)
            return
        with self.engine.begin() as conn:
            conn.exec_driver_sql("; ".join(
                f"DROP TABLE IF EXISTS {self.copy}.{t.name}; CREATE TABLE {self.copy}.{t.name} AS TABLE {t.name}"
                for t in Base.metadata.sorted_tables))

    def _put_back(self, now) -> None:
        """The loaded state again, from the copy."""
        if self.backend == "sqlite":
            self.engine.dispose()  # no pooled connection keeps a view of the old pages
            _sqlite_copy(self.copy, self.path)
            return
        (tables, sequences), (loaded_tables, loaded_sequences) = now, self.mark
        changed = {name for name in tables if tables[name] != loaded_tables[name]}
        for table in Base.metadata.sorted_tables:  # parents first: a child of a changed table goes too
            if any(fk.column.table.name in changed for fk in table.foreign_keys):
                changed.add(table.name)
        order = [t.name for t in Base.metadata.sorted_tables if t.name in changed]
        statements = [f"DELETE FROM {name}" for name in reversed(order)]
        statements += [f"INSERT INTO {name} SELECT * FROM {self.copy}.{name}" for name in order]
        statements += [f"SELECT setval('{name}', {value}, true)" if value is not None
                       else f"SELECT setval('{name}', 1, false)"
                       for name, value in loaded_sequences.items() if sequences.get(name) != value]
        with self.engine.begin() as conn:
            conn.exec_driver_sql("; ".join(statements))

    def get(self, load) -> Engine:
        if self.mark is None:
            load(self.engine)
            self._keep_copy()
            self.mark = self.fingerprint()
        else:
            now = self.fingerprint()
            if now != self.mark:
                self._put_back(now)
                self.mark = self.fingerprint()
        return self.engine

    def close(self) -> None:
        self.engine.dispose()
        if self.schema:
            _drop_schema(self.schema)
            _drop_schema(self.copy)
        else:
            self.watcher.close()


def _sqlite_copy(source, target) -> None:
    """A consistent copy of a SQLite file (the backup API: whatever the WAL holds, page by page)."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


@pytest.fixture(scope="session")
def _loaded_store(tmp_path_factory):
    store: dict[tuple[str, str], _Loaded] = {}
    folder = tmp_path_factory.mktemp("geladen")
    yield store, folder
    for loaded in store.values():
        loaded.close()


def loaded_warehouse(request, key: str, load) -> Engine:
    """The warehouse of `key` on the test's backend (its `backend` fixture), as `load(engine)`
    left it. Tests may write to it: the next test then gets a fresh load."""
    backend = request.getfixturevalue("backend")
    store, folder = request.getfixturevalue("_loaded_store")
    key = re.sub(r"[^a-z0-9_]", "_", key.lower())
    if (backend, key) not in store:
        store[(backend, key)] = _Loaded(backend, key, folder)
    return store[(backend, key)].get(load)


def engine_url(engine: Engine) -> str:
    """The engine's URL for another process (a CLI, an app): on PostgreSQL with its schema."""
    url = engine.url.render_as_string(hide_password=False)
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            schema = conn.exec_driver_sql("SELECT current_schema()").scalar()
        url += ("&" if "?" in url else "?") + f"options=-csearch_path%3D{schema}"
    return url


def shared_demo(request, seed: int = 2025, scale: int = 1, derive=None) -> Engine:
    """The demonstration data of `seed` with the Programmaplan, as load_demo leaves it, on the
    test's backend: loaded once per test process while tests leave it unchanged (loaded_warehouse).
    The fixture calling this must take `backend`."""
    from data.warehouse.demo import load_demo

    key = f"demo_{seed}_{scale}" + (f"_{derive.__name__}" if derive else "")
    return loaded_warehouse(request, key,
                            lambda engine: load_demo(engine, seed=seed, scale=scale, derive=derive))


def pytest_terminal_summary(terminalreporter):
    """Figures a test computed and wants read, not asserted (the forecast's backtest): recorded with
    `record_property("cijfers", text)`, shown after the run — also from xdist's worker processes,
    whose reports carry their properties to this one."""
    shown = [(report.nodeid, value) for report in terminalreporter.stats.get("passed", [])
             for key, value in getattr(report, "user_properties", ()) if key == "cijfers"]
    if shown:
        terminalreporter.section("cijfers berekend door de tests")
        for nodeid, text in shown:
            terminalreporter.write_line(nodeid)
            for line in str(text).splitlines():
                terminalreporter.write_line("  " + line)
