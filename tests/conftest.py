"""Fixtures shared by the suite: the same tests on SQLite and on PostgreSQL.

`warehouse` is an empty, migrated warehouse engine, parametrised over both backends. PostgreSQL
runs when TEST_DATABASE_URL is set (the tests use schemas of their own in that database, named
after the test process and dropped at the end) and is skipped with the reason otherwise.

`loaded_warehouse(request, key, load)` is a warehouse filled by `load` once and handed to every
later test asking for the same key, for as long as nothing has written to it (see _Loaded). The
load itself happens once per test run: the first process to need it leaves a template that the
other xdist workers copy (see RunTemplates).
"""
from __future__ import annotations

import fcntl
import functools
import json
import os
import re
import shutil
import sqlite3
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path

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


#: the scrypt cost of the accounts the tests make: the product's (werkzeug's default, 2^15) takes
#: ~0.1 s per hash and per login, which the suite paid about a thousand times. A hash carries its
#: own parameters, so a login checks such an account just as cheaply — also in the apps and
#: gunicorn workers the tests start. Accounts an app makes itself (the demo accounts) and the
#: dummy hash of an unknown name keep the product's cost (test_users checks the default).
TEST_PASSWORD_HASH = "scrypt:1024:8:1"


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashes():
    from functools import partial

    from werkzeug.security import generate_password_hash

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("data.accounts.users.generate_password_hash",
                      partial(generate_password_hash, method=TEST_PASSWORD_HASH))
        yield


@pytest.fixture(scope="session", autouse=True)
def _forecast_origins_kept():
    """The rolling-origin forecasts once per process and set of declarations (tests/forecast_memo.py)."""
    import importlib

    from tests.forecast_memo import CALLERS, kept

    origins_for = importlib.import_module(CALLERS[0]).origins_for
    with pytest.MonkeyPatch.context() as patch:
        once = kept(origins_for)
        for name in CALLERS:
            patch.setattr(f"{name}.origins_for", once)
        yield


@contextmanager
def product_password_hashes():
    """The product's own password hashing, within the block (for the test that checks it)."""
    from werkzeug.security import generate_password_hash

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("data.accounts.users.generate_password_hash", generate_password_hash)
        yield


# Under pytest-xdist (--dist loadgroup) a module's tests stay on one worker, so its module-scoped
# fixtures (an app, a rendered deck) and the process's shared warehouses are made once. The tests
# of SPREAD_MODULES are many or heavy and independent, and go to the workers one by one. (The fuzz
# tests stay together: spread, every worker built the fuzz app and fitted its forecasts again.)
SPREAD_MODULES = {"test_kpi_oracle.py"}
# Seconds a module's group took under xdist (the oracle's tests: one test), measured in
# docs/performance.md's runs: handed out first, so that the last work to finish is short and the
# workers end together.
HEAVY_MODULES = {"test_fuzz.py": 105, "test_browser.py": 89, "test_totals.py": 63, "test_warmup.py": 62,
                 "test_browser_presentatie.py": 56, "test_sources.py": 46, "test_standen.py": 44,
                 "test_report_pdf.py": 41, "test_slides.py": 39, "test_theme_browser.py": 37,
                 "test_browser_standen.py": 35, "test_data_cli.py": 34, "test_security_headers.py": 31,
                 "test_browser_navigation.py": 31, "test_disclosure_attack.py": 28, "test_serving.py": 27,
                 "test_mail.py": 24, "test_forecast_cli.py": 23, "test_targets_csv.py": 23, "test_faults.py": 23,
                 "test_oidc_browser.py": 20, "test_summaries.py": 19,
                 # one test at a time, first: a dozen of them check several KPIs on each random
                 # warehouse and take a minute under load; handed out last, one ran on alone
                 "test_kpi_oracle.py": 200}


def pytest_xdist_auto_num_workers(config):
    """`-n auto`: one worker per core and one more. A browser test waits ~0.8 s per page load for
    the network to go quiet and the suite's servers and Chromium run beside the workers, so with a
    worker per core the cores stood idle 7% of a run (vmstat); a third worker on two cores filled
    that (8:24 instead of 8:48, docs/performance.md "Test suite")."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return cores + 1


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
    from dashboard.theming import active_theme

    runtime.reset()
    active_theme.reset()
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
    workers sharing a database could read each other's results or lose their own.
    The run's templates (RunTemplates) are made known to this process."""
    _start_run_templates(config)
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


