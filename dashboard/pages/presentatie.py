"""/presentatie?dia=N — slides for the commissie, built from live data.

Title; the programme at a glance; one slide per axis (main KPIs against streefwaarde); one per
doelstelling. Large type, no controls in view. ←/→, PageUp/PageDown (and a clicker, which sends
those) move between slides, Esc leaves (assets/30_presentatie.js); the slide number is in the URL.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlencode

import dash_bootstrap_components as dbc
from dash import html

from dashboard import components, runtime
from dashboard.explorer_slide import explorer_slide
from dashboard.overview import overview_cards
from dashboard.stand_view import frozen_dias, service_and_programme
from data import standen
from data.standen import StandError
from kpi import AXIS_NAMES, KpiRequestError
from kpi import format as fmt
from kpi.programma import MAATREGEL_STATUS_LABELS, indicator_values, read_programme
from kpi.settings import min_cell_size
from kpi.snapshots import stand_label

PATH = "/presentatie"
NAME = "Presentatie"
TITLE = "Presentatie – Jeugdmonitor Huizen"


@dataclass(frozen=True)
class Slide:
    title: str
    body: list


def _kpi_row(card) -> html.Tr:
    return html.Tr([html.Th(card.kpi.naam, scope="row"), html.Td(card.value_text, className="text-end"),
                    html.Td("–" if card.target is None else fmt.value(card.target, card.kpi.eenheid), className="text-end"),
                    html.Td(components.status_badge(card.status))])


def build_slides(jaar: int, service=None, programme=None, dias=None, stand: str | None = None) -> list[Slide]:
    """Live by default; a stand passes its frozen service, programme, added slides and
    `stand` ("Stand per 12 november 2026") for the title slide."""
    service = runtime.service() if service is None else service
    programme = read_programme(runtime.current().engine) if programme is None else programme
    status = service.data_status()
    data_text = f"gegevens t/m {fmt.datum(status.data_tot)}" if status.data_tot else "nog geen gegevens"
    slides = [Slide("Programmaplan Jeugd 2025–2028", [
        html.P(f"Voortgang {jaar}", className="lead-xl"),
        html.P("Gemeente Huizen · commissie"),
        html.P(stand if stand else f"Stand: {data_text}", className="text-body-secondary"),
    ])]
    rows = []
    for lijn in programme.lijnen:
        counts = Counter(m.status for m in lijn.maatregelen)
        rows.append(html.Tr([html.Th(f"{lijn.nummer}. {lijn.naam}", scope="row"),
                             html.Td(str(len(lijn.maatregelen)), className="text-end"),
                             html.Td(", ".join(f"{n} {MAATREGEL_STATUS_LABELS[s].lower()}"
                                               for s, n in sorted(counts.items())))]))
    slides.append(Slide("Het programma in één oogopslag", [html.Table([
        html.Thead(html.Tr([html.Th("Strategische lijn", scope="col"), html.Th("Maatregelen", scope="col", className="text-end"),
                            html.Th("Stand van de maatregelen", scope="col")])),
        html.Tbody(rows)], className="table slide-table")]))
    bands = overview_cards(service, jaar, programme)
    for axis, axis_name in AXIS_NAMES.items():
        slides.append(Slide(f"{axis_name} {jaar}", [html.Table([
            html.Thead(html.Tr([html.Th("KPI", scope="col"), html.Th(str(jaar), scope="col", className="text-end"),
                                html.Th("Streefwaarde", scope="col", className="text-end"), html.Th("Status", scope="col")])),
            html.Tbody([_kpi_row(card) for card in bands[axis]])], className="table slide-table")]))
    for doel in programme.doelstellingen:
        rows = []
        for ind in doel.indicatoren:
            current = indicator_values(service, ind, range(jaar, jaar + 1))[0]
            rows.append(html.Tr([
                html.Th(ind.naam, scope="row"),
                html.Td(fmt.value(current.waarde, ind.eenheid, suppressed=current.suppressed,
                                  threshold=min_cell_size()), className="text-end"),
                html.Td("–" if current.streefwaarde is None else fmt.value(current.streefwaarde, ind.eenheid),
                        className="text-end"),
                html.Td(components.status_badge(current.status))]))
        slides.append(Slide(f"Doelstelling {doel.nummer}: {doel.naam}", [html.Table([
            html.Thead(html.Tr([html.Th("Indicator", scope="col"), html.Th(str(jaar), scope="col", className="text-end"),
                                html.Th("Streefwaarde", scope="col", className="text-end"), html.Th("Status", scope="col")])),
            html.Tbody(rows)], className="table slide-table")]))
    for dia in standen.list_dias(runtime.current().engine) if dias is None else dias:
        added = explorer_slide(service, dia.titel, dia.weergave)
        slides.append(Slide(added.title, added.body))
    return slides


def slide_href(number: int, jaar: int) -> str:
    return PATH + "?" + urlencode({"dia": str(number), "jaar": str(jaar)})


def layout(dia: str | None = None, jaar: str | None = None, stand: str | None = None, **_query) -> html.Div:
    years, default = runtime.years_available()
    chosen = int(jaar) if jaar and jaar.isdigit() and int(jaar) in years else default
    label = None
    try:
        if stand:
            frozen, programme, label = service_and_programme(stand)
            chosen = frozen.info.jaar
            slides = build_slides(chosen, frozen, programme, frozen_dias(frozen), stand_label(frozen.info))
        else:
            slides = build_slides(chosen)
    except (StandError, KpiRequestError) as exc:
        return html.Div([html.H1("Presentatie"), dbc.Alert(f"{exc}", color="warning"),
                         html.A("Naar de actuele presentatie", href=PATH)])
    number = int(dia) if dia and dia.isdigit() else 1
    number = min(max(number, 1), len(slides))
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
