"""GET /metrics: the app's metrics in Prometheus' text format, for the gemeente's monitoring.

What is measured (names, labels and meaning: docs/monitoring.md):
- every request, per route template and callback (dashboard/server/route_labels.py), method and
  status: a counter, and its duration as a histogram;
- the KPI service's cache lookups (hits, misses) and computation times, per KPI or memo: the
  service tells `KPI_OBSERVER` (kpi/observer.py; kpi/ imports nothing of this);
- the database pool (size, checked out, overflow), kept up to date at every checkout and checkin
  (data/db.py's watch_pool);
- load runs (count per kind and outcome, the latest one's duration and end), read from the
  `laadrun` table at each scrape: loads run in another process (data/warehouse/load_runs.py).

**Several workers.** Under gunicorn every worker has its own memory. gunicorn.conf.py points
PROMETHEUS_MULTIPROC_DIR at a fresh directory before the app is imported; prometheus_client then
keeps each process's values in files there, and a scrape, whichever worker answers it, sums them
(counters and histograms over every worker that ever ran; the pool gauges over the live ones:
`child_exit` marks a worker dead). Without it (python app.py, the tests) the values live in this
process. The choice is made when this module is imported.

Access: dashboard/server/metrics_access.py. The login guard lets /metrics through
(auth.OPEN_PREFIXES); everything else (headers, error pages) applies as to any route.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import time

from flask import Response, abort, request
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, disable_created_metrics, multiprocess
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.exposition import choose_encoder
from sqlalchemy.exc import SQLAlchemyError

from dashboard.server import runtime
from dashboard.server.metrics_access import MetricsAccess
from dashboard.server.route_labels import CALLBACK_KEY, ROUTE_KEY, UNKNOWN
from data.db import PoolStatus, pool_status, watch_pool
from data.warehouse import load_runs
from kpi.observer import ServiceObserver

log = logging.getLogger("jeugdmonitor.security")

PATH = "/metrics"
MULTIPROCESS = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))

# No `_created` series: a start time per label set, which the sums over workers cannot carry anyway.
disable_created_metrics()

# This process's metrics, in a registry of our own: prometheus_client's global one would also
# export its process collectors, which mean nothing summed over workers.
REGISTRY = CollectorRegistry()

# From a cached page piece (milliseconds) to the PDF report (seconds).
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
# From a stored total (a millisecond) to a forecast with its backtest (seconds).
COMPUTATION_BUCKETS = (0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
# Any other method a client sends counts as one label value, so the label set stays bounded.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

REQUESTS = Counter("jeugdmonitor_http_requests", "HTTP-verzoeken per route, callback, methode en status",
                   ["route", "callback", "method", "status"], registry=REGISTRY)
DURATION = Histogram("jeugdmonitor_http_request_duration_seconds",
                     "Duur van een HTTP-verzoek in seconden, per route, callback en methode",
                     ["route", "callback", "method"], buckets=LATENCY_BUCKETS, registry=REGISTRY)
CACHE_HITS = Counter("jeugdmonitor_kpi_cache_hits", "KPI-cache: gevonden resultaten, per soort en naam",
                     ["kind", "name"], registry=REGISTRY)
CACHE_MISSES = Counter("jeugdmonitor_kpi_cache_misses",
                       "KPI-cache: niet gevonden (dus berekende) resultaten, per soort en naam",
                       ["kind", "name"], registry=REGISTRY)
COMPUTATION = Histogram("jeugdmonitor_kpi_computation_seconds",
                        "Rekentijd van een KPI-resultaat (of afgeleide waarde) dat niet in de cache stond",
                        ["kind", "name"], buckets=COMPUTATION_BUCKETS, registry=REGISTRY)
POOL_SIZE = Gauge("jeugdmonitor_db_pool_size", "Databaseverbindingen die de pools vasthouden (som over de workers)",
                  multiprocess_mode="livesum", registry=REGISTRY)
POOL_CHECKED_OUT = Gauge("jeugdmonitor_db_pool_checked_out",
                         "Databaseverbindingen die nu in gebruik zijn (som over de workers)",
                         multiprocess_mode="livesum", registry=REGISTRY)
POOL_OVERFLOW = Gauge("jeugdmonitor_db_pool_overflow",
                      "Databaseverbindingen boven de poolgrootte die nu open zijn (som over de workers)",
                      multiprocess_mode="livesum", registry=REGISTRY)


class KpiMetrics(ServiceObserver):
    """The KPI service's observer (kpi/observer.py): its lookups and computations as metrics."""

    def looked_up(self, kind: str, name: str, hits: int, misses: int) -> None:
        if hits:
            CACHE_HITS.labels(kind, name).inc(hits)
        if misses:
            CACHE_MISSES.labels(kind, name).inc(misses)

    def computed(self, kind: str, name: str, seconds: float) -> None:
        COMPUTATION.labels(kind, name).observe(seconds)


