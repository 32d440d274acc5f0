"""GET /metrics in one process (dashboard/server/metrics.py): who may scrape it (METRICS_TOKEN,
METRICS_NETWERK), the request metrics per route template, the KPI cache and computation metrics,
the database pool, the load runs (read from `laadrun`) — every scrape parsed with
prometheus_client's own text parser. The sum over gunicorn's workers: tests/test_metrics_workers.py.

The metrics are the process's, so tests compare a value before and after what they do."""
from __future__ import annotations

import datetime as dt
import logging
import sys
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select

from data.accounts.users import add_user
from data.db import make_engine, migrate
from data.programme.plan import load_programme
from data.warehouse import load_runs
from data.warehouse.loader import LoadError, load_folder
from data.warehouse.schema import LoadRun
from kpi import KpiRequest
from kpi.observer import ServiceObserver
from kpi.service import KpiService
from tests import handmade_warehouse, warm_python
from tests.app_client import ROUTER, route_page
from tests.test_loader import VALID, changed, write_folder

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "t0ken-" + "a1b2c3d4" * 5
BEARER = {"Authorization": "Bearer " + TOKEN}
PASSWORD = "lang-genoeg-wachtwoord"


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    """A SQLite file: the hand-made warehouse, the Programmaplan and one account."""
    url = f"sqlite:///{tmp_path_factory.mktemp('metrics') / 'w.db'}"
    engine = make_engine(url)
    migrate(engine)
    handmade_warehouse.fill(engine)
    load_programme(engine)
    add_user(engine, "anna", "Anna de Vries", "programmamanager", PASSWORD)
    engine.dispose()
    return url


@pytest.fixture
def make_app(database, app_module):
    def build(**settings):
        return app_module.create_app({"DATABASE_URL": database, "WARM_CACHE": "0", **settings})
    return build


def samples(text: str) -> dict[tuple, float]:
    """{(sample name, ((label, value), …)): value} of an exposition, read by prometheus_client's parser."""
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def scrape(client, headers=BEARER) -> dict[tuple, float]:
    response = client.get("/metrics", headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return samples(response.get_data(as_text=True))


def value(found: dict, metric: str, /, **labels) -> float:
    """A sample's value; 0 for a label set not seen yet (a counter that has not moved)."""
    return found.get((metric, tuple(sorted(labels.items()))), 0.0)


# --- access ----------------------------------------------------------------------------------

def test_without_a_token_or_a_network_metrics_are_off(make_app):
    client = make_app(PUBLIC_READ="1").server.test_client()
    response = client.get("/metrics", headers=BEARER)
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.get_data(as_text=True)


def test_a_scrape_needs_the_token(make_app, caplog):
    client = make_app(METRICS_TOKEN=TOKEN).server.test_client()  # no PUBLIC_READ: the login guard is passed
    with caplog.at_level(logging.WARNING, logger="jeugdmonitor.security"):
        for headers in ({}, {"Authorization": "Bearer " + TOKEN[:-1] + "x"}, {"Authorization": "Basic " + TOKEN},
                        {"Authorization": TOKEN}, {"Authorization": "Bearer " + TOKEN + "x"},
                        {"Authorization": "Bearer é" + TOKEN}):
            response = client.get("/metrics", headers=headers)
            assert response.status_code == 403, headers
            assert response.get_data(as_text=True) == "Geen toegang.\n"  # no hint which check failed
    assert caplog.messages and all("geen of een verkeerd token" in m and TOKEN not in m for m in caplog.messages)
    for scheme in ("Bearer", "bearer"):
        response = client.get("/metrics", headers={"Authorization": f"{scheme} {TOKEN}"})
        assert response.status_code == 200
        assert response.headers["Content-Type"].startswith("text/plain")
    assert "Set-Cookie" not in response.headers  # no session, no CSRF cookie: the login guard let it pass
    assert response.headers["X-Content-Type-Options"] == "nosniff"  # the other headers still apply
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert client.post("/metrics", headers=BEARER).status_code == 405


def test_a_scrape_must_come_from_the_network(make_app):
    client = make_app(METRICS_NETWERK="10.0.0.0/8, 192.168.1.5,2001:db8::/32,").server.test_client()
    for address, status in (("127.0.0.1", 403), ("10.1.2.3", 200), ("192.168.1.5", 200), ("192.168.1.6", 403),
                            ("::ffff:10.1.2.3", 200), ("2001:db8::1", 200), ("2001:db9::1", 403)):
        assert client.get("/metrics", environ_base={"REMOTE_ADDR": address}).status_code == status, address
    # without BEHIND_PROXY a forwarded address is anybody's to write
    assert client.get("/metrics", headers={"X-Forwarded-For": "10.1.2.3"}).status_code == 403


def test_behind_a_proxy_the_forwarded_address_counts(make_app):
    client = make_app(METRICS_NETWERK="10.0.0.0/8", BEHIND_PROXY="1").server.test_client()
    assert client.get("/metrics", headers={"X-Forwarded-For": "10.1.2.3"}).status_code == 200
    assert client.get("/metrics", headers={"X-Forwarded-For": "172.16.0.1"}).status_code == 403
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.1.2.3"},
                      headers={"X-Forwarded-For": "172.16.0.1"}).status_code == 403  # the proxy is not the client


