"""A database or cache that does not answer: a Dutch 503 with Retry-After, never a 500.

While PostgreSQL restarts (or the network to it is gone, or every pooled connection is in use,
or Redis is down), a request fails with one of the driver errors below. Without these handlers
each became a 500 with a traceback in the log; now a page gets a short Dutch page in the login
page's look, a Dash callback (`/_dash-update-component`) and other non-page requests a plain Dutch
sentence, both with status 503 and `Retry-After`, and nothing of the error's text or names. The
app needs no restart: the pool replaces dead connections once the database is back
(data/db.py: ping_when_in_doubt).
`/gezondheid` answers 503 on its own (dashboard/server/health.py).

A database error that is a fault in the program, not an outage (an integrity error, or SQLite's
"no such table", which it also reports as OperationalError), stays a 500.
"""
from __future__ import annotations

import html
import logging

from flask import Response, request
from sqlalchemy import exc as sa_exc

from dashboard.server import plain_page

log = logging.getLogger("jeugdmonitor.storing")

RETRY_AFTER_SECONDS = 30
# SQLite's OperationalErrors that mean "not now" rather than a fault in the SQL.
SQLITE_TRANSIENT = ("database is locked", "database table is locked", "unable to open database file",
                    "disk i/o error")

TITLE = "De Jeugdmonitor is even niet bereikbaar"
SENTENCE = ("De database antwoordt op dit moment niet. Probeer het over een halve minuut opnieuw; "
            "blijft dit zo, meld het dan bij de functioneel beheerder.")


def is_outage(error: BaseException) -> bool:
    """True for a database or cache that does not answer (now); False for a fault in the program."""
    if isinstance(error, sa_exc.TimeoutError):  # every pooled connection busy or hanging
        return True
    if isinstance(error, sa_exc.DBAPIError):
        if error.connection_invalidated or isinstance(error, sa_exc.InterfaceError):
            return True
        if isinstance(error, sa_exc.OperationalError):
            if type(error.orig).__module__ == "sqlite3":
                return str(error.orig).lower().startswith(SQLITE_TRANSIENT)
            return True  # PostgreSQL: refused, dropped, shutting down, starting up, deadlock, timeout
        return False
    return _is_redis_outage(error)


def what_does_not_answer(error: BaseException) -> str:
    """For the log: "de cache (Redis)" or "de database", never the driver's text."""
    return "de cache (Redis)" if _is_redis_outage(error) else "de database"


def _is_redis_outage(error: BaseException) -> bool:
    try:
        from redis import exceptions
    except ImportError:
        return False
    return isinstance(error, (exceptions.ConnectionError, exceptions.TimeoutError))


def _page(retry_path: str) -> str:
    main = f"""<h1 class="h3 mb-3">{TITLE}</h1>
<p>{SENTENCE}</p>
<p>Wat eerder is opgeslagen, blijft bewaard. Een wijziging die u net wilde opslaan, is misschien
niet opgeslagen: kijk dat na als de Jeugdmonitor weer werkt.</p>
<p><a class="btn btn-primary" href="{html.escape(retry_path, quote=True)}">Opnieuw proberen</a></p>"""
    return plain_page.page("Even niet bereikbaar", main, main_class="container jm-narrow", brand_link=False)


def outage_response(error: BaseException) -> Response:
    if not is_outage(error):
        raise error  # a fault in the program: Flask answers 500 and logs it as before
    log.warning("storing: %s %s: %s", request.method, request.path, type(error).__name__)
    page_request = request.method in ("GET", "HEAD") and not request.path.startswith(("/_dash", "/_reload"))
    if page_request:
        response = Response(_page(request.full_path.rstrip("?")), status=503, mimetype="text/html")
    else:
        response = Response(f"{TITLE}. {SENTENCE}", status=503, mimetype="text/plain")
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


def register(server) -> None:
    """Error handlers on the Flask server for the database's and the cache's outage errors."""
    server.register_error_handler(sa_exc.DBAPIError, outage_response)
    server.register_error_handler(sa_exc.TimeoutError, outage_response)
    try:
        from redis import exceptions
    except ImportError:
        return
    server.register_error_handler(exceptions.ConnectionError, outage_response)
    server.register_error_handler(exceptions.TimeoutError, outage_response)
