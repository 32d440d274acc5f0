"""The programme's indicator table as a file for Excel: GET /export/programma.csv?jaar=2025 and
/export/programma.xlsx?jaar=2025 (links on /programma).

One row per indicator (lijn, maatregel, indicator, eenheid, nulmeting), then per year 2024–2028 the
realisatie and the streefwaarde, and the status in the chosen year — the same values as the
programme pages, from the same engine: a suppressed value reads `<10`. What the raad may see: manual
realisaties only where their quarter is vastgesteld. CSV the Dutch way (`;`, decimal comma, BOM).
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from flask import Response, request

from dashboard import params, runtime
from dashboard.pages.programma_lijn import PROGRAMME_YEARS
from kpi import format as fmt
from kpi.export_table import BRON
from kpi.programma import ProgrammeView, indicator_values, read_programme

PATH = "/export/programma"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def href(jaar: int, extension: str) -> str:
    return f"{PATH}.{extension}?jaar={jaar}"


@dataclass(frozen=True)
class ProgrammeTable:
    jaar: int
    header: list[str]
    rows: list[list]          # numbers as numbers, a suppressed value as "<10", empty as ""
    about: list[tuple[str, str]]


def programme_table(service, programme: ProgrammeView, jaar: int) -> ProgrammeTable:
    threshold = service.threshold  # a stand's own, when the service is frozen
    years = range(PROGRAMME_YEARS.start, min(jaar, PROGRAMME_YEARS.stop - 1) + 1)
    header = ["Lijn", "Maatregel", "Indicator", "Naam", "Soort", "Eenheid", "Nulmeting (jaar)", "Nulmeting"]
    for year in PROGRAMME_YEARS:
        header += [f"Realisatie {year}", f"Streefwaarde {year}"]
    header.append(f"Status {jaar}")
    rows = []
    for lijn in programme.lijnen:
        for ind in lijn.all_indicators():
            series = {y.jaar: y for y in indicator_values(service, ind, years)}
            row = [f"{lijn.nummer}. {lijn.naam}", ind.maatregel or "", ind.code, ind.naam,
                   "KPI" if ind.is_kpi else "handmatig", ind.eenheid,
                   ind.nulmeting[0] if ind.nulmeting else "", ind.nulmeting[1] if ind.nulmeting else ""]
            for year in PROGRAMME_YEARS:
                found = series.get(year)
                value = ("" if found is None or (found.waarde is None and not found.suppressed)
                         else f"<{threshold}" if found.suppressed else found.waarde)
                row += [value, ind.streefwaarden.get(year, "")]
            current = series.get(jaar)
            row.append(current.status.label if current and current.status else "")
            rows.append(row)
    status = service.data_status()
    about = [("Inhoud", "Indicatoren van het Programmaplan Jeugd 2025–2028: realisatie en streefwaarde per jaar"),
             ("Statusjaar", str(jaar)),
             ("Handmatige indicatoren", "alleen vastgestelde (afgesloten) perioden"),
             ("Kleine aantallen", f"waarden op minder dan {threshold} jeugdigen of antwoorden staan als <{threshold}"),
             ("Bron", BRON + (f", gegevens t/m {fmt.datum(status.data_tot)}" if status.data_tot else ""))]
    return ProgrammeTable(jaar, header, rows, about)


def to_csv(table: ProgrammeTable) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for label, text in table.about:
        writer.writerow([f"# {label}", text])
    writer.writerow(table.header)
    for row in table.rows:
        writer.writerow([fmt.number(c, 4).rstrip("0").rstrip(",") if isinstance(c, float) else c for c in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(table: ProgrammeTable) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Indicatoren"
    sheet.append(table.header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append(row)
    for letter, width in (("A", 40), ("B", 10), ("C", 10), ("D", 48)):
        sheet.column_dimensions[letter].width = width
    about = book.create_sheet("Toelichting")
    for line in table.about:
        about.append(list(line))
    about.column_dimensions["A"].width = 24
    about.column_dimensions["B"].width = 100
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _response(extension: str) -> Response:
    years, default = runtime.years_available()
    raw = params.arg(request.args, "jaar")
    jaar = params.whole_number(raw, years.start, years.stop - 1) if raw else default
    if jaar is None:
        return Response(f"Ongeldig jaar '{params.shown(raw)}': kies een jaar van {years.start} t/m {years.stop - 1}.\n",
                        status=400, mimetype="text/plain; charset=utf-8")
    table = programme_table(runtime.service(), read_programme(runtime.current().engine, vastgesteld_only=True), jaar)
    body, mimetype = (to_csv(table), "text/csv") if extension == "csv" else (to_xlsx(table), XLSX_MIMETYPE)
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="jeugdmonitor_programma_{jaar}.{extension}"'})


def register(server) -> None:
    server.add_url_rule(PATH + ".csv", "programma_csv", lambda: _response("csv"))
    server.add_url_rule(PATH + ".xlsx", "programma_xlsx", lambda: _response("xlsx"))