KPI_OBSERVER = KpiMetrics()


def pool_changed(status: PoolStatus | None) -> None:
    if status is None:
        return
    POOL_SIZE.set(status.size)
    POOL_CHECKED_OUT.set(status.checked_out)
    POOL_OVERFLOW.set(status.overflow)


def watch(engine) -> None:
    """Keep the pool gauges of this process up to date with `engine`'s pool."""
    watch_pool(engine, pool_changed)
    refresh_pool(engine)


def refresh_pool(engine) -> None:
    """Set the pool gauges from the pool as it is now (a new gunicorn worker: its own pool, and
    values of its own that start at nothing)."""
    pool_changed(pool_status(engine))


class LoadRunsCollector:
    """Read at each scrape: the load runs from the database, and whether it answered."""

    def collect(self):
        up = GaugeMetricFamily("jeugdmonitor_database_up",
                               "1 als de database de laatste scrape beantwoordde (de laadruns), anders 0")
        try:
            runs = load_runs.summary(runtime.current().engine)
        except SQLAlchemyError:  # the scrape still gives the request metrics, which matter most now
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        count = CounterMetricFamily("jeugdmonitor_load_runs", "Laadruns per soort (csv, ijw, demo) en uitkomst",
                                    labels=["kind", "outcome"])
        duration = GaugeMetricFamily("jeugdmonitor_load_last_duration_seconds",
                                     "Duur van de laatste laadrun per soort en uitkomst, in seconden",
                                     labels=["kind", "outcome"])
        ended = GaugeMetricFamily("jeugdmonitor_load_last_end_timestamp_seconds",
                                  "Einde van de laatste laadrun per soort en uitkomst (Unix-tijd)",
                                  labels=["kind", "outcome"])
        for run in runs:
            labels = [run.soort, "success" if run.geslaagd else "failure"]
            count.add_metric(labels, run.runs)
            duration.add_metric(labels, run.last_duration)
            ended.add_metric(labels, run.last_end.replace(tzinfo=dt.timezone.utc).timestamp())
        yield from (count, duration, ended)


LOAD_RUNS = LoadRunsCollector()
REGISTRY.register(LOAD_RUNS)


def scrape_registry() -> CollectorRegistry:
    """What one scrape reads: every worker's files (multiprocess), or this process's registry."""
    if not MULTIPROCESS:
        return REGISTRY
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    registry.register(LOAD_RUNS)
    return registry


def method_label(method: str) -> str:
    return method if method in METHODS else "overig"


def observe_request(environ: dict, status: str, seconds: float) -> None:
    route = environ.get(ROUTE_KEY, UNKNOWN)
    callback = environ.get(CALLBACK_KEY, "")
    method = method_label(environ.get("REQUEST_METHOD", ""))
    REQUESTS.labels(route, callback, method, status).inc()
    DURATION.labels(route, callback, method).observe(seconds)


class RequestMetrics:
    """WSGI middleware, outermost: counts and times every request from the moment the server
    hands it over (also the wait while Dash sets itself up) until the app returns its answer."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        statuses: list[str] = []

        def start(status, headers, exc_info=None):
            statuses.append(status.split(" ", 1)[0])
            return start_response(status, headers, exc_info)

        try:
            return self.wsgi_app(environ, start)
        finally:
            observe_request(environ, statuses[-1] if statuses else "500", time.perf_counter() - started)


def metrics_response(access: MetricsAccess) -> Response:
    if not access.enabled:
        abort(404)
    reason = access.refusal(request.remote_addr, request.headers.get("Authorization"))
    if reason is not None:
        log.warning("geweigerd: %s: %s", PATH, reason)
        return Response("Geen toegang.\n", status=403, content_type="text/plain; charset=utf-8")
    refresh_pool(runtime.current().engine)  # this worker's pool, exactly now
    encoder, content_type = choose_encoder(request.headers.get("Accept", ""))
    response = Response(encoder(scrape_registry()), status=200)
    response.headers["Content-Type"] = content_type
    response.headers["Cache-Control"] = "no-store"
    return response


def register(server, access: MetricsAccess) -> None:
    """The route and the request metrics (the middleware wraps what the server has so far, so
    call this after the other WSGI middleware)."""
    server.wsgi_app = RequestMetrics(server.wsgi_app)
    server.add_url_rule(PATH, "metrics", lambda: metrics_response(access), methods=["GET"])