def test_with_both_a_scrape_needs_the_token_and_the_network(make_app):
    client = make_app(METRICS_TOKEN=TOKEN, METRICS_NETWERK="10.0.0.0/8").server.test_client()
    inside = {"REMOTE_ADDR": "10.1.2.3"}
    assert client.get("/metrics", headers=BEARER, environ_base=inside).status_code == 200
    assert client.get("/metrics", environ_base=inside).status_code == 403
    assert client.get("/metrics", headers=BEARER).status_code == 403


@pytest.mark.parametrize("settings, message", [
    ({"METRICS_TOKEN": "s3cr3t"}, "METRICS_TOKEN is te kort: gebruik ten minste 32 tekens"),
    ({"METRICS_TOKEN": "x" * 31}, "METRICS_TOKEN is te kort"),
    ({"METRICS_TOKEN": "x" * 20 + " " + "y" * 20}, "METRICS_TOKEN: gebruik alleen letters, cijfers en leestekens"),
    ({"METRICS_TOKEN": "é" * 40}, "METRICS_TOKEN: gebruik alleen letters"),
    ({"METRICS_NETWERK": "10.0.0.1/8"}, "METRICS_NETWERK: '10.0.0.1/8' is geen begin van een bereik; bedoelt u 10.0.0.0/8?"),
    ({"METRICS_NETWERK": "10.0.0.0/8,intranet"}, "METRICS_NETWERK: 'intranet' is geen adresbereik"),
    ({"METRICS_NETWERK": "10.0.0.0/33"}, "METRICS_NETWERK: '10.0.0.0/33' is geen adresbereik"),
    ({"METRICS_NETWERK": " , ,"}, "METRICS_NETWERK bevat geen adresbereik"),
])
def test_a_bad_metrics_setting_refuses_to_start(make_app, app_module, settings, message):
    with pytest.raises(app_module.SettingsError) as refused:
        make_app(**settings)
    assert str(refused.value).startswith(message)
    if "METRICS_TOKEN" in settings:
        assert settings["METRICS_TOKEN"] not in str(refused.value)  # a secret is never echoed


def test_a_multiprocess_directory_that_cannot_be_written_refuses_to_start(make_app, app_module, monkeypatch, tmp_path):
    """PROMETHEUS_MULTIPROC_DIR as an administrator may give it (gunicorn.conf.py makes one otherwise)."""
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path / "bestaat-niet"))
    with pytest.raises(app_module.SettingsError, match="PROMETHEUS_MULTIPROC_DIR=.*bestaat-niet': geen map waarin "
                                                       "de app kan schrijven"):
        make_app(METRICS_TOKEN=TOKEN)


