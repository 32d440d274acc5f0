"""Dutch error answers for every route: 400, 403, 404, 405, 500 (and any other 4xx), never a
traceback or an internal name.

- An HTTP error (abort, a route's NotFound, Werkzeug's 405, Dash's unknown component file) gets a
  short Dutch page in the look of the login page; Dash's own routes (`/_dash-…`) and assets get the
  same sentence as plain text, since a script, not a person, reads them.
- An unexpected exception is logged with its traceback and a short reference on
  "jeugdmonitor.error"; the user gets the Dutch 500 with only that reference. More specific
  handlers win (Flask picks the handler of the nearest class in the exception's MRO): Dash's
  PreventUpdate (204), and the database-outage page registered for SQLAlchemy's DBAPIError.
- A page address no page has (`/bestaat-niet`) is a 404 here, before Dash would serve its app
  shell for it; inside the app (a link followed without reloading) Dash's router shows the
  Dutch page of `dashboard.pages.not_found_404`.
"""
from __future__ import annotations

import fnmatch
import html
import logging
import re
import secrets

import dash
from dash.exceptions import DependencyException
from flask import Response, abort, request
from werkzeug.exceptions import HTTPException

from dashboard.server import plain_page

log = logging.getLogger("jeugdmonitor.error")

MESSAGES = {
    400: ("Ongeldig verzoek", "Het verzoek kon niet worden verwerkt: er klopt iets niet in het adres of "
                              "in de gegevens die zijn meegestuurd. Laad de pagina opnieuw."),
    401: ("Inloggen nodig", "Log eerst in om deze pagina te bekijken."),
    403: ("Geen toegang", "U heeft geen toegang tot deze pagina of actie."),
    404: ("Pagina niet gevonden", "Deze pagina bestaat niet (meer). Controleer de link, of ga naar het overzicht."),
    405: ("Niet toegestaan", "Dit adres kan zo niet worden gebruikt."),
    413: ("Te groot", "Wat is meegestuurd is te groot om te verwerken. Een streefwaardenbestand is een paar "
                      "kB: kies het juiste bestand."),
    500: ("Er ging iets mis", "Er ging iets mis aan onze kant. Probeer het later opnieuw; blijft het "
                              "misgaan, neem dan contact op met de beheerder."),
}
OTHER = ("Verzoek niet verwerkt", "Het verzoek kon niet worden verwerkt.")
# Read by scripts, not people: a sentence as plain text instead of a page.
PLAIN_PREFIXES = ("/_dash-", "/_reload-hash", "/_favicon.ico", "/assets/")
CATCH_ALL = "<path:path>"   # Dash's route that serves the app for any page address


def wants_plain_text(path: str) -> bool:
    return path.startswith(PLAIN_PREFIXES)


#: the id of the page's sentence, which the report link's script shows beside the link (assets/50_rapport.js)
REASON_ID = "foutmelding"


def error_html(status: int, title: str, text: str, reference: str | None = None,
               links: tuple[tuple[str, str], ...] = ()) -> str:
    """The page, in the frame of the login page (dashboard.server.plain_page). `links` (text,
    address) go before the link to the overview: where a refused download can be had instead."""
    extra = (f'<p class="small text-body-secondary">Kenmerk voor de beheerder: {html.escape(reference)}</p>'
             if reference else "")
    ways = "".join(f'<li><a href="{html.escape(href)}">{html.escape(label)}</a></li>'
                   for label, href in (*links, ("Naar het overzicht", "/")))
    main = f"""<h1 class="h3 mb-3">{html.escape(title)}</h1>
<p id="{REASON_ID}">{html.escape(text)}</p>
{extra}
<ul class="list-unstyled">{ways}</ul>
<p class="small text-body-secondary">Foutcode {status}</p>"""
    return plain_page.page(title, main)


def error_response(status: int, reference: str | None = None) -> Response:
    title, text = MESSAGES.get(status, OTHER)
    if wants_plain_text(request.path):
        body = f"{title}: {text}" + (f" (kenmerk {reference})" if reference else "") + "\n"
        return Response(body, status=status, content_type="text/plain; charset=utf-8")
    return Response(error_html(status, title, text, reference), status=status, mimetype="text/html")


def http_error(exc: HTTPException):
    if exc.code is None or exc.code < 400:
        return exc  # a redirect Werkzeug raises (e.g. to add a trailing slash)
    response = error_response(exc.code)
    if exc.code == 405:  # keep the methods the route does take
        allowed = exc.get_response().headers.get("Allow")
        if allowed:
            response.headers["Allow"] = allowed
    return response


def unknown_component_file(_exc: DependencyException) -> Response:
    """/_dash-component-suites/<package>/<file> for a file Dash does not serve."""
    return error_response(404)


def unexpected_error(exc: Exception) -> Response:
    """Anything else: the traceback to the log, a reference to the user."""
    reference = secrets.token_hex(4)
    log.error("onverwachte fout %s bij %s %s", reference, request.method, request.path, exc_info=exc)
    return error_response(500, reference)


def register_handlers(server) -> None:
    """The error handlers on a Flask server. For Exception, not for 500: Flask then still picks a
    handler registered for a subclass (the outage page for DBAPIError) over this one."""
    server.register_error_handler(HTTPException, http_error)
    server.register_error_handler(DependencyException, unknown_component_file)
    server.register_error_handler(Exception, unexpected_error)


# Dash's own 404 page (dashboard/pages/not_found_404.py): an address only it answers is unknown.
NOT_FOUND_MODULE = "dashboard.pages.not_found_404"


def page_for(path_id: str) -> dict | None:
    """The registered page Dash's router shows for a path (without its slashes), or None: a page
    whose path is it, or whose path template matches it (`/indicator/<code>`: any one segment)."""
    for page in dash.page_registry.values():
        template = (page.get("path_template") or "").strip("/")
        if template and fnmatch.fnmatch(path_id, re.sub("<.*?>", "*", template)):
            return page
        if path_id == page["path"].strip("/"):
            return page
    return None


def register(app) -> None:
    """The handlers, and the 404 for page addresses no page has (after the login guard, so a
    visitor who must log in is sent to the login page first)."""
    server = app.server
    register_handlers(server)

    @server.before_request
    def _unknown_page():
        if request.method not in ("GET", "HEAD") or request.endpoint != app.config.routes_pathname_prefix + CATCH_ALL:
            return None
        page = page_for(app.strip_relative_path(request.path) or "")
        if page is None or page.get("module") == NOT_FOUND_MODULE:
            abort(404)
        return None
