"""The look: a slim plotly template, a colour-blind-safe palette, status colours.

Okabe–Ito colours stay distinguishable for the common colour-vision deficiencies; status is never
shown by colour alone (an icon and a word go with it). Dutch separators (decimal comma, thousands
dot) are set in the template so every axis and hover reads the Dutch way.

The screens' charts follow the chosen theme (THEMA, dashboard/theming): `template()` takes its font,
text and panel colours, `primary()` its chart colour. The exports (PDF, PowerPoint) keep the
constants below: they are documents of the programme, not pages of the gemeente's site.
"""
from __future__ import annotations

import functools
import json
from pathlib import Path

import plotly.graph_objects as go

from dashboard.theming.active_theme import current

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#8C6D1F", "#000000")
PRIMARY = "#0b4f8a"
MUTED = "#6c757d"
SUPPRESSED = "#adb5bd"
TARGET = "#D55E00"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"

TEMPLATE = go.layout.Template(layout=go.Layout(
    font=dict(family=FONT, size=14, color="#212529"),
    separators=",.",
    colorway=list(PALETTE),
    paper_bgcolor="white",
    plot_bgcolor="white",
    margin=dict(l=10, r=10, t=40, b=10),
    # Whole numbers with thousands dots (1.000.000), not SI suffixes like "1M".
    xaxis=dict(showgrid=False, linecolor="#ced4da", ticks="outside", tickcolor="#ced4da",
               automargin=True, exponentformat="none", separatethousands=True),
    yaxis=dict(gridcolor="#e9ecef", zeroline=False, automargin=True, exponentformat="none",
               separatethousands=True),
    hoverlabel=dict(font=dict(family=FONT)),
    legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0),
))



def primary() -> str:
    """The chosen theme's chart colour (its contrast on the panels is checked when it is built)."""
    return current().values["--basis-color-accent-1-color-default"]


def translucent(colour: str, alpha: float) -> str:
    """`#rrggbb` at `alpha` as rgba(): a band behind a line of that colour."""
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red}, {green}, {blue}, {alpha:g})"


def template() -> go.layout.Template:
    """TEMPLATE in the chosen theme's font, text colour and panel colour."""
    values = current().values
    return _themed_template(values["--basis-text-font-family-default"], values["--basis-color-default-color-document"],
                            values["--basis-color-default-bg-document"])


@functools.lru_cache(maxsize=4)
def _themed_template(font: str, text: str, panel: str) -> go.layout.Template:
    themed = go.layout.Template(TEMPLATE)
    themed.layout.font = dict(family=font, size=14, color=text)
    themed.layout.hoverlabel = dict(font=dict(family=font))
    themed.layout.paper_bgcolor = panel
    themed.layout.plot_bgcolor = panel
    return themed


# Strings plotly.js 4 shows that the upstream Dutch locale lacks or misspells.
LOCALE_OVERRIDES = {
    "Download plot as a PNG": "Grafiek downloaden als PNG",
    "Download plot": "Grafiek downloaden",
    "Zoom": "Zoomen",
    "Pan": "Verschuiven",
    "Zoom in": "Inzoomen",
    "Zoom out": "Uitzoomen",
    "Reset axes": "Assen herstellen",
    "Autoscale": "Automatisch schalen",
}


@functools.cache
def _dutch_locale() -> dict:
    """plotly.js's Dutch locale (plotly.js-locales 3.7.0, MIT) plus our overrides, shipped with every
    graph's config: registering it globally races with plotly's asynchronous loading."""
    locale = json.loads((Path(__file__).with_name("plotly_locale_nl.json")).read_text(encoding="utf-8"))
    locale["dictionary"].update(LOCALE_OVERRIDES)
    return locale


def graph_config() -> dict:
    return {"locale": "nl", "locales": {"nl": _dutch_locale()}, "displaylogo": False,
            "responsive": True,
            # no chart zoom: "Inzoomen" means one thing in this product, the drill-down into a group
            "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "zoom2d", "zoomIn2d", "zoomOut2d",
                                       "pan2d", "resetScale2d", "sendDataToCloud", "sendChartToCloud"],
            "showSendToCloud": False, "showEditInChartStudio": False,
            "toImageButtonOptions": {"format": "png", "scale": 2}}
