"""A setting the app, gunicorn or the warehouse cannot use stops the start with one Dutch line,
never a traceback and never a quiet "off": a switch that is neither yes nor no, a port that is no
port, a REDIS_URL that is no Redis address, an address that is taken. (DATABASE_URL:
tests/test_database_setting.py; the login and privacy settings: their own test files.)"""
from __future__ import annotations

import errno
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.server import switches

ROOT = Path(__file__).resolve().parent.parent


# --- the values ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "expected"), [
    ("1", True), ("ja", True), ("Aan", True), (" TRUE ", True), ("yes", True), ("on", True),
    ("0", False), ("nee", False), ("uit", False), ("False", False), ("no", False), ("off", False),
    (None, "default"), ("", "default"), ("  ", "default"),
])
def test_a_switch_is_yes_no_or_its_default(value, expected):
    for default in (True, False):
        assert switches.switch("PUBLIC_READ", value, default) is (default if expected == "default" else expected)


@pytest.mark.parametrize("value", ["misschien", "2", "j", "aan!", "1 0"])
def test_a_switch_that_is_neither_names_the_setting(value):
    with pytest.raises(switches.SettingValueError) as refused:
        switches.switch("BEHIND_PROXY", value, False)
    assert str(refused.value) == f"BEHIND_PROXY={value!r}: geef ja of nee (of aan/uit, 1/0)"


@pytest.mark.parametrize("value", ["abc", "0", "65536", "-1", "80.5", "٣", "1e3", "99999999999999999999"])
def test_a_port_is_a_whole_number_from_1_to_65535(value):
    with pytest.raises(switches.SettingValueError, match=r"^PORT='.*': geef een geheel getal van 1 tot en met 65535$"):
        switches.port(value)


def test_a_port_not_set_is_8050():
    assert switches.port(None) == switches.port("") == 8050 and switches.port(" 8071 ") == 8071


# --- the app -------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["PUBLIC_READ", "BEHIND_PROXY", "WARM_CACHE"])
def test_the_app_refuses_a_switch_that_is_neither(app_module, tmp_path, name):
    """PUBLIC_READ=misschien used to mean "off" without a word (and WARM_CACHE=soms, BEHIND_PROXY=2x)."""
    with pytest.raises(app_module.SettingsError) as refused:
        app_module.create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", name: "misschien"})
    assert str(refused.value) == f"{name}='misschien': geef ja of nee (of aan/uit, 1/0)"
    assert not (tmp_path / "x.db").exists()  # refused before the warehouse is touched


@pytest.mark.parametrize("value", ["productie ", "PRODUCTION"])
def test_production_may_be_said_in_dutch_or_english(app_module, tmp_path, value):
    with pytest.raises(app_module.SettingsError, match="^JEUGDMONITOR_ENV=production vraagt een SECRET_KEY"):
        app_module.create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", "JEUGDMONITOR_ENV": value})


@pytest.mark.parametrize("value", ["prod", "productie-omgeving", "test"])
def test_an_unknown_environment_is_refused_not_taken_for_development(app_module, tmp_path, value):
    """JEUGDMONITOR_ENV=prod meant a development start: no SECRET_KEY asked, cookies over http."""
    with pytest.raises(app_module.SettingsError) as refused:
        app_module.create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", "JEUGDMONITOR_ENV": value,
                               "SECRET_KEY": "x" * 40})
    assert str(refused.value) == f"JEUGDMONITOR_ENV={value!r}: geef production, of laat hem leeg buiten productie"
    assert not (tmp_path / "x.db").exists()


@pytest.mark.parametrize("url", ["cache.huizen.nl", "http://:geheim@cache.huizen.nl", "redis://:geheim@cache:abc/0"])
def test_the_app_refuses_a_redis_url_that_is_no_address_without_repeating_it(app_module, tmp_path, url):
    """It ended in redis-py's traceback ("Redis URL must specify one of the following schemes")."""
    with pytest.raises(app_module.SettingsError) as refused:
        app_module.create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", "REDIS_URL": url})
    assert str(refused.value) == ("REDIS_URL is geen Redis-adres: geef bijvoorbeeld redis://127.0.0.1:6379/0 "
                                  "(of rediss://… of unix://…)")
    assert "geheim" not in str(refused.value)


