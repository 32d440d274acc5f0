"""gunicorn settings: `python -m dashboard.server.serve` starts gunicorn with this file and
`app:create_server()` (dashboard/server/serve.py: it reads WEB_CONCURRENCY first).

Workers: WEB_CONCURRENCY (default 2 × cores + 1), each with its own database pool; with REDIS_URL
they share one KPI result cache. The app is built in the master (preload_app): a setting it
refuses (MIN_CELL_SIZE, SECRET_KEY in production, …) stops gunicorn with one Dutch line before any
worker is forked (app.create_server). The access log goes to stdout as one JSON object per line,
naming the route's template, never the path or query string (dashboard/server/route_labels.py);
with LOG_FORMAT=json gunicorn's own lines and the app's are JSON as well (on stderr).

/metrics sums every worker's values: prometheus_client's multiprocess mode, in a fresh directory
made here before the app is imported (or PROMETHEUS_MULTIPROC_DIR as given, which must then be an
empty directory at every start); `child_exit` drops a finished worker's live gauges.
"""
import atexit
import os
import shutil
import sys
import tempfile

if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    # set before prometheus_client is imported (it reads it then); a reload (HUP) keeps it
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="jeugdmonitor-metrics-")

    def _remove_metrics_dir(folder: str, master: int) -> None:
        """When the master ends, also after a refused start (a worker ends too, but must not)."""
        if os.getpid() == master:
            shutil.rmtree(folder, ignore_errors=True)

    atexit.register(_remove_metrics_dir, os.environ["PROMETHEUS_MULTIPROC_DIR"], os.getpid())



def _checked(read):
    """A number or name gunicorn starts with; one Dutch line and exit 2 when nobody can mean it
    (gunicorn itself would print a traceback of its config file)."""
    from dashboard.server.switches import SettingValueError

    try:
        return read()
    except SettingValueError as exc:
        print(f"fout: {exc}", file=sys.stderr, flush=True)
        raise SystemExit(2) from None


def _log_level(value):
    from dashboard.server.switches import LOG_LEVELS, SettingValueError

    level = (value or "info").strip().lower()
    if level not in LOG_LEVELS:
        raise SettingValueError(f"LOG_LEVEL={value[:40]!r}: kies {', '.join(LOG_LEVELS)}")
    return level


def _settings():
    from dashboard.server.switches import port, web_concurrency, whole_number

    return (port(os.environ.get("PORT")),
            web_concurrency(os.environ.get("WEB_CONCURRENCY")),
            whole_number("GUNICORN_THREADS", os.environ.get("GUNICORN_THREADS"), 1, 64, default=2),
            _log_level(os.environ.get("LOG_LEVEL")))


_port, workers, threads, loglevel = _checked(_settings)
bind = f"{os.environ.get('HOST') or '0.0.0.0'}:{_port}"
timeout = 60
graceful_timeout = 20
keepalive = 5
accesslog = "-"
errorlog = "-"
access_log_format = ('{"time": "%(t)s", "method": "%(m)s", "route": "%({jeugdmonitor.route}e)s", '
                     '"status": %(s)s, "bytes": %(B)s, "ms": %(M)s}')

if os.environ.get("LOG_FORMAT", "").strip().lower() == "json":
    from gunicorn.glogging import Logger

    from dashboard.server.log_format import JsonFormatter

    class JsonErrorLog(Logger):
        """gunicorn's own lines (start, workers, errors) as JSON, like the app's."""

        def setup(self, cfg):
            super().setup(cfg)
            for handler in self.error_log.handlers:
                handler.setFormatter(JsonFormatter())

    logger_class = JsonErrorLog


# A request gunicorn cannot read is answered by gunicorn itself, in English: in Dutch instead
# (dashboard/server/unread_requests.py). The workers call gunicorn.util.write_error.
import gunicorn.util  # noqa: E402

from dashboard.server.unread_requests import write_error  # noqa: E402

gunicorn.util.write_error = write_error

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
    # The master built the app and may have set live gauges (the pool's); it serves nothing.
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(os.getpid())


def post_worker_init(worker):
    """The worker is forked from the master's app: its own connections and warmer, and what it
    made since the fork out of the collector's way as well."""
    import gc

    import app

    app.after_fork()
    gc.freeze()


def child_exit(server, worker):
    """A worker ended (stopped, restarted, killed): its pool no longer counts. Its counters and
    histograms stay in the sums."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
