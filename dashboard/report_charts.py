"""Charts of the PDF report: one figure per strategische lijn (a small panel per indicator:
realisatie against the planned path from nulmeting to the streefwaarden), drawn as SVG.

The SVG comes from plotly through kaleido, driven by the system's Chromium — never a downloaded
browser: the path is given explicitly (BROWSER_PATH, else `chromium` on PATH), MathJax is off
(kaleido would fetch it from a CDN) and plotly.js is the copy inside the plotly package. Without a
browser, or when drawing fails, `render_svgs` says why and the report shows the tables alone.
"""
from __future__ import annotations

import asyncio
import logging
import math
import os
import shutil
import textwrap
import threading
from dataclasses import dataclass

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard import theme
from dashboard.report_content import PROGRAMME_YEARS, IndicatorLine, LijnSection

log = logging.getLogger(__name__)

COLUMNS = 3
WIDTH = 760          # px; the PDF scales it to the text width (17 cm), so 12 px text reads ~8 pt
PANEL_HEIGHT = 165
REALISATIE = theme.PRIMARY
STREEF = theme.TARGET
REPORT_FONT = "Liberation Sans, DejaVu Sans, Arial, sans-serif"  # local fonts only
# One browser at a time per process: a Chromium takes a few hundred MB and a core while it draws.
_BROWSER_LOCK = threading.Lock()


def chromium_path() -> str | None:
    """The browser kaleido may use: BROWSER_PATH when set, else Debian's chromium on PATH."""
    explicit = os.environ.get("BROWSER_PATH")
    if explicit:
        return explicit if os.path.isfile(explicit) else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _scale(ind: IndicatorLine) -> float:
    """Large amounts are drawn in millions, so the axis reads "€ 15 mln" and the panel stays wide."""
    values = [v for v in list(ind.realisaties.values()) + list(ind.streefwaarden.values()) if v is not None]
    return 1e6 if ind.eenheid == "€" and values and max(abs(v) for v in values) >= 1e6 else 1.0


def _axis_format(eenheid: str, scale: float) -> dict:
    if eenheid == "€":
        return dict(tickprefix="€ ", ticksuffix=" mln" if scale != 1 else "")
    if eenheid == "%":
        return dict(ticksuffix="%")
    return {}


def _panel_title(ind: IndicatorLine) -> str:
    return "<br>".join(textwrap.wrap(ind.naam, 34)[:2])


def lijn_figure(section: LijnSection) -> go.Figure | None:
    """Small multiples, one panel per indicator; None when the lijn has no indicators."""
    indicators = section.indicatoren
    if not indicators:
        return None
    rows = math.ceil(len(indicators) / COLUMNS)
    fig = make_subplots(rows=rows, cols=COLUMNS, subplot_titles=[_panel_title(i) for i in indicators],
                        horizontal_spacing=0.09, vertical_spacing=0.5 / rows if rows > 1 else 0.1)
    years = [str(y) for y in PROGRAMME_YEARS]
    for index, ind in enumerate(indicators):
        row, col = index // COLUMNS + 1, index % COLUMNS + 1
        path = dict(ind.streefwaarden)
        if ind.nulmeting:
            path[ind.nulmeting[0]] = ind.nulmeting[1]
        path = dict(sorted(path.items()))
        scale = _scale(ind)
        fig.add_scatter(x=[str(y) for y in path], y=[v / scale for v in path.values()], mode="lines+markers",
                        name="nulmeting en streefwaarden", legendgroup="streef", showlegend=index == 0,
                        line=dict(color=STREEF, width=1.5, dash="dash"),
                        marker=dict(symbol="diamond", size=7, color=STREEF), row=row, col=col)
        known = {y: v for y, v in ind.realisaties.items() if v is not None}
        fig.add_scatter(x=[str(y) for y in known], y=[v / scale for v in known.values()], mode="lines+markers",
                        name="realisatie", legendgroup="real", showlegend=index == 0,
                        line=dict(color=REALISATIE, width=2.5), marker=dict(size=7),
                        row=row, col=col)
        fig.update_xaxes(type="category", categoryorder="array", categoryarray=years, row=row, col=col)
        fig.update_yaxes(rangemode="tozero" if ind.eenheid != "cijfer" else "normal",
                         nticks=4, **_axis_format(ind.eenheid, scale), row=row, col=col)
    fig.update_annotations(font=dict(size=12))
    fig.update_layout(template=theme.TEMPLATE, width=WIDTH, height=60 + PANEL_HEIGHT * rows,
                      font=dict(family=REPORT_FONT, size=11, color="#212529"),
                      margin=dict(l=10, r=10, t=70, b=10),
                      legend=dict(orientation="h", x=0, xanchor="left", y=1.0, yanchor="top",
                                  yref="container", font=dict(size=12)))
    return fig


@dataclass(frozen=True)
class Drawn:
    svgs: list[bytes | None]    # per figure; None where there was no figure
    reden: str | None           # why charts are missing (Dutch), None when all were drawn


async def _draw(figures: list[go.Figure], browser: str) -> list[bytes]:
    import kaleido

    out = []
    # one browser for all figures; mathjax=False: no CDN, plotly.js from the plotly package
    async with kaleido.Kaleido(path=browser, mathjax=False, n=1, timeout=60) as k:
        for fig in figures:
            out.append(await k.calc_fig(fig, opts={"format": "svg", "width": fig.layout.width,
                                                   "height": fig.layout.height}))
    return out


def render_svgs(figures: list[go.Figure | None], use_browser: bool = True) -> Drawn:
    present = [f for f in figures if f is not None]
    if not present:
        return Drawn([None] * len(figures), None)
    if not use_browser:
        return Drawn([None] * len(figures), "Grafieken zijn op verzoek weggelaten. De cijfers staan "
                                            "in de tabellen.")
    browser = chromium_path()
    if browser is None:
        return Drawn([None] * len(figures),
                     "Grafieken zijn niet getekend: op deze server is geen browser (Chromium) "
                     "beschikbaar om ze te maken. De cijfers staan in de tabellen.")
    try:
        with _BROWSER_LOCK:
            drawn = iter(asyncio.run(_draw(present, browser)))
    except Exception as exc:  # noqa: BLE001 — the report must still come out, with the tables
        log.warning("grafieken tekenen mislukt: %s: %s", type(exc).__name__, exc)
        return Drawn([None] * len(figures),
                     "Grafieken zijn niet getekend: het tekenen is mislukt. De cijfers staan in "
                     "de tabellen.")
    return Drawn([next(drawn) if f is not None else None for f in figures], None)
