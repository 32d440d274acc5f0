"""A chart of the slide model (dashboard/exports/slides.py) as a plotly figure for the browser's slide.

The figure has the size of its box on the 1280 × 720 stage and every text of it — names, values,
axis, legend, title — at the slide's one type size, the size of its table (dashboard/exports/slide_layout.py),
in Arial like the PowerPoint. It shows what the PowerPoint's native chart shows: bars carrying
their number (no value axis), or a line over the periods with the streefwaarde beside it; a point
without a value is left out, never drawn as a number. Static: nothing to hover or click on a
projected slide.
"""
from __future__ import annotations

import math

import plotly.graph_objects as go

from dashboard.exports import slide_layout as L
from dashboard.exports import waterfall
from dashboard.exports.slides import Chart
from dashboard.exports.text_metrics import width_in, wrap
from dashboard.ui import theme
from kpi import format as fmt

FONT = "Arial, 'Liberation Sans', Helvetica, sans-serif"
INK = "#111111"
COLORS = (theme.PRIMARY, theme.TARGET)


def _wrapped(text: str, width: float, size: float, bold: bool = False) -> str:
    return "<br>".join(wrap(text, width, size, bold) or [text])


def nice_ticks(top: float, count: int = 5) -> list[float]:
    """0 … a round number above `top`, in about `count` steps (1, 2 or 5 times a power of ten)."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    return [i * step for i in range(int(math.ceil(top / step)) + 1)]


def tick_text(value: float, eenheid: str, millions: bool) -> str:
    """An axis label as the PowerPoint's axis writes it (€ 12 mln, 10,0%, 40)."""
    if millions:
        return fmt.axis_label(value / fmt.MILLION, eenheid, 0, millions=True)
    return fmt.value(value, eenheid)


def figure(chart: Chart, box: L.Box, size: float, with_title: bool, plot: L.BarPlot | None = None) -> go.Figure:
    """`chart` in `box` (inches on the slide) with every text at `size` points; `plot` places the
    bars and ends their scale (slide_layout.bar_plot: the columns of a long list share one)."""
    font_px = L.pt_px(size)
    fig = go.Figure(layout=dict(
        template=theme.TEMPLATE, width=L.px(box.width), height=L.px(box.height),
        font=dict(family=FONT, size=font_px, color=INK), showlegend=len(chart.series) > 1,
        legend=dict(orientation="h", x=0.5, xanchor="center", y=0, yanchor="bottom", yref="container",
                    font=dict(size=font_px)),
        margin=dict(l=4, r=4, t=4, b=4)))
    if with_title:  # an annotation above the plot: plotly's own title misplaces a second line
        lines = wrap(chart.title, box.width, size, bold=True) or [chart.title]
        fig.add_annotation(text="<br>".join(lines), showarrow=False,  # bold as a font weight: plotly
                           xref="paper", x=0.5, xanchor="center", yref="paper", y=1, yanchor="bottom",
                           yshift=10, font=dict(size=font_px, weight="bold"))  # writes <b> as a style attribute
        fig.update_layout(margin_t=L.px(L.lines_height(len(lines), size)) + 18)
    if fig.layout.showlegend:
        fig.update_layout(margin_b=L.px(L.lines_height(1, size)) + 16)
    if chart.kind == "staaf":
        _bars(fig, chart, box, size, plot)
    elif chart.kind == "waterval":
        waterfall.draw(fig, chart, size)
    else:
        _line(fig, chart, box, size)
    return fig


