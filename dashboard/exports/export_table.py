"""A KPI result as a file people open in Excel: CSV (Dutch: `;`, decimal comma, no thousands
separator, UTF-8 with BOM) or XLSX, with what it shows, the definition, period, filters (by their
Dutch names: "verwijzer = Huisarts") and the suppression rule in the file — in the XLSX above the
data on the first sheet (laid out by dashboard.exports.spreadsheet) and once more on a sheet "Toelichting".

The table: per group its name as the screen shows it, its code where the key is one people use
elsewhere (a CBS wijkcode, a school's or aanbieder's code; empty for the internal ids of a code list
such as verwijzer or hulpvorm), the value and its n; a trend's rows name their period first
("K1 2025"), as the explorer's "Tabel bij de trend" does.
Values come from the KPI engine as they are (suppression included: a hidden value reads `<10`).
A view of a vastgestelde stand says so in its first context line (`stand`: "Stand per …").
"""
from __future__ import annotations

import csv
import io
from typing import Mapping

from dashboard.exports import spreadsheet
from dashboard.exports.explorer_slide import NO_DATA, PER_WORDS
from dashboard.programme.progress import partial_periods
from kpi import format as fmt
from kpi import privacy
from kpi.dimensions import DIMENSIONS
from kpi.forecast.texts import late_declarations
from kpi.result import KpiResult
from kpi.service import DataStatus

BRON = "Jeugdmonitor Huizen"


def source_text(status: DataStatus | None) -> str:
    """The "Bron" line: the product, "synthetic" only for the demonstration data, and how far the data reach."""
    text = BRON + (" (demonstratiegegevens zijn synthetisch)" if status is not None and status.synthetisch else "")
    return text + (f", gegevens t/m {fmt.datum(status.data_tot)}" if status is not None and status.data_tot else "")


Labels = Mapping[tuple[str, str], str]


def filter_text(dimension: str, value: str | None, labels: Labels | None = None) -> str:
    """"verwijzer = Huisarts", "wijk = Centrum (WK040601)": a filter as people read it. Code lists
    give their own label; a wijk's or school's name comes from `labels` (the service's group labels)
    with its code beside it, since names repeat across gemeenten."""
    dim = DIMENSIONS[dimension]
    if value is None:
        shown = dim.empty_label or "(leeg)"
    elif dim.code_list is not None:
        shown = dim.code_list.label(value)
    else:
        name = (labels or {}).get((dimension, value))
        shown = f"{name} ({value})" if name and name != value else value
    return f"{dim.naam.lower()} = {shown}"


def period_text(result: KpiResult, status: DataStatus | None = None) -> str:
    """The request's period: "2025"; the year the data end in as the screens say it, "2026 (t/m
    september)"; a longer period that runs past the data says how far they reach."""
    req = result.request
    text = fmt.periode(req.van, req.tot)
    data_tot = status.data_tot if status is not None else None
    if data_tot is None or not req.van <= data_tot < req.tot:
        return text
    partial = partial_periods([text], data_tot)
    return f"{text} ({partial[text]})" if partial else f"{text} (gegevens t/m {fmt.datum(data_tot)})"


def title(result: KpiResult, status: DataStatus | None = None) -> str:
    """"Instroom (gestarte trajecten) per wijk, 2025"; "…, 2026 (t/m september)" (period_text); a
    trend names its sub-periods as the page's trend does: "Instroom (gestarte trajecten), per kwartaal, …"."""
    req = result.request
    by = f" per {DIMENSIONS[req.by].naam.lower()}" if req.by else ""
    per = f", {PER_WORDS[req.per]}" if req.per else ""
    return f"{result.kpi.naam}{by}{per}, {period_text(result, status)}"