@functools.cache
def tables_parents_first() -> tuple:
    """Base.metadata.sorted_tables, sorted once: the metadata sorts its tables anew on every read
    (a third of emptying a warehouse, which the hypothesis tests do per example)."""
    return tuple(Base.metadata.sorted_tables)


def empty_all_tables(engine: Engine) -> None:
    """Remove every row (the schema stays), children before parents, and restart the identity
    sequences (as TRUNCATE ... RESTART IDENTITY did). On PostgreSQL one round trip: DELETE on a
    small table takes milliseconds where TRUNCATE of all tables took ~0.3 s (new files per table),
    which the hypothesis tests paid per example."""
    tables = [t.name for t in reversed(tables_parents_first())]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql("; ".join(
                [f"DELETE FROM {name}" for name in tables]
                + ["SELECT setval(c.oid, 1, false) FROM pg_class c JOIN pg_namespace n "
                   "ON n.oid = c.relnamespace WHERE c.relkind = 'S' AND n.nspname = current_schema()"]))
        else:
            for name in tables:
                conn.execute(text(f"DELETE FROM {name}"))
            # AUTOINCREMENT's counters (stand): restarted, as PostgreSQL's sequences above
            if conn.scalar(text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_sequence'")):
                conn.execute(text("DELETE FROM sqlite_sequence"))


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


# --- warehouses loaded once per run and reused while unchanged --------------------------------

@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request) -> str:
    """Each backend's name; PostgreSQL is skipped with the reason when it is not configured."""
    if request.param == "postgresql" and not pg_test_url():
        pytest.skip(PG_SKIP_REASON)
    return request.param


class RunTemplates:
    """Loaded warehouses kept for the whole test run, one per (backend, key), so that a load
    happens once per run and not once per xdist worker (a demo load costs 1-3 s, 7-10 s with the
    stored totals on PostgreSQL): the first process that needs one loads its own warehouse and
    leaves a copy here, the template; the others copy the template into their own warehouse.
    SQLite: a file in the run's folder. PostgreSQL: a schema named after the run (with the
    sequences' values in the template's note).

    A template is written once, before its note exists, and only read after that (no test is ever
    handed a template, only a copy), so every copy is the loaded state. The controller (or the only
    process) makes the folder, tells the workers (pytest_configure_node) and removes the folder
    and the schemas when the run ends."""

    def __init__(self, run: str, folder):
        self.run, self.folder = run, Path(folder)

    def schema(self, key: str) -> str:
        return f"jeugdmonitor_tpl_{self.run}_{key}"

    def sqlite_file(self, key: str) -> Path:
        return self.folder / f"{key}.db"

    def note(self, backend: str, key: str, make) -> dict:
        """The note of (backend, key)'s template; when there is none yet, `make()` builds the
        template and returns its note. A process needing a template another is making waits for
        it (a file lock in the run's folder)."""
        path = self.folder / f"{backend}_{key}.json"
        if not path.exists():
            with _file_lock(path.with_suffix(".lock")):
                if not path.exists():  # the process that held the lock may have made it
                    written = path.with_suffix(".tmp")
                    written.write_text(json.dumps(make()))
                    written.replace(path)  # the note appears whole, after its template
        return json.loads(path.read_text())

    def sqlite_template(self, key: str, load) -> Path:
        """The SQLite template of `key`; when there is none yet, `load(engine)` fills it in a new
        migrated file. Only to copy (it is the run's, and never written after its load)."""
        path = self.sqlite_file(key)

        def load_into_template() -> dict:
            path.unlink(missing_ok=True)  # a load that failed half-way left it
            engine = make_engine(f"sqlite:///{path}")
            migrate(engine)
            load(engine)
            engine.dispose()
            return {}

        self.note("sqlite", key, load_into_template)
        return path

    def end_run(self) -> None:
        tried_postgresql = any(self.folder.glob("postgresql_*"))
        shutil.rmtree(self.folder, ignore_errors=True)
        if tried_postgresql:  # a schema half made by a failed load goes too
            prefix = self.schema("")
            admin = make_engine(pg_test_url())
            with admin.begin() as conn:
                names = conn.exec_driver_sql("SELECT nspname FROM pg_namespace WHERE left(nspname, %(n)s) = %(p)s",
                                             {"n": len(prefix), "p": prefix}).scalars().all()
                for name in names:
                    conn.exec_driver_sql(f"DROP SCHEMA {name} CASCADE")
            admin.dispose()


