"""Where everything sits on a slide and at what size — one layout for both renderers.

A slide is 13⅓ × 7½ inches (16:9). The PowerPoint places its shapes at these inches; the browser
draws the slide on a stage of 1280 × 720 CSS pixels (96 px to the inch, so 1 pt is 4/3 px) and
scales the whole stage to the screen, so the projector shows the same slide at 1280×720 as at
1920×1080, and the same slide as the file.

Type is fitted from real glyph widths (dashboard/exports/text_metrics.py): the largest size at which no
word is broken and everything stays above the footer band. On a slide with a table and a chart
both get the same size, so the chart reads as well as the table from the back of the room.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace

from dashboard.exports.slides import Cell, Chart, Slide, Table
from dashboard.exports.text_metrics import line_count, widest_word_in, width_in, wrap
from kpi import format as fmt

SLIDE_WIDTH, SLIDE_HEIGHT = 40 / 3, 7.5       # inches
PX_PER_INCH = 96                               # the browser's stage: 1280 × 720 px
MARGIN = 0.6
CONTENT_WIDTH = SLIDE_WIDTH - 2 * MARGIN
TITLE_TOP, TITLE_HEIGHT = 0.3, 1.1
CONTENT_TOP, CONTENT_BOTTOM = 1.55, 6.8
FOOTER_LINE = 6.95                             # the rule above the footer; nothing else below it
FOOTER_TOP, FOOTER_HEIGHT = 7.0, 0.45
NUMBER_WIDTH = 2.0                             # "Dia 12 van 15", right in the footer
GAP = 0.3

LINE = 1.2                                     # line height, in em
PAD_X, PAD_Y = 0.1, 0.04                       # a table cell's margins
SLACK = 1.04                                   # measured widths times this: room for rounding in renderers
TITLE_SIZES = (32, 28, 24, 20)
TABLE_SIZES = (24, 22, 20, 18, 16, 15, 14, 13, 12, 11, 10, 9, 8)
FOOTER_SIZES = (14, 13, 12, 11, 10, 9)
FOOTNOTE_SIZE = 12
PARAGRAPH_SIZE = 20
MOST_LINES = 3                                 # a cell of more lines reads as a column of words
STATUS_MARKS = {"op_koers": "✔", "aandacht": "▲", "achter": "✖"}  # a mark and a word, never colour alone
BAR_GAP = 0.1                                  # between a category's name and its bar, a bar and its number
CHART_SHARE = 0.42                             # of the content width, beside a table


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    width: float
    height: float

    @property
    def bottom(self) -> float:
        return self.top + self.height


@dataclass(frozen=True)
class TableFit:
    size: float                                # points
    widths: tuple[float, ...]                  # inches per column
    heights: tuple[float, ...]                 # inches per row, the header first


@dataclass(frozen=True)
class TextBlock:
    box: Box
    size: float
    lines: int


@dataclass(frozen=True)
class SlideLayout:
    title: TextBlock
    paragraphs: tuple[TextBlock, ...] = ()
    table: Box | None = None
    table_fit: TableFit | None = None
    table_beside: bool = True                  # False: the table is the chart's alternative (same box)
    chart: Box | None = None
    chart_size: float | None = None            # points: every text of the chart
    chart_title: bool = False                  # draw the chart's own title (the slide's title says it otherwise)
    footnote: TextBlock | None = None
    chart_columns: int = 1                     # a long list of bars in two columns side by side
    alternative: tuple = ()                    # (table part, box, fit): a chart's table, split as its bars are

    def chart_parts(self, chart: Chart) -> list[tuple[Chart, Box]]:
        """The chart as drawn: whole, or its bars split over two columns of one scale."""
        if self.chart_columns == 1:
            return [(chart, self.chart)]
        half = math.ceil(len(chart.categories) / 2)
        width = (self.chart.width - GAP) / 2
        return [(chart.part(0, half), Box(self.chart.left, self.chart.top, width, self.chart.height)),
                (chart.part(half, len(chart.categories)),
                 Box(self.chart.left + width + GAP, self.chart.top, width, self.chart.height))]


    def bar_plot(self, chart: Chart) -> BarPlot | None:
        """Where the bars of an untitled bar chart go, the same in every column it is drawn in
        (None for any other chart: its renderer places it itself)."""
        if chart.kind != "staaf" or self.chart_title or self.chart_size is None:
            return None
        return bar_plot(self.chart_parts(chart), self.chart_size)


@dataclass(frozen=True)
class BarPlot:
    """A bar chart's plot inside its box, in inches from the box's left edge: the category names
    left of `left`, the bars from `left` over `width`, on a scale from 0 to `top` that leaves room
    after the longest bar for its number. Left to itself LibreOffice put that number past the
    chart's edge and then shrank every text of the chart to make it fit (the left column of a
    long list, where the long bars are, came out smaller than the right)."""
    left: float
    width: float
    top: float


def bar_plot(parts: list[tuple[Chart, Box]], size: float) -> BarPlot | None:
    """One plot for all columns of a bar chart: the widest name of any column, and one scale."""
    names = max((width_in(line, size) for chart, box in parts
                 for lines in wrapped_categories(chart, box, size) or () for line in lines or ()), default=0.0)
    left = names * SLACK + BAR_GAP
    width = min(box.width for _chart, box in parts) - left - BAR_GAP
    top = 0.0
    for chart, _box in parts:
        for series in chart.series:
            for index, value in enumerate(series.values):
                if value is None or value <= 0:
                    continue
                room = width - width_in(series.text(index, chart.eenheid) or "", size) * SLACK - BAR_GAP
                if room <= 0:
                    return None
                top = max(top, value * width / room)
    return BarPlot(left, width, top) if top > 0 and width > 0 else None


def px(inches: float) -> float:
    """Inches on the slide as CSS pixels on the browser's stage."""
    return round(inches * PX_PER_INCH, 2)


