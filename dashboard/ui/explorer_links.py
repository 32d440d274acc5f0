"""Addresses of explorer views (/verkenner): a state's canonical URL, and the view an overview card
links to. The explorer page, its view's pager and a freeze (which records the cards' views) all
build them, so no page holds them."""
from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from dashboard.ui.state import ExplorerState

if TYPE_CHECKING:
    from dashboard.programme.overview import CardData

PATH = "/verkenner"


def href(state: ExplorerState) -> str:
    return PATH + state.to_search()


def card_href(card: CardData, gemeente: str | None, stand=None) -> str:
    """The explorer view of an overview card: its KPI and year (and gemeente, and stand)."""
    params = [("kpi", card.kpi.id), ("jaar", str(card.jaar))]
    if gemeente:
        params.append(("gemeente", gemeente))
    if stand:  # from a stand's overview: the explorer answers from the stand's figures
        params.append(("stand", str(stand)))
    return PATH + "?" + urlencode(params)
