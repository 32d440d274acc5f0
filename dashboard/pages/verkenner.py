"""/verkenner — the drill-down explorer. The whole view lives in the URL (dashboard/ui/state.py):
every control, bar click and breadcrumb step writes a new URL, and the page is rendered from it,
so a link or reload shows the same view and the back button steps back through drill-downs.

With `stand=ID` the view is answered by that vastgestelde stand's frozen service only, under a
banner "Vastgestelde stand per …" (its downloads say so too); a view the stand did not record says
so in Dutch with a link to the same view in the live figures — never live figures under a stand's
name. A stand records the view each of its overview cards links to (dashboard.server.stand_view)."""
from __future__ import annotations

from dataclasses import replace

import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard.server import params, runtime
from dashboard.server.callback_guard import refusing
from dashboard.ui import components, figures, ids
from dashboard.ui.explorer_links import PATH, href
from dashboard.ui.explorer_view import (
    DRILL,
    PER_LABELS,
    explorer_state,
    filter_labels,
    in_stand_year,
    next_breakdown,
    state_of_query,
    view_parts,
)
from dashboard.ui.state import ExplorerState, compute_trend, from_query
from kpi import AXIS_NAMES, CATALOGUE, DIMENSIONS, RICHTING_NAMEN, KpiRequestError, kpis_shown
from kpi import format as fmt
from kpi.availability import missing_tables, not_loaded
from kpi.periods import PER_VALUES

NAME = "Verkenner"
TITLE = "Verkenner – Jeugdmonitor Huizen"
MAX_KEY = 100   # a group's key (a wijk, school or aanbieder code) in a bar or an "Inzoomen" button


# --- pure functions the callbacks call ---------------------------------------------------------

def href_after_controls(search, kpi_id, by, per, jaar, gemeente=None) -> str:
    """The URL after a control changed; `gemeente` None means the control is not on the page.
    The values come from the page's selects: BadInput for anything a select cannot hold."""
    years, default = runtime.years_available()
    kpi_id = params.choice(kpi_id, CATALOGUE, "KPI")
    by = ids.chosen(params.choice(by, {ids.GEEN, *DIMENSIONS}, "Uitsplitsing"), ids.GEEN)
    per = params.choice(per, PER_VALUES, "Onderverdeling")
    jaar = params.choice(jaar, {str(y) for y in years}, "Jaar")
    if gemeente is not None:
        gemeente = params.choice(gemeente, {ids.ALLE} | {code for code, _ in runtime.service().gemeenten()},
                                 "Gemeente")
    state = explorer_state(search)
    if gemeente is not None and ids.chosen(gemeente, ids.ALLE) != state.gemeente:
        gemeente = ids.chosen(gemeente, ids.ALLE)
        query = params.query(state.to_search())
        query.pop("gemeente", None)
        query.pop("pagina", None)
        if gemeente:
            query["gemeente"] = gemeente
        return href(from_query(query, default, years))
    query = params.query(state.to_search())
    if kpi_id and kpi_id != state.kpi:
        query = {"kpi": kpi_id, "jaar": str(state.jaar), "per": state.per,
                 "f": [f"{d}:{v or ''}" for d, v in state.filters]}
        if state.gemeente:
            query["gemeente"] = state.gemeente
        if state.stand is not None:
            query["stand"] = state.stand
    else:
        if (by or None) != state.by or (jaar or str(state.jaar)) != str(state.jaar):
            query.pop("pagina", None)  # another breakdown starts at its first page
        query["by"] = by or ""
        query["per"] = per or state.per
        query["jaar"] = jaar or str(state.jaar)
    return href(from_query(query, default, years))


def href_after_drill(search, key) -> str:
    key = params.text(key, "De groep", MAX_KEY)
    state = explorer_state(search)
    if state.by is None:
        raise PreventUpdate
    drilled = state.drill(None if key in (None, figures.EMPTY_KEY) else key, None)
    return href(drilled.__class__(**{**drilled.__dict__, "by": next_breakdown(drilled)}))


