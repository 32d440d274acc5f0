"""Charts of the PDF report: one SVG per strategische lijn, a small panel per indicator with the
realisatie (solid line) against the planned path from nulmeting to streefwaarden (dashed, diamonds).

Drawn here as plain SVG from the report model, in milliseconds. Until issue 15 plotly drew them
through kaleido and the system's Chromium: about 5 s of every report (building the figures, starting
a browser) and a browser on the server, for a few lines and dots. The look follows that chart and
the dashboard: the theme's colours, Dutch numbers (kpi.format), the report's local fonts. A
suppressed year has no point; it reads `<10` at the foot of its panel, as in the table. The year the
data end in says how far they reach under its year on the axis ("2026" over "(t/m september)"), as
the screens' axis reads "2026 (t/m september)", and its value is an open dot off the line, so a
low point there is not read as a whole year's.
"""
from __future__ import annotations

import math
import textwrap
from html import escape

from dashboard.exports.chart_axis import nice_ticks, tick_label
from dashboard.exports.report_content import IndicatorLine, LijnSection
from dashboard.exports.text_metrics import em_width
from dashboard.ui import theme
from kpi import format as fmt

COLUMNS = 3
WIDTH = 760            # px of the viewBox; the PDF scales it to the text width (17 cm): 12 px ≈ 7.7 pt
PANEL_WIDTH = WIDTH / COLUMNS
PANEL_HEIGHT = 178
LEGEND_HEIGHT = 34
TITLE_HEIGHT = 46      # two lines of the panel's title
PAD_LEFT, PAD_RIGHT, PAD_BOTTOM = 58, 14, 24   # room for the y labels, the edge, the years
PARTIAL_LINE = 13      # the second line under a year whose data are not complete: "(t/m september)"
REALISATIE = theme.PRIMARY
STREEF = theme.TARGET
GRID = "#dfe3e8"
AXIS = "#9aa5b1"
TEXT = "#212529"
MUTED = "#5a6570"
FONT = "Liberation Sans, DejaVu Sans, sans-serif"  # local fonts only


def scale_of(ind: IndicatorLine) -> float:
    """Large amounts are drawn in millions, so the axis reads "€ 15 mln" and the labels stay short."""
    values = [v for v in list(ind.realisaties.values()) + list(ind.streefwaarden.values()) if v is not None]
    return fmt.MILLION if fmt.in_millions(ind.eenheid, values) else 1.0


def _text(x: float, y: float, content: str, size: int, anchor: str = "start", fill: str = TEXT,
          weight: str = "normal") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{fill}"'
            + (f' font-weight="{weight}"' if weight != "normal" else "") + f'>{escape(content)}</text>')


def _diamond(x: float, y: float, r: float = 4.5) -> str:
    return (f'<polygon points="{x:.1f},{y - r:.1f} {x + r:.1f},{y:.1f} {x:.1f},{y + r:.1f} '
            f'{x - r:.1f},{y:.1f}" fill="{STREEF}"/>')


def _dot(x: float, y: float) -> str:
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.8" fill="{REALISATIE}"/>'


def _open_dot(x: float, y: float) -> str:
    """The running year's value: not a whole year, so not on the line (as on the screens)."""
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.2" fill="white" stroke="{REALISATIE}" stroke-width="2.2"/>'


def _line(points: list[tuple[float, float]], colour: str, width: float, dashed: bool) -> str:
    if len(points) < 2:
        return ""
    dash = ' stroke-dasharray="6 4"' if dashed else ""
    coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    return (f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="{width}"'
            f' stroke-linejoin="round"{dash}/>')


def _runs(years: list[int]) -> list[list[int]]:
    """Consecutive years together: a line never bridges a year without a value."""
    runs: list[list[int]] = []
    for year in years:
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return runs


