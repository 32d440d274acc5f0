"""Builders for the programme pages: indicator rows and tables. Pure given the service."""
from __future__ import annotations

from urllib.parse import urlencode

import dash_bootstrap_components as dbc
from dash import html

from dashboard.programme.progress import (
    MAATREGEL_STATUS_ICONS,
    IndicatorView,
    IndicatorYear,
    MaatregelStand,
    MaatregelView,
    indicator_values,
    realisatie_text,
    year_text,
)
from dashboard.server import params
from dashboard.ui import components
from data.programme.plan import Plan
from kpi import format as fmt
from kpi.settings import min_cell_size


def value_text(ind: IndicatorView, value, suppressed: bool) -> str:
    return fmt.value(value, ind.eenheid, suppressed=suppressed, threshold=min_cell_size())


def year_value_text(ind: IndicatorView, year: IndicatorYear | None) -> str:
    """The year's realisatie as shown (a quarter's labelled: "K3 2026: 14"; progress.realisatie_text)."""
    return realisatie_text(ind.eenheid, year, min_cell_size())


def maatregel_status(stand: MaatregelStand) -> html.Span:
    """The year's status with its icon and which quarter it is from: "Op schema · status K4 2025"."""
    return html.Span([html.I(className=f"bi {MAATREGEL_STATUS_ICONS.get(stand.status, 'bi-dash-circle')}",
                             **{"aria-hidden": "true"}), " ", stand.label,
                      html.Span(f" · {stand.wanneer}", className="small text-body-secondary") if stand.wanneer else None],
                     className=f"maatregel-status maatregel-{stand.code}")


def programme_years(plan: Plan, years: range, default: int) -> tuple[range, int]:
    """The years the programme pages offer: the plan's (`Plan.jaren`, 2025–2028) that the data's
    `years` reach, and the data's `default` moved into them. A year before the programme has no
    streefwaarden and no voortgang to show ("45 zonder voortgang over 2020"); data ending before
    the programme began (or beginning after it ended) leave its nearest year."""
    offered = range(max(years.start, plan.eerste_jaar), min(years.stop, plan.laatste_jaar + 1))
    if not offered:
        near = plan.eerste_jaar if years.stop <= plan.eerste_jaar else plan.laatste_jaar
        offered = range(near, near + 1)
    return offered, min(max(default, offered.start), offered.stop - 1)


def programme_year(raw, plan: Plan, years: range, default: int) -> tuple[range, int, str | None]:
    """`jaar` of a programme page's link, as `params.year` reads a year: (the years offered, the
    year shown, the message when the link asked for another). A year outside the plan (the
    overview's 2020, which the menu carries along) is told why."""
    offered, fallback = programme_years(plan, years, default)
    chosen, message = params.year(raw, offered, fallback)
    text = params.one(raw)
    asked = params.whole_number(text)
    if message and asked is not None and asked not in plan.jaren:
        message = (f"Jaar '{params.shown(text)}' valt buiten het programma ({plan.eerste_jaar}–"
                   f"{plan.laatste_jaar}); {chosen} wordt getoond.")
    return offered, chosen, message


def page_query(jaar: int | str, stand: str | None = None) -> str:
    """The query a link between the programme pages (/programma, a lijn, an indicator) keeps:
    "?jaar=2026", the year being looked at, and "&stand=3" when the page was opened from a stand's
    link — the next page says again that it shows today's figures, not the stand's
    (stand_source.live_only_notice). `stand` as `params.stand` reads it; an empty one names none."""
    return "?" + urlencode({"jaar": str(jaar)} | ({"stand": stand} if stand else {}))


def trend_years(plan: Plan, jaar: int) -> range:
    """From the plan's nulmeting year to `jaar` (a year before the programme: that year alone)."""
    return range(min(plan.nulmeting_jaar, jaar), jaar + 1)