def href_after_crumb(search, depth) -> str:
    return href(explorer_state(search).back_to(params.index(depth, "stap in het inzoompad")))


# --- layout ------------------------------------------------------------------------------------

def _filter_text(dimension: str, value: str | None, labels: dict) -> str:
    dim = DIMENSIONS[dimension]
    if value is None:
        return f"{dim.naam}: {dim.empty_label or 'leeg'}"
    return f"{dim.naam}: {labels.get((dimension, value), value)}"


def breadcrumb(state: ExplorerState, labels: dict) -> html.Nav:
    items = [html.Li(html.Button("Alle jeugdhulp", id={"type": ids.CRUMB, "index": 0},
                                 className="btn btn-link", n_clicks=0) if state.filters
                     else html.Span("Alle jeugdhulp", **{"aria-current": "page"}),
                     className="breadcrumb-item")]
    for i, (dimension, value) in enumerate(state.filters, start=1):
        text = _filter_text(dimension, value, labels)
        last = i == len(state.filters)
        items.append(html.Li(html.Span(text, **{"aria-current": "page"}) if last else
                             html.Button(text, id={"type": ids.CRUMB, "index": i},
                                         className="btn btn-link", n_clicks=0),
                             className="breadcrumb-item"))
    return html.Nav(html.Ol(items, className="breadcrumb mb-2"), className="breadcrumb-bar",
                    **{"aria-label": "Inzoompad"})


def controls(state: ExplorerState, service=None) -> dbc.Row:
    kpi = CATALOGUE[state.kpi]
    years, _ = runtime.years_available()
    if state.stand is not None:
        years = [state.jaar]  # a stand holds one year (layout shows it whatever the link asked)
    status = runtime.data_status()
    shown = kpis_shown(status.berichtenverkeer, status.leeg)
    kpi_options = [{"label": f"{AXIS_NAMES[k.as_]} · {k.naam}", "value": k.id}
                   for axis in AXIS_NAMES for k in CATALOGUE.values()
                   if k.as_ == axis and (k in shown or k.id == state.kpi)]
    by_options = [{"label": "Geen uitsplitsing", "value": ids.GEEN}] + [
        {"label": DIMENSIONS[d].naam, "value": d} for d in kpi.breakdowns
        if d == state.by or d not in {f for f, _ in state.filters}]
    return dbc.Row([
        dbc.Col([dbc.Label("KPI", html_for=ids.KPI), dbc.Select(id=ids.KPI, value=state.kpi, options=kpi_options)],
                md=True, className="mb-2"),  # the room the others leave
        dbc.Col([dbc.Label("Uitsplitsen naar", html_for=ids.BY),
                 dbc.Select(id=ids.BY, value=state.by or ids.GEEN, options=by_options)], md=3, className="mb-2"),
        dbc.Col([dbc.Label("Trend", html_for=ids.PER),
                 dbc.Select(id=ids.PER, value=state.per,
                            options=[{"label": PER_LABELS[p], "value": p} for p in PER_VALUES
                                     if p in kpi.per_toegestaan])], md=2, className="mb-2"),
        dbc.Col([dbc.Label("Jaar", html_for=ids.VK_JAAR),
                 dbc.Select(id=ids.VK_JAAR, value=str(state.jaar),
                            options=components.year_options(years, (service or runtime.service()).data_status().data_tot))],
                md="auto", className="mb-2"),  # as wide as "2026 (t/m september)"
        gemeente_control(state, service),
    ], className="g-3 mb-2")


def gemeente_control(state: ExplorerState, service=None):
    """Shown only when the warehouse holds several gemeenten (always present for the callback)."""
    gemeenten = (service or runtime.service()).gemeenten()
    return dbc.Col([dbc.Label("Gemeente", html_for=ids.VK_GEMEENTE),
                    dbc.Select(id=ids.VK_GEMEENTE, value=state.gemeente or ids.ALLE,
                               options=[{"label": "Alle gemeenten", "value": ids.ALLE}] +
                                       [{"label": naam, "value": code} for code, naam in gemeenten])],
                   md=3, className="mb-2" if len(gemeenten) > 1 else "d-none")


