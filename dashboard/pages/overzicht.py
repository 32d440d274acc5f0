"""/ — Overzicht: per axis the KPI cards of the chosen year."""
from __future__ import annotations

from urllib.parse import urlencode

import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html
from dash.exceptions import PreventUpdate

from dashboard.programme.overview import CardData, left_out_notes, overview_cards
from dashboard.server import params, runtime, viewer
from dashboard.server.callback_guard import refusing
from dashboard.ui import components, ids
from dashboard.ui.explorer_links import card_href
from dashboard.ui.forecast_view import running_year
from dashboard.ui.growth_view import overview_link
from dashboard.ui.road_view import road_help, road_line
from dashboard.ui.signals_view import overview_signals
from kpi import AXIS_NAMES
from kpi import format as fmt
from kpi.settings import min_cell_size

PATH = "/"
NAME = "Overzicht"
TITLE = "Overzicht – Jeugdmonitor Huizen"


def overview_href(jaar: str | int | None, gemeente: str | None = None) -> str:
    params = [("jaar", str(jaar))] if jaar else []
    if gemeente:
        params.append(("gemeente", gemeente))
    return "/?" + urlencode(params) if params else "/"


def current_view_href(search) -> str:
    """The canonical URL of the overview that `search` shows (no `jaar`: the default year)."""
    query = params.query(search)
    years, default = runtime.years_available()
    jaar, _message = params.year(query.get("jaar"), years, default)
    return overview_href(jaar, params.one(query.get("gemeente")))


def trend_line(card: CardData, trend_numbers: str) -> html.P:
    """The sparkline and the years it spans; with no year to draw (every one afgeschermd or without
    a value), a few words instead of the years beside an empty line."""
    span = f"{card.trend_labels[0]}–{card.trend_labels[-1]}"
    if not any(value is not None for value in card.trend_values):
        return html.P(f"geen trend te tonen ({span})", className="small text-body-secondary mb-1")
    return html.P([components.sparkline(card.trend_values, last_partial=bool(card.deeljaar)),
                   html.Span(f" {span}", className="small text-body-secondary"),
                   html.Span(f"Trend {trend_numbers}", className="visually-hidden")], className="mb-1")


def kpi_card(card: CardData, gemeente: str | None, stand=None) -> dbc.Card:
    trend_numbers = ", ".join(f"{label}: {fmt.value(v, card.kpi.eenheid)}"
                              for label, v in zip(card.trend_labels, card.trend_values, strict=True))
    body = [
        html.H3(card.kpi.naam, className="card-title"),
        html.P([components.shown_value(card.value_text, card.suppressed, card.threshold)] + ([html.Span(f" {card.deeljaar}", className="kpi-partial")] if card.deeljaar else []),
               className="kpi-value mb-1"),
        html.P([components.status_badge(card.status, card.reden)]
               + ([] if card.reden == card.target_text else [html.Span(components.kept_together(" · " + card.target_text))]),
               className="small mb-1"),  # "geen streefwaarde" once, not as the reason and the target
        html.P(card.change_text, className="small text-body-secondary mb-1"),
        road_line(card.road, compact=True) if card.road is not None else None,
        trend_line(card, trend_numbers),
    ]
    if card.benchmark:
        body.append(html.P(card.benchmark, className="small text-body-secondary mb-1"))
    body.append(html.A("Bekijk in de verkenner", href=card_href(card, gemeente, stand),
                       className="stretched-link small", **{"aria-label": f"Bekijk in de verkenner: {card.kpi.naam}"}))
    return dbc.Card(dbc.CardBody(body), className="kpi-card shadow-sm")


def presentation_links(jaar: int) -> html.P:
    """From the overview to the commissie presentation and to its PowerPoint, one click each."""
    from dashboard.exports import presentation_export
    from dashboard.pages.presentatie import slide_href

    return html.P([
        html.A([html.I(className="bi bi-easel", **{"aria-hidden": "true"}), " Presentatie starten"],
               href=slide_href(1, jaar), className="me-3"),
        html.A([html.I(className="bi bi-file-earmark-ppt", **{"aria-hidden": "true"}), " Download als PowerPoint"],
               href=presentation_export.href(jaar)),
    ], className="mb-0 mt-1")


def year_control(years: range, jaar: int, data_tot=None) -> html.Div:
    return html.Div([
        dbc.Label("Jaar", html_for=ids.JAAR, className="me-2 mb-0"),
        dbc.Select(id=ids.JAAR, value=str(jaar), style={"width": "auto"},  # "2026 (t/m september)" whole
                   options=components.year_options(years, data_tot)),
    ], className="d-flex align-items-center")