@contextmanager
def _file_lock(path: Path):
    with open(path, "w") as file:
        fcntl.flock(file, fcntl.LOCK_EX)  # released when the file is closed
        yield


_RUN_TEMPLATES: list[RunTemplates] = []  # this process's, from pytest_configure


def run_templates() -> RunTemplates:
    """The test run's templates (also for tests.demo_files)."""
    return _RUN_TEMPLATES[0]


def _start_run_templates(config) -> None:
    workerinput = getattr(config, "workerinput", None)
    if workerinput is not None:  # an xdist worker: the controller's run
        templates = RunTemplates(workerinput["jeugdmonitor_run"], workerinput["jeugdmonitor_templates"])
    else:
        templates = RunTemplates(uuid.uuid4().hex[:8], tempfile.mkdtemp(prefix="jeugdmonitor-sjablonen-"))
        config.add_cleanup(templates.end_run)  # after the session, when every worker has ended
    _RUN_TEMPLATES[:] = [templates]


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    """xdist: a new worker uses the run's templates."""
    node.workerinput["jeugdmonitor_run"] = run_templates().run
    node.workerinput["jeugdmonitor_templates"] = str(run_templates().folder)


class _Loaded:
    """One warehouse (SQLite file or PostgreSQL schema) per (backend, key) in this process, in the
    state its `load` leaves.

    Loading the demonstration data takes 1-3 s (10 s with the stored totals), and most tests only
    read it, so the load happens once per run (RunTemplates: the first process loads, the others
    copy its template) and a later test asking for the same key gets the same warehouse back. It is
    handed out only in exactly the loaded state: a fingerprint taken right after the load is
    compared, and a test that wrote anything (insert, update, delete, on any table) has the
    warehouse put back from the template (SQLite: the whole file; PostgreSQL: the changed tables
    and the tables referring to them, and the sequences), much faster than loading again.
    Fingerprint on SQLite: PRAGMA data_version on a connection of our own, which changes with
    every commit of any other connection. On PostgreSQL: per table the row count and the newest
    row version (xmin; every insert or update makes a new one), and the sequences' values.
    """

    def __init__(self, backend: str, key: str, folder, templates: RunTemplates):
        self.backend, self.key, self.templates = backend, key, templates
        if backend == "sqlite":
            self.path = folder / f"{key}.db"
            self.copy = templates.sqlite_file(key)
            self.engine = make_engine(f"sqlite:///{self.path}")
            self.watcher = sqlite3.connect(self.path, check_same_thread=False)
            self.schema = None
        else:
            self.schema = f"{PG_SCHEMA}_{key}"
            self.copy = templates.schema(key)
            _create_schema(self.schema)
            self.engine = make_engine(pg_test_url(), connect_args={
                "options": f"-csearch_path={self.schema} {PG_TEST_OPTIONS}"})
            migrate(self.engine)  # the template's rows are copied in (SQLite: the whole file)
        self.mark = None

    def fingerprint(self):
        if self.backend == "sqlite":
            return self.watcher.execute("PRAGMA data_version").fetchone()[0]
        tables = [t.name for t in tables_parents_first()]
        with self.engine.connect() as conn:
            rows = conn.exec_driver_sql(" UNION ALL ".join(
                f"SELECT '{name}', count(*), max(xmin::text::bigint) FROM {name}" for name in tables)).all()
            sequences = conn.exec_driver_sql(
                "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = current_schema()").all()
        return {name: (count, xmin) for name, count, xmin in rows}, dict(map(tuple, sequences))

    def _load_once_per_run(self, load) -> None:
        """The loaded state: loaded here if no process of the run has yet, else the template's."""
        loaded_here = []

        def load_and_leave_template() -> dict:
            if self.backend == "sqlite":
                migrate(self.engine)
            load(self.engine)
            loaded_here.append(True)
            return self._leave_template()

        note = self.templates.note(self.backend, self.key, load_and_leave_template)
        if not loaded_here:
            self._copy_template(note)

    def _leave_template(self) -> dict:
        if self.backend == "sqlite":
            sqlite_copy(self.path, self.copy)
            return {}
        _create_schema(self.copy)
        with self.engine.begin() as conn:
            conn.exec_driver_sql("; ".join(f"CREATE TABLE {self.copy}.{t.name} AS TABLE {t.name}"
                                           for t in tables_parents_first()))
        return {"sequences": self.fingerprint()[1]}

    def _copy_template(self, note: dict) -> None:
        if self.backend == "sqlite":
            self.engine.dispose()
            sqlite_copy(self.copy, self.path)
            return
        order = [t.name for t in tables_parents_first()]
        statements = [f"INSERT INTO {name} SELECT * FROM {self.copy}.{name}" for name in order]
        with self.engine.begin() as conn:
            conn.exec_driver_sql("; ".join(statements + _setval(note["sequences"])))
        # the planner's statistics and visibility map as the loader leaves them (VACUUM ANALYZE)
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE " + ", ".join(order))

    def _put_back(self, now) -> None:
        """The loaded state again, from the template."""
        if self.backend == "sqlite":
            self.engine.dispose()  # no pooled connection keeps a view of the old pages
            sqlite_copy(self.copy, self.path)
            return
        (tables, sequences), (loaded_tables, loaded_sequences) = now, self.mark
        changed = {name for name in tables if tables[name] != loaded_tables[name]}
        for table in tables_parents_first():  # parents first: a child of a changed table goes too
            if any(fk.column.table.name in changed for fk in table.foreign_keys):
                changed.add(table.name)
        order = [t.name for t in tables_parents_first() if t.name in changed]
        statements = [f"DELETE FROM {name}" for name in reversed(order)]
        statements += [f"INSERT INTO {name} SELECT * FROM {self.copy}.{name}" for name in order]
        statements += _setval({name: value for name, value in loaded_sequences.items()
                               if sequences.get(name) != value})
        with self.engine.begin() as conn:
            conn.exec_driver_sql("; ".join(statements))

    def get(self, load) -> Engine:
        if self.mark is None:
            self._load_once_per_run(load)
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
            _drop_schema(self.schema)  # the template is the run's (RunTemplates.end_run)
        else:
            self.watcher.close()


