"""Callback requests as the pages sent them, or a refusal: the way in for `/_dash-update-component`.

Dash hands whatever a client POSTs to its dispatcher; a body with an unknown output, a truncated
input list or an id of the wrong shape raised deep inside Dash (a 500). Two checks stand before
the callbacks:

- `problem(body, callback_map)`: the request's envelope against the registered callback — a known
  server-side output, the outputs, inputs and state it declares (in number, ids and properties),
  triggers among its inputs, and for the few properties whose kind is fixed (n_clicks,
  dcc.Location's pathname and search, clickData) a value of that kind. `register(app)` answers a
  bad envelope with a Dutch 400 before Dash reads it. What a value means is left to the callback.
- `refusing(answer)`: a callback's own parsers (dashboard.server.params) raise `BadInput` for a value of
  the wrong kind; the wrapper logs it and answers with a Dutch message in the page
  (`answer(message)`) or, for a navigation, no update at all.

Both refusals are logged on "jeugdmonitor.security" (who, which callback, why; never the value).
"""
from __future__ import annotations

import functools
import json
import logging
from typing import Any, Callable

from dash.exceptions import PreventUpdate
from flask import Response, has_request_context, request

from dashboard.server.params import BadInput

log = logging.getLogger("jeugdmonitor.security")

WILDCARDS = ("ALL", "MATCH", "ALLSMALLER")
ID_VALUE_TYPES = (str, int, float, bool)        # what a pattern-matching id's values may be


def _text_or_none(value) -> bool:
    return value is None or isinstance(value, str)


# Properties whose kind every component that has them fixes; any other property (a select's
# value, a store's data) may hold any JSON and is parsed by the callback itself.
PROPERTY_KINDS: dict[str, Callable[[Any], bool]] = {
    "n_clicks": lambda v: v is None or (isinstance(v, int) and not isinstance(v, bool)),
    "pathname": lambda v: isinstance(v, str) and v.startswith("/"),   # a path, as Dash's router needs
    "search": _text_or_none,
    "href": _text_or_none,
    "hash": _text_or_none,
    "clickData": lambda v: v is None or isinstance(v, dict),
}


def _who() -> str:
    from dashboard.server.auth import current_user

    user = current_user() if has_request_context() else None
    return user.gebruikersnaam if user else "(niet ingelogd)"


def log_refusal(action: str, reason: str) -> None:
    log.warning("geweigerd: %s door %s: %s", action, _who(), reason)


# --- the envelope ---------------------------------------------------------------------------------

def _pattern(spec_id: str) -> dict | None:
    """The pattern of a pattern-matching dependency (its id as JSON), None for a plain id."""
    return json.loads(spec_id) if spec_id.startswith("{") else None


def _id_matches(sent, spec_id: str) -> bool:
    pattern = _pattern(spec_id)
    if pattern is None:
        return sent == spec_id
    if not isinstance(sent, dict) or set(sent) != set(pattern):
        return False
    for key, wanted in pattern.items():
        value = sent[key]
        if isinstance(wanted, list) and wanted and wanted[0] in WILDCARDS:
            if isinstance(value, (list, dict)) or not isinstance(value, ID_VALUE_TYPES):
                return False
        elif value != wanted:
            return False
    return True


def _output_matches(sent, spec: dict) -> bool:
    """An output as the request names it; its property may carry Dash's "@<hash>" of an
    allow_duplicate output, as Dash's own check allows."""
    if not isinstance(sent, dict) or not isinstance(sent.get("property"), str):
        return False
    return sent["property"].split("@")[0] == spec["property"] and _id_matches(sent.get("id"), spec["id"])


def _entry_problem(entry, spec: dict) -> str | None:
    if not isinstance(entry, dict) or "id" not in entry or entry.get("property") != spec["property"]:
        return f"onderdeel {spec['id']}.{spec['property']} ontbreekt of klopt niet"
    if not _id_matches(entry["id"], spec["id"]):
        return f"onbekend onderdeel in plaats van {spec['id']}"
    valid = PROPERTY_KINDS.get(spec["property"])
    if valid and not valid(entry.get("value")):
        return f"{spec['property']} heeft een waarde van de verkeerde soort"
    return None


