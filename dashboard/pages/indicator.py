"""/indicator/<code> — one indicator: realisatie against (original and adjusted) targets with the
trekker's notes on its timeline, and its full history of changes. Trekkers of its maatregel and
the programmamanager edit its streefwaarden, nulmeting, realisaties (manual indicators) and notes
here; every save is checked on the server (dashboard.ui.editing → data.programme.edits)."""
from __future__ import annotations

from typing import Any, Collection, Mapping

import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard.pages.programma_lijn import indicator_block, maatregel_anchor
from dashboard.programme import history
from dashboard.programme.progress import IndicatorView, indicator_unit, indicator_values, running_year
from dashboard.programme.road import has_targets, indicator_road
from dashboard.server import params, runtime, stand_source, viewer
from dashboard.server.callback_guard import refusing
from dashboard.ui import components, editing
from dashboard.ui.programme_view import page_query, programme_year
from dashboard.ui.road_view import road_section
from dashboard.ui.state import FIRST_YEAR
from data.programme import edits
from data.programme.plan import Plan
from kpi import format as fmt
from kpi.settings import min_cell_size

PATH = None
PATH_TEMPLATE = "/indicator/<code>"
NAME = "Indicator"
TITLE = "Indicator – Jeugdmonitor Huizen"

BODY = "indicator-body"
MESSAGE = "indicator-message"
CODE = "indicator-code"
# {a row field's id in the page: the version the page showed with it}: a value kept as typed after
# another form's save keeps the version it was typed against, so saving it later after someone
# else changed that row is refused as a conflict instead of overwriting their change unseen
SHOWN_VERSIONS = "indicator-shown-versions"
REDEN = "indicator-reden"
SW_INPUT, SW_VERSION, SW_SAVE = "sw-input", "sw-version", "sw-save"
NUL_JAAR, NUL_INPUT, NUL_VERSION, NUL_SAVE = "nul-jaar", "nul-input", "nul-version", "nul-save"
RE_INPUT, RE_VERSION, RE_SAVE = "re-input", "re-version", "re-save"
RE_NEW_PERIODE, RE_NEW_INPUT, RE_NEW_SAVE = "re-new-periode", "re-new-input", "re-new-save"
NOTE_DATUM, NOTE_TEKST, NOTE_ADD, NOTE_DELETE = "note-datum", "note-tekst", "note-add", "note-delete"


def number_text(value: float | None) -> str:
    """A stored value in its input, every decimal it has (Dutch, "1.234,5678"): shown at four
    decimals, 12,3456789 saved unchanged came back as 12,3457, a change nobody made."""
    if value is None:
        return ""
    shortest = repr(float(value))  # the fewest digits that read back as this float
    if "e" in shortest or "n" in shortest:  # 1e-05, 1e+16, inf, nan: no plain decimals to keep
        return fmt.number(value, 10).rstrip("0").rstrip(",")
    whole, _, decimals = shortest.partition(".")
    decimals = decimals.rstrip("0")
    text = fmt.number(float(whole), 0) if whole not in ("-0", "0") else whole
    return text + ("," + decimals if decimals else "")


def _hidden_label(component_id, text: str) -> dbc.Label:
    return dbc.Label(text, html_for=components.dom_id(component_id), className="visually-hidden")


def _pid(kind: str, key) -> dict:
    return {"type": kind, "key": str(key)}


def _shown(typed: Mapping[str, Any], component_id, stored):
    """A field's value: what the user typed, when a save of it was refused (editing.fields_after),
    else the stored value."""
    key = components.dom_id(component_id)
    return typed[key] if key in typed else stored


def _version(kept: Mapping[str, int | None], component_id, stored: int | None) -> int | None:
    """The version a row's save sends: the one its kept typed value was typed against, else the
    stored one."""
    key = components.dom_id(component_id)
    return kept[key] if key in kept else stored


def shown_versions(edit: history.IndicatorEdit, plan: Plan, kept: Mapping[str, int | None]) -> dict:
    """SHOWN_VERSIONS's data: every row field's version as the page shows it."""
    shown = {components.dom_id(_pid(SW_INPUT, jaar)): (edit.streefwaarden.get(jaar) or history.EditableValue(None, None)).version
             for jaar in plan.jaren}
    shown[NUL_INPUT] = (edit.nulmeting or (None, history.EditableValue(None, None)))[1].version
    shown |= {components.dom_id(_pid(RE_INPUT, periode)): value.version for periode, value in edit.realisaties.items()}
    return shown | {key: version for key, version in kept.items() if key in shown}


