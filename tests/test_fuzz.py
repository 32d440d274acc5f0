"""Never a traceback (issue 14): generated bad input against every route, every page and every
callback, for every role and for a visitor with PUBLIC_READ.

The app runs in-process (Flask's test client) on the demonstration warehouse with the
Programmaplan and one account per role. Hypothesis generates:
- URL parameters for every page of `app.page_modules()` — through Dash's page router (the callback
  that calls `layout(**query)`) and as a plain GET of the address;
- paths and query strings for every Flask route (exports, login, health, Dash's own routes);
- callback payloads for every server-side callback in `app.callback_map` (so a new callback is
  fuzzed without touching this file): values of every kind and length, pattern-matched lists of
  unequal length, and envelopes with missing, extra or truncated parts and unknown outputs.

Every answer must be below 500 and without a traceback; no log record may carry one; and a
request that did not succeed must leave the audit trail (`wijziging`) and every table a save can
touch exactly as they were.
"""
from __future__ import annotations

import json
import logging
import re
from contextlib import contextmanager
from types import SimpleNamespace
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from data import schema as s
from tests import app_client
from tests.app_client import ACCOUNTS, ROLES, as_role, csrf, route_page
from tests.beheer_support import WRITE_TABLES

TABLES = (*WRITE_TABLES, s.Stand, s.PresentatieDia)
EXAMPLES = 25                            # per page, route or callback, per role: CI stays modest
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large, HealthCheck.filter_too_much])
# A valid year makes these build a whole document (the PDF report ~15 s, its charts drawn by
# Chromium; the PowerPoint ~0.3 s), which test_report_pdf.py and test_slides.py check; here they
# only get years they must refuse.
EXPENSIVE_WHEN_VALID = {"/export/rapport.pdf", "/export/presentatie.pptx"}

# --- values ---------------------------------------------------------------------------------------

PLAIN_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
TRICKY = ["", " ", "²", "٣", "١٢", "२०२५", "0", "-1", "+1", "1e9", "2025.0", " 2025", "2025 ", "20x5",
          "9" * 5000, "1" * 40, "2025", "2024", "2019", "2026", "2099", "1800", "K11", "H01", "L3",
          "L3.6", "2026-Q3", "2025-Q1", "2027-Q1", "12-11-2025", "nan", "inf", "None", "null", "[]",
          "{}", "x" * 3000, "<script>alert(1)</script>", "'; DROP TABLE wijziging;--", "../../etc/passwd",
          "//[", "%00", "\x00", "é", "lijnen", "doelstellingen", "alle", "geen", "wijk", "school",
          "instroom", "jaar", "kwartaal", "maand", "GM0406", "verwijzer:huisarts", "wijk:", "omhoog",
          "op_schema", "vertraagd"]


def any_of(*strategies) -> st.SearchStrategy:
    """What `st.one_of(*strategies)` draws — one of its branches (nested one_ofs flattened, as
    one_of does), each equally likely, by the same integer choice — without the filtered strategy
    one_of builds and validates on every draw (that bookkeeping was a third of this module's time).
    To nest, pass the one_of (`*_KINDS`), not the any_of: one_of flattens only one_ofs. Of one
    branch, that branch (as one_of of one strategy is that strategy: no choice is made)."""
    branches = st.one_of(*strategies).branches
    if len(branches) == 1:
        return branches[0]
    return st.sampled_from(branches).flatmap(lambda branch: branch)


# what st.from_regex(r"\d{1,12}", fullmatch=True) draws (1 to 12 of the characters \d matches: Unicode
# category Nd), by the same choices, without its regex machinery around every draw
DIGITS = st.lists(st.characters(categories=["Nd"]), min_size=1, max_size=12).map("".join)
TEXT_KINDS = st.one_of(st.sampled_from(TRICKY), PLAIN_TEXT, DIGITS)
SCALAR_KINDS = st.one_of(st.none(), st.booleans(), st.integers(-10 ** 30, 10 ** 30),
                         st.sampled_from([10 ** 300, -1, 0, 1, 2]), st.floats(allow_nan=True, allow_infinity=True),
                         TEXT_KINDS)
TEXT, SCALAR = any_of(TEXT_KINDS), any_of(SCALAR_KINDS)


