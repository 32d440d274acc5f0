"""/prognose?jaar=2026&gemeente=GM0406&hulpvorm=verblijf — the year-end forecast of the kosten
(issue 17): the monthly and the cumulative chart with their tables, the year-end figures against
the begroting, per hulpvorm, and "Hoe betrouwbaar is deze prognose?". Built by
dashboard/ui/forecast_view.py from kpi/forecast/ (through the service's cache).

The first computation takes seconds, so the layout answers at once with the URL's choices checked,
and a callback fills the content under a loading indicator; the cache warmer computes the running
year's forecast after a load (dashboard/server/warmup.py). `?stand=ID`: the forecast is not part of
a stand, and the page says so instead of showing live figures.
"""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, dcc, html

from dashboard.server import params, runtime
from dashboard.server.callback_guard import refusing
from dashboard.ui import components
from dashboard.ui import forecast_view as view
from data.warehouse.codes import HULPVORM
from kpi import format as fmt
from kpi.forecast import cached
from kpi.forecast.errors import ForecastError

PATH = view.PATH
NAME = "Prognose"
TITLE = "Prognose kosten – Jeugdmonitor Huizen"
CONTENT = "prognose-inhoud"
QUERY = "prognose-keuze"
HULPVORM_LABELS = {c.code: c.label for c in HULPVORM.codes}


def forecast_years() -> tuple[range, int]:
    """The years a forecast can be asked for, and the default: the year of the newest data (the
    running year, or the last complete one)."""
    years, _default = runtime.years_available()
    status = runtime.data_status()
    return years, status.data_tot.year if status.data_tot else years.stop - 1


def choices(jaar=None, gemeente=None, hulpvorm=None) -> tuple[dict, list[str]]:
    """The URL's choices, checked (`dashboard/server/params.py`): ({jaar, gemeente, hulpvorm},
    messages). A bad value falls back to the default and says so in Dutch."""
    years, default = forecast_years()
    chosen, message = params.year(jaar, years, default)
    messages = [message] if message else []
    gemeenten = runtime.service().gemeenten()
    code, rejected = params.option(gemeente, {c for c, _ in gemeenten}, None)
    if rejected:
        messages.append(f"Gemeente '{rejected}' staat niet in de gegevens; alle gemeenten worden getoond.")
    vorm, rejected = params.option(hulpvorm, set(HULPVORM_LABELS), None)
    if rejected:
        messages.append(f"Hulpvorm '{rejected}' bestaat niet; alle hulpvormen worden getoond.")
    if vorm and code:
        messages.append("Een prognose per gemeente én hulpvorm is er niet; de hulpvorm wordt voor alle "
                        "gemeenten getoond.")
        code = None
    return {"jaar": chosen, "gemeente": code, "hulpvorm": vorm}, messages


def heading(choice: dict) -> str:
    if choice["hulpvorm"]:
        return f"Prognose kosten {choice['jaar']}: {HULPVORM_LABELS[choice['hulpvorm']]}"
    if choice["gemeente"]:
        naam = dict(runtime.service().gemeenten()).get(choice["gemeente"], choice["gemeente"])
        return f"Prognose kosten {choice['jaar']}: {naam}"
    return f"Prognose kosten jeugdhulp {choice['jaar']}"


def stand_layout(stand: str) -> html.Div:
    from dashboard.programme.stand_freeze import load_snapshot, stand_label
    from data.programme.stand_store import StandError

    try:
        label = stand_label(load_snapshot(runtime.current().engine, stand).info)
    except StandError as exc:
        return html.Div([html.H1("Prognose kosten"), dbc.Alert(str(exc), color="warning")])
    return html.Div([
        html.H1("Prognose kosten"),
        dbc.Alert([html.Strong(f"{label}: "), view.NOT_IN_STAND, " ",
                   html.A("Bekijk de actuele prognose", href=view.PATH, className="alert-link"), "."],
                  color="info", id="prognose-stand"),
        html.A("Terug naar het overzicht van de stand", href=f"/?stand={stand}"),
    ])


def layout(jaar=None, gemeente=None, hulpvorm=None, stand=None, **_query) -> html.Div:
    stand = params.stand(stand)
    if stand is not None:
        return stand_layout(stand)
    choice, messages = choices(jaar, gemeente, hulpvorm)
    back = ([html.A("Naar de prognose van het totaal", href=view.prognose_href(choice["jaar"]))]
            if choice["gemeente"] or choice["hulpvorm"] else [])
    return html.Div([
        html.H1(heading(choice)),
        html.P(["De verwachte kosten aan het eind van het jaar, met een 80%-interval: in 8 van de 10 gevallen valt "
                "de uitkomst daarbinnen. ", *back], className="mb-2"),
        *[dbc.Alert(m, color="warning", className="py-2") for m in messages],
        dcc.Store(id=QUERY, data=choice),
        dcc.Loading(html.Div(html.P("De prognose wordt berekend…", className="text-body-secondary"), id=CONTENT),
                    type="default", delay_show=150),
    ])


def content(choice: dict) -> list:
    """The page's content for checked choices; a year the forecast cannot be made for says why."""
    service = runtime.service()
    try:
        result = cached.prognose(service, choice["jaar"])
        backtest = cached.backtest(service)
    except ForecastError as exc:
        return [dbc.Alert(components.as_sentence(str(exc)), color="warning")]
    parts = view.forecast_content(
        result, backtest, choice["gemeente"], choice["hulpvorm"],
        gemeente_link=lambda p: view.prognose_href(result.jaar, gemeente=p.sleutel),
        hulpvorm_link=lambda p: view.prognose_href(result.jaar, hulpvorm=p.sleutel))
    if result.peildatum >= result.totaal.maanden[-1].maand.replace(day=31):
        parts.insert(0, dbc.Alert(f"{result.jaar} is afgesloten (peildatum {fmt.datum(result.peildatum)}): de "
                                  "jaarkosten zijn bekend, op nog na te komen declaraties na.", color="info",
                                  className="py-2"))
    return parts


def checked(data) -> dict:
    """The store's choices as the page wrote them, checked again (a request may be forged)."""
    if not isinstance(data, dict):
        raise params.BadInput("De pagina stuurde onvolledige gegevens; laad haar opnieuw.")
    choice, messages = choices(*(str(data.get(k)) if data.get(k) is not None else None
                                 for k in ("jaar", "gemeente", "hulpvorm")))
    if messages:
        raise params.BadInput(messages[0])
    return choice


def register_callbacks(app) -> None:
    @app.callback(Output(CONTENT, "children"), Input(QUERY, "data"))
    @refusing(lambda message: dbc.Alert(message, color="danger"))
    def fill(data):
        return content(checked(data))
