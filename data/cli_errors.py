"""How every command line ends: one Dutch line on stderr and an exit status, never a traceback.

    def main(argv=None) -> int:
        return run_command(lambda: _work(argv), bad_input=(UsageError, YearError))

`run_command(work)` returns what `work()` returns (0 on success) and turns what it raises into
the contract of cli.md:
- a list of problems (an exception with `report_lines()`, e.g. data.warehouse.loader.LoadError): every
  problem line on stderr, its closing lines (how many more, "Niets geladen: N problemen.") on stdout,
  exit 2;
- `CommandError`: a failure explained by its message alone, `fout: …`, exit `code` (1 by default);
- one of `bad_input` (bad arguments, a bad year, a bad database URL, …): `fout: …`, exit 2 (a
  message still in argparse's English, from a parser that passes it on as it is, put in Dutch);
- an unreachable database: `fout: de database is niet bereikbaar (HOST, poort N): controleer …`,
  exit 1, in Dutch only: the driver's (English) text is never shown;
- anything else: `fout: Soort: eerste regel` (or the command's own wording, `unexpected`), exit 1;
- Ctrl-C: `afgebroken`, exit 130;
- a reader that stopped reading the output (`python -m kpi list | head -1`): no word, exit 1;
  one that stopped reading stderr: the status of what happened (2 for bad input) all the same.

While `work` runs, argparse speaks Dutch (`dutch_argparse_texts`): its help says "gebruik:",
"argumenten:", "opties:" and "toon deze hulp en stop", whichever parser class a command uses.
`DutchArgumentParser` does the same for its own parsing and help, and words argparse's refusals
(`dutch_argparse_message`) and an unknown subcommand ("onbekende opdracht 'x'; kies uit: …").

Every layer's command line uses it (data/, kpi/ and dashboard/ may all import data/).
"""
from __future__ import annotations

import argparse
import datetime as dt
import errno
import os
import re
import socket
import sys
from contextlib import contextmanager, suppress
from typing import Callable, Iterator, Protocol, runtime_checkable

from data import collector

EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130


class CommandError(Exception):
    """A refusal or failure explained by its message alone; `code` is the exit status."""

    def __init__(self, message: str, code: int = EXIT_FAILURE) -> None:
        super().__init__(message)
        self.code = code


# argparse's own messages, in Dutch (argparse.ArgumentParser.error gets them in English)
_ARGPARSE_DUTCH = (
    (r"unrecognized arguments: (.*)", r"onbekende argumenten: \1"),
    (r"the following arguments are required: (.*)", r"deze argumenten ontbreken: \1"),
    (r"one of the arguments (.*) is required", r"geef een van deze argumenten: \1"),
    (r"ambiguous option: (\S+) could match (.*)", r"\1 is onduidelijk: dat kan \2 zijn"),
    (r"argument (.+?): ambiguous option: (\S+) could match (.*)", r"\2 is onduidelijk: dat kan \3 zijn"),
    (r"argument (.+?): expected one argument", r"\1 vraagt een waarde"),
    (r"argument (.+?): expected at most one argument", r"\1 vraagt hoogstens één waarde"),
    (r"argument (.+?): expected at least one argument", r"\1 vraagt ten minste één waarde"),
    (r"argument (.+?): expected 1 argument", r"\1 vraagt één waarde"),
    (r"argument (.+?): expected (\d+) arguments", r"\1 vraagt \2 waarden"),
    (r"argument (.+?): ignored explicit argument (.*)", r"\1 neemt geen waarde (gegeven: \2)"),
    (r"argument (.+?): invalid int value: (.*)", r"\1: ongeldig geheel getal \2"),
    (r"argument (.+?): invalid float value: (.*)", r"\1: ongeldig getal \2"),
    (r"argument (.+?): invalid \S+ value: (.*)", r"\1: ongeldige waarde \2"),
    (r"argument (.+?): invalid choice: (.*?) \(choose from (.*)\)", r"\1: ongeldige keuze \2; kies uit \3"),
    (r"argument (.+?): unknown parser (.*?) \(choices: (.*)\)", r"onbekende opdracht \2; kies uit: \3"),
    (r"argument (.+?): not allowed with argument (.+)", r"\1 gaat niet samen met \2"),
    (r"argument (.+?): can't open '(.*)': .*", r"\1: het bestand '\2' is niet te openen"),
    (r"argument (.+?): (.*)", r"\1: \2"),  # a type function's own (Dutch) message
)