def containers_of(inner) -> st.SearchStrategy:
    """A list or an object of `inner` values: st.recursive's `extend`. It returns a one_of, whose
    branches st.recursive flattens into its own one_of of every depth; `inner` (the one_of of the
    lower depths, drawn for every element) is drawn as any_of: the same choices, less work."""
    values = any_of(inner)
    return st.one_of(st.lists(values, max_size=4), st.dictionaries(TEXT, values, max_size=4))


JSON = st.recursive(SCALAR, containers_of, max_leaves=10)
QUERY_NAMES = ["jaar", "dia", "pagina", "gemeente", "view", "code", "lijn", "stand", "kpi", "by", "per",
               "f", "periode", "volgende", "wachtwoord"]
QUERY_VALUE = any_of(TEXT_KINDS, st.lists(TEXT, min_size=2, max_size=3))   # a list: a repeated parameter


def query_items(names: list[str]) -> st.SearchStrategy:
    """Query parameters as (name, value) pairs, a name repeated when its value is a list."""
    name = any_of(st.sampled_from(names), PLAIN_TEXT)
    return st.dictionaries(name, QUERY_VALUE, max_size=5).map(
        lambda q: [(k, v) for k, vs in q.items() for v in (vs if isinstance(vs, list) else [vs])])


def search_of(items) -> str:
    return ("?" + urlencode(items)) if items else ""


# --- the app --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory):
    dash_app = app_client.build(tmp_path_factory.mktemp("fuzz"))
    yield dash_app
    app_client.close(dash_app)


# --- what every answer must satisfy ---------------------------------------------------------------

