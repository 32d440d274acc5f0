"""The view of /kostengroei for a state, computed by a service — live or a stand's: the sentence on
top, the waterfall, the table per group with its drill links, the notes and "Hoe berekend?". The
page (dashboard/pages/kostengroei.py) draws it; a freeze runs `record_growth_views` so that a stand
holds the views its page offers (dashboard.server.stand_view); the overview links to it
(`overview_link`). So it is not held by a page.
"""
from __future__ import annotations

import datetime as dt

import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import dcc, html

from dashboard.programme import growth as g
from dashboard.programme.frozen import FrozenService
from dashboard.ui import components, ids, theme
from dashboard.ui.figures import themed_figure
from dashboard.ui.growth_state import CHOICES, GrowthState, from_query, growth_href
from kpi import KpiRequestError, privacy
from kpi import format as fmt
from kpi.cost_growth import CostGrowth, hoe_berekend
from kpi.dimensions import DIMENSIONS
from kpi.settings import DEFAULT_MIN_CELL_SIZE

TABLE_ID = "kostengroei-tabel"
RISE, FALL = theme.TARGET, "#009E73"       # Okabe–Ito vermillion and bluish green; the sign says it too


def labels_of(service, state: GrowthState) -> dict:
    """Names of the groups in the drill path (aanbieder, wijk names; code labels)."""
    return {(d, v): service.group_label(d, v) for d, v in state.filters if v is not None}


def dimensions_of(service) -> tuple[str, ...]:
    """The groups a user can choose: CHOICES, and gemeente where the warehouse holds several."""
    return CHOICES + (("gemeente",) if len(service.gemeenten()) > 1 else ())


# --- pieces ---------------------------------------------------------------------------------------

def crumb_text(dimension: str, value: str | None, labels: dict) -> str:
    dim = DIMENSIONS[dimension]
    return f"{dim.naam}: {(dim.empty_label or 'leeg') if value is None else labels.get((dimension, value), value)}"


def breadcrumb(state: GrowthState, labels: dict) -> html.Nav:
    """The drill path as links: every step back is a URL of its own, so the back button works."""
    items = [html.Li(dcc.Link("Alle jeugdhulp", href=state.back_to(0).href()) if state.filters
                     else html.Span("Alle jeugdhulp", **{"aria-current": "page"}), className="breadcrumb-item")]
    for depth, (dimension, value) in enumerate(state.filters, start=1):
        text = crumb_text(dimension, value, labels)
        items.append(html.Li(html.Span(text, **{"aria-current": "page"}) if depth == len(state.filters)
                             else dcc.Link(text, href=state.back_to(depth).href()), className="breadcrumb-item"))
    return html.Nav(html.Ol(items, className="breadcrumb mb-2"), className="breadcrumb-bar",
                    **{"aria-label": "Inzoompad"})


def reach_of(result, data_tot: dt.date | None) -> dt.date | None:
    """How far the running year reaches in the year control: where the shown comparison of the
    running year ends ("t/m mei": later declarations are not all in yet, kpi.cost_growth), so the
    control says what the title and the table say; otherwise where the data end."""
    if result is not None and data_tot is not None and result.later.tot.year == data_tot.year:
        return min(result.later.tot, data_tot)
    return data_tot


def controls(state: GrowthState, years: range, dimensions: tuple[str, ...], data_tot=None) -> dbc.Row:
    """Year, the year to compare with, and the groups. In a stand only its own year can be chosen.
    The running year reads "2026 (t/m mei)" up to `data_tot` (reach_of), as the title says."""
    jaren = [state.jaar] if state.stand else [y for y in reversed(years) if y > years.start]
    vergelijk = [state.vergelijk] if state.stand else [y for y in reversed(years) if y < state.jaar]
    used = {d for d, _ in state.filters}
    return dbc.Row([
        dbc.Col([dbc.Label("Jaar", html_for=ids.KG_JAAR),
                 dbc.Select(id=ids.KG_JAAR, value=str(state.jaar),
                            options=components.year_options(jaren, data_tot))], xs=6, md="auto", className="mb-2"),
        dbc.Col([dbc.Label("Vergelijken met", html_for=ids.KG_VERGELIJK),
                 dbc.Select(id=ids.KG_VERGELIJK, value=str(state.vergelijk),
                            options=components.year_options(vergelijk, data_tot))], xs=6, md=2,
                className="mb-2"),
        dbc.Col([dbc.Label("Verdelen naar", html_for=ids.KG_BY),
                 dbc.Select(id=ids.KG_BY, value=state.by,
                            options=[{"label": DIMENSIONS[d].naam, "value": d} for d in dimensions
                                     if d == state.by or d not in used])], xs=12, md=3, className="mb-2"),
    ], className="g-3 mb-2")