def _bars(fig: go.Figure, chart: Chart, box: L.Box, size: float, plot: L.BarPlot | None) -> None:
    limit = L.category_label_width(chart, box)
    names = [_wrapped(c, limit, size) for c in chart.categories]
    peak = plot.top if plot else max((v for s in chart.series for v in s.values if v is not None), default=1) or 1
    texts = [s.text(i, chart.eenheid) or "" for s in chart.series for i in range(len(chart.categories))]
    label_px = L.px(max((width_in(t, size) for t in texts), default=0) * L.SLACK) + 8  # numbers after the bars
    for series, color in zip(chart.series, COLORS, strict=False):  # at most realisatie and streefwaarde
        fig.add_bar(y=names, x=list(series.values), orientation="h", name=series.name, marker_color=color,
                    text=[series.text(i, chart.eenheid) if v is not None else None
                          for i, v in enumerate(series.values)],
                    textposition="outside", cliponaxis=False, constraintext="none",
                    textfont=dict(size=L.pt_px(size), color=INK), hoverinfo="skip")
    fig.update_layout(barmode="group", bargap=0.25, bargroupgap=0.05, margin_r=label_px)
    if plot:  # the numbers fit inside the plot, which starts where the PowerPoint's does
        fig.update_layout(margin_l=L.px(plot.left), margin_r=L.px(box.width - plot.left - plot.width))
    fig.update_yaxes(autorange="reversed", type="category", categoryorder="array", categoryarray=names,
                     showgrid=False, ticks="", automargin=True)
    fig.update_xaxes(visible=False, range=[0, peak], fixedrange=True)
    if len(chart.series) > 1:  # the legend in the table's order: realisatie first
        fig.update_layout(legend_traceorder="normal")


def _line(fig: go.Figure, chart: Chart, box: L.Box, size: float) -> None:
    millions = fmt.in_millions(chart.eenheid, (v for s in chart.series for v in s.values))
    values = [v for s in chart.series for v in s.values if v is not None]
    ticks = nice_ticks(max(values, default=1))
    for number, (series, color) in enumerate(zip(chart.series, COLORS, strict=False)):  # realisatie, streefwaarde
        running = chart.running if number == 0 else ()
        # the line joins complete periods; the running one is an open dot apart (as on the screens)
        fig.add_scatter(x=list(chart.categories),
                        y=[None if c in running else v for c, v in zip(chart.categories, series.values, strict=True)],
                        name=series.name, mode="lines+markers", line=dict(color=color, width=3),
                        marker=dict(size=10, color=color), connectgaps=False, hoverinfo="skip")
        drawn = chart.running_drawn if number == 0 else ()
        if drawn:
            at = [chart.categories.index(c) for c in drawn]
            fig.add_scatter(x=list(drawn), y=[series.values[i] for i in at], mode="markers",
                            name=f"{series.name} tot nu toe", showlegend=len(chart.series) > 1,
                            marker=dict(size=12, symbol="circle-open", color=color, line=dict(width=3)),
                            hoverinfo="skip")
    texts = [tick_text(t, chart.eenheid, millions) for t in ticks]
    value_labels = max(width_in(t, size) for t in texts) * L.SLACK  # inches, left of the plot
    shown = period_ticks(chart.categories, box.width - 2 * value_labels, size)
    # "2026 (t/m september)" under its year on a second line: on one line it ran over 2025 and 2024
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=list(chart.categories),
                     tickvals=shown, ticktext=[c.replace(" (", "<br>(") for c in shown],
                     tickangle=0, ticks="", automargin=True, tickfont=dict(size=L.pt_px(size)))
    fig.update_layout(margin_t=max(fig.layout.margin.t, L.pt_px(size)))  # room for the top label
    fig.update_yaxes(range=[0, ticks[-1]], tickvals=ticks, ticktext=texts,
                     gridcolor="#D0D5DB", zeroline=False, automargin=True, tickfont=dict(size=L.pt_px(size)))
    # as much room on the right as the value labels take on the left: the plot, and the title
    # centred above it, stay in the middle of the box (the last period's label no longer pushes it)
    fig.update_layout(margin_r=max(fig.layout.margin.r, L.px(value_labels) + 8))


def period_ticks(categories, width: float, size: float) -> list[str]:
    """The periods labelled under a trend `width` inches wide: all when their labels (the first
    line) fit side by side, else every other one counted back from the last, which is always shown
    (eight years at a projector's type size ran into each other)."""
    labels = list(categories)
    needed = sum(width_in(c.split(" (")[0] + "  ", size) for c in labels) * L.SLACK
    if needed <= width:
        return labels
    return labels[::-1][::2][::-1]