def panel(ind: IndicatorLine, left: float, top: float, threshold: int, years: range,
          partial: dict[int, str] | None = None) -> str:
    """One indicator's panel, its top-left corner at (left, top), over the plan's `years`;
    `partial`: the years whose data are not complete ({2026: "t/m september"}, the section's, so
    every panel of a lijn has the same axis), said on a second line under the year."""
    partial = {y: text for y, text in (partial or {}).items() if y in years}
    scale = scale_of(ind)
    path = dict(ind.streefwaarden)
    if ind.nulmeting:
        path[ind.nulmeting[0]] = ind.nulmeting[1]
    path = {y: v / scale for y, v in sorted(path.items()) if y in years}
    known = {y: v / scale for y, v in sorted(ind.realisaties.items())
             if v is not None and y in years}
    values = list(path.values()) + list(known.values())
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    if ind.eenheid != "cijfer":  # amounts, counts and shares start at zero, as on the dashboard
        low, high = min(low, 0.0), max(high, 0.0)
    ticks = nice_ticks(low, high)
    step = ticks[1] - ticks[0]

    x0, x1 = left + PAD_LEFT, left + PANEL_WIDTH - PAD_RIGHT
    # plot area: y0 top, y1 bottom
    y0, y1 = top + TITLE_HEIGHT, top + PANEL_HEIGHT - PAD_BOTTOM - (PARTIAL_LINE if partial else 0)
    slot = (x1 - x0) / len(years)

    def x(year: int) -> float:
        return x0 + (year - years.start + 0.5) * slot

    def y(value: float) -> float:
        return y1 - (value - ticks[0]) / (ticks[-1] - ticks[0]) * (y1 - y0)

    title = textwrap.wrap(ind.naam, 36)
    if len(title) > 2:
        title = [title[0], textwrap.shorten(" ".join(title[1:]), 36, placeholder=" …")]
    parts = [_text(left + PANEL_WIDTH / 2, top + 13 + 15 * i, line, 13, "middle")
             for i, line in enumerate(title)]
    for tick in ticks:
        parts.append(f'<line x1="{x0:.1f}" y1="{y(tick):.1f}" x2="{x1:.1f}" y2="{y(tick):.1f}" '
                     f'stroke="{AXIS if tick == ticks[0] else GRID}" stroke-width="1"/>')
        parts.append(_text(x0 - 6, y(tick) + 4, tick_label(tick, ind.eenheid, scale, step), 12, "end", MUTED))
    for year in years:
        parts.append(_text(x(year), y1 + 17, str(year), 12, "middle", MUTED))
        if year in partial:  # wider than the year's slot: kept inside the panel
            note = f"({partial[year]})"
            half = em_width(note) * 11 / 2
            centre = min(max(x(year), left + 2 + half), left + PANEL_WIDTH - 2 - half)
            parts.append(_text(centre, y1 + 17 + PARTIAL_LINE, note, 11, "middle", MUTED))
    parts.append(_line([(x(yr), y(v)) for yr, v in path.items()], STREEF, 1.6, dashed=True))
    parts += [_diamond(x(yr), y(v)) for yr, v in path.items()]
    for run in _runs([yr for yr in known if yr not in partial]):
        parts.append(_line([(x(yr), y(known[yr])) for yr in run], REALISATIE, 2.6, dashed=False))
    parts += [_open_dot(x(yr), y(v)) if yr in partial else _dot(x(yr), y(v)) for yr, v in known.items()]
    parts += [_text(x(yr), y1 - 5, f"<{threshold}", 12, "middle", MUTED)
              for yr in ind.afgeschermd if yr in years]
    return "".join(parts)


#: the legend's words for the running year's open dot
RUNNING_WORDS = "tot nu toe (jaar nog niet compleet)"


def legend(running: bool = False) -> str:
    """`running`: a panel draws a year whose data are not complete (an open dot, off the line)."""
    y = LEGEND_HEIGHT / 2
    return (_line([(4, y), (40, y)], STREEF, 1.6, dashed=True) + _diamond(22, y)
            + _text(48, y + 4.5, "nulmeting en streefwaarden", 13)
            + _line([(250, y), (286, y)], REALISATIE, 2.6, dashed=False) + _dot(268, y)
            + _text(294, y + 4.5, "realisatie", 13)
            + (_open_dot(382, y) + _text(392, y + 4.5, RUNNING_WORDS, 13) if running else ""))


def draws_running(section: LijnSection) -> bool:
    """Whether a panel of the lijn draws the open dot of a year not complete yet: only then does
    the legend name it (a realisatie that is unknown or suppressed there draws nothing)."""
    partial = {y for y in section.deeljaar if y in section.jaren}
    return any(v is not None and y in partial for ind in section.indicatoren for y, v in ind.realisaties.items())


def lijn_svg(section: LijnSection, threshold: int) -> bytes | None:
    """The lijn's small multiples as an SVG document; None when the lijn has no indicators."""
    indicators = section.indicatoren
    if not indicators:
        return None
    rows = math.ceil(len(indicators) / COLUMNS)
    height = LEGEND_HEIGHT + rows * PANEL_HEIGHT
    panels = "".join(panel(ind, (i % COLUMNS) * PANEL_WIDTH, LEGEND_HEIGHT + (i // COLUMNS) * PANEL_HEIGHT,
                           threshold, section.jaren, section.deeljaar) for i, ind in enumerate(indicators))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
            f'viewBox="0 0 {WIDTH} {height}" font-family="{FONT}">'
            f'{legend(draws_running(section))}{panels}</svg>').encode("utf-8")