def gemeente_control(gemeenten: list[tuple[str, str]], gemeente: str | None) -> html.Div:
    """Shown only when the warehouse holds several gemeenten (always present for the callback)."""
    return html.Div([
        dbc.Label("Gemeente", html_for=ids.GEMEENTE, className="me-2 mb-0"),
        dbc.Select(id=ids.GEMEENTE, value=gemeente or ids.ALLE,
                   options=[{"label": "Alle gemeenten", "value": ids.ALLE}] +
                           [{"label": naam, "value": code} for code, naam in gemeenten]),
    ], className="d-flex align-items-center ms-3" if len(gemeenten) > 1 else "d-none")


def stand_links(stand_id) -> html.P:
    """From a stand's overview to everything else of that stand, one click each."""
    from dashboard.server.stand_view import stand_links as links

    return html.P([html.A([html.I(className=f"bi {icon}", **{"aria-hidden": "true"}), f" {text}"],
                          href=target, className="me-3")
                   for text, target, icon in links(stand_id)], className="mb-2", id="stand-links")


def frozen_layout(stand: str, jaar=None) -> html.Div:
    """/?stand=ID: the cards of a vastgestelde stand, from its frozen figures and programme, of
    the stand's year (a link's other `jaar` is said, not shown)."""
    from dashboard.server.stand_source import service_and_programme
    from data.programme.stand_store import StandError
    from kpi import KpiRequestError

    try:
        frozen, programme, label = service_and_programme(stand)
    except StandError as exc:
        return html.Div([html.H1("Overzicht"), dbc.Alert(str(exc), color="warning"),
                         html.A("Naar de actuele cijfers", href="/")])
    info = frozen.info
    banner = dbc.Alert([html.I(className="bi bi-lock-fill", **{"aria-hidden": "true"}),
                        html.Strong(f" Vastgestelde {label[0].lower()}{label[1:]}"),
                        html.Span(". De cijfers veranderen niet meer; "),
                        html.A("naar de actuele cijfers", href=overview_href(info.jaar), className="alert-link"),
                        html.Span(".")], color="info", className="stand-banner", id="stand-banner")
    status = frozen.data_status()
    data_text = (f"Vastgelegd op {fmt.datum(info.gemaakt_op.date())} door {info.gemaakt_door}"
                 + (f"; gegevens t/m {fmt.datum(status.data_tot)}" if status.data_tot else "") + ".")
    try:
        bands = overview_cards(frozen, info.jaar, programme)
    except KpiRequestError as exc:
        return html.Div([html.H1(f"Overzicht {info.jaar}"), banner,
                         dbc.Alert(components.as_sentence(str(exc)), color="warning")])
    return html.Div([
        html.H1(f"Overzicht {info.jaar}"),
        html.P(data_text, id=ids.DATA_STATUS, className="text-body-secondary"),
        banner,
        *components.notices([m for m in [params.stand_year(jaar, info.id, info.jaar)] if m]),
        stand_links(info.id),
        *_sections(bands, None, info.id, left_out=left_out_notes(status)),
        *road_note(bands),
        components.suppression_note(frozen.threshold),
    ])


def road_note(bands) -> list:
    """"Op weg naar 2028: hoe berekend?" under the cards, when a card shows its road."""
    roads = [card.road for cards in bands.values() for card in cards if card.road is not None]
    return [road_help(roads[0].eindjaar, f"Op weg naar {roads[0].eindjaar}: hoe berekend?")] if roads else []


FORECAST_SLOT, FORECAST_QUERY = "prognose-regel-plek", "prognose-regel-keuze"


def forecast_slot(jaar: int, gemeente: str | None) -> list:
    """The kosten band's forecast line, filled by a callback (the first computation takes
    seconds; the cards do not wait for it)."""
    return [dcc.Store(id=FORECAST_QUERY, data={"jaar": jaar, "gemeente": gemeente}),
            html.Div(id=FORECAST_SLOT, **{"aria-live": "polite"})]


def forecast_line(data) -> html.P | None:
    """The line for the store's choices, checked again; nothing for a year or gemeente the data do
    not hold, a complete year, or a forecast the engine refuses."""
    from dashboard.ui.forecast_view import overview_line
    from kpi.forecast import cached
    from kpi.forecast.errors import ForecastError

    if not isinstance(data, dict):
        raise params.BadInput("De pagina stuurde onvolledige gegevens; laad haar opnieuw.")
    years, _default = runtime.years_available()
    jaar = params.whole_number(data.get("jaar"), years.start, years.stop - 1) if years else None
    gemeente = data.get("gemeente")
    if jaar is None or (gemeente is not None and gemeente not in {c for c, _ in runtime.service().gemeenten()}):
        raise params.BadInput("Onbekend jaar of onbekende gemeente.")
    if not running_year(runtime.data_status().data_tot, jaar):
        return None
    try:
        return overview_line(cached.prognose(runtime.service(), jaar), gemeente)
    except ForecastError:
        return None


