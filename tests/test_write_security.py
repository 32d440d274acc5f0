"""Forged requests against the write callbacks, at the HTTP level: hiding a button is not a check.

The app runs in-process (Flask's test client) on a SQLite warehouse with the Programmaplan and
three accounts. Each test logs in over HTTP as a role, then POSTs a hand-made Dash callback request
(`/_dash-update-component`) for a save it should not be able to do, and checks that the answer is a
refusal and that the database did not change.
"""
from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import func, select

from data import schema as s
from data.accounts.users import add_user, assign
from data.db import make_engine, migrate
from data.programme.plan import load_programme
from tests.app_client import indicator_fields

PASSWORD = "geheim-wachtwoord-1"


@pytest.fixture
def client(tmp_path, app_module):
    url = f"sqlite:///{tmp_path / 'w.db'}"
    engine = make_engine(url)
    migrate(engine)
    load_programme(engine)
    add_user(engine, "anna", "Anna de Vries", "trekker", PASSWORD)
    assign(engine, "anna", ["L3.6"])
    add_user(engine, "piet", "Piet Bakker", "trekker", PASSWORD)
    assign(engine, "piet", ["L3.3"])
    add_user(engine, "raad", "Raadslid Jansen", "lezer", PASSWORD)
    add_user(engine, "pm", "Programmamanager", "programmamanager", PASSWORD)
    server = app_module.create_app({"DATABASE_URL": url}).server
    test_client = server.test_client()
    test_client.engine = engine
    yield test_client
    engine.dispose()


def csrf_from_cookie(client) -> str:
    cookie = client.get_cookie("_csrf_token")
    return cookie.value if cookie else ""


def log_in(client, username):
    page = client.get("/inloggen").get_data(as_text=True)
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    answer = client.post("/inloggen", data={"csrf": token, "gebruikersnaam": username, "wachtwoord": PASSWORD,
                                            "volgende": "/"})
    assert answer.status_code == 302, answer.get_data(as_text=True)[:300]
    client.get("/")  # receives the session's CSRF cookie, as a browser would


def callback_spec(client, input_type: str) -> dict:
    """The registered callback whose first input is the pattern or id `input_type`."""
    from dashboard.server import runtime

    shown, runtime.current().public_read = runtime.current().public_read, True
    deps = client.get("/_dash-dependencies").get_json()  # the callback graph is no secret
    runtime.current().public_read = shown
    for dep in deps:
        first = dep["inputs"][0]["id"]
        if first == input_type or (first.startswith("{") and json.loads(first).get("type") == input_type):
            return dep
    raise AssertionError(f"no callback for {input_type}")


def outputs_of(spec) -> list[dict] | dict:
    if not spec["output"].startswith(".."):  # a single output is sent as one object
        return dict(zip(("id", "property"), spec["output"].rsplit(".", 1), strict=True))
    parts = spec["output"].strip(".").split("...")
    return [dict(zip(("id", "property"), part.rsplit(".", 1), strict=True)) for part in parts]


def post_callback(client, spec, inputs, state, changed, csrf=True):
    body = {"output": spec["output"], "outputs": outputs_of(spec), "inputs": inputs, "state": state,
            "changedPropIds": changed}
    headers = {"X-CSRFToken": csrf_from_cookie(client)} if csrf else {}
    return client.post("/_dash-update-component", json=body, headers=headers)


def save_target(client, code: str, jaar: int, value: str, version: int | None, csrf=True):
    spec = callback_spec(client, "sw-save")
    button = {"type": "sw-save", "key": str(jaar)}
    inputs = [[{"id": button, "property": "n_clicks", "value": 1}]]
    state = [[{"id": {"type": "sw-version", "key": str(jaar)}, "property": "data", "value": version}],
             {"id": "indicator-code", "property": "data", "value": code},
             *indicator_fields({"indicator-reden": "vervalst verzoek"}, {"sw-input": {str(jaar): value}})]
    changed = [json.dumps(button, sort_keys=True, separators=(",", ":")) + ".n_clicks"]
    return post_callback(client, spec, inputs, state, changed, csrf)


def lock(client, periode: str):
    spec = callback_spec(client, "beheer-lock")
    return post_callback(client, spec, [{"id": "beheer-lock", "property": "n_clicks", "value": 1}],
                         [{"id": "beheer-periode-shown", "property": "data", "value": periode}],
                         ["beheer-lock.n_clicks"])


def target(engine, code: str, jaar: int) -> tuple[float, int]:
    with engine.connect() as conn:
        row = conn.execute(select(s.Streefwaarde.waarde, s.Streefwaarde.version)
                           .join(s.Indicator, s.Indicator.id == s.Streefwaarde.indicator_id)
                           .where(s.Indicator.code == code, s.Streefwaarde.jaar == jaar,
                                  s.Streefwaarde.soort == "streefwaarde")).one()
    return row.waarde, row.version


def audit_count(engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(s.Wijziging))


def test_own_maatregel_save_works_over_http(client):
    log_in(client, "anna")
    before = audit_count(client.engine)
    answer = save_target(client, "K11", 2026, "7,7", target(client.engine, "K11", 2026)[1])
    assert answer.status_code == 200
    assert "gewijzigd van 7,4 in 7,7" in answer.get_data(as_text=True)
    assert target(client.engine, "K11", 2026)[0] == 7.7
    assert audit_count(client.engine) == before + 1