def pt_px(points: float) -> float:
    return round(points * PX_PER_INCH / 72, 2)


def lines_height(lines: int, size: float) -> float:
    return lines * size * LINE / 72


# --- tables -------------------------------------------------------------------------------------

def cell_text(cell: Cell) -> str:
    """A cell as both renderers write it: a status with its mark."""
    if cell.kind == "status" and cell.status:
        return f"{STATUS_MARKS[cell.status.code]} {cell.text}"
    return cell.text


def cell_bold(cell: Cell, column: int) -> bool:
    return column == 0 or (cell.kind == "status" and cell.status is not None)


def _wraps(cell: Cell, column: int) -> bool:
    """Names, texts and a reason for no status may wrap; numbers and a status with its mark keep
    one line."""
    return column == 0 or cell.kind == "text" or _is_reason(cell)


def _is_reason(cell: Cell | None) -> bool:
    return cell is not None and cell.kind == "status" and cell.status is None


def _share(rest: float, least: list[float], wanted: list[float]) -> list[float] | None:
    """`rest` inches over columns that need at least `least` and read best at `wanted`: each gets
    its least, the remainder goes where it is wanted; what is left after that to the first."""
    spare = rest - sum(least)
    if spare < 0:
        return None
    short = [max(0.0, w - m) for w, m in zip(wanted, least, strict=True)]
    need = sum(short)
    widths = [m + (s * min(1.0, spare / need) if need else 0.0) for m, s in zip(least, short, strict=True)]
    widths[0] += rest - sum(widths)
    return widths


