"""Figure builders: tidy KPI rows in, a plotly Figure out. They never query.

Every figure has a title that says what it shows; hover texts are formatted in Dutch by
kpi.format; a bar's `customdata` carries its group key, so a click can drill down on it.
Suppressed groups are drawn as an empty grey bar labelled "<10".
"""
from __future__ import annotations

import textwrap
from typing import Sequence

import plotly.graph_objects as go

from dashboard.ui import theme
from kpi import format as fmt
from kpi.result import KpiRow

EMPTY_KEY = "__leeg__"  # customdata of the empty group (no school, no aanbieder)

# Plotly does not wrap a title: one wider than its chart is cut off at both sides. The narrowest
# chart, beside its table at 1280×720, is about 700 px wide and holds some 65 characters of title.
TITLE_LINE_CHARS = 60
TITLE_LINE_PX = 22  # what a second line of title adds to the top margin (and the chart's height)


def _colon_at(title: str) -> int | None:
    """Where the title's first ": " outside parentheses is ("Instroom: realisatie en …", not the
    "(verwijzer: Huisarts)" of a drill path)."""
    depth = 0
    for i, char in enumerate(title):
        depth += (char == "(") - (char == ")")
        if depth == 0 and title.startswith(": ", i):
            return i
    return None


def title_lines(title: str, width: int = TITLE_LINE_CHARS) -> list[str]:
    """`title` in lines of at most `width` characters (a word longer than that stays whole): a long
    title breaks after its colon first ("…:" / "realisatie en streefwaarden"), then between words."""
    if len(title) <= width:
        return [title]
    at = _colon_at(title)
    parts = [title[:at + 1], title[at + 2:]] if at is not None else [title]
    return [line for part in parts
            for line in textwrap.wrap(part, width, break_long_words=False, break_on_hyphens=False)]


def titled(title: str, height: int, margin: dict) -> dict:
    """The layout of a chart `height` px high with `title` over it and `margin` around the plot
    (its t as for a title of one line; the template's where it names none): a title of two or more
    lines widens the top margin and the chart by its extra lines, so the plot keeps its size."""
    lines = title_lines(title)
    extra = TITLE_LINE_PX * (len(lines) - 1)
    return dict(title=dict(text="<br>".join(lines)), height=height + extra,
                margin={**margin, "t": margin["t"] + extra})


#: the room a note's flag takes above the plot (its box and its stem), between the title and the plot
FLAG_BAND_PX = 30


def with_flag_band(layout: dict) -> dict:
    """`titled`'s layout with room for the notes' flags above the plot: the top margin and height
    FLAG_BAND_PX more, and the title where it stood, not centred in the larger margin (a flag stood
    on a title of two lines and touched a title of one). Placed by its middle: plotly anchors a title
    of several lines by its top as if it had one."""
    height = layout["height"] + FLAG_BAND_PX
    middle_px = layout["margin"]["t"] / 2  # where plotly centres it in the margin without the band
    return {**layout, "title": {**layout["title"], "yref": "container", "yanchor": "middle",
                                "y": 1 - middle_px / height},
            "height": height, "margin": {**layout["margin"], "t": layout["margin"]["t"] + FLAG_BAND_PX}}


def themed_figure(traces: list[dict], layout: dict) -> go.Figure:
    """A figure built in one go: traces and layout as plain dicts, validated once. (Adding traces
    and updating the layout afterwards validated the theme's template and every path again: two
    thirds of building a chart.)"""
    return go.Figure(data=traces, layout={"template": theme.template(), **layout})


def _empty(title: str, message: str) -> go.Figure:
    return themed_figure([], dict(
        **titled(title, 220, dict(t=40)), xaxis=dict(visible=False), yaxis=dict(visible=False),
        annotations=[dict(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper",
                          font=dict(color=theme.MUTED))]))


