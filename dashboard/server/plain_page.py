"""The frame of the pages outside Dash (login, error and outage pages, the accessibility
statement, the export's refusals): lang="nl", the chosen theme's stylesheets, the menu bar's look,
a skip link, and a footer that links the accessibility statement, as the Dash frame has."""
from __future__ import annotations

import html

from dashboard.theming.active_theme import stylesheet_links

STATEMENT_PATH = "/toegankelijkheid"
STATEMENT_LINK_TEXT = "Toegankelijkheid"


def page(title: str, main: str, *, main_class: str = "container jm-column", brand_link: bool = True) -> str:
    """The page's HTML; `main` is HTML the caller built (every value in it escaped)."""
    brand = ('<a class="navbar-brand" href="/">Jeugdmonitor Huizen</a>' if brand_link
             else '<span class="navbar-brand">Jeugdmonitor Huizen</span>')
    return f"""<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)} – Jeugdmonitor Huizen</title>
{stylesheet_links()}
</head><body>
<a class="visually-hidden-focusable skip-link" href="#inhoud">Direct naar de inhoud</a>
<header class="navbar navbar-dark bg-primary jm-navbar mb-4"><div class="container-fluid">
{brand}</div></header>
<main class="{main_class}" id="inhoud" tabindex="-1">
{main}
</main>
<footer class="jm-footer jm-plain-footer"><div class="container-fluid"><p class="small mb-0">
<a href="{STATEMENT_PATH}">{STATEMENT_LINK_TEXT}</a></p></div></footer>
</body></html>"""


def redirect_to(location: str, code: int = 302):
    """A redirect whose body (shown only by a client that does not follow it) is Dutch, not
    Werkzeug's English "Redirecting...": `flask.redirect` with that body."""
    from flask import redirect

    response = redirect(location, code)
    target = html.escape(location)
    response.set_data(f'<!DOCTYPE html>\n<html lang="nl"><head><meta charset="utf-8"><title>Doorsturen'
                      f'</title></head><body><p>U wordt doorgestuurd naar <a href="{target}">{target}</a>.'
                      f'</p></body></html>\n')
    return response
