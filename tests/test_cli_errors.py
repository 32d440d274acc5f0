"""Every command line ends the same way (data/cli_errors.py): the same words and exit codes for
the same kind of failure, whichever layer's command it is."""
from __future__ import annotations

import pytest
from sqlalchemy.exc import OperationalError

from data import __main__ as data_cli
from data.cli_errors import CommandError, run_command
from data.warehouse.loader import LoadError, Problem
from tests import warm_python


def _failing(exc: BaseException):
    def fail(*_args, **_kwargs):
        raise exc
    return fail


def _data(monkeypatch, exc):
    monkeypatch.setitem(data_cli.COMMANDS, "migrate", _failing(exc))
    return data_cli.main(["migrate"])


def _kpi(monkeypatch, exc):
    from kpi import cli

    monkeypatch.setattr(cli, "_print_list", _failing(exc))
    return cli.main(["list"])


def _slides(monkeypatch, exc):
    from dashboard.exports import slides_cli

    monkeypatch.setattr(slides_cli, "write_presentation", _failing(exc))
    return slides_cli.main(["--uit", "p.pptx"])


def _report(monkeypatch, exc):
    from dashboard.exports import report_pdf

    monkeypatch.setattr(report_pdf, "run", _failing(exc))
    return report_pdf.main(["--uit", "r.pdf"])


def _warmup(monkeypatch, exc):
    from dashboard.server import warmup

    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    monkeypatch.setattr("kpi.cache_store.store_from_env", lambda _url: None)
    monkeypatch.setattr(warmup, "warm_views", _failing(exc))
    return warmup.main()


COMMANDS = {"data": _data, "kpi": _kpi, "slides": _slides, "report": _report, "warmup": _warmup}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_ctrl_c_ends_every_command_with_one_word(command, monkeypatch, capsys):
    assert COMMANDS[command](monkeypatch, KeyboardInterrupt()) == 130
    assert capsys.readouterr().err == "afgebroken\n"


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_an_unreachable_database_is_said_in_words_by_every_command(command, monkeypatch, capsys):
    down = OperationalError("SELECT 1", {}, ConnectionRefusedError("verbinding geweigerd\nmeer"))
    assert COMMANDS[command](monkeypatch, down) == 1
    err = capsys.readouterr().err
    assert err.startswith("fout: ") and "de database is niet bereikbaar (verbinding geweigerd)" in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_a_list_of_problems_ends_with_what_was_not_done(capsys):
    problems = [Problem("a.csv", 2, "jaar", "geen jaartal"), Problem("a.csv", 3, "jaar", "leeg")]
    assert run_command(_failing(LoadError(problems))) == 2
    out, err = capsys.readouterr()
    # standard error holds the problem lines only (cli.md: one line per problem FILE:LINE: column:
    # message); what was not done follows on standard output
    assert err.splitlines() == ["a.csv:2: jaar: geen jaartal", "a.csv:3: jaar: leeg"]
    assert out.splitlines() == ["Niets geladen: 2 problemen."]


def test_a_command_error_keeps_its_code_and_bad_input_exits_2(capsys):
    assert run_command(_failing(CommandError("niet toegestaan", 1))) == 1
    assert run_command(_failing(ValueError("jaar 1800 bestaat niet")), bad_input=(ValueError,)) == 2
    assert run_command(_failing(RuntimeError("kapot\ntweede regel"))) == 1
    assert capsys.readouterr().err.splitlines() == ["fout: niet toegestaan", "fout: jaar 1800 bestaat niet",
                                                   "fout: RuntimeError: kapot"]


# --- an unreachable database: Dutch only, never the driver's English --------------------------

REFUSED = ('connection failed: connection to server at "127.0.0.1", port 1 failed: Connection refused\n'
           "\tIs the server running on that host and accepting TCP/IP connections?")
REFUSED_DUTCH = "de database is niet bereikbaar (127.0.0.1, poort 1): controleer DATABASE_URL en of de database draait"
# a command line's address is --db or DATABASE_URL: its advice names both
REFUSED_DUTCH_COMMAND = REFUSED_DUTCH.replace("DATABASE_URL", "--db of DATABASE_URL")