def bar_chart(rows: Sequence[KpiRow], eenheid: str, title: str, threshold: int | None) -> go.Figure:
    """Horizontal bars, one per group, in the order given (largest first reads best)."""
    if not rows:
        return _empty(title, "Geen gegevens voor deze selectie")
    shown = [r for r in rows if not r.suppressed and r.value is not None]
    hidden = [r for r in rows if r.suppressed or r.value is None]
    if not shown:  # nothing to draw: say so instead of outlined bars on an empty axis
        groups = "De enige groep is" if len(rows) == 1 else f"Alle {len(rows)} groepen zijn"
        return _empty(title, f"{groups} afgeschermd (<{threshold}): in deze uitsplitsing kan niets worden "
                             "getoond" if threshold and any(r.suppressed for r in rows)
                      else "Geen waarden voor deze selectie")
    traces = [dict(
        type="bar", y=[r.label for r in shown], x=[r.value for r in shown], orientation="h",
        marker=dict(color=theme.primary()), name="waarde",
        customdata=[r.key if r.key is not None else EMPTY_KEY for r in shown],
        text=[fmt.value(r.value, eenheid) for r in shown], textposition="auto",
        hovertext=[f"{r.label}: {fmt.value(r.value, eenheid)} (n = {fmt.number(r.n)})" for r in shown],
        hoverinfo="text",
    )]
    if hidden:
        peak = max((abs(r.value) for r in shown), default=1) or 1
        traces.append(dict(
            type="bar", y=[r.label for r in hidden], x=[peak * 0.02] * len(hidden), orientation="h",
            marker=dict(color="white", line=dict(color=theme.SUPPRESSED, width=1.5)),
            name="afgeschermd",
            customdata=[r.key if r.key is not None else EMPTY_KEY for r in hidden],
            text=[fmt.value(None, eenheid, suppressed=r.suppressed, threshold=threshold)
                  if r.suppressed else "geen waarde" for r in hidden],
            textposition="outside", textfont=dict(color=theme.MUTED),
            hovertext=[f"{r.label}: afgeschermd (minder dan {threshold})" if r.suppressed
                       else f"{r.label}: geen waarde" for r in hidden],
            hoverinfo="text",
        ))
    return themed_figure(traces, dict(
        **titled(title, max(260, 34 * len(rows) + 90), dict(t=40)), bargap=0.25, showlegend=False, barmode="overlay",
        yaxis=dict(autorange="reversed", categoryorder="array", categoryarray=[r.label for r in rows],
                   gridcolor="rgba(0,0,0,0)"),
        xaxis=dict(showgrid=True, gridcolor="#e9ecef")))


#: the legend's name for a period whose data are not complete yet (drawn apart from the line)
RUNNING_NAME = "realisatie tot nu toe (nog niet compleet)"


