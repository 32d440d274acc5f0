"""A link to a vastgestelde stand (`?stand=N`) is what the raad gets, and a raadslid takes what it
shows for the vastgestelde figures. So a link that names a stand shows that stand or refuses in
Dutch — on every page the same way, never live figures in its place — and a stand's page shows the
stand's own year, saying so when the link asked for another one (a file refuses instead)."""
from __future__ import annotations

import flask
import pytest
from dash import dcc, html
from dash.exceptions import PreventUpdate
from flask import g

from dashboard.pages import kostengroei, overzicht, presentatie, prognose, verkenner
from dashboard.programme.stand_freeze import list_snapshots
from dashboard.server import stand_view
from dashboard.ui import ids
from tests.beheer_support import RAAD
from tests.test_standen import PM, demo_live, find, texts

__all__ = ["demo_live"]

NOT_A_NUMBER = "'{}' is geen nummer van een vastgelegde stand."
#: (the `stand` of a link as Dash's router hands it over, the refusal every page gives)
BAD_STANDS = [
    ("abc", NOT_A_NUMBER.format("abc")),
    ("-1", NOT_A_NUMBER.format("-1")),
    ("1.5", NOT_A_NUMBER.format("1.5")),
    ("0", "Stand 0 bestaat niet (meer)."),
    ("99999", "Stand 99999 bestaat niet (meer)."),
    (["1", "abc"], NOT_A_NUMBER.format("abc")),                       # repeated: the last counts
    (["1", ""], "De link noemt geen nummer van een vastgelegde stand."),
    ("", "De link noemt geen nummer van een vastgelegde stand."),
]


def pages(stand, **query) -> dict:
    """Each page that shows a stand, opened by a raadslid with `stand` (and `query`)."""
    app = flask.Flask(__name__)
    app.secret_key = "test"
    with app.test_request_context("/"):
        g.jm_user = RAAD
        return {
            "/": overzicht.layout(stand=stand, **query),
            "/presentatie": presentatie.layout(stand=stand, **query),
            "/prognose": prognose.layout(stand=stand, **query),
            "/verkenner": verkenner.layout(kpi="totale_kosten", stand=stand, **query),
            "/kostengroei": kostengroei.layout(stand=stand, **query),
        }


def figures_in(component) -> list:
    """The charts and tables in a Dash tree: where a page's figures are."""
    found = []

    def walk(node):
        if isinstance(node, (list, tuple)):
            for item in node:
                walk(item)
        elif node is not None and not isinstance(node, (str, int, float)):
            if isinstance(node, (dcc.Graph, html.Table)):
                found.append(node)
            walk(getattr(node, "children", None))
    walk(component)
    return found


@pytest.mark.parametrize("stand,refusal", BAD_STANDS, ids=[repr(s) for s, _ in BAD_STANDS])
def test_a_link_to_a_stand_that_is_not_there_is_refused_alike_on_every_page(demo_live, stand, refusal):
    """The explorer and the kostengroei showed live figures for `abc`, `-1`, `0` or `1.5` (with a
    note); every page refuses them as the overview does: the reason, a link to the live figures
    to follow on purpose, and no figure at all."""
    for path, page in pages(stand).items():
        shown = texts(page)
        assert refusal in shown, (path, shown)
        assert figures_in(page) == [], path
        assert find(page, "stand-banner") is None and "Traceback" not in " ".join(shown)


def test_a_stand_shows_its_own_year_and_says_so_when_the_link_asked_another(demo_live):
    """`?stand=N&jaar=2026` for a stand of 2025 showed 2025 without a word; now each page says
    "Stand N bevat alleen cijfers over 2025; u ziet 2025." above the stand's figures of 2025."""
    assert stand_view.freeze_stand(PM, "12-11-2025", "Commissie", 2025).ok
    stand = str(list_snapshots(demo_live)[0].id)
    said = f"Stand {stand} bevat alleen cijfers over 2025; u ziet 2025."
    own = pages(stand, jaar="2025")
    for asked in ("2026", "2019", "abc", ["2025", "2026"]):
        other = pages(stand, jaar=asked, vergelijk="2025")
        for path, page in other.items():
            if path == "/prognose":   # no figures in a stand, whatever the year: nothing to show of 2026
                continue
            shown = texts(page)
            assert shown.count(said) == 1, (path, asked, shown)
            assert [t for t in shown if t != said] == texts(own[path]), (path, asked)
            assert find(page, "niet-in-stand") is None, path
            assert path == "/presentatie" or find(page, "stand-banner") is not None, path  # its footer says it
    for path, page in own.items():
        assert said not in texts(page), path
    assert said not in texts(pages(stand)["/verkenner"])   # no year asked: the stand's, nothing to say

    # the page's selects hold 2025: their callbacks must not take that for a change and navigate
    # to the stand's URL of 2025, where the message is gone (they did, in the browser)
    search = f"?kpi=totale_kosten&jaar=2026&by=hulpvorm&per=jaar&stand={stand}"
    with pytest.raises(PreventUpdate):
        verkenner._new_location(verkenner.href_after_controls(search, "totale_kosten", "hulpvorm", "jaar", "2025",
                                                              ids.ALLE), search)
    with pytest.raises(PreventUpdate):
        kostengroei.href_after_controls(f"?jaar=2026&vergelijk=2025&by=hulpvorm&stand={stand}", "2025", "2024",
                                        "hulpvorm")


def test_a_stand_s_file_asked_for_another_year_is_refused(demo_live):
    """A file cannot say above its figures that they are of another year than asked: it answers
    400 with the reason, as an export does for a year it cannot cover; the stand's year is given."""
    from dashboard.exports import presentation_export, programme_export
    from dashboard.server import report_route

    assert stand_view.freeze_stand(PM, "12-11-2025", "Commissie", 2025).ok
    stand = list_snapshots(demo_live)[0].id
    said = f"Stand {stand} bevat alleen cijfers over 2025; laat het jaar weg of kies 2025."
    app = flask.Flask(__name__)
    answers = {}
    for path, respond in (("/export/presentatie.pptx", presentation_export.pptx_response),
                          ("/export/rapport.pdf", report_route.report_response),
                          ("/export/programma.csv", lambda: programme_export._response("csv"))):
        with app.test_request_context(f"{path}?stand={stand}&jaar=2026"):
            answers[path] = respond()
        with app.test_request_context(f"{path}?stand="):
            empty = respond()
        assert empty.status_code == 404, path  # a link that names no stand's number: no live file either
    for path, answer in answers.items():
        assert answer.status_code == 400 and said in answer.get_data(as_text=True), path
    with app.test_request_context(f"/export/programma.csv?stand={stand}&jaar=2025"):
        assert programme_export._response("csv").status_code == 200
