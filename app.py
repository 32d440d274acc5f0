"""Jeugdmonitor: app factory and entry point.

`python app.py` serves on http://127.0.0.1:8050 (HOST / PORT override) with Flask's development
server. On first start the embedded default warehouse (SQLite) is created and filled with the
demonstration data set and the Programmaplan.

Production: `python -m dashboard.server.serve` (gunicorn, several workers; settings from
the environment: DATABASE_URL, REDIS_URL, SECRET_KEY, JEUGDMONITOR_ENV=production).
Importing this module does no I/O.
"""
from __future__ import annotations

import os
from pathlib import Path

import dashboard  # noqa: F401  # isort: skip  (first: Dash starts without IPython, dashboard/__init__.py)
import dash
import flask

ROOT = Path(__file__).resolve().parent

# Dash's own index wraps its scripts in a <footer>: a second footer landmark beside the page's
INDEX_STRING = """<!DOCTYPE html>
<html lang="nl">
<head>{%metas%}<title>{%title%}</title>{%favicon%}{%css%}</head>
<body>{%app_entry%}<div>{%config%}{%scripts%}{%renderer%}</div></body>
</html>"""


def page_modules():
    from dashboard.pages import (
        beheer,
        berichtenverkeer,
        indicator,
        kostengroei,
        not_found_404,
        overzicht,
        presentatie,
        prognose,
        programma,
        programma_lijn,
        standen,
        verkenner,
    )

    return (overzicht, programma, programma_lijn, indicator, verkenner, prognose, kostengroei, presentatie, standen, beheer,
            berichtenverkeer, not_found_404)


# The largest request body read: a callback with an uploaded streefwaardenbestand (at most 2 MB, which
# the upload says itself up to ~23 MB of file) is far below it. Without a limit one request of any
# size was read whole, and parsed at three times its size in memory (300 MB: 1.3 GB).
MAX_REQUEST_BYTES = 32 * 1024 * 1024


class SettingsError(RuntimeError):
    """A configuration the app refuses to start with."""


def settings_from_env() -> dict:
    from dashboard.server.login_settings import SETTING_NAMES as LOGIN_SETTING_NAMES

    return {name: os.environ.get(name) for name in
            ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "SECRET_KEY_FILE", "JEUGDMONITOR_ENV",
             "PUBLIC_READ", "BEHIND_PROXY", "WARM_CACHE", "SESSION_IDLE_MINUTES",
             "METRICS_TOKEN", "METRICS_NETWERK", "LOG_FORMAT", "THEMA", "TOEGANKELIJKHEID_CONTACT",
             *LOGIN_SETTING_NAMES)}


