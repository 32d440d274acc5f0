"""Issue 14, the testers' reports one by one: ordinary bad input gets a Dutch answer, never a
traceback or a 500. (test_fuzz.py generates such input at large; these are the reported cases.)

The app runs in-process on the demonstration warehouse (tests/app_client.py); pages are rendered
the way a browser asks for them, through Dash's page router.
"""
from __future__ import annotations

import json
import logging

import pytest
from flask import Flask
from sqlalchemy import func, select

from data import schema as s
from tests import app_client
from tests.app_client import as_role, csrf, indicator_fields, post_callback, route_page

FIVE_THOUSAND_DIGITS = "9" * 5000   # beyond Python's 4300-digit limit for int()


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    dash_app = app_client.build(tmp_path_factory.mktemp("bad-input"))
    yield dash_app
    app_client.close(dash_app)


@pytest.fixture
def pm(app):
    with as_role(app, "programmamanager") as client:
        yield client


@pytest.fixture
def trekker(app):
    with as_role(app, "trekker") as client:
        yield client


def default_year() -> int:
    from dashboard.server import runtime

    return runtime.years_available()[1]


def shown(response) -> str:
    """The text of a callback's answer (Dash's JSON), for looking for a message."""
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return json.dumps(response.get_json(), ensure_ascii=False)


def audit_rows(app) -> int:
    with app.engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(s.Wijziging))


# --- URL values -------------------------------------------------------------------------------------

@pytest.mark.parametrize("bad", ["²", FIVE_THOUSAND_DIGITS], ids=["superscript", "5000 digits"])
@pytest.mark.parametrize("path", ["/", "/programma", "/verkenner"])
def test_a_year_that_is_no_number_shows_the_default_year_with_a_message(pm, path, bad):
    text = shown(route_page(pm, path, f"?jaar={bad}"))
    assert f"is niet beschikbaar; {default_year()} wordt getoond." in text
    assert FIVE_THOUSAND_DIGITS not in text   # a bad value is not echoed at length


@pytest.mark.parametrize("query", ["?dia=²", "?jaar=²", f"?dia={FIVE_THOUSAND_DIGITS}", f"?jaar={FIVE_THOUSAND_DIGITS}"])
def test_the_presentation_shows_a_slide_for_any_number(pm, query):
    text = shown(route_page(pm, "/presentatie", query))
    assert "Dia 1 van" in text
    assert '"data-jaar": "%d"' % default_year() in text


@pytest.mark.parametrize("dia, shown_slide, message", [
    ("abc", 1, "Dia 'abc' bestaat niet; de eerste dia wordt getoond."),
    ("0", 1, "Dia '0' bestaat niet; de eerste dia wordt getoond."),
    ("-1", 1, "Dia '-1' bestaat niet; de eerste dia wordt getoond."),
    ("1.5", 1, "Dia '1.5' bestaat niet; de eerste dia wordt getoond."),
    ("999", 14, "Dia '999' bestaat niet; de laatste dia (14) wordt getoond."),
])
def test_the_presentation_says_which_slide_does_not_exist(pm, dia, shown_slide, message):
    """A user's sweep: a bad `dia` silently showed slide 1 (or the last); now it says so, as a bad
    `jaar` or `pagina` does elsewhere."""
    text = shown(route_page(pm, "/presentatie", f"?dia={dia}&jaar=2025"))
    assert f"Dia {shown_slide} van 14" in text and message in text


def test_the_presentation_says_its_year_was_not_available(pm):
    text = shown(route_page(pm, "/presentatie", "?dia=2&jaar=1800"))
    assert "Dia 2 van" in text and f"Jaar '1800' is niet beschikbaar; {default_year()} wordt getoond." in text
    assert "presentatie-meldingen" not in shown(route_page(pm, "/presentatie", "?dia=2&jaar=2025"))


