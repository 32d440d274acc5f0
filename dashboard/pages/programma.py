"""/programma — the programme tree: lijnen → maatregelen → indicatoren, or the doelstellingen."""
from __future__ import annotations

from collections import Counter
from urllib.parse import urlencode

import dash_bootstrap_components as dbc
from dash import Input, Output, State, html
from dash.exceptions import PreventUpdate

from dashboard import components, ids, programme_export, runtime, viewer
from dashboard.programme_view import indicator_table, maatregel_table
from kpi.programma import MAATREGEL_STATUS_LABELS

PATH = "/programma"
NAME = "Programma"
TITLE = "Programma – Jeugdmonitor Huizen"
VIEWS = {"lijnen": "Strategische lijnen", "doelstellingen": "Doelstellingen"}


def programma_href(view: str, jaar: int | str) -> str:
    return PATH + "?" + urlencode({"view": view, "jaar": str(jaar)})


def _year(jaar: str | None, messages: list) -> int:
    years, default = runtime.years_available()
    if jaar and jaar.isascii() and jaar.isdigit() and len(jaar) == 4 and int(jaar) in years:
        return int(jaar)
    if jaar:
        messages.append(f"Jaar '{jaar}' is niet beschikbaar; {default} wordt getoond.")
    return default


def layout(view: str | None = None, jaar: str | None = None, **_query) -> html.Div:
    messages: list[str] = []
    chosen = _year(jaar, messages)
    if view not in VIEWS:
        if view:
            messages.append(f"Weergave '{view}' bestaat niet; de strategische lijnen worden getoond.")
        view = "lijnen"
    programme = viewer.programme()
    service = runtime.service()
    years, _ = runtime.years_available()
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


def register_callbacks(app) -> None:
    @app.callback(Output(ids.NAV, "href", allow_duplicate=True), Input(ids.JAAR + "-programma", "value"),
                  State(ids.NAV, "search"), prevent_initial_call=True)
    def go_to_year(jaar, search):
        from dash._pages import _parse_query_string

        if not jaar:
            raise PreventUpdate
        query = _parse_query_string(search or "")
        view = query.get("view") if query.get("view") in VIEWS else "lijnen"
        target = programma_href(view, jaar)
        current = programma_href(view, _year(query.get("jaar") if isinstance(query.get("jaar"), str) else None, []))
        if target in (PATH + (search or ""), current):
            raise PreventUpdate  # the same view (perhaps spelled shorter): no second history entry
        return target
