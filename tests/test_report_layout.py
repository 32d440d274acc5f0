"""The report keeps everything inside the page's content box (issue 15): no word, table or header
band runs into the side margins, long names wrap and amounts do not. Checked on the demonstration
report of 2025 (every status) and of 2020 (before the programme: the longest status,
"buiten programmaperiode"), with poppler's pdftotext and pdftoppm."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.report_support import A4_WIDTH, LEFT_MARGIN, RIGHT_MARGIN, demo_report

YEARS = (2025, 2020)
TOLERANCE = 0.5  # pt: rounding of the coordinates pdftotext prints


def require(tool: str) -> None:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed (apt-get install -y poppler-utils; .ci/run does this)")


def words(pdf: bytes, folder: Path) -> list[tuple[int, float, float, float, str]]:
    """(page, xMin, yMin, xMax, text) of every word, in the order pdftotext reads them."""
    return [found[:4] + found[5:] for found in boxes(pdf, folder)]


def boxes(pdf: bytes, folder: Path) -> list[tuple[int, float, float, float, float, str]]:
    """(page, xMin, yMin, xMax, yMax, text) of every word, in the order pdftotext reads them."""
    require("pdftotext")
    path = folder / "rapport.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True,
                         check=True, timeout=120).stdout
    found = []
    for number, page in enumerate(out.split("<page ")[1:], 1):
        for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                             r'([^<]*)</word>', page):
            found.append((number, float(m[1]), float(m[2]), float(m[3]), float(m[4]), m[5]))
    return found


@pytest.fixture(scope="module")
def report_boxes(tmp_path_factory):
    """boxes(demo_report(jaar)), read once per year for the module's tests."""
    found = {}

    def of(jaar: int) -> list[tuple[int, float, float, float, float, str]]:
        if jaar not in found:
            found[jaar] = boxes(demo_report(jaar), tmp_path_factory.mktemp(f"woorden{jaar}"))
        return found[jaar]
    return of


@pytest.fixture(scope="module")
def report_words(report_boxes):
    """words(demo_report(jaar)), read once per year for the module's tests."""
    return lambda jaar: [box[:4] + box[5:] for box in report_boxes(jaar)]


@pytest.mark.parametrize("jaar", YEARS)
def test_no_word_runs_into_the_side_margins(jaar, report_words):
    found = report_words(jaar)
    assert len(found) > 3000
    right = A4_WIDTH - RIGHT_MARGIN
    outside = [(page, text, round(x1), round(x2)) for page, x1, _, x2, text in found
               if x2 > right + TOLERANCE or x1 < LEFT_MARGIN - TOLERANCE]
    assert outside == [], f"words beyond the margins (page, word, x from, x to; right edge {right:.0f} pt)"


@pytest.mark.parametrize("jaar", YEARS)
def test_nothing_is_drawn_in_the_side_margins(jaar, tmp_path):
    """Table rules and header bands are not text: look at the rendered pages themselves."""
    require("pdftoppm")
    dpi = 36
    path = tmp_path / "rapport.pdf"
    path.write_bytes(demo_report(jaar))
    subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), str(path), str(tmp_path / "p")], check=True,
                   timeout=120)
    pages = sorted(tmp_path.glob("p-*.pgm"))
    assert len(pages) >= 15
    # one pixel of slack on each side for anti-aliasing at the content box's edge
    left = int(LEFT_MARGIN / 72 * dpi) - 1
    right = int((A4_WIDTH - RIGHT_MARGIN) / 72 * dpi) + 2
    inked = {}
    for page in pages:
        magic, width, height, _, pixels = page.read_bytes().split(maxsplit=4)
        assert magic == b"P5"
        width, height = int(width), int(height)
        columns = [x for x in range(width) if x < left or x >= right
                   if any(pixels[y * width + x] < 245 for y in range(height))]
        if columns:
            inked[page.name] = (min(columns), max(columns))
    assert inked == {}, f"pages with ink in the side margins (pixel columns; content box {left}–{right})"


@pytest.mark.parametrize("jaar", YEARS)
def test_no_word_is_printed_over_another(jaar, report_boxes):
    """A text too wide for its cell runs into the next one: a moved target's "600 dagen (was 507
    dagen)" over 2027's "496 dagen" made both unreadable. No two words share any ink."""
    pages: dict[int, list] = {}
    for box in report_boxes(jaar):
        pages.setdefault(box[0], []).append(box)
    overlapping = []
    for page, found in pages.items():
        found.sort(key=lambda box: box[1])  # by xMin: stop looking once a word starts right of this one
        for i, (_, _x1, y1, x2, y2, text) in enumerate(found):
            for _, u1, v1, _u2, v2, other in found[i + 1:]:
                if u1 >= x2 - TOLERANCE:
                    break
                if min(y2, v2) - max(y1, v1) > TOLERANCE:
                    overlapping.append((page, text, other))
    assert overlapping == [], "words printed over each other (page, word, word)"


def test_amounts_never_break_after_the_euro_sign(report_words):
    found = report_words(2025)
    euros = [i for i, w in enumerate(found) if w[4] == "€"]
    assert len(euros) > 20
    for i in euros:
        page, _, y, _, _ = found[i]
        following = found[i + 1]
        assert following[0] == page and abs(following[2] - y) < 1, (found[i - 2:i + 2])
        # an amount, or a change with its sign ("€ +185.054"), perhaps closing a clause ("€ -484.187,")
        assert re.fullmatch(r"[-+]?\d{1,3}(\.\d{3})*(,\d+)?[,.]?", following[4]), following


def test_t_m_never_breaks_after_its_slash(tmp_path):
    """A running year's change, "20 dagen hoger dan t/m september 2025", in the narrow last column
    of the summary: a line may break after a slash, and "t/" ending a line reads as a typo. The
    table is set at many widths, so that somewhere the line would end right after "t/"."""
    from dashboard.exports.report_content import AxisSummary, KpiLine
    from dashboard.exports.report_pdf import axis_table, html_to_pdf

    line = KpiLine("gem_trajectduur", "Gemiddelde trajectduur (dagen)", "383 dagen", "375 dagen", "Achter",
                   "achter", "20 dagen hoger dan t/m september 2025 (ongunstig)")
    table = axis_table(AxisSummary("Kwaliteit", (line,)), 2026, (2026, "t/m september"))
    widths = range(100, 181, 2)  # mm
    body = "".join(f'<div style="width: {w}mm">{table}</div>' for w in widths)
    found = [w[4] for w in words(html_to_pdf(f'<!DOCTYPE html><html lang="nl"><head><title>t</title></head>'
                                             f'<body>{body}</body></html>'), tmp_path)]
    assert found.count("t/m") == 3 * len(widths)  # the two column heads and the cell, each whole
    assert [w for w in found if w.endswith("t/")] == []
