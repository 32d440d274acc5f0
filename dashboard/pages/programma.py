"""/programma — the programme tree: lijnen → maatregelen → indicatoren, or the doelstellingen."""
from __future__ import annotations

from collections import Counter
from urllib.parse import urlencode

import dash_bootstrap_components as dbc
from dash import Input, Output, State, html
from dash.exceptions import PreventUpdate

from dashboard.exports import programme_export
from dashboard.programme.progress import maatregelen_count_text, maatregelen_text, stand_counts_text
from dashboard.server import auth, params, runtime, stand_source, viewer
from dashboard.server.callback_guard import refusing
from dashboard.ui import components, ids
from dashboard.ui import programme_summary as summaries
from dashboard.ui.programme_view import (
    indicator_series,
    indicator_table,
    maatregel_table,
    page_query,
    programme_year,
)

PATH = "/programma"
NAME = "Programma"
TITLE = "Programma – Jeugdmonitor Huizen"
VIEWS = {"lijnen": "Strategische lijnen", "doelstellingen": "Doelstellingen"}


def programma_href(view: str, jaar: int | str, toon: str | None = None, stand: str | None = None) -> str:
    """The programme's URL; `stand` is kept as the lijn and indicator links keep it (page_query)."""
    query = {"view": view, "jaar": str(jaar)}
    if toon and toon != "alles":
        query["toon"] = toon
    if stand:
        query["stand"] = stand
    return PATH + "?" + urlencode(query)


def layout(view=None, jaar=None, toon=None, stand=None, **_query) -> html.Div:
    programme = viewer.programme()
    years, chosen, message = programme_year(jaar, programme.plan, *runtime.years_available())
    messages = [m for m in (message, stand_source.live_only_notice(stand)) if m]
    stand = params.stand(stand)  # every link of the page keeps it, and the next page says it again
    view, rejected = params.option(view, VIEWS, "lijnen")
    if rejected:
        messages.append(f"Weergave '{rejected}' bestaat niet; de strategische lijnen worden getoond.")
    toon, rejected = params.option(toon, summaries.FILTERS, "alles")
    if rejected:
        messages.append(f"Filter '{rejected}' bestaat niet; alles wordt getoond.")
    mine = _my_maatregelen()
    if toon == "mijn" and not mine:
        messages.append("U heeft geen maatregelen toegewezen; alles wordt getoond.")
        toon = "alles"
    service = runtime.service()
    header = html.Div([
        html.H1(programme.plan.naam),
        html.Div([dbc.Label("Jaar", html_for=ids.JAAR + "-programma", className="me-2 mb-0"),
                  dbc.Select(id=ids.JAAR + "-programma", value=str(chosen), style={"width": "auto"},
                             options=components.year_options(years, runtime.data_status().data_tot)),
                  html.Div(components.report_link(chosen), className="ms-3"),
                  html.A("Tabel (CSV)", href=programme_export.href(chosen, "csv"),
                         className="btn btn-outline-primary btn-sm ms-2",
                         **{"aria-label": f"Tabel (CSV) van de indicatoren over {chosen} downloaden"}),
                  html.A("Tabel (Excel)", href=programme_export.href(chosen, "xlsx"),
                         className="btn btn-outline-primary btn-sm ms-2",
                         **{"aria-label": f"Tabel (Excel) van de indicatoren over {chosen} downloaden"})],
                 className="d-flex align-items-center"),
    ], className="d-flex flex-wrap justify-content-between align-items-end gap-3 mb-2")
    tabs = html.Nav(dbc.Nav([dbc.NavItem(dbc.NavLink(label, href=programma_href(key, chosen, stand=stand),
                                                     active=key == view))
                             for key, label in VIEWS.items()], pills=True, className="mb-3"),
                    **{"aria-label": "Weergave"})
    if programme.is_empty:
        return html.Div([header, dbc.Alert("Er is nog geen programma geladen.", color="info")])
    sections = []
    if view == "lijnen":
        series_of = {ind.code: indicator_series(service, ind, chosen, programme.plan)
                     for ind in programme.indicators.values()}
        sections.append(programme_at_a_glance(programme, series_of, chosen, toon, bool(mine),
                                              viewer.shows_provisional(), stand))
        for lijn in programme.lijnen:
            maatregelen, indicators = summaries.filtered_lijn(toon, lijn, mine, series_of, chosen)
            if toon != "alles" and not maatregelen and not indicators:
                continue
            sections.append(lijn_section(service, lijn, maatregelen, indicators, series_of, chosen, toon,
                                         programme.plan, stand))
        if toon != "alles" and len(sections) == 1:
            sections.append(html.P("Niets om te tonen met dit filter." if toon == "aandacht"
                                   else "Uw maatregelen hebben geen indicatoren.", className="text-body-secondary"))
    else:
        for doel in programme.doelstellingen:
            sections.append(html.Section([
                html.H2(f"{doel.nummer}. {doel.naam}"),
                html.P(doel.omschrijving, className="text-body-secondary"),
                indicator_table(service, doel.indicatoren, chosen, f"Indicatoren van doelstelling {doel.nummer}",
                                programme.plan, stand=stand),
            ], className="axis-band"))
    return html.Div([header, *components.notices(messages), tabs, *sections])