# argparse's texts in its help and usage, in Dutch (the gettext message ids of Python 3.11–3.13)
_ARGPARSE_HELP_DUTCH = {
    "usage: ": "gebruik: ",
    "positional arguments": "argumenten",
    "options": "opties",
    "optional arguments": "opties",
    "show this help message and exit": "toon deze hulp en stop",
    "show program's version number and exit": "toon het versienummer en stop",
    "subcommands": "opdrachten",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fout: %(message)s\n",
    " (default: %(default)s)": " (standaard: %(default)s)",
}


def _dutch_gettext(message: str) -> str:
    # argparse's refusals stay English here: dutch_argparse_message words them whole
    return _ARGPARSE_HELP_DUTCH.get(message, message)


def _dutch_ngettext(singular: str, plural: str, n: int) -> str:
    return singular if n == 1 else plural


@contextmanager
def dutch_argparse_texts() -> Iterator[None]:
    """argparse's help texts in Dutch while the block runs: argparse looks its texts up through
    the module's `_` and `ngettext` (gettext) at the moment it needs them, so these are swapped
    for Dutch ones and put back afterwards. Nested use is fine."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = _dutch_gettext, _dutch_ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


def iso_date(raw: str, option: str, error: type[Exception]) -> dt.date:
    """A date as the command lines take it, JJJJ-MM-DD (exactly ten characters: Python also reads
    20250101), else `error` with the Dutch message for `--option`."""
    try:
        if len(raw) != 10:
            raise ValueError
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise error(f"--{option}: ongeldige datum {raw!r}; gebruik JJJJ-MM-DD") from None


# why a file could not be opened, read or written, in Dutch (the system's strerror is English)
_OS_REASONS = {
    errno.ENOENT: "het bestaat niet",
    errno.EACCES: "geen toegang: controleer de rechten",
    errno.EPERM: "geen toegang: controleer de rechten",
    errno.EISDIR: "het is een map, geen bestand",
    errno.ENOTDIR: "een deel van het pad is geen map",
    errno.EEXIST: "er staat al een bestand met die naam",
    errno.ENOSPC: "de schijf is vol",
    errno.EROFS: "het bestandssysteem is alleen-lezen",
    errno.ENAMETOOLONG: "de naam is te lang",
    errno.ELOOP: "te veel symbolische koppelingen",
    errno.EIO: "leesfout van het opslagmedium",
    # a connection (the mail server)
    errno.ECONNREFUSED: "de verbinding werd geweigerd",
    errno.ECONNRESET: "de verbinding werd verbroken",
    errno.EPIPE: "de verbinding werd verbroken",
    errno.ETIMEDOUT: "geen antwoord binnen de wachttijd",
    errno.EHOSTUNREACH: "de server is onbereikbaar",
    errno.ENETUNREACH: "het netwerk is onbereikbaar",
    socket.EAI_NONAME: "de naam van de server is onbekend",
    socket.EAI_AGAIN: "de naam van de server is nu niet op te zoeken",
}


def os_reason(exc: OSError) -> str:
    """Why a file operation failed, in Dutch (never the system's English strerror)."""
    return _OS_REASONS.get(exc.errno, f"systeemfout {exc.errno}" if exc.errno else "onbekende systeemfout")


def write_problem(path, exc: OSError) -> str:
    """Why a file could not be written, in Dutch, naming the folder when that is what is missing."""
    from pathlib import Path

    folder = Path(path).parent
    if exc.errno == errno.ENOENT and not folder.is_dir():
        return f"{path} kan niet worden geschreven: de map {folder} bestaat niet"
    return f"{path} kan niet worden geschreven ({os_reason(exc)})"


def url_argument(raw: str) -> str:
    """A command line's `--db` value. An empty one is refused: `--db "$DATABASE_URL"` with the
    variable unset would otherwise write to the embedded demonstration warehouse instead."""
    if not raw.strip():
        raise argparse.ArgumentTypeError("de database-URL is leeg; geef een URL of laat --db weg")
    return raw


def dutch_argparse_message(message: str) -> str:
    """argparse's message about a bad argument, in Dutch (unknown wording stays as it is)."""
    for pattern, dutch in _ARGPARSE_DUTCH:
        if match := re.fullmatch(pattern, message, re.DOTALL):
            return match.expand(dutch)
    return message


class DutchArgumentParser(argparse.ArgumentParser):
    """An argument parser that speaks Dutch: its help ("gebruik:", "argumenten:", "opties:"), an
    unknown subcommand ("onbekende opdracht 'x'; kies uit: …") and its refusals, one Dutch line
    `fout: …` on stderr, exit 2 (not argparse's English usage text). Its subparsers are of the same
    class. A subclass may override `error` (it gets the message in English: see
    `dutch_argparse_message`)."""

    def __init__(self, *args, **kwargs) -> None:
        with dutch_argparse_texts():  # the group titles and -h's help are set here
            super().__init__(*args, **kwargs)

    def parse_known_args(self, args=None, namespace=None):
        with dutch_argparse_texts():
            self._refuse_unknown_options_before_a_command(sys.argv[1:] if args is None else list(args))
            return super().parse_known_args(args, namespace)

    def _refuse_unknown_options_before_a_command(self, args: list[str]) -> None:
        """`python -m kpi --frob`: argparse says the command is missing, not what is wrong; with no
        command given, an option this parser does not know is the error to name."""
        commands = [a for a in self._actions if isinstance(a, argparse._SubParsersAction)]
        if not commands or any(arg in commands[0].choices for arg in args):
            return
        unknown = [arg for arg in args if arg.startswith("-") and arg.split("=", 1)[0] not in self._option_string_actions]
        if unknown:
            self.error(f"unrecognized arguments: {' '.join(unknown)}")

    def format_usage(self) -> str:
        with dutch_argparse_texts():
            return super().format_usage()

    def format_help(self) -> str:
        with dutch_argparse_texts():
            return super().format_help()

    def _check_value(self, action, value) -> None:
        if isinstance(action, argparse._SubParsersAction) and value not in action.choices:
            raise argparse.ArgumentError(
                None, f"onbekende opdracht {value!r}; kies uit: {', '.join(action.choices)}")
        super()._check_value(action, value)

    def error(self, message: str):
        self.exit(EXIT_BAD_INPUT, f"fout: {dutch_argparse_message(message)} (zie: {self.prog} --help)\n")


@runtime_checkable
class ReportsProblems(Protocol):
    """An error that is a list of problems, each on its own line (data.warehouse.loader.LoadError).
    It may also have `closing_lines()`: what is said after the problems (how many more there were,
    that nothing was written), on standard output, so that standard error holds the problem lines
    only (cli.md: "one line per problem `FILE:LINE: column: message`")."""

    def report_lines(self) -> list[str]: ...


def first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else ""


_SERVER_AT = re.compile(r'server at "([^"]+)"(?: \([^)]*\))?, port (\d+)')
_SERVER_ON = re.compile(r'on host "([^"]+)"(?: \([^)]*\))? and accepting\s+TCP/IP connections on port (\d+)')
_SOCKET = re.compile(r'server on socket "([^"]+)"')
_UNKNOWN_HOST = re.compile(r"""(?:failed to resolve host|could not translate host name) ['"]([^'"]+)['"]""")
_NO_DATABASE = re.compile(r'database "([^"]+)" does not exist')
# where the database's address is set: the app reads DATABASE_URL, a command line --db or DATABASE_URL
APP_SETTING = "DATABASE_URL"
COMMAND_LINE_SETTING = "--db of DATABASE_URL"


def database_problem(exc: BaseException, setting: str = APP_SETTING) -> str:
    """A database that cannot be used (SQLAlchemy's OperationalError), in Dutch only: where it
    was looked for and what to check (`setting`: where its address is set). The driver's own text
    (English) is read, never shown."""
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc)
    lowered = text.lower()
    if type(orig).__module__.partition(".")[0] == "sqlite3":
        if "unable to open" in lowered:
            return (f"het databasebestand is niet te openen: controleer {setting} en of de map "
                    "bestaat en beschrijfbaar is")
        if "locked" in lowered:
            return "de database is bezet door een ander proces; probeer het zo opnieuw"
        if "readonly" in lowered or "read-only" in lowered:
            return "het databasebestand is alleen-lezen; controleer de rechten"
        if "not a database" in lowered:
            return f"dit bestand is geen SQLite-database: controleer {setting}"
        if "integer overflow" in lowered:  # a sum beyond 64 bits: the data, not the file
            return ("een som is te groot voor de database: controleer de gegevens op een bedrag of "
                    "aantal dat veel te groot is")
        return f"het databasebestand is niet te gebruiken: controleer {setting}"
    if host := _UNKNOWN_HOST.search(text):
        return f"de database is niet bereikbaar (onbekende server {host.group(1)!r}): controleer {setting}"
    if place := (_SERVER_AT.search(text) or _SERVER_ON.search(text)):
        where = f"{place.group(1)}, poort {place.group(2)}"
    elif socket := _SOCKET.search(text):
        where = f"socket {socket.group(1)}"
    elif isinstance(orig, ConnectionRefusedError) or "refused" in lowered:
        where = "verbinding geweigerd"
    elif isinstance(orig, TimeoutError) or "timeout" in lowered or "timed out" in lowered:
        where = "geen antwoord"
    else:
        where = "geen verbinding"
    if "password" in lowered or ("role" in lowered and "does not exist" in lowered):
        return (f"de database is niet bereikbaar ({where}): de aanmelding is geweigerd; controleer "
                f"de gebruikersnaam en het wachtwoord in {setting}")
    if name := _NO_DATABASE.search(text):
        return (f"de database is niet bereikbaar ({where}): de database {name.group(1)!r} bestaat daar niet; "
                f"controleer {setting}")
    return f"de database is niet bereikbaar ({where}): controleer {setting} en of de database draait"


