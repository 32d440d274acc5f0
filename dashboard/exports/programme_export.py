"""The programme's indicator table as a file for Excel: GET /export/programma.csv?jaar=2025 and
/export/programma.xlsx?jaar=2025 (links on /programma), and `?stand=ID` for a vastgestelde stand.

One row per indicator (lijn, maatregel, indicator, eenheid, nulmeting), then per year of the plan
from its nulmeting on (2024–2028 for Huizen) the realisatie and the streefwaarde (a manual one
without a year value: its latest quarter's, labelled "K3 2026: 14"), the status in the chosen year
(or, as on the screen, why there is none: "geen realisatie"), and its maatregel's status that year
with the quarter it is from (MaatregelView.stand) — the same values as
the programme pages, from the same engine: a suppressed value reads `<10`. What the raad may see: manual realisaties only where their quarter is vastgesteld. CSV the Dutch way (`;`, decimal comma, BOM,
no thousands separator: dashboard.exports.spreadsheet.csv_number); the XLSX laid out by dashboard.exports.spreadsheet (number
format of each row's unit, print setup).

A stand's table comes from its frozen service and programme only (the freeze records it:
dashboard.server.stand_view.meeting_builders) and says "Stand per …" in its context lines; a stand that did
not record it gets a Dutch page (409), never live figures. Every refusal (400, 404, 409) is the page
of every refused download (dashboard/exports/answers.py).
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from flask import Response, request

from dashboard.exports import spreadsheet
from dashboard.exports.answers import STANDEN_LINK, bad_year, other_year_of_stand, refusal
from dashboard.exports.export_table import BRON, source_text
from dashboard.programme.progress import (
    IndicatorYear,
    ProgrammeView,
    indicator_values,
    read_programme,
    realisatie_text,
    running_year,
)
from dashboard.server import params, runtime
from kpi import privacy

PATH = "/export/programma"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def href(jaar: int, extension: str) -> str:
    return f"{PATH}.{extension}?jaar={jaar}"


def stand_href(stand_id: int | str, extension: str) -> str:
    return f"{PATH}.{extension}?stand={stand_id}"


@dataclass(frozen=True)
class ProgrammeTable:
    jaar: int
    header: list[str]
    rows: list[list]          # numbers as numbers, a suppressed value as "<10", empty as ""
    about: list[tuple[str, str]]


def title(jaar: int) -> str:
    return f"Programmaplan Jeugd – realisatie en streefwaarden {jaar}"


def status_text(year: IndicatorYear | None) -> str:
    """The status of an indicator's year as the programme page shows it: the status's label, or the
    reason it has none ("geen realisatie", "volgperiode loopt nog": dashboard.programme.status.reason,
    computed with the value in dashboard.programme.progress.indicator_values)."""
    if year is None:
        return ""
    return year.status.label if year.status else (year.reden or "")


def moved_targets(ind) -> str:
    """The years whose target moved from the plan's: "2026: 600 dagen (was 507 dagen)"; empty for none."""
    return "; ".join(f"{year}: {ind.target_text(year)}" for year in ind.moved_years)


def programme_table(service, programme: ProgrammeView, jaar: int, stand: str | None = None) -> ProgrammeTable:
    """The table of `jaar` from `service` (live, or a stand's frozen one: `stand` is then its label,
    "Stand per 12 november 2026 — titel", the first context line)."""
    threshold = service.threshold  # a stand's own, when the service is frozen
    plan_years = programme.plan.jaren_met_nulmeting
    years = range(plan_years.start, min(jaar, plan_years.stop - 1) + 1)
    header = ["Lijn", "Maatregel", "Indicator", "Naam", "Soort", "Eenheid", "Nulmeting (jaar)", "Nulmeting"]
    running = running_year(service.data_status().data_tot)  # the year the data end in: "t/m september"
    for year in plan_years:
        partial = f" ({running[1]})" if running and running[0] == year else ""
        header += [f"Realisatie {year}{partial}", f"Streefwaarde {year}"]
    header += [f"Status {jaar}", f"Status maatregel {jaar}", "Bijgestelde streefwaarden"]
    rows = []
    for lijn in programme.lijnen:
        stand_of = {m.code: m.stand(jaar).text for m in lijn.maatregelen}  # "Op schema (status K4 2025)"
        for ind in lijn.all_indicators():
            series = {y.jaar: y for y in indicator_values(service, ind, years)}
            row = [f"{lijn.nummer}. {lijn.naam}", ind.maatregel or "", ind.code, ind.naam,
                   "KPI" if ind.is_kpi else "handmatig", ind.eenheid,
                   ind.nulmeting[0] if ind.nulmeting else "", ind.nulmeting[1] if ind.nulmeting else ""]
            for year in plan_years:
                found = series.get(year)
                value = ("" if found is None or (found.waarde is None and not found.suppressed
                                                 and found.deelwaarde is None)
                         else f"<{threshold}" if found.suppressed else found.waarde if found.waarde is not None
                         else realisatie_text(ind.eenheid, found, threshold))  # "K3 2026: 14", as the pages say
                row += [value, ind.streefwaarden.get(year, "")]
            # a year outside the plan's (one before it, which the page offers too) has its own status
            current = series.get(jaar) or next(iter(indicator_values(service, ind, range(jaar, jaar + 1))), None)
            row += [status_text(current), stand_of.get(ind.maatregel, ""), moved_targets(ind)]
            rows.append(row)
    status = service.data_status()
    about = [("Stand", stand)] if stand else []
    about += [("Inhoud", f"Indicatoren van het {programme.plan.naam}: realisatie en streefwaarde per jaar"),
              ("Statusjaar", str(jaar)),
              ("Handmatige indicatoren", "alleen vastgestelde (afgesloten) perioden"),
              ("Kleine aantallen", privacy.small_numbers_line(threshold)),
              ("Bron", source_text(status))]
    return ProgrammeTable(jaar, header, rows, about)


