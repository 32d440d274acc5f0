"""The Dash pages layer's 404, in Dutch: shown by Dash's router for a path no page has (a link
followed inside the app without reloading; Dash finds it by its module name). Loading such an
address from outside gets the HTTP 404 of dashboard.server.error_pages instead."""
from __future__ import annotations

from dash import html

from dashboard.server.error_pages import MESSAGES

PATH = "/niet-gevonden"
NAME = "Niet gevonden"
TITLE = "Pagina niet gevonden – Jeugdmonitor Huizen"


def layout(**_query) -> html.Div:
    title, text = MESSAGES[404]
    return html.Div([html.H1(title), html.P(text), html.A("Naar het overzicht", href="/")])


def register_callbacks(app) -> None:
    """This page has no callbacks."""
