"""Faults under load, against the production command (gunicorn, several workers) on PostgreSQL:

(a) the database goes away for a few seconds during requests: pages and callbacks answer a Dutch
    503 with Retry-After (never a 500), and the app recovers by itself once it is back. The
    machine's PostgreSQL is shared, so it is not stopped: a small TCP proxy in this test stands
    between the app and it, and drops every connection and refuses new ones for a while.
(b) a worker is killed (SIGKILL) during a burst of saves: every save is either committed with its
    audit record or absent, every confirmed save is there, and the app keeps serving.
"""
from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import threading
import time
from urllib.parse import urlsplit, urlunsplit

import pytest
from sqlalchemy import select

from data.accounts.users import add_user
from data.db import make_engine, migrate
from data.programme.plan import load_programme
from data.programme.schema import Indicator, Realisatie, Wijziging
from tests import conftest, handmade_warehouse
from tests.gunicorn_support import gunicorn, pg_schema, worker_pids
from tests.http_session import HttpSession

PASSWORD = "geheim-wachtwoord-1"


@pytest.fixture
def pg_url():
    if not conftest.pg_test_url():
        pytest.skip(conftest.PG_SKIP_REASON)
    with pg_schema(f"jeugdmonitor_storing_{os.getpid()}") as url:
        yield url


class TcpProxy:
    """Forwards 127.0.0.1:<port> to a target address, until told to fail: `outage(seconds)` closes
    every open connection and refuses new ones for that long (nothing listens on the port)."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.port = _free_port()
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._listen()

    def _listen(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # closed: an outage, or the end
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._open |= {client, upstream}
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                self._close(sock)

    def _close(self, sock: socket.socket) -> None:
        with self._lock:
            self._open.discard(sock)
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        sock.close()

    def outage(self, seconds: float) -> None:
        self._listener.close()
        with self._lock:
            victims = list(self._open)
        for sock in victims:
            self._close(sock)
        time.sleep(seconds)
        self._listen()

    def close(self) -> None:
        self._listener.close()
        with self._lock:
            victims = list(self._open)
        for sock in victims:
            self._close(sock)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def through(url: str, port: int) -> str:
    """The same database URL, reached through the proxy's port."""
    parts = urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)
    host = f"127.0.0.1:{port}"
    return urlunsplit(parts._replace(netloc=f"{netloc[0]}@{host}" if len(netloc) == 2 else host))


def callback_body(session: HttpSession, input_id: str, values: dict, state_values: dict) -> dict:
    """The request dash-renderer sends for the callback whose (first) input is `input_id`."""
    _, deps = session.get("/_dash-dependencies")
    callback = next(c for c in json.loads(deps) if c["inputs"] and c["inputs"][0]["id"] == input_id)
    outputs = callback["output"].strip(".").split("...")
    return {"output": callback["output"],
            "outputs": [{"id": o.rsplit(".", 1)[0], "property": o.rsplit(".", 1)[1]} for o in outputs],
            "changedPropIds": [f"{i['id']}.{i['property']}" for i in callback["inputs"]],
            "inputs": [{"id": i["id"], "property": i["property"], "value": values.get(i["id"])}
                       for i in callback["inputs"]],
            # a pattern-matched State (the indicator page's rows of fields) as a page without rows sends it
            "state": [[] if s["id"].startswith("{") else
                      {"id": s["id"], "property": s["property"], "value": state_values.get(s["id"])}
                      for s in callback.get("state", [])]}


def _pages(session: HttpSession, path: str) -> dict:
    """The pages callback that renders `path` (what the browser asks on every navigation)."""
    _, deps = session.get("/_dash-dependencies")
    callback = next(c for c in json.loads(deps) if "_pages_content" in c["output"])
    values = {"pathname": path, "search": "", "hash": "", "href": session.base + path}
    outputs = callback["output"].strip(".").split("...")
    return {"output": callback["output"],
            "outputs": [{"id": o.rsplit(".", 1)[0], "property": o.rsplit(".", 1)[1]} for o in outputs],
            "changedPropIds": ["_pages_location.pathname"],
            "inputs": [{"id": i["id"], "property": i["property"], "value": values.get(i["property"])}
                       for i in callback["inputs"]],
            "state": [{"id": s["id"], "property": s["property"]} for s in callback.get("state", [])]}


