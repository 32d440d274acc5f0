"""A command line's main function run in this process, as a CompletedProcess: its parser, commands
and error handling without the second of Python start-up a real `python -m …` costs. Each test
module keeps at least one run of the real entry point in a process of its own."""
from __future__ import annotations

import io
import os
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from unittest import mock


def run_main(main, argv: list[str], stdin: str | None = None,
             env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`main(argv)` with stdin given, stdout and stderr caught, DATABASE_URL unset (as the tests'
    processes run it) unless `env` (variables set for the call) gives it; the exit code argparse
    raises is returned like any other."""
    out, err = io.StringIO(), io.StringIO()
    environ = {**{k: v for k, v in os.environ.items() if k != "DATABASE_URL"}, **(env or {})}
    with mock.patch.dict(os.environ, environ, clear=True), mock.patch.object(sys, "stdin", io.StringIO(stdin or "")), \
            redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:
            code = exc.code
    assert "Traceback" not in out.getvalue() + err.getvalue(), err.getvalue()
    return subprocess.CompletedProcess(argv, code, out.getvalue(), err.getvalue())
