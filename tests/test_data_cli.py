"""`python -m data` as a user runs it (contract: cli.md): exit codes, stdout/stderr, no tracebacks.
Each command runs at least once as the real `python -m data` process (`run`); the other checks of
its behaviour call the same entry point, main(argv), in this process (`cli`), which gives the same
exit code and output without starting Python again."""
from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from data.db import make_engine
from tests import warm_python
from tests.test_loader import VALID, changed, write_folder

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, env_db: str | None = None) -> subprocess.CompletedProcess:
    import os

    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    if env_db:
        env["DATABASE_URL"] = env_db
    result = warm_python.run([sys.executable, "-m", "data", *args], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=300)
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    return result


@pytest.fixture
def cli(capsys, monkeypatch):
    """`cli(*args, env_db=...)`: `python -m data ARGS` as main(argv) in this process, its result
    shaped as `run`'s (exit code, stdout, stderr), with DATABASE_URL only when `env_db` is given."""
    from data.__main__ import main

    def call(*args: str, env_db: str | None = None) -> subprocess.CompletedProcess:
        monkeypatch.delenv("DATABASE_URL", raising=False)
        if env_db:
            monkeypatch.setenv("DATABASE_URL", env_db)
        capsys.readouterr()  # only this command's output
        code = main(list(args))
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err, err
        return subprocess.CompletedProcess(["python", "-m", "data", *args], code, out, err)

    return call


def real_on_postgresql(backend_url: str, cli):
    """`run` (the real `python -m data`) on PostgreSQL, `cli` (main(argv) in this process) on
    SQLite: a command checked on both backends starts Python once, not twice (~1.5 s of CPU
    each), and the in-process run reuses the statements this process has built already."""
    return run if backend_url.startswith("postgresql") else cli


def count(url: str, table: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar()
    finally:
        engine.dispose()


def test_load_prints_a_summary(backend_url, tmp_path, cli):
    folder = write_folder(tmp_path / "lev", VALID)
    result = real_on_postgresql(backend_url, cli)("load", str(folder), "--db", backend_url)
    assert result.returncode == 0, result.stderr
    assert f"Geladen uit {folder}:" in result.stdout
    assert "trajecten" in result.stdout and "3 rijen" in result.stdout
    assert "aanbieders" in result.stdout and "1 rij\n" in result.stdout
    assert "Gegevens tot en met 2024-07-31." in result.stdout
    assert result.stderr == ""
    assert count(backend_url, "trajecten") == 3
    assert count(backend_url, "laadlog") == 1


def test_load_uses_database_url_from_the_environment(backend_url, tmp_path, cli):
    folder = write_folder(tmp_path / "lev", {"wijken.csv": VALID["wijken.csv"]})
    result = cli("load", str(folder), env_db=backend_url)
    assert result.returncode == 0, result.stderr
    assert count(backend_url, "wijken") == 2


def test_warnings_go_to_stderr(backend_url, tmp_path, cli):
    folder = write_folder(tmp_path / "lev", {"wijken.csv": VALID["wijken.csv"], "oud.txt": "x"})
    result = cli("load", str(folder), "--db", backend_url)
    assert result.returncode == 0
    assert "waarschuwing: oud.txt: onbekend bestand, wordt genegeerd" in result.stderr
    assert "oud.txt" not in result.stdout


def test_bad_input_exits_2_with_problem_lines_and_writes_nothing(backend_url, tmp_path, cli):
    good = write_folder(tmp_path / "goed", VALID)
    assert cli("load", str(good), "--db", backend_url).returncode == 0
    files = changed("trajecten.csv", "T2;J2;2010", "T2;J2;1985")
    files = {**files, "kosten.csv": files["kosten.csv"].replace("T3;2024-07", "T3;2024-13")}
    result = cli("load", str(write_folder(tmp_path / "fout", files)), "--db", backend_url)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert lines[0].startswith("trajecten.csv:3: geboortejaar: 1985 ligt niet tussen 1990 en")
    assert lines[1].startswith("kosten.csv:5: maand: '2024-13'")
    assert len(lines) == 2  # one line per problem (cli.md), nothing else
    assert result.stdout == "Niets geladen: 2 problemen.\n"
    assert count(backend_url, "laadlog") == 1


def test_a_receipt_before_its_month_exits_2_and_writes_nothing(backend_url, tmp_path, cli):
    good = write_folder(tmp_path / "goed", VALID)
    assert cli("load", str(good), "--db", backend_url).returncode == 0
    kosten = "traject_id,maand,bedrag,ontvangen\nT1,2024-02,1,2024-03-04\nT1,2024-03,1,2024-02-29\n"
    result = cli("load", str(write_folder(tmp_path / "fout", {"kosten.csv": kosten})), "--db", backend_url)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "kosten.csv:3: ontvangen: ontvangen 2024-02-29 ligt voor de eerste dag van maand 2024-03 (2024-03-01)"]
    assert result.stdout == "Niets geladen: 1 probleem.\n"
    assert count(backend_url, "laadlog") == 1
    assert count(backend_url, "kosten") == 3


