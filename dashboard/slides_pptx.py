"""The slide model (dashboard/slides.py) as a PowerPoint file, with python-pptx.

One pptx slide per presentation slide, 16:9. Titles sit in the title placeholder (outline and screen
readers find them), tables are native tables, charts are native chart objects with their data
behind them (editable in PowerPoint), speaker notes say what the numbers mean, and a small text box
at the bottom of every slide gives source and data date. Dark text on white, large type: readable
at 1280×720 on a projector.

Number formats: OOXML stores format codes in the invariant (en-US) notation — `,` groups thousands,
`.` separates decimals — and PowerPoint and Excel show them with the reader's separators, so a Dutch
Office shows `#,##0.0` as 1.234,5 (in its own notation `#.##0,0`). Writing `#.##0` into the file
would mean three optional decimals instead.

    python -m dashboard.slides_pptx --jaar 2025 --uit presentatie.pptx [--db URL]
"""
from __future__ import annotations

import io
import math

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.lang import MSO_LANGUAGE_ID
from pptx.enum.shapes import MSO_CONNECTOR
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from dashboard.slides import Cell, Chart, Deck, Slide, Table
from kpi import format as fmt

SLIDE_WIDTH, SLIDE_HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.6)
CONTENT_TOP = Inches(1.55)
FOOTER_TOP = Inches(6.95)
CONTENT_BOTTOM = Inches(6.8)

INK = RGBColor(0x11, 0x11, 0x11)
TITLE_INK = RGBColor(0x0B, 0x2F, 0x55)
MUTED_INK = RGBColor(0x44, 0x44, 0x44)
PRIMARY = RGBColor(0x0B, 0x4F, 0x8A)
TARGET = RGBColor(0xD5, 0x5E, 0x00)      # the screens' streefwaarde colour (Okabe–Ito vermillion)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
BAND = RGBColor(0xEE, 0xF1, 0xF5)
# Status: a symbol and a word, never colour alone (colours of the screens' status badges).
STATUS_STYLE = {
    "op_koers": ("✔", RGBColor(0x14, 0x6C, 0x2E)),
    "aandacht": ("▲", RGBColor(0x8A, 0x53, 0x00)),
    "achter": ("✖", RGBColor(0xB0, 0x2A, 0x37)),
}
NO_STATUS_INK = RGBColor(0x5C, 0x63, 0x6A)

LAYOUT_TITLE, LAYOUT_TITLE_ONLY = 0, 5   # of python-pptx's default template


def number_format(eenheid: str, scale_millions: bool = False) -> str:
    """An OOXML number format code for a unit (invariant notation, see the module docstring)."""
    decimals = fmt.DECIMALS.get(eenheid, 1)
    digits = "#,##0" + ("." + "0" * decimals if decimals else "")
    if eenheid == "€":
        return '"€ "#,##0.0,," mln"' if scale_millions else f'"€ "{digits}'
    if eenheid == "%":
        return digits + '"%"'   # quoted: a bare % would multiply by 100
    return digits


# --- text ---------------------------------------------------------------------------------

def _style(run, size: float, color: RGBColor = INK, bold: bool = False) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = color
    run.font.language_id = MSO_LANGUAGE_ID.DUTCH


def _set_text(frame, text: str, size: float, color: RGBColor = INK, bold: bool = False,
              align=PP_ALIGN.LEFT) -> None:
    frame.text = text
    paragraph = frame.paragraphs[0]
    paragraph.alignment = align
    for run in paragraph.runs:
        _style(run, size, color, bold)


def _text_box(slide, left, top, width, height, text: str, size: float, color: RGBColor = INK,
              align=PP_ALIGN.LEFT):
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    frame.margin_left = frame.margin_right = 0
    _set_text(frame, text, size, color, align=align)
    return box


def _title(slide, text: str, top, height, size: float) -> None:
    shape = slide.shapes.title
    shape.left, shape.top, shape.width, shape.height = MARGIN, top, SLIDE_WIDTH - 2 * MARGIN, height
    frame = shape.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = MSO_ANCHOR.BOTTOM
    _set_text(frame, text, size, TITLE_INK, bold=True)


def _footer(slide, footer: str, number: int, total: int) -> None:
    line = slide.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, MARGIN, FOOTER_TOP, SLIDE_WIDTH - MARGIN, FOOTER_TOP)
    line.line.color.rgb = PRIMARY
    line.line.width = Pt(1.5)
    width = SLIDE_WIDTH - 2 * MARGIN
    _text_box(slide, MARGIN, FOOTER_TOP + Inches(0.05), width - Inches(2), Inches(0.4), footer, 14, MUTED_INK)
    _text_box(slide, SLIDE_WIDTH - MARGIN - Inches(2), FOOTER_TOP + Inches(0.05), Inches(2), Inches(0.4),
              f"Dia {number} van {total}", 14, MUTED_INK, align=PP_ALIGN.RIGHT)


# --- tables -------------------------------------------------------------------------------

