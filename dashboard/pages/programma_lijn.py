"""/programma/<lijn>?jaar=2025 — one strategische lijn: its maatregelen with their status of the
year (the quarter it is from, the trekker's toelichting, and every reported quarter), and its
indicators, targets vs realisatie over the plan's years from its nulmeting on (programme.plan:
2024–2028 for Huizen)."""
from __future__ import annotations

from typing import Sequence

import dash_bootstrap_components as dbc
from dash import html

from dashboard.programme import history
from dashboard.programme.progress import IndicatorView, MaatregelView, indicator_values, running_year
from dashboard.programme.road import Road, has_targets, indicator_road
from dashboard.server import params, runtime, stand_source, viewer
from dashboard.ui import components, figures
from dashboard.ui.maatregel_history_view import maatregel_history_block
from dashboard.ui.programme_view import maatregel_status, page_query, programme_year, year_value_text
from dashboard.ui.road_view import SECTION_ID, chance_label, road_help, road_line
from kpi import format as fmt
from kpi.result import KpiRow
from kpi.settings import min_cell_size

PATH = None
PATH_TEMPLATE = "/programma/<lijn>"
NAME = "Strategische lijn"
TITLE = "Strategische lijn – Jeugdmonitor Huizen"


def maatregel_anchor(code: str) -> str:
    """The id of a maatregel's section, so /programma/L3#maatregel-L3-2 opens at it."""
    return "maatregel-" + code.replace(".", "-")


def year_label(jaar: int, partial: str | None) -> str:
    return f"{jaar} ({partial})" if partial else str(jaar)


def realisatie_text(ind: IndicatorView, jaar: int, found) -> str:
    """A manual realisatie says whether it is vastgesteld (its period locked) or still voorlopig;
    without a year value, the latest quarter's labelled with it ("K3 2026: 14 (voorlopig)")."""
    if found is None or found.waarde is None and not found.suppressed and found.deelwaarde is None:
        return "nog niet bekend"
    text = year_value_text(ind, found)
    if not ind.is_kpi:
        periode = found.deelwaarde[0] if found.waarde is None and found.deelwaarde else str(jaar)
        text += " (vastgesteld)" if periode in ind.vastgesteld else " (voorlopig)"
    return text


def maatregel_changes(codes) -> dict[str, list[history.HistoryEntry]]:
    """Per maatregel the changes to its status and toelichting the viewer may see, newest first:
    the raad (lezers) and visitors only those of vastgestelde quarters, as their figures."""
    return history.maatregel_histories(runtime.current().engine, codes,
                                       vastgesteld_only=not viewer.shows_provisional())


def maatregel_progress(m: MaatregelView, jaar: int, changes: Sequence[history.HistoryEntry] = (),
                       provisional: bool = False) -> list:
    """The maatregel's status of `jaar` (which quarter it is from), the trekker's toelichting on it,
    and every quarter the viewer may see, folded; then `changes` (maatregel_changes: who changed
    what, when), folded too. `provisional`: the viewer sees quarters not vastgesteld as well."""
    stand = m.stand(jaar)
    meta = [maatregel_status(stand), html.Span(f" · trekker: {m.trekker or 'nog niet benoemd'}"),
            html.Span(" · regionaal" if m.regionaal else " · lokaal")]
    parts = [html.P([html.Span(f"Status {jaar}: ", className="fw-semibold"), *meta], className="small mb-1")]
    if stand.toelichting:
        parts.append(html.P([html.Span(f"Toelichting {fmt.periode_label(stand.periode)}: ", className="fw-semibold"),
                             html.Span(stand.toelichting, className="user-text")], className="small mb-1"))
    quarters = m.history()
    if quarters:
        parts.append(html.Details([
            html.Summary(f"Voortgang per kwartaal ({len(quarters)})", className="small"),
            html.Table([html.Caption(f"Gemelde voortgang van maatregel {m.code}, nieuwste eerst"),
                        html.Thead(html.Tr([html.Th("Kwartaal", scope="col"), html.Th("Status", scope="col"),
                                            html.Th("Toelichting", scope="col")])),
                        html.Tbody([html.Tr([html.Th(fmt.periode_label(p), scope="row"), html.Td(q.label),
                                             html.Td(q.toelichting or "–", className="user-text")])
                                    for p, q in quarters])],
                       className="table table-sm small kpi-table voortgang-table"),
        ], className="mb-2"))
    block = maatregel_history_block(m.code, list(changes), provisional)
    if block is not None:
        parts.append(block)
    return parts