def named_with_unit(naam: str, eenheid: str) -> str:
    """`naam (eenheid)`, or the name alone when it names its unit already ("Gemiddelde
    verblijfsduur (dagen)" read "… (dagen) (dagen)")."""
    return naam if f"({eenheid})" in naam else f"{naam} ({eenheid})"


def targets_form(ind: IndicatorView, edit: history.IndicatorEdit, plan: Plan,
                 typed: Mapping[str, Any] | None = None, kept: Mapping[str, int | None] | None = None) -> html.Div:
    """A row per year of the plan's streefwaarden, and the nulmeting (of the plan's nulmeting
    year when the indicator has none yet). `typed`: what the user typed, kept after a refusal or
    another form's save; `kept`: the versions those typed values were typed against."""
    typed, kept = typed or {}, kept or {}
    current_of = {jaar: edit.streefwaarden.get(jaar) or history.EditableValue(None, None) for jaar in plan.jaren}
    moved_of = {jaar: fmt.value(current.oorspronkelijk, ind.eenheid)
                for jaar, current in current_of.items()
                if current.oorspronkelijk is not None and current.oorspronkelijk != current.waarde}
    # the column of original values only when a target was moved: empty, its header read as "Nu Plan"
    original_column = bool(moved_of)
    rows = []
    for jaar, current in current_of.items():
        rows.append(html.Tr([
            html.Th(str(jaar), scope="row"),
            html.Td("–" if current.waarde is None else fmt.value(current.waarde, ind.eenheid), className="text-end"),
            *([html.Td(moved_of.get(jaar, ""), className="small text-body-secondary ps-4")] if original_column else []),
            html.Td([_hidden_label(_pid(SW_INPUT, jaar), f"Nieuwe streefwaarde {jaar}"),
                     dbc.Input(id=_pid(SW_INPUT, jaar), value=_shown(typed, _pid(SW_INPUT, jaar),
                                                                     number_text(current.waarde)),
                               inputMode="decimal", size="sm"),
                     dcc.Store(id=_pid(SW_VERSION, jaar), data=_version(kept, _pid(SW_INPUT, jaar), current.version))]),
            html.Td(dbc.Button("Opslaan", id=_pid(SW_SAVE, jaar), size="sm", color="primary")),
        ]))
    nul_jaar, nul = edit.nulmeting or (plan.nulmeting_jaar, history.EditableValue(None, None))
    rows.append(html.Tr([
        html.Th(["nulmeting ", _hidden_label(NUL_JAAR, "Jaar van de nulmeting"),
                 dbc.Input(id=NUL_JAAR, value=_shown(typed, NUL_JAAR, str(nul_jaar)), size="sm",
                           className="d-inline-block w-auto",
                           inputMode="numeric")], scope="row"),
        html.Td("–" if nul.waarde is None else fmt.value(nul.waarde, ind.eenheid), className="text-end"),
        *([html.Td("")] if original_column else []),
        html.Td([_hidden_label(NUL_INPUT, "Nieuwe nulmeting"),
                 dbc.Input(id=NUL_INPUT, value=_shown(typed, NUL_INPUT, number_text(nul.waarde)), inputMode="decimal",
                           size="sm"),
                 dcc.Store(id=NUL_VERSION, data=_version(kept, NUL_INPUT, nul.version))]),
        html.Td(dbc.Button("Opslaan", id=NUL_SAVE, size="sm", color="primary")),
    ]))
    return html.Section([
        html.H2("Streefwaarden bijwerken", className="h5"),
        # No maxLength (nor on the note below): the browser would cut a longer paste without a word.
        # The label names the limit; a longer text is refused with its length and stays in its field.
        dbc.Label("Reden van de wijziging (verplicht bij het wijzigen van een streefwaarde; bij een "
                  f"realisatie mag het; ten hoogste {fmt.number(edits.MAX_REDEN)} tekens)", html_for=REDEN),
        # A textarea: a reason of up to 500 characters is read back whole, not only its start.
        dbc.Textarea(id=REDEN, value=_shown(typed, REDEN, None), rows=2, className="mb-2"),
        html.Table([html.Caption(f"Streefwaarden van {named_with_unit(ind.naam, ind.eenheid)}"),
                    html.Thead(html.Tr([html.Th("Jaar", scope="col", style={"width": "14rem"}),
                                        html.Th("Nu", scope="col", className="text-end", style={"width": "8rem"}),
                                        *([html.Th("Oorspronkelijk", scope="col", className="ps-4",
                                                   style={"width": "14rem"})] if original_column else []),
                                        html.Th("Nieuwe waarde", scope="col", style={"width": "12rem"}),
                                        html.Th(html.Span("Actie", className="visually-hidden"), scope="col")])),
                    html.Tbody(rows)], className="table table-sm align-middle kpi-table"),
    ], className="axis-band")