def _driver_error(message: str, module: str = "psycopg") -> OperationalError:
    kind = type("OperationalError", (Exception,), {"__module__": module})
    return OperationalError("SELECT 1", {}, kind(message))


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_an_unreachable_database_is_said_in_dutch_only_by_every_command(command, monkeypatch, capsys):
    assert COMMANDS[command](monkeypatch, _driver_error(REFUSED)) == 1
    err = capsys.readouterr().err
    advice = REFUSED_DUTCH if command == "warmup" else REFUSED_DUTCH_COMMAND  # the warmer reads DATABASE_URL only
    assert err.startswith("fout: ") and advice in err and err.count("\n") == 1
    for english in ("connection", "Connection refused", "failed", "server"):
        assert english not in err


@pytest.mark.parametrize("driver_text, dutch", [
    (REFUSED, REFUSED_DUTCH),
    ('connection failed: connection to server at "db.huizen.nl" (10.0.0.5), port 5433 failed: timeout expired',
     "de database is niet bereikbaar (db.huizen.nl, poort 5433): controleer DATABASE_URL en of de database draait"),
    ('connection is bad: connection to server on socket "/tmp/.s.PGSQL.5432" failed: No such file or directory',
     "de database is niet bereikbaar (socket /tmp/.s.PGSQL.5432): controleer DATABASE_URL en of de database draait"),
    ("failed to resolve host 'geenhost.invalid': [Errno -2] Name or service not known",
     "de database is niet bereikbaar (onbekende server 'geenhost.invalid'): controleer DATABASE_URL"),
    ('connection failed: connection to server at "127.0.0.1", port 5432 failed: FATAL:  database "jm" does not exist',
     "de database is niet bereikbaar (127.0.0.1, poort 5432): de database 'jm' bestaat daar niet; "
     "controleer DATABASE_URL"),
    ('connection failed: connection to server at "127.0.0.1", port 5432 failed: FATAL:  password authentication '
     'failed for user "jm"',
     "de database is niet bereikbaar (127.0.0.1, poort 5432): de aanmelding is geweigerd; controleer de "
     "gebruikersnaam en het wachtwoord in DATABASE_URL"),
    ("server closed the connection unexpectedly",
     "de database is niet bereikbaar (geen verbinding): controleer DATABASE_URL en of de database draait"),
])
def test_the_drivers_words_are_read_not_shown(driver_text, dutch):
    from data.cli_errors import describe

    assert describe(_driver_error(driver_text)) == dutch


def test_a_sqlite_file_that_cannot_be_opened_is_said_in_dutch():
    from data.cli_errors import describe

    assert describe(_driver_error("unable to open database file", module="sqlite3")) == (
        "het databasebestand is niet te openen: controleer DATABASE_URL en of de map bestaat en beschrijfbaar is")


def test_python_m_kpi_with_an_unreachable_database_says_it_in_dutch_only():
    import os
    import sys
    from pathlib import Path

    env = {**os.environ, "DATABASE_URL": "postgresql://x@127.0.0.1:1/y"}
    done = warm_python.run([sys.executable, "-m", "kpi", "show", "gem_trajectduur", "--jaar", "2024"],
                           cwd=Path(__file__).resolve().parent.parent, env=env, capture_output=True, text=True,
                           timeout=120)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr == f"fout: {REFUSED_DUTCH_COMMAND}\n"


# --- argparse in Dutch: help, an unknown subcommand, the common mistakes ------------------------

def _main_of(name: str):
    import importlib

    module, function = {
        "data": ("data.__main__", "main"), "kpi": ("kpi.cli", "main"),
        "slides": ("dashboard.exports.slides_cli", "main"), "report": ("dashboard.exports.report_pdf", "main"),
        "theming": ("dashboard.theming.build", "main"), "mail": ("dashboard.mail.cli", "main"),
    }[name]
    return getattr(importlib.import_module(module), function)