class _Records(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture(scope="module")
def log_records():
    handler = _Records()
    root = logging.getLogger()
    root.addHandler(handler)
    yield handler
    root.removeHandler(handler)


def snapshot(engine) -> dict[str, list]:
    """Every row of every table a request may write (for a request that can write: a POST)."""
    with engine.connect() as conn:
        return {t.__tablename__: sorted((tuple(r) for r in conn.execute(select(*t.__table__.columns))), key=repr)
                for t in TABLES}


def row_counts(engine) -> dict[str, int]:
    """How many rows each of those tables holds: enough for a GET, which has no write path."""
    with engine.connect() as conn:
        return {t.__tablename__: conn.scalar(select(func.count()).select_from(t)) for t in TABLES}


def succeeded(response) -> bool:
    """A callback answer that reports a successful save (a green message)."""
    if response.status_code != 200:
        return False

    def green(node) -> bool:
        if isinstance(node, dict):
            return node.get("color") == "success" or any(green(v) for v in node.values())
        return isinstance(node, list) and any(green(v) for v in node)
    return green(response.get_json(silent=True))


class _Unchanged:
    """Whether the fuzz app's SQLite file saw a commit, and its state as of the last one.

    SQLite's `PRAGMA data_version`, read on a connection of our own, changes with every commit of
    any other connection (the app's). When it did not change, the database is as it was and the
    state need not be read again (most requests write nothing); when it did, the state read before
    the request (kept per version) is compared with the state after it, as before."""

    def __init__(self, engine):
        import sqlite3

        self.watcher = sqlite3.connect(engine.url.database, check_same_thread=False)
        self.states: dict[object, tuple[int, object]] = {}  # state function -> (version, state)

    def version(self) -> int:
        return self.watcher.execute("PRAGMA data_version").fetchone()[0]

    def before(self, engine, state) -> int:
        version = self.version()
        if self.states.get(state, (None,))[0] != version:
            self.states[state] = (version, state(engine))
        return version

    def changed(self, engine, state, version) -> bool:
        if self.version() == version:
            return False
        after = state(engine)
        changed = after != self.states[state][1]
        self.states[state] = (self.version(), after)
        return changed


@contextmanager
def checked(fuzz_app, log_records, what: str, post: bool = True):
    """Around one request: its answer (set `.response`) is below 500 without a traceback, no log
    record carries a traceback, and unless it reported a successful save the database is as it was."""
    state = snapshot if post else row_counts
    engine = fuzz_app.engine
    if not hasattr(fuzz_app, "unchanged"):
        fuzz_app.unchanged = _Unchanged(engine)
    version = fuzz_app.unchanged.before(engine, state)
    log_records.records.clear()
    box = SimpleNamespace(response=None)
    yield box
    response = box.response
    text = response.get_data().decode("utf-8", "replace")   # a favicon or a file is bytes
    assert response.status_code < 500, f"{what}: {response.status_code} {text[:500]}"
    assert "Traceback (most recent call last)" not in text, f"{what}: a traceback in the answer"
    tracebacks = [r for r in log_records.records if r.exc_info or r.exc_text or "Traceback" in r.getMessage()]
    assert not tracebacks, f"{what}: a traceback in the log: {tracebacks[0].getMessage()}"
    changed = fuzz_app.unchanged.changed(engine, state, version)
    if not succeeded(response):
        assert not changed, f"{what}: a refused request changed the database"


def test_the_change_detector_sees_what_a_request_writes(fuzz_app):
    """The cheap path of `checked` must still see a write: a row changed by the app's engine."""
    from sqlalchemy import update

    detector, engine = _Unchanged(fuzz_app.engine), fuzz_app.engine
    version = detector.before(engine, snapshot)
    assert detector.changed(engine, snapshot, version) is False
    version = detector.before(engine, snapshot)
    with engine.begin() as conn:
        old = conn.scalar(select(s.Maatregel.naam).where(s.Maatregel.code == "L3.6"))
        conn.execute(update(s.Maatregel).where(s.Maatregel.code == "L3.6").values(naam=old + "!"))
    try:
        assert detector.changed(engine, snapshot, version) is True
    finally:
        with engine.begin() as conn:
            conn.execute(update(s.Maatregel).where(s.Maatregel.code == "L3.6").values(naam=old))


# --- pages ----------------------------------------------------------------------------------------

def page_paths(module) -> st.SearchStrategy:
    template = getattr(module, "PATH_TEMPLATE", None)
    if not template:
        return st.just(module.PATH)
    return TEXT.map(lambda value: re.sub(r"<[^>]+>", quote(value, safe="") or "x", template))


def layout_names(module) -> list[str]:
    import inspect

    names = [n for n, p in inspect.signature(module.layout).parameters.items() if p.kind is not p.VAR_KEYWORD]
    return names + QUERY_NAMES


@pytest.mark.parametrize("role", ROLES)
def test_every_page_answers_any_url(fuzz_app, log_records, role):
    import app as app_module

    with as_role(fuzz_app, role) as client:
        for module in app_module.page_modules():
            @FUZZ
            @given(path=page_paths(module), items=query_items(layout_names(module)))
            def check(path, items):
                search = search_of(items)
                with checked(fuzz_app, log_records, f"{role}: router {path}{search[:200]}") as box:
                    box.response = route_page(client, path, search)
                assert box.response.status_code in (200, 204)
                with checked(fuzz_app, log_records, f"{role}: GET {path}{search[:200]}", post=False) as box:
                    box.response = client.get(path + search)
            check()


# --- Flask routes ---------------------------------------------------------------------------------

SEGMENTS = {"package_name": any_of(st.sampled_from(["dash", "plotly", "dash_bootstrap_components", "os"]), TEXT_KINDS),
            "fingerprinted_path": any_of(st.sampled_from(["dcc/dash_core_components.js", "bad", "../../app.py",
                                                           "deps/react@18.3.1.min.js"]), TEXT_KINDS),
            "filename": any_of(st.sampled_from(["10_jeugdmonitor.css", "../app.py", "bestaat-niet.js"]), TEXT_KINDS),
            "path": any_of(st.sampled_from(["bestaat-niet", "programma/L3", "indicator/K11", "niet-gevonden",
                                             "verkenner/extra"]), TEXT_KINDS)}


def rule_path(rule) -> st.SearchStrategy:
    parts = {name: SEGMENTS.get(name, TEXT).map(lambda v: quote(v, safe="/") or "x") for name in rule.arguments}
    return st.fixed_dictionaries(parts).map(
        lambda values: re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: values[m.group(1)], rule.rule))


def rule_query(rule) -> st.SearchStrategy:
    items = query_items(QUERY_NAMES)
    if rule.rule in EXPENSIVE_WHEN_VALID:  # always a year the route must refuse, as the last value
        bad_year = TEXT.filter(lambda v: v.strip() != "" and not (v.strip().isascii() and v.strip().isdigit()))
        items = st.tuples(items, bad_year).map(lambda t: [(k, v) for k, v in t[0] if k != "jaar"] + [("jaar", t[1])])
    return items