def realisaties_form(ind: IndicatorView, edit: history.IndicatorEdit,
                     typed: Mapping[str, Any] | None = None, kept: Mapping[str, int | None] | None = None) -> html.Section:
    typed, kept = typed or {}, kept or {}
    rows = []
    for periode in sorted(edit.realisaties, key=edits.period_order):
        value = edit.realisaties[periode]
        rows.append(html.Tr([
            html.Th(fmt.periode_label(periode), scope="row"),
            html.Td([_hidden_label(_pid(RE_INPUT, periode), f"Realisatie {fmt.periode_label(periode)}"),
                     dbc.Input(id=_pid(RE_INPUT, periode), value=_shown(typed, _pid(RE_INPUT, periode),
                                                                        number_text(value.waarde)),
                               inputMode="decimal", size="sm"),
                     dcc.Store(id=_pid(RE_VERSION, periode), data=_version(kept, _pid(RE_INPUT, periode), value.version))]),
            html.Td("vastgesteld" if periode in ind.vastgesteld else "voorlopig", className="small"),
            html.Td(dbc.Button("Opslaan", id=_pid(RE_SAVE, periode), size="sm", color="primary")),
        ]))
    return html.Section([
        html.H2("Realisaties bijwerken", className="h5"),
        html.P("Per jaar (2025), kwartaal (K3 2025) of maand (2025-07). Een vastgestelde periode kan "
               "alleen na ontgrendelen door de programmamanager worden gewijzigd.", className="small"),
        html.Table([html.Caption(f"Gerapporteerde realisaties van {ind.naam}"),
                    html.Thead(html.Tr([html.Th("Periode", scope="col"), html.Th("Waarde", scope="col"),
                                        html.Th("Stand", scope="col"),
                                        html.Th(html.Span("Actie", className="visually-hidden"), scope="col")])),
                    html.Tbody(rows or [html.Tr(html.Td("Nog geen realisaties.", colSpan=4))])],
                   className="table table-sm align-middle kpi-table"),
        dbc.Row([
            dbc.Col([dbc.Label("Nieuwe periode", html_for=RE_NEW_PERIODE),
                     dbc.Input(id=RE_NEW_PERIODE, value=_shown(typed, RE_NEW_PERIODE, None), placeholder="K3 2026")], md=3),
            dbc.Col([dbc.Label("Waarde", html_for=RE_NEW_INPUT),
                     dbc.Input(id=RE_NEW_INPUT, value=_shown(typed, RE_NEW_INPUT, None), inputMode="decimal")], md=3),
            dbc.Col(dbc.Button("Toevoegen", id=RE_NEW_SAVE, color="primary"), md=3, className="align-self-end"),
        ], className="g-2"),
    ], className="axis-band")


def notes_section(ind: IndicatorView, notes: list[history.Note], editable: bool,
                  typed: Mapping[str, Any] | None = None) -> html.Section:
    typed = typed or {}
    items = [html.Li([html.Strong(f"✎ {i} · {fmt.datum(n.datum)}: "), n.tekst,
                      html.Span(f" ({n.door})", className="small text-body-secondary"),
                      *([" ", dbc.Button("Verwijderen", id={"type": NOTE_DELETE, "key": n.id}, size="sm",
                                         color="link", className="p-0 align-baseline")] if editable else [])])
             for i, n in enumerate(notes, start=1)]
    form = [] if not editable else [dbc.Row([
        dbc.Col([dbc.Label("Datum", html_for=NOTE_DATUM),
                 dbc.Input(id=NOTE_DATUM, type="date", value=_shown(typed, NOTE_DATUM, None))], md=3),
        dbc.Col([dbc.Label(f"Notitie (ten hoogste {fmt.number(edits.MAX_ANNOTATIE)} tekens)", html_for=NOTE_TEKST),
                 dbc.Input(id=NOTE_TEKST, value=_shown(typed, NOTE_TEKST, None),
                           placeholder="bijv. start consulenten op vijf basisscholen")], md=6),
        dbc.Col(dbc.Button("Notitie toevoegen", id=NOTE_ADD, color="primary"), md=3, className="align-self-end"),
    ], className="g-2")]
    return html.Section([html.H2("Notities op de tijdlijn", className="h5"),
                         html.Ol(items, className="list-unstyled user-text") if items else html.P("Nog geen notities."),
                         *form], className="axis-band")


