"""Serving: health endpoint, production settings, the shared Redis cache, gunicorn smoke test."""
import json
import os
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import insert, text

from data import schema as s
from data.accounts.users import add_user
from data.db import make_engine, migrate
from kpi import KpiRequest
from tests import handmade_warehouse, warm_python
from tests.conftest import REDIS_SKIP_REASON as REDIS_SKIP
from tests.http_session import HttpSession

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def sqlite_url(tmp_path):
    url = f"sqlite:///{tmp_path / 'w.db'}"
    engine = make_engine(url)
    migrate(engine)
    handmade_warehouse.fill(engine)
    engine.dispose()
    return url


@pytest.fixture
def app_factory(app_module):
    return app_module


def test_health_reports_database_and_cache(app_factory, sqlite_url):
    server = app_factory.create_app({"DATABASE_URL": sqlite_url}).server
    response = server.test_client().get("/gezondheid")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok" and body["database"] == "ok" and body["cache"] == "proces"


def test_health_is_503_when_the_database_is_gone(app_factory, sqlite_url):
    from dashboard.server import runtime

    server = app_factory.create_app({"DATABASE_URL": sqlite_url}).server
    runtime.configure(make_engine("postgresql://nobody@127.0.0.1:1/none?connect_timeout=1"))
    response = server.test_client().get("/health")
    assert response.status_code == 503
    assert response.get_json()["database"].startswith("fout")


def test_production_needs_a_secret_key(app_factory, sqlite_url):
    with pytest.raises(app_factory.SettingsError):
        app_factory.create_app({"DATABASE_URL": sqlite_url, "JEUGDMONITOR_ENV": "production"})
    server = app_factory.create_app({"DATABASE_URL": sqlite_url, "JEUGDMONITOR_ENV": "production",
                                     "SECRET_KEY": "x" * 32}).server
    assert server.config["SESSION_COOKIE_SECURE"] and server.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_redis_cache_is_shared_by_workers_and_follows_the_generation(warehouse, redis_url):
    from kpi.cache_store import RedisStore
    from kpi.service import KpiService

    handmade_warehouse.fill(warehouse)
    prefix = f"jeugdmonitor:test:{os.getpid()}:{warehouse.dialect.name}:"
    worker_a = KpiService(warehouse, store=RedisStore(redis_url, prefix=prefix), generation_ttl=0)
    worker_b = KpiService(warehouse, store=RedisStore(redis_url, prefix=prefix), generation_ttl=0)
    try:
        request = KpiRequest.for_year("jeugdigen_met_jeugdhulp", 2025, suppress=False)
        assert worker_a.compute(request).rows[0].value == 5
        assert worker_b.compute(request).rows[0].value == 5
        assert (worker_a.misses, worker_b.hits) == (1, 1)  # b used a's result
        with warehouse.begin() as conn:  # a load elsewhere: a new generation for every worker
            conn.execute(insert(s.LoadLog).values(geladen_op=__import__("datetime").datetime(2026, 1, 1),
                                                  bron="test", bestanden=[]))
        worker_b.compute(request)
        assert worker_b.misses == 1
    finally:
        worker_a.store.clear()


def test_redis_gives_back_a_breakdown_exactly_as_computed(warehouse, redis_url):
    """Rows are pickled as columns in Redis: every field, suppression and value type survives."""
    from kpi.cache_store import RedisStore
    from kpi.result import KpiRow
    from kpi.service import KpiService

    handmade_warehouse.fill(warehouse)
    prefix = f"jeugdmonitor:test:packed:{os.getpid()}:{warehouse.dialect.name}:"
    store = RedisStore(redis_url, prefix=prefix)
    try:
        for kpi_id in ("jeugdigen_met_jeugdhulp", "gem_trajectduur", "totale_kosten"):
            request = KpiRequest.for_year(kpi_id, 2025, by="wijk", suppress=True)
            computed = KpiService(warehouse, store=store, generation_ttl=0).compute(request).rows
            from_redis = KpiService(warehouse, store=store, generation_ttl=0).compute(request).rows
            assert from_redis == computed
            assert [type(r.value) for r in from_redis] == [type(r.value) for r in computed]
            assert all(type(r) is KpiRow for r in from_redis)
        rows = (KpiRow("2025", "a", "A", 12.5, 30), KpiRow("2025", "b", "B", None, None, True))
        store.set(("raw",), rows)
        raw = store.client.get(store._key(("raw",)))
        assert raw.count(b"KpiRow") == 0  # columns, not one pickled object per row
        assert store.get(("raw",)) == rows
    finally:
        store.clear()


