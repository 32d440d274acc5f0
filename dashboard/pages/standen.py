"""/standen — vastgestelde standen and the slides added to the presentation.

Everyone who may read (a raadslid too: "Standen" is in everyone's menu) sees the list of standen
with links to everything of that stand: its overview, presentation, PowerPoint, PDF report and the
programme's table as CSV and Excel. The programmamanager also sees the form to freeze a new stand, the delete buttons, and
the added explorer views with omhoog / omlaag / verwijderen. Every write is checked again on the
server (dashboard.server.stand_view → data.accounts.permissions), whatever the page showed.
"""
from __future__ import annotations

import datetime as dt

import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, ctx, html, no_update
from dash.exceptions import PreventUpdate
from flask import has_request_context

from dashboard.exports.explorer_slide import shown_title, state_of
from dashboard.programme.stand_freeze import MAX_PEILDATUM, list_snapshots
from dashboard.server import params, runtime, stand_view
from dashboard.server.callback_guard import refusing
from dashboard.ui import components, ids
from data.accounts.permissions import is_manager
from data.programme import stand_store
from kpi import format as fmt

PATH = "/standen"
NAME = "Standen"
TITLE = "Standen – Jeugdmonitor Huizen"
FREEZE, FREEZING = "Stand vastleggen", "Bezig met vastleggen…"


def user():
    """The logged-in account (None outside a request, e.g. when a test builds the layout)."""
    from dashboard.server.auth import current_user

    return current_user() if has_request_context() else None


# --- pure builders -----------------------------------------------------------------------------

def stand_cell(s: stand_store.StandInfo) -> list:
    """The links of one stand: overview, presentation and kostengroei, then its files."""
    named = f"stand per {fmt.datum(s.peildatum)}"
    files = stand_view.stand_links(s.id)[2:]  # after the presentation and the kostengroei
    links: list = [html.A("Overzicht in deze stand", href=f"/?stand={s.id}"), html.Br(),
                   html.A("Presentatie in deze stand", href=f"/presentatie?stand={s.id}"), html.Br(),
                   html.A("Kostengroei in deze stand", href=f"/kostengroei?stand={s.id}"), html.Br()]
    for i, (text, target, _icon) in enumerate(files):
        links += ([" · "] if i else []) + [html.A(text, href=target, **{"aria-label": f"{text}, {named}"})]
    return links


def standen_table(items: list[stand_store.StandInfo], manager: bool):
    if not items:
        return html.P("Er is nog geen stand vastgelegd.", className="text-body-secondary")
    head = [html.Th("Peildatum", scope="col"), html.Th("Titel", scope="col"), html.Th("Jaar", scope="col"),
            html.Th("Gemaakt door", scope="col"), html.Th("Gemaakt op", scope="col"),
            html.Th("Bekijken", scope="col")]
    if manager:
        head.append(html.Th(html.Span("Verwijderen", className="visually-hidden"), scope="col"))
    rows = []
    for s in items:
        cells = [html.Th(fmt.datum(s.peildatum), scope="row"), html.Td(s.titel, className="user-text"), html.Td(str(s.jaar)),
                 html.Td(s.gemaakt_door), html.Td(fmt.moment(s.gemaakt_op)),
                 html.Td(stand_cell(s))]
        if manager:  # two steps: open, then confirm
            cells.append(html.Td(html.Details([
                html.Summary("Verwijderen…", className="btn btn-sm btn-outline-danger"),
                html.Button("Definitief verwijderen", id={"type": ids.STAND_DELETE, "id": s.id}, n_clicks=0,
                            className="btn btn-sm btn-danger mt-1",
                            **{"aria-label": f"Stand per {fmt.datum(s.peildatum)} ({s.titel}) definitief verwijderen"}),
            ], className="stand-delete")))
        rows.append(html.Tr(cells))
    return html.Table([html.Caption("Vastgestelde standen, nieuwste peildatum eerst"),
                       html.Thead(html.Tr(head)), html.Tbody(rows)],
                      className="table table-sm align-middle kpi-table", id="standen-tabel")


