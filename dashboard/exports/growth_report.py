"""The report's section "Waarom stijgen de kosten?" (or dalen): the change of the totale kosten in a
volume, a mix and an intensity effect, as the page /kostengroei shows its default view for the
year — the sentence, the waterfall (plain SVG, like dashboard/exports/report_charts.py) and the
table per hulpvorm in euros — with its notes and its "Hoe berekend?".

`growth_section(service, jaar, gemeente)` builds the model (text already formatted) through the same
function the page uses (dashboard/programme/growth.py), so a stand's report shows the stand's
decomposition, and a stand made before it says that this analysis is not part of it.
`growth_html(section, number)` is the HTML for report_pdf.py; `growth_toc` its table-of-contents entry.
"""
from __future__ import annotations

import base64
from dataclasses import dataclass
from html import escape

from dashboard.exports.growth_slide import growth_or_reason, labels_of
from dashboard.programme import growth as g
from dashboard.ui import theme
from kpi import format as fmt
from kpi import privacy
from kpi.cost_growth import hoe_berekend
from kpi.dimensions import DIMENSIONS
from kpi.settings import DEFAULT_MIN_CELL_SIZE

ANCHOR = "kostengroei"
TOTAL, RISE, FALL = theme.PRIMARY, theme.TARGET, "#009E73"
TEXT, MUTED, GRID = "#212529", "#5a6570", "#dfe3e8"
FONT = "Liberation Sans, DejaVu Sans, sans-serif"  # local fonts only
WIDTH, HEIGHT = 760, 300  # px of the viewBox; the PDF scales it to the text width
NAME_LINE = 16            # a bar's name's second line: "(t/m mei)"


@dataclass(frozen=True)
class Bar:
    name: str
    text: str
    bottom: float
    top: float
    kind: str          # "totaal", "stijging", "daling"


@dataclass(frozen=True)
class GrowthSection:
    titel: str                          # "Waarom dalen de kosten?"
    kop: str                            # the sentence on top, or why there is nothing to show
    groep: str                          # "Hulpvorm"
    jaren: tuple[str, str]              # ("2024", "2025")
    rijen: tuple[g.Line, ...]
    totaal: g.Line | None
    staven: tuple[Bar, ...]             # the waterfall ((), when not shown)
    as_tekst: tuple[str, ...]           # the value axis's ticks as shown
    as_waarden: tuple[float, ...]
    as_bereik: tuple[float, float]
    as_afgekapt: bool
    alt: str                            # the waterfall in words
    toelichting: tuple[str, ...]
    hoe_berekend: str
    melding: bool = False               # True: `kop` says why nothing is shown
    vergelijking: str = ""              # "2026 tegenover 2025, telkens januari t/m mei" (the table's caption)
    perioden: tuple[str, str] = ("", "")  # as a label says them: ("2025 (t/m mei)", "2026 (t/m mei)") or the years
    maanden: str = ""                   # "t/m mei" when the same months of both years are compared, else ""


def growth_section(service, jaar: int, gemeente: str | None = None) -> GrowthSection:
    result, reason = growth_or_reason(service, jaar, gemeente)
    threshold = getattr(service, "threshold", None) or DEFAULT_MIN_CELL_SIZE
    if result is None or result.afgeschermd:
        text = reason or g.headline(result, labels_of(service, gemeente))
        notes = tuple(result.toelichting) if result is not None else ()
        return GrowthSection(g.question(None), text, "Hulpvorm", ("", ""), (), None, (), (), (), (0.0, 1.0), False,
                             "", notes, hoe_berekend("hulpvorm", threshold), melding=True)
    steps = g.waterfall_steps(result)
    levels = g.levels(steps)
    axis = g.value_axis(levels)
    kinds = ["totaal" if s.total else ("stijging" if s.cents > 0 else "daling") for s in steps]
    title = g.chart_title(result)  # the page's: "… (januari t/m mei)" when the same months are compared
    rounding = privacy.explain_rounding(result.afronding or 1)
    return GrowthSection(
        g.question(result.verandering_cent), fmt.unbroken_amounts(g.headline(result, labels_of(service, gemeente))),
        DIMENSIONS[result.by].naam,
        g.year_words(result)[:2],
        tuple(g.lines(result)), g.total_line(result),
        tuple(Bar(s.name, s.text, bottom, top, kind) for s, (bottom, top), kind in zip(steps, levels, kinds, strict=True)),
        axis.texts, axis.ticks, (axis.low, axis.high), axis.truncated, g.waterfall_text(result, title),
        tuple(n for n in result.toelichting if n != rounding) + (g.ROUNDING_NOTE,),
        hoe_berekend(result.by, result.min_cell_size or threshold), vergelijking=g.versus(result),
        perioden=g.period_words(result), maanden=g.year_words(result)[2])


# --- the waterfall as SVG -----------------------------------------------------------------------

def _text(x: float, y: float, content: str, size: int, anchor: str = "middle", fill: str = TEXT,
          weight: str = "normal") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{fill}"'
            + (f' font-weight="{weight}"' if weight != "normal" else "") + f'>{escape(content)}</text>')