def _safe(call):
    try:
        return call()
    # The connection to gunicorn itself broke: refused or reset (OSError), or the worker died while
    # sending its answer (http.client.IncompleteRead, an HTTPException and not an OSError).
    except (OSError, http.client.HTTPException) as exc:
        return ("verbinding", repr(exc))


# --- (a) the database away for a few seconds --------------------------------------------------------

def test_a_database_outage_gives_a_dutch_503_and_the_app_recovers(tmp_path, pg_url):
    engine = make_engine(pg_url)
    migrate(engine)
    handmade_warehouse.fill(engine)
    add_user(engine, "pm", "Programmamanager", "programmamanager", PASSWORD)
    engine.dispose()
    proxy = TcpProxy(("127.0.0.1", urlsplit(conftest.pg_test_url()).port or 5432))
    env = {"DATABASE_URL": through(pg_url, proxy.port), "SECRET_KEY": "test-" + "x" * 32}
    try:
        with gunicorn(env, tmp_path / "gunicorn.log", workers=2) as (proc, base):
            workers_before = worker_pids(proc.pid)
            session = HttpSession(base, timeout=30)
            session.log_in("pm", PASSWORD)
            body = _pages(session, "/verkenner")
            seen: list[tuple[str, float, int]] = []
            samples: dict[str, tuple[int, str, dict]] = {}
            stop = threading.Event()

            def load(kind, call):
                own = HttpSession(base, timeout=30)
                own.cookies = dict(session.cookies)
                while not stop.is_set():
                    status, text = call(own)
                    seen.append((kind, time.time(), status))
                    if status == 503:
                        samples.setdefault(kind, (status, text, dict(own.last_headers)))
                    time.sleep(0.05)

            calls = {"pagina": lambda s: s.get("/beheer"),
                     "callback": lambda s: s.post_json("/_dash-update-component", body),
                     "gezondheid": lambda s: s.get("/gezondheid")}
            threads = [threading.Thread(target=load, args=item) for item in calls.items()]
            for thread in threads:
                thread.start()
            time.sleep(1.5)
            down = time.time()
            proxy.outage(4.0)
            up = time.time()
            recovered = None
            while recovered is None and time.time() < up + 30:  # every kind answers 200 again
                time.sleep(0.5)
                recent = [(k, s) for k, t, s in seen if t > time.time() - 1]
                if {k for k, _s in recent} == set(calls) and all(s == 200 for _k, s in recent):
                    recovered = time.time()
            time.sleep(3.0)  # and keeps doing so
            stop.set()
            for thread in threads:
                thread.join(30)
            assert worker_pids(proc.pid) == workers_before  # no restart, no crashed worker

        statuses = {s for _k, _t, s in seen}
        assert statuses <= {200, 503}, sorted(statuses)  # never a 500, never a dropped connection
        during = {k for k, t, s in seen if down <= t <= up + 1 and s == 503}
        assert during == {"pagina", "callback", "gezondheid"}, during
        assert recovered is not None and recovered - up < 20, "not recovered within 20 s"
        after = [(k, s) for k, t, s in seen if t > recovered]
        assert {k for k, _s in after} == set(calls) and {s for _k, s in after} == {200}
        status, text, headers = samples["pagina"]
        assert headers["Retry-After"] == "30" and headers["Content-Type"].startswith("text/html")
        assert '<html lang="nl">' in text and "De Jeugdmonitor is even niet bereikbaar" in text
        status, text, headers = samples["callback"]
        assert headers["Retry-After"] == "30" and text.startswith("De Jeugdmonitor is even niet bereikbaar.")
        for kind in ("pagina", "callback"):  # (the health check names the kind of failure, by design)
            text = samples[kind][1]
            assert "OperationalError" not in text and "psycopg" not in text and "Traceback" not in text
        log = (tmp_path / "gunicorn.log").read_text()
        assert "Traceback" not in log and '"status": 500' not in log
    finally:
        proxy.close()


# --- (b) a worker killed during a burst of saves ----------------------------------------------------

SAVE_INDICATORS = ("H01", "H02", "H04", "H05", "H07", "H08")  # manual indicators counted in "aantal"
MONTHS = [f"{year}-{month:02d}" for year in range(2016, 2023) for month in range(1, 13)]  # none in the plan