@pytest.mark.parametrize("username", ["raad", "piet"])
def test_lezer_and_other_trekker_are_refused(client, username, caplog):
    log_in(client, username)
    before, audits = target(client.engine, "K11", 2026), audit_count(client.engine)
    with caplog.at_level("WARNING", logger="jeugdmonitor.security"):
        answer = save_target(client, "K11", 2026, "1", before[1])
    text = answer.get_data(as_text=True)
    assert "geen trekker van maatregel L3.6" in text
    assert target(client.engine, "K11", 2026) == before and audit_count(client.engine) == audits
    assert any("geweigerd" in r.getMessage() and username in r.getMessage() for r in caplog.records)


def test_visitor_without_login_is_refused_before_the_callback(client):
    client.get("/inloggen")  # a session with a CSRF token, but no account
    before = target(client.engine, "K11", 2026)
    answer = save_target(client, "K11", 2026, "1", before[1])
    assert answer.status_code == 401
    assert target(client.engine, "K11", 2026) == before


def test_visitor_with_public_read_still_cannot_write(client):
    from dashboard.server import runtime

    runtime.current().public_read = True  # reading is open; the write path never is
    client.get("/")
    before = target(client.engine, "K11", 2026)
    answer = save_target(client, "K11", 2026, "1", before[1])
    assert "Log eerst in" in answer.get_data(as_text=True)
    assert target(client.engine, "K11", 2026) == before


def test_write_without_csrf_token_is_refused(client):
    log_in(client, "anna")
    before = target(client.engine, "K11", 2026)
    answer = save_target(client, "K11", 2026, "7,7", before[1], csrf=False)
    assert answer.status_code == 403
    assert target(client.engine, "K11", 2026) == before


def test_only_the_programmamanager_locks_a_period(client):
    log_in(client, "anna")
    assert "Alleen de programmamanager" in lock(client, "2026-Q3").get_data(as_text=True)
    with client.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(s.Rapportageperiode)) == 0
    client.post("/uitloggen", data={"csrf": client.get_cookie("_csrf_token").value})
    log_in(client, "pm")
    assert "K3 2026 is vastgesteld" in lock(client, "2026-Q3").get_data(as_text=True)


def test_stale_version_is_refused_with_the_newer_value(client):
    log_in(client, "anna")
    _value, version = target(client.engine, "K11", 2027)
    assert save_target(client, "K11", 2027, "7,8", version).status_code == 200
    answer = save_target(client, "K11", 2027, "7,9", version).get_data(as_text=True)  # the old version again
    assert "intussen door anna" in answer and "gewijzigd in 7,8" in answer
    assert target(client.engine, "K11", 2027)[0] == 7.8


def upload(client, contents: str, reden: str):
    spec = callback_spec(client, "sw-upload-go")
    return post_callback(client, spec, [{"id": "sw-upload-go", "property": "n_clicks", "value": 1}],
                         [{"id": "sw-upload", "property": "contents", "value": contents},
                          {"id": "sw-upload", "property": "filename", "value": "streefwaarden.csv"},
                          {"id": "sw-upload-reden", "property": "value", "value": reden}],
                         ["sw-upload-go.n_clicks"])


def test_targets_csv_download_and_upload_are_for_the_programmamanager_only(client):
    import base64

    log_in(client, "anna")
    assert client.get("/export/streefwaarden.csv").status_code == 403
    client.post("/uitloggen", data={"csrf": client.get_cookie("_csrf_token").value})
    log_in(client, "pm")
    download = client.get("/export/streefwaarden.csv")
    assert download.status_code == 200 and download.mimetype == "text/csv"
    text = download.data.decode("utf-8-sig")
    line = next(l for l in text.splitlines() if l.startswith("K11;"))
    edited = text.replace(line, line.rsplit(";", 1)[0] + ";7,9")  # the 2028 target
    contents = "data:text/csv;base64," + base64.b64encode(edited.encode("utf-8-sig")).decode()
    client.post("/uitloggen", data={"csrf": client.get_cookie("_csrf_token").value})

    log_in(client, "anna")  # a trekker forging the upload callback
    before = target(client.engine, "K11", 2028)
    assert "Alleen de programmamanager" in upload(client, contents, "bijgesteld").get_data(as_text=True)
    assert target(client.engine, "K11", 2028) == before
    client.post("/uitloggen", data={"csrf": client.get_cookie("_csrf_token").value})

    log_in(client, "pm")
    assert "1 waarde gewijzigd" in upload(client, contents, "herijking 2028").get_data(as_text=True)
    assert target(client.engine, "K11", 2028)[0] == 7.9
    broken = "data:text/csv;base64," + base64.b64encode(b"indicator;2025\nK99;1\n").decode()
    answer = upload(client, broken, "x").get_data(as_text=True)
    assert "Niets ge" in answer and "streefwaarden.csv:" in answer


def test_a_realisatie_saved_on_the_page_keeps_its_optional_reason(client):
    log_in(client, "pm")
    spec = callback_spec(client, "re-new-save")
    answer = post_callback(client, spec, [{"id": "re-new-save", "property": "n_clicks", "value": 1}],
                           [{"id": "indicator-code", "property": "data", "value": "H01"},
                            *indicator_fields({"re-new-periode": "2016-Q1", "re-new-input": "42",
                                               "indicator-reden": "telling van het wijkteam"})],
                           ["re-new-save.n_clicks"])
    assert "De realisatie K1 2016 van H01 is vastgelegd: 42." in answer.get_data(as_text=True)
    with client.engine.connect() as conn:
        reden = conn.scalar(select(s.Wijziging.reden).where(s.Wijziging.sleutel == "H01/2016-Q1"))
    assert reden == "telling van het wijkteam"


def test_the_browsers_own_favicon_request_is_answered(client):
    """Chromium asks /favicon.ico of pages without an icon link (login, error pages); a 404 there
    is a console error on every such page."""
    answer = client.get("/favicon.ico")
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/_favicon.ico")
    assert client.get("/_favicon.ico").status_code == 200
