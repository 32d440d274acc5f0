"""The frame around every page: skip link, navigation bar, data status, footer."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import ids

NAV_ITEMS = (("Overzicht", "/"), ("Programma", "/programma"), ("Verkenner", "/verkenner"),
             ("Presentatie", "/presentatie"))
MANAGER_NAV_ITEMS = (("Standen", "/standen"),)  # only the programmamanager sees these


def _nav_items() -> tuple:
    from flask import has_request_context

    from dashboard.auth import current_user
    from data.permissions import is_manager

    manager = has_request_context() and is_manager(current_user())
    return NAV_ITEMS + (MANAGER_NAV_ITEMS if manager else ())


def layout() -> html.Div:
    return html.Div([
        html.A("Direct naar de inhoud", href="#inhoud", className="visually-hidden-focusable skip-link"),
        dcc.Location(id=ids.NAV, refresh="callback-nav"),
        dbc.Navbar(dbc.Container([
            dbc.NavbarBrand([html.I(className="bi bi-bar-chart-line", **{"aria-hidden": "true"}),
                             " Jeugdmonitor Huizen"], href="/"),
            dbc.Nav([dbc.NavItem(dbc.NavLink(label, href=href, active="exact"))
                     for label, href in _nav_items()], navbar=True, className="ms-auto"),
        ], fluid=True), color="primary", dark=True, className="mb-3 jm-navbar", tag="header"),
        html.Main(dbc.Container(dash.page_container, fluid=True), id="inhoud", tabIndex="-1"),
        html.Footer(dbc.Container(html.P(
            "Jeugdmonitor · Programmaplan Jeugd 2025–2028, gemeente Huizen · demonstratiegegevens "
            "(synthetisch) · kleine aantallen afgeschermd", className="small text-body-secondary mb-0"),
            fluid=True), className="jm-footer mt-4 py-3"),
    ])