def _run(name: str, argv: list[str]):
    from tests.cli_support import run_main

    return run_main(_main_of(name), argv)


ENGLISH_HELP = ("usage:", "options:", "positional arguments", "optional arguments", "show this help", "and exit")


@pytest.mark.parametrize("name, argv", [
    ("data", ["--help"]), ("data", ["load", "--help"]), ("data", ["users", "email", "--help"]),
    ("kpi", ["--help"]), ("kpi", ["show", "--help"]), ("kpi", ["kostengroei", "--help"]),
    ("kpi", ["prognose", "--help"]),
    ("slides", ["--help"]), ("report", ["--help"]), ("theming", ["--help"]), ("mail", ["--help"]),
    ("mail", ["digest", "--help"]),
])
def test_help_is_dutch_in_every_command(name, argv):
    done = _run(name, argv)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("gebruik: ") and "\nopties:\n" in done.stdout
    assert "-h, --help" in done.stdout and "toon deze hulp en stop" in done.stdout
    for english in ENGLISH_HELP:
        assert english not in done.stdout


def test_argparse_speaks_english_again_after_a_command(capsys):
    import argparse

    _run("kpi", ["--help"])
    assert argparse.ArgumentParser(prog="p").format_help().startswith("usage: p [-h]")


def test_an_unknown_subcommand_is_said_in_dutch():
    done = _run("kpi", ["bogus"])
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == "fout: onbekende opdracht 'bogus'; kies uit: list, show, kostengroei, prognose\n"


ENGLISH_ERRORS = ("usage", "error", "invalid", "unrecognized", "required", "expected", "choose", "argument ",
                  "command", "ambiguous", "allowed", "explicit")


@pytest.mark.parametrize("name, argv, dutch", [
    ("kpi", [], "fout: deze argumenten ontbreken: COMMANDO"),
    ("kpi", ["show"], "fout: deze argumenten ontbreken: KPI_ID"),
    ("kpi", ["show", "x", "--jaar", "twee"], "fout: --jaar: ongeldig geheel getal 'twee'"),
    ("kpi", ["show", "x", "--jaar"], "fout: --jaar vraagt een waarde"),
    ("kpi", ["show", "x", "--per", "week"], "fout: --per: ongeldige keuze 'week'; kies uit"),
    ("kpi", ["list", "--extra"], "fout: onbekende argumenten: --extra"),
    ("kpi", ["--frob"], "fout: onbekende argumenten: --frob"),  # not "deze argumenten ontbreken: COMMANDO"
    ("data", ["--versie", "--db=x"], "fout: onbekende argumenten: --versie"),
    ("kpi", ["list", "--json=ja"], "fout: --json neemt geen waarde (gegeven: 'ja')"),
    ("kpi", ["kostengroei"], "fout: deze argumenten ontbreken: --jaar"),
    ("data", ["demo", "--s", "1"], "fout: --s is onduidelijk: dat kan --seed, --scale, --steekproef zijn"),
    ("data", ["users", "assign", "anna"], "fout: deze argumenten ontbreken: CODE"),
    ("data", ["bogus"], "fout: onbekende opdracht 'bogus'; kies uit: load, load-ijw,"),
    ("report", [], "fout: deze argumenten ontbreken: --uit"),
    ("report", ["--uit"], "fout: --uit vraagt een waarde"),
    ("report", ["--uit", "r.pdf", "--extra"], "fout: onbekende argumenten: --extra"),
    ("mail", ["bogus"], "fout: onbekende opdracht 'bogus'; kies uit:"),
])
def test_common_mistakes_are_said_in_dutch(name, argv, dutch):
    done = _run(name, argv)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith(dutch) and done.stderr.count("\n") == 1, done.stderr
    for english in ENGLISH_ERRORS:
        assert english not in done.stderr, done.stderr


