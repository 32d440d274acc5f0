"""The slide model (dashboard/exports/slides.py) as a PowerPoint file, with python-pptx.

One pptx slide per presentation slide — the fixed slides and the explorer views added to the
presentation — 16:9, laid out by dashboard/exports/slide_layout.py exactly as the browser lays them out.
Titles sit in the title placeholder (outline and screen readers find them), tables are native
tables, charts are native chart objects with their data behind them (editable in PowerPoint),
speaker notes say what the numbers mean, and the footer gives source, data date (and the stand)
with the slide number as a field, so it stays right when slides are moved.

Every text is Arial: present wherever the file is opened (LibreOffice maps it to the
metric-compatible Liberation Sans), so the widths the layout measured are the widths drawn.

Number formats: OOXML stores format codes in the invariant (en-US) notation — `,` groups thousands,
`.` separates decimals — and PowerPoint and Excel show them with the reader's separators, so a Dutch
Office shows `#,##0.0` as 1.234,5 (in its own notation `#.##0,0`). Writing `#.##0` into the file
would mean three optional decimals instead. Each code carries the Dutch language tag `[$-413]`, so
LibreOffice too writes `8,0` whatever language it runs in. The codes come from the unit
(kpi.format.excel_format), as a spreadsheet's do.

    python -m dashboard.exports.slides_pptx --jaar 2025 --uit presentatie.pptx [--db URL]
"""
from __future__ import annotations

import io
import re
import uuid

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.lang import MSO_LANGUAGE_ID
from pptx.enum.shapes import MSO_CONNECTOR
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls
from pptx.util import Inches, Pt

from dashboard.exports import slide_layout as L
from dashboard.exports import waterfall
from dashboard.exports.slides import Chart, Deck, Slide, Table
from kpi import format as fmt

FONT = "Arial"
SLIDE_WIDTH, SLIDE_HEIGHT = Inches(L.SLIDE_WIDTH), Inches(L.SLIDE_HEIGHT)

INK = RGBColor(0x11, 0x11, 0x11)
TITLE_INK = RGBColor(0x0B, 0x2F, 0x55)
MUTED_INK = RGBColor(0x44, 0x44, 0x44)
PRIMARY = RGBColor(0x0B, 0x4F, 0x8A)
RUNNING_FILL = RGBColor(0x9D, 0xB9, 0xD0)  # PRIMARY lightened: the running period's dot
TARGET = RGBColor(0xD5, 0x5E, 0x00)      # the screens' streefwaarde colour (Okabe–Ito vermillion)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
BAND = RGBColor(0xEE, 0xF1, 0xF5)
WARNING_INK = RGBColor(0x66, 0x4D, 0x03)
# Status: a mark and a word, never colour alone (colours of the screens' status badges).
STATUS_INK = {"op_koers": RGBColor(0x14, 0x6C, 0x2E), "aandacht": RGBColor(0x8A, 0x53, 0x00),
              "achter": RGBColor(0xB0, 0x2A, 0x37)}
NO_STATUS_INK = RGBColor(0x5C, 0x63, 0x6A)

LAYOUT_TITLE, LAYOUT_TITLE_ONLY = 0, 5   # of python-pptx's default template


def _box(box: L.Box):
    return Inches(box.left), Inches(box.top), Inches(box.width), Inches(box.height)


# --- text ---------------------------------------------------------------------------------

def _font(font, size: float, color: RGBColor = INK, bold: bool = False) -> None:
    font.name = FONT
    font.size = Pt(size)
    font.bold = bold
    font.color.rgb = color


def _style(run, size: float, color: RGBColor = INK, bold: bool = False) -> None:
    _font(run.font, size, color, bold)
    run.font.language_id = MSO_LANGUAGE_ID.DUTCH


def _set_text(frame, text: str, size: float, color: RGBColor = INK, bold: bool = False,
              align=PP_ALIGN.LEFT) -> None:
    frame.text = text
    paragraph = frame.paragraphs[0]
    paragraph.alignment = align
    for run in paragraph.runs:
        _style(run, size, color, bold)


MINUS = re.compile(r"(?<![\w-])-(?=\d)")  # a minus before a number: "€ -182.758", "(-7,6%)"; not 06-01-2025


