"""MIN_CELL_SIZE and AFRONDING are checked at start: an invalid value stops the app, gunicorn and
every command line with one Dutch line (exit 2), never a traceback or a broken first page."""
import os
import sys
from pathlib import Path

import pytest

from kpi.settings import SettingError, check_disclosure_settings
from tests import warm_python

ROOT = Path(__file__).resolve().parent.parent
BAD = ["abc", "0", "-3", "²", "1.5", " 10 0", "9" * 5000, "1000001"]


@pytest.mark.parametrize("name", ["MIN_CELL_SIZE", "AFRONDING"])
@pytest.mark.parametrize("value", BAD)
def test_invalid_values_are_refused_with_a_dutch_message(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingError) as caught:
        check_disclosure_settings()
    message = str(caught.value)
    assert message.startswith(name) and "geheel getal" in message and len(message) < 200


def test_valid_values_and_the_defaults(monkeypatch):
    monkeypatch.delenv("MIN_CELL_SIZE", raising=False)
    monkeypatch.delenv("AFRONDING", raising=False)
    assert check_disclosure_settings() == (10, 5)
    monkeypatch.setenv("MIN_CELL_SIZE", " 15 ")
    monkeypatch.setenv("AFRONDING", "1")
    assert check_disclosure_settings() == (15, 1)


def _run(cmd, **env):
    proc = warm_python.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=60,
                           env={**os.environ, "DATABASE_URL": "sqlite:////nonexistent/never-opened.db", **env})
    return proc


@pytest.mark.parametrize("cmd", [
    [sys.executable, "app.py"],
    [sys.executable, "-m", "kpi", "list"],
    [sys.executable, "-m", "kpi", "show", "instroom", "--jaar", "2025"],
    [sys.executable, "-m", "dashboard.exports.report_pdf", "--jaar", "2025", "--uit", "/tmp/nooit.pdf"],
    [sys.executable, "-m", "dashboard.exports.slides_pptx", "--jaar", "2025", "--uit", "/tmp/nooit.pptx"],
    [sys.executable, "-m", "dashboard.server.serve", "-b", "127.0.0.1:0"],
], ids=["app", "kpi-list", "kpi-show", "report", "pptx", "gunicorn"])
def test_every_entry_point_stops_with_one_line(cmd):
    proc = _run(cmd, MIN_CELL_SIZE="abc")
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("fout:")]
    assert errors == ["fout: MIN_CELL_SIZE (de drempel voor kleine aantallen) moet een geheel getal van 1 tot "
                      "en met 1.000.000 zijn, niet 'abc'"]