def trend_chart(rows: Sequence[KpiRow], eenheid: str, title: str, threshold: int | None,
                targets: dict[str, float] | None = None, height: int = 300,
                original_targets: dict[str, float] | None = None,
                notes: Sequence[tuple[str, str]] = (), partial: dict[str, str] | None = None) -> go.Figure:
    """The value per sub-period as a line; streefwaarden (periode → waarde) as diamonds; a target
    that was adjusted also as an open diamond at its original value ("oorspronkelijke
    streefwaarde"), so a moved goal stays visible; notes (periode, text) as labelled markers;
    `partial` (periode → "t/m september") marks a period whose data are not complete on the axis and
    draws its value as an open dot outside the line."""
    partial = partial or {}

    def label(periode: str) -> str:
        return fmt.periode_label(periode) + (f" ({partial[periode]})" if periode in partial else "")
    periods = [label(r.periode) for r in rows]
    if not rows:
        return _empty(title, "Geen gegevens voor deze selectie")
    if not targets and not original_targets and all(r.suppressed or r.value is None for r in rows):
        # nothing to draw: say so instead of an empty axis (it read -1 to 4 for any KPI)
        periods_hidden = "De enige periode is" if len(rows) == 1 else f"Alle {len(rows)} perioden zijn"
        return _empty(title, f"{periods_hidden} afgeschermd (<{threshold}): in deze trend kan "
                             "niets worden getoond" if threshold and all(r.suppressed for r in rows)
                      else "Geen waarden voor deze selectie")

    def hover(r: KpiRow) -> str:
        return f"{label(r.periode)}: " + fmt.value(r.value, eenheid, suppressed=r.suppressed, threshold=threshold)
    # the line joins complete periods only: a count of nine months joined to whole years read as a
    # fall (instroom 602 → 462); the running period stands apart as an open dot
    line = [None if r.suppressed or r.periode in partial else r.value for r in rows]
    traces = [dict(
        type="scatter", x=periods, y=line,
        mode="lines+markers", name="realisatie", line=dict(color=theme.primary(), width=3), marker=dict(size=8),
        hovertext=[hover(r) for r in rows], hoverinfo="text",
        # a legend entry without a point (only the running period, or every value hidden) promised a line
        showlegend=any(value is not None for value in line),
    )]
    running = [r for r in rows if r.periode in partial]
    if running:
        traces.append(dict(
            type="scatter", x=[label(r.periode) for r in running],
            y=[None if r.suppressed else r.value for r in running], mode="markers", name=RUNNING_NAME,
            # as the line's: no legend entry for a dot that is not drawn (its value afgeschermd)
            showlegend=any(not r.suppressed and r.value is not None for r in running),
            marker=dict(symbol="circle-open", size=11, color=theme.primary(), line=dict(width=3)),
            hovertext=[hover(r) for r in running], hoverinfo="text"))
    if targets:
        keys = sorted(targets)
        traces.append(dict(type="scatter", x=[label(k) for k in keys], y=[targets[k] for k in keys],
                           mode="markers", name="streefwaarde",
                           marker=dict(symbol="diamond", size=11, color=theme.TARGET),
                           hovertext=[f"streefwaarde {fmt.periode_label(k)}: {fmt.value(targets[k], eenheid)}"
                                      for k in keys],
                           hoverinfo="text"))
    if original_targets:
        keys = sorted(original_targets)
        traces.append(dict(type="scatter", x=[label(k) for k in keys], y=[original_targets[k] for k in keys],
                           mode="markers", name="oorspronkelijke streefwaarde",
                           marker=dict(symbol="diamond-open", size=12, color=theme.TARGET, line=dict(width=2)),
                           hovertext=[f"oorspronkelijke streefwaarde {fmt.periode_label(k)}: "
                                      f"{fmt.value(original_targets[k], eenheid)}" for k in keys],
                           hoverinfo="text"))
    # one category order for every trace, so a note can point at a category by its position (a
    # label like "2025" would be read as the number 2025 on a category axis)
    keys = sorted({r.periode for r in rows if r.periode} | set(targets or {}) | set(original_targets or {}))
    # a numbered flag at the top of the plot per note; the full text is in the notes list beside it
    flags = [dict(x=keys.index(periode), y=1, yref="paper", text=f"✎ {number}", showarrow=True,
                  arrowhead=0, ay=-18, ax=0, hovertext=text, font=dict(size=12, color=theme.primary()),
                  bgcolor="white", bordercolor=theme.primary(), borderwidth=1)
             for number, (periode, text) in enumerate(notes, start=1) if periode in keys]
    layout = titled(title, height, dict(l=10, r=10, t=50, b=50))
    return themed_figure(traces, dict(
        **(with_flag_band(layout) if flags else layout), annotations=flags,
        xaxis=dict(categoryorder="array", categoryarray=[label(k) for k in keys], type="category"),
        # legend below the plot, so it never collides with the title
        legend=dict(orientation="h", x=0, y=-0.22, yanchor="top")))