def create_app(settings: dict | None = None, start_warmer: bool = True) -> dash.Dash:
    """The Dash app on the warehouse of settings["DATABASE_URL"] (else DATABASE_URL, else the
    embedded default, created and filled on first use); KPI results cached in Redis when
    settings["REDIS_URL"] is given, else in the process. `start_warmer`: start the cache warmer's
    thread now (gunicorn's workers start it after the fork: `after_fork`)."""
    from dashboard.server.metrics_dir import multiprocess_problem

    problem = multiprocess_problem()  # before anything imports dashboard/server/metrics.py
    if problem:
        raise SettingsError(problem)
    from dashboard.exports import presentation_export, programme_export, targets_exchange
    from dashboard.server import (
        accessibility_statement,
        auth,
        callback_guard,
        error_pages,
        health,
        metrics,
        outage,
        report_route,
        route_labels,
        runtime,
        security_headers,
        warmup,
    )
    from dashboard.server.first_request import FirstRequestAlone
    from dashboard.theming import active_theme
    from dashboard.ui import shell
    from data.bootstrap import ensure_warehouse
    from kpi import totals
    from kpi.cache_store import CacheSettingError, store_from_env
    from kpi.settings import SettingError, check_disclosure_settings

    settings = settings or {}
    try:  # MIN_CELL_SIZE and AFRONDING: refuse to start rather than fail on the first page
        check_disclosure_settings()
    except SettingError as exc:
        raise SettingsError(str(exc)) from None
    public_read, behind_proxy, warming = (_switch(settings, "PUBLIC_READ", False), _switch(settings, "BEHIND_PROXY", False),
                                          _warming(settings))
    try:
        store = store_from_env(settings.get("REDIS_URL"))
    except CacheSettingError as exc:
        raise SettingsError(str(exc)) from None
    production = _production(settings.get("JEUGDMONITOR_ENV"))
    if production and not settings.get("SECRET_KEY"):
        raise SettingsError("JEUGDMONITOR_ENV=production vraagt een SECRET_KEY in de omgeving")
    secret = _given_key(settings.get("SECRET_KEY")) or _shared_key(settings.get("SECRET_KEY_FILE"))
    idle_minutes = _idle_minutes(settings.get("SESSION_IDLE_MINUTES"))
    try:  # THEMA (assets/themes/THEMA.css, docs/theming.md) and the statement's contact: before any database work
        theme = active_theme.configure(settings.get("THEMA"))
        contact = accessibility_statement.contact_from_setting(settings.get("TOEGANKELIJKHEID_CONTACT"))
    except (active_theme.ThemeSettingError, accessibility_statement.ContactSettingError) as exc:
        raise SettingsError(str(exc)) from None
    login = _login(settings)
    metrics_access = _metrics_access(settings)
    engine = _warehouse(settings.get("DATABASE_URL"), ensure_warehouse, totals.after_load,
                        demo_accounts=login.local_accounts)
    runtime.configure(engine, store, public_read=public_read, observer=metrics.KPI_OBSERVER)
    metrics.watch(engine)
    if start_warmer and warming:
        warmup.start_warmer(runtime.service())  # only with a shared (Redis) cache

    app = dash.Dash(__name__, use_pages=True, pages_folder="", assets_folder=str(ROOT / "assets"),
                    title="Jeugdmonitor Huizen", update_title=None, suppress_callback_exceptions=True,
                    serve_locally=True, external_stylesheets=[theme.href],
                    assets_path_ignore=["^themes$"])  # only the chosen theme reaches the page
    app.index_string = INDEX_STRING
    for module in page_modules():
        dash.register_page(module.__name__, path=getattr(module, "PATH", None),
                           path_template=getattr(module, "PATH_TEMPLATE", None),
                           name=module.NAME, title=module.TITLE, layout=module.layout)
        module.register_callbacks(app)
    app.layout = shell.layout
    shell.register_callbacks(app)
    _initialise_json_encoder()
    server = app.server
    server.secret_key = secret
    server.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
                         SESSION_COOKIE_SECURE=production)
    server.config["PERMANENT_SESSION_LIFETIME"] = auth.SESSION_HOURS * 3600
    server.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES
    if behind_proxy:
        # one reverse proxy in front: the client's address (login rate limit, logs) and scheme come
        # from its X-Forwarded-* headers, else every user would share the proxy's address
        from werkzeug.middleware.proxy_fix import ProxyFix

        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=1, x_proto=1)
    server.wsgi_app = FirstRequestAlone(server.wsgi_app)
    metrics.register(server, metrics_access)  # outermost: times the wait for the first request too
    route_labels.remember(app)  # before the login guard, so a refused request has its route too
    health.register(server)
    accessibility_statement.register(server, contact)
    # browsers ask /favicon.ico of pages without an icon link (login, error pages): Dash's own icon
    server.add_url_rule("/favicon.ico", "favicon", lambda: flask.redirect("/_favicon.ico"))
    outage.register(server)
    auth.register(server, idle_minutes, login)
    if login.oidc is not None:
        from dashboard.server import oidc_login

        oidc_login.register(server, login.oidc)
    # after the login guard: who may ask is settled before what they ask is checked
    callback_guard.register(app)
    route_labels.name_callbacks(app)  # a body the guards let through
    error_pages.register(app)
    presentation_export.register(server)
    targets_exchange.register(server)
    programme_export.register(server)
    report_route.register(server)
    # last: its script hashes cover every inline script by now; the logout form may lead on to the provider
    security_headers.register(app, form_action=(login.oidc.issuer_origin,) if login.oidc else ())
    return app