def flask_rules(fuzz_app):
    return [r for r in fuzz_app.server.url_map.iter_rules()
            if r.rule not in ("/_dash-update-component", "/inloggen", "/uitloggen")]  # own tests below


@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_any_path_and_query(fuzz_app, log_records, role):
    with as_role(fuzz_app, role) as client:
        for rule in flask_rules(fuzz_app):
            @FUZZ
            @given(path=rule_path(rule), items=rule_query(rule))
            def check(path, items):
                with checked(fuzz_app, log_records, f"{role}: GET {path[:200]} {items!r:.200}", post=False) as box:
                    box.response = client.get(path, query_string=items)
            check()


@FUZZ
@given(items=query_items(QUERY_NAMES), form=st.dictionaries(
    any_of(st.sampled_from(["csrf", "gebruikersnaam", "wachtwoord", "volgende"]), PLAIN_TEXT), TEXT, max_size=5),
    with_token=st.booleans())
def test_login_and_logout_answer_any_form(fuzz_app, log_records, items, form, with_token):
    """Anonymous, from an address of its own (failed logins count per address)."""
    client = fuzz_app.server.test_client()
    client.environ_base["REMOTE_ADDR"] = "192.0.2.14"
    if form.get("gebruikersnaam", "").strip().lower() in ACCOUNTS.values():
        form["gebruikersnaam"] = "niemand"  # never lock out the accounts the other tests use
    page = client.get("/inloggen", query_string=items)
    assert page.status_code < 500
    token = re.search(r'name="csrf" value="([^"]+)"', page.get_data(as_text=True))
    if with_token and token:
        form["csrf"] = token.group(1)
    for path in ("/inloggen", "/uitloggen"):
        with checked(fuzz_app, log_records, f"POST {path} {form!r:.200}") as box:
            box.response = client.post(path, data=form, query_string=items)


# --- callbacks ------------------------------------------------------------------------------------

KEYS = any_of(st.sampled_from(["2025", "2026", "2027-Q1", "L3.6", "L1.1", "L3.3", "K11", "H01", 1, 2, 0,
                                "omhoog", "omlaag", "verwijderen", "__leeg__"]), SCALAR_KINDS)
VALUES_BY_PROPERTY = {
    "n_clicks": any_of(st.none(), st.integers(0, 3), SCALAR_KINDS),
    "pathname": any_of(st.sampled_from(["/", "/verkenner", "/programma/L3", "/indicator/K11", "/beheer",
                                         "/standen", "/presentatie", "/bestaat-niet"]), TEXT_KINDS, SCALAR_KINDS),
    "search": any_of(query_items(QUERY_NAMES).map(search_of), TEXT_KINDS, SCALAR_KINDS),
    "clickData": any_of(st.none(), st.fixed_dictionaries({"points": st.lists(
        st.fixed_dictionaries({"customdata": JSON}), max_size=2)}), JSON),
}


def server_callbacks(fuzz_app) -> list[str]:
    """Every server-side callback, Dash's page router included (it registers on the first request)."""
    fuzz_app.clients["programmamanager"].get("/")
    return [output for output, spec in fuzz_app.callback_map.items() if "callback" in spec]


def _pattern(spec_id: str):
    return json.loads(spec_id) if spec_id.startswith("{") else None


def _entry(component_id, prop: str, value) -> dict:
    return {"id": component_id, "property": prop, "value": value}


MOST_ROWS = 3                            # rows of a pattern-matched list
CUT_SHORT = st.booleans()
KEPT = {n: st.integers(0, n) for n in range(MOST_ROWS + 1)}