def _text_box(slide, box: L.Box, text: str, size: float, color: RGBColor = INK, align=PP_ALIGN.LEFT,
              bold: bool = False):
    shape = slide.shapes.add_textbox(*_box(box))
    frame = shape.text_frame
    frame.word_wrap = True
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
    # LibreOffice and PowerPoint break a line after a hyphen-minus, also before a digit ("volume € -"
    # ended a line, "182.758" began the next): a minus is a no-break hyphen, the same glyph and width
    _set_text(frame, MINUS.sub("\u2011", text), size, color, bold, align)
    return shape


def _title(slide, text: str, box: L.Box, size: float) -> None:
    shape = slide.shapes.title
    shape.left, shape.top, shape.width, shape.height = _box(box)
    frame = shape.text_frame
    frame.word_wrap = True
    frame.margin_left = frame.margin_right = 0
    frame.vertical_anchor = MSO_ANCHOR.BOTTOM
    _set_text(frame, text, size, TITLE_INK, bold=True)


def _slide_number(paragraph, number: int, size: float) -> None:
    """A slide-number field: PowerPoint and LibreOffice fill in the slide's own number."""
    field = parse_xml(
        f'<a:fld {nsdecls("a")} id="{{{str(uuid.uuid4()).upper()}}}" type="slidenum">'
        f'<a:rPr lang="nl-NL" sz="{int(size * 100)}"><a:solidFill><a:srgbClr val="{MUTED_INK}"/></a:solidFill>'
        f'<a:latin typeface="{FONT}"/></a:rPr><a:t>{number}</a:t></a:fld>')
    paragraph.runs[-1]._r.addnext(field)


def _footer(slide, footer: str, number: int, total: int) -> None:
    line = slide.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, Inches(L.MARGIN), Inches(L.FOOTER_LINE),
                                      SLIDE_WIDTH - Inches(L.MARGIN), Inches(L.FOOTER_LINE))
    line.line.color.rgb = PRIMARY
    line.line.width = Pt(1.5)
    size, _lines = L.footer_size(footer)
    text_width = L.CONTENT_WIDTH - L.NUMBER_WIDTH - 0.2
    _text_box(slide, L.Box(L.MARGIN, L.FOOTER_TOP, text_width, L.FOOTER_HEIGHT), footer, size, MUTED_INK)
    box = L.Box(L.SLIDE_WIDTH - L.MARGIN - L.NUMBER_WIDTH, L.FOOTER_TOP, L.NUMBER_WIDTH, L.FOOTER_HEIGHT)
    paragraph = _text_box(slide, box, "Dia ", 14, MUTED_INK, PP_ALIGN.RIGHT).text_frame.paragraphs[0]
    _slide_number(paragraph, number, 14)
    tail = paragraph.add_run()
    tail.text = f" van {total}"
    _style(tail, 14, MUTED_INK)


# --- tables -------------------------------------------------------------------------------

def _fill_cell(cell, text: str, size: float, color: RGBColor, fill: RGBColor, bold=False,
               align=PP_ALIGN.LEFT) -> None:
    cell.fill.solid()
    cell.fill.fore_color.rgb = fill
    cell.margin_left = cell.margin_right = Inches(L.PAD_X)
    cell.margin_top = cell.margin_bottom = Inches(L.PAD_Y)
    cell.vertical_anchor = MSO_ANCHOR.MIDDLE
    cell.text_frame.word_wrap = True
    _set_text(cell.text_frame, text, size, color, bold, align)


def add_table(slide, table: Table, box: L.Box, fit: L.TableFit) -> None:
    shape = slide.shapes.add_table(len(table.rows) + 1, len(table.columns), *_box(box))
    grid = shape.table
    grid.first_row = True
    grid.horz_banding = False
    for index, inches in enumerate(fit.widths):
        grid.columns[index].width = Inches(inches)
    for row, inches in zip(grid.rows, fit.heights, strict=True):
        row.height = Inches(inches)
    for col, column in enumerate(table.columns):
        _fill_cell(grid.cell(0, col), column.label, fit.size, WHITE, TITLE_INK, bold=True,
                   align=PP_ALIGN.RIGHT if column.numeric else PP_ALIGN.LEFT)
    for r, row in enumerate(table.rows, start=1):
        fill = BAND if r % 2 == 0 else WHITE
        for col, (cell, column) in enumerate(zip(row, table.columns, strict=True)):
            color = INK
            if cell.kind == "status":
                color = STATUS_INK[cell.status.code] if cell.status else NO_STATUS_INK
            _fill_cell(grid.cell(r, col), L.cell_text(cell), fit.size, color, fill, L.cell_bold(cell, col),
                       PP_ALIGN.RIGHT if column.numeric else PP_ALIGN.LEFT)


# --- charts -------------------------------------------------------------------------------