def _free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url, data=None):
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"} if data else {})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status, response.read().decode("utf-8")


def _render_page(session, path):
    """Ask the app for a page's content the way the browser does (the pages callback)."""
    base = session.base
    _, deps = session.get("/_dash-dependencies")
    callback = next(c for c in json.loads(deps) if "_pages_content" in c["output"])
    values = {"pathname": path, "search": "", "hash": "", "href": base + path}
    body = {"output": callback["output"], "outputs": [], "changedPropIds": ["_pages_location.pathname"],
            "inputs": [{"id": i["id"], "property": i["property"], "value": values.get(i["property"])}
                       for i in callback["inputs"]],
            "state": [{"id": st["id"], "property": st["property"]} for st in callback.get("state", [])]}
    outputs = callback["output"].strip(".").split("...")
    body["outputs"] = [{"id": o.rsplit(".", 1)[0], "property": o.rsplit(".", 1)[1]} for o in outputs]
    return session.post_json("/_dash-update-component", body)


@pytest.mark.parametrize("cache", ["proces", "redis"])
def test_gunicorn_serves_against_postgresql(tmp_path, cache):
    """The production command (gunicorn, several workers) on PostgreSQL, with each cache path."""
    pg = os.environ.get("TEST_DATABASE_URL")
    if not pg:
        pytest.skip("TEST_DATABASE_URL is not set, so the gunicorn smoke test is skipped")
    redis_url = os.environ.get("REDIS_URL")
    if cache == "redis" and not redis_url:
        pytest.skip(REDIS_SKIP)
    schema = f"jeugdmonitor_gunicorn_{os.getpid()}_{cache}"
    admin = make_engine(pg)
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in pg else "?"
    url = pg + f"{sep}options=-csearch_path%3D{schema}"
    engine = make_engine(url)
    migrate(engine)
    handmade_warehouse.fill(engine)
    add_user(engine, "raad", "Raadslid", "lezer", "geheim-wachtwoord-1")
    engine.dispose()
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": url, "PORT": str(port), "HOST": "127.0.0.1",
           "WEB_CONCURRENCY": "2", "JEUGDMONITOR_ENV": "production", "SECRET_KEY": "test-" + "x" * 32}
    env.pop("REDIS_URL", None)
    if cache == "redis":
        env["REDIS_URL"] = redis_url
    log = open(tmp_path / "gunicorn.log", "w")
    proc = warm_python.Popen([sys.executable, "-m", "dashboard.server.serve"],
                             cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 90
        while True:
            try:
                status, body = _get(base + "/gezondheid")
                break
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    pytest.fail((tmp_path / "gunicorn.log").read_text()[-3000:])
                time.sleep(0.5)
        assert status == 200
        assert json.loads(body)["cache"] == cache
        session = HttpSession(base)
        assert session.get("/")[0] == 302  # login required in production
        session.log_in("raad", "geheim-wachtwoord-1")
        for _ in range(3):  # more requests than workers: both workers answer (one shared session key)
            status, page = _render_page(session, "/")
            assert status == 200 and "Overzicht" in page
        status, page = _render_page(session, "/verkenner")
        assert status == 200 and "Verkenner" in page
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        admin = make_engine(pg)
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        admin.dispose()
    assert "Traceback" not in (tmp_path / "gunicorn.log").read_text()


def test_the_load_test_script_runs_and_prints_its_tables():
    """bench/loadtest.py is a script, not a test; this only checks it still runs end to end
    (a short run on the demonstration data) and reports no errors."""
    done = warm_python.run([sys.executable, "bench/loadtest.py", "--filter-changes", "--users", "1",
                           "--seconds", "1", "--workers", "1"], cwd=ROOT, capture_output=True, text=True,
                           timeout=600, env={k: v for k, v in os.environ.items() if k != "REDIS_URL"})
    assert done.returncode == 0, done.stderr[-3000:]
    assert "| filter change (another breakdown, drill-down or year) | 30 |" in done.stdout
    assert "| of which drill-downs (filter verwijzer=huisarts, by wijk) | 5 |" in done.stdout
    cached = [line for line in done.stdout.splitlines() if line.startswith("| 1 |")]
    assert len(cached) == 1 and cached[0].split("|")[3].strip() == "0"  # no errors


def test_a_fresh_worker_survives_parallel_first_requests(tmp_path, sqlite_url):
    """orjson (plotly's JSON encoder) aborted the process (SIGILL) when two threads made it look up
    numpy's types at once: the first parallel requests of every new gunicorn worker killed it.
    The app does that lookup while it is built (app._initialise_json_encoder)."""
    from concurrent.futures import ThreadPoolExecutor

    from tests.gunicorn_support import gunicorn

    env = {"DATABASE_URL": sqlite_url, "PUBLIC_READ": "1", "GUNICORN_THREADS": "4"}
    with gunicorn(env, tmp_path / "gunicorn.log", workers=1) as (_proc, base):
        def layout(_):
            try:
                return _get(base + "/_dash-layout")[0]
            except OSError as exc:
                return repr(exc)

        with ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(layout, range(8)))
    log = (tmp_path / "gunicorn.log").read_text()
    assert statuses == [200] * 8 and "SIGILL" not in log, (statuses, log[-2000:])


