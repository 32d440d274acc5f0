"""A report asked for twice at once is built once (issue 15): one build per key at a time, other
keys in parallel, kept a few minutes; the route keys it on the data's generation, year and stand."""
from __future__ import annotations

import threading
import time

import pytest

from dashboard.exports.report_cache import ReportCache

WAIT = 30  # s: generous, a failing test ends on it instead of hanging


class Builds:
    """A build that counts its calls and, when told to, holds until released."""

    def __init__(self, hold: bool = False):
        self.calls = 0
        self.started = threading.Event()
        self.release = threading.Event()
        if not hold:
            self.release.set()

    def __call__(self, pdf: bytes = b"%PDF-1") -> bytes:
        self.calls += 1
        self.started.set()
        assert self.release.wait(WAIT)
        return pdf


def in_thread(target) -> tuple[threading.Thread, list]:
    out: list = []
    thread = threading.Thread(target=lambda: out.append(target()))
    thread.start()
    return thread, out


def waiting(cache: ReportCache, key, n: int) -> None:
    """Until n requests are inside `cache.get(key)` (the first building, the others waiting)."""
    deadline = time.monotonic() + WAIT
    while cache._building.get(key, [None, 0])[1] < n:
        assert time.monotonic() < deadline, "the second request never arrived"
        time.sleep(0.01)


def test_a_second_request_waits_for_the_first_build_and_gets_its_pdf():
    cache, build = ReportCache(), Builds(hold=True)
    first, out1 = in_thread(lambda: cache.get("2025", build))
    assert build.started.wait(WAIT)
    second, out2 = in_thread(lambda: cache.get("2025", build))
    waiting(cache, "2025", 2)
    build.release.set()
    first.join(WAIT), second.join(WAIT)
    assert build.calls == 1 and out1 == out2 == [b"%PDF-1"]
    assert cache._building == {}  # nothing left behind per key


def test_different_reports_are_built_side_by_side():
    cache, a, b = ReportCache(), Builds(hold=True), Builds()
    first, _ = in_thread(lambda: cache.get("2025", a))
    assert a.started.wait(WAIT)
    assert cache.get("2024", b) == b"%PDF-1"  # not held up by the build of 2025
    a.release.set()
    first.join(WAIT)


def test_a_kept_report_expires_and_the_oldest_goes_first():
    now = [0.0]
    cache, build = ReportCache(ttl=600, size=2, clock=lambda: now[0]), Builds()
    cache.get("a", build), cache.get("a", build)
    assert build.calls == 1
    now[0] = 601
    cache.get("a", build)
    assert build.calls == 2
    cache.get("b", build), cache.get("c", build)  # three reports, room for two
    cache.get("b", build), cache.get("c", build)
    assert build.calls == 4
    cache.get("a", build)
    assert build.calls == 5


def test_a_failed_build_is_not_kept():
    cache = ReportCache()

    def broken():
        raise RuntimeError("pango")

    with pytest.raises(RuntimeError):
        cache.get("2025", broken)
    assert cache.get("2025", Builds()) == b"%PDF-1"


@pytest.fixture
def client(tmp_path, monkeypatch, app_module):
    """The app on a small warehouse, with the report's build replaced by a counting one."""
    from dashboard.exports import report_pdf
    from data.db import make_engine, migrate
    from data.programme.plan import load_programme
    from tests import handmade_warehouse

    url = f"sqlite:///{tmp_path / 'w.db'}"
    engine = make_engine(url)
    migrate(engine)
    handmade_warehouse.fill(engine)
    load_programme(engine)
    engine.dispose()
    builds = Builds(hold=True)
    monkeypatch.setattr(report_pdf, "report_pdf", lambda service, programme, jaar, **kw: builds(
        f"%PDF-{jaar}".encode()))
    server = app_module.create_app({"DATABASE_URL": url, "PUBLIC_READ": "1"}).server
    return server, builds


def test_two_requests_for_one_report_build_it_once(client):
    server, builds = client
    get = lambda path: server.test_client().get(path)  # noqa: E731 — a client per thread
    first, out1 = in_thread(lambda: get("/export/rapport.pdf?jaar=2025"))
    assert builds.started.wait(WAIT)
    second, out2 = in_thread(lambda: get("/export/rapport.pdf?jaar=2025"))
    time.sleep(0.5)  # the second request is in the route by now (or has built a second report)
    builds.release.set()
    first.join(WAIT), second.join(WAIT)
    assert [r.status_code for r in out1 + out2] == [200, 200]
    assert out1[0].data == out2[0].data == b"%PDF-2025"
    assert builds.calls == 1

    assert get("/export/rapport.pdf?jaar=2024").data == b"%PDF-2024"  # another year: its own
    assert builds.calls == 2


def test_new_data_make_a_new_report(client, monkeypatch):
    from dashboard.server import runtime

    server, builds = client
    builds.release.set()
    server.test_client().get("/export/rapport.pdf?jaar=2025")
    server.test_client().get("/export/rapport.pdf?jaar=2025")
    assert builds.calls == 1
    generation = runtime.service().generation()
    monkeypatch.setattr(runtime.service(), "generation", lambda: (generation[0], (generation[1] or 0) + 1))
    server.test_client().get("/export/rapport.pdf?jaar=2025")  # an edit moved the generation
    assert builds.calls == 2
