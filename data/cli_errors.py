"""How every command line ends: one Dutch line on stderr and an exit status, never a traceback.

    def main(argv=None) -> int:
        return run_command(lambda: _work(argv), bad_input=(UsageError, YearError))

`run_command(work)` returns what `work()` returns (0 on success) and turns what it raises into
the contract of cli.md:
- a list of problems (an exception with `report_lines()`, e.g. data.warehouse.loader.LoadError): every line
  and its closing count on stderr, exit 2;
- `CommandError`: a failure explained by its message alone, `fout: …`, exit `code` (1 by default);
- one of `bad_input` (bad arguments, a bad year, a bad database URL, …): `fout: …`, exit 2;
- an unreachable database: `fout: de database is niet bereikbaar (…)`, exit 1;
- anything else: `fout: Soort: eerste regel` (or the command's own wording, `unexpected`), exit 1;
- Ctrl-C: `afgebroken`, exit 130.

Every layer's command line uses it (data/, kpi/ and dashboard/ may all import data/).
"""
from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from typing import Callable, Protocol, runtime_checkable

from data import collector

EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130


class CommandError(Exception):
    """A refusal or failure explained by its message alone; `code` is the exit status."""

    def __init__(self, message: str, code: int = EXIT_FAILURE) -> None:
        super().__init__(message)
        self.code = code


# argparse's own messages, in Dutch
_ARGPARSE_DUTCH = (
    (r"unrecognized arguments: (.*)", r"onbekende argumenten: \1"),
    (r"the following arguments are required: (.*)", r"deze argumenten ontbreken: \1"),
    (r"argument (\S+): expected one argument", r"\1 vraagt een waarde"),
    (r"argument (\S+): invalid int value: (.*)", r"\1: ongeldig geheel getal \2"),
    (r"argument (\S+): invalid choice: (\S+) \(choose from (.*)\)", r"\1: ongeldige keuze \2; kies uit \3"),
    (r"argument (\S+): not allowed with argument (\S+)", r"\1 gaat niet samen met \2"),
    (r"one of the arguments (.*) is required", r"geef een van deze argumenten: \1"),
    (r"argument (\S+): (.*)", r"\1: \2"),  # a type function's own (Dutch) message
)


def iso_date(raw: str, option: str, error: type[Exception]) -> dt.date:
    """A date as the command lines take it, JJJJ-MM-DD (exactly ten characters: Python also reads
    20250101), else `error` with the Dutch message for `--option`."""
    try:
        if len(raw) != 10:
            raise ValueError
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise error(f"--{option}: ongeldige datum {raw!r}; gebruik JJJJ-MM-DD") from None


def dutch_argparse_message(message: str) -> str:
    """argparse's message about a bad argument, in Dutch (unknown wording stays as it is)."""
    for pattern, dutch in _ARGPARSE_DUTCH:
        if re.fullmatch(pattern, message):
            return re.sub(pattern, dutch, message)
    return message


class DutchArgumentParser(argparse.ArgumentParser):
    """An argument parser whose refusals are one Dutch line `fout: …` on stderr, exit 2 (not
    argparse's English usage text)."""

    def error(self, message: str):
        self.exit(EXIT_BAD_INPUT, f"fout: {dutch_argparse_message(message)} (zie: {self.prog} --help)\n")


@runtime_checkable
class ReportsProblems(Protocol):
    """An error that is a list of problems, each on its own line (data.warehouse.loader.LoadError)."""

    def report_lines(self) -> list[str]: ...


def first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else ""


def describe(exc: BaseException) -> str:
    """An unexpected error in one line: its kind and the first line of its message; an
    unreachable database in words."""
    from sqlalchemy.exc import OperationalError

    if isinstance(exc, OperationalError):
        reason = first_line(exc.orig) if exc.orig is not None else ""
        return f"de database is niet bereikbaar ({reason or 'geen verbinding'})"
    return f"{type(exc).__name__}: {first_line(exc)}"


def run_command(work: Callable[[], int], *, bad_input: tuple[type[BaseException], ...] = (),
                unexpected: Callable[[BaseException], str] = describe) -> int:
    """Run a command line's work; see the module docstring. `unexpected(exc)` words an error
    nobody expected (after 'fout: ')."""
    collector.tune()
    try:
        return work()
    except KeyboardInterrupt:
        print("afgebroken", file=sys.stderr)
        return EXIT_INTERRUPTED
    except CommandError as exc:
        print(f"fout: {exc}", file=sys.stderr)
        return exc.code
    except Exception as exc:  # noqa: BLE001 - the contract: one line, never a traceback
        if isinstance(exc, ReportsProblems):
            for line in exc.report_lines():
                print(line, file=sys.stderr)
            return EXIT_BAD_INPUT
        if isinstance(exc, bad_input):
            print(f"fout: {exc}", file=sys.stderr)
            return EXIT_BAD_INPUT
        print(f"fout: {unexpected(exc)}", file=sys.stderr)
        return EXIT_FAILURE