def fit_table_at(table: Table, width: float, height: float, size: float,
                 most_lines: int | None = None) -> TableFit | None:
    """The table at `size` points in `width` × `height` inches, or None when it does not fit (or
    a cell would need more than `most_lines` lines)."""
    count = len(table.columns)
    texts = [[(c.label, True)] + [(cell_text(row[i]), cell_bold(row[i], i)) for row in table.rows]
             for i, c in enumerate(table.columns)]
    pad = 2 * PAD_X
    cells = [[None] + [row[i] for row in table.rows] for i in range(count)]  # None: the header
    one_line = [max(width_in(t, size, b) for t, b in col) * SLACK + pad for col in texts]
    least = [max((widest_word_in(t, size, b) if cell is None or _wraps(cell, i) else width_in(t, size, b))
                 for (t, b), cell in zip(col, cells[i], strict=True)) * SLACK + pad for i, col in enumerate(texts)]
    # A reason for no status may take two lines rather than narrow the names: it asks no more room
    # than the column's statuses, its header and half its own length. A number's header may wrap
    # too ("2026 (t/m september)" on one line took a third of the table from the names and the
    # reasons, which then wrapped into five lines of a word or two): every column gets its least,
    # and what is spare goes where a line is still short of its one-line width.
    wanted = [one_line[i] if i == 0 or not any(_is_reason(c) for c in cells[i]) else
              max([least[i]] + [(width_in(t, size, b) / (2 if _is_reason(c) else 1)) * SLACK + pad
                                for (t, b), c in zip(texts[i], cells[i], strict=True) if c is not None])
              for i in range(count)]
    widths = _share(width, least, wanted)
    if widths is None:
        return None
    heights = []
    for r in range(len(table.rows) + 1):
        lines = [line_count(texts[i][r][0], (widths[i] - pad) / SLACK, size, texts[i][r][1]) for i in range(count)]
        if None in lines or (most_lines and max(lines) > most_lines):
            return None
        heights.append(lines_height(max(lines), size) + 2 * PAD_Y + 0.02)
    if sum(heights) > height:
        return None
    line = lines_height(1, size)
    head, body = heights[0], heights[1:]
    if head + max(body, default=0) * len(body) <= height:   # even rows when they fit, at most a line taller
        even = min((height - head) / max(1, len(body)), max(body, default=0) + line)
        body = [even] * len(body)
    else:
        extra = min(line, (height - sum(heights)) / max(1, len(body)))
        body = [h + extra for h in body]
    return TableFit(size, tuple(widths), (head, *body))


def fit_table(table: Table, width: float, height: float, largest: float = TABLE_SIZES[0]) -> TableFit:
    """The largest type (up to `largest`) at which the table fits with no cell over MOST_LINES
    lines, else with cells as tall as need be; at the smallest size it is laid out even if it
    does not fit."""
    for most_lines in (MOST_LINES, None):
        for size in TABLE_SIZES:
            if size <= largest and (found := fit_table_at(table, width, height, size, most_lines)):
                return found
    return _squeezed(table, width, height)


def _squeezed(table: Table, width: float, height: float) -> TableFit:
    size = TABLE_SIZES[-1]
    count = len(table.columns)
    widths = tuple([width - 1.0 * (count - 1)] + [1.0] * (count - 1))
    return TableFit(size, widths, tuple([height / (len(table.rows) + 1)] * (len(table.rows) + 1)))


# --- charts -------------------------------------------------------------------------------------

def category_label_width(chart: Chart, box: Box) -> float:
    """How wide a bar chart's category names may be before they wrap."""
    return box.width * (0.55 if len(chart.series) == 1 else 0.4)


def wrapped_categories(chart: Chart, box: Box, size: float) -> list[list[str]] | None:
    limit = category_label_width(chart, box)
    return [wrap(c, limit, size) for c in chart.categories] if chart.kind == "staaf" else [[c] for c in chart.categories]


def _value_texts(chart: Chart) -> list[str]:
    return [t for s in chart.series for i in range(len(chart.categories)) if (t := s.text(i, chart.eenheid))]


def _axis_texts(chart: Chart) -> list[str]:
    """What a line chart's value axis may read: its largest value, rounded the way an axis is."""
    values = [abs(v) for s in chart.series for v in s.values if v is not None]
    top = max(values, default=0) * 1.1
    if fmt.in_millions(chart.eenheid, [top]):
        return [fmt.axis_label(top / fmt.MILLION, chart.eenheid, 0, millions=True)]
    return [fmt.value(top, chart.eenheid, decimals=0)]