def _warehouse(url: str | None, ensure_warehouse, derive, demo_accounts: bool):
    """The warehouse of DATABASE_URL, migrated: a URL it cannot use, a database that does not answer
    at start or one at a schema version this version does not know stops the start with one line;
    so do a SQLite file that is not there (other than the embedded default, which is made) or is
    no database, and a SQLite database in memory."""
    from sqlalchemy.exc import DatabaseError, OperationalError

    from data.cli_errors import APP_SETTING, describe
    from data.db import DatabaseUrlError, UnknownSchemaVersion, in_memory

    try:
        if in_memory(url):  # each connection of the pool would get a database of its own, empty
            raise SettingsError("DATABASE_URL noemt geen databasebestand (een SQLite-database in het geheugen "
                                "verdwijnt met elke verbinding): geef een pad, bijvoorbeeld "
                                "sqlite:///instance/jeugdmonitor.db, of laat DATABASE_URL leeg")
        return ensure_warehouse(url, derive=derive, demo_accounts=demo_accounts, create=False, setting=APP_SETTING)
    except (DatabaseUrlError, UnknownSchemaVersion) as exc:
        raise SettingsError(str(exc)) from None
    except DatabaseError as exc:  # a database that does not answer, or a file that is no database
        if isinstance(exc, OperationalError) or "not a database" in str(exc.orig):
            raise SettingsError(describe(exc)) from None  # it says what to check (data/cli_errors.py)
        raise


def _idle_minutes(value: str | None) -> int:
    """SESSION_IDLE_MINUTES: a session ends after this many minutes without a request (default 60;
    at most the 8-hour session itself)."""
    if value is None or not str(value).strip():
        return 60
    try:
        minutes = int(str(value).strip())
    except ValueError:
        minutes = 0
    if not 1 <= minutes <= 480:
        raise SettingsError(f"SESSION_IDLE_MINUTES={value!r}: geef een aantal minuten van 1 tot en met 480")
    return minutes


def _login(settings: dict):
    """Local accounts and/or OpenID Connect (dashboard/server/login_settings.py), checked at start."""
    from dashboard.server.login_settings import LoginSettingError, login_settings

    try:
        return login_settings(settings)
    except LoginSettingError as exc:
        raise SettingsError(str(exc)) from None


def _metrics_access(settings: dict):
    """METRICS_TOKEN and METRICS_NETWERK: who may read /metrics (dashboard/server/metrics_access.py)."""
    from dashboard.server.metrics_access import MetricsSettingError, access_from_settings

    try:
        return access_from_settings(settings.get("METRICS_TOKEN"), settings.get("METRICS_NETWERK"))
    except MetricsSettingError as exc:
        raise SettingsError(str(exc)) from None


def _configure_logging(settings: dict) -> None:
    """LOG_FORMAT (tekst or json) for the entry points: dashboard/server/log_format.py."""
    from dashboard.server import log_format

    try:
        log_format.configure(log_format.log_format(settings.get("LOG_FORMAT")))
    except log_format.LogSettingError as exc:
        raise SettingsError(str(exc)) from None


def _initialise_json_encoder() -> None:
    """orjson (plotly's JSON encoder, which Dash uses) looks up numpy's types the first time it
    meets an object it does not know, and two threads doing that at once abort the process with
    SIGILL (ijl/orjson#369): the first parallel requests of every new gunicorn worker killed it.
    Encoding one component here does that lookup before any request thread runs."""
    from dash import html
    from plotly.io.json import to_json_plotly

    to_json_plotly({"layout": html.Div()})  # a component inside a dict: the lookup happens there


def _given_key(value: str | None) -> str | None:
    """SECRET_KEY as given, or None when it is not set. A short key can be guessed, and with it any
    session cookie forged: fewer than 32 characters stops the start (the key itself is never shown)."""
    from dashboard.server.secret_key import MIN_LENGTH

    if not value:
        return None
    if len(value.strip()) < MIN_LENGTH:
        raise SettingsError(f"SECRET_KEY is te kort: gebruik ten minste {MIN_LENGTH} willekeurige tekens "
                            "(bijvoorbeeld de uitvoer van: openssl rand -hex 32)")
    return value


def _shared_key(path: str | None) -> str:
    """Outside production without SECRET_KEY: the key every worker shares (dashboard/server/secret_key.py)."""
    from dashboard.server.secret_key import SecretKeyError, shared_key

    try:
        return shared_key(path)
    except SecretKeyError as exc:
        raise SettingsError(str(exc)) from None


