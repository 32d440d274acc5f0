"""The look: a slim plotly template, a colour-blind-safe palette, status colours.

Okabe–Ito colours stay distinguishable for the common colour-vision deficiencies; status is never
shown by colour alone (an icon and a word go with it). Dutch separators (decimal comma, thousands
dot) are set in the template so every axis and hover reads the Dutch way.
"""
from __future__ import annotations

import plotly.graph_objects as go

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#8C6D1F", "#000000")
PRIMARY = "#0b4f8a"
MUTED = "#6c757d"
SUPPRESSED = "#adb5bd"
TARGET = "#D55E00"
BENCHMARK = "#6c757d"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"

TEMPLATE = go.layout.Template(layout=go.Layout(
    font=dict(family=FONT, size=14, color="#212529"),
    separators=",.",
    colorway=list(PALETTE),
    paper_bgcolor="white",
    plot_bgcolor="white",
    margin=dict(l=10, r=10, t=40, b=10),
    xaxis=dict(showgrid=False, linecolor="#ced4da", ticks="outside", tickcolor="#ced4da",
               automargin=True),
    yaxis=dict(gridcolor="#e9ecef", zeroline=False, automargin=True),
    hoverlabel=dict(font=dict(family=FONT)),
    legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0),
))

GRAPH_CONFIG = {"locale": "nl", "displaylogo": False, "responsive": True,
                "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
                "toImageButtonOptions": {"format": "png", "scale": 2}}
