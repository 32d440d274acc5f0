"""The answers to requests the app never reads, in Dutch.

A request the HTTP server cannot read (a request line or headers over its limits, a line that is
no HTTP, an unknown HTTP version) never reaches the app: the server answers it itself, in English
("URI Too Long", "Invalid Request Line …", "Bad request version"). Both servers get these pages
instead, so such answers read like the app's own error pages:
- gunicorn: gunicorn.conf.py puts `write_error` in the place of `gunicorn.util.write_error`, which
  its workers call with this signature;
- Werkzeug's development server (`python app.py`): app.py starts it with `DutchRequestHandler`.
"""
from __future__ import annotations

import html

from werkzeug.serving import WSGIRequestHandler

from dashboard.server.error_pages import MESSAGES, OTHER

# statuses the servers answer that the app's error pages do not name
_SERVER = {
    400: ("Ongeldig verzoek", "Het verzoek kon niet worden gelezen. Laad de pagina opnieuw."),
    414: ("Adres te lang", "Het adres is te lang om te verwerken. Ga naar het overzicht en kies opnieuw."),
    417: ("Verzoek niet verwerkt", "Het verzoek vraagt iets wat deze server niet kan."),
    431: ("Verzoek te groot", "Het verzoek heeft te veel of te lange kopregels. Verwijder de cookies van "
                              "deze site en probeer het opnieuw."),
    501: ("Verzoek niet verwerkt", "Deze manier van versturen wordt niet ondersteund."),
}
_STATUS_LINES = {400: "Bad Request", 403: "Forbidden", 414: "URI Too Long", 417: "Expectation Failed",
                 431: "Request Header Fields Too Large", 500: "Internal Server Error", 501: "Not Implemented"}
_PAGE = ('<!DOCTYPE html>\n<html lang="nl"><head><meta charset="utf-8"><title>%(message)s – Jeugdmonitor</title>'
         '</head>\n<body><h1>%(message)s</h1>\n<p>%(explain)s</p>\n<p><a href="/">Naar het overzicht</a></p>'
         '</body></html>\n')


def page(status: int) -> tuple[str, str]:
    """(title, text) for a status the server answers itself."""
    return _SERVER.get(status) or MESSAGES.get(status, OTHER)


def write_error(sock, status_int: int, reason: str, mesg: str) -> None:
    """gunicorn.util.write_error's signature; `reason` and `mesg` (gunicorn's English) are not shown."""
    from gunicorn.util import write_nonblock  # here: `python app.py` runs without gunicorn (on Windows too)

    title, text = page(status_int)
    body = (_PAGE % {"message": html.escape(title), "explain": html.escape(text)}).encode("utf-8")
    head = (f"HTTP/1.1 {status_int} {_STATUS_LINES.get(status_int, 'Error')}\r\n"
            "Connection: close\r\n"
            "Content-Type: text/html; charset=utf-8\r\n"
            "Content-Security-Policy: default-src 'none'; frame-ancestors 'none'\r\n"
            "X-Content-Type-Options: nosniff\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode("ascii")
    write_nonblock(sock, head + body)


class DutchRequestHandler(WSGIRequestHandler):
    """Werkzeug's request handler with http.server's own error answers in Dutch."""
    error_message_format = _PAGE
    error_content_type = "text/html; charset=utf-8"

    def send_error(self, code, message=None, explain=None):
        title, text = page(code)
        super().send_error(code, title, text)  # the title is also the status line's reason (ASCII)
