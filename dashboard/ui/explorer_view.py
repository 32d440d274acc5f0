"""The explorer's view of a state: its breakdown (chart and table, a page at a time) and its trend,
computed by a service — live or a stand's. The explorer page (dashboard/pages/verkenner.py) draws
it; a freeze runs `record_view` so that a stand records the views its overview links to
(dashboard.server.stand_view), and the cache warmer runs `breakdown_view` and `next_breakdown`
(dashboard.server.warmup): so it is not held by a page."""
from __future__ import annotations

from dash import dcc, html

from dashboard.exports.explorer_slide import filters_text, view_title
from dashboard.programme.progress import partial_periods
from dashboard.server import params, runtime
from dashboard.ui import components, figures, ids
from dashboard.ui.explorer_links import href
from dashboard.ui.paging import Page, range_text, shown_page
from dashboard.ui.state import ExplorerState, Known, compute_trend, from_query
from kpi import CATALOGUE, DIMENSIONS, KpiRequestError
from kpi import format as fmt
from kpi.forecast.texts import late_declarations
from kpi.request import resolve

DRILL = "drill"
DRILL_ORDER = ("school", "wijk", "verwijzer", "hulpvorm", "aanbieder", "gemeente", "respondent")
PER_LABELS = {"jaar": "Per jaar", "kwartaal": "Per kwartaal", "maand": "Per maand"}


def known_groups(service=None, stand: str | None = None) -> Known:
    """Whether a wijk, school, aanbieder or gemeente of a link is one the figures hold: the live
    warehouse's, or a stand's (the groups its views named, which a later load may have renamed).
    The stand's figures: `service`, or those of stand `stand`, read only when the live warehouse
    does not hold the group."""
    live = runtime.service()
    figures = [service]

    def known(dimension: str, key: str) -> bool:
        if live.knows_group(dimension, key):
            return True
        if figures[0] is None and stand:
            figures[0] = figures_of(stand)
        return figures[0] is not None and figures[0] is not live and figures[0].knows_group(dimension, key)
    return known


def figures_of(stand: str | None):
    """The service a view's figures come from: the stand's, or the live one (also for a stand
    that does not exist: the page says so itself)."""
    if not stand:
        return runtime.service()
    from dashboard.server.stand_source import service_and_programme
    from data.programme.stand_store import StandError

    try:
        return service_and_programme(stand)[0]
    except StandError:
        return runtime.service()


def state_of_query(query, service=None) -> ExplorerState:
    """The state of a page's query parameters, its year within the years the data cover; a group
    the figures do not hold (known_groups: of `service`, else of the view's stand) is dropped."""
    years, default = runtime.years_available()
    stand = params.one(query.get("stand")) if service is None else None
    return from_query(query, default, years, known_groups(service, stand))


def in_stand_year(query: dict, service, dropped: tuple[str, ...] = ()) -> tuple[dict, str | None]:
    """A stand holds one year, and its pages show that year: `query` with the stand's `jaar` when
    the link asked for another (without the parameters in `dropped`, which went with that year),
    and the message that says so; `query` as it is for live figures (a service without `.info`).
    The page and its callbacks both read a link through this, so a control does not take the
    asked year for a change and navigate away from the message."""
    info = getattr(service, "info", None)
    message = params.stand_year(query.get("jaar"), info.id, info.jaar) if info is not None else None
    if message is None:
        return query, None
    return {**{k: v for k, v in query.items() if k not in dropped}, "jaar": str(info.jaar)}, message


def explorer_state(search) -> ExplorerState:
    """The state of query string `search`, as the page shows it (state_of_query, in a stand's year)."""
    query = params.query(search)
    stand = params.stand(query.get("stand"))
    if stand is not None:
        query, _message = in_stand_year(query, figures_of(stand))
    return state_of_query(query)


def next_breakdown(state: ExplorerState) -> str | None:
    used = {d for d, _ in state.filters} | {state.by}
    options = [d for d in DRILL_ORDER if d in CATALOGUE[state.kpi].breakdowns and d not in used]
    return options[0] if options else None


def filter_labels(state: ExplorerState, service=None) -> dict:
    """Names for the keys in the drill path (wijk and school names, code labels)."""
    service = service or runtime.service()
    return {(d, v): service.group_label(d, v) for d, v in state.filters if v is not None}