def waterfall_figure(result: CostGrowth, title: str) -> go.Figure:
    """Start total → volume → mix → intensity → end total, every bar with its amount; increases
    and decreases in two colours and always with their sign."""
    steps = g.waterfall_steps(result)
    bars = g.levels(steps)
    axis = g.value_axis(bars)
    # "Kosten 2026 (t/m mei)" on two lines: plotly does not wrap a category's name
    names = [s.name.replace(" (", "<br>(") for s in steps]
    second_line = 16 if any("<br>" in name for name in names) else 0
    waterfall = dict(
        type="waterfall", x=names, y=[s.euros for s in steps],
        measure=["absolute"] + ["relative"] * (len(steps) - 2) + ["total"],
        text=[s.text for s in steps], textposition="outside", cliponaxis=False,
        hovertext=[f"{s.label}: {s.text}" for s in steps], hoverinfo="text",
        increasing=dict(marker=dict(color=RISE)), decreasing=dict(marker=dict(color=FALL)),
        totals=dict(marker=dict(color=theme.primary())),
        connector=dict(line=dict(color=theme.MUTED, width=1, dash="dot")))
    layout = dict(title=title, height=400, showlegend=False, margin=dict(l=10, r=10, t=50, b=10),
                  yaxis=dict(range=[axis.low, axis.high], tickvals=list(axis.ticks), ticktext=list(axis.texts),
                             gridcolor="#e9ecef"),
                  xaxis=dict(type="category"))
    if axis.truncated:  # under the years, at the right: the axis does not start at zero
        layout["annotations"] = [dict(
            text=f"De verticale as begint bij {axis.texts[0]}, niet bij nul.", showarrow=False,
            xref="paper", yref="paper", x=1, xanchor="right", y=0, yanchor="top", yshift=-32 - second_line,
            font=dict(size=12, color=theme.MUTED))]
        layout["margin"]["b"] = 64 + second_line
    return themed_figure([waterfall], layout)


def chart(result: CostGrowth, title: str, name: str) -> html.Figure:
    """The waterfall inside <figure>, named (`name`: the title with the drill path) and with its
    whole content in words as the caption for screen readers (a plotly SVG has no accessible name);
    the table below holds the numbers too."""
    return html.Figure([dcc.Graph(id=ids.KG_GRAPH, figure=waterfall_figure(result, title), config=theme.graph_config()),
                        html.Figcaption(g.waterfall_text(result, name), className="visually-hidden")],
                       className="chart mb-2", **{"aria-label": name})


def _money(text: str) -> html.Td:
    return html.Td(text, className="text-end text-nowrap")


def growth_table(result: CostGrowth, state: GrowthState, caption: str, drill_targets: dict) -> html.Div:
    """One row per group: its kosten in both years, its change and its share of each effect, its
    jeugdigen; "overig" last, and the total at the foot. A group that can be drilled has a link
    "Inzoomen" to the same analysis within it (`drill_targets`: key → URL). The columns name
    their period as the bars do: "Kosten 2026 (t/m mei)" when the same months are compared."""
    eerder, later = g.period_words(result)
    group = DIMENSIONS[result.by].naam
    can_drill = bool(drill_targets)
    head = html.Thead(html.Tr(
        [html.Th(group, scope="col"), html.Th(f"Kosten {eerder}", scope="col", className="text-end"),
         html.Th(f"Kosten {later}", scope="col", className="text-end"),
         html.Th("Verandering", scope="col", className="text-end")]
        + [html.Th(name, scope="col", className="text-end") for name in g.effect_headers()]
        + [html.Th(f"Jeugdigen {eerder}", scope="col", className="text-end"),
           html.Th(f"Jeugdigen {later}", scope="col", className="text-end")]
        + ([html.Th(html.Span("Inzoomen", className="visually-hidden"), scope="col")] if can_drill else [])))

    def row(line: g.Line, cell=html.Td, header_class: str = "") -> html.Tr:
        name = [line.label] + ([html.Span(f" ({', '.join(line.bevat)})", className="small text-body-secondary")]
                               if line.bevat and line.soort == "overig" else [])
        cells = [html.Th(name, scope="row", className=header_class),
                 *(_money(t) for t in line.kosten_text), _money(line.verandering_text),
                 *(_money(t) for t in line.effecten_text),
                 *(html.Td(t, className="text-end") for t in line.jeugdigen_text)]
        if can_drill:
            target = drill_targets.get(line.key) if line.drillable else None
            # the link's name says where it goes: "Inzoomen op Crisishulp" (dcc.Link takes no aria-label)
            name = line.label.removesuffix(" en overig")
            cells.append(html.Td(dcc.Link(["Inzoomen", html.Span(f" op {name}", className="visually-hidden")],
                                          href=target, className="btn btn-sm btn-outline-primary text-nowrap")
                                 if target else ""))
        return html.Tr(cells)

    body = html.Tbody([row(line) for line in g.lines(result)])
    total = g.total_line(result)
    foot = html.Tfoot(row(total, header_class="fw-bold")) if total else None
    parts = [html.Caption(caption), head, body] + ([foot] if foot else [])
    groepen = DIMENSIONS[result.by].meervoud
    rounded = (f"; de aantallen per groep zijn afgerond op {privacy.multiples(result.afronding)}"
               if result.afronding and result.afronding > 1 else "")
    counted = html.P(f"Jeugdigen: wie kosten heeft in twee {groepen}, telt in beide mee en in het totaal één "
                     f"keer{rounded}.", className="small text-body-secondary", id="kostengroei-jeugdigen")
    return html.Div([html.Div(html.Table(parts, className="table table-sm table-striped kpi-table growth-table",
                                         id=TABLE_ID), className="table-responsive"), counted])


