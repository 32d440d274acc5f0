"""The demonstration report as the report tests read it, as the raad gets it after the app's first
start (the demonstration data and the replayed reporting): built once per test run and year (a
build takes seconds; test_report_layout and test_report_tags may run in different xdist workers),
on a SQLite warehouse of its own holding the demonstration data."""
from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

MM = 72 / 25.4  # PDF points per millimetre
A4_WIDTH = 210 * MM
LEFT_MARGIN, RIGHT_MARGIN = 20 * MM, 18 * MM  # rapport.css @page (the cover's are wider)


@lru_cache(maxsize=1)
def demo_engine():
    from data.db import make_engine
    from tests.demo_files import demo_copy

    folder = Path(tempfile.mkdtemp(prefix="rapport-"))
    engine = make_engine(demo_copy(folder / "demo.db"))
    play_demo_programme(engine)

    def remove():
        engine.dispose()
        shutil.rmtree(folder, ignore_errors=True)

    atexit.register(remove)
    return engine


def play_demo_programme(engine) -> None:
    """The reporting the app's first start replays (data.bootstrap.ensure_warehouse): statuses and
    toelichtingen, vastgestelde manual realisaties, a moved target ("600 dagen (was 507 dagen)").
    Without it the report would show none of them, and its tests would not see what the raad sees."""
    from data.accounts.users import add_user
    from data.programme.demo_programme import play

    add_user(engine, "programmamanager", "Programmamanager Jeugd (demo)", "programmamanager",
             "wachtwoord-123456", door="test")
    assert play(engine)


@lru_cache(maxsize=4)
def demo_report(jaar: int) -> bytes:
    """The report of `jaar` as the raad gets it (vastgestelde figures only), charts included.
    Built once per test run: the first process to need it leaves the PDF in the run's folder
    (tests.conftest.RunTemplates), and the other xdist workers read it from there."""
    from tests.conftest import run_templates

    templates = run_templates()
    path = templates.folder / f"rapport_demo_{jaar}.pdf"

    def build() -> dict:
        path.write_bytes(build_demo_report(jaar))
        return {}

    templates.note("rapport", f"demo_{jaar}", build)  # the note appears after the PDF is written
    return path.read_bytes()


def build_demo_report(jaar: int) -> bytes:
    from dashboard.exports.report_pdf import report_pdf
    from dashboard.programme.progress import read_programme
    from kpi.service import KpiService

    engine = demo_engine()
    return report_pdf(KpiService(engine), read_programme(engine, vastgesteld_only=True), jaar)