@pytest.mark.parametrize("path, query, message, raw", [
    ("/verkenner", "?kpi=instroom&f=wijk:WK999999", "Onbekende waarde 'WK999999' voor wijk; filter weggelaten.",
     "Wijk: WK999999"),
    ("/verkenner", "?kpi=instroom&f=school:XYZ", "Onbekende waarde 'XYZ' voor school; filter weggelaten.", "School: XYZ"),
    ("/verkenner", "?kpi=instroom&f=aanbieder:XYZ", "Onbekende waarde 'XYZ' voor aanbieder; filter weggelaten.",
     "Aanbieder: XYZ"),
    ("/verkenner", "?kpi=instroom&f=buurt:BU1", "Filter 'buurt:BU1' past niet bij deze KPI en is weggelaten.",
     "Buurt"),
    ("/verkenner", "?kpi=instroom&gemeente=GM9999",
     "Gemeente 'GM9999' staat niet in de gegevens; alle gemeenten worden getoond.", '"value": "GM9999"'),
    ("/kostengroei", "?jaar=2025&f=wijk:WK999999", "Onbekende waarde 'WK999999' voor wijk; filter weggelaten.",
     "wijk WK999999"),
], ids=["wijk", "school", "aanbieder", "dimension", "gemeente", "kostengroei"])
def test_a_group_the_data_do_not_hold_is_dropped_with_a_message(pm, path, query, message, raw):
    """A user's sweep: an unknown wijk in the explorer's `f=` was shown as 'Wijk: WK999999' in the
    drill path and the titles (and a gemeente that is not in the data showed only '<10'). Now it is
    dropped, and the page says so in Dutch."""
    text = shown(route_page(pm, path, query))
    assert message in text
    assert raw not in text
    assert text.count("WK999999") <= 1 and text.count("XYZ") <= 1  # in the message only


def test_a_view_with_a_group_the_data_do_not_hold_is_not_added_to_the_presentation(app):
    from dashboard.server import stand_view
    from data.accounts.users import User

    manager = User(1, "fuzz-pm", "Test programmamanager", "programmamanager", frozenset())
    outcome = stand_view.add_view(manager, "?kpi=instroom&jaar=2025&by=school&f=wijk:WK999999")
    assert not outcome.ok and "Onbekende waarde 'WK999999' voor wijk" in outcome.message


def test_a_page_number_beyond_any_int_shows_the_first_page(pm):
    text = shown(route_page(pm, "/verkenner", f"?by=school&pagina={FIVE_THOUSAND_DIGITS}"))
    assert "bestaat niet; de eerste pagina wordt getoond." in text


@pytest.mark.parametrize("path, query, expected", [
    ("/", "?jaar=2023&jaar=2022", "Overzicht 2022"),
    ("/", "?gemeente=GM1&gemeente=GM2", "Gemeente 'GM2' staat niet in de gegevens"),
    ("/programma", "?view=lijnen&view=onzin", "Weergave 'onzin' bestaat niet"),
    ("/programma", "?view=x&view=doelstellingen", "Doelstellingen"),
    ("/indicator/K11", "?code=K11&code=K99", "Er is geen indicator 'K99'"),
    ("/verkenner", "?kpi=instroom&kpi=onzin", "Onbekende KPI 'onzin'"),
    ("/beheer", "?periode=2025-Q1&periode=onzin", "Periode 'onzin' bestaat niet"),
], ids=["jaar", "gemeente", "view", "view-last", "code", "kpi", "periode"])
def test_a_repeated_parameter_counts_once_the_last_value(pm, path, query, expected):
    assert expected in shown(route_page(pm, path, query))


@pytest.mark.parametrize("path, expected", [
    ("/indicator/%F0%9F%98%80", "Er is geen indicator '😀'"),
    ("/programma/L%C3%A99", "Er is geen strategische lijn 'Lé9'"),
], ids=["indicator", "lijn"])
def test_a_code_in_the_path_is_named_as_typed_not_percent_encoded(pm, path, expected):
    assert expected in shown(route_page(pm, path, ""))


@pytest.mark.parametrize("route", ["/export/programma.csv", "/export/programma.xlsx", "/export/rapport.pdf",
                                   "/export/presentatie.pptx"])
@pytest.mark.parametrize("bad", ["²", "²²²²", FIVE_THOUSAND_DIGITS], ids=["superscript", "four superscripts", "5000 digits"])
def test_an_export_refuses_a_year_that_is_no_number_in_dutch(pm, route, bad):
    """The refusal is the page of every export (tests/test_export_answers.py); a long value is not
    echoed whole."""
    answer = pm.get(f"{route}?jaar={bad}")
    text = answer.get_data(as_text=True)
    assert answer.status_code == 400 and answer.mimetype == "text/html"
    reason = text.split('<p id="foutmelding">')[1].split("</p>")[0]
    assert reason.startswith("Ongeldig jaar") and "Traceback" not in text and len(reason) < 300


