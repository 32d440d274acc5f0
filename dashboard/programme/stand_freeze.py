"""Vastgestelde standen: freeze the figures a meeting needs as of a peildatum, and read them back.

`freeze()` runs the *builders* it is given — functions `(service, programme) -> None` from
dashboard/ that build the overview cards, the slides, the programme's indicator values and the
added explorer views — against a `RecordingService` over the live service, and stores what they
asked for (rows, programme, data status) in one `stand` row. `load_snapshot()` gives back a
`FrozenService` that answers those requests, and nothing else, without the database. kpi/ stays
free of Dash: what to build is decided by the caller.
"""
from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Callable, Iterable

from dashboard.programme.frozen import FrozenService, RecordingService, programme_from_json
from dashboard.programme.progress import ProgrammeView, read_programme
from data.accounts.permissions import require_manager
from data.accounts.users import User
from data.programme import stand_store
from data.programme.plan import read_plan
from data.programme.stand_store import StandError, StandInfo
from kpi import format as fmt
from kpi.service import KpiService

log = logging.getLogger("jeugdmonitor.standen")

FIRST_JAAR = 2019
Builder = Callable[[RecordingService, ProgrammeView], object]


def stand_label(info: StandInfo) -> str:
    return f"Stand per {fmt.datum(info.peildatum)}"


OLD_RULES_NOTE = ("kleine aantallen afgeschermd volgens de oude regel (versie 1: drempel en secundaire "
                  "afscherming, zonder afronding op vijftallen)")


def frozen_label(frozen: FrozenService) -> str:
    """"Stand per 12 november 2026", and for a stand made under the old small-number rules that it
    was: its figures stay as published, the label says how they were protected."""
    label = stand_label(frozen.info)
    return f"{label} ({OLD_RULES_NOTE})" if frozen.regels < 2 else label


#: a peildatum as people type it is far shorter; a longer text is quoted this long in the refusal
#: ("…" after it), and the page refuses up front only a text no field could send (params.typed_text)
MAX_PEILDATUM = 40


def _quoted(text: str) -> str:
    """What was typed, as the refusal quotes it: whole, or its start and "…" when very long."""
    return text if len(text) <= MAX_PEILDATUM else text[:MAX_PEILDATUM].rstrip() + "…"


def parse_datum(text: str) -> dt.date | None:
    """A date as people type it: 12-11-2026, 12/11/2026, 12 november 2026, or 2026-11-12."""
    text = " ".join(text.strip().lower().split())
    match = re.fullmatch(r"(\d{1,2})[-/. ](\d{1,2})[-/. ](\d{4})", text)
    words = re.fullmatch(r"(\d{1,2}) ([a-z]+) (\d{4})", text)
    try:
        if match:
            return dt.date(int(match[3]), int(match[2]), int(match[1]))
        if words and words[2] in fmt.MAANDEN:
            return dt.date(int(words[3]), fmt.MAANDEN.index(words[2]) + 1, int(words[1]))
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def check_input(jaar, peildatum, titel, today: dt.date | None = None) -> tuple[int, dt.date, str]:
    """Validate the form's values; a StandError with a Dutch message for anything wrong."""
    today = today or dt.date.today()
    if isinstance(peildatum, str) and peildatum.strip():
        parsed = parse_datum(peildatum)
        if parsed is None:
            raise StandError(f"Peildatum '{_quoted(peildatum.strip())}' is geen datum (schrijf bijvoorbeeld 12-11-2026).")
        peildatum = parsed
    if not isinstance(peildatum, dt.date):
        raise StandError("Geef een peildatum op.")
    if peildatum > today:
        raise StandError(f"De peildatum ligt in de toekomst ({fmt.datum(peildatum)}); een stand legt "
                         "de cijfers van nu vast.")
    if peildatum.year < FIRST_JAAR:
        raise StandError(f"De peildatum ligt vóór {FIRST_JAAR}.")
    try:
        jaar = int(str(jaar).strip())
    except (TypeError, ValueError):
        raise StandError(f"Jaar '{jaar}' is geen jaartal.") from None
    if FIRST_JAAR <= peildatum.year < jaar:
        # the form offers every year of the data: name the peildatum that rules this one out (the
        # range alone read "Kies een jaar van 2019 tot en met 2019" for a peildatum typed as 1-1-2019)
        raise StandError(f"Het jaar {jaar} ligt na de peildatum ({fmt.datum(peildatum)}): kies een jaar tot "
                         f"en met {peildatum.year}, of een latere peildatum.")
    if not FIRST_JAAR <= jaar <= peildatum.year:
        raise StandError(f"Kies een jaar van {FIRST_JAAR} tot en met {peildatum.year}.")
    return jaar, peildatum, stand_store.check_titel(titel)