def chart_data(chart: Chart) -> CategoryChartData:
    """The numbers behind the chart (also in its embedded workbook); a None value stays an empty
    point, so a suppressed value never appears as a number."""
    millions = fmt.in_millions(chart.eenheid, (v for s in chart.series for v in s.values))
    data = CategoryChartData(number_format=fmt.excel_format(chart.eenheid, millions=millions))
    running = chart.running if chart.kind == "lijn" else ()
    # the running period under the axis by its year alone ("2026"), its months in the legend: a
    # label "2026 (t/m september)" is wider than a year's room, and LibreOffice turned every label
    # of the axis on its side for it, squeezing the plot to a strip (or broke "septem-ber" when kept level)
    data.categories = [c.split(" (", 1)[0] if c in running else c for c in chart.categories]
    for number, series in enumerate(chart.series):
        data.add_series(series.name, series.values if number or not running else
                        tuple(None if c in running else v for c, v in zip(chart.categories, series.values, strict=True)))
    drawn = chart.running_drawn if running else ()
    if drawn:  # the realisatie of the period not complete yet: a series of its own, drawn as open dots
        first = chart.series[0]
        months = "".join(f" ({c.split(' (', 1)[1]}" for c in drawn if " (" in c)  # " (t/m september)"
        data.add_series(f"{first.name} tot nu toe{months}",
                        tuple(v if c in drawn else None for c, v in zip(chart.categories, first.values, strict=True)))
    return data


def _data_labels(labels, data: CategoryChartData, size: float) -> None:
    labels.number_format = data.number_format
    labels.number_format_is_linked = False
    labels.show_value = True
    labels.position = XL_LABEL_POSITION.OUTSIDE_END
    _font(labels.font, size)


def _open_dots(series) -> None:
    """The running period's series: dots without a line, as the screens and the PDF draw it apart
    (LibreOffice ignores a single point's line, so it is a series of its own). Light, not white:
    LibreOffice draws a marker's border in its series' line, which here is none."""
    series.format.line.fill.background()
    series.smooth = False
    series.marker.style = XL_MARKER_STYLE.CIRCLE
    series.marker.size = 11
    series.marker.format.fill.solid()
    series.marker.format.fill.fore_color.rgb = RUNNING_FILL
    series.marker.format.line.color.rgb = PRIMARY
    series.marker.format.line.width = Pt(2.5)


def _bar_texts(plot, chart: Chart, size: float) -> None:
    """Each bar's label as the screen writes it (`Series.text`: the catalogue's format, "€ 3.591.661"),
    not by the chart's number format: that one draws amounts from a million on in millions ("€ 3,6
    mln", right for an axis), and Office would write its thousands separator in its own language.
    The layout already makes room for these texts (slide_layout._value_texts). A bar without a
    value (suppressed, unknown) has no label, as before."""
    for drawn, series in zip(plot.series, chart.series, strict=True):
        for index, value in enumerate(series.values):
            text = series.text(index, chart.eenheid)
            if value is None or not text:
                continue
            label = drawn.points[index].data_label
            label.position = XL_LABEL_POSITION.OUTSIDE_END
            label.text_frame.text = text
            label.text_frame.word_wrap = False  # LibreOffice wrapped "€ 3.591.661" into three lines over the bar above
            for run in label.text_frame.paragraphs[0].runs:
                _style(run, size)