def note_periods(notes, years: range) -> list[tuple[str, str]]:
    """Notes placed on the year of their date (the chart is per year)."""
    return [(str(n.datum.year), f"{fmt.datum(n.datum)}: {n.tekst}") for n in notes if n.datum.year in years]


def indicator_block(service, ind: IndicatorView, years: range, last_year: int, partial: str | None = None,
                    notes=(), heading: bool = True, road: Road | None = None, query: str = "") -> html.Div:
    """`years`: the plan's, from its nulmeting on (Plan.jaren_met_nulmeting); `last_year`: the last
    year of data; `partial`: e.g. "t/m september" when that year's data are not complete yet;
    `notes`: the indicator's annotations (dashboard.programme.history.Note), flagged on the chart;
    `road`: its road to the plan's last year, whose chance goes beside each later year's
    streefwaarde (and, with a heading, in one line under it); `query`: what the heading's links to
    the indicator page keep (programme_view.page_query: "?jaar=2026")."""
    series = indicator_values(service, ind, range(years.start, min(last_year, years.stop - 1) + 1))
    rows = [KpiRow(str(y.jaar), None, "Totaal", y.waarde, None, y.suppressed) for y in series]
    targets = {str(j): w for j, w in ind.streefwaarden.items()}
    if ind.nulmeting:
        targets.setdefault(str(ind.nulmeting[0]), ind.nulmeting[1])
    title = f"{ind.naam}: realisatie en streefwaarden"
    table_rows = []
    by_year = {y.jaar: y for y in series}
    for jaar in years:
        found = by_year.get(jaar)
        if jaar == (ind.nulmeting[0] if ind.nulmeting else None):
            target_text = f"nulmeting {fmt.value(ind.nulmeting[1], ind.eenheid)}"
        else:
            target_text = ind.target_text(jaar) or "–"  # a moved goal stays visible: "(was …)"
        chance = chance_label(road, jaar) if road is not None else None
        table_rows.append(html.Tr([
            html.Th(year_label(jaar, partial if jaar == last_year else None), scope="row"),
            html.Td(components.kept_together(realisatie_text(ind, jaar, found)), className="text-end"),
            html.Td(components.kept_together(target_text) + ([html.Br(), html.Span(chance, className="small text-body-secondary road-chance")]
                                     if chance else []), className="text-end"),
            html.Td(components.status_badge(found.status, found.reden) if found else ""),
        ]))
    table = html.Table([
        html.Caption(title),
        html.Thead(html.Tr([html.Th("Jaar", scope="col"), html.Th("Realisatie", scope="col", className="text-end"),
                            html.Th("Streefwaarde", scope="col", className="text-end"), html.Th("Status", scope="col")])),
        html.Tbody(table_rows)], className="table table-sm kpi-table")
    originals = {str(j): w for j, w in ind.oorspronkelijke_streefwaarden.items()}
    flagged = note_periods(notes, years)
    note_list = (html.Ul([html.Li(f"✎ {i}: {text}") for i, (_p, text) in enumerate(flagged, start=1)],
                         className="small chart-notes list-unstyled user-text") if flagged else None)
    return html.Div([
        html.H4(html.A(ind.naam, href=f"/indicator/{ind.code}{query}"), className="h6 mt-3") if heading else None,
        road_line(road, f"/indicator/{ind.code}{query}#{SECTION_ID}", name=ind.naam)
        if heading and road is not None else None,
        html.P(ind.omschrijving or "", className="small text-body-secondary"),
        dbc.Row([
            dbc.Col([components.chart(figures.trend_chart(rows, ind.eenheid, title, min_cell_size(), targets,
                                                          height=260, original_targets=originals,
                                                          notes=flagged,
                                                          partial={str(y.jaar): y.deeljaar for y in series
                                                                   if y.deeljaar}), title), note_list], lg=7),
            dbc.Col(components.scrolling(table), lg=5),
        ]),
    ], className="indicator-block")