@pytest.mark.parametrize("english, dutch", [
    ("unrecognized arguments: --x y", "onbekende argumenten: --x y"),
    ("the following arguments are required: --uit", "deze argumenten ontbreken: --uit"),
    ("one of the arguments ADRES --geen is required", "geef een van deze argumenten: ADRES --geen"),
    ("ambiguous option: --s could match --seed, --scale", "--s is onduidelijk: dat kan --seed, --scale zijn"),
    ("argument --jaar: expected one argument", "--jaar vraagt een waarde"),
    ("argument --van: expected at most one argument", "--van vraagt hoogstens één waarde"),
    ("argument CODE: expected at least one argument", "CODE vraagt ten minste één waarde"),
    ("argument --punt: expected 1 argument", "--punt vraagt één waarde"),
    ("argument --punt: expected 2 arguments", "--punt vraagt 2 waarden"),
    ("argument --json: ignored explicit argument 'ja'", "--json neemt geen waarde (gegeven: 'ja')"),
    ("argument --seed: invalid int value: 'veel'", "--seed: ongeldig geheel getal 'veel'"),
    ("argument --factor: invalid float value: 'x'", "--factor: ongeldig getal 'x'"),
    ("argument --map: invalid Path value: ''", "--map: ongeldige waarde ''"),
    ("argument --per: invalid choice: 'een week' (choose from 'jaar', 'maand')",
     "--per: ongeldige keuze 'een week'; kies uit 'jaar', 'maand'"),
    ("argument command: unknown parser 'x' (choices: list, show)", "onbekende opdracht 'x'; kies uit: list, show"),
    ("argument --a: not allowed with argument --b", "--a gaat niet samen met --b"),
    ("argument --in: can't open 'x.csv': [Errno 2] No such file or directory: 'x.csv'",
     "--in: het bestand 'x.csv' is niet te openen"),
    ("argument --scale: ongeldige schaal '0'", "--scale: ongeldige schaal '0'"),
])
def test_argparse_messages_in_dutch(english, dutch):
    from data.cli_errors import dutch_argparse_message

    assert dutch_argparse_message(english) == dutch


def test_why_a_file_operation_failed_is_said_in_dutch():
    import errno

    from data.cli_errors import os_reason

    assert os_reason(FileNotFoundError(errno.ENOENT, "No such file or directory")) == "het bestaat niet"
    assert os_reason(PermissionError(errno.EACCES, "Permission denied")) == "geen toegang: controleer de rechten"
    assert os_reason(OSError(errno.EXDEV, "Invalid cross-device link")) == f"systeemfout {errno.EXDEV}"


def test_a_file_that_is_no_sqlite_database_is_said_in_dutch(tmp_path):
    """`--db sqlite:///wijken.csv`: SQLite's "file is not a database" comes as a DatabaseError."""
    from data.__main__ import main
    from tests.cli_support import run_main

    not_a_database = tmp_path / "wijken.csv"
    not_a_database.write_text("wijk_code,wijk_naam,gemeente_code,gemeente_naam\n" * 100)
    result = run_main(main, ["migrate", "--db", f"sqlite:///{not_a_database}"])
    # a bad --db is a bad argument: exit 2 (cli.md), and the file is left as it was
    assert (result.returncode, result.stderr) == (
        2, f"fout: {not_a_database} is geen SQLite-database; controleer --db of DATABASE_URL\n")
    assert not_a_database.read_text() == "wijk_code,wijk_naam,gemeente_code,gemeente_naam\n" * 100


