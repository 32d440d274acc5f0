"""Vastgestelde standen in the dashboard: a stand's links, what a freeze records, and the write
actions of /standen and the explorer — pure functions the callbacks wrap. Which service a page reads
from (live or a stand's) is dashboard.server.stand_source.

Every write takes the user explicitly and is checked on the server (data.accounts.permissions via
data.programme.stand_store / dashboard.programme.stand_freeze); a refusal comes back as a Dutch message and is logged on
"jeugdmonitor.security".
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import Callable

from dashboard.exports.explorer_slide import explorer_slide, shown_title, state_of, view_title
from dashboard.programme import stand_freeze
from dashboard.programme.progress import ProgrammeView, indicator_values, read_programme
from dashboard.server import params, runtime
from data.accounts.permissions import PermissionDenied, require_manager
from data.accounts.users import User
from data.programme import stand_store
from data.programme.stand_store import StandError
from kpi import KpiRequestError
from kpi import format as fmt

security_log = logging.getLogger("jeugdmonitor.security")
log = logging.getLogger("jeugdmonitor.stand")


@dataclass(frozen=True)
class Outcome:
    """What a write action tells the user: a Dutch message, and whether it worked."""
    ok: bool
    message: str


# --- links -------------------------------------------------------------------------------------

def stand_links(stand_id) -> list[tuple[str, str, str]]:
    """(text, href, icon) of everything a stand can be seen in, beside its overview: the
    presentation, the kostengroei, the PowerPoint, the PDF report and the programme's table as CSV
    and Excel."""
    from dashboard.exports.programme_export import stand_href

    return [("Presentatie", f"/presentatie?stand={stand_id}", "bi-easel"),
            ("Kostengroei", f"/kostengroei?stand={stand_id}", "bi-bar-chart-steps"),
            ("PowerPoint", f"/export/presentatie.pptx?stand={stand_id}", "bi-file-earmark-ppt"),
            ("Rapport (PDF)", f"/export/rapport.pdf?stand={stand_id}", "bi-file-earmark-pdf"),
            ("Tabel (CSV)", stand_href(stand_id, "csv"), "bi-filetype-csv"),
            ("Tabel (Excel)", stand_href(stand_id, "xlsx"), "bi-file-earmark-excel")]


# --- what a meeting needs: the builders a freeze runs -------------------------------------------

def programme_values(service, programme: ProgrammeView, jaar: int) -> None:
    """The indicator values the programme pages show for `jaar`: from the plan's nulmeting year
    (dashboard.ui.programme_view.trend_years), and up to the plan's last year."""
    first, last = min(programme.plan.nulmeting_jaar, jaar), programme.plan.laatste_jaar
    for ind in programme.indicators.values():
        indicator_values(service, ind, range(first, jaar + 1))
        indicator_values(service, ind, range(first, min(jaar, last) + 1))


def explorer_views(service, programme: ProgrammeView, jaar: int) -> None:
    """The explorer view each overview card links to ("Bekijk in de verkenner"), as the explorer
    asks for it, so that link from the stand's overview shows the stand's figures."""
    from dashboard.programme.overview import overview_cards
    from dashboard.ui.explorer_links import card_href
    from dashboard.ui.explorer_view import record_view

    for band in overview_cards(service, jaar, programme).values():
        for card in band:
            record_view(service, card_href(card, None))


def meeting_builders(jaar: int, dias: list[stand_store.Dia],
                     slides_builder: Callable | None = None) -> list[Callable]:
    """Builders `(service, programme)` for everything a meeting shows: the overview cards of
    `jaar`, every presentation slide (`slides_builder(jaar, service, programme, dias)`; the slide
    model can be swapped in here), the programme pages' indicator values, the added views, the
    exports of the stand (PDF, PowerPoint, the programme's table), the cards' explorer views and the
    views of /kostengroei for `jaar`."""
    from dashboard.exports.programme_export import programme_table
    from dashboard.exports.slides import build_deck
    from dashboard.programme.overview import overview_cards
    from dashboard.ui.growth_view import record_growth_views

    if slides_builder is None:
        from dashboard.exports.presentation_deck import build_slides as slides_builder
    return [
        lambda service, programme: overview_cards(service, jaar, programme),
        lambda service, programme: slides_builder(jaar, service, programme, dias=dias),
        lambda service, programme: programme_values(service, programme, jaar),
        lambda service, programme: [explorer_slide(service, d.titel, d.weergave) for d in dias],
        lambda service, programme: _report_content(service, programme, jaar),
        lambda service, programme: build_deck(service, programme, jaar, dias=dias),  # the PowerPoint
        lambda service, programme: programme_table(service, programme, jaar),  # its CSV and Excel
        lambda service, programme: explorer_views(service, programme, jaar),
        lambda service, programme: record_growth_views(service, jaar),  # /kostengroei in the stand
    ]


