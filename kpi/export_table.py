"""A KPI result as a file people open in Excel: CSV (Dutch: `;`, decimal comma, UTF-8 with BOM)
or XLSX, with what it shows, the definition, period, filters and the suppression rule in the file.

Values come from the KPI engine as they are (suppression included: a hidden value reads `<10`).
"""
from __future__ import annotations

import csv
import datetime as dt
import io

from kpi import format as fmt
from kpi import privacy
from kpi.dimensions import DIMENSIONS
from kpi.result import KpiResult

BRON = "Jeugdmonitor Huizen (demonstratiegegevens zijn synthetisch)"


def describe(result: KpiResult, data_tot: dt.date | None = None) -> list[tuple[str, str]]:
    req, kpi = result.request, result.kpi
    filters = ", ".join(f"{DIMENSIONS[d].naam.lower()} = {v if v is not None else '(leeg)'}" for d, v in req.where)
    lines = [("KPI", kpi.naam), ("Periode", fmt.periode(req.van, req.tot)),
             ("Uitgesplitst naar", DIMENSIONS[req.by].naam.lower() if req.by else "geen"),
             ("Filters", filters or "geen"), ("Definitie", kpi.definitie), ("n", kpi.n_omschrijving),
             ("Eenheid", kpi.eenheid)]
    if req.min_cell_size:
        lines.append(("Kleine aantallen", f"waarden op minder dan {req.min_cell_size} jeugdigen of antwoorden "
                                          f"(en waaruit die terug te rekenen zijn) staan als <{req.min_cell_size}"))
        if req.detailed and (req.afronding or 1) > 1:
            lines.append(("Afronding", privacy.explain_rounding(req.afronding)))
    lines.append(("Bron", BRON + (f", gegevens t/m {fmt.datum(data_tot)}" if data_tot else "")))
    return lines


def _cells(result: KpiResult) -> tuple[list[str], list[list]]:
    req = result.request
    header = (["Periode"] if req.per else []) + [DIMENSIONS[req.by].naam if req.by else "Groep", "Code",
                                                 f"Waarde ({result.kpi.eenheid})", "n"]
    rows = []
    for row in result.rows:
        value = f"<{req.min_cell_size}" if row.suppressed else row.value
        rows.append(([fmt.periode_label(row.periode)] if req.per else []) +
                    [row.label, row.key or "", value, "" if row.n is None else row.n])
    return header, rows


def to_csv(result: KpiResult, data_tot: dt.date | None = None) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for label, text in describe(result, data_tot):
        writer.writerow([f"# {label}", text])
    header, rows = _cells(result)
    writer.writerow(header)
    for row in rows:
        writer.writerow([str(c).replace(".", ",") if isinstance(c, float) else c for c in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(result: KpiResult, data_tot: dt.date | None = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Gegevens"
    header, rows = _cells(result)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    number_format = {"%": "0.0", "€": "#,##0", "dagen": "0", "aantal": "#,##0", "cijfer": "0.0"}.get(result.kpi.eenheid, "0.0")
    value_column = len(header) - 1
    for row in rows:
        sheet.append(row)
        if isinstance(row[value_column - 1], (int, float)):
            sheet.cell(sheet.max_row, value_column).number_format = number_format
    sheet.column_dimensions["A"].width = 32
    about = book.create_sheet("Toelichting")
    for label, text in describe(result, data_tot):
        about.append([label, text])
    about.column_dimensions["A"].width = 20
    about.column_dimensions["B"].width = 100
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def filename(result: KpiResult, extension: str) -> str:
    req = result.request
    parts = [req.kpi.id, fmt.periode(req.van, req.tot).replace(" ", "_").replace("/", "-")]
    if req.by:
        parts.append(f"per_{req.by}")
    return "jeugdmonitor_" + "_".join(parts) + "." + extension
