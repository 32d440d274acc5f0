"""A DATABASE_URL the app cannot use stops the start with one Dutch line, never a traceback: a URL
of another kind of database, a database that does not answer, and a database at a schema version
this version does not know (upgraded by a newer one) — which is left as it is."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from data.db import make_engine, migrate
from tests import warm_python

ROOT = Path(__file__).resolve().parent.parent
FUTURE = "0099_toekomst"


@pytest.fixture
def future_database(tmp_path) -> tuple[str, Path]:
    path = tmp_path / "nieuwer.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    engine.dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = ?", (FUTURE,))
    return f"sqlite:///{path}", path


def version_of(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]


@pytest.mark.parametrize(("url", "message"), [
    ("foo://bar", "database 'foo' wordt niet ondersteund (alleen SQLite en PostgreSQL)"),
    ("postgresql://postgres@127.0.0.1:1/geen",
     "de database is niet bereikbaar (127.0.0.1, poort 1): controleer DATABASE_URL en of de database draait"),
])
def test_a_database_url_the_app_cannot_use_is_refused_at_start(app_module, url, message):
    """Also the advice once: it read "…: controleer DATABASE_URL en of de database draait" twice."""
    with pytest.raises(app_module.SettingsError) as refused:
        app_module.create_app({"DATABASE_URL": url, "WARM_CACHE": "0"})
    assert str(refused.value) == message


MEMORY = ("DATABASE_URL noemt geen databasebestand (een SQLite-database in het geheugen verdwijnt met elke "
          "verbinding): geef een pad, bijvoorbeeld sqlite:///instance/jeugdmonitor.db, of laat DATABASE_URL leeg")


@pytest.mark.parametrize("case", ["a file where its folder should be", "a file that is not there",
                                  "a file that is no database",
                                  "no file: sqlite://", "no file: sqlite:///", "no file: :memory:"])
def test_a_sqlite_url_the_app_cannot_use_is_refused_at_start(app_module, tmp_path, case):
    """A file in the folder's place ended in a traceback (FileExistsError), and so did a file that is no
    database (SQLite's "file is not a database"); a path that is not there started on a new, empty
    warehouse (a typo showed an empty dashboard; the commands that read one refused it already); a
    database in memory started an app whose every connection had its own, empty one."""
    text_file = tmp_path / "gegevens.csv"
    text_file.write_text("traject_id,jeugdige_id\n" * 200)
    url, message = {
        "a file where its folder should be": (f"sqlite:///{text_file}/w.db",
                                              f"het database-bestand {text_file}/w.db bestaat niet; controleer "
                                              "DATABASE_URL (een nieuw warehouse maakt u met python -m data "
                                              "load of python -m data demo)"),
        "a file that is not there": (f"sqlite:///{tmp_path}/tikfout/w.db",
                                     f"het database-bestand {tmp_path}/tikfout/w.db bestaat niet; controleer "
                                     "DATABASE_URL (een nieuw warehouse maakt u met python -m data "
                                     "load of python -m data demo)"),
        "a file that is no database": (f"sqlite:///{text_file}",
                                       f"{text_file} is geen SQLite-database; controleer DATABASE_URL"),
        "no file: sqlite://": ("sqlite://", MEMORY),
        "no file: sqlite:///": ("sqlite:///", MEMORY),
        "no file: :memory:": ("sqlite:///:memory:", MEMORY),
    }[case]
    with pytest.raises(app_module.SettingsError) as refused:
        app_module.create_app({"DATABASE_URL": url, "WARM_CACHE": "0"})
    assert str(refused.value) == message
    assert text_file.read_text() == "traject_id,jeugdige_id\n" * 200
    assert not (tmp_path / "tikfout").exists()


def test_a_command_that_makes_a_warehouse_says_a_file_in_its_folders_place_in_one_line(tmp_path):
    """`data demo` makes the file it is given: making its folder ended in FileExistsError's traceback."""
    text_file = tmp_path / "gegevens.csv"
    text_file.write_text("x\n")
    done = run("-m", "data", "demo", "--db", f"sqlite:///{text_file}/w.db", url="")
    assert done.returncode == 2
    assert done.stderr == (f"fout: de map {text_file} voor het database-bestand kan niet worden gemaakt (er staat "
                           "al een bestand met die naam); controleer --db of DATABASE_URL\n")


def test_a_database_of_a_newer_version_is_refused_and_left_as_it_is(app_module, future_database):
    url, path = future_database
    with pytest.raises(app_module.SettingsError, match=f"schemaversie '{FUTURE}', die deze versie van de "
                                                       "Jeugdmonitor niet kent"):
        app_module.create_app({"DATABASE_URL": url, "WARM_CACHE": "0"})
    assert version_of(path) == FUTURE


def run(*args: str, url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url, "WARM_CACHE": "0"}
    return warm_python.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_the_commands_say_it_in_one_line(future_database):
    url, path = future_database
    started = run("app.py", url=url)
    assert started.returncode == 2 and "Traceback" not in started.stderr
    assert started.stderr.startswith("fout: de database heeft schemaversie '0099_toekomst'")
    assert len(started.stderr.splitlines()) == 1
    migrated = run("-m", "data", "migrate", url=url)
    assert migrated.returncode == 1 and "Traceback" not in migrated.stderr
    assert migrated.stderr.startswith("fout: de database heeft schemaversie '0099_toekomst'")
    assert version_of(path) == FUTURE