def test_many_problems_are_cut_at_50_lines(backend_url, tmp_path, cli):
    files = {"wijken.csv": "wijk_code,wijk_naam,gemeente_code,gemeente_naam\n" + ",x,GM1,y\n" * 70}
    result = cli("load", str(write_folder(tmp_path / "lev", files)), "--db", backend_url)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 50  # at most 50 (import-format.md), each a problem line
    assert all(line.startswith("wijken.csv:") for line in lines)
    assert result.stdout.splitlines() == ["... en nog 20 problemen", "Niets geladen: 70 problemen."]


def test_a_binary_file_is_one_dutch_problem(backend_url, tmp_path, cli):
    """4000 random bytes as wijken.csv: not the csv module's English, and not "leeg"."""
    import random

    generator = random.Random(4000)
    folder = tmp_path / "lev"
    folder.mkdir()
    (folder / "wijken.csv").write_bytes(bytes(generator.randrange(256) for _ in range(4000)))
    result = cli("load", str(folder), "--db", backend_url)
    assert result.returncode == 2 and result.stdout == "Niets geladen: 1 probleem.\n"
    assert result.stderr.splitlines() == [
        "wijken.csv:1: bestand: dit is geen CSV-tekstbestand (misschien een Excel-bestand?); sla het op als CSV (UTF-8)"]


def test_dates_of_the_file_are_printed_before_reference_problems(backend_url, tmp_path, cli):
    """Only trajecten.csv, with wrong dates, leaving out the 60 trajecten the warehouse's kosten
    refer to: the wrong dates are among the 50 lines shown (first), the count stays complete."""
    header = VALID["trajecten.csv"].splitlines()[0]

    def trajecten(days, prefix: str = "T") -> str:
        return "\n".join([header, *(f"{prefix}{i};J{i};2012;WK040601;;02;ambulant;A1;;{day};;;;"
                                    for i, day in enumerate(days))]) + "\n"

    good = {"wijken.csv": VALID["wijken.csv"], "aanbieders.csv": VALID["aanbieders.csv"],
            "trajecten.csv": trajecten(["2024-01-01"] * 60),
            "kosten.csv": "traject_id;maand;bedrag\n" + "".join(f"T{i};2024-01;10\n" for i in range(60))}
    assert cli("load", str(write_folder(tmp_path / "goed", good)), "--db", backend_url).returncode == 0
    bad = {"trajecten.csv": trajecten(["31-02-2024", "2024-02-30", "gisteren"], prefix="N")}
    result = cli("load", str(write_folder(tmp_path / "fout", bad)), "--db", backend_url)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert lines[:4] == ["trajecten.csv:2: startdatum: '31-02-2024' is geen datum in de vorm JJJJ-MM-DD",
                         "trajecten.csv:3: startdatum: '2024-02-30' is geen bestaande datum",
                         "trajecten.csv:4: startdatum: 'gisteren' is geen datum in de vorm JJJJ-MM-DD",
                         "trajecten.csv:1: traject_id: 1 kostenregel in het warehouse verwijst naar traject_id "
                         "'T0', die in dit bestand ontbreekt"]
    assert len(lines) == 50 and result.stdout.splitlines() == ["... en nog 13 problemen", "Niets geladen: 63 problemen."]
    assert count(backend_url, "trajecten") == 60


def test_an_unreachable_database_is_said_in_dutch_only(tmp_path):
    """The driver's English ("connection failed: … Connection refused") is not shown."""
    folder = write_folder(tmp_path / "lev", {"wijken.csv": VALID["wijken.csv"]})
    result = run("load", str(folder), env_db="postgresql://x@127.0.0.1:1/y")
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == ("fout: de database is niet bereikbaar (127.0.0.1, poort 1): controleer --db of "
                             "DATABASE_URL en of de database draait\n")


def test_missing_folder_exits_2(backend_url, tmp_path, cli):
    result = cli("load", str(tmp_path / "nergens"), "--db", backend_url)
    assert result.returncode == 2
    assert "de map bestaat niet" in result.stderr
    if backend_url.startswith("sqlite"):
        assert not (tmp_path / "cli.db").exists()  # the database was not even touched


