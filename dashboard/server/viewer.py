"""Who is looking, and what they may see: the programme as the current viewer should read it."""
from __future__ import annotations

from dashboard.programme.progress import ProgrammeView, read_programme
from dashboard.server import auth, runtime
from data.accounts.permissions import may_edit_maatregel, sees_signals, sees_unlocked_periods


def programme() -> ProgrammeView:
    """Trekkers and the programmamanager see every reported value; the raad (lezers) and
    visitors only vastgestelde (locked) figures."""
    return read_programme(runtime.current().engine,
                          vastgesteld_only=not sees_unlocked_periods(auth.current_user()))


def shows_provisional() -> bool:
    """True when the viewer also sees values of periods that are not vastgesteld yet."""
    return sees_unlocked_periods(auth.current_user())


def may_edit(maatregel_code: str | None) -> bool:
    return may_edit_maatregel(auth.current_user(), maatregel_code)


def may_see_signals() -> bool:
    return sees_signals(auth.current_user())