def _notes_by_indicator(lijn) -> dict:
    return history.annotations_by_indicator(runtime.current().engine,
                                           [ind.code for ind in lijn.all_indicators()])


def layout(lijn=None, jaar=None, stand=None, **_query) -> html.Div:
    programme = viewer.programme()
    years, default = runtime.years_available()
    # the maatregelen's status is this year's: a year of the programme
    _offered, chosen, message = programme_year(jaar, programme.plan, years, default)
    query = page_query(chosen, params.stand(stand))  # every link to the programme's pages keeps both
    found = programme.lijn(params.path_code(lijn))
    if found is None:
        return html.Div([html.H1("Strategische lijn niet gevonden"),
                         dbc.Alert(f"Er is geen strategische lijn '{params.shown_path(lijn)}'.",
                                   color="warning"),
                         html.A("Terug naar het programma", href=f"/programma{query}")])
    service = runtime.service()
    notes = _notes_by_indicator(found)
    last_year = years.stop - 1
    plan_years = programme.plan.jaren_met_nulmeting
    data_tot = runtime.data_status().data_tot
    running = running_year(data_tot)  # "t/m september", as the overview and the charts say it
    partial = running[1] if running and running[0] == last_year else None
    eindjaar = programme.plan.laatste_jaar
    roads = {ind.code: indicator_road(service, ind, eindjaar, last_year)
             for ind in found.all_indicators() if has_targets(ind)}
    provisional = viewer.shows_provisional()
    changes = maatregel_changes([m.code for m in found.maatregelen])
    blocks = []
    if found.indicatoren:
        blocks.append(html.Section([html.H2("Indicatoren van de lijn")] +
                                   [indicator_block(service, ind, plan_years, last_year, partial,
                                                    notes.get(ind.code, ()), road=roads.get(ind.code), query=query)
                                    for ind in found.indicatoren],
                                   className="axis-band"))
    for m in found.maatregelen:
        blocks.append(html.Section([
            html.H2(f"{m.code} {m.naam}", className="h5", id=maatregel_anchor(m.code)),
            *maatregel_progress(m, chosen, changes[m.code], provisional),
            html.P(m.omschrijving or "", className="text-body-secondary"),
            *[indicator_block(service, ind, plan_years, last_year, partial, notes.get(ind.code, ()),
                              road=roads.get(ind.code), query=query)
              for ind in m.indicatoren],
        ], className="axis-band"))
    return html.Div([
        html.Nav(html.Ol([html.Li(html.A("Programma", href=f"/programma{query}"), className="breadcrumb-item"),
                          html.Li(f"Lijn {found.nummer}", className="breadcrumb-item", **{"aria-current": "page"})],
                         className="breadcrumb"), **{"aria-label": "Kruimelpad"}),
        html.H1(f"{found.nummer}. {found.naam}"),
        *components.notices([m for m in (message, stand_source.live_only_notice(stand)) if m]),
        html.P(found.omschrijving, className="lead"),
        *blocks,
        road_help(eindjaar) if roads else None,
        components.suppression_note(min_cell_size(), with_manual=True),
    ])


def register_callbacks(app) -> None:
    """This page has no callbacks: everything is in its URL."""
