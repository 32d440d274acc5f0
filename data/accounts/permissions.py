"""Who may do what: pure rules, checked on the server for every write (hiding a button is no check).

- programmamanager: edits everything, manages users, locks and unlocks reporting periods,
  freezes snapshots and chooses slides;
- trekker: edits the indicators, targets, progress and annotations of the maatregelen assigned
  to them, and only in periods that are not locked;
- lezer: reads.
Reading without an account is a setting (PUBLIC_READ), never a way to write.
"""
from __future__ import annotations

from data.accounts.users import User


class PermissionDenied(PermissionError):
    """The user may not do this; the message (Dutch) says why."""


def is_manager(user: User | None) -> bool:
    return user is not None and user.rol == "programmamanager"


def may_edit_maatregel(user: User | None, maatregel_code: str | None) -> bool:
    """Targets, realisaties, status, toelichting and annotations of a maatregel's indicators."""
    if is_manager(user):
        return True
    return (user is not None and user.rol == "trekker" and maatregel_code is not None
            and maatregel_code in user.maatregelen)


def may_read(user: User | None, public_read: bool) -> bool:
    return user is not None or public_read


def sees_unlocked_periods(user: User | None) -> bool:
    """Lezers (the raad) and visitors only ever see vastgestelde figures for past periods."""
    return user is not None and user.rol in ("programmamanager", "trekker")


def sees_signals(user: User | None) -> bool:
    """The overview's signalen (early warnings on months not vastgesteld) are for the
    programmamanager only: a steering cue, not a figure for the raad."""
    return is_manager(user)


def require_edit(user: User | None, maatregel_code: str | None, locked: bool = False) -> None:
    """Raise PermissionDenied unless `user` may change this maatregel's values now."""
    if user is None:
        raise PermissionDenied("Log eerst in om iets te wijzigen.")
    if not may_edit_maatregel(user, maatregel_code):
        if maatregel_code is None:  # an indicator of a whole lijn: no trekker to name
            raise PermissionDenied("Deze indicator hoort bij een strategische lijn, niet bij één maatregel; "
                                   "alleen de programmamanager kan hem wijzigen.")
        raise PermissionDenied(f"U bent geen trekker van maatregel {maatregel_code}; "
                               "alleen de trekker of de programmamanager kan dit wijzigen.")
    if locked:  # the programmamanager is told what to do, not to ask the programmamanager
        raise PermissionDenied("Deze periode is vastgesteld; ontgrendel haar eerst op de pagina Beheer "
                               "(met een reden)." if is_manager(user) else
                               "Deze periode is vastgesteld; alleen de programmamanager kan haar "
                               "ontgrendelen (met een reden).")


def require_manager(user: User | None) -> None:
    if user is None:
        raise PermissionDenied("Log eerst in om iets te wijzigen.")
    if not is_manager(user):
        raise PermissionDenied("Alleen de programmamanager kan dit doen.")
