"""/presentatie?dia=N — slides for the commissie, built from live data.

Title; the programme at a glance; one slide per axis (main KPIs against streefwaarde); one per
doelstelling. Large type, no controls in view. ←/→, PageUp/PageDown (and a clicker, which sends
those) move between slides, Esc leaves (assets/30_presentatie.js); the slide number is in the URL.
"""
from __future__ import annotations

from urllib.parse import urlencode

from dash import html

from dashboard import components, runtime
from dashboard.slides import Cell, Deck, Slide, Table, build_deck
from kpi.programma import read_programme

PATH = "/presentatie"
NAME = "Presentatie"
TITLE = "Presentatie – Jeugdmonitor Huizen"

PARAGRAPH_CLASS = {"lead": "lead-xl", "plain": None, "secondary": "text-body-secondary"}


def deck_for(jaar: int) -> Deck:
    """The raad's presentation: manual figures only where their period is vastgesteld."""
    return build_deck(runtime.service(), read_programme(runtime.current().engine, vastgesteld_only=True), jaar)


def _classes(name: str | None) -> dict:
    return {"className": name} if name else {}  # no empty class attribute in the page


def _cell(cell: Cell, numeric: bool):
    content = components.status_badge(cell.status) if cell.kind == "status" else cell.text
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


def slide_href(number: int, jaar: int) -> str:
    return PATH + "?" + urlencode({"dia": str(number), "jaar": str(jaar)})


def layout(dia: str | None = None, jaar: str | None = None, **_query) -> html.Div:
    years, default = runtime.years_available()
    chosen = int(jaar) if jaar and jaar.isdigit() and int(jaar) in years else default
    slides = deck_for(chosen).slides
    number = int(dia) if dia and dia.isdigit() else 1
    number = min(max(number, 1), len(slides))
    slide = slides[number - 1]
    return html.Div([
        html.Div([html.H1(slide.title), *slide_body(slide)], className="slide-body"),
        html.Div([
            html.Span(f"Dia {number} van {len(slides)}"),
            html.Span(" · ←/→ of PageUp/PageDown: volgende/vorige dia · Esc: stoppen", className="slide-keys"),
            html.Span(" · Jeugdmonitor Huizen", className="slide-source"),
        ], className="slide-footer"),
    ], className="presentatie", id="presentatie", **{"data-dia": str(number), "data-dia-totaal": str(len(slides)),
                                                    "data-jaar": str(chosen)})


def register_callbacks(app) -> None:
    """Navigation is client-side (assets/30_presentatie.js): it writes the next slide's URL."""
