"""/presentatie?dia=N — slides for the commissie, built from live data.

Title; the programme at a glance; one slide per axis (main KPIs against streefwaarde, table and
chart); one per doelstelling; then the explorer views the programmamanager added — the deck of
dashboard/exports/slides.py, the same one the PowerPoint holds, read by
dashboard/exports/presentation_deck.py. `?stand=ID` shows a vastgestelde stand (frozen figures,
"Stand per …" on the title slide and in every footer). Each slide is drawn by
dashboard/exports/slides_html.py on a 16:9 stage that fills the screen; no controls in view. ←/→,
PageUp/PageDown (and a clicker, which sends those) move between slides, T shows a chart's table,
Esc leaves (assets/30_presentatie.js); the slide number is in the URL. A link's `dia` that is no
slide of the deck shows the first (past the end: the last) with a Dutch message above it, as a bad
`jaar` does; the next slide's URL is a good one again.
"""
from __future__ import annotations

from urllib.parse import urlencode

import dash_bootstrap_components as dbc
from dash import html

from dashboard.exports.presentation_deck import deck_of
from dashboard.exports.slides_html import footer, slide_body
from dashboard.server import params, runtime
from dashboard.server.stand_source import frozen_dias, service_and_programme
from dashboard.ui import components
from data.programme.stand_store import StandError
from kpi import KpiRequestError

PATH = "/presentatie"
NAME = "Presentatie"
TITLE = "Presentatie – Jeugdmonitor Huizen"


def slide_href(number: int, jaar: int) -> str:
    return PATH + "?" + urlencode({"dia": str(number), "jaar": str(jaar)})


def layout(dia=None, jaar=None, stand=None, **_query) -> html.Div:
    years, default = runtime.years_available()
    chosen, year_message = params.year(jaar, years, default)
    stand = params.stand(stand)
    try:
        if stand is not None:  # a stand's deck or a refusal, never live figures under its link
            frozen, programme, label = service_and_programme(stand)
            chosen = frozen.info.jaar
            year_message = params.stand_year(jaar, frozen.info.id, chosen)  # the stand's year, said
            deck = deck_of(chosen, frozen, programme, frozen_dias(frozen), label)
        else:
            deck = deck_of(chosen)
    except (StandError, KpiRequestError) as exc:
        return html.Div([html.H1("Presentatie"), dbc.Alert(components.as_sentence(str(exc)), color="warning"),
                         html.A("Naar de actuele presentatie", href=PATH)])
    total = len(deck.slides)
    number, slide_message = params.slide_number(dia, total)
    slide = deck.slides[number - 1]
    stage = html.Div([html.Div(slide_body(slide), className="slide-body"), footer(deck, number)],
                     className="dia", role="region", **{"aria-label": f"Dia {number} van {total}: {slide.title}"})
    messages = [m for m in (year_message, slide_message) if m]
    return html.Div([*notices(messages), stage], className="presentatie", id="presentatie",
                    **{"data-dia": str(number), "data-dia-totaal": str(total),
                       "data-jaar": str(chosen), "data-stand": stand or ""})


def notices(messages: list[str]) -> list:
    """A link's bad `dia` or `jaar`, said above the slide shown instead (not on the slide: the
    next slide's URL is a good one, and the message is gone)."""
    if not messages:
        return []
    return [html.Div(components.notices(messages), className="presentatie-meldingen", id="presentatie-meldingen")]


def register_callbacks(app) -> None:
    """Navigation is client-side (assets/30_presentatie.js): it writes the next slide's URL."""