def dias_table(items: list[stand_store.Dia], manager: bool):
    if not items:
        # only the programmamanager has the explorer's button: the others are not sent looking for it
        how = (" Kies in de verkenner ‘Toevoegen aan presentatie’." if manager
               else " De programmamanager kan weergaven uit de verkenner toevoegen.")
        return html.P("Nog geen weergaven toegevoegd." + how, className="text-body-secondary")
    rows = []
    data_tot = runtime.data_status().data_tot
    for number, d in enumerate(items, start=1):
        # as the slide and the explorer name it: "… 2026 (t/m september)", not the stored "… 2026"
        titel = shown_title(d.titel, state_of(d.weergave), data_tot)
        cells = [html.Th(str(number), scope="row"),
                 html.Td(html.A(titel, href="/verkenner" + d.weergave), className="user-text"),
                 html.Td(f"{d.toegevoegd_door}, {fmt.moment(d.toegevoegd_op)}")]
        if manager:
            buttons = []
            for actie, word, disabled in (("omhoog", "Omhoog", number == 1),
                                          ("omlaag", "Omlaag", number == len(items)),
                                          ("verwijderen", "Verwijderen", False)):
                buttons.append(html.Button(
                    word, id={"type": ids.DIA_ACTION, "id": d.id, "actie": actie}, n_clicks=0,
                    disabled=disabled,
                    className="btn btn-sm me-1 " + ("btn-outline-danger" if actie == "verwijderen"
                                                    else "btn-outline-secondary"),
                    **{"aria-label": f"{word}: {titel}"}))
            cells.append(html.Td(buttons))
        rows.append(html.Tr(cells))
    # their own numbers, not the slides': in the deck they follow the fixed slides (e.g. 15 and 16)
    head = [html.Th("Nr.", scope="col"), html.Th("Weergave", scope="col"), html.Th("Toegevoegd", scope="col")]
    if manager:
        head.append(html.Th("Volgorde", scope="col"))
    return html.Table([html.Caption("Weergaven uit de verkenner, na de vaste dia's van de presentatie"),
                       html.Thead(html.Tr(head)), html.Tbody(rows)],
                      className="table table-sm align-middle kpi-table", id="dias-tabel")


def message(outcome: stand_view.Outcome) -> dbc.Alert:
    return dbc.Alert(outcome.message, color="success" if outcome.ok else "danger", className="py-2")


def freeze_form(years: range, default: int) -> dbc.Card:
    return dbc.Card(dbc.CardBody([
        html.H2("Nieuwe stand vastleggen", className="h5"),
        html.P("Legt de cijfers van nu vast: het overzicht van het gekozen jaar, alle dia's van de "
               "presentatie (ook de toegevoegde weergaven) en de indicatoren van het programma. "
               "Ook als er later nieuwe gegevens komen of streefwaarden veranderen, blijft deze stand gelijk.",
               className="small text-body-secondary"),
        dbc.Row([
            dbc.Col([dbc.Label("Peildatum (dd-mm-jjjj)", html_for=ids.STAND_PEILDATUM),
                     dbc.Input(id=ids.STAND_PEILDATUM, type="text", inputMode="numeric",
                               value=f"{dt.date.today():%d-%m-%Y}")], md=2),
            # No maxLength on the peildatum and the title: the browser would cut a longer paste
            # without a word (a cut peildatum was then quoted cut as "geen datum"). The label names
            # the title's limit; a longer title is refused with its length, a peildatum that is no
            # date with what was typed (the form is not redrawn, so the fields keep it).
            dbc.Col([dbc.Label(f"Titel (ten hoogste {fmt.number(stand_store.MAX_TITEL)} tekens)",
                               html_for=ids.STAND_TITEL),
                     dbc.Input(id=ids.STAND_TITEL, type="text",
                               placeholder="bijvoorbeeld: commissie Samenleving 12 november")], md=5),
            dbc.Col([dbc.Label("Jaar", html_for=ids.STAND_JAAR),
                     dbc.Select(id=ids.STAND_JAAR, value=str(default),
                                options=components.year_options(years, runtime.data_status().data_tot))],
                    md=3),  # room for "2026 (t/m september)"
            dbc.Col(html.Button(FREEZE, id=ids.STAND_FREEZE, n_clicks=0,
                                className="btn btn-primary"), md=2, className="d-flex align-items-end"),
        ], className="g-3"),
    ]), className="mb-4 d-print-none")


#: The figures are the warehouse's when the stand is made (it keeps no history); the peildatum only
#: names the stand. "zoals ze op de peildatum waren" promised otherwise for a peildatum in the past.
INTRO = ("Een stand legt de cijfers vast zoals ze waren op het moment van vastleggen (‘Gemaakt op’), zodat ze "
         "tijdens een vergadering niet verschuiven; de peildatum en de titel geven de stand zijn naam "
         "(‘Stand per 12 november 2026’). De actuele cijfers blijven ernaast beschikbaar.")


