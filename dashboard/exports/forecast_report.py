"""The year-end forecast of the kosten as a section of the PDF report (section 1.x after the axes):
the model (`forecast_section`, text already formatted), its plain-SVG chart (`forecast_svg`) and
its HTML (`forecast_html`). Only for the running year and the live service, like the slide
(dashboard/exports/forecast_slide.py); a hidden series gives no section.
"""
from __future__ import annotations

import base64
from dataclasses import dataclass
from html import escape

from dashboard.exports.chart_axis import nice_ticks, tick_label
from dashboard.exports.forecast_slide import basis_sentence, forecast_chart, forecast_of
from dashboard.ui.forecast_view import SOORT, backtest_summary, cumulative, series_of, short_line, year_rows
from dashboard.ui.theme import PALETTE
from kpi import format as fmt
from kpi.forecast import texts
from kpi.forecast.results import PROGNOSE, Prognose

ANCHOR = "prognose"


@dataclass(frozen=True)
class ForecastSection:
    titel: str
    kern: str
    basis: str
    jaarcijfers: tuple[tuple[str, str], ...]
    maanden: tuple[tuple[str, str, str, str, str], ...]   # maand, gedeclareerd, verwacht, interval, stand
    betrouwbaarheid: str
    backtest: tuple[tuple[str, str, str, str, str], ...]  # maandeinde, prognose, doortrekken, vorig jaar, dekking
    grafiek_alt: str
    opgeteld: tuple[float, ...]
    begroting: float | None
    laag: float
    hoog: float
    hoe_berekend: str


def _pct(value: float | None, decimals: int = 1) -> str:
    return "–" if value is None else f"{fmt.number(value, decimals)}%"


def forecast_section(service, jaar: int, gemeente: str | None = None) -> ForecastSection | None:
    found = forecast_of(service, jaar)
    if found is None:
        return None
    result, backtest = found
    p: Prognose | None = series_of(result, gemeente)
    if p is None or p.afgeschermd:
        return None
    months = []
    for m in p.maanden:
        declared = ("–" if m.soort == PROGNOSE else f"<{result.drempel}" if m.gerealiseerd is None
                    else texts.euro(m.gerealiseerd))
        interval = "" if m.hoog - m.laag < 1 else f"{texts.euro(m.laag)} – {texts.euro(m.hoog)}"
        months.append((fmt.periode_label(f"{m.maand.year}-{m.maand.month:02d}"), declared, texts.euro(m.verwacht),
                       interval, SOORT[m.soort]))
    rows = tuple((f"eind {fmt.MAANDEN[m.maand - 1]}", _pct(m.mape), _pct(m.mape_runrate), _pct(m.mape_vorig_jaar),
                  _pct(m.dekking, 0)) for m in backtest.per_maand)
    chart = forecast_chart(result) if p is result.totaal else None
    alt = chart.summary if chart else f"Kosten {jaar} van {p.naam} opgeteld vanaf januari."
    return ForecastSection(
        titel=f"Prognose kosten {jaar}" + ("" if p is result.totaal else f": {p.naam}"),
        kern=short_line(p) + ".", basis=basis_sentence(result), jaarcijfers=tuple(year_rows(p)),
        maanden=tuple(months), betrouwbaarheid=backtest_summary(backtest), backtest=rows, grafiek_alt=alt,
        opgeteld=tuple(cumulative(p)[0]), begroting=p.budget, laag=p.totaal_laag, hoog=p.totaal_hoog,
        hoe_berekend=" ".join(texts.HOE_BEREKEND[f] for f in ("nog_te_verwachten", "prognose_rest",
                                                               "verwacht_totaal", "backtest")))