def _text_inches(text: str, size: float) -> float:
    """Rough width of a line of text (a Calibri glyph averages ≈ 0.47 em): enough to size columns
    and type; PowerPoint wraps what is longer."""
    return len(text) * size * 0.47 / 72


def _cell_text(cell: Cell) -> str:
    if cell.kind == "status":
        return f"{STATUS_STYLE[cell.status.code][0]} {cell.text}" if cell.status else cell.text
    return cell.text


def _is_flexible(table: Table, index: int) -> bool:
    """Text columns may wrap; numbers and statuses keep one line."""
    return index == 0 or (not table.columns[index].numeric
                          and all(row[index].kind == "text" for row in table.rows))


def _layout_table(table: Table, width_in: float, height_in: float) -> tuple[float, list[float], list[float]]:
    """The largest type at which the table fits, its column widths and its row heights: numbers
    and statuses get the width they need, the text columns share the rest (and may wrap), and
    the height left over is spread over the rows (up to a line each), so a short table reads big."""
    pad, margin = 0.25, 0.12
    count = len(table.columns)
    for size in (24, 22, 20, 18, 16, 14, 13, 12):
        longest = [max(_text_inches(t, size) for t in [table.columns[i].label] +
                       [_cell_text(row[i]) for row in table.rows]) + pad for i in range(count)]
        flexible = [i for i in range(count) if _is_flexible(table, i)]
        free = width_in - sum(longest[i] for i in range(count) if i not in flexible)
        share = sum(longest[i] for i in flexible)
        widths = [free * longest[i] / share if i in flexible else longest[i] for i in range(count)]
        if min(widths[i] for i in flexible) < min(2.6, longest[0]):
            continue
        line = size * 1.2 / 72
        lines = [1] + [max(max(1, math.ceil((_text_inches(row[i].text, size) + pad) / widths[i])) for i in flexible)
                       for row in table.rows]
        heights = [n * line + margin for n in lines]
        if max(heights) * len(heights) <= height_in:  # even rows when they fit
            even = min(height_in / len(heights), max(heights) + line)
            return size, widths, [even] * len(heights)
        if sum(heights) <= height_in:
            extra = min(line, (height_in - sum(heights)) / len(heights))
            return size, widths, [h + extra for h in heights]
    return 12, [width_in - 1.4 * (count - 1)] + [1.4] * (count - 1), [12 * 1.2 / 72 + margin] * (len(table.rows) + 1)


def _fill_cell(cell, text: str, size: float, color: RGBColor, fill: RGBColor, bold=False,
               align=PP_ALIGN.LEFT) -> None:
    cell.fill.solid()
    cell.fill.fore_color.rgb = fill
    cell.margin_left = cell.margin_right = Inches(0.1)
    cell.margin_top = cell.margin_bottom = Inches(0.04)
    cell.vertical_anchor = MSO_ANCHOR.MIDDLE
    _set_text(cell.text_frame, text, size, color, bold, align)


def add_table(slide, table: Table, left, top, width, height) -> None:
    size, widths, heights = _layout_table(table, Emu(width).inches, Emu(height).inches)
    shape = slide.shapes.add_table(len(table.rows) + 1, len(table.columns), left, top, width,
                                   Inches(0.3) * (len(table.rows) + 1))
    grid = shape.table
    grid.first_row = True
    grid.horz_banding = False
    for index, inches in enumerate(widths):
        grid.columns[index].width = Inches(inches)
    for row, inches in zip(grid.rows, heights):
        row.height = Inches(inches)
    for col, column in enumerate(table.columns):
        _fill_cell(grid.cell(0, col), column.label, size, WHITE, TITLE_INK, bold=True,
                   align=PP_ALIGN.RIGHT if column.numeric else PP_ALIGN.LEFT)
    for r, row in enumerate(table.rows, start=1):
        fill = BAND if r % 2 == 0 else WHITE
        for col, (cell, column) in enumerate(zip(row, table.columns)):
            color, bold = INK, col == 0
            if cell.kind == "status":
                color = STATUS_STYLE[cell.status.code][1] if cell.status else NO_STATUS_INK
                bold = cell.status is not None
            _fill_cell(grid.cell(r, col), _cell_text(cell), size, color, fill, bold,
                       PP_ALIGN.RIGHT if column.numeric else PP_ALIGN.LEFT)


# --- charts -------------------------------------------------------------------------------

def chart_data(chart: Chart) -> CategoryChartData:
    """The numbers behind the chart (also in its embedded workbook); a None value stays an empty
    point, so a suppressed value never appears as a number."""
    large = chart.eenheid == "€" and any(v is not None and abs(v) >= 1e6 for s in chart.series for v in s.values)
    data = CategoryChartData(number_format=number_format(chart.eenheid, scale_millions=large))
    data.categories = chart.categories
    for series in chart.series:
        data.add_series(series.name, series.values)
    return data


