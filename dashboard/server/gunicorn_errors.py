"""gunicorn's own answers, in Dutch.

A request gunicorn cannot read (a request line or headers over its limits, a line that is no HTTP,
an unknown HTTP version) never reaches the app: gunicorn answers it itself, with an English page
("URI Too Long", "Invalid Request Line …"). gunicorn.conf.py puts `write_error` in the place of
gunicorn's (`gunicorn.util.write_error`, which its workers call with this signature), so these
answers read like the app's own error pages: Dutch, without gunicorn's internal wording.
"""
from __future__ import annotations

import html

from gunicorn.util import write_nonblock

from dashboard.server.error_pages import MESSAGES, OTHER

# gunicorn's statuses that the app's error pages do not name
_GUNICORN = {
    414: ("Adres te lang", "Het adres is te lang om te verwerken. Ga naar het overzicht en kies opnieuw."),
    417: ("Verzoek niet verwerkt", "Het verzoek vraagt iets wat deze server niet kan."),
    431: ("Verzoek te groot", "Het verzoek heeft te veel of te lange kopregels. Verwijder de cookies van "
                              "deze site en probeer het opnieuw."),
    501: ("Verzoek niet verwerkt", "Deze manier van versturen wordt niet ondersteund."),
}
_STATUS_LINES = {400: "Bad Request", 403: "Forbidden", 414: "URI Too Long", 417: "Expectation Failed",
                 431: "Request Header Fields Too Large", 500: "Internal Server Error", 501: "Not Implemented"}


def page(status: int) -> tuple[str, str]:
    """(title, text) for a status gunicorn answers itself."""
    if status == 400:  # the app's 400 speaks of the address or data sent; here the request itself is unreadable
        return "Ongeldig verzoek", "Het verzoek kon niet worden gelezen. Laad de pagina opnieuw."
    return _GUNICORN.get(status) or MESSAGES.get(status, OTHER)


def write_error(sock, status_int: int, reason: str, mesg: str) -> None:
    """gunicorn.util.write_error's signature; `reason` and `mesg` (English, gunicorn's) are not shown."""
    title, text = page(status_int)
    body = (f'<!DOCTYPE html>\n<html lang="nl"><head><meta charset="utf-8"><title>{html.escape(title)} – '
            f'Jeugdmonitor</title></head>\n<body><h1>{html.escape(title)}</h1>\n<p>{html.escape(text)}</p>\n'
            '<p><a href="/">Naar het overzicht</a></p></body></html>\n').encode("utf-8")
    head = (f"HTTP/1.1 {status_int} {_STATUS_LINES.get(status_int, 'Error')}\r\n"
            "Connection: close\r\n"
            "Content-Type: text/html; charset=utf-8\r\n"
            "Content-Security-Policy: default-src 'none'; frame-ancestors 'none'\r\n"
            "X-Content-Type-Options: nosniff\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode("ascii")
    write_nonblock(sock, head + body)
