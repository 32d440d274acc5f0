"""A waterfall chart of the slide model (Chart of kind "waterval": the first and the last category
are totals, the categories between are the changes from one to the other) in the two renderers of
the presentation: a static plotly figure for the browser's slide (dashboard/exports/slide_figures.py
calls `draw`) and a native PowerPoint chart (dashboard/exports/slides_pptx.py calls `pptx_chart_data`
and `style_pptx_chart`).

Both draw the same bars on the same axis (dashboard/programme/growth.py: `value_axis`): a total
from zero, a change floating between the level before it and the level after it; a rise in
vermillion, a fall in bluish green, totals in the theme's blue, and every bar with its amount and
sign written above it, so colour is never the only cue. Like the slides' bar charts they have no
value axis: the bars carry their amounts, and when the axis does not start at zero the chart's
title says where it starts. PowerPoint has a native waterfall only in
its newest chart format, which python-pptx cannot write and LibreOffice cannot read; the classic
way is a stacked column chart whose first series, the base, is not drawn.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from dashboard.exports import slide_layout as L
from dashboard.exports.slide_model import Chart
from dashboard.programme.growth import Axis, value_axis
from dashboard.ui import theme
from kpi import format as fmt

if TYPE_CHECKING:
    from pptx.chart.data import CategoryChartData

TOTAL, RISE, FALL = theme.PRIMARY, theme.TARGET, "#009E73"
INK = "#111111"
LABEL_ROOM = 0.09   # of the axis: the room above a bar for its amount


def bars(chart: Chart) -> list[tuple[float, float, str]]:
    """(bottom, top, kind) of each bar, in euros; kind "totaal", "stijging" or "daling"."""
    values = chart.series[0].values
    found, level = [], 0.0
    for index, value in enumerate(values):
        value = value or 0.0
        if index in (0, len(values) - 1):
            level = value
            found.append((min(0.0, value), max(0.0, value), "totaal"))
        else:
            after = level + value
            found.append((min(level, after), max(level, after), "stijging" if value > 0 else "daling"))
            level = after
    return found


def axis_of(chart: Chart) -> Axis:
    return value_axis([(bottom, top) for bottom, top, _ in bars(chart)])


def _color(kind: str) -> str:
    return {"totaal": TOTAL, "stijging": RISE, "daling": FALL}[kind]


# --- the browser's slide (plotly) ------------------------------------------------------------------

def draw(fig, chart: Chart, size: float) -> None:
    """Add the waterfall to a figure laid out by slide_figures.figure (`size`: the slide's points)."""
    found = bars(chart)
    axis = axis_of(chart)
    texts = [chart.series[0].text(i, chart.eenheid) or "" for i in range(len(chart.categories))]
    # a bar starts at the axis at the lowest: the amounts above the bars are drawn outside the plot
    # (cliponaxis off), so a total's part below a raised axis would be drawn too, off the slide
    bases = [max(bottom, axis.low) for bottom, _, _ in found]
    fig.add_bar(x=list(chart.categories), y=[top - base for base, (_, top, _) in zip(bases, found, strict=True)],
                base=bases, marker_color=[_color(kind) for _, _, kind in found],
                text=texts, textposition="outside", cliponaxis=False, constraintext="none",
                textfont=dict(size=L.pt_px(size), color=INK), hoverinfo="skip", name=chart.series[0].name)
    fig.update_layout(bargap=0.3, showlegend=False)
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=list(chart.categories), tickangle=0,
                     ticks="", automargin=True, tickfont=dict(size=L.pt_px(size)))
    # the bars carry their amounts: no value axis (the title says where it starts when not at zero)
    fig.update_yaxes(visible=False, range=[axis.low, _top(found, axis)], fixedrange=True)


def _top(found, axis: Axis) -> float:
    """The axis's end, with room above the highest bar for its amount."""
    return max(axis.high, max(top for _, top, _ in found) + LABEL_ROOM * (axis.high - axis.low) * 1.2)


# --- the PowerPoint (a stacked column chart, its base not drawn) -----------------------------------

def series_values(chart: Chart) -> dict[str, tuple[float | None, ...]]:
    """The chart's data in PowerPoint: the invisible base, the totals, the rises and the falls
    (each bar's height), and the room above each bar where its amount is written."""
    found = bars(chart)
    axis = axis_of(chart)
    room = LABEL_ROOM * (axis.high - axis.low)
    return {
        "Basis (niet getekend)": tuple(0.0 if kind == "totaal" else bottom for bottom, _, kind in found),
        "Kosten": tuple(top - bottom if kind == "totaal" else None for bottom, top, kind in found),
        "Stijging": tuple(top - bottom if kind == "stijging" else None for bottom, top, kind in found),
        "Daling": tuple(top - bottom if kind == "daling" else None for bottom, top, kind in found),
        "Ruimte voor het bedrag (niet getekend)": tuple(room for _ in found),
    }


def _font(font, size: float, bold: bool = False) -> None:
    """Arial at the slide's size, as every run of the PowerPoint (dashboard/exports/slides_pptx.py)."""
    from pptx.dml.color import RGBColor
    from pptx.util import Pt

    font.name = "Arial"
    font.size = Pt(size)
    font.bold = bold
    font.color.rgb = RGBColor.from_string(INK.lstrip("#"))


def pptx_chart_data(chart: Chart) -> CategoryChartData:
    """The waterfall's series for a native stacked column chart (dashboard/exports/slides_pptx.py
    makes the chart, its title and alt text as for every chart, then calls `style_pptx_chart`).
    python-pptx is imported here and below, not with the module: the screens draw the waterfall
    with plotly and need not load it."""
    from pptx.chart.data import CategoryChartData

    axis = axis_of(chart)
    millions = fmt.in_millions(chart.eenheid, axis.ticks)
    data = CategoryChartData(number_format=fmt.excel_format(chart.eenheid, millions=millions))
    data.categories = chart.categories
    for name, points in series_values(chart).items():
        data.add_series(name, points)
    return data


def style_pptx_chart(plot_chart, chart: Chart, size: float) -> None:
    """The stacked columns as a waterfall: the base series not drawn, the steps coloured, the
    amounts on the bars, every text at `size` points."""
    from pptx.dml.color import RGBColor
    from pptx.enum.chart import XL_LABEL_POSITION

    found = bars(chart)
    axis = axis_of(chart)
    plot_chart.has_legend = False
    plot = plot_chart.plots[0]
    plot.gap_width = 50
    plot.overlap = 100
    hidden = (0, len(plot.series) - 1)
    for index, series in enumerate(plot.series):
        if index in hidden:
            series.format.fill.background()
            series.format.line.fill.background()
            continue
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = RGBColor.from_string((TOTAL, RISE, FALL)[index - 1].lstrip("#"))
    labels = plot.series[-1]
    for index, text in enumerate(chart.series[0].texts or ()):
        label = labels.points[index].data_label
        label.position = XL_LABEL_POSITION.CENTER
        label.text_frame.text = text
        for run in label.text_frame.paragraphs[0].runs:
            _font(run.font, size)
    amounts = plot_chart.value_axis
    amounts.minimum_scale = axis.low
    amounts.maximum_scale = _top(found, axis)
    amounts.visible = False   # the bars carry their amounts (the title says where the axis starts)
    amounts.has_major_gridlines = False
    categories = plot_chart.category_axis
    categories.has_major_gridlines = False
    _font(categories.tick_labels.font, size)
