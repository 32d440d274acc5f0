"""/berichtenverkeer?jaar=2026 — the health of the iJw berichtenverkeer, for the programmamanager:
per provider and month the toewijzingen without a start message, the ends without a stop
message, the declared lines without a toewijzing and the rejected ones (also per retourcode).
Counts of records under the small-number rules (kpi/berichtenverkeer.py); the signals are found at
each `python -m data load-ijw` (data/warehouse/ijw/health.py)."""
from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import dash_bootstrap_components as dbc
from dash import html

from dashboard.server import auth, params, runtime
from kpi import berichtenverkeer as health
from kpi import format as fmt
from kpi.settings import afronding, min_cell_size

PATH = "/berichtenverkeer"
NAME = "Berichtenverkeer"
TITLE = "Berichtenverkeer – Jeugdmonitor Huizen"
HEADING = "Gezondheid van het berichtenverkeer"


def href(jaar: int) -> str:
    return PATH + "?" + urlencode({"jaar": jaar})


def cell_text(cell: health.Cell, threshold: int) -> str:
    if cell.empty:
        return "–"
    if cell.n is None:
        return f"<{threshold}"
    return fmt.number(cell.n)


def months_reported(jaar: int, peildatum: dt.date) -> int:
    """How many months of `jaar` the loaded messages reach: all 12 of a year before the peildatum's,
    up to the peildatum's month in its year. A later month cannot have a signal yet, so its cells are
    left empty: a "–" there would read as "no problems" in a month that has not happened."""
    if jaar < peildatum.year:
        return 12
    return peildatum.month if jaar == peildatum.year else 0


def table(t: health.Table, threshold: int, reported: int = 12) -> html.Section:
    months = [html.Th(health.month_label(m), scope="col",
                      className="text-end" if m <= reported else "text-end text-body-secondary")
              for m in range(1, 13)]
    head = html.Thead(html.Tr([html.Th(t.kolom, scope="col"), *months, html.Th("Jaar", scope="col", className="text-end")]))

    def row(r: health.Row, total: bool = False) -> html.Tr:
        cells = [html.Td(cell_text(c, threshold) if m <= reported else "", className="text-end")
                 for m, c in enumerate(r.cells, start=1)]
        label = html.Th(r.label, scope="row", className="fw-semibold" if total else "fw-normal")
        return html.Tr([label, *cells, html.Td(cell_text(r.total, threshold), className="text-end fw-semibold")],
                       className="table-light" if total else None)

    body = [row(r) for r in t.rows] or [html.Tr(html.Td("Geen meldingen in dit jaar.", colSpan=14))]
    return html.Section([
        html.H2(t.titel, className="h5 mt-4"),
        html.P(t.uitleg, className="small text-body-secondary mb-2"),
        html.Div(html.Table([head, html.Tbody(body), html.Tfoot(row(t.totals, total=True))],
                            className="table table-sm table-hover align-middle berichtenverkeer-tabel"),
                 className="table-responsive"),
    ], **{"data-soort": t.soort})


def year_links(chosen: int, jaren: tuple[int, ...]) -> html.Nav:
    items = [html.Li(html.Span(str(j), className="page-link", **{"aria-current": "page"}) if j == chosen
                     else html.A(str(j), href=href(j), className="page-link"),
                     className="page-item active" if j == chosen else "page-item") for j in jaren]
    return html.Nav(html.Ul(items, className="pagination pagination-sm mb-0"), **{"aria-label": "Jaar"})


def refused(message) -> html.Div:
    return html.Div([html.H1(HEADING), dbc.Alert(message, color="info")])


def layout(jaar=None, **_query) -> html.Div:
    user = auth.current_user()
    if user is None:
        return refused(["Log in als programmamanager om het berichtenverkeer te bekijken. ",
                        html.A("Inloggen", href=auth.LOGIN_PATH + "?volgende=" + PATH)])
    if user.rol != "programmamanager":
        return refused("Deze pagina is voor de programmamanager.")
    engine = runtime.current().engine
    jaren, peildatum = health.years(engine)
    if peildatum is None:
        return refused("Er zijn nog geen iJw-berichten geladen. Laad het berichtenarchief met "
                       "python -m data load-ijw (zie docs/ijw.md).")
    available = range(jaren[0], jaren[-1] + 1) if jaren else range(peildatum.year, peildatum.year + 1)
    chosen, message = params.year(jaar, available, available.stop - 1)
    threshold, base = min_cell_size(), afronding()
    result = health.health(engine, chosen, threshold, base)
    reported = months_reported(chosen, peildatum)
    later = (f" De maanden na {fmt.MAANDEN[reported - 1] if reported else 'de peildatum'} zijn leeg: daarover "
             "zijn nog geen berichten." if reported < 12 else "")
    return html.Div([
        html.Div([html.H1(f"{HEADING} {chosen}"), year_links(chosen, tuple(available))],
                 className="d-flex flex-wrap justify-content-between align-items-end gap-3 mb-2"),
        *([dbc.Alert(message, color="warning", className="py-2")] if message else []),
        html.P([f"Wat in de iJw-berichten om aandacht vraagt, op peildatum {fmt.datum(peildatum)} (de laatste "
                "dagtekening van de geladen berichten). Per aanbieder en maand het aantal toewijzingen of "
                f"declaratieregels.{later} ", health.privacy_note(threshold, base)]),
        *[table(t, threshold, reported) for t in result.tables],
    ])


def register_callbacks(app) -> None:
    """No callbacks: the year is a link, so the view is its URL."""
