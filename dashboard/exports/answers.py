"""What an export answers instead of its file: one wording and one form for every download
(the PDF report, the PowerPoint, the programme's table; the wordings also for their command lines).

A year that is no year, or one the data do not cover, reads the same everywhere:
"Ongeldig jaar 'abc': kies een jaar van 2019 tot en met 2026." A refused download is the Dutch
error page every route gives (dashboard/server/error_pages.py: the status's title, "Foutcode 400"),
with the reason instead of the general sentence and links to where the user can go instead: a
person clicked the link, and the PDF got plain text where the table got a page. The report link's
script reads the reason from that page (assets/50_rapport.js). A download asked without an
account gets the same page from the login guard (auth.refused_download), with a link to log in.
"""
from __future__ import annotations

from dashboard.server.params import shown

#: where a link to a stand that is not there can go instead
STANDEN_LINK = ("Naar de vastgestelde standen", "/standen")


def bad_year(raw, years: range) -> str:
    """The message for a year outside `years` (the years the export can cover), `raw` as asked."""
    raw = raw.strip() if isinstance(raw, str) else raw
    return f"Ongeldig jaar '{shown(raw)}': kies een jaar van {years.start} tot en met {years.stop - 1}."


def other_year_of_stand(stand_id: int, jaar: int) -> str:
    """The message for a stand's file asked with another `jaar`: a stand holds one year, and a file
    cannot say above its figures that they are of another year than asked (a page can)."""
    return f"Stand {stand_id} bevat alleen cijfers over {jaar}; laat het jaar weg of kies {jaar}."


def refusal(status: int, reason: str, links: tuple[tuple[str, str], ...] = ()):
    """A refused download as a Flask response: the shared error page of `status` with `reason`;
    `links` (text, address) where the user can go instead, before the link to the overview."""
    # imported here: the command lines read this module's wordings without loading Flask and Dash
    from flask import Response

    from dashboard.server.error_pages import MESSAGES, OTHER, error_html

    title, _general = MESSAGES.get(status, OTHER)
    return Response(error_html(status, title, reason, links=links), status=status, mimetype="text/html")