@pytest.mark.parametrize("module, args", [
    ("kpi.cli", ["show", "instroom", "--jaar", "2025"]),
    ("data.__main__", ["migrate"]),
    ("data.__main__", ["demo"]),
    ("dashboard.exports.report_pdf", ["--jaar", "2025", "--uit", "rapport.pdf"]),
], ids=lambda v: v if isinstance(v, str) else v[0])
@pytest.mark.parametrize("what", ["folder", "csv"])
def test_a_db_that_is_a_folder_or_no_sqlite_file_is_a_bad_argument(module, args, what, tmp_path, monkeypatch):
    """Exit 2 with the path and what it is, for every command, whether it reads or writes (a CSV
    file or a folder gave exit 1, with SQLite's words for a folder)."""
    import importlib

    from tests.cli_support import run_main

    monkeypatch.chdir(tmp_path)
    target = tmp_path / ("map" if what == "folder" else "wijken.csv")
    target.mkdir() if what == "folder" else target.write_text("wijk_code,wijk_naam\n")
    result = run_main(importlib.import_module(module).main, [*args, "--db", f"sqlite:///{target}"])
    said = "is een map, geen databasebestand" if what == "folder" else "is geen SQLite-database"
    assert (result.returncode, result.stderr) == (2, f"fout: {target} {said}; controleer --db of DATABASE_URL\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]


@pytest.mark.parametrize("module, args", [
    ("kpi.cli", ["show", "instroom", "--jaar", "2025", "--json"]),
    ("kpi.cli", ["kostengroei", "--jaar", "2025", "--vergelijk", "2024"]),
    ("dashboard.exports.slides_cli", ["--jaar", "2025", "--uit", "presentatie.pptx"]),
    ("dashboard.mail.cli", ["digest", "--dry-run"]),
], ids=lambda v: v if isinstance(v, str) else v[0])
def test_the_commands_that_only_read_refuse_another_applications_database(module, args, tmp_path, monkeypatch):
    """`--db` at another application's SQLite file: the warehouse's 46 tables were added to it and
    a KPI of nothing answered with exit 0. It is refused and left as it was."""
    import importlib
    import sqlite3

    from tests.cli_support import run_main

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BASIS_URL", "https://jeugdmonitor.huizen.nl")
    other = tmp_path / "klanten.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE klanten (id INTEGER)")
    before = other.read_bytes()
    result = run_main(importlib.import_module(module).main, [*args, "--db", f"sqlite:///{other}"])
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("fout: de database bevat geen warehouse van de Jeugdmonitor (wel andere "
                                    "tabellen: klanten); controleer --db of DATABASE_URL"), result.stderr
    assert other.read_bytes() == before


def test_a_sum_too_large_for_sqlite_is_not_blamed_on_the_database_file():
    from sqlalchemy import create_engine
    from sqlalchemy.exc import OperationalError

    from data.cli_errors import describe

    engine = create_engine("sqlite://")
    with engine.connect() as conn, pytest.raises(OperationalError) as caught:
        conn.exec_driver_sql("SELECT SUM(x) FROM (SELECT 9223372036854775807 AS x UNION ALL SELECT 1)").scalar()
    assert describe(caught.value) == ("een som is te groot voor de database: controleer de gegevens op een "
                                      "bedrag of aantal dat veel te groot is")


@pytest.mark.parametrize("module, args", [
    ("kpi.cli", ["show", "instroom", "--jaar", "2025", "--db", ""]),
    ("kpi.cli", ["kostengroei", "--jaar", "2025", "--db", " "]),
    ("kpi.cli", ["prognose", "--jaar", "2026", "--db", ""]),
    ("dashboard.exports.report_pdf", ["--jaar", "2025", "--uit", "/tmp/nooit.pdf", "--db", ""]),
    ("dashboard.exports.slides_cli", ["--jaar", "2025", "--uit", "/tmp/nooit.pptx", "--db", ""]),
    ("dashboard.mail.cli", ["digest", "--db", ""]),
])
def test_an_empty_db_is_refused_by_every_command_line(module, args, capsys):
    """`--db "$DATABASE_URL"` with the variable unset: exit 2, never the embedded demonstration
    warehouse (as `python -m data` refuses it)."""
    import importlib

    main = importlib.import_module(module).main
    try:
        code = main(args)
    except SystemExit as stopped:
        code = stopped.code
    assert code == 2
    assert "de database-URL is leeg" in capsys.readouterr().err