@pytest.mark.parametrize("args, words", [
    (("load",), "deze argumenten ontbreken: MAP"),
    (("onbekend",), "onbekende opdracht 'onbekend'; kies uit: load, load-ijw, demo, migrate, backup, restore, "
                    "users, targets"),
    (("users", "weg"), "onbekende opdracht 'weg'; kies uit: add, passwd,"),
    (("load", "--db"), "--db vraagt een waarde"),
    (("users", "role", "anna", "baas"), "rol: ongeldige keuze 'baas'; kies uit 'programmamanager'"),
    (("users", "email", "anna"), "geef een van deze argumenten: ADRES --geen"),
    (("demo", "--seed", "veel"), "--seed: ongeldig geheel getal 'veel'"),
    (("demo", "--scale", "0"), "--scale: ongeldige schaal '0'"),
    (("demo", "--scale", "twee"), "--scale: ongeldige schaal 'twee'"),
    (("migrate", "--extra"), "onbekende argumenten: --extra"),
    # `--db "$DATABASE_URL"` with the variable unset: not the embedded demonstration warehouse
    (("load", "map", "--db", ""), "--db: de database-URL is leeg; geef een URL of laat --db weg"),
    (("restore", "b.json", "--db", " "), "--db: de database-URL is leeg"),
])
def test_bad_arguments_exit_2_with_one_dutch_line(args, words, capsys):
    from data.__main__ import main

    with pytest.raises(SystemExit) as stopped:  # in-process: argparse's refusal, as `python -m data` gives it
        main(list(args))
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("fout: ") and words in err and err.count("\n") == 1, err
    for english in ("usage:", "error:", "invalid", "unrecognized", "required", "expected", "choose", "argument ",
                    "command"):
        assert english not in err


@pytest.mark.parametrize("args", [(), ("load",), ("users",), ("users", "add"), ("targets", "import")])
def test_help_is_dutch(args, capsys):
    from data.__main__ import main

    with pytest.raises(SystemExit) as stopped:
        main([*args, "--help"])
    assert stopped.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"gebruik: python -m data{''.join(' ' + a for a in args)} ")
    assert "\nopties:\n" in out and "toon deze hulp en stop" in out
    for english in ("usage:", "options:", "positional arguments", "show this help", "exit"):
        assert english not in out


def test_help_is_dutch_as_python_m_data():
    result = run("--help")
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.startswith("gebruik: python -m data [-h] COMMANDO ...")
    assert "\nargumenten:\n  COMMANDO\n" in result.stdout and "-h, --help  toon deze hulp en stop" in result.stdout
    assert "usage" not in result.stdout and "show this help" not in result.stdout


def test_bad_arguments_exit_2_with_one_dutch_line_on_stderr():
    result = run("demo", "--seed", "veel")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == "fout: --seed: ongeldig geheel getal 'veel' (zie: python -m data demo --help)\n"


def test_bad_database_url_exits_2(tmp_path, cli):
    folder = write_folder(tmp_path / "lev", VALID)
    result = cli("load", str(folder), "--db", "mysql://iemand@host/db")
    assert result.returncode == 2
    assert result.stderr.startswith("fout: ")
    result = cli("load", str(folder), "--db", "dit is geen url")
    assert result.returncode == 2
    assert "ongeldige database-URL" in result.stderr


def test_unreachable_database_exits_1_with_one_line(tmp_path, cli):
    folder = write_folder(tmp_path / "lev", VALID)
    result = cli("load", str(folder), "--db", "postgresql://niemand@127.0.0.1:1/geen")
    assert result.returncode == 1
    assert result.stderr.startswith("fout: ")
    assert len(result.stderr.strip().splitlines()) == 1


def test_migrate(backend_url, cli):
    result = real_on_postgresql(backend_url, cli)("migrate", "--db", backend_url)
    assert result.returncode == 0, result.stderr
    assert "Schema bijgewerkt" in result.stdout
    assert count(backend_url, "laadlog") == 0


@pytest.mark.skipif(importlib.util.find_spec("data.warehouse.demo") is None, reason="data/warehouse/demo.py is not there yet")
def test_demo_loads_the_demonstration_set(backend_url, cli):
    result = real_on_postgresql(backend_url, cli)("demo", "--db", backend_url, "--seed", "7", "--scale", "2")
    assert result.returncode == 0, result.stderr
    assert "Geladen uit de demonstratiedata (seed 7, schaal 2):" in result.stdout
    assert count(backend_url, "trajecten") > 0
    engine = make_engine(backend_url)
    try:
        with engine.connect() as conn:  # Huizen and one fictional gemeente of the same shape
            assert conn.execute(text("SELECT COUNT(DISTINCT gemeente_code) FROM wijken")).scalar() == 2
    finally:
        engine.dispose()