def describe(exc: BaseException, setting: str = APP_SETTING) -> str:
    """An unexpected error in one line: its kind and the first line of its message; a database
    that cannot be used in Dutch words (`database_problem`)."""
    from sqlalchemy.exc import DatabaseError, OperationalError

    if isinstance(exc, OperationalError) or (
            isinstance(exc, DatabaseError) and "not a database" in str(getattr(exc, "orig", ""))):
        return database_problem(exc, setting)  # SQLite says a file that is no database in a DatabaseError
    if isinstance(exc, OSError) and exc.errno in _OS_REASONS:  # e.g. the output to a full disk
        return f"{exc.filename}: {os_reason(exc)}" if exc.filename else f"lezen of schrijven mislukt: {os_reason(exc)}"
    return f"{type(exc).__name__}: {first_line(exc)}"


def describe_on_command_line(exc: BaseException) -> str:
    """`describe` for a command line, where the database's address is --db or DATABASE_URL."""
    return describe(exc, COMMAND_LINE_SETTING)


def _quiet_if_reader_left() -> bool:
    """Whether stdout is a pipe whose reader has gone (`… | head`); if so, stdout goes to
    /dev/null from here on, so that the output still buffered ends there instead of in an English
    "Exception ignored … BrokenPipeError" as the interpreter stops. Like any Unix tool whose
    reader stopped reading, the command then ends without a word."""
    import select

    try:
        fileno = sys.stdout.fileno()
        poller = select.poll()
        poller.register(fileno, select.POLLOUT)
        if not any(events & select.POLLERR for _fd, events in poller.poll(0)):
            return False
        _to_devnull(fileno)
        return True
    except (OSError, ValueError, AttributeError):  # no real stdout (captured, closed): nothing to quiet
        return False