def test_an_unreachable_mail_server_is_said_in_dutch():
    """The mail server's network failures (host unreachable, connection reset) were given in the
    system's English ("No route to host")."""
    import errno

    from dashboard.mail.settings import read_settings
    from dashboard.mail.smtp import _connection_problem

    settings = read_settings({"SMTP_HOST": "mail.huizen.nl", "SMTP_PORT": "25"})
    for code, dutch in ((errno.EHOSTUNREACH, "de server is onbereikbaar"),
                        (errno.ECONNRESET, "de verbinding werd verbroken")):
        text = _connection_problem(OSError(code, "No route to host"), settings)
        assert dutch in text and "No route" not in text, text


@pytest.mark.parametrize("module, args", [
    ("dashboard.exports.report_pdf", ["--jaar", "2025", "--uit", "rapport.pdf"]),
    ("dashboard.exports.slides_cli", ["--jaar", "2025", "--uit", "presentatie.pptx"]),
    ("dashboard.mail.cli", ["digest", "--dry-run"]),
])
def test_the_exports_and_the_mail_refuse_a_sqlite_file_that_is_not_there(module, args, tmp_path, monkeypatch,
                                                                          capsys):
    """A typo in --db made an empty warehouse and wrote a report, a presentation or an e-mail of
    nothing ("rapport geschreven", exit 0); the commands that only read now refuse it, as
    `python -m kpi` and `python -m data backup` do."""
    import importlib

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BASIS_URL", "https://jeugdmonitor.huizen.nl")
    missing = tmp_path / "typo.db"
    try:
        code = importlib.import_module(module).main([*args, "--db", f"sqlite:///{missing}"])
    except SystemExit as stopped:
        code = stopped.code
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("fout: het database-bestand") and "bestaat niet" in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == []


@pytest.mark.parametrize("module, args", [
    ("kpi.cli", ["show", "instroom", "--jaar", "2025"]),
    ("kpi.cli", ["kostengroei", "--jaar", "2025", "--vergelijk", "2024"]),
    ("kpi.cli", ["prognose", "--jaar", "2026"]),
    ("dashboard.exports.report_pdf", ["--jaar", "2025", "--uit", "rapport.pdf"]),
    ("dashboard.exports.slides_cli", ["--jaar", "2025", "--uit", "presentatie.pptx"]),
    ("dashboard.mail.cli", ["digest", "--dry-run"]),
], ids=lambda v: v if isinstance(v, str) else v[0])
def test_the_commands_that_only_read_refuse_a_database_without_tables(module, args, backend_url, tmp_path,
                                                                       monkeypatch, capsys):
    """A new PostgreSQL database (or an empty SQLite file) was migrated and answered from: "<10"
    for every KPI, a report of nothing with exit 0. It is refused, and left without tables."""
    import importlib

    from data.db import holds_no_table, make_engine, sqlite_file

    if sqlite_file(backend_url) is not None:
        sqlite_file(backend_url).touch()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BASIS_URL", "https://jeugdmonitor.huizen.nl")
    try:
        code = importlib.import_module(module).main([*args, "--db", backend_url])
    except SystemExit as stopped:
        code = stopped.code
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("fout: de database bevat geen warehouse") and "python -m data load" in err, err
    engine = make_engine(backend_url)
    try:
        assert holds_no_table(engine)
    finally:
        engine.dispose()
    assert [p.name for p in tmp_path.iterdir()] == ([] if sqlite_file(backend_url) is None else ["cli.db"])