def history_section(entries: list[history.HistoryEntry], ind: IndicatorView, provisional: bool) -> html.Section:
    """The change history. `provisional`: the viewer also sees figures of periods that are not
    vastgesteld (trekkers, the programmamanager), so each entry of a period says which it is; the
    raad's history holds vastgestelde periods only (dashboard.programme.history.indicator_history)."""
    def shown(value: str | None) -> str:
        if value is None:
            return "–"
        try:
            return fmt.number(float(value), 4).rstrip("0").rstrip(",")
        except ValueError:
            return value
    heads = ("Wanneer", "Door", "Wat", "Oud", "Nieuw", "Reden") + (("Stand",) if provisional else ())
    rows = [html.Tr([html.Td(fmt.moment(e.op)), html.Td(e.door), html.Td(e.wat),
                     html.Td(shown(e.oud), className="text-end user-text"),
                     html.Td(shown(e.nieuw), className="text-end user-text"), html.Td(e.reden or "", className="user-text")] + ([html.Td(e.stand, className="small")] if provisional else []))
            for e in entries]
    caption = f"Wie wijzigde wat aan {ind.naam}, nieuwste eerst"
    if not provisional:
        caption += " (realisaties alleen van vastgestelde perioden)"
    return html.Section([
        html.H2("Historie van wijzigingen", className="h5"),
        html.Table([html.Caption(caption),
                    html.Thead(html.Tr([html.Th(t, scope="col") for t in heads])),
                    html.Tbody(rows or [html.Tr(html.Td("Nog geen wijzigingen.", colSpan=len(heads)))])],
                   className="table table-sm kpi-table"),
    ], className="axis-band")


def body(code: str, programme=None, typed: Mapping[str, Any] | None = None,
         kept: Mapping[str, int | None] | None = None) -> list:
    """Everything below the heading, rebuilt after each save so versions and history are fresh.
    `programme`: the viewer's programme when the caller has read it already; `typed`: what the
    user typed in the fields, by their id in the page, shown instead of the stored values (after
    a refused save: editing.fields_after); `kept`: the versions those were typed against."""
    kept = kept or {}
    programme = programme if programme is not None else viewer.programme()
    ind = programme.indicators.get(code)
    if ind is None:
        return [dbc.Alert(f"Er is geen indicator '{code}'.", color="warning")]
    engine = runtime.current().engine
    service = runtime.service()
    years, _default = runtime.years_available()
    notes = history.annotations(engine, code)
    editable = viewer.may_edit(ind.maatregel)
    last_year = years.stop - 1
    road = latest = None
    if has_targets(ind):
        series = indicator_values(service, ind, range(FIRST_YEAR, last_year + 1))
        road = indicator_road(service, ind, programme.plan.laatste_jaar, last_year, series=series)
        latest = next(((y.jaar, y.status) for y in reversed(series) if y.status is not None), None)
    running = running_year(runtime.data_status().data_tot)  # "2026 (t/m september)", as the lijn page says it
    partial = running[1] if running and running[0] == last_year else None
    parts = [indicator_block(service, ind, programme.plan.jaren_met_nulmeting, last_year, partial, notes=notes,
                             heading=False, road=road)]
    if road is not None:
        parts.append(road_section(ind.naam, road, ind.streefwaarden, ind.nulmeting, latest))
    if editable:
        edit = history.indicator_edit(engine, code)
        parts.append(targets_form(ind, edit, programme.plan, typed, kept))
        if not ind.is_kpi:
            parts.append(realisaties_form(ind, edit, typed, kept))
        parts.append(dcc.Store(id=SHOWN_VERSIONS, data=shown_versions(edit, programme.plan, kept)))
    parts.append(notes_section(ind, notes, editable, typed))
    provisional = viewer.shows_provisional()
    parts.append(history_section(history.indicator_history(engine, code, vastgesteld_only=not provisional), ind,
                                 provisional))
    return parts