def legend_height(chart: Chart, width: float, size: float) -> float:
    if len(chart.series) < 2:
        return 0.0
    entries = sum(width_in(s.name, size) + size * 2.2 / 72 for s in chart.series)
    return lines_height(1 if entries <= width else len(chart.series), size) + 0.1


def chart_fits(chart: Chart, box: Box, size: float, with_title: bool) -> bool:
    """Does every text of `chart` fit `box` at `size` points, no word broken, nothing cramped?"""
    title = wrap(chart.title, box.width, size, bold=True) if with_title else []
    if title is None or len(title) > 2:
        return False
    plot = box.height - lines_height(len(title), size) - legend_height(chart, box.width, size) - 0.15
    if chart.kind == "staaf":
        names = wrapped_categories(chart, box, size)
        if any(n is None or len(n) > 3 for n in names):
            return False
        bars = len(chart.series)
        band = [max(lines_height(len(n), size), bars * size * 1.15 / 72) * 1.2 for n in names]
        values = max((width_in(t, size) for t in _value_texts(chart)), default=0) * SLACK
        names_w = max(width_in(line, size) for n in names for line in n) * SLACK
        return sum(band) <= plot and names_w + values + 0.6 <= box.width
    if chart.kind == "waterval":  # bars side by side, each with its amount above it (no value axis)
        slot = max(width_in(t, size) for t in chart.categories + tuple(_value_texts(chart))) * SLACK + 0.15
        return slot * len(chart.categories) <= box.width and plot - lines_height(2, size) >= 1.6
    # a line: the periods side by side under the plot, the value axis at the left
    ticks = max((width_in(c, size) for c in chart.categories), default=0) * SLACK + 0.08
    axis = max(width_in(t, size) for t in _axis_texts(chart)) * SLACK + 0.15
    return ticks * len(chart.categories) <= box.width - axis and plot - lines_height(1, size) >= 1.6


# --- slides -------------------------------------------------------------------------------------

def _title(text: str) -> TextBlock:
    box = Box(MARGIN, TITLE_TOP, CONTENT_WIDTH, TITLE_HEIGHT)
    for size in TITLE_SIZES:
        lines = line_count(text, CONTENT_WIDTH * 0.98, size, bold=True)
        if lines is not None and lines_height(lines, size) <= TITLE_HEIGHT:
            return TextBlock(box, size, lines)
    return TextBlock(box, TITLE_SIZES[-1], 3)


def _paragraphs(slide: Slide, top: float) -> tuple[tuple[TextBlock, ...], float]:
    blocks = []
    for paragraph in slide.paragraphs:
        lines = line_count(paragraph.text, CONTENT_WIDTH * 0.98, PARAGRAPH_SIZE) or 1
        height = lines_height(lines, PARAGRAPH_SIZE) + 0.05
        blocks.append(TextBlock(Box(MARGIN, top, CONTENT_WIDTH, height), PARAGRAPH_SIZE, lines))
        top += height + 0.1
    return tuple(blocks), top


def _footnote(text: str) -> TextBlock | None:
    if not text:
        return None
    lines = line_count(text, CONTENT_WIDTH * 0.97, FOOTNOTE_SIZE) or 1
    height = lines_height(lines, FOOTNOTE_SIZE) + 0.05
    return TextBlock(Box(MARGIN, CONTENT_BOTTOM - height, CONTENT_WIDTH, height), FOOTNOTE_SIZE, lines)


def title_slide_boxes() -> tuple[Box, Box]:
    """The title slide: the title, and the lines under it."""
    return Box(MARGIN, 1.4, CONTENT_WIDTH, 1.6), Box(MARGIN, 3.3, CONTENT_WIDTH, 3.0)