@pytest.mark.parametrize("ends", ["returns", "argparse_exits", "other_pipe"])
def test_a_reader_that_stops_reading_ends_the_command_without_a_word(ends, monkeypatch, capsys):
    """`python -m kpi show … --json | head -30` ended in "fout: BrokenPipeError: [Errno 32] Broken
    pipe" (or the interpreter's English "Exception ignored … BrokenPipeError"). A pipe broken
    elsewhere (a mail server's socket) is still said."""
    import io
    import os
    import sys

    from data.cli_errors import run_command

    read_end, write_end = os.pipe()
    if ends != "other_pipe":
        os.close(read_end)  # the reader has gone before a word is written
    stdout = io.TextIOWrapper(io.FileIO(write_end, "w"), encoding="utf-8")
    monkeypatch.setattr(sys, "stdout", stdout)

    def work() -> int:
        if ends == "other_pipe":
            raise BrokenPipeError(32, "Broken pipe")
        if ends == "argparse_exits":  # help, still in the buffer when argparse exits
            print("gebruik: python -m kpi …")
            raise SystemExit(0)
        print("regel\n" * 20_000)  # more than a pipe holds: the write itself breaks
        return 0

    try:
        if ends == "argparse_exits":
            with pytest.raises(SystemExit):
                run_command(work)
            code = None
        else:
            code = run_command(work)
        err = capsys.readouterr().err
        if ends == "other_pipe":
            assert (code, err) == (1, "fout: lezen of schrijven mislukt: de verbinding werd verbroken\n")
        else:
            assert code in (None, 1) and err == ""
            stdout.write("nog meer\n")
            stdout.flush()  # the rest goes to /dev/null, not into an error as the interpreter stops
    finally:
        stdout.close()
        if ends == "other_pipe":
            os.close(read_end)


def test_a_reader_that_stops_reading_stderr_still_gets_the_status_of_bad_input(monkeypatch):
    """`python -m data load MAP 2>&1 | head -1` on a broken folder ended with status 1 (the
    printing of its second problem broke), where cli.md promises 2 for bad input."""
    import io
    import os
    import sys

    from data.cli_errors import run_command

    class Problems(Exception):
        def report_lines(self):
            return ["wijken.csv:2: wijk_code: leeg", "Niets geladen: 1 probleem."]

    def work() -> int:
        raise Problems()

    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader has gone before a word is written
    stderr = io.TextIOWrapper(io.FileIO(write_end, "w"), encoding="utf-8", line_buffering=True)
    monkeypatch.setattr(sys, "stderr", stderr)
    try:
        assert run_command(work) == 2
        stderr.write("nog meer\n")
        stderr.flush()  # the rest goes to /dev/null, not into an error as the interpreter stops
    finally:
        stderr.close()


def test_a_reader_that_stops_reading_stdout_still_gets_the_status_of_bad_input(monkeypatch, capsys):
    """The closing lines ("Niets geladen: 1 probleem.") go to stdout: a reader gone from it
    (`python -m data load MAP | head -0`) still leaves exit 2 and the problems on stderr."""
    import io
    import os
    import sys

    class Problems(Exception):
        def report_lines(self):
            return ["wijken.csv:2: wijk_code: leeg"]

        def closing_lines(self):
            return ["Niets geladen: 1 probleem."]

    def work() -> int:
        raise Problems()

    read_end, write_end = os.pipe()
    os.close(read_end)
    stdout = io.TextIOWrapper(io.FileIO(write_end, "w"), encoding="utf-8", line_buffering=True)
    monkeypatch.setattr(sys, "stdout", stdout)
    try:
        assert run_command(work) == 2
    finally:
        stdout.close()
    assert capsys.readouterr().err == "wijken.csv:2: wijk_code: leeg\n"


def test_output_to_a_full_disk_is_said_in_dutch(monkeypatch, capsys):
    """`python -m kpi show … > /dev/full` said "fout: OSError: [Errno 28] No space left on device"."""
    import contextlib
    import errno
    import sys

    from data.cli_errors import describe, run_command

    full = open("/dev/full", "w")  # closed below: its close fails too, the disk still full
    monkeypatch.setattr(sys, "stdout", full)
    assert run_command(lambda: print("instroom") or 0) == 1
    monkeypatch.undo()
    with contextlib.suppress(OSError):
        full.close()
    assert capsys.readouterr().err == "fout: lezen of schrijven mislukt: de schijf is vol\n"
    assert describe(OSError(errno.EACCES, "Permission denied", "/srv/uit.csv")) == (
        "/srv/uit.csv: geen toegang: controleer de rechten")
    assert describe(TimeoutError("timed out")) == "TimeoutError: timed out"  # no errno: as before
