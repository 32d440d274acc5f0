"""/presentatie?dia=N — slides for the commissie, built from live data.

Title; the programme at a glance; one slide per axis (main KPIs against streefwaarde); one per
doelstelling; then the explorer views the programmamanager added. `?stand=ID` shows a
vastgestelde stand (frozen figures, "Stand per …" on the title slide and in every footer). Large type, no controls in view. ←/→, PageUp/PageDown (and a clicker, which sends
those) move between slides, Esc leaves (assets/30_presentatie.js); the slide number is in the URL.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

import dash_bootstrap_components as dbc
from dash import html

from dashboard import components, params, runtime
from dashboard.explorer_slide import explorer_slide
from dashboard.slides import Cell, Slide, Table, build_deck
from dashboard.stand_view import frozen_dias, service_and_programme
from data import standen
from data.standen import StandError
from kpi import KpiRequestError
from kpi.programma import read_programme
from kpi.snapshots import frozen_label

PATH = "/presentatie"
NAME = "Presentatie"
TITLE = "Presentatie – Jeugdmonitor Huizen"

PARAGRAPH_CLASS = {"lead": "lead-xl", "plain": None, "secondary": "text-body-secondary"}


def _classes(name: str | None) -> dict:
    return {"className": name} if name else {}  # no empty class attribute in the page


def _cell(cell: Cell, numeric: bool):
    content = components.status_badge(cell.status, cell.text) if cell.kind == "status" else cell.text
    return html.Td(content, **_classes("text-end" if numeric else None))


def html_table(table: Table) -> html.Table:
    head = html.Thead(html.Tr([html.Th(c.label, scope="col", **_classes("text-end" if c.numeric else None))
                               for c in table.columns]))
    body = html.Tbody([html.Tr([html.Th(row[0].text, scope="row")] +
                               [_cell(cell, column.numeric) for cell, column in zip(row[1:], table.columns[1:])])
                       for row in table.rows])
    return html.Table([head, body], className="table slide-table")


def slide_body(slide: Slide) -> list:
    """The slide as HTML: its paragraphs and its table (the charts are drawn in the PowerPoint only;
    on the screen the table carries the numbers in large type)."""
    body = [html.P(p.text, **_classes(PARAGRAPH_CLASS[p.role])) for p in slide.paragraphs]
    if slide.table is not None:
        body.append(html_table(slide.table))
    return body


@dataclass(frozen=True)
class ScreenSlide:
    """A slide as the page shows it: its title and its content."""
    title: str
    body: list


def build_slides(jaar: int, service=None, programme=None, dias=None, stand: str | None = None) -> list[ScreenSlide]:
    """The fixed slides of the slide model, then one per explorer view added to the presentation.
    Live by default (the raad's programme: manual figures only where vastgesteld); a stand passes
    its frozen service, programme, added slides and label ("Stand per 12 november 2026")."""
    service = runtime.service() if service is None else service
    if programme is None:
        programme = read_programme(runtime.current().engine, vastgesteld_only=True)
    deck = build_deck(service, programme, jaar, stand)
    slides = [ScreenSlide(slide.title, slide_body(slide)) for slide in deck.slides]
    for dia in standen.list_dias(runtime.current().engine) if dias is None else dias:
        added = explorer_slide(service, dia.titel, dia.weergave)
        slides.append(ScreenSlide(added.title, added.body))
    return slides


def slide_href(number: int, jaar: int) -> str:
    return PATH + "?" + urlencode({"dia": str(number), "jaar": str(jaar)})


def layout(dia=None, jaar=None, stand=None, **_query) -> html.Div:
    years, default = runtime.years_available()
    chosen, _message = params.year(jaar, years, default)  # a slide has no room for the message
    stand = params.one(stand)
    label = None
    try:
        if stand:
            frozen, programme, label = service_and_programme(stand)
            chosen = frozen.info.jaar
            slides = build_slides(chosen, frozen, programme, frozen_dias(frozen), frozen_label(frozen))
        else:
            slides = build_slides(chosen)
    except (StandError, KpiRequestError) as exc:
        return html.Div([html.H1("Presentatie"), dbc.Alert(f"{exc}", color="warning"),
                         html.A("Naar de actuele presentatie", href=PATH)])
    number = params.slide_number(dia, len(slides))
    slide = slides[number - 1]
    return html.Div([
        html.Div([html.H1(slide.title), *slide.body], className="slide-body"),
        html.Div([
            html.Span(f"Dia {number} van {len(slides)}"),
            html.Span(" · ←/→ of PageUp/PageDown: volgende/vorige dia · Esc: stoppen", className="slide-keys"),
            html.Span(" · Jeugdmonitor Huizen", className="slide-source"),
            *([html.Span(f" · {label}", className="slide-stand")] if label else []),
        ], className="slide-footer"),
    ], className="presentatie", id="presentatie", **{"data-dia": str(number), "data-dia-totaal": str(len(slides)),
                                                    "data-jaar": str(chosen), "data-stand": stand or ""})


def register_callbacks(app) -> None:
    """Navigation is client-side (assets/30_presentatie.js): it writes the next slide's URL."""