def waterfall_svg(section: GrowthSection) -> bytes | None:
    """Bars from the axis (a total) or floating between two levels (an effect), each with its
    amount above it; the axis at the left; None when there is nothing to draw."""
    if not section.staven:
        return None
    # a total of part of a year on two lines: "Kosten 2026" over "(t/m mei)"
    names = [bar.name.replace(" (", "\n(").split("\n") for bar in section.staven]
    height = HEIGHT + (NAME_LINE if any(len(n) > 1 for n in names) else 0)  # the plot keeps its size
    left, right, top, bottom = 96, WIDTH - 12, 28, HEIGHT - 34
    low, high = section.as_bereik
    slot = (right - left) / len(section.staven)

    def y(value: float) -> float:
        return bottom - (max(value, low) - low) / (high - low) * (bottom - top)

    parts = []
    for value, label in zip(section.as_waarden, section.as_tekst, strict=True):
        parts.append(f'<line x1="{left}" y1="{y(value):.1f}" x2="{right}" y2="{y(value):.1f}" stroke="{GRID}"/>')
        parts.append(_text(left - 8, y(value) + 4, label, 12, "end", MUTED))
    colours = {"totaal": TOTAL, "stijging": RISE, "daling": FALL}
    previous_top = None
    for index, bar in enumerate(section.staven):
        x0 = left + index * slot + slot * 0.18
        width = slot * 0.64
        y_top, y_bottom = y(bar.top), y(bar.bottom)
        parts.append(f'<rect x="{x0:.1f}" y="{y_top:.1f}" width="{width:.1f}" height="{max(y_bottom - y_top, 1):.1f}"'
                     f' fill="{colours[bar.kind]}"/>')
        parts.append(_text(x0 + width / 2, y_top - 6, bar.text, 13, weight="bold"))
        parts += [_text(x0 + width / 2, bottom + 20 + NAME_LINE * i, line, 13, fill=TEXT)
                  for i, line in enumerate(names[index])]
        level = bar.top if bar.kind in ("totaal", "stijging") else bar.bottom
        if previous_top is not None:  # a dotted connector from the level before
            parts.append(f'<line x1="{x0 - slot * 0.36:.1f}" y1="{y(previous_top):.1f}" x2="{x0:.1f}" '
                         f'y2="{y(previous_top):.1f}" stroke="{MUTED}" stroke-dasharray="3 3"/>')
        previous_top = level
    parts.append(f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="#9aa5b1"/>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
            f'viewBox="0 0 {WIDTH} {height}" font-family="{FONT}">{"".join(parts)}</svg>').encode("utf-8")


# --- HTML for the report ------------------------------------------------------------------------

def _e(text: object) -> str:
    """Escaped; an amount never breaks after its euro sign."""
    return escape(str(text), quote=True).replace("€ ", "€&#160;")


def growth_toc(section: GrowthSection | None, number: str) -> list[tuple[str, str, int]]:
    return [] if section is None else [(ANCHOR, f"{number} {section.titel}", 2)]


def _row(line: g.Line, total: bool = False) -> str:
    name = _e(line.label) + (f'<span class="context">{_e(", ".join(line.bevat))}</span>'
                             if line.bevat and line.soort == "overig" else "")
    amounts = (*line.kosten_text, line.verandering_text, *line.effecten_text)
    kind = ' class="totaal"' if total else ""
    return (f'<tr{kind}><th scope="row">{name}</th>'
            + "".join(f'<td class="num">{_e(a)}</td>' for a in amounts) + "</tr>")


def growth_html(section: GrowthSection | None, number: str) -> str:
    """The section (`number`: "1.5"); "" without one."""
    if section is None:
        return ""
    head = f'<section class="growth" id="{ANCHOR}"><h3>{_e(number)} {_e(section.titel)}</h3>'
    how = f'<h4>Hoe berekend?</h4><p class="hoe">{_e(section.hoe_berekend)}</p>'
    if section.melding:
        notes = "".join(f"<p>{_e(n)}</p>" for n in section.toelichting)
        return f'{head}<p class="note">{_e(section.kop)}</p>{notes}{how}</section>'
    svg = waterfall_svg(section)
    data = base64.b64encode(svg).decode("ascii")
    eerder, later = section.perioden
    axis_note = (f" De verticale as begint bij {section.as_tekst[0]}, niet bij nul." if section.as_afgekapt else "")
    figure = (f'<figure class="chart"><img src="data:image/svg+xml;base64,{data}" alt="{_e(section.alt)}">'
              f'<figcaption>Waterval: de kosten van {_e(eerder)}, de drie effecten en de kosten van {_e(later)}; '
              f'een stijging is oranje, een daling groen, met het bedrag erboven.{_e(axis_note)}</figcaption></figure>')
    # "Kosten 2026" over "t/m mei": an amount's column stays narrow (as the indicator table's years)
    months = f'<span class="context">{_e(section.maanden)}</span>' if section.maanden else ""
    header = (f'<th scope="col">{_e(section.groep)}</th><th scope="col" class="num">Kosten {_e(section.jaren[0])}{months}</th>'
              f'<th scope="col" class="num">Kosten {_e(section.jaren[1])}{months}</th><th scope="col" class="num">Verandering</th>'
              + "".join(f'<th scope="col" class="num">{_e(h)}</th>' for h in g.effect_headers()))
    # the total as the body's last row, not a <tfoot>: WeasyPrint would repeat a foot on every page
    body = "".join(_row(line) for line in section.rijen) + (_row(section.totaal, total=True) if section.totaal else "")
    table = (f'<table class="effecten"><caption>Kosten en effecten per {_e(section.groep.lower())}, '
             f'{_e(section.vergelijking)}</caption><thead><tr>{header}</tr></thead>'
             f'<tbody>{body}</tbody></table>')
    notes = "".join(f'<li>{_e(n)}</li>' for n in section.toelichting)
    return (f'{head}<p>{_e(section.kop)}</p>{figure}{table}'
            f'<ul class="toelichting">{notes}</ul>{how}</section>')