def payloads(callback_map, output: str) -> st.SearchStrategy:
    """A request as dash-renderer sends it for this callback, with values of any kind; the rows of
    pattern-matched lists are shared (as on the page) and sometimes a list is cut short. What
    depends only on the callback is built here, once per callback, not in every draw."""
    spec = callback_map[output]
    wildcards = sorted({k for dep in spec["inputs"] + spec["state"] if _pattern(dep["id"])
                        for k, v in _pattern(dep["id"]).items() if isinstance(v, list)})
    row_lists = st.lists(st.fixed_dictionaries({k: KEYS for k in wildcards}), max_size=MOST_ROWS)

    @st.composite
    def payload(draw):
        rows = draw(row_lists)

        def dependency(dep):
            values = VALUES_BY_PROPERTY.get(dep["property"], JSON)
            pattern = _pattern(dep["id"])
            if pattern is None:
                return _entry(dep["id"], dep["property"], draw(values))
            entries = [_entry({k: (row[k] if isinstance(v, list) else v) for k, v in pattern.items()},
                              dep["property"], draw(values)) for row in rows]
            return entries[:draw(KEPT[len(entries)])] if draw(CUT_SHORT) and entries else entries

        inputs = [dependency(dep) for dep in spec["inputs"]]
        state = [dependency(dep) for dep in spec["state"]]
        declared = spec["output"]
        outputs = ([o.to_dict() for o in declared] if isinstance(declared, (list, tuple)) else declared.to_dict())
        sent = [e for item in inputs for e in (item if isinstance(item, list) else [item])]
        prop_ids = [(json.dumps(e["id"], sort_keys=True, separators=(",", ":")) if isinstance(e["id"], dict)
                     else e["id"]) + "." + e["property"] for e in sent]
        changed = draw(st.lists(st.sampled_from(prop_ids), max_size=2, unique=True)) if prop_ids else []
        body = {"output": output, "outputs": outputs, "inputs": inputs, "changedPropIds": changed}
        if state:
            body["state"] = state
        return body
    return payload()


def _drop_last(key):
    def change(body):
        if body.get(key):
            body[key] = body[key][:-1]
        else:
            body[key] = [{"id": "bestaat-niet", "property": "value", "value": 1}]
        return body
    return change


MUTATIONS = {
    "truncated inputs": _drop_last("inputs"),
    "truncated state": _drop_last("state"),
    "an extra input": lambda b: {**b, "inputs": b["inputs"] + [{"id": "extra", "property": "value", "value": 1}]},
    "an unknown output": lambda b: {**b, "output": "bestaat-niet.children"},
    "a clientside output": lambda b: {**b, "output": "_pages_dummy.children"},
    "outputs of another shape": lambda b: {**b, "outputs": b["outputs"][:1] if isinstance(b["outputs"], list)
                                           else [b["outputs"], b["outputs"]]},
    "an output with another id": lambda b: {**b, "outputs": {"id": {"type": "x"}, "property": "children"}},
    "an input id of the wrong kind": lambda b: {**b, "inputs": [
        {**e, "id": [e["id"]]} if isinstance(e, dict) else {"id": e, "property": "n_clicks"} for e in b["inputs"]]},
    "an unknown trigger": lambda b: {**b, "changedPropIds": ["{onzin.n_clicks", "bestaat-niet.value", 7]},
    "triggers of the wrong kind": lambda b: {**b, "changedPropIds": "alles"},
    "no inputs": lambda b: {k: v for k, v in b.items() if k != "inputs"},
    "no outputs": lambda b: {k: v for k, v in b.items() if k not in ("outputs", "output")},
    "a list instead of an object": lambda b: [b],
    "a number instead of an object": lambda b: 42,
}


def fuzz_callback(fuzz_app, log_records, client, role: str, output: str) -> None:
    """Payloads for one callback, sent as `role`."""
    @FUZZ
    @given(body=payloads(fuzz_app.callback_map, output),
           mutation=any_of(st.none(), st.sampled_from(sorted(MUTATIONS))))
    def check(body, mutation):
        sent = MUTATIONS[mutation](json.loads(json.dumps(body))) if mutation else body
        with checked(fuzz_app, log_records, f"{role}: {output[:80]} ({mutation or 'values'})") as box:
            box.response = client.post("/_dash-update-component", json=sent, headers=csrf(client))
        if mutation:
            assert 400 <= box.response.status_code < 500, f"{output}: {mutation} was accepted"
    check()


@pytest.mark.parametrize("role", ROLES)
def test_every_callback_answers_any_payload(fuzz_app, log_records, role):
    with as_role(fuzz_app, role) as client:
        for output in server_callbacks(fuzz_app):
            fuzz_callback(fuzz_app, log_records, client, role, output)