def layout(code=None, jaar=None, stand=None, **_query) -> html.Div:
    """`jaar`: the year of the programme page the reader came from (this page shows every year):
    the links back keep it, and `stand`, so the way back shows what the reader was looking at."""
    programme = viewer.programme()
    _offered, chosen, message = programme_year(jaar, programme.plan, *runtime.years_available())
    if message:  # the page shows every year: another year changes only where its links lead
        message = message.removesuffix(f"{chosen} wordt getoond.") + f"de links naar het programma tonen {chosen}."
    query = page_query(chosen, params.stand(stand))
    ind = programme.indicators.get(params.path_code(code))
    if ind is None:
        return html.Div([html.H1("Indicator niet gevonden"),
                         dbc.Alert(f"Er is geen indicator '{params.shown_path(code)}'.",
                                   color="warning"),
                         html.A("Terug naar het programma", href=f"/programma{query}")])
    maatregel = programme.maatregel(ind.maatregel) if ind.maatregel else None
    lijn = programme.lijn(ind.lijn or (maatregel.lijn if maatregel else ""))
    home = programme.lijn(maatregel.lijn) if maatregel else lijn  # the lijn page that shows what it measures
    crumbs = [html.Li(html.A("Programma", href=f"/programma{query}"), className="breadcrumb-item")]
    if lijn:
        crumbs.append(html.Li(html.A(f"Lijn {lijn.nummer}", href=f"/programma/{lijn.code}{query}"),
                              className="breadcrumb-item"))
    crumbs.append(html.Li(ind.naam, className="breadcrumb-item", **{"aria-current": "page"}))  # a name, not "K01"
    return html.Div([
        html.Nav(html.Ol(crumbs, className="breadcrumb"), **{"aria-label": "Kruimelpad"}),
        html.H1(ind.naam),
        html.P([f"{'Effectindicator' if ind.soort == 'effect' else 'Procesindicator'} van ",
                owner(ind, maatregel, home, query), " · ",
                "berekend uit de KPI-catalogus" if ind.is_kpi else "handmatig gerapporteerd door de trekker",
                f" · eenheid: {ind.eenheid}"], className="text-body-secondary"),
        *components.notices([m for m in (message, stand_source.live_only_notice(stand)) if m]),
        dcc.Store(id=CODE, data=ind.code),
        html.Div(id=MESSAGE, role="status", **{"aria-live": "polite"}),
        html.Div(body(ind.code, programme), id=BODY),
        components.suppression_note(min_cell_size(), with_manual=True),
    ])


def owner(ind: IndicatorView, maatregel, lijn, query: str):
    """What the indicator measures, as the reader knows it: "maatregel L1.1 Naam van de maatregel"
    (a bare code said nothing to the raad), or "lijn 3"; a link to its part of the lijn page, which
    keeps the page's `query` (jaar, stand), when that page is there."""
    if maatregel is not None:
        text = f"maatregel {maatregel.code} {maatregel.naam}"
        href = f"/programma/{lijn.code}{query}#{maatregel_anchor(maatregel.code)}" if lijn else None
    elif ind.maatregel:  # not in the programme read: its code is all there is to say
        text, href = f"maatregel {ind.maatregel}", None
    elif lijn is not None:
        text, href = f"lijn {lijn.nummer}", f"/programma/{lijn.code}{query}"
    else:
        return ""
    return html.A(text, href=href) if href else text


def answer(code: str, feedback: editing.Feedback, typed: Mapping[str, Any] | None = None,
           saved: Collection[str] | None = None, shown: Mapping[str, int | None] | None = None):
    """The outcome of a save and the page below the heading afresh. `typed`: what the page's
    fields held, by their ids in the page; `saved`: the ids of the fields the save stores (None:
    all of `typed`). After a refusal every field keeps what was typed; after a save the saved
    fields show what is stored and the others keep what was typed (editing.fields_after). `shown`:
    the versions the page showed (SHOWN_VERSIONS); a row kept as typed keeps its version, except
    the row this save was for, whose refusal names the stored value to try again against."""
    after = editing.fields_after(feedback, typed or {}, saved)
    kept = {key: version for key, version in (shown or {}).items() if key in after and key not in (saved or ())}
    return (dbc.Alert(feedback.sentence, color=feedback.color, dismissable=True),
            body(code, typed=after, kept=kept))


