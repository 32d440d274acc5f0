"""/beheer?periode=2026-Q4 — the reporting cycle. A trekker reports per kwartaal on their own
maatregelen (status and a short toelichting) and opens their indicators to update targets and
realisaties; the programmamanager sees who has reported, locks (vaststellen) a reviewed quarter
or unlocks it with a reason, and exchanges the targets with Excel. Every write is checked on the
server (dashboard.ui.editing → data.programme.edits)."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Mapping
from urllib.parse import urlencode

import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard.exports import targets_exchange
from dashboard.programme import history
from dashboard.programme.progress import MAATREGEL_STATUS_LABELS
from dashboard.server import auth, params, runtime, viewer
from dashboard.server.callback_guard import refusing
from dashboard.ui import components, editing, ids
from dashboard.ui.maatregel_history_view import lock_history_block, maatregel_history_block
from dashboard.ui.programme_view import maatregel_status
from data.accounts.permissions import is_manager, may_edit_maatregel
from data.programme.edits import MAX_REDEN, MAX_TOELICHTING, current_quarter
from data.programme.plan import read_plan
from data.programme.schema import MAATREGEL_STATUSSEN
from kpi import format as fmt

PATH = "/beheer"
NAME = "Beheer"
TITLE = "Beheer – Jeugdmonitor Huizen"

PERIODE = "beheer-periode"
MESSAGE = "beheer-message"
BODY = "beheer-body"
LOCK, UNLOCK, UNLOCK_REDEN = "beheer-lock", "beheer-unlock", "beheer-unlock-reden"
VG_STATUS, VG_TEKST, VG_VERSION, VG_SAVE = "vg-status", "vg-tekst", "vg-version", "vg-save"
UPLOAD, UPLOAD_REDEN, UPLOAD_GO, UPLOAD_RESULT = "sw-upload", "sw-upload-reden", "sw-upload-go", "sw-upload-result"
UPLOAD_LABEL = "sw-upload-label"


QUARTER = re.compile(r"\d{4}-Q[1-4]")


def quarters(today: dt.date | None = None, first_year: int | None = None) -> list[str]:
    """Reporting quarters from the start of the programme (`first_year`: the plan's first year, read
    from the programme data) up to the current one, newest first."""
    if first_year is None:
        first_year = read_plan(runtime.current().engine).eerste_jaar
    last = current_quarter(today)
    out, year, q = [], first_year, 1
    while f"{year}-Q{q}" <= last:
        out.append(f"{year}-Q{q}")
        year, q = (year + 1, 1) if q == 4 else (year, q + 1)
    return out[::-1]


def beheer_href(periode: str) -> str:
    return PATH + "?" + urlencode({"periode": periode})


def berichtenverkeer_link() -> list:
    """For the programmamanager, when the trajecten come from the iJw berichtenverkeer: its health."""
    if not runtime.data_status().berichtenverkeer:
        return []
    return [html.Hr(), html.H3("iJw-berichtenverkeer", className="h6"),
            html.P(["Toewijzingen zonder start- of stopbericht, declaraties zonder toewijzing en afwijzingen, "
                    "per aanbieder en maand: ",
                    html.A("gezondheid van het berichtenverkeer", href="/berichtenverkeer", id="beheer-berichtenverkeer"),
                    "."], className="small")]


def _shown(typed: Mapping[str, Any], component_id, stored):
    """A field's value: what the user typed, when a save of it was refused (editing.fields_after),
    else the stored value."""
    key = components.dom_id(component_id)
    return typed[key] if key in typed else stored


def manager_panel(periode: str, state: history.PeriodState, typed: Mapping[str, Any] | None = None) -> html.Section:
    typed = typed or {}
    status = history.reporting_status(runtime.current().engine, periode)
    todo = [html.Li(f"{code} {naam}") for code, naam in status.niet_bijgewerkt]
    if state.vastgesteld:
        # No maxLength on a reason (here and below): the browser would cut a longer paste without a
        # word. The label names the limit; a longer reason is refused with its length, and kept.
        lock_controls = [
            dbc.Label(f"Reden om te ontgrendelen (verplicht, ten hoogste {fmt.number(MAX_REDEN)} tekens)",
                      html_for=UNLOCK_REDEN),
            # a textarea, so a long reason can be read back whole before it is saved
            dbc.Textarea(id=UNLOCK_REDEN, value=_shown(typed, UNLOCK_REDEN, None), rows=2, className="mb-2"),
            dbc.Button("Periode ontgrendelen", id=UNLOCK, color="outline-danger")]
    else:
        lock_controls = [html.P("Na controle stelt u de periode vast: daarna kan niemand de cijfers van "
                                "deze periode nog wijzigen, en ziet de raad ze als vastgesteld."),
                         dbc.Button("Periode vaststellen", id=LOCK, color="primary")]
    return html.Section([
        html.H2(f"Rapportage {fmt.periode_label(periode)}", className="h5"),
        html.P(html.Strong(status.summary), className="mb-1"),
        html.Details([html.Summary(f"Maatregelen nog niet bijgewerkt ({len(todo)})"),
                      html.Ul(todo, className="small")]) if todo else html.P("Alle maatregelen zijn bijgewerkt."),
        html.Div(lock_controls, className="mt-3"),
        *berichtenverkeer_link(),
        html.Hr(),
        html.H3("Streefwaarden uitwisselen met Excel", className="h6"),
        html.P("Download de streefwaarden, pas ze aan in Excel en lees het bestand weer in. Alles of "
               "niets: bij één fout wordt niets gewijzigd; elke wijziging komt in de historie met uw reden.",
               className="small"),
        html.A("Streefwaarden downloaden (CSV)", href=targets_exchange.PATH,
               className="btn btn-outline-primary btn-sm mb-2"),
        dbc.Row([
            # the label around the upload names its hidden file input (axe: "label", critical)
            dbc.Col(html.Label(dcc.Upload(id=UPLOAD, children=html.Span(targets_exchange.upload_label(None),
                                                                       id=UPLOAD_LABEL),
                                          className="upload-zone", accept=".csv,text/csv"),
                               className="d-block"), md=5),
            # the upload's answer is drawn beside the form, so its reason stays as typed after a refusal
            dbc.Col([dbc.Label(f"Reden (verplicht, ten hoogste {fmt.number(MAX_REDEN)} tekens)",
                               html_for=UPLOAD_REDEN),
                     dbc.Textarea(id=UPLOAD_REDEN, rows=2)], md=5),
            dbc.Col(dbc.Button("Inlezen", id=UPLOAD_GO, color="primary"), md=2, className="align-self-end"),
        ], className="g-2"),
        html.Div(id=UPLOAD_RESULT, className="mt-2", role="status"),
    ], className="axis-band")


def maatregel_form(m, current: history.Voortgang | None, locked: bool, editable: bool,
                   typed: Mapping[str, Any] | None = None, changes: list[history.HistoryEntry] = (),
                   kept: Mapping[str, int | None] | None = None) -> html.Div:
    """A maatregel's status and toelichting for the quarter; `typed`: what the user typed, by the
    fields' ids in the page, kept after a refused save or another maatregel's save; `changes`: its
    history (every quarter, newest first), folded under the form; `kept`: by maatregel, the
    version its kept typed values were typed against, so saving them after someone else changed
    it is refused as a conflict instead of overwriting their change unseen."""
    typed, kept = typed or {}, kept or {}
    key = m.code
    options = [{"label": MAATREGEL_STATUS_LABELS[s], "value": s} for s in MAATREGEL_STATUSSEN]
    saved = (f"laatst bijgewerkt door {current.door} op {fmt.moment(current.op)}"
             if current and current.op else "nog niet bijgewerkt voor deze periode")
    indicators = [html.Li(html.A(f"{ind.code} {ind.naam}", href=f"/indicator/{ind.code}")) for ind in m.indicatoren]
    can_save = editable and not locked
    return html.Div([
        html.H3([f"{m.code} {m.naam} ", html.Span(maatregel_status(m.latest()), className="small fw-normal")], className="h6"),
        html.P(f"Trekker: {m.trekker or 'nog niet benoemd'} · {saved}", className="small text-body-secondary mb-2"),
        dbc.Row([
            dbc.Col([dbc.Label(["Status ", html.Span(m.code, className="visually-hidden")],
                               html_for=components.dom_id({"type": VG_STATUS, "key": key})),
                     dbc.Select(id={"type": VG_STATUS, "key": key}, options=options, disabled=not can_save,
                                value=_shown(typed, {"type": VG_STATUS, "key": key},
                                             current.status if current else m.latest().status))], md=3),
            # No maxLength: the browser would cut a longer paste without a word. A toelichting over
            # MAX_TOELICHTING is refused on saving, with its length, and stays in the field.
            # (The limit is in the label: dbc.Textarea takes no aria-describedby.)
            dbc.Col([dbc.Label([f"Toelichting (kort, ten hoogste {fmt.number(MAX_TOELICHTING)} tekens) ",
                                html.Span(m.code, className="visually-hidden")],
                               html_for=components.dom_id({"type": VG_TEKST, "key": key})),
                     dbc.Textarea(id={"type": VG_TEKST, "key": key},
                                  value=_shown(typed, {"type": VG_TEKST, "key": key},
                                               current.toelichting if current else ""),
                                  rows=2, disabled=not can_save)], md=7),
            dbc.Col([dcc.Store(id={"type": VG_VERSION, "key": key},
                               data=kept[key] if key in kept else (current.version if current else None)),
                     dbc.Button("Opslaan", id={"type": VG_SAVE, "key": key}, color="primary", disabled=not can_save)],
                    md=2, className="align-self-end"),
        ], className="g-2"),
        html.Details([html.Summary(f"Indicatoren ({len(indicators)})"), html.Ul(indicators, className="small")])
        if indicators else None,
        maatregel_history_block(m.code, list(changes), provisional=True),  # /beheer is for editors only
    ], className="maatregel-form border-bottom pb-3 mb-3")


def body(periode: str, typed: Mapping[str, Any] | None = None, kept: Mapping[str, int | None] | None = None) -> list:
    """The page below its heading, rebuilt after each save; `typed`: what the user typed in the
    fields, by their ids in the page, shown instead of the stored values (editing.fields_after);
    `kept`: by maatregel, the version its kept typed values were typed against."""
    user = auth.current_user()
    engine = runtime.current().engine
    state = history.period_state(engine, periode)
    programme = viewer.programme()
    reported = history.voortgang(engine, periode)
    mine = [m for lijn in programme.lijnen for m in lijn.maatregelen if may_edit_maatregel(user, m.code)]
    lock_text = (f"Vastgesteld door {state.door} op {fmt.datum(state.op.date())}; wijzigen kan pas na ontgrendelen."
                 if state.vastgesteld else "Open: de trekkers kunnen deze periode bijwerken.")
    parts = [dbc.Alert([html.I(className="bi bi-lock-fill me-1" if state.vastgesteld else "bi bi-unlock me-1",
                               **{"aria-hidden": "true"}), lock_text],
                       color="secondary" if state.vastgesteld else "light")]
    locks = lock_history_block(periode, history.period_lock_history(engine, periode))
    if locks is not None:
        parts.append(locks)
    if is_manager(user):
        parts.append(manager_panel(periode, state, typed))
    if not mine:
        parts.append(dbc.Alert("Er zijn (nog) geen maatregelen aan u toegewezen. Vraag de programmamanager "
                               "om u als trekker te koppelen.", color="info"))
    changes = history.maatregel_histories(engine, [m.code for m in mine])
    by_lijn: dict[str, list] = {}
    for m in mine:
        by_lijn.setdefault(m.lijn, []).append(m)
    for lijn in programme.lijnen:
        if lijn.code in by_lijn:
            parts.append(html.Section([html.H2(f"{lijn.nummer}. {lijn.naam}", className="h5")] +
                                      [maatregel_form(m, reported.get(m.code), state.vastgesteld, True, typed, changes[m.code],
                                                      kept)
                                       for m in by_lijn[lijn.code]], className="axis-band"))
    return parts


def layout(periode=None, **_query) -> html.Div:
    user = auth.current_user()
    if user is None:
        return html.Div([html.H1("Beheer"), dbc.Alert(["Log in om voortgang en streefwaarden bij te werken. ",
                                                       html.A("Inloggen", href=auth.LOGIN_PATH + "?volgende=/beheer")],
                                                      color="info")])
    if user.rol == "lezer":
        return html.Div([html.H1("Beheer"), dbc.Alert("U heeft alleen leesrechten: bijwerken kan alleen een "
                                                      "trekker of de programmamanager.", color="info")])
    options = quarters()
    messages = []
    periode, rejected = params.option(periode, options, options[0])
    if rejected:  # a quarter outside the programme's reporting is no quarter that "bestaat niet"
        asked = (f"Periode {fmt.periode_label(rejected)} valt buiten de rapportageperioden van het programma "
                 f"({fmt.periode_label(options[-1])} t/m {fmt.periode_label(options[0])})"
                 if QUARTER.fullmatch(str(rejected)) else f"Periode '{rejected}' bestaat niet")
        messages.append(dbc.Alert(f"{asked}; {fmt.periode_label(options[0])} wordt getoond.", color="warning"))
    return html.Div([
        html.Div([
            html.H1("Beheer: voortgang en streefwaarden"),
            html.Div([dbc.Label("Periode", html_for=PERIODE, className="me-2 mb-0"),
                      dbc.Select(id=PERIODE, value=periode, style={"width": "9rem"},
                                 options=[{"label": fmt.periode_label(q), "value": q} for q in options])],
                     className="d-flex align-items-center"),
        ], className="d-flex flex-wrap justify-content-between align-items-end gap-3 mb-2"),
        *messages,
        html.Div(id=MESSAGE, role="status", **{"aria-live": "polite"}),
        dcc.Store(id="beheer-periode-shown", data=periode),
        html.Div(body(periode), id=BODY),
    ])


def answer(periode: str, feedback: editing.Feedback, typed: Mapping[str, Any] | None = None,
           saved: str | None = None, shown: Mapping[str, int | None] | None = None):
    """The outcome of a save and the page below the heading afresh. After a refusal its fields
    keep what the user typed (`typed`, by the fields' ids in the page); after the save of maatregel
    `saved` its own fields show what is stored and the other maatregelen's keep what was typed,
    with the versions the page showed them with (`shown`, by maatregel). The saved maatregel gets
    the stored version: after a conflict its refusal names the stored value to try again against."""
    own = set() if saved is None else {components.dom_id({"type": kind, "key": saved}) for kind in (VG_STATUS, VG_TEKST)}
    after = editing.fields_after(feedback, typed or {}, None if saved is None else own)
    kept = {code: version for code, version in (shown or {}).items() if code != saved}
    return (dbc.Alert(feedback.sentence, color=feedback.color, dismissable=True),
            body(periode, after, kept))


def _refused(message: str):
    """A request the page could not have sent: the message, the page as it was."""
    return dbc.Alert(message, color="danger", dismissable=True), no_update


def _periode(value) -> str:
    """The quarter the page showed: one of the reporting quarters, else BadInput (a forged value
    must not land on another quarter)."""
    periode = params.choice(value, quarters(), "Periode")
    if periode is None:
        raise params.BadInput("Kies een periode.")
    return periode


def _reden(value) -> str | None:
    """Text or nothing; its length is the write path's to judge (params.typed_text)."""
    return params.typed_text(value, "De reden", MAX_REDEN)


def _status(value) -> str | None:
    return params.choice(value, MAATREGEL_STATUSSEN, "Status")


def _toelichting(value) -> str | None:
    """Text or nothing. Its length is the write path's to judge (it says how long and keeps the
    field); only a text no field could send is refused here (params.typed_text)."""
    return params.typed_text(value, "De toelichting", MAX_TOELICHTING)


def register_callbacks(app) -> None:
    @app.callback(Output(ids.NAV, "href", allow_duplicate=True), Input(PERIODE, "value"),
                  State("beheer-periode-shown", "data"), prevent_initial_call=True)
    @refusing()
    def _choose_period(periode, shown):
        periode = _periode(periode)
        if periode == shown:
            raise PreventUpdate  # never re-write the current URL
        return beheer_href(periode)

    @app.callback(Output(MESSAGE, "children", allow_duplicate=True), Output(BODY, "children", allow_duplicate=True),
                  Input({"type": VG_SAVE, "key": ALL}, "n_clicks"),
                  State({"type": VG_STATUS, "key": ALL}, "value"), State({"type": VG_TEKST, "key": ALL}, "value"),
                  State({"type": VG_VERSION, "key": ALL}, "data"), State("beheer-periode-shown", "data"),
                  prevent_initial_call=True)
    @refusing(_refused)
    def _save_voortgang(clicks, statuses, texts, versions, periode):
        code, i = components.clicked_row(clicks)
        periode = _periode(periode)
        typed = {**components.typed_in_rows(VG_STATUS, statuses, _status),
                 **components.typed_in_rows(VG_TEKST, texts, _toelichting)}
        # the versions the rows were shown with (a forged one is left out: its row shows the stored one)
        shown = {entry["id"].get("key"): version for entry, version in zip(ctx.states_list[2], versions, strict=True)
                 if version is None or (isinstance(version, int) and not isinstance(version, bool))}
        return answer(periode, editing.save_voortgang(code, periode, _status(statuses[i]), _toelichting(texts[i]),
                                                      versions[i]), typed, code, shown)

    @app.callback(Output(UPLOAD_LABEL, "children"), Input(UPLOAD, "filename"), prevent_initial_call=True)
    @refusing()
    def _show_chosen_file(filename):
        return targets_exchange.upload_label(filename)

    @app.callback(Output(UPLOAD_RESULT, "children"), Input(UPLOAD_GO, "n_clicks"),
                  State(UPLOAD, "contents"), State(UPLOAD, "filename"), State(UPLOAD_REDEN, "value"),
                  prevent_initial_call=True)
    @refusing(lambda message: dbc.Alert(message, color="danger"))
    def _import_targets(clicks, contents, filename, reden):
        if not params.clicks(clicks):
            raise PreventUpdate
        ok, lines = targets_exchange.import_upload(contents, filename, _reden(reden))
        return dbc.Alert([html.P(lines[0], className="mb-1"),
                          html.Ul([html.Li(line) for line in lines[1:51]], className="small mb-0") if lines[1:] else None],
                         color="success" if ok else "danger")

    @app.callback(Output(MESSAGE, "children", allow_duplicate=True), Output(BODY, "children", allow_duplicate=True),
                  Input(LOCK, "n_clicks"), State("beheer-periode-shown", "data"), prevent_initial_call=True)
    @refusing(_refused)
    def _lock(clicks, periode):
        if not params.clicks(clicks):
            raise PreventUpdate
        periode = _periode(periode)
        return answer(periode, editing.lock(periode))

    @app.callback(Output(MESSAGE, "children", allow_duplicate=True), Output(BODY, "children", allow_duplicate=True),
                  Input(UNLOCK, "n_clicks"), State(UNLOCK_REDEN, "value"), State("beheer-periode-shown", "data"),
                  prevent_initial_call=True)
    @refusing(_refused)
    def _unlock(clicks, reden, periode):
        if not params.clicks(clicks):
            raise PreventUpdate
        periode, reden = _periode(periode), _reden(reden)
        return answer(periode, editing.unlock(periode, reden), {UNLOCK_REDEN: reden})