def _report_content(service, programme, jaar: int) -> None:
    """What the PDF report asks of the service; a year the report does not cover has no report."""
    from dashboard.exports.report_content import build_report, report_years

    years, _default = report_years(service.data_status().data_tot)
    if jaar in years:
        build_report(service, programme, jaar)


# --- writes ------------------------------------------------------------------------------------

def _number(value, what: str) -> int:
    """An id from the client (a callback's pattern id): an int, or a Dutch message."""
    found = params.whole_number(value, 1)
    if found is None:
        raise StandError(f"Onbekende {what}.")
    return found


def _refused(user: User | None, action: str, exc: PermissionDenied) -> Outcome:
    security_log.warning("geweigerd: %s door %s: %s", action,
                         user.gebruikersnaam if user else "(niet ingelogd)", exc)
    return Outcome(False, str(exc))


def _as_manager(user: User | None, action: str, work: Callable[[], str]) -> Outcome:
    """Run a programmamanager's write: `work` returns the success message. A refusal is logged;
    a bad request gets its Dutch message."""
    try:
        require_manager(user)
        message = work()
    except PermissionDenied as exc:
        return _refused(user, action, exc)
    except (StandError, KpiRequestError) as exc:
        return Outcome(False, str(exc))
    return Outcome(True, message)


def freeze_stand(user: User | None, peildatum, titel, jaar, slides_builder: Callable | None = None) -> Outcome:
    """Freeze a new stand of `jaar` (the form's values as given)."""
    engine = runtime.current().engine

    def work() -> str:
        year, day, title = stand_freeze.check_input(jaar, peildatum, titel)
        dias = stand_store.list_dias(engine)
        stand_id = stand_freeze.freeze(
            engine, runtime.service(), year, day, title, user,
            meeting_builders(year, dias, slides_builder),
            extra={"dias": [{"titel": d.titel, "weergave": d.weergave} for d in dias]},
            # a stand is what the raad is shown: manual figures only where vastgesteld
            programme_reader=lambda e: read_programme(e, vastgesteld_only=True))
        info = next(s for s in stand_freeze.list_snapshots(engine) if s.id == stand_id)
        log.info("stand %s vastgelegd door %s", stand_id, user.gebruikersnaam)
        return f"{stand_freeze.stand_label(info)} is vastgelegd ({info.titel})."
    return _as_manager(user, "stand vastleggen", work)


def delete_stand(user: User | None, stand_id) -> Outcome:
    def work() -> str:
        stand_freeze.delete(runtime.current().engine, user, _number(stand_id, "stand"))
        return "De stand is verwijderd."
    return _as_manager(user, "stand verwijderen", work)


def add_view(user: User | None, search: str | None) -> Outcome:
    """Add the explorer view of query string `search` to the presentation, titled in Dutch."""
    from dashboard.ui.explorer_view import known_groups

    def work() -> str:
        if not isinstance(search, str) or not search.strip("?"):
            raise StandError("Deze weergave kan niet aan de presentatie worden toegevoegd.")
        # a slide shows the live view (a stand freezes it); a stand's id in the URL is dropped
        state = replace(state_of(search if search.startswith("?") else "?" + search, known=known_groups()), stand=None)
        if state.messages:
            raise StandError("Deze weergave bevat onderdelen die niet kloppen: " + " ".join(state.messages))
        service = runtime.service()
        labels = {(d, v): service.group_label(d, v) for d, v in state.filters if v is not None}
        titel = view_title(state, labels)
        stand_store.add_dia(runtime.current().engine, user, titel[:stand_store.MAX_TITEL], state.to_search())
        # as the slide will name it: "… 2026 (t/m september)" where the data end inside the year
        return f"Toegevoegd aan de presentatie: {shown_title(titel, state, runtime.data_status().data_tot)}."
    return _as_manager(user, "dia toevoegen", work)


def move_dia(user: User | None, dia_id, stap: int) -> Outcome:
    def work() -> str:
        stand_store.move_dia(runtime.current().engine, user, _number(dia_id, "dia"), stap)
        return "De volgorde is aangepast."
    return _as_manager(user, "dia verplaatsen", work)


def remove_dia(user: User | None, dia_id) -> Outcome:
    def work() -> str:
        stand_store.remove_dia(runtime.current().engine, user, _number(dia_id, "dia"))
        return "De dia is uit de presentatie gehaald."
    return _as_manager(user, "dia verwijderen", work)


def peildatum_text(info) -> str:
    return fmt.datum(info.peildatum)