def _say(*lines: str) -> None:
    """The lines on stderr. If nobody reads stderr any more (`2>&1 | head -1`), the rest goes to
    /dev/null and the command still ends with the status its outcome deserves (2 for bad input)."""
    try:
        for line in lines:
            print(line, file=sys.stderr)
        sys.stderr.flush()
    except BrokenPipeError:
        with suppress(OSError, ValueError):
            _to_devnull(sys.stderr.fileno())


def _tell(*lines: str) -> None:
    """The lines on stdout; a reader that went away is no failure of the command (as in _say)."""
    try:
        for line in lines:
            print(line)
        sys.stdout.flush()
    except BrokenPipeError:
        with suppress(OSError, ValueError):
            _to_devnull(sys.stdout.fileno())


def _to_devnull(fileno: int) -> None:
    """What is written to `fileno` from here on goes to /dev/null."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fileno)
    os.close(devnull)


def run_command(work: Callable[[], int], *, bad_input: tuple[type[BaseException], ...] = (),
                unexpected: Callable[[BaseException], str] = describe_on_command_line) -> int:
    """Run a command line's work; see the module docstring. `unexpected(exc)` words an error
    nobody expected (after 'fout: ')."""
    collector.tune()
    try:
        with dutch_argparse_texts():
            code = work()
        sys.stdout.flush()  # a reader that went away is found here, not in the interpreter's last flush
        return code
    except SystemExit:
        _quiet_if_reader_left()
        raise
    except BrokenPipeError as exc:
        if not _quiet_if_reader_left():  # another pipe (a mail server's socket): said as any failure
            _say(f"fout: {unexpected(exc)}")
        return EXIT_FAILURE
    except KeyboardInterrupt:
        _say("afgebroken")
        return EXIT_INTERRUPTED
    except CommandError as exc:
        _say(f"fout: {exc}")
        return exc.code
    except Exception as exc:  # noqa: BLE001 - the contract: one line, never a traceback
        if isinstance(exc, ReportsProblems):
            _say(*exc.report_lines())
            if callable(closing := getattr(exc, "closing_lines", None)):
                _tell(*closing())
            return EXIT_BAD_INPUT
        if isinstance(exc, bad_input):
            _say(f"fout: {dutch_argparse_message(str(exc))}")
            return EXIT_BAD_INPUT
        _say(f"fout: {unexpected(exc)}")
        return EXIT_FAILURE
