"""What a process of the dashboard loads when it starts: Dash without its notebook support."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from tests import warm_python

ROOT = Path(__file__).resolve().parent.parent
NO_IPYTHON = "IPython is not installed here, so Dash cannot load it anyway"


def _python(code: str) -> str:
    done = warm_python.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip()


@pytest.mark.skipif(importlib.util.find_spec("IPython") is None, reason=NO_IPYTHON)
@pytest.mark.parametrize("entry", ["app", "dashboard.exports.report_pdf"])
def test_a_start_does_not_load_ipython(entry):
    """Dash loads IPython whenever it is installed (0.3 s of every start; dashboard/__init__.py)."""
    assert _python(f"import sys, {entry}, dash; print(sys.modules.get('IPython') is None)") == "True"


@pytest.mark.skipif(importlib.util.find_spec("IPython") is None, reason=NO_IPYTHON)
def test_inside_a_notebook_ipython_is_left_as_it_was():
    assert _python("import sys, IPython, app; print(sys.modules['IPython'] is IPython)") == "True"
