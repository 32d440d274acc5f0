"""/programma — the programme tree: lijnen → maatregelen → indicatoren, or the doelstellingen."""
from __future__ import annotations

from collections import Counter
from urllib.parse import urlencode

import dash_bootstrap_components as dbc
from dash import Input, Output, State, html
from dash.exceptions import PreventUpdate

from dashboard import components, ids, params, programme_export, runtime, viewer
from dashboard.callback_guard import refusing
from dashboard.programme_view import indicator_table, maatregel_table
from kpi.programma import MAATREGEL_STATUS_LABELS

PATH = "/programma"
NAME = "Programma"
TITLE = "Programma – Jeugdmonitor Huizen"
VIEWS = {"lijnen": "Strategische lijnen", "doelstellingen": "Doelstellingen"}


def programma_href(view: str, jaar: int | str) -> str:
    return PATH + "?" + urlencode({"view": view, "jaar": str(jaar)})


def layout(view=None, jaar=None, **_query) -> html.Div:
    years, default = runtime.years_available()
    chosen, message = params.year(jaar, years, default)
    messages = [message] if message else []
    view, rejected = params.option(view, VIEWS, "lijnen")
    if rejected:
        messages.append(f"Weergave '{rejected}' bestaat niet; de strategische lijnen worden getoond.")
    programme = viewer.programme()
    service = runtime.service()
    header = html.Div([
        html.H1("Programmaplan Jeugd 2025–2028"),
        html.Div([dbc.Label("Jaar", html_for=ids.JAAR + "-programma", className="me-2 mb-0"),
                  dbc.Select(id=ids.JAAR + "-programma", value=str(chosen), style={"width": "8rem"},
                             options=[{"label": str(y), "value": str(y)} for y in reversed(years)]),
                  html.Div(components.report_link(chosen), className="ms-3"),
                  html.A("Tabel (CSV)", href=programme_export.href(chosen, "csv"),
                         className="btn btn-outline-primary btn-sm ms-2",
                         **{"aria-label": f"Tabel (CSV) van de indicatoren over {chosen} downloaden"}),
                  html.A("Tabel (Excel)", href=programme_export.href(chosen, "xlsx"),
                         className="btn btn-outline-primary btn-sm ms-2",
                         **{"aria-label": f"Tabel (Excel) van de indicatoren over {chosen} downloaden"})],
                 className="d-flex align-items-center"),
    ], className="d-flex flex-wrap justify-content-between align-items-end gap-3 mb-2")
    tabs = html.Nav(dbc.Nav([dbc.NavItem(dbc.NavLink(label, href=programma_href(key, chosen), active=key == view))
                             for key, label in VIEWS.items()], pills=True, className="mb-3"),
                    **{"aria-label": "Weergave"})
    if programme.is_empty:
        return html.Div([header, dbc.Alert("Er is nog geen programma geladen.", color="info")])
    sections = []
    if view == "lijnen":
        for lijn in programme.lijnen:
            counts = Counter(m.status for m in lijn.maatregelen)
            summary = " · ".join(f"{n} {MAATREGEL_STATUS_LABELS[s].lower()}" for s, n in sorted(counts.items()))
            regionaal = sum(m.regionaal for m in lijn.maatregelen)
            sections.append(html.Section([
                html.H2(html.A(f"{lijn.nummer}. {lijn.naam}", href=f"{PATH}/{lijn.code}?jaar={chosen}")),
                html.P(lijn.omschrijving, className="text-body-secondary"),
                html.P(f"{len(lijn.maatregelen)} maatregelen ({regionaal} regionaal): {summary}.", className="small"),
                maatregel_table(lijn.maatregelen, f"Maatregelen van lijn {lijn.nummer}"),
                indicator_table(service, lijn.all_indicators(), chosen, f"Indicatoren van lijn {lijn.nummer}"),
            ], className="axis-band"))
    else:
        for doel in programme.doelstellingen:
            sections.append(html.Section([
                html.H2(f"{doel.nummer}. {doel.naam}"),
                html.P(doel.omschrijving, className="text-body-secondary"),
                indicator_table(service, doel.indicatoren, chosen, f"Indicatoren van doelstelling {doel.nummer}"),
            ], className="axis-band"))
    return html.Div([header, *components.notices(messages), tabs, *sections])


def href_after_year(jaar, search) -> str:
    """The programme's URL for another year, in the view shown; PreventUpdate when unchanged."""
    years, _default = runtime.years_available()
    jaar = params.choice(jaar, {str(y) for y in years}, "Jaar")
    if not jaar:
        raise PreventUpdate
    search = params.search(search)
    query = params.query(search)
    view, _rejected = params.option(query.get("view"), VIEWS, "lijnen")
    target = programma_href(view, jaar)
    current = programma_href(view, params.year(query.get("jaar"), years, _default)[0])
    if target in (PATH + search, current):
        raise PreventUpdate  # the same view (perhaps spelled shorter): no second history entry
    return target


def register_callbacks(app) -> None:
    @app.callback(Output(ids.NAV, "href", allow_duplicate=True), Input(ids.JAAR + "-programma", "value"),
                  State(ids.NAV, "search"), prevent_initial_call=True)
    @refusing()
    def go_to_year(jaar, search):
        return href_after_year(jaar, search)
