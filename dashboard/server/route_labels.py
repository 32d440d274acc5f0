"""The name of what a request asked for, for metrics and logs: the route's template, never its path.

A path or query string can carry anything a client sends (a typed name, a number); as a metric
label it would also make the set of series unbounded. So a request is named by:
- `route`: the Flask rule it matched (`/export/rapport.pdf`, `/assets/<path:filename>`), or for a
  page address the page's own path or template (`/programma/<lijn>`; Dash serves every page from
  one catch-all rule); "onbekend" when nothing matched (a 404 or 405);
- `callback`: for `/_dash-update-component`, which callback — `pagina:<template>` for Dash's page
  router (the page it renders), else `<page module>.<function>` (`verkenner.on_bar_click`);
  "onbekend" for a request no registered callback takes; empty for any other route.
Both come from the code (rules, pages, callbacks), so they are bounded.

`remember(app)` names the request early (before the login guard answers) and `name_callbacks(app)`
its callback once the guards let it through, in its WSGI environ, where the metrics, the JSON log
and gunicorn's access log read them.
"""
from __future__ import annotations

import dash
from flask import request

from dashboard.server.error_pages import page_for

ROUTE_KEY = "jeugdmonitor.route"         # in the WSGI environ; gunicorn's access log reads it too
CALLBACK_KEY = "jeugdmonitor.callback"
UNKNOWN = "onbekend"
ROUTER_OUTPUT = "_pages_content.children"  # Dash's page router callback renders into this


def page_template(path: str) -> str:
    """The page a page address shows, by its path or template; UNKNOWN for none."""
    page = page_for(path.strip("/"))
    if page is None:
        return UNKNOWN
    return page.get("path_template") or page["path"]


def route_name(rule: str | None, path: str, catch_all_rules: tuple[str, ...]) -> str:
    """`rule`: the matched Flask rule (None: none matched)."""
    if rule is None:
        return UNKNOWN
    if rule in catch_all_rules:
        return page_template(path)
    return rule


def callback_name(body, callback_map: dict) -> str:
    """Which callback a callback request's JSON body asks for (see the module's docstring)."""
    output = body.get("output") if isinstance(body, dict) else None
    if not isinstance(output, str):
        return UNKNOWN
    if ROUTER_OUTPUT in output:
        inputs = body.get("inputs")
        pathname = next((entry.get("value") for entry in inputs if isinstance(entry, dict)
                         and entry.get("property") == "pathname"), None) if isinstance(inputs, list) else None
        return "pagina:" + (page_template(pathname) if isinstance(pathname, str) else UNKNOWN)
    function = (callback_map.get(output) or {}).get("callback")
    if function is None:
        return UNKNOWN
    module = function.__module__.rpartition(".")[2]
    return f"{module}.{function.__name__.lstrip('_')}"


def remember(app: dash.Dash) -> None:
    """Name every request in its environ, as the first of the server's own before-request steps
    (a request the login guard refuses has its route too). A callback request is "onbekend" until
    `name_callbacks`' step names it."""
    prefix = app.config.routes_pathname_prefix
    catch_all_rules = (prefix, prefix + "<path:path>")
    callback_path = prefix + "_dash-update-component"

    @app.server.before_request
    def _name_request():
        rule = request.url_rule.rule if request.url_rule is not None else None
        request.environ[ROUTE_KEY] = route_name(rule, request.path, catch_all_rules)
        if request.path == callback_path:
            request.environ[CALLBACK_KEY] = UNKNOWN


def name_callbacks(app: dash.Dash) -> None:
    """Name a callback request by its body: register after the login, CSRF and envelope checks
    (dashboard/server/callback_guard.py), so only a body those let through is read here — already
    parsed by then — and never an anonymous one."""
    callback_path = app.config.routes_pathname_prefix + "_dash-update-component"

    @app.server.before_request
    def _name_callback():
        if request.path == callback_path and request.method == "POST":
            request.environ[CALLBACK_KEY] = callback_name(request.get_json(silent=True), app.callback_map)
