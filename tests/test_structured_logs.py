"""LOG_FORMAT=json under the production command: every line gunicorn and the app write is one JSON
object, and none carries personal data or a query string — driven with what users type (a name
and a password at a failed login, values in addresses, a streefwaarden file and a load with a
BSN-like number in them). The formatter and the setting on their own: the end of this module."""
from __future__ import annotations

import base64
import json
import logging
import re
import sys
from urllib.parse import urlencode

import pytest

from data.accounts.users import add_user
from data.db import make_engine, migrate
from data.programme.plan import load_programme
from data.warehouse.loader import LoadError, load_folder
from tests import handmade_warehouse
from tests.gunicorn_support import gunicorn
from tests.http_session import HttpSession
from tests.test_loader import changed, write_folder
from tests.test_metrics import TOKEN, samples, value

PASSWORD = "lang-genoeg-wachtwoord"
BSN_LIKE = "123456782"  # passes the elfproef
TYPED = ("Jan Jansen", "Geheim-wachtwoord-99", "Fout-wachtwoord-77", "Piet Pietersen", "Pietersen", "Klaas",
         BSN_LIKE, "jaar=", "zoek=", "naam=")


def callback_body(deps: list[dict], output: str, values: dict) -> dict:
    """A callback request as dash-renderer sends it: every input and state by its property."""
    spec = next(c for c in deps if c["output"] == output)

    def entries(items):
        return [{"id": i["id"], "property": i["property"], "value": values.get(i["property"])} for i in items]

    outputs = [dict(zip(("id", "property"), o.rsplit(".", 1), strict=True))
               for o in spec["output"].strip(".").split("...")]
    return {"output": spec["output"], "outputs": outputs if len(outputs) > 1 else outputs[0],
            "inputs": entries(spec["inputs"]), "state": entries(spec.get("state", [])),
            "changedPropIds": [f"{spec['inputs'][0]['id']}.{spec['inputs'][0]['property']}"]}


def failed_login(session: HttpSession, name: str, password: str) -> int:
    _status, page = session.get("/inloggen")
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    status, _ = session.request("/inloggen", urlencode({"csrf": token, "gebruikersnaam": name,
                                                       "wachtwoord": password}).encode(),
                                {"Content-Type": "application/x-www-form-urlencoded"})
    return status