def test_the_explorer_download_reads_a_bad_year_as_the_default(pm):
    body = {"output": "..download.data...download-melding.children..",
            "outputs": [{"id": "download", "property": "data"}, {"id": "download-melding", "property": "children"}],
            "inputs": [{"id": "download-csv", "property": "n_clicks", "value": 1},
                       {"id": "download-xlsx", "property": "n_clicks", "value": 0}],
            "state": [{"id": "nav-location", "property": "search", "value": "?kpi=instroom&jaar=²&by=wijk"}],
            "changedPropIds": ["download-csv.n_clicks"]}
    answer = post_callback(pm, body)
    assert answer.status_code == 200
    sent = answer.get_json()["response"]
    assert sent["download"]["data"]["filename"].endswith(".csv") and sent["download-melding"]["children"] is None


def test_the_explorer_trend_download_answers_through_its_own_callback(pm):
    """"Download trend (Excel)" under the trend's table sends the trend (per kwartaal here), not the
    breakdown the other buttons send; a bad year reads as the default, as there."""
    body = {"output": "..download-trend.data...download-trend-melding.children..",
            "outputs": [{"id": "download-trend", "property": "data"},
                        {"id": "download-trend-melding", "property": "children"}],
            "inputs": [{"id": "download-trend-csv", "property": "n_clicks", "value": 0},
                       {"id": "download-trend-xlsx", "property": "n_clicks", "value": 1}],
            "state": [{"id": "nav-location", "property": "search",
                       "value": "?kpi=totale_kosten&jaar=²&by=verwijzer&per=kwartaal"}],
            "changedPropIds": ["download-trend-xlsx.n_clicks"]}
    answer = post_callback(pm, body)
    assert answer.status_code == 200
    sent = answer.get_json()["response"]
    assert sent["download-trend"]["data"]["filename"].endswith("_per_kwartaal.xlsx")
    assert sent["download-trend-melding"]["children"] is None


def test_a_next_page_that_is_no_address_goes_home_after_login(app):
    client = app.server.test_client()
    answer = client.get("/inloggen?volgende=//[")
    assert answer.status_code == 200 and 'name="volgende" value="/"' in answer.get_data(as_text=True)


# --- callback payloads ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def outputs(app) -> dict[str, str]:
    """Callback keys by the id (or pattern type) of the callback's first input: a key carries a
    hash per callback, as the page's JSON has it."""
    with as_role(app, "programmamanager") as client:
        deps = client.get("/_dash-dependencies").get_json()
    found = {}
    for dep in deps:
        first = dep["inputs"][0]["id"]
        found[json.loads(first)["type"] if first.startswith("{") else first] = dep["output"]
    return found


def save_target_body(outputs, code, reden, versions=None, keys=("2025", "2026", "2027", "2028"), clicked="2026"):
    """"Opslaan" of a streefwaarde on /indicator/<code>, as dash-renderer sends it."""
    versions = [1] * len(keys) if versions is None else versions
    button = {"key": clicked, "type": "sw-save"}
    return {
        "output": outputs["sw-save"],
        "outputs": [{"id": "indicator-message", "property": "children"}, {"id": "indicator-body", "property": "children"}],
        "inputs": [[{"id": {"key": k, "type": "sw-save"}, "property": "n_clicks", "value": 1 if k == clicked else None}
                    for k in keys]],
        # not strict: a test sends fewer versions than buttons
        "state": [[{"id": {"key": k, "type": "sw-version"}, "property": "data", "value": v}
                   for k, v in zip(keys, versions, strict=False)],
                  {"id": "indicator-code", "property": "data", "value": code},
                  *indicator_fields({"indicator-reden": reden}, {"sw-input": dict.fromkeys(keys, "7,9")})],
        "changedPropIds": [json.dumps(button, separators=(",", ":")) + ".n_clicks"]}