def _refused(message: str):
    """A request the page could not have sent: the message, the page as it was."""
    return dbc.Alert(message, color="danger", dismissable=True), no_update


# The values the page sends, checked for their kind (the write path checks what they say).
def _code(value) -> str:
    return params.code(value, "indicator")


def _reden(value) -> str | None:
    """Text or nothing; its length is the write path's to judge (params.typed_text)."""
    return params.typed_text(value, "De reden", edits.MAX_REDEN)


def _value(value):
    return params.field(value, "De waarde")


# Every field a user types in on this page, by its id (a row's field: its kind), with the check
# of what the page sends in it. Each save reads them all and draws the page again with what they
# held, so a field keeps what was typed until its own save succeeds (only the saved form's
# fields were kept: a reason typed for a streefwaarde was emptied when a note was saved).
FIELD_CHECKS = {
    REDEN: _reden,
    SW_INPUT: _value,
    NUL_JAAR: lambda value: params.field(value, "Het jaar"),
    NUL_INPUT: _value,
    RE_INPUT: _value,
    RE_NEW_PERIODE: lambda value: params.field(value, "De periode"),
    RE_NEW_INPUT: _value,
    NOTE_DATUM: lambda value: params.field(value, "De datum"),
    NOTE_TEKST: lambda value: params.typed_text(value, "De notitie", edits.MAX_ANNOTATIE),
}
ROW_FIELDS = (SW_INPUT, RE_INPUT)   # one per year or period: pattern-matched ids


def page_fields() -> list[State]:
    """The States that send every field of FIELD_CHECKS, and the versions shown with the rows.
    Optional: a KPI indicator has no realisaties form, and the page never sends a field it does
    not show."""
    return [State({"type": kind, "key": ALL}, "value") if kind in ROW_FIELDS
            else State(kind, "value", allow_optional=True) for kind in FIELD_CHECKS] + [
        State(SHOWN_VERSIONS, "data", allow_optional=True)]


def versions_on_page(sent) -> dict[str, int | None]:
    """SHOWN_VERSIONS as the page sent it, its entries checked (a version is a whole number or
    nothing); a forged entry is left out, so its row shows the stored version, as before."""
    found = next((e.get("value") for item in sent for e in (item if isinstance(item, list) else [item])
                  if isinstance(e, dict) and e.get("id") == SHOWN_VERSIONS), None)
    if not isinstance(found, dict):
        return {}
    return {key: version for key, version in found.items() if isinstance(key, str) and len(key) <= 200
            and (version is None or (isinstance(version, int) and not isinstance(version, bool)))}


def typed_on_page(sent) -> dict[str, Any]:
    """{the field's id in the page: its value, checked} of the fields the page sent (a callback's
    `ctx.states_list`: an entry per State, a list of entries per pattern-matched State); other
    States (versions, the code) are not fields and are left out."""
    typed = {}
    for entry in (e for item in sent for e in (item if isinstance(item, list) else [item])):
        component_id = entry.get("id")
        kind = component_id.get("type") if isinstance(component_id, dict) else component_id
        if isinstance(kind, str) and kind in FIELD_CHECKS:
            typed[components.dom_id(component_id)] = FIELD_CHECKS[kind](entry.get("value"))
    return typed


def _row(kind: str, key) -> str:
    return components.dom_id(_pid(kind, key))


