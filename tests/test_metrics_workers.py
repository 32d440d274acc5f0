"""/metrics under the production command: gunicorn with three workers, each with its own memory.
Whichever worker answers a scrape, it gives the sum over all of them (prometheus_client's
multiprocess mode, gunicorn.conf.py), and a worker that dies leaves its counts in the sums but its
pool out of them."""
from __future__ import annotations

import os
import signal
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from data.db import make_engine, migrate
from tests import handmade_warehouse
from tests.gunicorn_support import gunicorn, worker_pids
from tests.test_metrics import TOKEN, samples, value

WORKERS = 3


def _get(url: str, headers: dict | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:  # the 302 of /favicon.ico is not followed
        return error.code, ""


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _favicon(base: str) -> int:
    """One request on a connection of its own (so the workers share them out)."""
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(base + "/favicon.ico", timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _pids_with_counts(folder) -> set[int]:
    """The processes that wrote counters (prometheus_client: counter_<pid>.db)."""
    return {int(path.stem.split("_")[1]) for path in folder.glob("counter_*.db")}


def scrape(base: str) -> dict:
    status, text = _get(base + "/metrics", {"Authorization": f"Bearer {TOKEN}"})
    assert status == 200, text[:300]
    return samples(text)


def test_a_scrape_sums_every_worker(tmp_path):
    url = f"sqlite:///{tmp_path / 'w.db'}"
    engine = make_engine(url)
    migrate(engine)
    handmade_warehouse.fill(engine)
    engine.dispose()
    folder = tmp_path / "prometheus"
    folder.mkdir()
    env = {"DATABASE_URL": url, "METRICS_TOKEN": TOKEN, "PROMETHEUS_MULTIPROC_DIR": str(folder),
           "GUNICORN_THREADS": "2"}
    favicon = {"route": "/favicon.ico", "callback": "", "method": "GET", "status": "302"}
    with gunicorn(env, tmp_path / "gunicorn.log", workers=WORKERS) as (proc, base):
        sent = 0
        with ThreadPoolExecutor(12) as pool:
            # in rounds until at least two workers have answered some (the kernel shares the
            # connections out; one round nearly always reaches every worker)
            for _ in range(10):
                statuses = list(pool.map(lambda _: _favicon(base), range(60)))
                assert statuses == [302] * 60
                sent += 60
                if len(_pids_with_counts(folder) & set(worker_pids(proc.pid))) >= 2:
                    break
        workers = worker_pids(proc.pid)
        assert len(_pids_with_counts(folder) & set(workers)) >= 2
        assert os.getpid() not in _pids_with_counts(folder)

        for scrapes_before in range(3):  # three scrapes, answered by any worker: the same sums
            found = scrape(base)
            assert value(found, "jeugdmonitor_http_requests_total", **favicon) == sent
            assert value(found, "jeugdmonitor_http_requests_total", route="/metrics", callback="", method="GET",
                         status="200") == scrapes_before
            assert value(found, "jeugdmonitor_db_pool_size") == 5 * WORKERS  # not the master's
            assert value(found, "jeugdmonitor_db_pool_checked_out") == 0
        key = {k: v for k, v in favicon.items() if k != "status"}
        assert value(found, "jeugdmonitor_http_request_duration_seconds_count", **key) == sent

        killed = workers[0]
        os.kill(killed, signal.SIGKILL)
        deadline = time.time() + 60
        while killed in worker_pids(proc.pid) or len(worker_pids(proc.pid)) < WORKERS:
            assert time.time() < deadline, (tmp_path / "gunicorn.log").read_text()[-3000:]
            time.sleep(0.2)
        while True:  # the new worker sets its pool gauges once it has started (post_worker_init)
            found = scrape(base)
            if value(found, "jeugdmonitor_db_pool_size") == 5 * WORKERS or time.time() > deadline:
                break
            time.sleep(0.2)
        assert value(found, "jeugdmonitor_db_pool_size") == 5 * WORKERS  # the dead worker's pool is gone
        assert value(found, "jeugdmonitor_http_requests_total", **favicon) == sent  # its counts are not
    log = (tmp_path / "gunicorn.log").read_text()
    assert "Traceback" not in log, log[-3000:]
