"""/kostengroei — "Waarom stijgen de kosten?": the change of the totale kosten between two years (a
running year: the same months of both) in a volume, a mix and an intensity effect, as a waterfall
and per group, drillable by hulpvorm, aanbieder, verwijzer and wijk (kpi/cost_growth.py computes it).

The whole view is its URL (dashboard/ui/growth_state.py): the selects write a new URL, a drill is a
link to the next URL, a breadcrumb step a link back, so a link or reload shows the same view and
the back button steps back through the drill-down. With `stand=ID` the view comes from that
vastgestelde stand only, under a banner; a view the stand did not record says so, with a link to
the same view in the live figures — never live figures under a stand's name.
"""
from __future__ import annotations

from dataclasses import replace

import dash_bootstrap_components as dbc
from dash import Input, Output, State, html
from dash.exceptions import PreventUpdate

from dashboard.programme.frozen import NotInSnapshot
from dashboard.programme.growth import question
from dashboard.server import params, runtime
from dashboard.server.callback_guard import refusing
from dashboard.ui import components, ids
from dashboard.ui.explorer_view import figures_of, in_stand_year, known_groups
from dashboard.ui.growth_state import PATH, GrowthState, from_query
from dashboard.ui.growth_view import (
    breadcrumb,
    controls,
    dimensions_of,
    how_computed,
    labels_of,
    reach_of,
    view_parts,
)
from dashboard.ui.state import years_with_data
from kpi import KpiRequestError

NAME = "Kostengroei"
TITLE = "Kostengroei – Jeugdmonitor Huizen"


def _stand_banner(state: GrowthState, label: str) -> dbc.Alert:
    return dbc.Alert([html.I(className="bi bi-lock-fill", **{"aria-hidden": "true"}),
                      html.Strong(f" Vastgestelde {label[0].lower()}{label[1:]}"),
                      ". De cijfers veranderen niet meer. ",
                      html.A("Deze weergave met de actuele cijfers", href=replace(state, stand=None).href(),
                             className="alert-link"), " · ",
                      html.A("terug naar het overzicht van de stand", href=f"/?stand={state.stand}",
                             className="alert-link")],
                     color="info", className="stand-banner", id="stand-banner")


def not_in_stand(state: GrowthState, label: str) -> dbc.Alert:
    return dbc.Alert([
        f"Deze weergave hoort niet bij de {label[0].lower()}{label[1:]}. Een stand bevat van de kostengroei "
        "alleen wat bij het vastleggen op deze pagina te zien was: het jaar van de stand, per hulpvorm, aanbieder, "
        "verwijzer en wijk, met één stap inzoomen. Een stand van vóór deze pagina bevat haar niet. ",
        html.A("Bekijk deze weergave met de actuele cijfers", href=replace(state, stand=None).href(),
               className="alert-link"), "."], color="warning", id="niet-in-stand")


def layout(**query) -> html.Div:
    from dashboard.server.stand_source import service_and_programme
    from data.programme.stand_store import StandError

    stand = params.stand(query.get("stand"))
    service, label, year_message = runtime.service(), None, None
    years, default = runtime.years_available()
    if stand is not None:  # a stand's figures or a refusal, never live figures under its link
        try:
            service, _programme, label = service_and_programme(stand)
        except StandError as exc:
            return html.Div([html.H1(question(None)), dbc.Alert(str(exc), color="warning"),
                             html.A("Naar de actuele cijfers", href=PATH)])
        years, _ = years_with_data(service.data_status().data_tot)
        default = service.info.jaar
        # a stand holds one year: another year of the link is said, and its vergelijk goes with it
        query, year_message = in_stand_year(query, service, dropped=("vergelijk",))
    state = from_query(query, years, default, dimensions_of(service), known_groups(service))
    if year_message:
        state = replace(state, messages=(year_message,) + state.messages)
    banner = [_stand_banner(state, label)] if label and state.stand else []
    result, parts = None, []
    try:
        result, parts = view_parts(service, state)
    except NotInSnapshot:
        parts = [not_in_stand(state, label)]
    except KpiRequestError as exc:
        parts = [dbc.Alert(f"Deze vergelijking kan niet worden berekend: {exc}.", color="warning",
                           id="kostengroei-fout")]
    threshold = result.min_cell_size if result else service.threshold
    base = result.afronding if result else None
    return html.Div([
        html.H1(question(result.verandering_cent if result else None)),
        *banner,
        *(components.nothing_loaded(service) if state.stand is None else []),
        *components.notices(state.messages),
        controls(state, years, dimensions_of(service), reach_of(result, service.data_status().data_tot)),
        breadcrumb(state, labels_of(service, state)),
        *[part for part in parts if part is not None],
        how_computed(state.by, threshold),
        components.suppression_note(threshold, base),
    ], className="kostengroei")


# --- callbacks: thin wrappers ------------------------------------------------------------------

def state_of(search) -> GrowthState:
    """The state of query string `search`, within the years the live data cover."""
    years, default = runtime.years_available()
    query = params.query(search)
    stand = params.stand(query.get("stand"))
    if stand is not None:  # as the page reads it: in the stand's one year
        query, _message = in_stand_year(query, figures_of(stand), dropped=("vergelijk",))
    return from_query(query, years, default, dimensions_of(runtime.service()), known_groups(stand=stand))


def href_after_controls(search, jaar, vergelijk, by) -> str:
    """The URL after a select changed: another year compares with the year before it (unless the
    year to compare with is what changed), another grouping keeps the drill path. The values come
    from the page's selects: BadInput for anything a select cannot hold; PreventUpdate when the
    view stays the same (no second history entry)."""
    years, _default = runtime.years_available()
    state = state_of(search)
    jaar = params.choice(jaar, {str(y) for y in years}, "Jaar")
    vergelijk = params.choice(vergelijk, {str(y) for y in years}, "Vergelijkingsjaar")
    by = params.choice(by, set(dimensions_of(runtime.service())), "Verdeling")
    query = params.query(state.to_search())
    if jaar and int(jaar) != state.jaar:
        query["jaar"], query["vergelijk"] = jaar, str(int(jaar) - 1)
    elif vergelijk and int(vergelijk) != state.vergelijk:
        query["vergelijk"] = vergelijk
    if by and by != state.by:
        query["by"] = by
    target = from_query(query, years, state.jaar, dimensions_of(runtime.service())).href()
    if target in (PATH + params.search(search), state.href()):
        raise PreventUpdate
    return target


def register_callbacks(app) -> None:
    @app.callback(Output(ids.NAV, "href", allow_duplicate=True),
                  Input(ids.KG_JAAR, "value"), Input(ids.KG_VERGELIJK, "value"), Input(ids.KG_BY, "value"),
                  State(ids.NAV, "search"), State(ids.NAV, "pathname"), prevent_initial_call=True)
    @refusing()
    def on_controls(jaar, vergelijk, by, search, pathname):
        if pathname != PATH:
            raise PreventUpdate
        return href_after_controls(search, jaar, vergelijk, by)
