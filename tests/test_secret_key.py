"""One session key for every worker without SECRET_KEY (outside production): generated once,
kept beside the embedded database with mode 0600, the same for processes that start together."""
from __future__ import annotations

import multiprocessing
import os
import stat
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from dashboard.server.secret_key import SecretKeyError, shared_key
from data.accounts.users import add_user
from data.db import make_engine, migrate
from tests import handmade_warehouse, warm_python
from tests.gunicorn_support import ROOT, gunicorn
from tests.http_session import HttpSession

PASSWORD = "geheim-wachtwoord-1"


def _key_at_barrier(path, barrier, out):
    barrier.wait()
    out.put(shared_key(path))


def test_processes_starting_together_share_one_key(tmp_path):
    path = tmp_path / "instance" / "secret_key"
    context = multiprocessing.get_context("fork")
    barrier, out = context.Barrier(8), context.Queue()
    processes = [context.Process(target=_key_at_barrier, args=(path, barrier, out)) for _ in range(8)]
    for process in processes:
        process.start()
    keys = [out.get(timeout=60) for _ in processes]
    for process in processes:
        process.join(30)
    assert len(set(keys)) == 1 and len(keys[0]) >= 32
    assert path.read_text().strip() == keys[0]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["secret_key"]  # no temporary files left
    assert shared_key(path) == keys[0]  # and it is kept


def test_the_key_file_is_beside_the_embedded_database(tmp_path):
    """In a clean process (no test fixture moved it): instance/secret_key next to the SQLite default."""
    code = ("from pathlib import Path; import data.db as db; "
            f"db.DEFAULT_SQLITE_PATH = Path({str(tmp_path)!r}) / 'instance' / 'jeugdmonitor.db'; "
            "from dashboard.server.secret_key import shared_key; print(shared_key())")
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "SECRET_KEY_FILE")}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    path = tmp_path / "instance" / "secret_key"
    assert path.read_text().strip() == done.stdout.strip()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_key_file_readable_by_others_is_refused(tmp_path, app_module):
    path = tmp_path / "secret_key"
    path.write_text("x" * 64)
    path.chmod(0o644)
    with pytest.raises(SecretKeyError, match=r"leesbaar voor anderen \(rechten 644\): zet de rechten op 600"):
        shared_key(path)
    url = f"sqlite:///{tmp_path / 'w.db'}"
    migrate(make_engine(url))
    with pytest.raises(app_module.SettingsError, match="leesbaar voor anderen"):
        app_module.create_app({"DATABASE_URL": url, "SECRET_KEY_FILE": str(path)})
    path.chmod(0o600)
    server = app_module.create_app({"DATABASE_URL": url, "SECRET_KEY_FILE": str(path)}).server
    assert server.secret_key == "x" * 64


def test_an_empty_key_file_is_refused(tmp_path):
    path = tmp_path / "secret_key"
    path.write_text("\n")
    path.chmod(0o600)
    with pytest.raises(SecretKeyError, match="geen bruikbare sleutel"):
        shared_key(path)


def test_gunicorn_workers_without_secret_key_accept_one_session(tmp_path):
    """Three workers, no SECRET_KEY, not production: 30 requests with one valid session all pass
    (with a key per worker most of them went back to the login page)."""
    url = f"sqlite:///{tmp_path / 'w.db'}"
    engine = make_engine(url)
    migrate(engine)
    handmade_warehouse.fill(engine)
    add_user(engine, "raad", "Raadslid", "lezer", PASSWORD)
    engine.dispose()
    key_file = tmp_path / "instance" / "secret_key"
    env = {"DATABASE_URL": url, "SECRET_KEY_FILE": str(key_file), "JEUGDMONITOR_ENV": ""}
    with gunicorn(env, tmp_path / "gunicorn.log", workers=3) as (_proc, base):
        session = HttpSession(base)
        session.log_in("raad", PASSWORD)

        def layout(_):
            return session.get("/_dash-layout")[0]  # 401 without a valid session

        with ThreadPoolExecutor(6) as pool:  # in parallel, so every worker answers some
            statuses = list(pool.map(layout, range(30)))
    assert statuses == [200] * 30
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert sorted(p.name for p in key_file.parent.iterdir()) == ["secret_key"]


def _unusable_key_files(tmp_path):
    a_file = tmp_path / "een-bestand"
    a_file.write_text("x")
    binary = tmp_path / "binair"
    binary.write_bytes(bytes(range(256)))
    binary.chmod(0o600)
    (tmp_path / "een-map").mkdir()
    return {
        "no folder to make": ("/proc/jeugdmonitor-bestaat-niet/secret_key",
                              "kan geen sleutel bewaren in /proc/jeugdmonitor-bestaat-niet/secret_key (het bestaat "
                              "niet); zet SECRET_KEY in de omgeving of SECRET_KEY_FILE op een schrijfbare plek"),
        "a file as its folder": (f"{a_file}/secret_key",
                                 f"kan {a_file}/secret_key niet gebruiken (een deel van het pad is geen map); zet "
                                 "SECRET_KEY_FILE op een bestand in een map die de app mag lezen"),
        "a folder": (str(tmp_path / "een-map"),
                     f"{tmp_path / 'een-map'} is een map: geef in SECRET_KEY_FILE de naam van een bestand"),
        "not text": (str(binary), f"{binary} bevat geen bruikbare sleutel; verwijder het bestand zodat een nieuwe "
                                  "wordt gemaakt"),
    }


@pytest.mark.parametrize("case", ["no folder to make", "a file as its folder", "a folder", "not text"])
def test_a_key_file_that_cannot_be_used_is_said_in_dutch(tmp_path, case):
    """These ended in FileNotFoundError, NotADirectoryError, IsADirectoryError or UnicodeDecodeError."""
    path, message = _unusable_key_files(tmp_path)[case]
    with pytest.raises(SecretKeyError) as refused:
        shared_key(path)
    assert str(refused.value) == message


def test_python_app_py_stops_on_an_unusable_key_file_in_one_line(tmp_path):
    path, message = _unusable_key_files(tmp_path)["no folder to make"]
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{tmp_path / 'w.db'}", "SECRET_KEY_FILE": path}
    done = warm_python.run([sys.executable, "app.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and done.stderr == f"fout: {message}\n"


@pytest.mark.parametrize("key", ["kort", " " * 40, "x" * 31])
def test_a_short_secret_key_is_refused_without_showing_it(app_module, tmp_path, key):
    """A key of a few characters can be guessed, and with it every session cookie forged."""
    with pytest.raises(app_module.SettingsError) as refused:
        app_module.create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", "SECRET_KEY": key})
    assert str(refused.value) == ("SECRET_KEY is te kort: gebruik ten minste 32 willekeurige tekens "
                                  "(bijvoorbeeld de uitvoer van: openssl rand -hex 32)")
    assert not (tmp_path / "x.db").exists()