def _setval(sequences: dict) -> list[str]:
    """Statements setting each sequence to its value (None: never used)."""
    return [f"SELECT setval('{name}', {value}, true)" if value is not None else f"SELECT setval('{name}', 1, false)"
            for name, value in sequences.items()]


def sqlite_copy(source, target) -> None:
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
    left it (`load` runs once per test run: `key` names what it loads). Tests may write to it: the
    next test then gets the loaded state back."""
    backend = request.getfixturevalue("backend")
    store, folder = request.getfixturevalue("_loaded_store")
    key = re.sub(r"[^a-z0-9_]", "_", key.lower())
    if (backend, key) not in store:
        store[(backend, key)] = _Loaded(backend, key, folder, run_templates())
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
    test's backend: loaded once per test run and reused while tests leave it unchanged
    (loaded_warehouse).
    The fixture calling this must take `backend`."""
    return loaded_warehouse(request, _demo_key(seed, scale, derive), _demo_load(seed, scale, derive))


def demo_sqlite_template(seed: int = 2025, scale: int = 1, derive=None) -> Path:
    """shared_demo's SQLite file of the run: to copy (tests.demo_files), never to write to."""
    key = _demo_key(seed, scale, derive)
    return run_templates().sqlite_template(key, _demo_load(seed, scale, derive))


def _demo_key(seed: int, scale: int, derive) -> str:
    return f"demo_{seed}_{scale}" + (f"_{derive.__name__}" if derive else "")


def _demo_load(seed: int, scale: int, derive):
    from data.warehouse.demo import load_demo

    return lambda engine: load_demo(engine, seed=seed, scale=scale, derive=derive)


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


def pytest_unconfigure(config):
    """Before pytest's last cleanup, which collects garbage five times over the whole heap (to
    report a late `__del__` error): what the run built and still holds (warehouses, apps, caches
    of results) is frozen first, so those collections scan only what is left over. Each worker
    spent 6-8 s there at the very end of the run. Objects already freed are unaffected, and every
    test's own unraisable exceptions were reported when it ended."""
    import gc

    gc.freeze()


def pytest_collection_finish(session):
    """The collector as in the product's processes (data/collector.py), and what collection
    imported and built (the app's modules, every test's parameters) out of its way: each process
    holds ~300,000 such objects, which every full collection would scan again."""
    import gc

    from data import collector

    gc.collect()
    gc.freeze()
    collector.tune()