@pytest.mark.parametrize("name, setting, line", [
    ("METRICS_NETWERK", "10.0.0.1/8", "fout: METRICS_NETWERK: '10.0.0.1/8' is geen begin van een bereik; "
                                      "bedoelt u 10.0.0.0/8?"),
    ("METRICS_TOKEN", "geheim", "fout: METRICS_TOKEN is te kort: gebruik ten minste 32 tekens "
                                "(bijvoorbeeld de uitvoer van: openssl rand -hex 32)"),
    ("LOG_FORMAT", "xml", "fout: LOG_FORMAT='xml': kies tekst of json"),
    # the metrics module makes its gauges, and in multiprocess mode their files, while it is imported:
    # prometheus_client's traceback, before the check in create_app was reached
    ("PROMETHEUS_MULTIPROC_DIR", "/proc/jeugdmonitor-bestaat-niet",
     "fout: PROMETHEUS_MULTIPROC_DIR='/proc/jeugdmonitor-bestaat-niet': geen map waarin de app kan schrijven"),
])
def test_python_app_py_stops_with_one_dutch_line(tmp_path, name, setting, line):
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{tmp_path / 'w.db'}", name: setting}
    done = warm_python.run([sys.executable, "app.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [line] and "Traceback" not in done.stdout + done.stderr
    assert not (tmp_path / "w.db").exists()  # refused before the warehouse was touched


# --- requests ----------------------------------------------------------------------------------

def test_requests_are_counted_per_route_template_never_per_path(make_app):
    client = make_app(METRICS_TOKEN=TOKEN, PUBLIC_READ="1").server.test_client()
    before = scrape(client)
    assert client.get("/programma/L3?jaar=2025&naam=Jan+Jansen").status_code == 200
    assert client.get("/programma/L7").status_code == 200
    assert client.get("/indicator/123456782?x=1").status_code == 200  # any one segment is the template's
    assert client.get("/bestaat-niet/999").status_code == 404
    assert client.get("/export/programma.csv?jaar=1").status_code == 400
    assert client.open("/", method="PROPFIND").status_code == 403  # no CSRF token: refused before routing
    assert route_page(client, "/programma/L3", "?jaar=2025&naam=Jan").status_code == 200
    assert route_page(client, "/geen-pagina", "").status_code == 200  # Dash's own not-found page
    refused = client.post("/_dash-update-component", json={"output": ROUTER, "inputs": [
        {"id": "_pages_location", "property": "pathname", "value": "/programma/L3"}]})  # no CSRF header
    assert refused.status_code == 403
    after = scrape(client)

    def moved(route, method="GET", status="200", callback=""):
        labels = dict(route=route, callback=callback, method=method, status=status)
        return value(after, "jeugdmonitor_http_requests_total", **labels) - \
            value(before, "jeugdmonitor_http_requests_total", **labels)

    assert moved("/programma/<lijn>") == 2
    assert moved("/indicator/<code>") == 1
    assert moved("onbekend", status="404") == 1
    assert moved("/export/programma.csv", status="400") == 1
    assert moved("onbekend", method="overig", status="403") == 1
    assert moved("/_dash-update-component", "POST", callback="pagina:/programma/<lijn>") == 1
    assert moved("/_dash-update-component", "POST", callback="pagina:onbekend") == 1
    assert moved("/_dash-update-component", "POST", status="403", callback="onbekend") == 1  # its body unread
    assert moved("/metrics") == 1  # the first scrape, counted once it was answered
    named = {v for (_name, pairs) in after for key, v in pairs if key in ("route", "callback", "method")}
    for typed in ("L3", "L7", "123456782", "Jan", "999", "?", "jaar", "PROPFIND"):
        assert not any(typed in label for label in named), typed

    duration = "jeugdmonitor_http_request_duration_seconds"
    key = dict(route="/programma/<lijn>", callback="", method="GET")
    assert value(after, duration + "_count", **key) - value(before, duration + "_count", **key) == 2
    buckets = sorted((float(dict(pairs)["le"]), v) for (name, pairs), v in after.items()
                     if name == duration + "_bucket" and dict(pairs).items() >= key.items())
    assert [le for le, _ in buckets][-1] == float("inf") and len(buckets) == 14
    assert [v for _, v in buckets] == sorted(v for _, v in buckets)  # cumulative
    assert buckets[-1][1] == value(after, duration + "_count", **key)


def test_a_callback_is_named_by_its_page_module_and_function(make_app):
    from dashboard.server.route_labels import callback_name

    dash_app = make_app(METRICS_TOKEN=TOKEN)
    names = {callback_name({"output": output}, dash_app.callback_map) for output in dash_app.callback_map}
    assert {"verkenner.on_bar_click", "beheer.import_targets", "indicator.save_target", "shell.carry_year"} <= names
    assert callback_name({"output": "bestaat.niet"}, dash_app.callback_map) == "onbekend"
    assert callback_name(["geen", "opdracht"], dash_app.callback_map) == "onbekend"


# --- the KPI service ------------------------------------------------------------------------------

def test_kpi_cache_hits_misses_and_computations_move(make_app):
    from dashboard.server import runtime

    client = make_app(METRICS_TOKEN=TOKEN).server.test_client()
    before = scrape(client)
    request = KpiRequest.for_year("gem_trajectduur", 2025, by="wijk")
    runtime.service().compute(request)
    runtime.service().compute(request)
    runtime.service().gemeenten()
    runtime.service().gemeenten()
    after = scrape(client)

    def moved(metric, /, **labels):
        return value(after, metric, **labels) - value(before, metric, **labels)

    result = dict(kind="result", name="gem_trajectduur")
    assert moved("jeugdmonitor_kpi_cache_misses_total", **result) == 1
    assert moved("jeugdmonitor_kpi_cache_hits_total", **result) == 1
    assert moved("jeugdmonitor_kpi_computation_seconds_count", **result) == 1
    memo = dict(kind="memo", name="gemeenten")
    assert moved("jeugdmonitor_kpi_cache_misses_total", **memo) == 1
    assert moved("jeugdmonitor_kpi_cache_hits_total", **memo) == 1


class Recording(ServiceObserver):
    def __init__(self):
        self.lookups, self.computations = [], []

    def looked_up(self, kind, name, hits, misses):
        self.lookups.append((kind, name, hits, misses))

    def computed(self, kind, name, seconds):
        assert seconds >= 0
        self.computations.append((kind, name))


def test_the_service_tells_its_observer_every_lookup(warehouse):
    """kpi/ alone (no dashboard, no Prometheus): a yearly trend counts a lookup per year."""
    handmade_warehouse.fill(warehouse)
    seen = Recording()
    service = KpiService(warehouse, observer=seen, generation_ttl=0)
    trend = KpiRequest("instroom", van=dt.date(2024, 1, 1), tot=dt.date(2025, 12, 31), per="jaar")
    service.compute(trend)
    service.compute(KpiRequest("instroom", van=dt.date(2023, 1, 1), tot=dt.date(2025, 12, 31), per="jaar"))
    service.compute(trend)
    assert service.memo("proef", (1,), lambda: 42) == service.memo("proef", (1,), lambda: 43) == 42
    assert seen.lookups == [("result", "instroom", 0, 2), ("result", "instroom", 2, 1), ("result", "instroom", 2, 0),
                            ("memo", "proef", 0, 1), ("memo", "proef", 1, 0)]
    assert seen.computations == [("result", "instroom"), ("result", "instroom"), ("memo", "proef")]
    assert (service.hits, service.misses) == (4, 3)


# --- the database pool and the load runs ----------------------------------------------------------

def test_the_pool_gauges_follow_checkouts(make_app):
    from dashboard.server import runtime

    client = make_app(METRICS_TOKEN=TOKEN).server.test_client()
    idle = scrape(client)
    assert value(idle, "jeugdmonitor_db_pool_size") == 5  # SQLAlchemy's QueuePool for a SQLite file
    assert value(idle, "jeugdmonitor_db_pool_checked_out") == 0
    with runtime.current().engine.connect(), runtime.current().engine.connect():
        busy = scrape(client)
    assert value(busy, "jeugdmonitor_db_pool_checked_out") == 2
    assert value(scrape(client), "jeugdmonitor_db_pool_checked_out") == 0


def test_load_runs_are_read_from_the_load_log_at_each_scrape(make_app, tmp_path):
    from dashboard.server import runtime

    client = make_app(METRICS_TOKEN=TOKEN).server.test_client()
    engine = runtime.current().engine
    with engine.begin() as conn:  # this module's warehouse: no earlier runs from another test
        conn.execute(LoadRun.__table__.delete())
    assert not any(name.startswith("jeugdmonitor_load_runs") for name, _ in scrape(client))
    with pytest.raises(RuntimeError), load_runs.recorded(engine, "ijw"):
        raise RuntimeError("afgebroken")
    with load_runs.recorded(engine, "ijw"):
        pass
    with load_runs.recorded(engine, "ijw"):
        pass
    found = scrape(client)
    assert value(found, "jeugdmonitor_load_runs_total", kind="ijw", outcome="success") == 2
    assert value(found, "jeugdmonitor_load_runs_total", kind="ijw", outcome="failure") == 1
    assert value(found, "jeugdmonitor_load_last_duration_seconds", kind="ijw", outcome="success") >= 0
    with engine.connect() as conn:
        newest = conn.execute(select(LoadRun).order_by(LoadRun.id.desc()).limit(1)).first()
    end = newest.gestart_op + dt.timedelta(seconds=newest.duur_seconden)
    assert value(found, "jeugdmonitor_load_last_end_timestamp_seconds", kind="ijw", outcome="success") == \
        pytest.approx(end.replace(tzinfo=dt.timezone.utc).timestamp())
    assert value(found, "jeugdmonitor_database_up") == 1


def test_a_scrape_without_the_database_still_gives_the_request_metrics(make_app):
    from dashboard.server import runtime

    client = make_app(METRICS_TOKEN=TOKEN).server.test_client()
    client.get("/favicon.ico")
    runtime.configure(make_engine("postgresql://nobody@127.0.0.1:1/none?connect_timeout=1"))
    found = scrape(client)
    assert value(found, "jeugdmonitor_database_up") == 0
    assert value(found, "jeugdmonitor_http_requests_total", route="/favicon.ico", callback="", method="GET",
                 status="302") >= 1
    assert not any(name.startswith("jeugdmonitor_load_") for name, _ in found)


def test_every_load_is_recorded_with_its_kind_and_outcome(warehouse, tmp_path):
    """The loader's runs in `laadrun` on both backends: a refused load keeps the warehouse as it
    was and leaves only its row, with the number of problems and none of the file's values."""
    bsn_like = "123456782"
    load_folder(warehouse, write_folder(tmp_path / "goed", VALID))
    with pytest.raises(LoadError) as refused:
        load_folder(warehouse, write_folder(tmp_path / "fout", changed("trajecten.csv", ";2012; WK040601 ;",
                                                                       f";{bsn_like}; WK040601 ;")))
    with pytest.raises(LoadError):
        load_folder(warehouse, tmp_path / "bestaat-niet")
    with warehouse.connect() as conn:
        runs = conn.execute(select(LoadRun.soort, LoadRun.geslaagd, LoadRun.problemen, LoadRun.duur_seconden)
                            .order_by(LoadRun.id)).all()
        stored = repr(conn.execute(select(LoadRun)).all())
    assert [(r.soort, r.geslaagd, r.problemen) for r in runs] == [("csv", True, 0), ("csv", False, refused.value.total),
                                                                   ("csv", False, 1)]
    assert refused.value.total >= 1 and all(r.duur_seconden >= 0 for r in runs)
    assert bsn_like not in stored
    summary = {(s.soort, s.geslaagd): s.runs for s in load_runs.summary(warehouse)}
    assert summary == {("csv", True): 1, ("csv", False): 2}