def layout(**_query) -> html.Div:
    engine = runtime.current().engine
    manager = is_manager(user())
    years, default = runtime.years_available()
    parts = [
        html.H1("Vastgestelde standen"),
        html.P(INTRO, className="text-body-secondary"),
    ]
    if manager:
        parts.append(freeze_form(years, default))
    parts += [
        html.Div(id=ids.STAND_MSG, **{"aria-live": "polite"}),
        html.Div(standen_table(list_snapshots(engine), manager), id=ids.STAND_LIST),
        html.H2("Toegevoegde dia's", className="h4 mt-4"),
        html.Div(id=ids.DIA_MSG, **{"aria-live": "polite"}),
        html.Div(dias_table(stand_store.list_dias(engine), manager), id=ids.DIA_LIST),
    ]
    return html.Div(parts)


# --- callbacks: thin wrappers ------------------------------------------------------------------

def form_values(peildatum, titel, jaar) -> tuple:
    """The freeze form's values as sent: BadInput only for what no field could send (the wrong
    kind, a text far over any limit: params.typed_text); what was typed is the write path's to
    judge, and its refusal quotes it."""
    return (params.typed_text(peildatum, "De peildatum", MAX_PEILDATUM),
            params.typed_text(titel, "De titel", stand_store.MAX_TITEL),
            params.text(jaar, "Het jaar", 10))


def after_freeze(peildatum, titel, jaar):
    outcome = stand_view.freeze_stand(user(), peildatum, titel, jaar)
    return message(outcome), standen_table(list_snapshots(runtime.current().engine), is_manager(user()))


def after_delete(stand_id):
    outcome = stand_view.delete_stand(user(), stand_id)
    return message(outcome), standen_table(list_snapshots(runtime.current().engine), is_manager(user()))


def after_dia_action(dia_id, actie: str):
    if actie == "verwijderen":
        outcome = stand_view.remove_dia(user(), dia_id)
    else:
        outcome = stand_view.move_dia(user(), dia_id, -1 if actie == "omhoog" else 1)
    return message(outcome), dias_table(stand_store.list_dias(runtime.current().engine), is_manager(user()))


def _clicked() -> bool:
    """A real click (not a button appearing in a re-rendered list) on a button of the list."""
    return isinstance(ctx.triggered_id, dict) and any(params.clicks(t.get("value")) > 0 for t in ctx.triggered)


def _refused(message_text: str):
    """A request the page could not have sent: the message, the list as it was."""
    return message(stand_view.Outcome(False, message_text)), no_update


def register_callbacks(app) -> None:
    @app.callback(Output(ids.STAND_MSG, "children"), Output(ids.STAND_LIST, "children"),
                  Input(ids.STAND_FREEZE, "n_clicks"), State(ids.STAND_PEILDATUM, "value"),
                  State(ids.STAND_TITEL, "value"), State(ids.STAND_JAAR, "value"), prevent_initial_call=True,
                  # a freeze takes seconds: the button says so and takes no second click meanwhile
                  # (the old message stood unchanged, and a second click froze a second stand)
                  running=[(Output(ids.STAND_FREEZE, "disabled"), True, False),
                           (Output(ids.STAND_FREEZE, "children"), FREEZING, FREEZE)])
    @refusing(_refused)
    def on_freeze(clicks, peildatum, titel, jaar):
        if not params.clicks(clicks):
            raise PreventUpdate
        return after_freeze(*form_values(peildatum, titel, jaar))

    @app.callback(Output(ids.STAND_MSG, "children", allow_duplicate=True),
                  Output(ids.STAND_LIST, "children", allow_duplicate=True),
                  Input({"type": ids.STAND_DELETE, "id": ALL}, "n_clicks"), prevent_initial_call=True)
    def on_delete(_clicks):
        if not _clicked():
            raise PreventUpdate
        return after_delete(ctx.triggered_id["id"])

    @app.callback(Output(ids.DIA_MSG, "children"), Output(ids.DIA_LIST, "children"),
                  Input({"type": ids.DIA_ACTION, "id": ALL, "actie": ALL}, "n_clicks"),
                  prevent_initial_call=True)
    def on_dia_action(_clicks):
        if not _clicked() or ctx.triggered_id.get("actie") not in ("omhoog", "omlaag", "verwijderen"):
            raise PreventUpdate
        return after_dia_action(ctx.triggered_id["id"], ctx.triggered_id["actie"])
