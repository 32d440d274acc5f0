"""/programma for the programmamanager (issue 15): a summary at the top, lijnen folded, and the
filters "alleen aandacht en achter" and "mijn maatregelen" — each a URL."""
from __future__ import annotations

import flask
import pytest
from dash import html
from flask import g

from dashboard.pages import programma
from dashboard.server import runtime
from tests.beheer_support import ANNA, MANAGER, RAAD
from tests.conftest import shared_demo
from tests.test_standen import texts


@pytest.fixture
def live(request, backend):
    engine = shared_demo(request)  # the demonstration data hold the Programmaplan
    runtime.configure(engine)
    yield engine
    runtime.reset()


def render(user, **query):
    app = flask.Flask(__name__)
    app.secret_key = "test"
    with app.test_request_context("/programma"):
        g.jm_user = user
        return programma.layout(**query)


def folds(tree) -> list:
    found = []

    def walk(node):
        if isinstance(node, html.Details):
            found.append(node)
        for child in getattr(node, "children", None) or []:
            if not isinstance(child, str):
                walk(child)
    walk(tree)
    return found


def test_summary_on_top_and_every_lijn_folded(live):
    page = render(MANAGER, jaar="2025")
    words = " ".join(texts(page))
    assert "Het programma in één oogopslag" in words
    assert "Indicatoren 2025:" in words and "op koers" in words and "Maatregelen:" in words
    lijnen = [d for d in folds(page) if "lijn-fold" in (d.className or "")]
    assert len(lijnen) == 8 and not any(d.open for d in lijnen)


def test_only_what_needs_attention(live):
    page = render(MANAGER, jaar="2025", toon="aandacht")
    shown = " ".join(texts(page))
    assert "Op koers" not in shown.replace("op koers", "")  # no indicator rows that are op koers
    assert any(status in shown for status in ("Achter", "Aandacht", "Vertraagd"))
    assert all(d.open for d in folds(page) if "lijn-fold" in (d.className or ""))


def test_my_maatregelen_for_a_trekker_and_not_for_the_raad(live):
    page = render(ANNA, jaar="2025", toon="mijn")
    shown = " ".join(texts(page))
    assert "L1.1 " in shown and "L3.6 " in shown and "L2.1 " not in shown
    raad = " ".join(texts(render(RAAD, jaar="2025", toon="mijn")))
    assert "U heeft geen maatregelen toegewezen; alles wordt getoond." in raad
    assert "Mijn maatregelen" not in raad
    assert "Filter 'x' bestaat niet" in " ".join(texts(render(MANAGER, toon="x")))