def _generation(engine) -> tuple:
    return KpiService(engine, generation_ttl=0).generation()


def freeze(engine, service, jaar, peildatum, titel, door: User | None,
           builders: Iterable[Builder], extra: dict | None = None, attempts: int = 2,
           programme_reader: Callable[..., ProgrammeView] = read_programme) -> int:
    """Freeze what `builders` ask for; store it as a new stand. Returns the stand's id.

    The recording is repeated when a load or an edit committed while it ran (the figures must be
    of one moment); `extra` (plain JSON) is stored beside it, e.g. the list of added slides.
    `programme_reader(engine)` reads the programme that is frozen (the view the audience may see)."""
    require_manager(door)
    jaar, peildatum, titel = check_input(jaar, peildatum, titel)
    builders = list(builders)
    for _ in range(attempts):
        before = _generation(engine)
        programme = programme_reader(engine)
        recorder = RecordingService(service)
        recorder.data_status()
        recorder.gemeenten()
        for build in builders:
            build(recorder, programme)
        if _generation(engine) == before:
            break
    else:
        raise StandError("De gegevens veranderden terwijl de stand werd vastgelegd; probeer het opnieuw.")
    inhoud = recorder.to_json(programme)
    inhoud["extra"] = extra or {}
    return stand_store.insert_stand(engine, door, peildatum, titel, jaar, inhoud)


def list_snapshots(engine) -> list[StandInfo]:
    return stand_store.list_standen(engine)


def stand_number(stand_id) -> int:
    """The number a link's `stand=` names; StandError (Dutch) when it names none."""
    text = str(stand_id).strip()
    # ASCII digits, and short: int() reads '١٢' and refuses '²' or 5000 digits, and the database
    # refuses ids beyond its integer type
    if not text:  # `?stand=`: a link meant for a stand whose number got lost
        raise StandError("De link noemt geen nummer van een vastgelegde stand.")
    if not (text.isascii() and text.isdigit() and len(text) <= 9):
        raise StandError(f"'{text[:40]}' is geen nummer van een vastgelegde stand.")
    return int(text)


def stand_link_problem(engine, stand_id) -> str | None:
    """Why a link's `stand=` names no stand, in load_snapshot's words; None when it names one.
    Reads the list of stands, not the stand's figures."""
    try:
        number = stand_number(stand_id)
    except StandError as exc:
        return str(exc)
    if number not in {info.id for info in stand_store.list_standen(engine)}:
        return f"Stand {number} bestaat niet (meer)."
    return None


def load_snapshot(engine, stand_id) -> FrozenService:
    """The frozen service of a stand, with `.info`, `.programme` and `.extra`; StandError when the
    id is not a stand."""
    number = stand_number(stand_id)
    found = stand_store.get_stand(engine, number)
    if found is None:
        raise StandError(f"Stand {number} bestaat niet (meer).")
    info, inhoud = found
    try:
        service = FrozenService.from_json(inhoud, fmt.datum(info.peildatum))
        service.programme = programme_from_json(inhoud["programma"], read_plan(engine))
        service.extra = inhoud.get("extra") or {}
    except (KeyError, TypeError, ValueError, AttributeError, IndexError):
        # only a stand this version did not freeze gets here (a back-up restored by hand, an edit in
        # the database): the pages say so instead of failing, and the log keeps the cause
        log.exception("stand %s is niet te lezen", number)
        raise StandError(f"Stand {number} is beschadigd: zijn inhoud is niet te lezen. Meld het bij de "
                         "functioneel beheerder.") from None
    service.info = info
    return service


def delete(engine, user: User | None, stand_id: int) -> None:
    """Programmamanager only; audited."""
    require_manager(user)
    stand_store.delete_stand(engine, user, stand_id)