def test_json_logs_hold_no_personal_data_and_no_query_strings(tmp_path):
    url = f"sqlite:///{tmp_path / 'w.db'}"
    engine = make_engine(url)
    migrate(engine)
    handmade_warehouse.fill(engine)
    load_programme(engine)
    add_user(engine, "anna", "Anna de Vries", "programmamanager", PASSWORD)
    log_path = tmp_path / "gunicorn.log"
    env = {"DATABASE_URL": url, "LOG_FORMAT": "json", "METRICS_TOKEN": TOKEN, "SECRET_KEY": "test-" + "x" * 32}
    with gunicorn(env, log_path, workers=2) as (_proc, base):
        session = HttpSession(base)
        assert failed_login(session, "Jan Jansen", "Geheim-wachtwoord-99") == 401
        assert failed_login(session, " ANNA ", "Fout-wachtwoord-77") == 401
        session.log_in("anna", PASSWORD)
        assert session.get("/programma/L3?jaar=2025&zoek=Piet+Pietersen")[0] == 200
        assert session.get(f"/indicator/{BSN_LIKE}?naam=Klaas")[0] == 200
        deps = json.loads(session.get("/_dash-dependencies")[1])
        router = next(c["output"] for c in deps if "_pages_content" in c["output"])
        status, _ = session.post_json("/_dash-update-component", callback_body(
            deps, router, {"pathname": "/verkenner", "search": "?kpi=instroom&jaar=2025&naam=Klaas"}))
        assert status == 200
        status, _ = session.post_json("/_dash-update-component", {"output": "Piet Pietersen.children"})
        assert status == 400  # refused and logged on jeugdmonitor.security
        exported = session.get("/export/streefwaarden.csv")[1].splitlines()
        cells = exported[1].split(";")
        exported[1] = ";".join(cells[:-1] + [BSN_LIKE])
        upload = "data:text/csv;base64," + base64.b64encode("\r\n".join(exported).encode("utf-8-sig")).decode()
        status, answer = session.post_json("/_dash-update-component", callback_body(
            deps, "sw-upload-result.children",
            {"n_clicks": 1, "contents": upload, "filename": "Pietersen.csv", "value": "Jan Jansen vroeg het"}))
        # the answer's text as the user reads it: Dash's encoder writes "ï" as is (orjson) or as \u00ef
        shown = json.dumps(json.loads(answer), ensure_ascii=False)
        assert status == 200 and "Niets geïmporteerd" in shown  # the user sees the problems; the log does not
        with pytest.raises(LoadError):  # a load refused for a BSN-like value (the load runs in its own process)
            load_folder(engine, write_folder(tmp_path / "fout", changed(
                "trajecten.csv", ";2012; WK040601 ;", f";{BSN_LIKE}; WK040601 ;")))
        status, text = session.request("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        assert status == 200 and BSN_LIKE not in text
        assert value(samples(text), "jeugdmonitor_load_runs_total", kind="csv", outcome="failure") == 1
    engine.dispose()

    lines = [line for line in log_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    entries = [json.loads(line) for line in lines]  # every line is one JSON object
    for typed in TYPED:
        assert not any(typed in line for line in lines), typed
    app_lines = [e for e in entries if "logger" in e]
    access = [e for e in entries if "status" in e]
    assert len(app_lines) + len(access) == len(entries)
    assert all({"time", "level", "logger", "message"} <= set(e) for e in app_lines)
    assert any(e["logger"] == "gunicorn.error" and "Booting worker" in e["message"] for e in app_lines)
    security = [(e["message"], e.get("route")) for e in app_lines if e["logger"] == "jeugdmonitor.security"]
    assert ("inloggen mislukt voor (geen bestaand account)", "/inloggen") in security
    assert ("inloggen mislukt voor anna", "/inloggen") in security
    assert ("ingelogd: anna (programmamanager)", "/inloggen") in security
    assert ("geweigerd: callbackverzoek door anna: onbekende actie", "/_dash-update-component") in security
    routes = {e["route"] for e in access}
    assert {"/programma/<lijn>", "/indicator/<code>", "/_dash-update-component", "/inloggen", "/metrics",
            "/export/streefwaarden.csv"} <= routes
    assert all(set(e) == {"time", "method", "route", "status", "bytes", "ms"} for e in access)


def test_the_json_formatter_keeps_a_record_on_one_line():
    from dashboard.server.log_format import JsonFormatter

    try:
        raise ValueError("regel 1\nregel 2")
    except ValueError:
        record = logging.LogRecord("jeugdmonitor.error", logging.ERROR, __file__, 1, "fout %s: %r", ("A1", "é"),
                                   sys.exc_info())
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "fout A1: 'é'" and entry["level"] == "ERROR" and entry["logger"] == "jeugdmonitor.error"
    assert entry["time"].endswith("Z") and "ValueError: regel 1\nregel 2" in entry["exception"]
    assert "route" not in entry  # outside a request


@pytest.mark.parametrize("raw, fmt", [(None, "tekst"), ("", "tekst"), (" JSON ", "json"), ("tekst", "tekst"),
                                      ("text", "tekst")])
def test_log_format_setting(raw, fmt):
    from dashboard.server.log_format import log_format

    assert log_format(raw) == fmt


def test_a_bad_log_format_is_refused_in_dutch():
    from dashboard.server.log_format import LogSettingError, log_format

    with pytest.raises(LogSettingError, match=r"^LOG_FORMAT='xml': kies tekst of json$"):
        log_format("xml")
