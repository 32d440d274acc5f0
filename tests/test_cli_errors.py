"""Every command line ends the same way (data/cli_errors.py): the same words and exit codes for
the same kind of failure, whichever layer's command it is."""
from __future__ import annotations

import pytest
from sqlalchemy.exc import OperationalError

from data import __main__ as data_cli
from data.cli_errors import CommandError, run_command
from data.warehouse.loader import LoadError, Problem


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
    assert capsys.readouterr().err.splitlines() == ["a.csv:2: jaar: geen jaartal", "a.csv:3: jaar: leeg",
                                                   "Niets geladen: 2 problemen."]


def test_a_command_error_keeps_its_code_and_bad_input_exits_2(capsys):
    assert run_command(_failing(CommandError("niet toegestaan", 1))) == 1
    assert run_command(_failing(ValueError("jaar 1800 bestaat niet")), bad_input=(ValueError,)) == 2
    assert run_command(_failing(RuntimeError("kapot\ntweede regel"))) == 1
    assert capsys.readouterr().err.splitlines() == ["fout: niet toegestaan", "fout: jaar 1800 bestaat niet",
                                                   "fout: RuntimeError: kapot"]
