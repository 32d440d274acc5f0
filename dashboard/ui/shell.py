"""The frame around every page: skip link, navigation bar, data status, footer."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html
from sqlalchemy.exc import SQLAlchemyError

from dashboard.server import auth, plain_page, runtime
from dashboard.ui import ids
from data.programme.plan import default_plan
from kpi import privacy

# Standen for everyone who reads: a raadslid opens a vastgestelde stand from there (the page shows
# the forms to freeze and delete to the programmamanager only).
NAV_ITEMS = (("Overzicht", "/"), ("Programma", "/programma"), ("Verkenner", "/verkenner"),
             ("Prognose", "/prognose"), ("Kostengroei", "/kostengroei"), ("Presentatie", "/presentatie"),
             ("Standen", "/standen"))
MENU_LINK = "menu-link"  # pattern id of the menu's links: {"type": MENU_LINK, "path": "/programma"}
#: pages that show one year: the menu takes the year being looked at along to them
YEAR_PAGES = ("/", "/programma", "/verkenner", "/kostengroei", "/presentatie")
EDITOR_NAV_ITEMS = (("Beheer", "/beheer"),)


def account_menu() -> list:
    """The account's name with a logout button (a POST form with the CSRF token), or a login
    link for a visitor (PUBLIC_READ)."""
    user = auth.current_user()
    if user is None:
        return [dbc.NavItem(dbc.NavLink("Inloggen", href=auth.LOGIN_PATH, external_link=True))]
    rol = {"programmamanager": "programmamanager", "trekker": "trekker", "lezer": "lezer"}[user.rol]
    # Below 1700 px the name is for screen readers and the tooltip only: with eight menu items a
    # long name pushed the logout button off a 1280 px screen.
    return [dbc.NavItem(html.Span([html.I(className="bi bi-person-circle", **{"aria-hidden": "true"}),
                                   html.Span(f" {user.naam} ({rol})", className="jm-account-name")],
                                  title=f"Ingelogd als {user.naam} ({rol})",
                                  className="navbar-text ms-lg-3 me-2 small text-nowrap")),
            dbc.NavItem(html.Form([
                dcc.Input(type="hidden", name="csrf", value=auth.csrf_token()),
                html.Button("Uitloggen", type="submit", className="btn btn-sm btn-outline-light"),
            ], method="POST", action=auth.LOGOUT_PATH, className="d-inline"))]


def nav_items() -> tuple:
    user = auth.current_user()
    editor = EDITOR_NAV_ITEMS if user is not None and user.rol != "lezer" else ()
    return NAV_ITEMS + editor


def layout() -> html.Div:
    return html.Div([
        html.A("Direct naar de inhoud", href="#inhoud", className="visually-hidden-focusable skip-link"),
        dcc.Location(id=ids.NAV, refresh="callback-nav"),
        dbc.Navbar(dbc.Container([
            dbc.NavbarBrand([html.I(className="bi bi-bar-chart-line", **{"aria-hidden": "true"}),
                             " Jeugdmonitor Huizen"], href="/"),
            dbc.Nav([dbc.NavItem(dbc.NavLink(label, href=href, active="exact", id={"type": MENU_LINK, "path": href}))
                     for label, href in nav_items()] + account_menu(), navbar=True,
                    className="ms-auto align-items-lg-center"),
        ], fluid=True), color="primary", dark=True, className="mb-3 jm-navbar", tag="header",
            role="banner"),  # dbc's default role (navigation) is not allowed on a header
        html.Main(dbc.Container(dash.page_container, fluid=True), id="inhoud", tabIndex="-1"),
        html.Footer(dbc.Container(html.P([footer_text(_frame_plan(), _frame_synthetic()), " · ",
                                          # a plain link: the statement is a page outside Dash (open to all)
                                          html.A(plain_page.STATEMENT_LINK_TEXT, href=plain_page.STATEMENT_PATH)],
                                         className="small text-body-secondary mb-0"),
                                  fluid=True), className="jm-footer mt-4 py-3"),
    ])


def _frame_plan():
    """The plan for the frame; while the database is unreachable, the default file's — the page
    itself then says the database is down, and Dash's first-request check of the layout must not
    turn a health check into an error page."""
    try:
        return runtime.plan()
    except SQLAlchemyError:
        return default_plan()


def _frame_synthetic() -> bool:
    """Whether the figures are the demonstration data's; while the database is unreachable, say nothing of them."""
    try:
        return runtime.data_status().synthetisch
    except SQLAlchemyError:
        return False


def footer_text(plan, synthetic: bool) -> str:
    """'Jeugdmonitor · Programmaplan Jeugd 2025–2028, gemeente Huizen · …': the plan of the programme,
    and "demonstratiegegevens" only while the figures are the demonstration data's (never of a gemeente's own)."""
    return (f"Jeugdmonitor · {plan.naam}, gemeente {plan.gemeente} · "
            + ("demonstratiegegevens (synthetisch) · " if synthetic else "") + privacy.SMALL_NUMBERS_TAG)


def year_of(search: str | None) -> str | None:
    """The year a page's URL asks for (four ASCII digits), else None."""
    from urllib.parse import parse_qs

    raw = (parse_qs((search or "").lstrip("?")).get("jaar") or [""])[-1]
    return raw if len(raw) == 4 and raw.isascii() and raw.isdigit() else None


def menu_links(pathname: str | None, search: str | None, paths: list[str]) -> tuple[list[str], list[bool]]:
    """(href, active) of every menu link for the page at `pathname` + `search`: the year being
    looked at goes along to the other pages that show a year (Overzicht 2023 → Programma 2023)."""
    jaar = year_of(search)
    hrefs = [f"{path}?jaar={jaar}" if jaar and path in YEAR_PAGES else path for path in paths]
    section = "/" + (pathname or "/").strip("/").split("/")[0]
    return hrefs, [path == section for path in paths]


def register_callbacks(app) -> None:
    from dash import ALL, Input, Output, State

    @app.callback(Output({"type": MENU_LINK, "path": ALL}, "href"), Output({"type": MENU_LINK, "path": ALL}, "active"),
                  Input(ids.NAV, "search"), State(ids.NAV, "pathname"),
                  State({"type": MENU_LINK, "path": ALL}, "id"))
    def carry_year(search, pathname, link_ids):
        return menu_links(pathname, search, [link["path"] for link in link_ids or []])