def indicator_series(service, ind: IndicatorView, jaar: int, plan: Plan) -> list[IndicatorYear]:
    """An indicator's years from the plan's nulmeting year to `jaar`; the last is `jaar`'s own,
    with its status."""
    return indicator_values(service, ind, trend_years(plan, jaar))


def indicator_table(service, indicators: list[IndicatorView], jaar: int, caption: str, plan: Plan,
                    series_of: dict[str, list[IndicatorYear]] | None = None, stand: str | None = None) -> html.Table:
    """Per indicator: realisatie and streefwaarde of `jaar`, status, and a small trend.
    `series_of`: the indicators' series when the caller computed them already. A year whose data
    are not complete reads as the overview names it, "2026 (t/m september)" (year_text). An
    indicator's link keeps `jaar` and `stand` (page_query)."""
    data_tot = service.data_status().data_tot
    rows = []
    partial = False  # a value of part of `jaar` in the table: the trend's header says so too
    for ind in indicators:
        series = (series_of or {}).get(ind.code) or indicator_series(service, ind, jaar, plan)
        current = series[-1]
        partial = partial or bool(current.deeljaar)
        trend_values = [None if y.suppressed else y.waarde for y in series]
        # only a value of part of the year says so: a manual indicator's year value is the whole year
        trend_label = "Trend " + ", ".join(f"{year_text(y.jaar, data_tot if y.deeljaar else None)}: "
                                           f"{year_value_text(ind, y)}" for y in series)
        bron = "KPI" if ind.is_kpi else "handmatig"
        rows.append(html.Tr([
            html.Th([html.A(ind.naam, href=f"/indicator/{ind.code}{page_query(jaar, stand)}"),
                     html.Span(f" ({bron})", className="small text-body-secondary")], scope="row"),
            html.Td([components.shown_value(year_value_text(ind, current), current.suppressed, min_cell_size())] +
                    ([html.Span(f" {current.deeljaar}", className="small text-body-secondary")] if current.deeljaar else []),
                    className="text-end"),
            html.Td("–" if current.streefwaarde is None else fmt.value(current.streefwaarde, ind.eenheid),
                    className="text-end"),
            html.Td(components.status_badge(current.status, current.reden)),
            html.Td([components.sparkline(trend_values, last_partial=bool(current.deeljaar)),
                     html.Span(trend_label, className="visually-hidden")]),
        ]))
    head = html.Thead(html.Tr([html.Th("Indicator", scope="col"),
                               html.Th(f"Realisatie {jaar}", scope="col", className="text-end"),
                               html.Th(f"Streefwaarde {jaar}", scope="col", className="text-end"),
                               html.Th("Status", scope="col"),
                               html.Th(f"Trend {trend_years(plan, jaar).start}–"
                                       f"{year_text(jaar, data_tot if partial else None)}", scope="col")]))
    return html.Table([html.Caption(caption), head, html.Tbody(rows)],
                      className="table table-sm align-middle kpi-table")


def maatregel_table(maatregelen: list[MaatregelView], caption: str, jaar: int, stand: str | None = None) -> html.Table:
    """The maatregelen with their status of `jaar` (MaatregelView.stand), which quarter it is from;
    each links to its section of the lijn page, of `jaar` (and `stand`: page_query)."""
    head = html.Thead(html.Tr([html.Th("Maatregel", scope="col"), html.Th("Trekker", scope="col"),
                               html.Th(f"Status {jaar}", scope="col"), html.Th("Schaal", scope="col")]))
    body = html.Tbody([html.Tr([
        html.Th(html.A(f"{m.code} {m.naam}",
                       href=f"/programma/{m.lijn}{page_query(jaar, stand)}#maatregel-{m.code.replace('.', '-')}"),
                scope="row"),
        html.Td(m.trekker or "–"), html.Td(maatregel_status(m.stand(jaar))),
        html.Td(dbc.Badge("regionaal", color="secondary") if m.regionaal else "lokaal"),
    ]) for m in maatregelen])
    return html.Table([html.Caption(caption), head, body], className="table table-sm align-middle kpi-table")