def to_csv(table: ProgrammeTable) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for label, text in table.about:
        writer.writerow([f"# {label}", text])
    writer.writerow(table.header)
    for row in table.rows:
        writer.writerow([spreadsheet.csv_cell(c) for c in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


KEY_COLUMNS = (2, 3)  # "Indicator" and "Naam": on every printed page, so a row is known on each
VALUE_COLUMNS_FROM = 7  # "Nulmeting" and every realisatie and streefwaarde after it: numbers in the row's unit
UNIT_COLUMN = 5


def to_xlsx(table: ProgrammeTable) -> bytes:
    from openpyxl import Workbook

    status_column = table.header.index(f"Status {table.jaar}")  # the text columns start here

    def unit(r: int, c: int) -> str | None:
        return table.rows[r][UNIT_COLUMN] if VALUE_COLUMNS_FROM <= c < status_column else None

    book = Workbook()
    sheet = book.active
    sheet.title = "Indicatoren"
    footer = next((text for label, text in table.about if label == "Stand"), BRON)
    spreadsheet.write_sheet(sheet, spreadsheet.Sheet(title(table.jaar), table.about, table.header, table.rows,
                                                     unit, footer, key_columns=KEY_COLUMNS))
    spreadsheet.about_sheet(book, table.about)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _file(table: ProgrammeTable, extension: str, name: str) -> Response:
    body, mimetype = (to_csv(table), "text/csv") if extension == "csv" else (to_xlsx(table), XLSX_MIMETYPE)
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'})


def stand_response(stand, extension: str, jaar=None) -> Response:
    """The table of a vastgestelde stand, from its record only; `jaar` of the link must be the
    stand's year, if given."""
    from dashboard.programme.frozen import NotInSnapshot
    from dashboard.server.stand_source import service_and_programme, stand_filename
    from data.programme.stand_store import StandError

    try:
        frozen, programme, label = service_and_programme(stand)
    except StandError as exc:
        return refusal(404, str(exc), (STANDEN_LINK,))
    info = frozen.info
    if params.stand_year(jaar, info.id, info.jaar):
        return refusal(400, other_year_of_stand(info.id, info.jaar),
                       ((f"Tabel van stand {info.id}", stand_href(info.id, extension)),))
    try:
        table = programme_table(frozen, programme, info.jaar, label)
    except NotInSnapshot:
        return refusal(409, (
            f"De {label[0].lower()}{label[1:]} is vastgelegd voordat de tabel van de indicatoren deel "
            "uitmaakte van een stand. De tabel kan daarom niet met de cijfers van deze stand worden "
            "gemaakt, en de actuele cijfers horen niet in een stand. Vraag de programmamanager zo "
            "nodig een nieuwe stand vast te leggen."),
            (("Naar het overzicht van deze stand", f"/?stand={info.id}"),
             (f"Tabel {info.jaar} met de actuele cijfers", href(info.jaar, extension))))
    return _file(table, extension, stand_filename(f"jeugdmonitor_programma_{info.jaar}.{extension}", info))


def _response(extension: str) -> Response:
    stand = params.stand(params.arg(request.args, "stand"))  # a repeated parameter: the last, as every export reads it
    if stand is not None:
        return stand_response(stand, extension, params.arg(request.args, "jaar"))
    years, default = runtime.years_available()
    raw = params.arg(request.args, "jaar")
    # " 2025" is 2025 and a blank year the default, as the report reads them
    jaar = params.whole_number(raw.strip(), years.start, years.stop - 1) if raw and raw.strip() else default
    if jaar is None:
        return refusal(400, bad_year(raw, years))
    table = programme_table(runtime.service(), read_programme(runtime.current().engine, vastgesteld_only=True), jaar)
    return _file(table, extension, f"jeugdmonitor_programma_{jaar}.{extension}")


def register(server) -> None:
    server.add_url_rule(PATH + ".csv", "programma_csv", lambda: _response("csv"))
    server.add_url_rule(PATH + ".xlsx", "programma_xlsx", lambda: _response("xlsx"))