@pytest.mark.parametrize("args", [
    ("backup", "uit.json"),
    ("users", "list"),
    ("users", "add", "beheerder", "--naam", "Beheerder", "--rol", "programmamanager"),
    ("targets", "export", "streefwaarden.csv"),
])
def test_a_sqlite_file_that_is_not_there_is_refused_not_made(tmp_path, cli, args):
    """A typo in --db used to make an empty warehouse: a back-up of nothing, an account in a
    stray file."""
    missing = tmp_path / "typo.db"
    args = tuple(str(tmp_path / a) if a.endswith((".json", ".csv")) else a for a in args)
    result = cli(*args, "--db", f"sqlite:///{missing}")
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("fout: het database-bestand") and "bestaat niet" in result.stderr
    assert not missing.exists()
    assert not list(tmp_path.iterdir())


def test_a_refused_load_into_a_new_file_leaves_no_warehouse_behind(tmp_path, cli, monkeypatch):
    """A load into a SQLite file that is not there yet makes it; when the load is refused, the
    empty warehouse it made (and the folders) go again: nothing is left behind a mistyped path."""
    folder = tmp_path / "map"
    folder.mkdir()
    (folder / "wijken.csv").write_text("wijk_code;naam\nXX;Centrum\n", encoding="utf-8")
    (folder / "JW315.xml").write_text("<geen-bericht/>", encoding="utf-8")
    (folder / "postcodes.csv").write_text("postcode;wijk_code\n1271AA;WK040601\n", encoding="utf-8")
    monkeypatch.setenv("PSEUDONIEM_SLEUTEL", "z" * 40)
    new = tmp_path / "nieuw" / "dieper" / "w.db"
    for args in (("load", str(folder)),
                 ("load-ijw", str(folder), "--postcodes", str(folder / "postcodes.csv"))):
        result = cli(*args, "--db", f"sqlite:///{new}")
        assert result.returncode == 2 and "Niets geladen" in result.stdout, result.stderr
        assert sorted(p.name for p in tmp_path.iterdir()) == ["map"], args


def tables_views_sequences(url: str) -> tuple:
    from sqlalchemy import inspect

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            found = inspect(conn)
            sequences = found.get_sequence_names() if url.startswith("postgresql") else []
            return found.get_table_names(), found.get_view_names(), sequences
    finally:
        engine.dispose()


@pytest.mark.parametrize("command", ["load", "users", "targets"])
def test_a_command_refused_in_a_database_without_tables_leaves_it_so(backend_url, tmp_path, cli, command):
    """A command opening a database that holds no table (a new PostgreSQL database, an empty SQLite
    file) migrates it first; when the command is refused, the tables the migration made go again."""
    from data.db import sqlite_file

    if sqlite_file(backend_url) is not None:
        sqlite_file(backend_url).touch()  # there, but empty: the file is kept, its tables are not
    folder = tmp_path / "map"
    folder.mkdir()
    (folder / "wijken.csv").write_text("wijk_code;naam\nXX;Centrum\n", encoding="utf-8")
    args, says = {
        "load": (("load", str(folder)), "Niets geladen"),
        "users": (("users", "role", "onbekend", "lezer"), "bestaat niet"),
        "targets": (("targets", "import", str(folder / "wijken.csv"), "--door", "onbekend", "--reden", "x"),
                    "bestaat niet"),
    }[command]
    result = (real_on_postgresql(backend_url, cli) if command == "load" else cli)(*args, "--db", backend_url)
    assert result.returncode == 2 and says in result.stderr + result.stdout, result.stderr
    assert tables_views_sequences(backend_url) == ([], [], [])
    if sqlite_file(backend_url) is not None:
        assert sqlite_file(backend_url).exists()


def test_a_refused_load_into_an_existing_file_keeps_it(tmp_path, cli):
    kept = tmp_path / "w.db"
    assert cli("migrate", "--db", f"sqlite:///{kept}").returncode == 0
    (tmp_path / "map").mkdir()
    (tmp_path / "map" / "wijken.csv").write_text("wijk_code;naam\nXX;Centrum\n", encoding="utf-8")
    assert cli("load", str(tmp_path / "map"), "--db", f"sqlite:///{kept}").returncode == 2
    assert kept.exists() and count(f"sqlite:///{kept}", "wijken") == 0


@pytest.mark.parametrize("command", ["backup", "targets"])
def test_a_backup_or_export_of_a_database_without_tables_is_refused(backend_url, tmp_path, cli, command):
    """A back-up of a new PostgreSQL database (or an empty file) migrated it and wrote a back-up of
    nothing with exit 0; the targets export wrote a file of nothing. Both are refused now."""
    from data.db import sqlite_file

    if sqlite_file(backend_url) is not None:
        sqlite_file(backend_url).touch()
    out = tmp_path / "uit.bestand"
    args = ("backup", str(out)) if command == "backup" else ("targets", "export", str(out))
    result = cli(*args, "--db", backend_url)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("fout: de database bevat geen warehouse"), result.stderr
    assert tables_views_sequences(backend_url) == ([], [], [])
    assert not out.exists()