@pytest.mark.parametrize("reden", [7, ["een", "reden"], {"reden": "x"}], ids=["number", "list", "dict"])
def test_a_reason_of_the_wrong_kind_is_refused_in_the_page(app, trekker, outputs, reden, caplog):
    before = audit_rows(app)
    with caplog.at_level(logging.WARNING, logger="jeugdmonitor.security"):
        text = shown(post_callback(trekker, save_target_body(outputs, "K11", reden)))
    assert "De reden moet tekst zijn." in text
    assert audit_rows(app) == before
    assert any(r.name == "jeugdmonitor.security" and "geweigerd: save_target door fuzz-trekker" in r.getMessage()
               for r in caplog.records)


@pytest.mark.parametrize("code", [{"code": "K11"}, ["K11"], 11], ids=["dict", "list", "number"])
def test_an_indicator_id_of_the_wrong_kind_is_refused_in_the_page(app, trekker, outputs, code):
    before = audit_rows(app)
    text = shown(post_callback(trekker, save_target_body(outputs, code, "bijstelling")))
    assert "Onbekende indicator" in text
    assert audit_rows(app) == before


def test_fewer_versions_than_buttons_is_refused_in_the_page(app, trekker, outputs):
    before = audit_rows(app)
    body = save_target_body(outputs, "K11", "bijstelling", versions=[1, 1], clicked="2028")
    text = shown(post_callback(trekker, body))
    assert "De pagina stuurde onvolledige gegevens; laad haar opnieuw." in text
    assert audit_rows(app) == before


def test_a_note_of_the_wrong_kind_is_refused_in_the_page(app, trekker, outputs):
    body = {"output": outputs["note-add"], "outputs": [{"id": "indicator-message", "property": "children"},
                                    {"id": "indicator-body", "property": "children"}],
                        "inputs": [{"id": "note-add", "property": "n_clicks", "value": 1}],
                        "state": [{"id": "indicator-code", "property": "data", "value": "H01"},
                                  *indicator_fields({"note-datum": "2026-01-05", "note-tekst": 12345})],
                        "changedPropIds": ["note-add.n_clicks"]}
    before = audit_rows(app)
    assert "De notitie moet tekst zijn." in shown(post_callback(trekker, body))
    assert audit_rows(app) == before


def voortgang_save(outputs, periode: str, toelichting) -> dict:
    """The request of /beheer's save button of maatregel L1.1 (status op schema), as a browser sends it."""
    button = {"key": "L1.1", "type": "vg-save"}
    return {
        "output": outputs["vg-save"],
        "outputs": [{"id": "beheer-message", "property": "children"}, {"id": "beheer-body", "property": "children"}],
        "inputs": [[{"id": button, "property": "n_clicks", "value": 1}]],
        "state": [[{"id": {"key": "L1.1", "type": "vg-status"}, "property": "value", "value": "op_schema"}],
                  [{"id": {"key": "L1.1", "type": "vg-tekst"}, "property": "value", "value": toelichting}],
                  [{"id": {"key": "L1.1", "type": "vg-version"}, "property": "data", "value": None}],
                  {"id": "beheer-periode-shown", "property": "data", "value": periode}],
        "changedPropIds": [json.dumps(button, separators=(",", ":")) + ".n_clicks"]}


def test_a_toelichting_of_the_wrong_kind_is_refused_in_the_page(app, trekker, outputs):
    from dashboard.pages.beheer import quarters

    periode = quarters()[0]
    body = voortgang_save(outputs, periode, ["toelichting"])
    before = audit_rows(app)
    assert "De toelichting moet tekst zijn." in shown(post_callback(trekker, body))
    assert audit_rows(app) == before


def test_a_toelichting_over_the_limit_is_refused_with_its_length_and_kept_in_the_page(app, trekker, outputs, caplog):
    """A toelichting of 2,345 characters (the page no longer cuts a paste at 2,000) gets the write
    path's refusal with its length and the limit, and the page's field keeps all of it; it is no
    forged request (nothing logged as refused on the security log)."""
    from dashboard.pages.beheer import quarters

    periode = quarters()[0]
    text = "x" * 2345
    body = voortgang_save(outputs, periode, text)
    before = audit_rows(app)
    with caplog.at_level(logging.WARNING, logger="jeugdmonitor.security"):
        answer = post_callback(trekker, body)
    reply = shown(answer)
    assert "is te lang: 2.345 tekens, ten hoogste 2.000" in reply
    page = answer.get_json()["response"]["beheer-body"]["children"]
    assert f'"value": "{text}"' in json.dumps(page)   # the field, redrawn, holds every character
    assert audit_rows(app) == before
    assert not [r for r in caplog.records if r.name == "jeugdmonitor.security"]


