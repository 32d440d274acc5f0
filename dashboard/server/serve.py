"""The production start: `python -m dashboard.server.serve` runs gunicorn with gunicorn.conf.py and
the app (`app:create_server()`), in the project's folder; extra arguments go to gunicorn.

gunicorn reads WEB_CONCURRENCY itself with int() while it is being imported, before any setting
file of ours runs: a value that is no number at all (or empty) ends there in gunicorn's own
traceback. This start reads it first, the way gunicorn.conf.py reads every other setting, and
stops with one Dutch line and exit code 2 instead. The extra arguments are checked the same way,
with gunicorn's own parser and checks, before gunicorn starts: otherwise an unknown or wrong option
ends in gunicorn's English usage line, its "Error: …" or a traceback.
"""
from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from dashboard.server.switches import LOG_LEVELS, SettingValueError, web_concurrency

ROOT = Path(__file__).resolve().parents[2]
APP = "app:create_server()"
HELP = "zie `gunicorn --help` voor de opties"


def gunicorn_argv(extra: list[str]) -> list[str]:
    return ["gunicorn", "--chdir", str(ROOT), "-c", str(ROOT / "gunicorn.conf.py"), *extra, APP]


class _RefusedOptions(Exception):
    """argparse's error, raised instead of its English usage line and exit."""


def _refuse(message: str):
    raise _RefusedOptions(message)


# argparse's messages (English) and what they say in Dutch
_ARGPARSE_MESSAGES = [
    (r"unrecognized arguments: (.*)", "gunicorn kent {0} niet"),
    (r"ambiguous option: (\S+) could match (.*)", "optie {0} is niet eenduidig: bedoelt u {1}?"),
    (r"argument (\S+): expected one argument", "optie {0} mist een waarde"),
    (r"argument (\S+): invalid \w+ value: (.*)", "optie {0}: {1} is geen geldige waarde"),
    (r"argument (\S+): invalid choice: (\S+).*", "optie {0}: {1} is geen van de mogelijke waarden"),
]


def _in_dutch(argparse_message: str) -> str:
    for pattern, dutch in _ARGPARSE_MESSAGES:
        match = re.fullmatch(pattern, argparse_message)
        if match:
            return dutch.format(*match.groups()) + f"; {HELP}"
    return f"de opties voor gunicorn kloppen niet; {HELP}"


def option_problem(extra: list[str]) -> str | None:
    """What is wrong with the extra arguments for gunicorn, in one Dutch line, or None: read by
    gunicorn's own parser, then each given value through gunicorn's own check, and the worker class
    loaded, as gunicorn would do after its start."""
    from gunicorn.config import Config

    config = Config()
    parser = config.parser()
    parser.error = _refuse  # argparse would print its English usage and exit
    try:
        parsed = parser.parse_args(gunicorn_argv(extra)[1:])
    except _RefusedOptions as exc:
        return _in_dutch(str(exc))
    if parsed.args != [APP]:
        # an option without its value took the app's place, or something followed the options
        return f"de opties voor gunicorn kloppen niet (mist een optie haar waarde?); {HELP}"
    for name, value in vars(parsed).items():
        if name == "args" or value is None:
            continue
        try:
            config.set(name.lower(), value)
        except (TypeError, ValueError):
            flags = "/".join(config.settings[name.lower()].cli or [name])
            return f"optie {flags}: {value!r} is geen geldige waarde; {HELP}"
    if parsed.loglevel is not None and parsed.loglevel.lower() not in LOG_LEVELS:
        return f"optie --log-level: {parsed.loglevel!r}: kies {', '.join(LOG_LEVELS)}"
    try:
        config.worker_class  # noqa: B018 - loading it is the check
    except Exception:  # gunicorn raises ImportError or RuntimeError, depending on the name
        return f"optie -k/--worker-class: {config.settings['worker_class'].get()!r} is geen worker van gunicorn; {HELP}"
    return None


def main(argv: list[str] | None = None) -> None:
    try:
        web_concurrency(os.environ.get("WEB_CONCURRENCY"))
    except SettingValueError as exc:
        print(f"fout: {exc}", file=sys.stderr, flush=True)
        raise SystemExit(2) from None
    if not os.environ.get("WEB_CONCURRENCY", "x").strip():
        del os.environ["WEB_CONCURRENCY"]  # empty means "not set" here too; gunicorn's int() would fail
    extra = sys.argv[1:] if argv is None else argv
    if not {"-h", "--help", "-v", "--version"} & set(extra):  # asked for: gunicorn's own text
        problem = option_problem(extra)
        if problem:
            print(f"fout: {problem}", file=sys.stderr, flush=True)
            raise SystemExit(2)
    sys.argv = gunicorn_argv(extra)
    from gunicorn.app.wsgiapp import run

    run()


if __name__ == "__main__":
    main()
