"""A database that does not answer gives a Dutch 503 with Retry-After (dashboard/server/outage.py): for
pages, Dash callbacks and the health check; a fault in the program stays a 500. In-process with
Flask's test client; tests/test_faults.py does the same against gunicorn and a real outage."""
from __future__ import annotations

import json
import re
import sqlite3

import pytest
from sqlalchemy import exc as sa_exc

from dashboard.server.outage import is_outage
from data.accounts.users import add_user
from data.db import make_engine, migrate
from tests import handmade_warehouse

PASSWORD = "geheim-wachtwoord-1"
UNREACHABLE = "postgresql://nobody@127.0.0.1:1/none?connect_timeout=1"
INTERNALS = ("Traceback", "sqlalchemy", "psycopg", "OperationalError", "127.0.0.1:1", "Exception")


@pytest.fixture
def app(tmp_path, app_module):
    url = f"sqlite:///{tmp_path / 'w.db'}"
    engine = make_engine(url)
    migrate(engine)
    handmade_warehouse.fill(engine)
    add_user(engine, "pm", "Programmamanager", "programmamanager", PASSWORD)
    engine.dispose()

    def build(**settings):
        return app_module.create_app({"DATABASE_URL": url, "SECRET_KEY": "test-" + "x" * 32, **settings})
    return build


def log_in(client):
    page = client.get("/inloggen").get_data(as_text=True)
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    assert client.post("/inloggen", data={"csrf": token, "gebruikersnaam": "pm", "wachtwoord": PASSWORD}).status_code == 302
    return client


def page_callback(client, path="/verkenner") -> dict:
    """The request dash-renderer makes to render a page (the pages callback)."""
    deps = json.loads(client.get("/_dash-dependencies").get_data(as_text=True))
    callback = next(c for c in deps if "_pages_content" in c["output"])
    values = {"pathname": path, "search": "", "hash": "", "href": "http://localhost" + path}
    outputs = callback["output"].strip(".").split("...")
    return {"output": callback["output"],
            "outputs": [{"id": o.rsplit(".", 1)[0], "property": o.rsplit(".", 1)[1]} for o in outputs],
            "changedPropIds": ["_pages_location.pathname"],
            "inputs": [{"id": i["id"], "property": i["property"], "value": values.get(i["property"])}
                       for i in callback["inputs"]],
            "state": [{"id": s["id"], "property": s["property"]} for s in callback.get("state", [])]}


def database_gone(public_read: bool = False):
    from dashboard.server import runtime

    runtime.configure(make_engine(UNREACHABLE), public_read=public_read)


def assert_dutch_503(response, html_page: bool):
    text = response.get_data(as_text=True)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert not any(word in text for word in INTERNALS), text
    assert "De Jeugdmonitor is even niet bereikbaar" in text and "Probeer het over een halve minuut opnieuw" in text
    if html_page:
        assert response.mimetype == "text/html"
        assert '<html lang="nl">' in text and '/assets/00_bootstrap.min.css' in text
    else:
        assert response.mimetype == "text/plain"


def test_pages_callbacks_and_health_answer_a_dutch_503(app):
    client = log_in(app().server.test_client())
    body = page_callback(client)
    csrf = client.get_cookie("_csrf_token").value
    assert client.post("/_dash-update-component", json=body, headers={"X-CSRFToken": csrf}).status_code == 200
    database_gone()
    for path in ("/beheer", "/verkenner?kpi=gem_trajectduur", "/export/programma.csv?jaar=2025"):
        response = client.get(path)
        assert_dutch_503(response, html_page=True)
        assert 'href="' + path.replace("&", "&amp;") + '"' in response.get_data(as_text=True)  # "Opnieuw proberen"
    assert_dutch_503(client.post("/_dash-update-component", json=body, headers={"X-CSRFToken": csrf}),
                     html_page=False)
    assert_dutch_503(client.get("/_dash-layout"), html_page=False)
    health = client.get("/gezondheid")
    assert health.status_code == 503 and health.get_json()["status"] == "fout"


def test_a_callback_that_meets_the_outage_answers_503(app):
    """Reading without an account: the session is not looked up, so the outage is met inside the
    pages callback itself (the KPI service)."""
    client = app(PUBLIC_READ="1").server.test_client()
    client.get("/")
    body = page_callback(client, "/verkenner")
    csrf = client.get_cookie("_csrf_token").value
    database_gone(public_read=True)
    assert_dutch_503(client.post("/_dash-update-component", json=body, headers={"X-CSRFToken": csrf}),
                     html_page=False)


def test_a_cache_that_does_not_answer_gives_the_same_503(app):
    """REDIS_URL pointing at nothing (Redis down): the pages callback meets it in the KPI cache."""
    client = app(PUBLIC_READ="1", REDIS_URL="redis://127.0.0.1:1/0", WARM_CACHE="0").server.test_client()
    client.get("/")
    body = page_callback(client, "/verkenner")
    response = client.post("/_dash-update-component", json=body,
                           headers={"X-CSRFToken": client.get_cookie("_csrf_token").value})
    assert_dutch_503(response, html_page=False)
    assert "redis" not in response.get_data(as_text=True).lower()
    assert client.get("/gezondheid").status_code == 503


@pytest.mark.parametrize("error", [
    sa_exc.IntegrityError("INSERT …", {}, Exception("duplicate key")),
    sa_exc.OperationalError("SELECT …", {}, sqlite3.OperationalError("no such table: x")),
    sa_exc.ProgrammingError("SELECT …", {}, Exception("syntax error")),
])
def test_a_fault_in_the_program_stays_a_500(app, error):
    server = app(PUBLIC_READ="1").server

    def fails():
        raise error

    server.add_url_rule("/_test_fout", "test_fout", fails)
    response = server.test_client().get("/_test_fout")
    assert response.status_code == 500 and "Retry-After" not in response.headers


def test_what_counts_as_an_outage():
    import redis

    assert is_outage(sa_exc.OperationalError("x", {}, sqlite3.OperationalError("database is locked")))
    assert is_outage(sa_exc.OperationalError("x", {}, Exception("connection refused")))  # PostgreSQL
    assert is_outage(sa_exc.InterfaceError("x", {}, Exception("connection already closed")))
    assert is_outage(sa_exc.DBAPIError("x", {}, Exception("gone"), connection_invalidated=True))
    assert is_outage(sa_exc.TimeoutError("QueuePool limit reached"))
    assert is_outage(redis.exceptions.ConnectionError("Connection refused"))
    assert not is_outage(sa_exc.OperationalError("x", {}, sqlite3.OperationalError("no such column: y")))
    assert not is_outage(sa_exc.IntegrityError("x", {}, Exception("duplicate")))
    assert not is_outage(ValueError("x"))