# The reasons, the note and the targets upload's reason, as the pages send them: their fields cut a
# longer paste at the limit (maxLength) without a word, and a longer text that came anyway was
# refused before the write path saw it, without its length. Now the write path refuses it with its
# length and the limit, and where the page is redrawn the field holds all of it.
REDEN_612 = "Bijgesteld na de evaluatie van het eerste kwartaal; zie het verslag. " * 8 + "x" * 60   # 612 after strip
REDEN_REFUSED = "De reden is te lang: 612 tekens, ten hoogste 500. Maak haar korter; er is niets opgeslagen"


def refused_in_page(app, client, body, caplog) -> tuple[str, object]:
    """The answer's text and JSON of a callback refused by the write path: nothing saved, and no
    forged request (nothing on the security log)."""
    before = audit_rows(app)
    with caplog.at_level(logging.WARNING, logger="jeugdmonitor.security"):
        answer = post_callback(client, body)
    reply = shown(answer)
    assert audit_rows(app) == before
    assert not [r for r in caplog.records if r.name == "jeugdmonitor.security"]
    return reply, answer.get_json()["response"]


def test_a_reason_over_the_limit_on_the_indicator_page_is_refused_with_its_length_and_kept(app, pm, outputs, caplog):
    assert len(REDEN_612.strip()) == 612   # the premise
    body = {"output": outputs["re-new-save"],
            "outputs": [{"id": "indicator-message", "property": "children"},
                        {"id": "indicator-body", "property": "children"}],
            "inputs": [{"id": "re-new-save", "property": "n_clicks", "value": 1}],
            "state": [{"id": "indicator-code", "property": "data", "value": "H01"},
                      *indicator_fields({"re-new-periode": "2016-Q2", "re-new-input": "12",
                                         "indicator-reden": REDEN_612})],
            "changedPropIds": ["re-new-save.n_clicks"]}
    reply, response = refused_in_page(app, pm, body, caplog)
    assert REDEN_REFUSED in reply
    assert json.dumps(response["indicator-body"]).count(json.dumps(REDEN_612)) == 1   # the field holds it all


def test_a_note_over_the_limit_is_refused_with_its_length_and_kept(app, pm, outputs, caplog):
    note = "n" * 345
    body = {"output": outputs["note-add"],
            "outputs": [{"id": "indicator-message", "property": "children"},
                        {"id": "indicator-body", "property": "children"}],
            "inputs": [{"id": "note-add", "property": "n_clicks", "value": 1}],
            "state": [{"id": "indicator-code", "property": "data", "value": "H01"},
                      *indicator_fields({"note-datum": "2026-01-05", "note-tekst": note})],
            "changedPropIds": ["note-add.n_clicks"]}
    reply, response = refused_in_page(app, pm, body, caplog)
    assert "De notitie is te lang: 345 tekens, ten hoogste 300. Maak haar korter; er is niets opgeslagen" in reply
    assert f'"value": "{note}"' in json.dumps(response["indicator-body"])


def test_a_reason_to_unlock_over_the_limit_is_refused_with_its_length(app, pm, outputs, caplog):
    from dashboard.pages.beheer import quarters

    body = {"output": outputs["beheer-unlock"],
            "outputs": [{"id": "beheer-message", "property": "children"}, {"id": "beheer-body", "property": "children"}],
            "inputs": [{"id": "beheer-unlock", "property": "n_clicks", "value": 1}],
            "state": [{"id": "beheer-unlock-reden", "property": "value", "value": REDEN_612},
                      {"id": "beheer-periode-shown", "property": "data", "value": quarters()[1]}],
            "changedPropIds": ["beheer-unlock.n_clicks"]}
    reply, _response = refused_in_page(app, pm, body, caplog)
    assert REDEN_REFUSED in reply   # that the field keeps it: tests/test_refused_input_kept.py