def road_chart(trajectory, eenheid: str, title: str, streefwaarden: dict[int, float],
               nulmeting: tuple[int, float] | None = None, height: int = 320) -> go.Figure:
    """De weg naar het laatste planjaar (a kpi.trajectory.Trajectory): the yearly values the line
    rests on (dots), the line through them, carried on dashed to the last year within its 80%
    band, and the nulmeting and streefwaarden as diamonds. A numeric year axis, so the band can be
    filled between the years."""
    if not trajectory.punten:
        return _empty(title, "Nog geen volledige jaren met een realisatie")
    fig = go.Figure(layout=dict(template=theme.template(), **titled(title, height, dict(l=10, r=10, t=50, b=60))))
    years = [j for j, _ in trajectory.punten]
    ahead = list(trajectory.jaren)
    percent = f"{round(trajectory.niveau * 100)}%"
    if ahead:
        last = years[-1]
        start = trajectory.line_at(last)
        band_x = [last] + [y.jaar for y in ahead]
        # the band opens at the line's value in the last year with data
        fig.add_scatter(x=band_x, y=[start] + [y.boven for y in ahead], mode="lines", line=dict(width=0),
                        hoverinfo="skip", showlegend=False)
        fig.add_scatter(x=band_x, y=[start] + [y.onder for y in ahead], mode="lines", line=dict(width=0),
                        fill="tonexty", fillcolor=theme.translucent(theme.primary(), 0.15), name=f"{percent}-marge",
                        hoverinfo="skip", legendrank=4)
        fig.add_scatter(x=band_x, y=[start] + [y.verwachting for y in ahead], mode="lines+markers",
                        name="doorgetrokken lijn", line=dict(color=theme.primary(), width=2, dash="dash"), legendrank=3,
                        marker=dict(size=6, symbol="circle-open"),
                        hovertext=[f"{last}: lijn {fmt.value(start, eenheid)}"] +
                                  [f"{y.jaar}: verwacht {fmt.value(y.verwachting, eenheid)} "
                                   f"({percent}-marge {fmt.value(y.onder, eenheid)} – {fmt.value(y.boven, eenheid)})"
                                   for y in ahead],
                        hoverinfo="text")
    if trajectory.helling is not None and len(years) > 1:
        fig.add_scatter(x=[years[0], years[-1]], y=[trajectory.line_at(years[0]), trajectory.line_at(years[-1])],
                        mode="lines", name="lijn door de jaren", line=dict(color=theme.MUTED, width=1), legendrank=2,
                        hoverinfo="skip")
    fig.add_scatter(x=years, y=[w for _, w in trajectory.punten], mode="markers", name="realisatie",
                    marker=dict(size=9, color=theme.primary()), legendrank=1,
                    hovertext=[f"{j}: {fmt.value(w, eenheid)}" for j, w in trajectory.punten], hoverinfo="text")
    targets = sorted(streefwaarden.items())
    if nulmeting is not None:
        fig.add_scatter(x=[nulmeting[0]], y=[nulmeting[1]], mode="markers", name="nulmeting", legendrank=5,
                        marker=dict(symbol="diamond-open", size=11, color=theme.TARGET, line=dict(width=2)),
                        hovertext=[f"nulmeting {nulmeting[0]}: {fmt.value(nulmeting[1], eenheid)}"],
                        hoverinfo="text")
    if targets:
        fig.add_scatter(x=[j for j, _ in targets], y=[w for _, w in targets], mode="markers", name="streefwaarde", legendrank=6,
                        marker=dict(symbol="diamond", size=11, color=theme.TARGET),
                        hovertext=[f"streefwaarde {j}: {fmt.value(w, eenheid)}" for j, w in targets],
                        hoverinfo="text")
    first = min([years[0]] + [j for j, _ in targets] + ([nulmeting[0]] if nulmeting else []))
    final = max([years[-1]] + [y.jaar for y in ahead] + [j for j, _ in targets])
    fig.update_xaxes(tickmode="linear", dtick=1, tickformat="d", range=[first - 0.4, final + 0.4])
    # a "tonexty" fill would reverse the legend by default: keep reading order
    fig.update_layout(legend=dict(orientation="h", x=0, y=-0.18, yanchor="top", traceorder="normal"))
    return fig