def _production(value: str | None) -> bool:
    """JEUGDMONITOR_ENV: production (or productie) turns on what production needs (SECRET_KEY,
    cookies over https only); empty is a development machine. Anything else (a typo, "prod") stops
    the start: it silently meant "not production"."""
    text = (value or "").strip().lower()
    if text in ("production", "productie"):
        return True
    if text in ("", "development", "ontwikkeling"):
        return False
    raise SettingsError(f"JEUGDMONITOR_ENV={value[:40]!r}: geef production, of laat hem leeg buiten productie")


def _switch(settings: dict, name: str, default: bool) -> bool:
    """A yes/no setting (dashboard/server/switches.py); a value that is neither stops the start."""
    from dashboard.server.switches import SettingValueError, switch

    try:
        return switch(name, settings.get(name), default)
    except SettingValueError as exc:
        raise SettingsError(str(exc)) from None


def _warming(settings: dict) -> bool:
    return _switch(settings, "WARM_CACHE", True)


def create_server():
    """The Flask server for gunicorn (`gunicorn "app:create_server()"`), configured from the
    environment. gunicorn.conf.py preloads it: built once in the master, the workers are forked
    from it and finish their start in `after_fork`. A setting it refuses stops the master with
    one Dutch line."""
    import sys

    try:
        settings = settings_from_env()
        _configure_logging(settings)
        return create_app(settings, start_warmer=False).server
    except SettingsError as exc:
        print(f"fout: {exc}", file=sys.stderr, flush=True)
        raise SystemExit(2) from None


def after_fork() -> None:
    """In a gunicorn worker, once forked from the master that built the app: database
    connections of its own (the pooled ones belong to the master; two processes must never share
    one) and the cache warmer's thread (no thread survives a fork)."""
    from dashboard.server import metrics, runtime, warmup

    current = runtime.current()
    current.engine.dispose(close=False)
    metrics.refresh_pool(current.engine)  # this worker's own pool gauges (the master's are not its)
    if _warming(settings_from_env()):
        warmup.start_warmer(current.service)


def main() -> None:
    import gc
    import sys

    from dashboard.server.switches import SettingValueError, port
    from data import collector

    collector.tune()
    host = os.environ.get("HOST") or "127.0.0.1"
    try:
        try:
            number = port(os.environ.get("PORT"))
            _try_listening(host, number)  # before the warehouse is touched; werkzeug would say it in English
        except SettingValueError as exc:
            raise SettingsError(str(exc)) from None
        except OSError as exc:  # an address that is taken, unknown here, or not ours to use
            raise SettingsError(listen_problem(host, number, exc)) from None
        settings = settings_from_env()
        _configure_logging(settings)
        app = create_app(settings)
    except SettingsError as exc:  # one Dutch line, no traceback
        print(f"fout: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    gc.freeze()  # as gunicorn.conf.py's post_worker_init: startup objects out of the collector's way
    from dashboard.server.unread_requests import DutchRequestHandler

    try:
        app.run(host=host, port=number, debug=False, request_handler=DutchRequestHandler)
    except OSError as exc:  # taken since the check above
        print(f"fout: {listen_problem(host, number, exc)}", file=sys.stderr)
        raise SystemExit(2) from None


def _try_listening(host: str, number: int) -> None:
    """Bind HOST:PORT once as the server will (with SO_REUSEADDR); raises the OSError it would meet."""
    import socket

    family, kind, proto, _name, address = socket.getaddrinfo(host, number, type=socket.SOCK_STREAM)[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(address)


def listen_problem(host: str, number: int, exc: OSError) -> str:
    """Why the server cannot listen on HOST:PORT, in Dutch."""
    import errno
    import socket

    where = f"{host}:{number}"
    if exc.errno == errno.EADDRINUSE:
        return f"poort {number} is al in gebruik (HOST:PORT {where}); kies met PORT een andere poort"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"geen toestemming om op {where} te luisteren; kies met PORT een poort boven 1023"
    if isinstance(exc, socket.gaierror) or exc.errno == errno.EADDRNOTAVAIL:
        return f"HOST={host[:60]!r}: dit adres hoort niet bij deze machine; kies bijvoorbeeld 127.0.0.1 of 0.0.0.0"
    return f"kan niet luisteren op {where}: controleer HOST en PORT"


if __name__ == "__main__":
    main()