def test_a_targets_upload_reason_over_the_limit_is_refused_with_its_length(app, pm, outputs, caplog):
    """The upload's answer goes beside the form, which is not redrawn: the field keeps the reason.
    The file is wrong too, so the answer leads with the file and adds the reason ("Ook: …")."""
    body = {"output": outputs["sw-upload-go"],
            "outputs": {"id": "sw-upload-result", "property": "children"},
            "inputs": [{"id": "sw-upload-go", "property": "n_clicks", "value": 1}],
            "state": [{"id": "sw-upload", "property": "contents", "value": "data:text/csv;base64,eDsx"},
                      {"id": "sw-upload", "property": "filename", "value": "streefwaarden.csv"},
                      {"id": "sw-upload-reden", "property": "value", "value": REDEN_612}],
            "changedPropIds": ["sw-upload-go.n_clicks"]}
    reply, response = refused_in_page(app, pm, body, caplog)
    assert "Ook: " + REDEN_REFUSED[0].lower() + REDEN_REFUSED[1:] in reply
    assert "sw-upload-reden" not in json.dumps(response)


@pytest.mark.parametrize("change", [
    lambda b: {**b, "state": b["state"][:-1]},
    lambda b: {**b, "state": b["state"] + [{"id": "extra", "property": "value", "value": 1}]},
    lambda b: {**b, "output": "bestaat-niet.children"},
    lambda b: {**b, "outputs": b["outputs"][:1]},
    lambda b: {**b, "changedPropIds": ['{"key":"2026".n_clicks']},
    lambda b: {**b, "inputs": [[{"id": ["sw-save"], "property": "n_clicks", "value": 1}]]},
], ids=["truncated state", "extra state", "unknown output", "one output short", "broken trigger", "id of the wrong kind"])
def test_a_malformed_callback_request_is_a_dutch_400(app, trekker, outputs, change, caplog):
    before = audit_rows(app)
    with caplog.at_level(logging.WARNING, logger="jeugdmonitor.security"):
        answer = post_callback(trekker, change(save_target_body(outputs, "K11", "bijstelling")))
    text = answer.get_data(as_text=True)
    assert answer.status_code == 400 and text.startswith("Ongeldig verzoek:") and "Traceback" not in text
    assert audit_rows(app) == before
    assert any("geweigerd: callbackverzoek" in r.getMessage() for r in caplog.records)


def test_a_callback_body_that_is_no_json_object_is_a_400(trekker):
    for raw in (b"[]", b"42", b'{"output": 1', b'{"output": ' + b"9" * 5000 + b"}"):
        answer = trekker.post("/_dash-update-component", data=raw, content_type="application/json",
                              headers=csrf(trekker))
        assert answer.status_code == 400, raw[:30]


def test_a_csrf_token_with_other_characters_is_refused_not_a_crash(trekker):
    answer = trekker.post("/_dash-update-component", json={}, headers={"X-CSRFToken": "tóken"})
    assert answer.status_code == 403


# --- error pages -------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["programmamanager", "bezoeker"])
@pytest.mark.parametrize("path", ["/_dash-component-suites/dash/bad", "/_dash-component-suites/dash/../../app.py",
                                  "/_dash-component-suites/os/path.py"])
def test_an_unknown_component_file_is_a_dutch_404_without_internals(app, role, path):
    client = app.server.test_client() if role == "bezoeker" else app.clients[role]
    answer = client.get(path)
    text = answer.get_data(as_text=True)
    assert answer.status_code == 404 and answer.mimetype == "text/plain"
    assert "niet gevonden" in text and "registered" not in text and "dash_renderer" not in text


def test_an_unknown_address_is_a_dutch_404_page(pm):
    answer = pm.get("/bestaat-niet")
    text = answer.get_data(as_text=True)
    assert answer.status_code == 404 and answer.mimetype == "text/html"
    assert '<html lang="nl">' in text and "/assets/00_bootstrap.min.css" in text
    assert "Pagina niet gevonden" in text and "Not Found" not in text


def test_the_page_router_says_not_found_in_dutch(pm):
    text = shown(route_page(pm, "/bestaat-niet", ""))
    assert "Pagina niet gevonden" in text and "Page not found" not in text


def test_a_method_a_route_does_not_take_is_a_dutch_405(pm):
    answer = pm.post("/export/programma.csv", headers=csrf(pm))
    assert answer.status_code == 405 and "Niet toegestaan" in answer.get_data(as_text=True)
    assert "GET" in answer.headers["Allow"]


