"""The pages of a warehouse nothing has been loaded into yet (the app's first start on a new
production database): the overview shows one notice, not twenty cards reading "<10" as if there
were a few jeugdigen; the explorer and the cost growth say it above what they show."""
from __future__ import annotations

import dash_bootstrap_components as dbc
import pytest

from dashboard.pages import kostengroei, overzicht, verkenner
from dashboard.server import runtime
from dashboard.ui import ids
from data.db import make_engine, migrate
from tests.test_explorer_paging import find as of_type
from tests.test_road_pages import live, render  # noqa: F401 (a fixture)
from tests.test_standen import find, texts


def cards(tree) -> list:
    return [card for card in of_type(tree, dbc.Card) if "kpi-card" in (card.className or "")]


def test_an_empty_warehouse_shows_one_notice_and_no_cards(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'leeg.db'}")
    migrate(engine)
    runtime.configure(engine)
    try:
        page = render(overzicht, "/")
        others = [render(verkenner, "/verkenner"), render(kostengroei, "/kostengroei")]
    finally:
        runtime.reset()
        engine.dispose()
    assert all(find(other, ids.NOTHING_LOADED) is not None for other in others)
    words = " ".join(texts(page))
    assert find(page, ids.NOTHING_LOADED) is not None and cards(page) == []
    assert "Nog geen gegevens geladen." in words and "python -m data load MAP" in words
    assert "afgeschermd (<" not in words  # (the note on small numbers under it stays)


@pytest.mark.usefixtures("live")
def test_a_loaded_warehouse_shows_its_cards_and_no_such_notice():
    page = render(overzicht, "/")
    assert find(page, ids.NOTHING_LOADED) is None and cards(page)
    for other in (render(verkenner, "/verkenner"), render(kostengroei, "/kostengroei")):
        assert find(other, ids.NOTHING_LOADED) is None
    assert "Nog geen gegevens geladen." not in texts(page)