def how_computed(state: ExplorerState) -> html.Details:
    kpi = CATALOGUE[state.kpi]
    items = [html.P(kpi.definitie),
             html.P(f"n = {kpi.n_omschrijving}. Richting: "
                    f"{RICHTING_NAMEN[kpi.richting]}."),
             html.P("Uitsplitsingen: " + ", ".join(DIMENSIONS[d].naam.lower() for d in kpi.breakdowns) + ".")]
    for b in kpi.benchmarks:
        items.append(html.P(f"Referentie: {fmt.value(b.waarde, kpi.eenheid)} in {b.jaar} ({b.bron})."))
    return html.Details([html.Summary("Hoe berekend?"), html.Div(items, className="mt-2")],
                        className="how-computed mb-3", id="hoe-berekend")


def _service_of(state: ExplorerState):
    """(service, label) for the view: the live service, or the stand's frozen one.
    Raises StandError (Dutch) for a stand that does not exist."""
    if state.stand is None:
        return runtime.service(), None
    from dashboard.server.stand_source import service_and_programme

    frozen, _programme, label = service_and_programme(state.stand)
    return frozen, label


def stand_banner(state: ExplorerState, label: str | None) -> list:
    """"Vastgestelde stand per …" above a stand's view, with the ways out (nothing for live figures)."""
    if label is None:
        return []
    banner = dbc.Alert([html.I(className="bi bi-lock-fill", **{"aria-hidden": "true"}),
                        html.Strong(f" Vastgestelde {label[0].lower()}{label[1:]}"),
                        ". De cijfers veranderen niet meer. ",
                        html.A("Deze weergave met de actuele cijfers", href=href(replace(state, stand=None)),
                               className="alert-link"), " · ",
                        html.A("terug naar het overzicht van de stand", href=f"/?stand={state.stand}",
                               className="alert-link")],
                       color="info", className="stand-banner", id="stand-banner")
    return [banner]


def not_in_stand(state: ExplorerState, label: str) -> dbc.Alert:
    return dbc.Alert([
        f"Deze weergave hoort niet bij de {label[0].lower()}{label[1:]}. Een stand bevat alleen wat bij het "
        "vastleggen is getoond: het overzicht, de presentatie en per KPI de weergave waar het overzicht "
        "naar verwijst. ",
        html.A("Bekijk deze weergave met de actuele cijfers", href=href(replace(state, stand=None)),
               className="alert-link"), "."], color="warning", id="niet-in-stand")


def layout(**query) -> html.Div:
    from dashboard.programme.frozen import NotInSnapshot
    from data.programme.stand_store import StandError

    years, default = runtime.years_available()
    state = from_query(query, default, years)
    kpi = CATALOGUE[state.kpi]
    try:
        service, label = _service_of(state)
    except StandError as exc:
        return html.Div([html.H1(f"Verkenner: {kpi.naam}"), dbc.Alert(str(exc), color="warning"),
                         html.A("Naar de actuele cijfers", href=href(replace(state, stand=None)))])
    page_messages: list[str] = []
    query, year_message = in_stand_year(query, service)  # a stand's one year; another is said, not shown
    page_messages += [year_message] if year_message else []
    state = state_of_query(query, service)  # a wijk, school, … the figures do not hold: dropped, said
    missing = () if state.stand is not None else missing_tables(kpi, service.data_status().leeg)
    try:
        # a KPI whose facts were never loaded has no value anywhere: said, not drawn as "<10"
        parts = ([dbc.Alert(f"Deze KPI heeft geen waarden: {not_loaded(missing)}.", color="info",
                            id="verkenner-geen-gegevens")]
                 if missing else view_parts(service, state, page_messages))
    except NotInSnapshot:
        parts = [not_in_stand(state, label)]
    except KpiRequestError as exc:
        parts = [dbc.Alert(f"Deze combinatie kan niet worden berekend: {exc}", color="warning")]
    return html.Div([
        html.H1(f"Verkenner: {kpi.naam}"),
        *stand_banner(state, label),
        *(components.nothing_loaded(service) if state.stand is None else []),
        *components.notices(state.messages + tuple(page_messages)),
        # a slide adds the live view, not the stand's; and not a view without values
        *([] if state.stand is not None or missing else add_to_presentation()),
        controls(state, service),
        breadcrumb(state, filter_labels(state, service)),
        how_computed(state),
        *parts,
    ])