def test_an_unexpected_error_is_a_dutch_500_with_the_traceback_only_in_the_log(pm, monkeypatch, caplog):
    from dashboard.exports import programme_export

    def broken(*_args, **_kwargs):
        raise RuntimeError("interne fout in read_programme")
    monkeypatch.setattr(programme_export, "read_programme", broken)
    with caplog.at_level(logging.ERROR, logger="jeugdmonitor.error"):
        answer = pm.get("/export/programma.csv?jaar=2024")
    text = answer.get_data(as_text=True)
    assert answer.status_code == 500 and "Er ging iets mis" in text and '<html lang="nl">' in text
    assert "RuntimeError" not in text and "read_programme" not in text and "Traceback" not in text
    logged = [r for r in caplog.records if r.name == "jeugdmonitor.error"]
    assert logged and logged[0].exc_info and "/export/programma.csv" in logged[0].getMessage()
    reference = logged[0].getMessage().split()[2]
    assert f"Kenmerk voor de beheerder: {reference}" in text


def test_an_error_in_a_callback_is_a_plain_dutch_500(pm, monkeypatch, caplog):
    from dashboard.server import viewer

    def broken():
        raise RuntimeError("kapot")
    monkeypatch.setattr(viewer, "programme", broken)
    with caplog.at_level(logging.ERROR, logger="jeugdmonitor.error"):
        answer = route_page(pm, "/programma", "")
    text = answer.get_data(as_text=True)
    assert answer.status_code == 500 and answer.mimetype == "text/plain"
    assert text.startswith("Er ging iets mis") and "kapot" not in text
    assert any(r.exc_info for r in caplog.records if r.name == "jeugdmonitor.error")


def test_a_more_specific_handler_wins_over_the_generic_500():
    """The database-outage page is registered for DBAPIError (another module); Flask picks the
    handler of the nearest class, so the generic handler never takes it over."""
    from sqlalchemy.exc import OperationalError

    from dashboard.server import error_pages

    server = Flask(__name__)
    error_pages.register_handlers(server)
    server.register_error_handler(OperationalError, lambda exc: ("database weg", 503))

    @server.route("/db")
    def _db():
        raise OperationalError("SELECT 1", {}, Exception("verbinding verbroken"))

    @server.route("/anders")
    def _other():
        raise ValueError("iets anders")

    client = server.test_client()
    assert (client.get("/db").status_code, client.get("/db").get_data(as_text=True)) == (503, "database weg")
    assert client.get("/anders").status_code == 500
    assert "Er ging iets mis" in client.get("/anders").get_data(as_text=True)


# --- request size -----------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["trekker", "bezoeker"])
def test_a_request_body_beyond_the_limit_is_refused_before_it_is_read(app, role):
    """Any body was read whole and parsed at three times its size (a 300 MB callback: 1.3 GB), by any
    logged-in user — with PUBLIC_READ by any visitor. Now Flask stops at MAX_REQUEST_BYTES: a Dutch
    413 (plain text: a script reads Dash's routes), and nothing written."""
    import app as app_module

    before = audit_rows(app)
    body = b'{"output": "x.children", "inputs": [{"id": "y", "property": "value", "value": "' + \
        b"A" * app_module.MAX_REQUEST_BYTES + b'"}]}'
    with as_role(app, role) as client:
        refused = client.post("/_dash-update-component", data=body, content_type="application/json",
                              headers=csrf(client))
    assert refused.status_code == 413
    assert refused.get_data(as_text=True) == ("Te groot: Wat is meegestuurd is te groot om te verwerken. Een "
                                              "streefwaardenbestand is een paar kB: kies het juiste bestand.\n")
    assert audit_rows(app) == before


def test_a_body_within_the_limit_is_read_as_before(app, trekker):
    """The limit leaves room for the largest body a browser sends here: a streefwaardenbestand of up to
    ~23 MB, base64 in a callback, whose size the upload itself names (tests/test_targets_upload.py)."""
    import app as app_module

    body = b'{"output": "x.children", "inputs": [{"id": "y", "property": "value", "value": "' + \
        b"A" * (app_module.MAX_REQUEST_BYTES - 1000) + b'"}]}'
    answered = trekker.post("/_dash-update-component", data=body, content_type="application/json",
                            headers=csrf(trekker))
    assert answered.status_code == 400  # read, then refused as an unknown callback
    assert "onbekende actie" in answered.get_data(as_text=True)