def describe(result: KpiResult, status: DataStatus | None = None, labels: Labels | None = None,
             stand: str | None = None) -> list[tuple[str, str]]:
    req, kpi = result.request, result.kpi
    filters = ", ".join(filter_text(d, v, labels) for d, v in req.where)
    lines = [("Stand", stand)] if stand else []
    lines += [("KPI", kpi.naam), ("Periode", period_text(result, status)),
              ("Uitgesplitst naar", DIMENSIONS[req.by].naam if req.by else "geen")]  # "Verwijzer", as on screen
    if req.per:  # the trend: the page's control "Trend" says "Per kwartaal"; each row names its period
        lines.append(("Trend", PER_WORDS[req.per]))
    lines.append(("Filters", filters or "geen"))
    if not result.rows:  # the page says so where its chart would be; a file without rows must too
        lines.append(("Let op", NO_DATA))
    lines += [("Definitie", kpi.definitie), ("n", kpi.n_omschrijving), ("Eenheid", kpi.eenheid)]
    if req.min_cell_size:
        lines.append(("Kleine aantallen", privacy.explain_suppression(req.min_cell_size)))  # the line, and why more is hidden
        if req.detailed and (req.afronding or 1) > 1:
            lines.append(("Afronding", privacy.explain_rounding(req.afronding)))
    late = late_declarations(kpi, (req.van, req.tot), status.data_tot if status is not None else None)
    if late:  # as the explorer says beside its trend: the file is read without the page
        lines.append(("Let op", late + " De prognose in de Jeugdmonitor schat wat er nog komt."))
    lines.append(("Bron", source_text(status)))
    return lines


def shows_code(by: str | None) -> bool:
    """Whether the "Code" column holds the group's key (CSV and XLSX alike)."""
    # Codes people use only (CBS wijkcode, gemeentecode, school, aanbieder): a code list's keys are
    # internal ids, so there the cell stays empty; the column stays, so the layout never shifts.
    return by is not None and DIMENSIONS[by].code_list is None


def _cells(result: KpiResult, status: DataStatus | None = None) -> tuple[list[str], list[list]]:
    req = result.request
    partial = partial_periods([row.periode for row in result.rows], status.data_tot if status is not None else None)
    code = shows_code(req.by)
    header = (["Periode"] if req.per else []) + [DIMENSIONS[req.by].naam if req.by else "Groep", "Code",
                                                 f"Waarde ({result.kpi.eenheid})", "n"]
    rows = []
    for row in result.rows:
        value = f"<{req.min_cell_size}" if row.suppressed else row.value
        shown = fmt.periode_label(row.periode) + (f" ({partial[row.periode]})" if row.periode in partial else "")
        rows.append(([shown] if req.per else []) +
                    [row.label, (row.key or "") if code else "", value, "" if row.n is None else row.n])
    return header, rows


def to_csv(result: KpiResult, status: DataStatus | None = None, labels: Labels | None = None,
           stand: str | None = None) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for label, text in describe(result, status, labels, stand):
        writer.writerow([f"# {label}", text])
    header, rows = _cells(result, status)
    writer.writerow(header)
    for row in rows:
        writer.writerow([spreadsheet.csv_cell(c) for c in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(result: KpiResult, status: DataStatus | None = None, labels: Labels | None = None,
            stand: str | None = None) -> bytes:
    from openpyxl import Workbook

    header, rows = _cells(result, status)
    value_column = len(header) - 2  # ... Waarde (eenheid), n

    def unit(_r: int, c: int) -> str | None:
        return result.kpi.eenheid if c == value_column else "aantal" if c == value_column + 1 else None

    context = describe(result, status, labels, stand)
    book = Workbook()
    sheet = book.active
    sheet.title = "Gegevens"
    spreadsheet.write_sheet(sheet, spreadsheet.Sheet(title(result, status), context, header, rows, unit,
                                                     stand or BRON))
    spreadsheet.about_sheet(book, context)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def filename(result: KpiResult, extension: str) -> str:
    req = result.request
    parts = [req.kpi.id, fmt.periode(req.van, req.tot).replace(" ", "_").replace("/", "-")]
    if req.by:
        parts.append(f"per_{req.by}")
    if req.per:  # the trend's file beside the breakdown's of the same view
        parts.append(f"per_{req.per}")
    return "jeugdmonitor_" + "_".join(parts) + "." + extension
