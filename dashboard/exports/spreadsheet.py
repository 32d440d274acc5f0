"""Tables a person can work in: the number format of a unit, numbers in a Dutch CSV, and an XLSX
sheet laid out for the screen and for the printer.

One layout for every spreadsheet the dashboard hands out (the explorer's view, the programme's
indicators): a title, the context lines (what, when, which stand, the small-number rule) above the
data, then the data as a plain table — wrapped bold header row, column widths from the content, a
frozen header, an autofilter — and a print setup (A4, landscape unless the table is narrow, one page
wide, the header row on every page, the title in the page header, "pagina 1 van 3" in the footer).

A number's format in a cell is its unit's (`kpi.format.excel_format`: the screens' decimals and
signs as OOXML's invariant codes), so a number reads the same in a spreadsheet as on the screen.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Callable, Sequence

from kpi import format as fmt

CSV_DECIMALS = 4    # enough for every figure shown; drops float noise such as 13.543140000000001
LINE_HEIGHT = 15.0  # points per line of Calibri 11, the workbook's default font
MAX_TEXT_WIDTH = 32  # a text column wider than this wraps instead
PAPER_A4 = 9        # OOXML paperSize
FONT = "Calibri"    # the workbook's default; a Font() without a name falls back to the reader's own
# A column's width counts digits; text averages a little narrower. Measured on the rendered sheets
# (Carlito, Calibri's metric twin): 1.1 to 1.4 characters of text per unit of width, depending on the
# letters. Rows are sized for 1.1 — rather a line too many than a line cut off.
TEXT_PER_WIDTH = 1.1
CODE_WIDTH = 1.1  # a code such as WK040601 (capitals, digits) is wider than digits alone
BOLD = 1.05  # a bold word (the header) is that much wider than digits
TITLE_SIZE, TITLE_LINE = 14 / 11, 21.0  # the title's font size against the default, and its line height
MIN_PRINT_WIDTH = 90   # about what portrait A4 holds at 100 %: the context lines get at least this
PORTRAIT_WIDTH = 100   # wider sheets print landscape
# Printed, a column `w` wide takes w digits of the default font plus 5 pixels (96 to the inch):
# 7 px a digit with Calibri, 9.4 with DejaVu Sans, where LibreOffice finds no Calibri or Carlito
# (measured: a column of 32 printed 3.1 inches wide). Reckoned with the wider, so what is meant for
# one page is on it in both. A4 holds 11.69 × 8.27 inches less the margins. Fitted to one page wide, a sheet of the
# programme's 22 columns printed at 37 %: 4-point type nobody can read. Below MIN_PRINT_SCALE it
# prints at that scale instead, over pages side by side, each with its header row and the columns
# that say which row it is (Sheet.key_columns).
MIN_PRINT_SCALE = 80   # percent: Calibri 11 prints at 8.8 points
DIGIT_PX = 9.4         # the widest default font's digit, in pixels at 100 %
SIDE_MARGIN = 0.4      # inches, left and right
A4_INCHES = (11.69, 8.27)
ABOUT_WIDTH = 90       # the text column of a "Toelichting" sheet


# --- numbers ---------------------------------------------------------------------------------

def csv_number(value: int | float) -> str:
    """A number in a Dutch CSV, the same way everywhere: no thousands separator, a decimal comma,
    at most four decimals, never an exponent — so Excel reads `1150` and `13,5431` as numbers
    (`1.150` is 1150 to one reader and 1,15 to another)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"geen getal: {value!r}")
    if isinstance(value, int):
        return str(value)
    text = format(Decimal(repr(value)).quantize(Decimal(1).scaleb(-CSV_DECIMALS)), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text.replace(".", ",")


def csv_cell(value):
    """A cell for csv.writer: numbers as csv_number, anything else as it is."""
    return csv_number(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


# --- an XLSX sheet ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Sheet:
    """What goes on one sheet. `units(row, column)` gives the unit of a data cell that holds a
    number (indexes into `rows`) — its number format follows from it — or None for text."""
    title: str
    context: Sequence[tuple[str, str]]
    header: Sequence[str]
    rows: Sequence[Sequence]
    units: Callable[[int, int], str | None]
    footer: str = ""
    #: (first, last) columns (indexes into `header`) that name a row: printed on every page when
    #: the table is too wide for one page at a readable size
    key_columns: tuple[int, int] = (0, 0)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def wrapped_lines(text: str, width: float) -> int:
    """How many lines `text` takes in a column `width` characters wide, wrapping at spaces."""
    width = max(1, int(width))
    total = 0
    for paragraph in str(text).split("\n"):
        lines, line = 1, 0
        for word in paragraph.split():
            if line and line + 1 + len(word) > width:
                lines, line = lines + 1, 0
            line += (1 if line else 0) + len(word)
            while line > width:  # a word longer than the column breaks
                lines, line = lines + 1, line - width
        total += lines
    return total


def column_widths(sheet: Sheet) -> list[float]:
    """Per column: wide enough for its widest value as shown (and the header's longest word), text
    columns capped at MAX_TEXT_WIDTH (they wrap)."""
    def size(value, unit) -> float:
        if _is_number(value):
            return len(fmt.value(value, unit) if unit else str(value))
        return len(str(value)) * CODE_WIDTH + 1  # + the indent of a text cell

    widths = []
    for c, name in enumerate(sheet.header):
        longest_word = max((len(w) for w in str(name).split()), default=4) * BOLD  # a header never breaks a word
        shown = [size(row[c], sheet.units(r, c)) for r, row in enumerate(sheet.rows)]
        widths.append(float(min(round(max([longest_word, 6] + shown)) + 2, MAX_TEXT_WIDTH)))
    return widths


def printed_inches(widths: Sequence[float]) -> float:
    """How wide columns of these widths print at 100 %."""
    return sum(DIGIT_PX * w + 5 for w in widths) / 96


def print_scale(widths: Sequence[float], orientation: str) -> int:
    """The scale (percent) at which the columns fit one page wide, at most 100."""
    paper = A4_INCHES[0] if orientation == "landscape" else A4_INCHES[1]
    return min(100, int(100 * (paper - 2 * SIDE_MARGIN) / printed_inches(widths)))


def first_page_columns(widths: Sequence[float], orientation: str, scale: int = MIN_PRINT_SCALE) -> int:
    """How many columns, from the first, print on one page at `scale` percent (at least one)."""
    paper = A4_INCHES[0] if orientation == "landscape" else A4_INCHES[1]
    room = (paper - 2 * SIDE_MARGIN) * 100 / scale
    count = 0
    while count < len(widths) and printed_inches(widths[:count + 1]) <= room:
        count += 1
    return max(1, count)


def _escape_header(text: str) -> str:
    return text.replace("&", "&&")  # `&` starts a code in a page header


def write_sheet(worksheet, sheet: Sheet) -> int:
    """Fill an openpyxl worksheet; returns the row number of the header row."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    columns = len(sheet.header)
    numeric = {c for c in range(columns)  # columns of numbers (or of a unit, even while still empty)
               if any(_is_number(values[c]) or sheet.units(r, c) for r, values in enumerate(sheet.rows))}
    # a little room on the left of numbers, so a right-aligned column does not run into its neighbour
    widths = [w + 1 if c in numeric else w for c, w in enumerate(column_widths(sheet))]
    widths[0] = max(widths[0], max((len(label) for label, _ in sheet.context), default=0) * BOLD + 2)
    # A narrow table gets one empty column more, so the context lines above it read as sentences
    # rather than a column of single words; the table itself (and its filter) stays as it is.
    spare = MIN_PRINT_WIDTH - sum(widths)
    page_columns = columns + (1 if spare > 0 else 0)
    if spare > 0:
        widths.append(spare)
    last, page_last = get_column_letter(columns), get_column_letter(page_columns)
    orientation = "landscape" if sum(widths) > PORTRAIT_WIDTH else "portrait"
    fits = print_scale(widths, orientation) >= MIN_PRINT_SCALE
    # Printed over pages side by side, the title and context lines stay on the first page's
    # columns, so they wrap there instead of running on, cut, over the next pages.
    text_columns = page_columns if fits else first_page_columns(widths, orientation)
    top = Alignment(vertical="top", horizontal="left", wrap_text=True, indent=1)

    def merged_line(row: int, first: int, value, font, width: float, line: float) -> None:
        cell = worksheet.cell(row, first, value)
        cell.font, cell.alignment = font, Alignment(vertical="top", wrap_text=True)
        worksheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=text_columns)
        # a merged cell never grows by itself: give the row the lines the text needs
        worksheet.row_dimensions[row].height = line * wrapped_lines(value, width * TEXT_PER_WIDTH)

    merged_line(1, 1, sheet.title, Font(name=FONT, bold=True, size=14), sum(widths[:text_columns]) / TITLE_SIZE,
                TITLE_LINE)
    row = 2
    for label, text in sheet.context:
        worksheet.cell(row, 1, label).font = Font(name=FONT, bold=True)
        worksheet.cell(row, 1).alignment = Alignment(vertical="top")
        merged_line(row, 2, text, Font(name=FONT), sum(widths[1:text_columns]), LINE_HEIGHT)
        row += 1
    header_row = row + 1  # one empty row between the context and the table

    grey = PatternFill("solid", fgColor="E7E9EE")
    # white gaps between the grey header cells, so two right-aligned headers do not read as one
    gap = Side(style="medium", color="FFFFFF")
    rule = Border(bottom=Side(style="thin", color="5A6270"), left=gap, right=gap)
    for c, name in enumerate(sheet.header):
        cell = worksheet.cell(header_row, c + 1, name)
        cell.font, cell.fill, cell.border = Font(name=FONT, bold=True), grey, rule
        cell.alignment = Alignment(vertical="bottom", wrap_text=True,
                                   horizontal="right" if c in numeric else "left",
                                   indent=0 if c in numeric else 1)
    # Every row that wraps gets its height: LibreOffice does not fit the rows of an XLSX to their text.
    worksheet.row_dimensions[header_row].height = LINE_HEIGHT * max(
        wrapped_lines(name, (widths[c] - 2) / BOLD) for c, name in enumerate(sheet.header))
    for r, values in enumerate(sheet.rows):
        excel_row = header_row + 1 + r
        lines = max([1] + [wrapped_lines(v, widths[c] * TEXT_PER_WIDTH) for c, v in enumerate(values)
                           if isinstance(v, str) and c not in numeric])
        if lines > 1:
            worksheet.row_dimensions[excel_row].height = LINE_HEIGHT * lines
        for c, value in enumerate(values):
            cell = worksheet.cell(excel_row, c + 1, None if value == "" else value)
            unit = sheet.units(r, c)
            if unit and _is_number(value):
                cell.number_format = fmt.excel_format(unit)
            # numbers and "<10" right-aligned alike; text indented a little from its left neighbour
            cell.alignment = Alignment(vertical="top", horizontal="right") if c in numeric else top

    for c, width in enumerate(widths, start=1):
        worksheet.column_dimensions[get_column_letter(c)].width = round(width, 1)
    last_row = header_row + max(len(sheet.rows), 1)
    worksheet.freeze_panes = worksheet.cell(header_row + 1, 1)
    worksheet.auto_filter.ref = f"A{header_row}:{last}{last_row}"

    setup = worksheet.page_setup
    setup.orientation = orientation
    setup.paperSize = PAPER_A4
    if fits:
        setup.fitToWidth, setup.fitToHeight = 1, 0  # one page wide, as many pages down as it takes
        worksheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    else:  # readable type over pages side by side, each naming its rows
        setup.scale = MIN_PRINT_SCALE
        setup.pageOrder = "overThenDown"  # a block of rows across all its pages, then the next
        worksheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=False)
        first, key_last = (get_column_letter(c + 1) for c in sheet.key_columns)
        worksheet.print_title_cols = f"{first}:{key_last}"
    worksheet.print_title_rows = f"{header_row}:{header_row}"
    if fits:
        worksheet.print_area = f"A1:{page_last}{last_row}"
    else:  # the title and context on a page of their own: a repeated key column would show them cut
        worksheet.print_area = [f"A1:{get_column_letter(text_columns)}{header_row - 1}",
                                f"A{header_row}:{last}{last_row}"]
    worksheet.page_margins.left = worksheet.page_margins.right = SIDE_MARGIN
    worksheet.page_margins.top = worksheet.page_margins.bottom = 0.75  # room for the page header and footer
    worksheet.oddHeader.center.text = _escape_header(sheet.title)
    worksheet.oddHeader.center.size = 10
    worksheet.oddFooter.left.text = _escape_header(sheet.footer)
    worksheet.oddFooter.left.size = 8
    worksheet.oddFooter.right.text = "pagina &P van &N"
    worksheet.oddFooter.right.size = 8
    return header_row


def about_sheet(book, context: Sequence[tuple[str, str]], title: str = "Toelichting") -> None:
    """The context once more on a sheet of its own, one line per row (for those who look there)."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.properties import PageSetupProperties

    about = book.create_sheet(title)
    for label, text in context:
        about.append([label, text])
        about.cell(about.max_row, 1).font = Font(name=FONT, bold=True)
        about.cell(about.max_row, 2).alignment = Alignment(wrap_text=True, vertical="top")
        about.cell(about.max_row, 1).alignment = Alignment(vertical="top")
        # LibreOffice does not fit an XLSX row to wrapped text: without a height the lines of
        # one row were drawn over the next rows (as write_sheet's context lines)
        about.row_dimensions[about.max_row].height = LINE_HEIGHT * wrapped_lines(text, ABOUT_WIDTH * TEXT_PER_WIDTH)
    about.column_dimensions["A"].width = 24
    about.column_dimensions["B"].width = ABOUT_WIDTH
    about.page_setup.paperSize = PAPER_A4
    about.page_setup.fitToWidth, about.page_setup.fitToHeight = 1, 0
    about.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)

