"""What an export answers instead of its file: one wording and one content type for every download
(the PDF report, the PowerPoint, the programme's table, and their command lines).

A year that is no year, or one the data do not cover, reads the same everywhere:
"Ongeldig jaar 'abc': kies een jaar van 2019 tot en met 2026." An answer is plain UTF-8 text
whose charset is said once: Werkzeug adds "; charset=utf-8" to a text/* `mimetype` by itself, so
a mimetype that already had it said it twice.
"""
from __future__ import annotations

from dashboard.server.params import shown

TEXT_CONTENT_TYPE = "text/plain; charset=utf-8"


def bad_year(raw, years: range) -> str:
    """The message for a year outside `years` (the years the export can cover), `raw` as asked."""
    raw = raw.strip() if isinstance(raw, str) else raw
    return f"Ongeldig jaar '{shown(raw)}': kies een jaar van {years.start} tot en met {years.stop - 1}."


def other_year_of_stand(stand_id: int, jaar: int) -> str:
    """The message for a stand's file asked with another `jaar`: a stand holds one year, and a file
    cannot say above its figures that they are of another year than asked (a page can)."""
    return f"Stand {stand_id} bevat alleen cijfers over {jaar}; laat het jaar weg of kies {jaar}."


def text_answer(message: str, status: int):
    """A short Dutch answer (an error) as a Flask response: one line of plain text."""
    from flask import Response

    return Response(message.rstrip("\n") + "\n", status=status, content_type=TEXT_CONTENT_TYPE)