def test_the_app_refuses_a_redis_database_the_server_does_not_have(app_module, tmp_path, redis_url):
    """Redis answered "DB index is out of range" to every request of every page, and the warmer logged
    it as a traceback every five seconds."""
    from urllib.parse import urlsplit, urlunsplit

    url = urlunsplit(urlsplit(redis_url)._replace(path="/99"))
    with pytest.raises(app_module.SettingsError) as refused:
        app_module.create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", "REDIS_URL": url})
    assert str(refused.value) == ("REDIS_URL: deze Redis heeft geen database 99; geef een nummer dat hij wel heeft "
                                  "(standaard 0 tot en met 15), bijvoorbeeld redis://127.0.0.1:6379/0")
    assert not (tmp_path / "x.db").exists()


@pytest.fixture
def redis_that_refuses_every_login():
    """A server that speaks Redis's protocol and answers every command as Redis does a wrong password."""
    import socketserver
    import threading

    class Refuse(socketserver.BaseRequestHandler):
        def handle(self):
            while self.request.recv(65536):
                self.request.sendall(b"-WRONGPASS invalid username-password pair or user is disabled.\r\n")

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Refuse)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"redis://jeugdmonitor:fout-wachtwoord@127.0.0.1:{server.server_address[1]}/0"
    server.shutdown()
    server.server_close()


def test_the_app_refuses_a_redis_login_the_server_refuses(app_module, tmp_path, redis_that_refuses_every_login):
    with pytest.raises(app_module.SettingsError) as refused:
        app_module.create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
                               "REDIS_URL": redis_that_refuses_every_login})
    assert str(refused.value) == ("REDIS_URL: Redis weigert de aanmelding; controleer de gebruikersnaam en het "
                                  "wachtwoord in REDIS_URL")
    assert "fout-wachtwoord" not in str(refused.value)


def test_a_redis_that_does_not_answer_is_an_outage_not_a_refused_start():
    """The requests that need it get the Dutch 503 (tests/test_outage.py); the start goes on."""
    from kpi.cache_store import RedisStore, store_from_env

    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    assert isinstance(store_from_env(f"redis://127.0.0.1:{port}/0"), RedisStore)


def start(env: dict, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    full = {**{k: v for k, v in os.environ.items() if k not in ("REDIS_URL",)}, "WARM_CACHE": "0", **env}
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=full, capture_output=True, text=True, timeout=timeout)