def _my_maatregelen() -> frozenset[str]:
    user = auth.current_user()
    return user.maatregelen if user is not None and user.rol != "lezer" else frozenset()


def programme_at_a_glance(programme, series_of, jaar: int, toon: str, has_own: bool,
                          provisional: bool = False, stand: str | None = None) -> html.Section:
    """The programmamanager's first look: how the indicators and maatregelen stand, and filters."""
    found = summaries.summary(programme.lijnen, series_of, jaar)
    choices = {key: label for key, label in summaries.FILTERS.items() if key != "mijn" or has_own}
    filters = html.Nav(dbc.Nav([dbc.NavItem(dbc.NavLink(label, href=programma_href("lijnen", jaar, key, stand),
                                                        active=key == toon))
                                for key, label in choices.items()], pills=True, className="small"),
                       **{"aria-label": "Filter op de lijnen"})
    reasons = found.reasons_text()
    return html.Section([
        html.H2("Het programma in één oogopslag", className="h5"),
        html.P(found.indicator_text(jaar) + (f" ({reasons})" if reasons else ""), className="mb-1"),
        html.P(found.maatregel_text(jaar, provisional), className="mb-2"),
        filters,
    ], className="axis-band programme-summary")


def lijn_section(service, lijn, maatregelen, indicators, series_of, jaar: int, toon: str, plan,
                 stand: str | None = None) -> html.Details:
    """One strategische lijn, folded: its summary line says how it stands; open to see its tables
    (opened when a filter is on: what is left is what the reader asked for). Its links keep `jaar`
    and `stand` (page_query)."""
    summary = stand_counts_text([m.stand(jaar) for m in lijn.maatregelen]).replace(", ", " · ")
    judged = Counter(summaries.judgement(series_of[i.code][-1]) for i in lijn.all_indicators() if i.code in series_of)
    attention = judged.get("achter", 0) + judged.get("aandacht", 0)
    return html.Details([
        html.Summary([html.H2(f"{lijn.nummer}. {lijn.naam}", className="h4 d-inline"),
                      html.Span(f" · {maatregelen_text(len(lijn.maatregelen))}, {attention} indicator"
                                f"{'en' if attention != 1 else ''} met aandacht of achter",
                                className="small text-body-secondary")]),
        html.P(html.A(f"Naar lijn {lijn.nummer}, met de grafieken", href=f"{PATH}/{lijn.code}{page_query(jaar, stand)}"),
               className="mt-2 mb-1"),
        html.P(lijn.omschrijving, className="text-body-secondary"),
        html.P(f"{maatregelen_count_text(lijn.maatregelen)}, in {jaar}: {summary}.", className="small"),
        maatregel_table(maatregelen, f"Maatregelen van lijn {lijn.nummer}: status {jaar}", jaar, stand)
        if maatregelen else None,
        indicator_table(service, indicators, jaar, f"Indicatoren van lijn {lijn.nummer}", plan, series_of, stand)
        if indicators else None,
    ], open=toon != "alles", className="axis-band lijn-fold", id=f"lijn-{lijn.code}")


def href_after_year(jaar, search) -> str:
    """The programme's URL for another year, in the view shown; PreventUpdate when unchanged."""
    plan, (data_years, data_default) = runtime.plan(), runtime.years_available()
    years, _chosen, _message = programme_year(None, plan, data_years, data_default)
    jaar = params.choice(jaar, {str(y) for y in years}, "Jaar")
    if not jaar:
        raise PreventUpdate
    search = params.search(search)
    query = params.query(search)
    view, _rejected = params.option(query.get("view"), VIEWS, "lijnen")
    toon, _rejected = params.option(query.get("toon"), summaries.FILTERS, "alles")
    stand = params.stand(query.get("stand"))
    target = programma_href(view, jaar, toon, stand)
    current = programma_href(view, programme_year(query.get("jaar"), plan, data_years, data_default)[1], toon, stand)
    if target in (PATH + search, current):
        raise PreventUpdate  # the same view (perhaps spelled shorter): no second history entry
    return target


def register_callbacks(app) -> None:
    @app.callback(Output(ids.NAV, "href", allow_duplicate=True), Input(ids.JAAR + "-programma", "value"),
                  State(ids.NAV, "search"), prevent_initial_call=True)
    @refusing()
    def go_to_year(jaar, search):
        return href_after_year(jaar, search)