def add_chart(slide, chart: Chart, left, top, width, height) -> None:
    data = chart_data(chart)
    kind = XL_CHART_TYPE.BAR_CLUSTERED if chart.kind == "staaf" else XL_CHART_TYPE.LINE_MARKERS
    graphic = slide.shapes.add_chart(kind, left, top, width, height, data)
    graphic.name = chart.title
    graphic._element.nvGraphicFramePr.cNvPr.set("descr", chart.summary)  # alt text: no API for it
    plot_chart = graphic.chart
    plot_chart.font.size = Pt(14)
    plot_chart.font.color.rgb = INK
    plot_chart.has_title = True
    _set_text(plot_chart.chart_title.text_frame, chart.title, 16, INK, bold=True)
    plot_chart.has_legend = True
    plot_chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    plot_chart.legend.include_in_layout = False
    plot_chart.legend.font.size = Pt(14)
    plot = plot_chart.plots[0]
    colors = (PRIMARY, TARGET)
    for series, color in zip(plot.series, colors):
        if chart.kind == "staaf":
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = color
        else:
            series.format.line.color.rgb = color
            series.format.line.width = Pt(3)
            series.smooth = False
            series.marker.style = XL_MARKER_STYLE.CIRCLE
            series.marker.size = 9
            series.marker.format.fill.solid()
            series.marker.format.fill.fore_color.rgb = color
            series.marker.format.line.color.rgb = color
    categories = plot_chart.category_axis
    categories.tick_labels.font.size = Pt(14)
    categories.has_major_gridlines = False
    values = plot_chart.value_axis
    values.minimum_scale = 0
    values.tick_labels.number_format = data.number_format.replace("0.0,,", "0,,")  # € 12 mln on the axis
    values.tick_labels.number_format_is_linked = False
    if chart.kind == "staaf":
        # Bars carry their number; no value axis needed. First category on top, as in the table.
        plot.gap_width = 60
        plot.overlap = -10
        categories.reverse_order = True
        values.visible = False
        values.has_major_gridlines = False
        plot.has_data_labels = True
        labels = plot.data_labels
        labels.number_format = data.number_format
        labels.number_format_is_linked = False
        labels.position = XL_LABEL_POSITION.OUTSIDE_END
        labels.font.size = Pt(14)
        labels.font.color.rgb = INK
    else:
        values.has_major_gridlines = True
        values.major_gridlines.format.line.color.rgb = RGBColor(0xD0, 0xD5, 0xDB)
        values.tick_labels.font.size = Pt(14)


# --- slides -------------------------------------------------------------------------------

def _title_slide(prs, slide: Slide):
    page = prs.slides.add_slide(prs.slide_layouts[LAYOUT_TITLE])
    _title(page, slide.title, Inches(1.4), Inches(1.6), 48)
    subtitle = page.placeholders[1]
    subtitle.left, subtitle.top = MARGIN, Inches(3.3)
    subtitle.width, subtitle.height = SLIDE_WIDTH - 2 * MARGIN, Inches(3.0)
    frame = subtitle.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = MSO_ANCHOR.TOP
    sizes = {"lead": (36, INK, True), "plain": (28, INK, False), "secondary": (24, MUTED_INK, False)}
    for index, paragraph in enumerate(slide.paragraphs):
        target = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        target.alignment = PP_ALIGN.LEFT
        target.space_after = Pt(12)
        run = target.add_run()
        run.text = paragraph.text
        _style(run, *sizes[paragraph.role])
    return page


def _content_slide(prs, slide: Slide):
    page = prs.slides.add_slide(prs.slide_layouts[LAYOUT_TITLE_ONLY])
    _title(page, slide.title, Inches(0.3), Inches(1.1), 32)
    width = SLIDE_WIDTH - 2 * MARGIN
    height = CONTENT_BOTTOM - CONTENT_TOP
    table_width = width
    if slide.chart is not None:
        chart_width = Inches(4.3)
        table_width = width - chart_width - Inches(0.3)
        add_chart(page, slide.chart, SLIDE_WIDTH - MARGIN - chart_width, CONTENT_TOP, chart_width, height)
    if slide.table is not None:
        add_table(page, slide.table, MARGIN, CONTENT_TOP, table_width, height)
    return page


def render(deck: Deck) -> bytes:
    """The deck as .pptx bytes."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    prs.core_properties.title = f"Programmaplan Jeugd 2025–2028 – voortgang {deck.jaar}"
    prs.core_properties.author = "Jeugdmonitor Huizen"
    prs.core_properties.language = "nl-NL"
    total = len(deck.slides)
    for number, slide in enumerate(deck.slides, start=1):
        page = _title_slide(prs, slide) if slide.kind == "titel" else _content_slide(prs, slide)
        _footer(page, deck.footer, number, total)
        page.notes_slide.notes_text_frame.text = "\n".join(slide.notes)
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


def filename(jaar: int) -> str:
    return f"jeugdmonitor_presentatie_{jaar}.pptx"


if __name__ == "__main__":  # python -m dashboard.slides_pptx: the command line lives in slides_cli
    import sys

    from dashboard.slides_cli import main

    sys.exit(main())
