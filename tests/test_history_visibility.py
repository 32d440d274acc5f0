"""The indicator page's "Historie van wijzigingen" follows the figures: the raad (lezers) and
visitors see realisaties only of vastgestelde periods; trekkers and the programmamanager see
every entry, marked voorlopig or vastgesteld."""
from __future__ import annotations

import datetime as dt

import flask
from flask import g

from dashboard.pages import indicator
from data.programme.edits import lock_period, set_realisatie
from tests.beheer_support import ANNA, MANAGER, RAAD, live, programme
from tests.test_standen import texts

__all__ = ["programme", "live"]


def shown_history(user) -> str:
    app = flask.Flask(__name__)
    app.secret_key = "test"
    with app.test_request_context("/indicator/H01"):
        g.jm_user = user
        body = indicator.body("H01")
    return " ".join(texts(body[-1]))  # the history section is the last part


def test_a_lezer_does_not_see_realisaties_of_open_quarters_in_the_history(live):
    set_realisatie(live, ANNA, "H01", "2026-Q4", "987", None)   # open: voorlopig
    set_realisatie(live, ANNA, "H01", "2026-Q3", "654", 1)
    lock_period(live, MANAGER, "2026-Q3")                        # vastgesteld

    raad = shown_history(RAAD)
    assert "987" not in raad and "realisatie K4 2026" not in raad
    assert "654" in raad and "alleen van vastgestelde perioden" in raad
    assert "Stand" not in raad

    visitor = shown_history(None)
    assert "987" not in visitor and "654" in visitor

    trekker = shown_history(ANNA)
    assert "987" in trekker and "654" in trekker and "voorlopig" in trekker and "vastgesteld" in trekker


def test_the_history_says_when_as_every_other_screen_does(live):
    """The indicator's history wrote "06-01-2025 09:00" where the maatregel's history and the
    standen write "6 januari 2025, 09:00": one way to say a moment (kpi.format.moment)."""
    import re

    from kpi import format as fmt

    assert fmt.moment(dt.datetime(2025, 1, 6, 9, 0)) == "6 januari 2025, 09:00"
    shown = shown_history(MANAGER)
    assert re.search(r"\d{1,2} [a-z]+ 20\d\d, \d\d:\d\d", shown)
    assert not re.search(r"\b\d\d-\d\d-20\d\d \d\d:\d\d\b", shown)