def _raw(base: str, request: bytes) -> str:
    """What the server answers to `request` sent as bytes, as they are (no HTTP client would send these)."""
    import socket
    from urllib.parse import urlsplit

    address = urlsplit(base)
    with socket.create_connection((address.hostname, address.port), timeout=10) as conn:
        conn.sendall(request)
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    return answer.decode("utf-8")


@contextmanager
def _server(kind: str, database_url: str, log_path: Path):
    """gunicorn as in production, or `python app.py` (Werkzeug's server) as the README starts it;
    yields the base URL and the length of a request line over its limit."""
    from tests.browser import running_app
    from tests.gunicorn_support import gunicorn

    if kind == "gunicorn":
        with gunicorn({"DATABASE_URL": database_url}, log_path, workers=1) as (_proc, base):
            yield base, 9000      # gunicorn's limit_request_line: 4094
    else:
        with running_app(database_url, log_path) as base:
            yield base, 70_000    # http.server's: 65536


@pytest.mark.parametrize("kind", ["gunicorn", "python app.py"])
def test_what_the_server_answers_itself_is_dutch(tmp_path, sqlite_url, kind):
    """A request the server cannot read never reaches the app; gunicorn answered it with an English
    page ("URI Too Long", "Invalid Request Line 'ONZIN'", "Error parsing headers …"), Werkzeug's
    server with http.server's ("Error response … Bad request version")."""
    with _server(kind, sqlite_url, tmp_path / "server.log") as (base, too_long):
        cases = {
            b"GET /" + b"a" * too_long + b" HTTP/1.1\r\nHost: x\r\n\r\n": ("414", "Adres te lang"),
            b"GET / HTTP/1.1\r\nHost: x\r\nCookie: " + b"b" * too_long + b"\r\n\r\n": ("431", "Verzoek te groot"),
            # gunicorn: 400 "Invalid HTTP Version"; http.server answers that one as HTTP/0.9 does, the
            # page without a status line (its 505, "Invalid HTTP version")
            b"GET / HTTP/9.9\r\nHost: x\r\n\r\n": (("400", "Ongeldig verzoek") if kind == "gunicorn"
                                                 else (None, "Verzoek niet verwerkt")),
        }
        answers = {request: _raw(base, request) for request in cases}
    for request, (status, title) in cases.items():
        head, _, body = answers[request].partition("\r\n\r\n") if status else ("", "", answers[request])
        assert status is None or (head.startswith(f"HTTP/1.1 {status} ") and "charset=utf-8" in head), head
        assert f"<h1>{title}</h1>" in body and '<html lang="nl">' in body, body
        for english in ("Request", "Invalid", "Error", "Too Long", "parsing", "request"):
            assert english not in body, (english, body)


def test_requests_wait_while_the_first_one_sets_dash_up(app_module, sqlite_url, monkeypatch):
    """Dash sets its server up during the first request and marks that done before doing it: a
    second request arriving meanwhile was served from a half-built app (under gunicorn's threads a
    500, "dictionary changed size during iteration"; plotly/dash#3971). The setup is made slow
    here so that the second request surely arrives during it; it must not be answered before."""
    import threading

    from dash import _validate

    server = app_module.create_app({"DATABASE_URL": sqlite_url, "PUBLIC_READ": "1", "WARM_CACHE": "0"}).server
    in_setup, events = threading.Event(), []
    validate_layout = _validate.validate_layout

    def slow_validate_layout(*args):
        in_setup.set()
        time.sleep(0.5)
        events.append("setup done")
        return validate_layout(*args)

    monkeypatch.setattr(_validate, "validate_layout", slow_validate_layout)

    def ask(path):
        status = server.test_client().get(path).status_code
        events.append(f"{path} {status}")

    first = threading.Thread(target=ask, args=("/_dash-layout",))
    first.start()
    assert in_setup.wait(10)
    ask("/_dash-dependencies")
    first.join()
    assert events[0] == "setup done" and sorted(events[1:]) == ["/_dash-dependencies 200", "/_dash-layout 200"]
