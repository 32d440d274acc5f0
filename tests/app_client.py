"""The app in-process on the demonstration warehouse, with one logged-in test client per role —
for the tests that send it bad input (test_fuzz.py, test_bad_input.py).

`build(folder)` makes the warehouse (demonstration data and the Programmaplan), one account per
role (the trekker has L3.6 with the KPI indicator K11, and L1.1/L1.4 with manual indicators),
the app, and `app.clients[role]` for programmamanager, trekker, lezer and "bezoeker" (no account;
`as_role` turns PUBLIC_READ on for it). `close(app)` undoes what build did to the process.
"""
from __future__ import annotations

import re
from contextlib import contextmanager

PASSWORD = "fuzz-wachtwoord-1"
ACCOUNTS = {"programmamanager": "fuzz-pm", "trekker": "fuzz-trekker", "lezer": "fuzz-lezer"}
ROLES = [*ACCOUNTS, "bezoeker"]           # bezoeker: not logged in, reading with PUBLIC_READ
ROUTER = ".._pages_content.children..._pages_store.data.."   # Dash's page router callback


def _accounts(engine) -> None:
    from data.accounts.users import add_user, assign

    for rol, username in ACCOUNTS.items():
        add_user(engine, username, f"Test {rol}", rol, PASSWORD)
    assign(engine, ACCOUNTS["trekker"], ["L3.6", "L1.1", "L1.4"])


def build(folder):
    import app as app_module
    from data.db import make_engine
    from tests.browser import demo_warehouse

    url = demo_warehouse(folder, prepare=_accounts, totals=False)  # as before: WARM_CACHE=0 stores none
    dash_app = app_module.create_app({"DATABASE_URL": url, "WARM_CACHE": "0"})
    dash_app.engine = make_engine(url)
    dash_app.clients = {}
    for role in ROLES:
        client = dash_app.server.test_client()
        if role in ACCOUNTS:
            log_in(client, ACCOUNTS[role])
        dash_app.clients[role] = client
    return dash_app


def close(dash_app) -> None:
    from tests.conftest import reset_app_state

    reset_app_state()
    dash_app.engine.dispose()


def log_in(client, username: str) -> None:
    page = client.get("/inloggen").get_data(as_text=True)
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    answer = client.post("/inloggen", data={"csrf": token, "gebruikersnaam": username, "wachtwoord": PASSWORD})
    assert answer.status_code == 302, answer.get_data(as_text=True)[:300]
    client.get("/")  # the CSRF cookie for callbacks, as a browser gets it


@contextmanager
def as_role(dash_app, role: str):
    """The role's client; for the visitor PUBLIC_READ is on (and off again afterwards)."""
    from dashboard.server import runtime

    runtime.current().public_read = role == "bezoeker"
    client = dash_app.clients[role]
    if role == "bezoeker":
        client.get("/")  # a session with a CSRF token, but no account
    try:
        yield client
    finally:
        runtime.current().public_read = False


def csrf(client) -> dict:
    cookie = client.get_cookie("_csrf_token")
    return {"X-CSRFToken": cookie.value if cookie else ""}


def post_callback(client, body):
    return client.post("/_dash-update-component", json=body, headers=csrf(client))


def route_page(client, pathname, search):
    """What the browser asks when it opens an address: Dash's router renders the page's layout."""
    return post_callback(client, {
        "output": ROUTER,
        "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
        "inputs": [{"id": "_pages_location", "property": "pathname", "value": pathname},
                   {"id": "_pages_location", "property": "search", "value": search}],
        "changedPropIds": ["_pages_location.pathname"]})


def indicator_fields(values: dict | None = None, rows: dict | None = None) -> list:
    """The fields of /indicator/<code> as its save callbacks receive them, after their own States
    (dashboard.pages.indicator.page_fields, in its order): `values` by a field's id (None: empty),
    `rows` by a row field's kind ({key: value}; none: the page has no such rows)."""
    from dashboard.pages.indicator import page_fields

    values, rows = values or {}, rows or {}
    sent = []
    for field in page_fields():
        if isinstance(field.component_id, dict):
            kind = field.component_id["type"]
            sent.append([{"id": {"key": key, "type": kind}, "property": "value", "value": value}
                         for key, value in rows.get(kind, {}).items()])
        else:
            sent.append({"id": field.component_id, "property": field.component_property,
                         "value": values.get(field.component_id)})
    return sent
