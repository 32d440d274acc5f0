"""data/collector.py: every process of the product collects its youngest generation less often."""
from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

from data import collector

ROOT = Path(__file__).resolve().parent.parent


def test_tune_sets_the_youngest_threshold_and_keeps_the_others():
    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 11, 12)
        collector.tune()
        assert gc.get_threshold() == (collector.YOUNGEST_GENERATION_THRESHOLD, 11, 12)
    finally:
        gc.set_threshold(*before)


def test_a_command_line_runs_with_the_tuned_collector():
    probe = ("import gc, sys\n"
             "from data.cli_errors import run_command\n"
             f"sys.exit(run_command(lambda: 0 if gc.get_threshold()[0] == {collector.YOUNGEST_GENERATION_THRESHOLD} else 1))\n")
    assert subprocess.run([sys.executable, "-c", probe], cwd=ROOT).returncode == 0