def breakdown_view(service, state: ExplorerState) -> Page:
    """The page of the breakdown to show, its names told apart. Cached as one small value, so a
    cached render of a breakdown of thousands of groups reads 40 rows, not all of them."""
    request = state.breakdown_request()

    def build() -> Page:
        return shown_page(service.compute(request).rows, state.pagina, lambda: service.places(state.by))
    return service.memo("verkenner-pagina", (resolve(request).cache_key(), state.pagina), build)


def pager(state: ExplorerState, page: Page, where: str) -> list:
    """Links to the previous and next page of a long breakdown (nothing when it fits one page).
    Links, not buttons: each page has its own URL, so it can be shared and the back button works."""
    if not page.paged:
        return []
    plural = DIMENSIONS[state.by].meervoud

    def step(text: str, number: int, label: str):
        if number < 1 or number > page.count:
            return html.Span(text, className="btn btn-sm btn-outline-secondary disabled", **{"aria-disabled": "true"})
        return dcc.Link(text, href=href(state.on_page(number)), className="btn btn-sm btn-outline-primary",
                        title=label)

    return [html.Nav([
        step("« Eerste", 1, "Eerste pagina"),
        step("‹ Vorige", page.number - 1, f"Vorige pagina ({page.number - 1})"),
        html.Span(f"{plural.capitalize()} {fmt.number(page.first)}–{fmt.number(page.last)} van "
                  f"{fmt.number(page.total)} · pagina {fmt.number(page.number)} van {fmt.number(page.count)}",
                  className="small mx-2"),
        step("Volgende ›", page.number + 1, f"Volgende pagina ({page.number + 1})"),
        step("Laatste »", page.count, f"Laatste pagina ({page.count})"),
    ], className="pager d-flex flex-wrap align-items-center gap-1 my-2 d-print-none",
        **{"aria-label": f"Pagina's van de {plural} ({where})"})]


def _drill_table(rows, kpi, threshold, state: ExplorerState, caption: str):
    dim = DIMENSIONS[state.by]
    can_drill = next_breakdown(state) is not None
    head = html.Thead(html.Tr([html.Th(dim.naam, scope="col"), html.Th("Waarde", scope="col", className="text-end"),
                               html.Th("Aantal (n)", scope="col", className="text-end")] +
                              ([html.Th(html.Span("Inzoomen", className="visually-hidden"), scope="col")] if can_drill else [])))
    body = []
    for row in rows:
        cells = [html.Th(row.label, scope="row"),
                 html.Td(components.shown_value(fmt.value(row.value, kpi.eenheid, suppressed=row.suppressed,
                                                          threshold=threshold), row.suppressed, threshold),
                         className="text-end"),
                 html.Td("" if row.n is None else fmt.number(row.n), className="text-end")]
        if can_drill:
            key = row.key if row.key is not None else figures.EMPTY_KEY
            cells.append(html.Td(html.Button(
                "Inzoomen", id={"type": DRILL, "key": key}, n_clicks=0, className="btn btn-sm btn-outline-primary",
                **{"aria-label": f"Inzoomen op {row.label}"})))
        body.append(html.Tr(cells))
    return html.Table([html.Caption(caption), head, html.Tbody(body)],
                      className="table table-sm table-striped kpi-table", id="breakdown-table")


def download_buttons(trend: bool = False) -> html.Div:
    """"Download CSV" and "Download Excel" under the breakdown's table; under the trend's (`trend`)
    "Download trend (CSV)" and "(Excel)", so that two buttons on one page never share a name."""
    csv_id, xlsx_id, file_id, message_id = (
        (ids.TREND_DOWNLOAD_CSV, ids.TREND_DOWNLOAD_XLSX, ids.TREND_DOWNLOAD, ids.TREND_DOWNLOAD_MSG) if trend
        else (ids.DOWNLOAD_CSV, ids.DOWNLOAD_XLSX, ids.DOWNLOAD, ids.DOWNLOAD_MSG))
    text = " Download trend ({})" if trend else " Download {}"
    return html.Div([
        html.Button([html.I(className="bi bi-filetype-csv", **{"aria-hidden": "true"}), text.format("CSV")],
                    id=csv_id, n_clicks=0, className="btn btn-sm btn-outline-primary me-2"),
        html.Button([html.I(className="bi bi-file-earmark-excel", **{"aria-hidden": "true"}), text.format("Excel")],
                    id=xlsx_id, n_clicks=0, className="btn btn-sm btn-outline-primary"),
        dcc.Download(id=file_id),
        html.Div(id=message_id, className="mt-2", **{"aria-live": "polite"}),
    ], className="mb-3 d-print-none")