def _sections(bands, gemeente, stand=None, forecast=(), left_out: dict[str, str] | None = None) -> list:
    """One band per axis; `left_out`: per axis the sentence naming its KPIs without data."""
    left_out = left_out or {}
    return [html.Section([
        html.H2(axis_name, id=f"as-{axis}"),
        *([html.P(left_out[axis], className="small text-body-secondary", id=f"niet-getoond-{axis}")]
          if axis in left_out else ()),
        *(forecast if axis == "kosten" else ()),
        dbc.Row([dbc.Col(kpi_card(card, gemeente, stand), xs=12, sm=6, lg=4, xxl=3, className="mb-3")
                 for card in bands[axis]]),
        *([overview_link(bands[axis], gemeente, stand)] if axis == "kosten" else []),  # Waarom stijgen de kosten?
    ], className="axis-band", **{"aria-labelledby": f"as-{axis}"}) for axis, axis_name in AXIS_NAMES.items()]


def layout(jaar=None, gemeente=None, stand=None, **_query) -> html.Div:
    stand = params.stand(stand)
    if stand is not None:  # a stand's cards or a refusal, never live figures under its link
        return frozen_layout(stand, jaar)
    years, default = runtime.years_available()
    chosen, message = params.year(jaar, years, default)
    messages = [message] if message else []
    service = runtime.service()
    gemeenten = service.gemeenten()
    gemeente, rejected = params.option(gemeente, {code for code, _ in gemeenten}, None)
    if rejected:
        messages.append(f"Gemeente '{rejected}' staat niet in de gegevens; alle gemeenten worden getoond.")
    status = runtime.data_status()
    # nothing loaded yet (a new production database): cards would read "<10" as if there were a few
    bands = None if status.geladen_op is None else overview_cards(service, chosen, viewer.programme(), gemeente)
    data_text = "Nog geen gegevens geladen."
    if status.geladen_op:
        data_text = f"Gegevens geladen op {fmt.datum(status.geladen_op.date())}"
        if status.data_tot:
            data_text += f", t/m {fmt.datum(status.data_tot)}"
    if status.data_tot and status.data_tot.year == chosen and (status.data_tot.month, status.data_tot.day) != (12, 31):
        messages.append(f"{chosen} is nog niet compleet: de cijfers lopen t/m {fmt.datum(status.data_tot)}.")
    controls = [year_control(years, chosen, status.data_tot), gemeente_control(gemeenten, gemeente),
                html.Div(components.report_link(chosen), className="d-flex align-items-center ms-3")]
    forecast = forecast_slot(chosen, gemeente) if running_year(status.data_tot, chosen) else ()
    sections = ([components.nothing_loaded_notice()] if bands is None
                else [*_sections(bands, gemeente, forecast=forecast, left_out=left_out_notes(status)),
                      *road_note(bands)])
    return html.Div([
        html.Div([
            html.Div([html.H1(f"Overzicht {chosen}"),
                      html.P(data_text, id=ids.DATA_STATUS, className="text-body-secondary mb-0"),
                      presentation_links(chosen)]),
            html.Div(controls, className="d-flex"),
        ], className="d-flex flex-wrap justify-content-between align-items-end gap-3 mb-3"),
        *components.notices(messages),
        *overview_signals(viewer.may_see_signals(), service, gemeente),
        *sections,
        components.suppression_note(min_cell_size()),
    ])


def href_after_controls(jaar, gemeente, search) -> str:
    """The overview's URL after the year or the gemeente changed; PreventUpdate when it would not
    change (no duplicate history entry). The values come from the page's selects: BadInput for
    anything a select cannot hold."""
    years, _default = runtime.years_available()
    jaar = params.choice(jaar, {str(y) for y in years}, "Jaar")
    gemeente = ids.chosen(params.choice(gemeente, {ids.ALLE} | {code for code, _ in runtime.service().gemeenten()},
                                        "Gemeente"), ids.ALLE)
    target = overview_href(jaar, gemeente) if jaar else None
    if target is None or target in ("/" + params.search(search), current_view_href(search)):
        raise PreventUpdate  # the same view (perhaps spelled shorter): no second history entry
    return target


def register_callbacks(app) -> None:
    @app.callback(Output(ids.NAV, "href", allow_duplicate=True), Input(ids.JAAR, "value"),
                  Input(ids.GEMEENTE, "value"), State(ids.NAV, "search"), prevent_initial_call=True)
    @refusing()
    def go_to_year(jaar, gemeente, search):
        return href_after_controls(jaar, gemeente, search)

    @app.callback(Output(FORECAST_SLOT, "children"), Input(FORECAST_QUERY, "data"))
    @refusing(lambda _message: None)
    def show_forecast(data):
        return forecast_line(data)
