"""The presentation's deck as /presentatie shows it: live by default, or a stand's. A freeze runs
`build_slides` to record every slide (dashboard.server.stand_view.meeting_builders), so it lives
here and not in the page."""
from __future__ import annotations

from dataclasses import dataclass

from dashboard.exports.slides import Deck, build_deck
from dashboard.exports.slides_html import slide_body
from dashboard.programme.progress import read_programme
from dashboard.server import runtime
from data.programme import stand_store


@dataclass(frozen=True)
class ScreenSlide:
    """A slide as the page shows it: its title and its content."""
    title: str
    body: list


def deck_of(jaar: int, service=None, programme=None, dias=None, stand: str | None = None) -> Deck:
    """The deck: live by default (the raad's programme: manual figures only where vastgesteld, the
    added slides as they are now); a stand passes its frozen service, programme, added slides and
    label ("Stand per 12 november 2026 — titel")."""
    service = runtime.service() if service is None else service
    if programme is None:
        programme = read_programme(runtime.current().engine, vastgesteld_only=True)
    if dias is None:
        dias = stand_store.list_dias(runtime.current().engine)
    return build_deck(service, programme, jaar, stand, dias)


def build_slides(jaar: int, service=None, programme=None, dias=None, stand: str | None = None) -> list[ScreenSlide]:
    """Every slide of the deck as the page draws it."""
    return [ScreenSlide(slide.title, slide_body(slide)) for slide in deck_of(jaar, service, programme, dias, stand).slides]