def test_a_killed_worker_loses_no_write_and_leaves_no_half_write(tmp_path, pg_url):
    engine = make_engine(pg_url)
    migrate(engine)
    load_programme(engine)
    add_user(engine, "pm", "Programmamanager", "programmamanager", PASSWORD)
    env = {"DATABASE_URL": pg_url, "SECRET_KEY": "test-" + "x" * 32}
    outcomes: dict[tuple[str, str], object] = {}  # (indicator, periode) → status, or the broken connection
    try:
        with gunicorn(env, tmp_path / "gunicorn.log", workers=2) as (proc, base):
            stop = threading.Event()
            savers = {}
            for code in SAVE_INDICATORS:  # logged in and ready before the burst starts
                session = HttpSession(base, timeout=60)
                session.log_in("pm", PASSWORD)
                savers[code] = (session, callback_body(session, "re-new-save", {"re-new-save": 1},
                                                       {"indicator-reden": "storingstest", "indicator-code": code}))

            def saver(code):
                session, template = savers[code]
                for i, periode in enumerate(MONTHS):
                    if stop.is_set():
                        return
                    body = json.loads(json.dumps(template))
                    for state in (entry for entry in body["state"] if isinstance(entry, dict)):
                        state["value"] = {"re-new-periode": periode, "re-new-input": str(i + 1)}.get(
                            state["id"], state.get("value"))
                    result = _safe(lambda body=body: session.post_json("/_dash-update-component", body))
                    outcomes[(code, periode)] = (result if isinstance(result[0], str)
                                                 else (result[0], "is vastgelegd" in result[1]))

            threads = [threading.Thread(target=saver, args=(code,)) for code in SAVE_INDICATORS]
            for thread in threads:
                thread.start()
            kills, deadline = 0, time.time() + 90
            while time.time() < deadline and (kills == 0 or not any(v[0] == "verbinding" for v in outcomes.values())):
                time.sleep(1.5)  # saves are in flight all the time: kill one worker mid-burst
                os.kill(worker_pids(proc.pid)[0], signal.SIGKILL)
                kills += 1
            while time.time() < deadline and sum(v == (200, True) for v in outcomes.values()) < 30:
                time.sleep(0.5)  # the burst goes on against the restarted worker
            stop.set()
            for thread in threads:
                thread.join(120)
            # the app keeps serving: a new login and a new save work
            after = HttpSession(base, timeout=60)
            after.log_in("pm", PASSWORD)
            body = callback_body(after, "re-new-save", {"re-new-save": 1},
                                 {"re-new-periode": "2023-01", "re-new-input": "7", "indicator-reden": "na",
                                  "indicator-code": "H01"})
            status, text = after.post_json("/_dash-update-component", body)
            assert status == 200 and "is vastgelegd" in text
    finally:
        with engine.connect() as conn:
            stored = {(code, periode): waarde for code, periode, waarde in conn.execute(
                select(Indicator.code, Realisatie.periode, Realisatie.waarde)
                .join(Indicator, Indicator.id == Realisatie.indicator_id)
                .where(Realisatie.gewijzigd_door == "pm"))}
            audit_rows = conn.execute(select(Wijziging.sleutel, Wijziging.nieuwe_waarde).where(
                Wijziging.tabel == "realisatie", Wijziging.door == "pm")).all()
        audited = {tuple(sleutel.split("/")): nieuw for sleutel, nieuw in audit_rows}
        engine.dispose()

    broken = [key for key, v in outcomes.items() if v[0] == "verbinding"]
    confirmed = [key for key, v in outcomes.items() if v == (200, True)]
    print(f"{kills} kills, {len(broken)} saves cut off, {len(confirmed)} confirmed, {len(outcomes)} sent")
    assert broken, f"no save was in flight in {kills} kills"
    assert len(confirmed) >= 30
    odd = {key: v for key, v in outcomes.items() if v[0] not in ("verbinding", 200)}
    assert odd == {}, (odd, (tmp_path / "gunicorn.log").read_text()[-3000:])
    assert len(audit_rows) == len(audited)  # one audit record per save
    stored.pop(("H01", "2023-01"))
    audited.pop(("H01", "2023-01"))
    assert set(stored) == set(audited)  # every value has its audit record, and no record lacks its value
    for key, waarde in stored.items():
        assert audited[key] == f"{waarde:g}"
    assert set(confirmed) <= set(stored)  # no confirmed save was lost
    assert set(stored) <= set(outcomes)  # nothing was stored that was not sent
    assert "Traceback" not in (tmp_path / "gunicorn.log").read_text()
