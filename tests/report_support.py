"""The demonstration report as the report tests read it: built once per test run and year (a
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

    def remove():
        engine.dispose()
        shutil.rmtree(folder, ignore_errors=True)

    atexit.register(remove)
    return engine


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