@pytest.mark.parametrize("value", ["abc", "99999"])
def test_python_app_py_says_a_bad_port_in_one_line(value, tmp_path):
    """`PORT=abc python app.py` ended in int()'s traceback, PORT=99999 in werkzeug's AssertionError."""
    done = start({"PORT": value, "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}, "app.py")
    assert done.returncode == 2
    assert done.stderr == f"fout: PORT={value!r}: geef een geheel getal van 1 tot en met 65535\n"


def test_python_app_py_says_a_taken_port_in_one_line(tmp_path):
    """Werkzeug printed its own English lines and exited 1 — after the warehouse had been made."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = start({"PORT": str(port), "HOST": "127.0.0.1", "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"},
                     "app.py")
    assert done.returncode == 2
    assert done.stderr == (f"fout: poort {port} is al in gebruik (HOST:PORT 127.0.0.1:{port}); "
                           "kies met PORT een andere poort\n")
    assert not (tmp_path / "x.db").exists()  # checked before the warehouse is touched


def test_why_the_server_cannot_listen_in_dutch(app_module):
    problem = app_module.listen_problem
    assert problem("::1", 80, PermissionError(errno.EACCES, "Permission denied")) == (
        "geen toestemming om op ::1:80 te luisteren; kies met PORT een poort boven 1023")
    assert problem("999.1.1.1", 8050, socket.gaierror(-2, "Name or service not known")) == (
        "HOST='999.1.1.1': dit adres hoort niet bij deze machine; kies bijvoorbeeld 127.0.0.1 of 0.0.0.0")
    assert problem("10.9.9.9", 8050, OSError(errno.EADDRNOTAVAIL, "Cannot assign requested address")).startswith(
        "HOST='10.9.9.9': dit adres hoort niet bij deze machine")
    assert problem("h", 1, OSError(errno.EIO, "I/O error")) == "kan niet luisteren op h:1: controleer HOST en PORT"


# --- gunicorn ------------------------------------------------------------------------------------

SERVE = ("-m", "dashboard.server.serve")  # the production start (README, docs/beheer.md, Dockerfile)


@pytest.mark.parametrize(("name", "value", "message"), [
    ("PORT", "abc", "PORT='abc': geef een geheel getal van 1 tot en met 65535"),
    ("GUNICORN_THREADS", "nul", "GUNICORN_THREADS='nul': geef een geheel getal van 1 tot en met 64"),
    ("WEB_CONCURRENCY", "0", "WEB_CONCURRENCY='0': geef een geheel getal van 1 tot en met 256"),
    ("WEB_CONCURRENCY", "drie", "WEB_CONCURRENCY='drie': geef een geheel getal van 1 tot en met 256"),
    ("WEB_CONCURRENCY", "4x", "WEB_CONCURRENCY='4x': geef een geheel getal van 1 tot en met 256"),
    ("LOG_LEVEL", "luid", "LOG_LEVEL='luid': kies debug, info, warning, error, critical"),
])
def test_gunicorn_says_a_bad_setting_in_one_line(name, value, message, tmp_path):
    """gunicorn read these with int() in gunicorn.conf.py: "Failed to read config file" and a
    traceback; WEB_CONCURRENCY that is no number at all gunicorn reads itself, while it is imported,
    before that file: its own traceback (the start command reads it first)."""
    done = start({name: value, "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}, *SERVE)
    assert done.returncode == 2 and done.stderr == f"fout: {message}\n"
    assert not (tmp_path / "x.db").exists()



@pytest.mark.parametrize(("extra", "message"), [
    (["--onbekend"], "gunicorn kent --onbekend niet"),
    (["--workers", "x"], "optie -w/--workers: 'x' is geen geldige waarde"),
    (["--timeout", "-5"], "optie -t/--timeout: -5 is geen geldige waarde"),
    (["--wor", "3"], "optie --wor is niet eenduidig: bedoelt u --workers, --worker-class, --worker-connections, "
                     "--worker-tmp-dir?"),
    (["--bind"], "de opties voor gunicorn kloppen niet (mist een optie haar waarde?)"),
    (["-k"], "de opties voor gunicorn kloppen niet (mist een optie haar waarde?)"),
    (["-k", "bestaatniet"], "optie -k/--worker-class: 'bestaatniet' is geen worker van gunicorn"),
    (["--log-level", "nee"], "optie --log-level: 'nee': kies debug, info, warning, error, critical"),
])
def test_a_wrong_option_for_gunicorn_is_named_in_dutch(extra, message):
    """Extra arguments go to gunicorn, which answered these with its English usage line, "Error: …"
    or (an unknown worker class) a traceback, after building the app."""
    from dashboard.server.serve import HELP, option_problem

    assert option_problem(extra) == (message if message.startswith("optie --log-level") else f"{message}; {HELP}")


@pytest.mark.parametrize("extra", [[], ["--timeout", "40"], ["-w", "2", "--log-level", "INFO"],
                                   ["-k", "gthread", "--threads", "4"], ["--bind", "127.0.0.1:9000"]])
def test_a_right_option_for_gunicorn_passes(extra):
    from dashboard.server.serve import option_problem

    assert option_problem(extra) is None


def test_the_production_start_stops_on_a_wrong_option_in_one_line(tmp_path):
    done = start({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}, *SERVE, "--onbekend")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == "fout: gunicorn kent --onbekend niet; zie `gunicorn --help` voor de opties\n"
    assert not (tmp_path / "x.db").exists()