def _many(spec_id: str) -> bool:
    """A pattern with ALL or ALLSMALLER: the request holds a list of entries for it."""
    pattern = _pattern(spec_id)
    return pattern is not None and any(isinstance(v, list) and v and v[0] in ("ALL", "ALLSMALLER")
                                       for v in pattern.values())


def _dependency_problem(sent, spec: dict) -> str | None:
    """One input or state: an entry, or for ALL/ALLSMALLER a list of entries."""
    if not _many(spec["id"]):
        return _entry_problem(sent, spec)
    if not isinstance(sent, list):
        return f"onderdeel {spec['id']}.{spec['property']} hoort een lijst te zijn"
    return next(filter(None, (_entry_problem(entry, spec) for entry in sent)), None)


def _list_problem(sent, specs: list[dict], what: str) -> str | None:
    if not isinstance(sent, list) or len(sent) != len(specs):
        return f"de {what} passen niet bij deze actie"
    return next(filter(None, (_dependency_problem(s, spec) for s, spec in zip(sent, specs, strict=True))), None)


def _trigger_matches(prop_id, specs: list[dict]) -> bool:
    """A changed property ("<id>.<property>", the id as JSON for a pattern-matching one) that
    is one of the callback's inputs. (Not necessarily one in the lists sent: a component may
    have gone since; the callbacks look the trigger up themselves.)"""
    if not isinstance(prop_id, str) or "." not in prop_id:
        return False
    component_id, _, prop = prop_id.rpartition(".")
    if component_id.startswith("{"):
        try:
            component_id = json.loads(component_id)
        except ValueError:
            return False
    return any(spec["property"] == prop and _id_matches(component_id, spec["id"]) for spec in specs)


def problem(body: Any, callback_map: dict) -> str | None:
    """Why this callback request is not one the pages could have sent (Dutch), or None."""
    if not isinstance(body, dict):
        return "geen geldige opdracht"
    output = body.get("output")
    callback = callback_map.get(output) if isinstance(output, str) else None
    if callback is None or "callback" not in callback:
        return "onbekende actie"
    declared = callback["output"]
    outputs = body.get("outputs")
    if isinstance(declared, (list, tuple)):
        specs = [o.to_dict() for o in declared]
        if not isinstance(outputs, list) or len(outputs) != len(specs):
            return "de uitvoer past niet bij deze actie"
    else:
        specs, outputs = [declared.to_dict()], [outputs]
    for sent, spec in zip(outputs, specs, strict=True):
        entries = sent if _many(spec["id"]) and isinstance(sent, list) else [sent]
        if not all(_output_matches(entry, spec) for entry in entries):
            return "de uitvoer past niet bij deze actie"
    found = (_list_problem(body.get("inputs"), callback["inputs"], "invoerwaarden")
             or _list_problem(body.get("state", []), callback["state"], "toestandswaarden"))
    if found:
        return found
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list):
        return "onbekende aanleiding"
    if not all(_trigger_matches(prop_id, callback["inputs"]) for prop_id in changed):
        return "onbekende aanleiding"
    return None


def register(app) -> None:
    """Check every callback request before Dash dispatches it (after the login and CSRF guard)."""
    path = app.config.routes_pathname_prefix + "_dash-update-component"

    @app.server.before_request
    def _check_callback_request():
        if request.path != path or request.method != "POST" or not request.is_json:
            return None  # not a callback, or not JSON (Dash answers 415)
        reason = problem(request.get_json(silent=True), app.callback_map)
        if reason is None:
            return None
        log_refusal("callbackverzoek", reason)
        return Response(f"Ongeldig verzoek: {reason}. Laad de pagina opnieuw.\n", status=400,
                        content_type="text/plain; charset=utf-8")


# --- values inside a well-formed request ---------------------------------------------------------

def refusing(answer: Callable[[str], Any] | None = None):
    """Decorate a callback (under @app.callback): a BadInput from its parsers is logged and
    answered with `answer(message)` — the callback's outputs showing the Dutch message — or, when
    there is no message to show (a navigation), with no update."""
    def wrap(function):
        @functools.wraps(function)
        def run(*args, **kwargs):
            try:
                return function(*args, **kwargs)
            except BadInput as exc:
                log_refusal(function.__name__.strip("_"), str(exc))
                if answer is None:
                    raise PreventUpdate from None
                return answer(str(exc))
        return run
    return wrap
