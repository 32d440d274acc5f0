"""The write actions behind the beheer screens, as plain functions the callbacks (and tests) call.

Each takes what the browser sent, looks up who is logged in on the server, and calls the write
path in data.programme.edits, which checks the role and the version. The answer is a Feedback:
a Dutch message and whether it worked. A refusal is logged there; nothing here trusts the page.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Collection, Mapping

from dashboard.server import auth, runtime
from data.accounts.permissions import PermissionDenied
from data.programme import edits


@dataclass(frozen=True)
class Feedback:
    ok: bool
    message: str

    @property
    def color(self) -> str:
        return "success" if self.ok else "danger"

    @property
    def sentence(self) -> str:
        """The message as an alert shows it: a sentence with its capital ("Geef een reden …"); the
        write rules word their refusals to follow a colon ("… kan niet: geef een reden …"), so
        the alert also gives it its full stop."""
        text = self.message[:1].upper() + self.message[1:]
        return text if text.endswith((".", "?", "!")) or not text else text + "."


def fields_after(feedback: Feedback, typed: Mapping[str, Any],
                 saved: Collection[str] | None = None) -> dict[str, Any]:
    """What a page's fields show after a save, by the field's id in the page: after a refusal
    what the user typed (they see what was refused, and need not type it again); after a save
    the fields it stored (`saved`; None: all of `typed`) show what is stored now, and every other
    field keeps what was typed: a reason typed for a streefwaarde is not lost when a note is saved.
    A field's typed text stays until its own save succeeds."""
    if not feedback.ok:
        return dict(typed)
    if saved is None:
        return {}
    return {field: value for field, value in typed.items() if field not in saved}


def _run(action) -> Feedback:
    try:
        saved = action(runtime.current().engine, auth.current_user())
    except (PermissionDenied, edits.EditError) as exc:
        return Feedback(False, str(exc))
    runtime.service().invalidate()  # this process shows the change at once; others within 1 s
    return Feedback(True, saved.message)


def _version(value) -> int | None:
    """The version the page showed (None: there was no value yet). Anything else is refused."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise edits.EditError("de pagina is verouderd; laad haar opnieuw")
    return value


def save_streefwaarde(code: str, jaar, waarde, version, reden: str | None, soort: str = "streefwaarde",
                      eenheid: str | None = None) -> Feedback:
    return _run(lambda engine, user: edits.set_streefwaarde(
        engine, user, str(code), jaar, waarde, _version(version), reden, soort=soort, eenheid=eenheid))


def save_realisatie(code: str, periode, waarde, version, eenheid: str | None = None,
                    reden: str | None = None) -> Feedback:
    return _run(lambda engine, user: edits.set_realisatie(
        engine, user, str(code), str(periode or "").strip(), waarde, _version(version), reden,
        eenheid=eenheid))


def save_voortgang(maatregel: str, periode, status, toelichting, version) -> Feedback:
    return _run(lambda engine, user: edits.set_voortgang(
        engine, user, str(maatregel), str(periode or ""), str(status or ""), toelichting, _version(version)))


def add_note(code: str, datum, tekst) -> Feedback:
    return _run(lambda engine, user: edits.add_annotatie(engine, user, str(code), datum, tekst))


def delete_note(note_id) -> Feedback:
    if isinstance(note_id, bool) or not isinstance(note_id, int):
        return Feedback(False, "onbekende notitie")
    return _run(lambda engine, user: edits.delete_annotatie(engine, user, note_id))


def lock(periode) -> Feedback:
    return _run(lambda engine, user: edits.lock_period(engine, user, str(periode or "")))


def unlock(periode, reden) -> Feedback:
    return _run(lambda engine, user: edits.unlock_period(engine, user, str(periode or ""), reden))
