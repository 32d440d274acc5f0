"""How wide a line of text is in the slides' font, from real glyph widths.

The slides use Arial: present on every Office machine, and on Linux LibreOffice and Chromium map
it to Liberation Sans, which has the same advance width for every glyph. The widths (1/1000 em)
were read from Liberation Sans 2.1 (regular and bold) with fontTools — `python -m
dashboard.exports.text_metrics DIR` writes them again from DIR/LiberationSans-{Regular,Bold}.ttf — and
kept in `text_metrics_arial.json`, so the server needs no font file. A character Arial lacks
(the status marks ✔ ✖) falls back to another font; it counts as a full em, wider than any
fallback's glyph, so a line never comes out longer than measured.
"""
from __future__ import annotations

import functools
import json
import math
import re
from pathlib import Path

DATA = Path(__file__).with_name("text_metrics_arial.json")
MISSING = 1000          # a glyph Arial has not: one em
POINTS_PER_INCH = 72
# The code points written to the data file: Latin-1 and Latin Extended-A (Dutch and neighbouring
# names), general punctuation, the euro sign, arrows and the geometric shapes of the status marks.
RANGES = ((0x20, 0x7E), (0xA0, 0x17F), (0x2010, 0x2044), (0x20AC, 0x20AC), (0x2190, 0x2193),
          (0x2212, 0x2212), (0x2264, 0x2265), (0x25A0, 0x25CF))


@functools.cache
def _widths() -> dict[bool, dict[str, int]]:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    return {False: {chr(int(k)): v for k, v in data["regular"].items()},
            True: {chr(int(k)): v for k, v in data["bold"].items()}}


def em_width(text: str, bold: bool = False) -> float:
    """The advance width of `text` in em."""
    table = _widths()[bold]
    return sum(table.get(ch, MISSING) for ch in text) / 1000


def width_in(text: str, size_pt: float, bold: bool = False) -> float:
    """The width of one line of `text` at `size_pt` points, in inches."""
    return em_width(text, bold) * size_pt / POINTS_PER_INCH


def words(text: str) -> list[str]:
    """`text` split where a line may break: at spaces, not at a no-break space ("€\u00a0-484"),
    where no renderer breaks either."""
    return [word for word in re.split(r"[ \t\n\r]+", text) if word]


def widest_word_in(text: str, size_pt: float, bold: bool = False) -> float:
    """The widest word: the narrowest a box can be without breaking a word."""
    return max((width_in(word, size_pt, bold) for word in words(text)), default=0.0)


def wrap(text: str, width: float, size_pt: float, bold: bool = False) -> list[str] | None:
    """`text` broken into lines at spaces so each fits `width` inches, the way PowerPoint, LibreOffice
    and a browser break a line (greedily); None when a single word is wider than `width` (it would
    be broken mid-word)."""
    if widest_word_in(text, size_pt, bold) > width:
        return None
    lines: list[str] = []
    for word in words(text):
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and width_in(candidate, size_pt, bold) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines or [""]


def line_count(text: str, width: float, size_pt: float, bold: bool = False) -> int | None:
    lines = wrap(text, width, size_pt, bold)
    return None if lines is None else len(lines)


def generate(folder: Path) -> dict:
    """The widths of the Liberation Sans files in `folder`, as stored in the data file."""
    from fontTools.ttLib import TTFont

    out = {}
    for weight, name in (("regular", "Regular"), ("bold", "Bold")):
        font = TTFont(folder / f"LiberationSans-{name}.ttf")
        cmap, metrics, units = font.getBestCmap(), font["hmtx"], font["head"].unitsPerEm
        out[weight] = {str(code): math.ceil(metrics[cmap[code]][0] * 1000 / units)
                       for start, stop in RANGES for code in range(start, stop + 1) if code in cmap}
    return out


if __name__ == "__main__":
    import sys

    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/truetype/liberation")
    DATA.write_text(json.dumps(generate(folder), separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{DATA} geschreven")
