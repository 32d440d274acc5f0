"""Targets to and from Excel for the programmamanager: GET /export/streefwaarden.csv, and the
import behind the upload on /beheer. Both only for the programmamanager, checked on the server; a
refused download is logged and gets the page of every refused download (dashboard/exports/answers.py)."""
from __future__ import annotations

import base64
import binascii

from dash import html
from flask import Response

from dashboard.exports.answers import refusal
from dashboard.programme.targets_csv import (
    TargetsImportError,
    export_filename,
    export_targets,
    import_targets,
)
from dashboard.server import auth, runtime
from data.accounts.permissions import PermissionDenied, is_manager
from data.programme.edits import EditError

PATH = "/export/streefwaarden.csv"


def csv_response() -> Response:
    if not is_manager(auth.current_user()):
        reason = "Alleen de programmamanager kan de streefwaarden downloaden."
        auth.log_refusal(reason)
        return refusal(403, reason)
    return Response(export_targets(runtime.current().engine), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{export_filename()}"'})


def register(server) -> None:
    server.add_url_rule(PATH, "streefwaarden_csv", csv_response)


def upload_label(filename: str | None) -> list:
    """What the upload zone says: the file chosen, once there is one (the zone did not show it, so
    nobody could tell whether a file was picked before pressing "Inlezen")."""
    if not filename or not isinstance(filename, str):
        return ["Streefwaarden-CSV: sleep een bestand hierheen of ", html.U("kies een bestand")]
    return ["Gekozen: ", html.Strong(filename[:200]), " · ", html.U("ander bestand kiezen")]


def import_upload(contents: str | None, filename: str | None, reden: str | None) -> tuple[bool, list[str]]:
    """A file from dcc.Upload ("data:…;base64,…"): (ok, lines to show). Nothing is written unless
    every value is right; every change is audited with the reason."""
    if not contents or not isinstance(contents, str) or "," not in contents:
        return False, ["Kies eerst een CSV-bestand."]
    try:
        data = base64.b64decode(contents.split(",", 1)[1], validate=True)
    except (binascii.Error, ValueError):
        return False, ["Het bestand kon niet worden gelezen; probeer het opnieuw."]
    name = str(filename or "streefwaarden.csv")[:200]
    # The file is checked before the reason (a file too large is refused there too: one limit, in
    # the words of the command line); when both are wrong the answer names both.
    try:
        report = import_targets(runtime.current().engine, auth.current_user(), data, name, reden)
    except TargetsImportError as exc:  # the outcome first, then the problems (it stood last, under the first one)
        return False, [exc.with_reason(reden).outcome(), *exc.lines()]   # a wrong reason too: both at once
    except (PermissionDenied, EditError) as exc:  # the write rules word them to follow a colon: a capital
        message = str(exc)
        return False, [message[:1].upper() + message[1:]]
    runtime.service().invalidate()
    return True, [report.summary, *[str(c) for c in report.changes], *report.warnings]