def how_computed(by: str, threshold: int | None) -> html.Details:
    return html.Details([html.Summary("Hoe berekend?"),
                         html.P(hoe_berekend(by, threshold or DEFAULT_MIN_CELL_SIZE), className="mt-2"),
                         html.P(g.ROUNDING_NOTE, className="small text-body-secondary")],
                        className="how-computed mb-3", id="hoe-berekend")


def notes(result: CostGrowth) -> html.Div | None:
    """The engine's notes (periods, small groups in "overig", rounding, groups without kosten);
    the rounding of counts is said by the suppression note at the foot of the page."""
    shown = [n for n in result.toelichting if n != privacy.explain_rounding(result.afronding or 1)]
    if not shown:
        return None
    return html.Div([html.H2("Toelichting", className="h6 mt-3"),
                     html.Ul([html.Li(n) for n in shown], className="small")], id="kostengroei-toelichting")


# --- the view -------------------------------------------------------------------------------------

def _holds(service, state: GrowthState) -> bool:
    """Can `service` show this view? Live always; a stand only what it recorded."""
    if not isinstance(service, FrozenService):
        return True
    try:
        g.cost_growth(service, state.request())
    except KpiRequestError:
        return False
    return True


def drill_targets(service, state: GrowthState, result: CostGrowth) -> dict:
    """key → URL of every group that can be drilled into (in a stand: that it recorded)."""
    if not state.can_drill() or result.afgeschermd:
        return {}
    targets = {}
    for line in g.lines(result):
        if line.drillable:
            drilled = state.drill(line.key)
            if _holds(service, drilled):
                targets[line.key] = drilled.href()
    return targets


def view_parts(service, state: GrowthState) -> tuple[CostGrowth, list]:
    """The decomposition of `state` by `service` (live or a stand's) and what the page shows of it.
    Raises KpiRequestError (in Dutch) for a view that cannot be computed; NotInSnapshot for a
    view a stand did not record."""
    result = g.cost_growth(service, state.request())
    labels = labels_of(service, state)
    # an amount never breaks after its euro sign
    lead = html.P(fmt.unbroken_amounts(g.headline(result, labels)), className="lead growth-headline",
                  id="kostengroei-kop")
    if result.afgeschermd:
        return result, [lead, dbc.Alert(" ".join(result.toelichting), color="info", id="kostengroei-afgeschermd")]
    # the chart's own title stays short (plotly does not wrap it); its text alternative names the scope
    title = g.chart_title(result)
    caption = (f"Kosten en effecten per {DIMENSIONS[result.by].naam.lower()}, {g.versus(result)}"
               f"{g.scope_words(result.where, labels)}")
    targets = drill_targets(service, state, result)
    hint = "Kies ‘Inzoomen’ bij een groep om dezelfde verdeling binnen die groep te zien." if targets else ""
    return result, [
        lead,
        chart(result, title, title + g.scope_words(result.where, labels)),
        html.P(hint, className="small text-body-secondary mb-1") if hint else None,
        growth_table(result, state, caption, targets),
        notes(result),
    ]


def record_growth_views(service, jaar: int) -> None:
    """What a stand of `jaar` records: the page's view by each group it offers, and each group's
    first drill-down, computed as the page computes them (and so the slide's and the report's
    view, the default one). A view that cannot be computed is left out."""
    years, dimensions = range(jaar - 1, jaar + 1), dimensions_of(service)
    for by in dimensions:
        state = from_query({"jaar": str(jaar), "by": by}, years, jaar, dimensions)
        try:
            result, _parts = view_parts(service, state)
        except KpiRequestError:
            continue
        for line in g.lines(result):
            if line.drillable and state.can_drill():
                try:
                    view_parts(service, state.drill(line.key))
                except KpiRequestError:
                    continue


def overview_link(cards, gemeente: str | None = None, stand=None) -> html.P | None:
    """From the overview's kosten band: "Waarom stijgen de kosten?" (or dalen), after the card of
    totale_kosten, whose change it explains."""
    card = next((c for c in cards if c.kpi.id == "totale_kosten"), None)
    if card is None:
        return None
    change = None
    if card.value is not None and card.previous is not None:
        change = round((card.value - card.previous) * 100)
    text = g.question(change)
    return html.P(html.A([html.I(className="bi bi-bar-chart-steps", **{"aria-hidden": "true"}), f" {text}"],
                         href=growth_href(card.jaar, gemeente, stand), id="kostengroei-link"),
                  className="mb-0 mt-1")