def register_callbacks(app) -> None:
    @app.callback(Output(MESSAGE, "children", allow_duplicate=True), Output(BODY, "children", allow_duplicate=True),
                  Input({"type": SW_SAVE, "key": ALL}, "n_clicks"), State({"type": SW_VERSION, "key": ALL}, "data"),
                  State(CODE, "data"), *page_fields(), prevent_initial_call=True)
    @refusing(_refused)
    def _save_target(clicks, versions, code, *_fields):
        code = _code(code)
        jaar, i = components.clicked_row(clicks, SW_INPUT, SW_VERSION)
        typed = typed_on_page(ctx.states_list)
        saved = (_row(SW_INPUT, jaar), REDEN)
        return answer(code, editing.save_streefwaarde(code, jaar, typed[saved[0]], versions[i], typed[REDEN],
                                                      eenheid=_unit(code)), typed, saved, versions_on_page(ctx.states_list))

    @app.callback(Output(MESSAGE, "children", allow_duplicate=True), Output(BODY, "children", allow_duplicate=True),
                  Input(NUL_SAVE, "n_clicks"), State(NUL_VERSION, "data"), State(CODE, "data"), *page_fields(),
                  prevent_initial_call=True)
    @refusing(_refused)
    def _save_nulmeting(clicks, version, code, *_fields):
        if not params.clicks(clicks):
            raise PreventUpdate
        code = _code(code)
        typed = typed_on_page(ctx.states_list)
        return answer(code, editing.save_streefwaarde(code, typed[NUL_JAAR], typed[NUL_INPUT], version, typed[REDEN],
                                                      soort="nulmeting", eenheid=_unit(code)),
                      typed, (NUL_JAAR, NUL_INPUT, REDEN), versions_on_page(ctx.states_list))

    @app.callback(Output(MESSAGE, "children", allow_duplicate=True), Output(BODY, "children", allow_duplicate=True),
                  Input({"type": RE_SAVE, "key": ALL}, "n_clicks"), State({"type": RE_VERSION, "key": ALL}, "data"),
                  State(CODE, "data"), *page_fields(), prevent_initial_call=True)
    @refusing(_refused)
    def _save_realisatie(clicks, versions, code, *_fields):
        code = _code(code)
        periode, i = components.clicked_row(clicks, RE_INPUT, RE_VERSION)
        typed = typed_on_page(ctx.states_list)
        saved = (_row(RE_INPUT, periode), REDEN)
        return answer(code, editing.save_realisatie(code, periode, typed[saved[0]], versions[i],
                                                    eenheid=_unit(code), reden=typed[REDEN]), typed, saved,
                      versions_on_page(ctx.states_list))

    @app.callback(Output(MESSAGE, "children", allow_duplicate=True), Output(BODY, "children", allow_duplicate=True),
                  Input(RE_NEW_SAVE, "n_clicks"), State(CODE, "data"), *page_fields(), prevent_initial_call=True)
    @refusing(_refused)
    def _new_realisatie(clicks, code, *_fields):
        if not params.clicks(clicks):
            raise PreventUpdate
        code = _code(code)
        typed = typed_on_page(ctx.states_list)
        return answer(code, editing.save_realisatie(code, typed[RE_NEW_PERIODE], typed[RE_NEW_INPUT], None,
                                                    eenheid=_unit(code), reden=typed[REDEN]),
                      typed, (RE_NEW_PERIODE, RE_NEW_INPUT, REDEN), versions_on_page(ctx.states_list))

    @app.callback(Output(MESSAGE, "children", allow_duplicate=True), Output(BODY, "children", allow_duplicate=True),
                  Input(NOTE_ADD, "n_clicks"), State(CODE, "data"), *page_fields(), prevent_initial_call=True)
    @refusing(_refused)
    def _add_note(clicks, code, *_fields):
        if not params.clicks(clicks):
            raise PreventUpdate
        code = _code(code)
        typed = typed_on_page(ctx.states_list)
        return answer(code, editing.add_note(code, typed[NOTE_DATUM], typed[NOTE_TEKST]),
                      typed, (NOTE_DATUM, NOTE_TEKST), versions_on_page(ctx.states_list))

    @app.callback(Output(MESSAGE, "children", allow_duplicate=True), Output(BODY, "children", allow_duplicate=True),
                  Input({"type": NOTE_DELETE, "key": ALL}, "n_clicks"), State(CODE, "data"), *page_fields(),
                  prevent_initial_call=True)
    @refusing(_refused)
    def _delete_note(clicks, code, *_fields):
        if not isinstance(ctx.triggered_id, dict) or not any(params.clicks(c) for c in clicks or []):
            raise PreventUpdate
        code = _code(code)
        note = params.record_id(ctx.triggered_id.get("key"), "notitie")
        return answer(code, editing.delete_note(note), typed_on_page(ctx.states_list), (),
                      versions_on_page(ctx.states_list))


def _unit(code) -> str | None:
    """The indicator's unit as the programme resolves it (the KPI's unit for a KPI indicator)."""
    return indicator_unit(runtime.current().engine, str(code))
