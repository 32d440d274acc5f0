"""An explorer view as a presentation slide ("Toevoegen aan presentatie").

`explorer_slide(service, titel, weergave)` renders the view stored as the explorer's query string
with the explorer's own figure builders: the bar chart of the breakdown (or, without one, the
trend), the table beside it, and the suppression rule. Pure given the service — the live service,
the recording one while a stand is frozen, or a stand's frozen one — so the slide model can call
it. `view_title(search)` is the Dutch title a view gets when it is added.
"""
from __future__ import annotations

from dataclasses import dataclass

import dash_bootstrap_components as dbc
from dash import html
from dash._pages import _parse_query_string

from dashboard import components, figures
from dashboard.paging import range_text, shown_page
from dashboard.state import ExplorerState, from_query
from kpi import CATALOGUE, DIMENSIONS, KpiRequestError

PER_WORDS = {"jaar": "per jaar", "kwartaal": "per kwartaal", "maand": "per maand"}


@dataclass(frozen=True)
class ExplorerSlide:
    title: str
    body: list


def state_of(weergave: str, default_year: int = 2025) -> ExplorerState:
    """The explorer state of a stored query string (any year in it is kept as stored)."""
    return from_query(_parse_query_string(weergave or ""), default_year, None)


def view_title(state: ExplorerState, labels: dict | None = None) -> str:
    """'Instroom per school, 2025 (verwijzer: Huisarts)' — KPI, breakdown, period and filters."""
    kpi = CATALOGUE[state.kpi]
    if state.by:
        title = f"{kpi.naam} per {DIMENSIONS[state.by].naam.lower()}, {state.jaar}"
    else:
        request = state.trend_request()
        years = (str(request.tot.year) if request.van.year == request.tot.year
                 else f"{request.van.year}–{request.tot.year}")
        title = f"{kpi.naam}, {PER_WORDS.get(request.per, 'per jaar')}, {years}"
    return title + filters_text(state, labels)


def filters_text(state: ExplorerState, labels: dict | None = None) -> str:
    """' (verwijzer: Huisarts; school: De Linde)' — the drill path in words, or ''."""
    labels = labels or {}
    filters = []
    for dim, value in state.filters:
        naam = DIMENSIONS[dim].naam.lower()
        shown = (DIMENSIONS[dim].empty_label or "leeg") if value is None else labels.get((dim, value), value)
        filters.append(f"{naam}: {shown}")
    return " (" + "; ".join(filters) + ")" if filters else ""


def explorer_slide(service, titel: str, weergave: str) -> ExplorerSlide:
    state = state_of(weergave)
    kpi = CATALOGUE[state.kpi]
    body: list = []
    try:
        if state.by:
            result = service.compute(state.breakdown_request())
            threshold = result.request.min_cell_size
            page = shown_page(result.rows, state.pagina, lambda: service.places(state.by))  # as it was added
            rows = list(page.rows)
            chart_title = f"{kpi.naam} per {DIMENSIONS[state.by].naam.lower()}, {state.jaar}" + range_text(page)
            figure = figures.bar_chart(rows, kpi.eenheid, chart_title, threshold)
            group = DIMENSIONS[state.by].naam
        else:
            result = service.compute(state.trend_request())
            threshold = result.request.min_cell_size
            rows = list(result.rows)
            chart_title = f"{kpi.naam}, {PER_WORDS.get(result.request.per or 'jaar')}"
            figure = figures.trend_chart(rows, kpi.eenheid, chart_title, threshold)
            group = "Periode"
        # the slide's heading already says what it shows; the caption keeps the accessible name
        figure.update_layout(height=min(figure.layout.height or 420, 520), title=None,
                             margin=dict(t=10))
        body = [
            components.chart(figure, chart_title),
            html.Details([html.Summary("Tabel bij deze grafiek"),
                          components.kpi_table(rows, kpi.eenheid, threshold, chart_title, group)],
                         className="slide-details"),
            components.suppression_note(threshold, result.request.afronding if result.request.detailed else None),
        ]
    except KpiRequestError as exc:
        body = [dbc.Alert(f"Deze weergave kan niet worden getoond: {exc}.", color="warning")]
    return ExplorerSlide(titel, body)

