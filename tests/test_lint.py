"""The code passes the linter: `python -m ruff check .` (rules in ruff.toml) finds nothing, so the
README's test command lints as well."""
from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_finds_nothing():
    if importlib.util.find_spec("ruff") is None:
        pytest.skip("ruff is not installed (pip install -r requirements-dev.txt)")
    # --no-cache: a test run leaves no .ruff_cache in the checkout
    found = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "."], cwd=ROOT,
                           capture_output=True, text=True, timeout=300)
    if found.returncode != 0:
        pytest.fail(f"ruff reports:\n{found.stdout}{found.stderr}", pytrace=False)