def add_chart(slide, chart: Chart, box: L.Box, size: float, with_title: bool, top: float | None = None) -> None:
    """`chart` at `size` points in `box`; `top` fixes the value axis's end (the columns of a long
    list share one scale)."""
    if chart.kind == "waterval":
        data, kind = waterfall.pptx_chart_data(chart), XL_CHART_TYPE.COLUMN_STACKED
    else:
        data = chart_data(chart)
        kind = XL_CHART_TYPE.BAR_CLUSTERED if chart.kind == "staaf" else XL_CHART_TYPE.LINE_MARKERS
    graphic = slide.shapes.add_chart(kind, *_box(box), data)
    graphic.name = chart.title
    graphic._element.nvGraphicFramePr.cNvPr.set("descr", chart.summary)  # alt text: no API for it
    plot_chart = graphic.chart
    _font(plot_chart.font, size)
    plot_chart.has_title = with_title
    if with_title:
        _set_text(plot_chart.chart_title.text_frame, chart.title, size, INK, bold=True)
    if chart.kind == "waterval":
        return waterfall.style_pptx_chart(plot_chart, chart, size)
    plot_chart.has_legend = len(plot_chart.plots[0].series) > 1
    if plot_chart.has_legend:
        plot_chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        plot_chart.legend.include_in_layout = False
        _font(plot_chart.legend.font, size)
    plot = plot_chart.plots[0]
    for series, color in zip(plot.series, (PRIMARY, TARGET), strict=False):  # one or two series
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
    if chart.kind == "lijn" and chart.running_drawn:
        _open_dots(plot.series[len(chart.series)])
    categories = plot_chart.category_axis
    _font(categories.tick_labels.font, size)
    categories.has_major_gridlines = False
    values = plot_chart.value_axis
    values.minimum_scale = 0
    if top:
        values.maximum_scale = top
    values.tick_labels.number_format = data.number_format.replace("0.0,,", "0,,")  # € 12 mln on the axis
    values.tick_labels.number_format_is_linked = False
    _font(values.tick_labels.font, size)
    if chart.kind == "staaf":
        # Bars carry their number; no value axis needed. First category on top, as in the table.
        plot.gap_width = 60
        plot.overlap = -10
        categories.reverse_order = True
        values.visible = False
        values.has_major_gridlines = False
        plot.has_data_labels = True
        _data_labels(plot.data_labels, data, size)
        _bar_texts(plot, chart, size)
    else:
        values.has_major_gridlines = True
        values.major_gridlines.format.line.color.rgb = RGBColor(0xD0, 0xD5, 0xDB)


def _place_plot(graphic, box: L.Box, plot: L.BarPlot) -> None:
    """The bars' plot where the layout put it (OOXML's manual layout of the inner plot area, in
    fractions of the chart): the same in every column, so LibreOffice needs to shrink no text."""
    layout = parse_xml(
        f'<c:layout {nsdecls("c")}><c:manualLayout><c:layoutTarget val="inner"/>'
        f'<c:xMode val="edge"/><c:yMode val="edge"/><c:x val="{plot.left / box.width:.4f}"/><c:y val="0.02"/>'
        f'<c:w val="{plot.width / box.width:.4f}"/><c:h val="0.96"/></c:manualLayout></c:layout>')
    area = graphic.chart._chartSpace.chart.plotArea
    for old in area.findall(layout.tag):
        area.remove(old)
    area.insert(0, layout)


def add_charts(page, slide: Slide, layout: L.SlideLayout) -> None:
    parts = layout.chart_parts(slide.chart)
    plot = layout.bar_plot(slide.chart)
    for chart, box in parts:
        add_chart(page, chart, box, layout.chart_size, layout.chart_title, plot.top if plot else None)
        if plot:
            _place_plot(page.shapes[-1], box, plot)


# --- slides -------------------------------------------------------------------------------

def _title_slide(prs, slide: Slide):
    page = prs.slides.add_slide(prs.slide_layouts[LAYOUT_TITLE])
    title_box, subtitle_box = L.title_slide_boxes()
    _title(page, slide.title, title_box, 48)
    subtitle = page.placeholders[1]
    subtitle.left, subtitle.top, subtitle.width, subtitle.height = _box(subtitle_box)
    frame = subtitle.text_frame
    frame.word_wrap = True
    frame.margin_left = frame.margin_right = 0  # in line with the title, as on the screen
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


PARAGRAPH_INK = {"warning": WARNING_INK, "secondary": MUTED_INK}


def _content_slide(prs, slide: Slide):
    page = prs.slides.add_slide(prs.slide_layouts[LAYOUT_TITLE_ONLY])
    layout = L.layout(slide)
    _title(page, slide.title, layout.title.box, layout.title.size)
    for paragraph, block in zip(slide.paragraphs, layout.paragraphs, strict=True):
        _text_box(page, block.box, paragraph.text, block.size, PARAGRAPH_INK.get(paragraph.role, INK))
    if slide.chart is not None:
        add_charts(page, slide, layout)
    if slide.table is not None and layout.table_beside and layout.table_fit:
        add_table(page, slide.table, layout.table, layout.table_fit)
    if layout.footnote:
        _text_box(page, layout.footnote.box, slide.footnote, layout.footnote.size, MUTED_INK)
    return page


def render(deck: Deck) -> bytes:
    """The deck as .pptx bytes."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    prs.core_properties.title = f"{deck.titel} – voortgang {deck.jaar}"
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


if __name__ == "__main__":  # python -m dashboard.exports.slides_pptx: the command line lives in slides_cli
    import sys

    from dashboard.exports.slides_cli import main

    sys.exit(main())
