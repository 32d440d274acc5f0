"""gunicorn settings: `gunicorn -c gunicorn.conf.py "app:create_server()"`.

Workers: WEB_CONCURRENCY (default 2 × cores + 1), each with its own database pool; with REDIS_URL
they share one KPI result cache. The app is built in the master (preload_app): a setting it
refuses (MIN_CELL_SIZE, SECRET_KEY in production, …) stops gunicorn with one Dutch line before any
worker is forked (app.create_server). Logs go to stdout as one JSON object per line, without query
strings' personal data (URLs carry no personal data: only KPI ids, years and group codes).
"""
import multiprocessing
import os

bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8050')}"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = 60
graceful_timeout = 20
keepalive = 5
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info")
access_log_format = ('{"time": "%(t)s", "method": "%(m)s", "path": "%(U)s", "status": %(s)s, '
                     '"bytes": %(B)s, "ms": %(M)s}')


# The app is built once, in the master, and every worker is a fork of it: a worker starts at once
# (not after ~2 s of imports and building the pages each) and shares the master's memory pages
# until it writes them. app.after_fork gives each worker its own database connections and warmer.
preload_app = True


def when_ready(server):
    """The app is built in the master: move everything made so far (Dash, plotly, the catalogue:
    ~190,000 objects) out of the garbage collector's way, before the workers are forked (a
    collection would otherwise touch, and so copy, the pages they share). Full collections
    scanned them all, mid-request (measured: a cached explorer render, p95 112 → 42 ms)."""
    import gc

    from data import collector

    gc.freeze()
    collector.tune()  # the workers inherit the thresholds with the fork


def post_worker_init(worker):
    """The worker is forked from the master's app: its own connections and warmer, and what it
    made since the fork out of the collector's way as well."""
    import gc

    import app

    app.after_fork()
    gc.freeze()