def add_to_presentation() -> list:
    """'Toevoegen aan presentatie', for the programmamanager only (the write is checked again)."""
    from flask import has_request_context

    from dashboard.server.auth import current_user
    from data.accounts.permissions import is_manager

    if not (has_request_context() and is_manager(current_user())):
        return []
    return [html.Div([
        html.Button([html.I(className="bi bi-easel", **{"aria-hidden": "true"}), " Toevoegen aan presentatie"],
                    id=ids.ADD_SLIDE, n_clicks=0, className="btn btn-sm btn-outline-primary"),
        html.Div(id=ids.ADD_SLIDE_MSG, className="mt-2", **{"aria-live": "polite"}),
    ], className="mb-2 d-print-none")]


def added_message(search: str | None):
    """Add the current view to the presentation; the Dutch outcome as an alert."""
    from dashboard.server.auth import current_user
    from dashboard.server.stand_view import add_view

    outcome = add_view(current_user(), search)
    return dbc.Alert([outcome.message] + ([" ", html.A("Naar de lijst", href="/standen", className="alert-link")]
                                          if outcome.ok else []),
                     color="success" if outcome.ok else "danger", className="py-2 mb-0")


def export_file(search: str | None, kind: str, trend: bool = False) -> dict:
    """The explorer's current breakdown, or its trend (`trend`; a view without a breakdown has
    only its trend), as a CSV or Excel download (what dcc.Download expects): the rows the page's
    table shows, computed the same way."""
    from dashboard.exports.export_table import filename, to_csv, to_xlsx

    state = explorer_state(search)
    service, label = _service_of(state)  # a stand's view: its frozen figures, labelled
    result = (compute_trend(service, state) if trend or not state.by
              else service.compute(state.breakdown_request()))
    status = service.data_status()
    labels = {(d, v): service.group_label(d, v) for d, v in result.request.where if v is not None}
    content = (to_csv if kind == "csv" else to_xlsx)(result, status, labels, label)
    return dcc.send_bytes(content, filename(result, kind))


def download(search: str | None, kind: str, trend: bool = False) -> tuple:
    """(file, message) for the download buttons. A page left open while its stand was removed, or
    a request for a view the stand does not hold, gets no file but the Dutch reason."""
    from dashboard.programme.frozen import NotInSnapshot
    from data.programme.stand_store import StandError

    try:
        return export_file(search, kind, trend), None
    except StandError as exc:
        reason = f"{exc} Laad de pagina opnieuw."
    except NotInSnapshot:
        reason = "Deze weergave hoort niet bij de stand; er is niets te downloaden."
    except KpiRequestError as exc:
        reason = f"Deze combinatie kan niet worden berekend: {exc}"
    return no_update, dbc.Alert(reason, color="warning", className="py-2 mb-0")


# --- callbacks: thin wrappers ------------------------------------------------------------------

def _new_location(target: str, search) -> str:
    """Only navigate when the view changes. The current URL may be a shorter spelling of the same
    view (a link without `by` or `per`): writing its canonical form would push a second history
    entry, and the back button would land on the short URL, which shows the same view again — the
    user could never leave. Same view: no navigation."""
    search = params.search(search)
    if target in (PATH + search, href(explorer_state(search))):
        raise PreventUpdate
    return target


def clicked_key(click) -> str | None:
    """The group key of a clicked bar (its customdata), None when the click holds none."""
    points = click.get("points") if isinstance(click, dict) else None
    if not isinstance(points, list) or not points or not isinstance(points[0], dict):
        return None
    return params.text(points[0].get("customdata"), "De groep", MAX_KEY)