def layout(slide: Slide) -> SlideLayout:
    """Boxes and sizes of a content slide (the title slide has fixed boxes: title_slide_boxes)."""
    title = _title(slide.title)
    paragraphs, top = _paragraphs(slide, CONTENT_TOP)
    footnote = _footnote(slide.footnote)
    bottom = (footnote.box.top - 0.15) if footnote else CONTENT_BOTTOM
    area = Box(MARGIN, top, CONTENT_WIDTH, bottom - top)
    if slide.chart is None:
        if slide.table is None:
            return SlideLayout(title, paragraphs, footnote=footnote)
        return SlideLayout(title, paragraphs, area, fit_table(slide.table, area.width, area.height), footnote=footnote)
    if slide.kind == "verkenner":  # the chart fills the area; the table is its alternative there
        size, columns = _explorer_chart(slide.chart, area)
        found = SlideLayout(title, paragraphs, None, None, False, area, size, False, footnote, columns)
        return replace(found, alternative=_alternative(slide.table, found, size)) if slide.table else found
    chart_width = CONTENT_WIDTH * CHART_SHARE
    table_box = Box(MARGIN, top, CONTENT_WIDTH - chart_width - GAP, area.height)
    chart_box = Box(MARGIN + CONTENT_WIDTH - chart_width, top, chart_width, area.height)
    for most_lines in (MOST_LINES, None):  # one size for table and chart; cells of three lines if it can
        for size in TABLE_SIZES:
            fit = fit_table_at(slide.table, table_box.width, table_box.height, size, most_lines) if slide.table else None
            if (fit or not slide.table) and chart_fits(slide.chart, chart_box, size, True):
                return SlideLayout(title, paragraphs, table_box if fit else None, fit, True, chart_box, size, True,
                                   footnote)
    fit = fit_table(slide.table, table_box.width, table_box.height) if slide.table else None
    return SlideLayout(title, paragraphs, table_box if fit else None, fit, True, chart_box,
                       fit.size if fit else TABLE_SIZES[-1], True, footnote)


def _explorer_chart(chart: Chart, area: Box) -> tuple[float, int]:
    """The size and columns of an added view's chart: a long list of bars reads larger in two
    columns than in one."""
    one = next((s for s in TABLE_SIZES if chart_fits(chart, area, s, False)), TABLE_SIZES[-1])
    if chart.kind != "staaf" or len(chart.categories) < 8:
        return one, 1
    half = SlideLayout(TextBlock(area, 0, 0), chart=area, chart_columns=2).chart_parts(chart)
    two = next((s for s in TABLE_SIZES if all(chart_fits(c, box, s, False) for c, box in half)), TABLE_SIZES[-1])
    return (two, 2) if two > one else (one, 1)


def _alternative(table: Table, found: SlideLayout, largest: float) -> tuple:
    """The table of an added view where its chart is, in as many columns as the chart, at one
    size no larger than the chart's."""
    boxes = [box for _chart, box in found.chart_parts(Chart("staaf", "", tuple(range(len(table.rows))), (), ""))]
    half = math.ceil(len(table.rows) / len(boxes))
    parts = [table.part(i * half, (i + 1) * half) for i in range(len(boxes))]
    for size in TABLE_SIZES:
        fits = [fit_table_at(part, box.width, box.height, size) for part, box in zip(parts, boxes, strict=True)]
        if size <= largest and all(fits):
            return tuple(zip(parts, boxes, fits, strict=True))
    return tuple((part, box, fit_table(part, box.width, box.height)) for part, box in zip(parts, boxes, strict=True))


def footer_size(text: str) -> tuple[float, int]:
    """The footer's size and lines: one line if it can, two at most, above the slide's edge."""
    width = CONTENT_WIDTH - NUMBER_WIDTH - 0.2
    for size in FOOTER_SIZES:
        lines = line_count(text, width, size)
        if lines == 1 or (lines == 2 and lines_height(2, size) <= FOOTER_HEIGHT):
            return size, lines
    return FOOTER_SIZES[-1], max(1, math.ceil(width_in(text, FOOTER_SIZES[-1]) / width))