def forecast_svg(s: ForecastSection, width: int = 640, height: int = 220) -> str:
    """The expected kosten added up from January (line), the year-end 80% interval (a bar at
    December) and the begroting (dashed): plain SVG, no browser."""
    left, right, top, bottom = 70, 20, 12, 30
    # round steps in millions ("€ 5 mln", "€ 10 mln"), as the lijnen's charts: a fifth of the peak
    # gave "€ 3,6 mln", "€ 7,2 mln", which read as figures of their own
    ticks = [v * fmt.MILLION for v in nice_ticks(0, max([*s.opgeteld, s.hoog, s.begroting or 0]) / fmt.MILLION)]
    peak = ticks[-1]
    step = (width - left - right) / 11

    def x(i: int) -> float:
        return left + i * step

    def y(v: float) -> float:
        return top + (1 - v / peak) * (height - top - bottom)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img"><title>{escape(s.grafiek_alt)}</title>']
    for v in ticks:
        label = tick_label(v / fmt.MILLION, "€", fmt.MILLION, (ticks[1] - ticks[0]) / fmt.MILLION)
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#D0D5DB"/>'
                     f'<text x="{left - 6}" y="{y(v) + 4:.1f}" font-size="10" text-anchor="end" fill="#333">'
                     f'{escape(label)}</text>')
    for i, (label, *_rest) in enumerate(s.maanden):
        parts.append(f'<text x="{x(i):.1f}" y="{height - 10}" font-size="10" text-anchor="middle" fill="#333">'
                     f'{escape(label.split()[0])}</text>')
    if s.begroting is not None:
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(s.begroting):.1f}" y2="{y(s.begroting):.1f}" '
                     f'stroke="#000" stroke-dasharray="5 4"/><text x="{left + 4}" y="{y(s.begroting) - 4:.1f}" '
                     'font-size="10" fill="#000">begroting</text>')
    points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(s.opgeteld))
    parts.append(f'<polyline points="{points}" fill="none" stroke="{PALETTE[0]}" stroke-width="2.5"/>')
    parts.append(f'<line x1="{x(11):.1f}" x2="{x(11):.1f}" y1="{y(s.laag):.1f}" y2="{y(s.hoog):.1f}" '
                 f'stroke="{PALETTE[3]}" stroke-width="4"/>')
    parts.append("</svg>")
    return "".join(parts)


def forecast_html(s: ForecastSection, number: str) -> str:
    e = escape
    svg = base64.b64encode(forecast_svg(s).encode("utf-8")).decode("ascii")
    year = "".join(f'<tr><th scope="row">{e(label)}</th><td class="num">{e(value)}</td></tr>'
                   for label, value in s.jaarcijfers)
    months = "".join(f'<tr><th scope="row">{e(m)}</th><td class="num">{e(d)}</td><td class="num">{e(v)}</td>'
                     f'<td class="num">{e(i)}</td><td>{e(k)}</td></tr>' for m, d, v, i, k in s.maanden)
    tests = "".join(f'<tr><th scope="row">{e(a)}</th>' + "".join(f'<td class="num">{e(c)}</td>' for c in rest) + "</tr>"
                    for a, *rest in s.backtest)
    return (f'<section class="axis" id="{ANCHOR}"><h3>{number} {e(s.titel)}</h3>'
            f'<p><strong>{e(s.kern)}</strong></p><p>{e(s.basis)}</p>'
            f'<figure class="chart"><img src="data:image/svg+xml;base64,{svg}" alt="{e(s.grafiek_alt)}">'
            '<figcaption>De verwachte kosten opgeteld vanaf januari (lijn), het 80%-interval van de jaarkosten '
            '(balk bij december) en de begroting (gestippeld).</figcaption></figure>'
            f'<table class="summary"><caption>{e(s.titel)}: jaarcijfers</caption><tbody>{year}</tbody></table>'
            f'<table class="summary"><caption>{e(s.titel)}: per maand</caption><thead><tr>'
            '<th scope="col">Maand</th><th scope="col" class="num">Gedeclareerd</th>'
            '<th scope="col" class="num">Verwacht</th><th scope="col" class="num">80%-interval</th>'
            f'<th scope="col">Stand van de maand</th></tr></thead><tbody>{months}</tbody></table>'
            f'<h4>Hoe betrouwbaar is deze prognose?</h4><p>{e(s.betrouwbaarheid)}</p>'
            '<table class="summary"><caption>Gemiddelde absolute fout (MAPE) van de jaarprognose per maandeinde'
            '</caption><thead><tr><th scope="col">Prognose gemaakt</th><th scope="col" class="num">Prognose</th>'
            '<th scope="col" class="num">Doortrekken</th><th scope="col" class="num">Aandeel vorig jaar</th>'
            f'<th scope="col" class="num">Binnen 80%-interval</th></tr></thead><tbody>{tests}</tbody></table>'
            f'<p class="note">Hoe berekend? {e(s.hoe_berekend)}</p></section>')