def register_callbacks(app) -> None:
    @app.callback(Output(ids.NAV, "href", allow_duplicate=True),
                  Input(ids.KPI, "value"), Input(ids.BY, "value"), Input(ids.PER, "value"),
                  Input(ids.VK_JAAR, "value"), Input(ids.VK_GEMEENTE, "value"),
                  State(ids.NAV, "search"), State(ids.NAV, "pathname"), prevent_initial_call=True)
    @refusing()
    def on_controls(kpi_id, by, per, jaar, gemeente, search, pathname):
        if pathname != PATH:
            raise PreventUpdate
        return _new_location(href_after_controls(search, kpi_id, by, per, jaar, gemeente), search)

    @app.callback(Output(ids.DOWNLOAD, "data"), Output(ids.DOWNLOAD_MSG, "children"), Input(ids.DOWNLOAD_CSV, "n_clicks"),
                  Input(ids.DOWNLOAD_XLSX, "n_clicks"), State(ids.NAV, "search"), prevent_initial_call=True)
    def on_download(csv_clicks, xlsx_clicks, search):
        if ctx.triggered_id not in (ids.DOWNLOAD_CSV, ids.DOWNLOAD_XLSX) or not (params.clicks(csv_clicks)
                                                                              or params.clicks(xlsx_clicks)):
            raise PreventUpdate
        return download(search, "csv" if ctx.triggered_id == ids.DOWNLOAD_CSV else "xlsx")

    @app.callback(Output(ids.TREND_DOWNLOAD, "data"), Output(ids.TREND_DOWNLOAD_MSG, "children"),
                  Input(ids.TREND_DOWNLOAD_CSV, "n_clicks"), Input(ids.TREND_DOWNLOAD_XLSX, "n_clicks"),
                  State(ids.NAV, "search"), prevent_initial_call=True)
    def on_trend_download(csv_clicks, xlsx_clicks, search):
        if ctx.triggered_id not in (ids.TREND_DOWNLOAD_CSV, ids.TREND_DOWNLOAD_XLSX) or not (
                params.clicks(csv_clicks) or params.clicks(xlsx_clicks)):
            raise PreventUpdate
        return download(search, "csv" if ctx.triggered_id == ids.TREND_DOWNLOAD_CSV else "xlsx", trend=True)

    @app.callback(Output(ids.ADD_SLIDE_MSG, "children"), Input(ids.ADD_SLIDE, "n_clicks"),
                  State(ids.NAV, "search"), prevent_initial_call=True)
    def on_add_to_presentation(clicks, search):
        if not params.clicks(clicks):
            raise PreventUpdate
        return added_message(params.search(search))

    @app.callback(Output(ids.NAV, "href", allow_duplicate=True), Input(ids.BAR, "clickData"),
                  State(ids.NAV, "search"), prevent_initial_call=True)
    @refusing()
    def on_bar_click(click, search):
        key = clicked_key(click)
        if key is None:
            raise PreventUpdate
        return _new_location(href_after_drill(search, key), search)

    @app.callback(Output(ids.NAV, "href", allow_duplicate=True),
                  Input({"type": DRILL, "key": ALL}, "n_clicks"), State(ids.NAV, "search"),
                  prevent_initial_call=True)
    @refusing()
    def on_drill_button(clicks, search):
        if not isinstance(ctx.triggered_id, dict) or not any(params.clicks(c) for c in clicks or []):
            raise PreventUpdate
        return _new_location(href_after_drill(search, ctx.triggered_id.get("key")), search)

    @app.callback(Output(ids.NAV, "href", allow_duplicate=True),
                  Input({"type": ids.CRUMB, "index": ALL}, "n_clicks"), State(ids.NAV, "search"),
                  prevent_initial_call=True)
    @refusing()
    def on_crumb(clicks, search):
        if not isinstance(ctx.triggered_id, dict) or not any(params.clicks(c) for c in clicks or []):
            raise PreventUpdate
        return _new_location(href_after_crumb(search, ctx.triggered_id.get("index")), search)