def _rounding_base(state: ExplorerState, trend) -> int | None:
    """The base counts are rounded to on this page: a breakdown, or a filter other than gemeente,
    makes it a detailed view (kpi/privacy.py, rule 4)."""
    detailed = state.by is not None or trend.request.detailed
    return trend.request.afronding if detailed else None


def declarations_note(kpi, request, data_tot) -> html.P | None:
    """Costs come in as declarations, most one to three months after the month, some up to a year
    later: a trend of kosten that reaches the last year of the data ends lower than it will turn
    out (September 2026 held a few percent of its costs), which read as costs collapsing."""
    note = late_declarations(kpi, (request.van, request.tot), data_tot)
    if note is None:
        return None
    return html.P([note + " De ", html.A("prognose", href="/prognose"), " schat wat er nog komt."],
                  className="small text-body-secondary declarations-note")


def view_parts(service, state: ExplorerState, page_messages: list[str]) -> list:
    """The charts and tables of a view, computed by `service` (live or a stand's). Raises
    KpiRequestError for a view it cannot compute (NotInSnapshot: not in the stand)."""
    kpi = CATALOGUE[state.kpi]
    trend = compute_trend(service, state)
    threshold = trend.request.min_cell_size
    data_tot = service.data_status().data_tot  # the year it ends in reads "2026 (t/m september)"
    bar_block = html.P("Kies een uitsplitsing om de verdeling te zien.", className="text-body-secondary")
    if state.by:
        page = breakdown_view(service, state)
        rows = page.rows
        if page.clamped:
            page_messages.append(f"Pagina {state.pagina} bestaat niet; de laatste pagina ({page.number}) "
                                 "wordt getoond.")
        # the title names the drill path too: "… per school, 2025 (verwijzer: Huisarts)"
        title = view_title(state, filter_labels(state, service), data_tot) + range_text(page)
        hint = ("Klik op een balk (of op ‘Inzoomen’ in de tabel) om daarop te filteren en verder uit te splitsen."
                if next_breakdown(state) else "")
        bar_block = html.Div([
            html.P(hint, className="small text-body-secondary mb-1"),
            *pager(state, page, "boven de grafiek"),
            components.chart(figures.bar_chart(rows, kpi.eenheid, title, threshold), title, ids.BAR),
            html.Details([html.Summary("Tabel bij deze grafiek"),
                          _drill_table(rows, kpi, threshold, state, title)], open=True),
            *pager(state, page, "onder de tabel"),
            download_buttons(),
        ])
    trend_title = (f"{kpi.naam}, {PER_LABELS[trend.request.per or 'jaar'].lower()}"
                   + filters_text(state, filter_labels(state, service)))
    partial = partial_periods([row.periode for row in trend.rows], data_tot)
    return [
        bar_block,
        html.H2("Trend", className="h5 mt-3"),
        components.chart(figures.trend_chart(trend.rows, kpi.eenheid, trend_title, threshold, partial=partial),
                         trend_title, ids.TREND),
        declarations_note(kpi, trend.request, data_tot),
        html.Details([html.Summary("Tabel bij de trend"),
                      components.kpi_table(trend.rows, kpi.eenheid, threshold, trend_title, "Periode",
                                           table_id="trend-table", partial=partial)]),
        download_buttons(trend=True),  # the table above as a file, also when it is folded
        components.suppression_note(threshold, _rounding_base(state, trend)),
    ]


def record_view(service, target: str) -> None:
    """Compute the explorer view of `target` (a /verkenner URL) as the page would: what a stand
    records so that a link to it from the stand can be answered. A view that cannot be computed
    is left out (the page then says it is not in the stand)."""
    from urllib.parse import urlsplit

    try:
        view_parts(service, explorer_state("?" + urlsplit(target).query), [])
    except KpiRequestError:
        pass
