"""The year-end forecast of totale_kosten on the screens (issue 17; the engine is kpi/forecast/):
the short line on the overview's kosten band, and the content of /prognose — the monthly and the
cumulative chart with their tables, the year-end figures, the per-hulpvorm table, the panel "Hoe
betrouwbaar is deze prognose?" and the "Hoe berekend?" texts. Pure builders given the engine's
results (kpi/forecast/results.py); the small-number verdicts are the engine's: a series or a
month it withholds is never drawn here.

The forecast is not part of a vastgestelde stand: a stand records KPI results, and the forecast
is a model's answer on the live warehouse. A stand's screens and exports leave it out and say so
(`NOT_IN_STAND`)."""
from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import html

from dashboard.ui import components
from dashboard.ui.theme import PALETTE
from kpi import format as fmt
from kpi.forecast import texts
from kpi.forecast.results import AANGEVULD, PROGNOSE, Backtest, Prognose, PrognoseResultaat

PATH = "/prognose"
LINE_ID = "prognose-regel"
HELP_ID = "hoe-berekend-prognose"
BACKTEST_ID = "betrouwbaarheid"
NOT_IN_STAND = ("De prognose hoort niet bij een vastgestelde stand: een stand legt de gerealiseerde cijfers "
                "vast, de prognose is een schatting op de actuele gegevens en verandert met elke levering.")
SOORT = {"gerealiseerd": "volledig", "aangevuld": "wordt nog aangevuld", "prognose": "prognose"}


def prognose_href(jaar: int | None = None, gemeente: str | None = None, hulpvorm: str | None = None) -> str:
    parts = [(name, str(value)) for name, value in (("jaar", jaar), ("gemeente", gemeente), ("hulpvorm", hulpvorm))
             if value]
    return PATH + ("?" + urlencode(parts) if parts else "")


def forecast_available(service) -> bool:
    """Only the live service forecasts: a stand's frozen service (or its recorder) holds KPI
    results, not the warehouse the model needs."""
    from kpi.service import KpiService

    return isinstance(service, KpiService)


def running_year(data_tot: dt.date | None, jaar: int) -> bool:
    """Is `jaar` the year whose data are not complete yet (the one a forecast is about)?"""
    return data_tot is not None and data_tot.year == jaar and (data_tot.month, data_tot.day) != (12, 31)


def series_of(result: PrognoseResultaat, gemeente: str | None = None, hulpvorm: str | None = None) -> Prognose | None:
    """The series a view asks for: the total, a gemeente's or a hulpvorm's (None: not in the result)."""
    if hulpvorm:
        return next((p for p in result.per_hulpvorm if p.sleutel == hulpvorm), None)
    if gemeente:
        return next((p for p in result.per_gemeente if p.sleutel == gemeente), None)
    return result.totaal


def with_interval(value: float, low: float, high: float) -> str:
    """"€ 14,2 mln (80%: € 13,8 – 14,7 mln)": in millions when any of the three reaches a million,
    so the amount and its interval read in one unit; else in euros."""
    if max(abs(value), abs(low), abs(high)) >= 1e6:
        return (f"€ {fmt.number(value / 1e6, 1)} mln (80%: € {fmt.number(low / 1e6, 1)} – "
                f"{fmt.number(high / 1e6, 1)} mln)")
    return f"{texts.euro(value)} (80%: {texts.euro(low)} – {texts.euro(high)})"


def short_line(p: Prognose) -> str:
    """"Prognose 2026: € 13,9 mln (80%: € 13,4 – 14,5 mln); verwachte overschrijding € 1,1 mln
    (80%: € 0,6 – 1,6 mln); begroting op in december" — the overview's line."""
    parts = [f"Prognose {p.jaar}: {with_interval(p.verwacht_totaal, p.totaal_laag, p.totaal_hoog)}"]
    if p.overschrijding is not None:
        low, high = p.overschrijding_laag, p.overschrijding_hoog
        if high < 0:
            parts.append(f"verwachte onderschrijding {with_interval(-p.overschrijding, -high, -low)}")
        else:
            parts.append(f"verwachte overschrijding {with_interval(p.overschrijding, low, high)}")
        parts.append(f"begroting op in {fmt.MAANDEN[p.budget_op.month - 1]}" if p.budget_op
                     else "begroting naar verwachting niet op dit jaar")
    return fmt.unbroken_amounts("; ".join(parts))


def overview_line(result: PrognoseResultaat, gemeente: str | None = None) -> html.P | None:
    """The kosten band's line with its link to /prognose; None when the series is hidden or absent."""
    p = series_of(result, gemeente)
    if p is None or p.afgeschermd:
        return None
    text = short_line(p) + (f" ({texts.MOGELIJK_ONVOLLEDIG}: zonder ontvangstdatums)" if result.mogelijk_onvolledig else "")
    return html.P([html.I(className="bi bi-graph-up-arrow", **{"aria-hidden": "true"}), " ", text, ". ",
                   html.A("Prognose en betrouwbaarheid", href=prognose_href(result.jaar, gemeente))],
                  className="small mb-3 forecast-line", id=LINE_ID)


# --- the charts ---------------------------------------------------------------------------------

def _month_labels(p: Prognose) -> list[str]:
    return [fmt.periode_label(f"{m.maand.year}-{m.maand.month:02d}") for m in p.maanden]


def monthly_figure(p: Prognose, title: str) -> go.Figure:
    """Per month: what is declared (solid), what is still expected for it (light, stacked on top),
    and the model's forecast (hatched), each with its 80% interval as an error bar. A month whose
    declared amount is withheld shows only its expected amount."""
    labels = _month_labels(p)
    declared = [m.gerealiseerd if m.soort != PROGNOSE else None for m in p.maanden]
    to_come = [(m.verwacht - (m.gerealiseerd or 0)) if m.soort == AANGEVULD else None for m in p.maanden]
    forecast = [m.verwacht if m.soort == PROGNOSE else None for m in p.maanden]
    err_plus = [m.hoog - m.verwacht if m.soort != "gerealiseerd" else None for m in p.maanden]
    err_minus = [m.verwacht - m.laag if m.soort != "gerealiseerd" else None for m in p.maanden]
    fig = go.Figure()
    fig.add_bar(x=labels, y=declared, name="gedeclareerd", marker_color=PALETTE[0],
                hovertemplate="%{x}: gedeclareerd € %{y:,.0f}<extra></extra>")
    fig.add_bar(x=labels, y=to_come, name="nog te verwachten declaraties", marker_color=PALETTE[5],
                marker_pattern_shape="/", error_y=dict(type="data", array=[e if t is not None else None for e, t in
                                                                          zip(err_plus, to_come, strict=True)],
                                                      arrayminus=[e if t is not None else None for e, t in
                                                                  zip(err_minus, to_come, strict=True)],
                                                      color="#444"),
                hovertemplate="%{x}: nog te verwachten € %{y:,.0f}<extra></extra>")
    fig.add_bar(x=labels, y=forecast, name="prognose (80%-interval)", marker_color=PALETTE[1],
                marker_pattern_shape="x",
                error_y=dict(type="data", array=[e if f is not None else None for e, f in zip(err_plus, forecast, strict=True)],
                             arrayminus=[e if f is not None else None for e, f in zip(err_minus, forecast, strict=True)],
                             color="#444"),
                hovertemplate="%{x}: prognose € %{y:,.0f}<extra></extra>")
    fig.update_layout(barmode="stack", title=title, yaxis_title="kosten per maand (€)",
                      legend=dict(orientation="h", y=-0.15), margin=dict(t=50, b=40, l=60, r=10))
    fig.update_yaxes(tickprefix="€ ", tickformat=",.0f", rangemode="tozero")  # Dutch: € 1.200.000, not € 1,2M
    return fig


def cumulative(p: Prognose) -> tuple[list[float], list[float | None]]:
    """(expected, declared) cumulated from January; declared only up to the last month with a
    declared amount (None after, and from a withheld month on)."""
    expected, declared, total, seen, known = [], [], 0.0, 0.0, True
    for m in p.maanden:
        total += m.verwacht
        expected.append(total)
        known = known and m.soort != PROGNOSE and m.gerealiseerd is not None
        seen += m.gerealiseerd or 0
        declared.append(seen if known else None)
    return expected, declared


def cumulative_figure(p: Prognose, title: str) -> go.Figure:
    labels = _month_labels(p)
    expected, declared = cumulative(p)
    fig = go.Figure()
    fig.add_scatter(x=labels, y=declared, name="gedeclareerd (opgeteld)", mode="lines+markers",
                    line=dict(color=PALETTE[0], width=3))
    fig.add_scatter(x=labels, y=expected, name="verwacht (opgeteld)", mode="lines+markers",
                    line=dict(color=PALETTE[1], dash="dash"))
    fig.add_scatter(x=[labels[-1]], y=[p.verwacht_totaal], name="jaarkosten, 80%-interval", mode="markers",
                    marker=dict(color=PALETTE[3], size=10, symbol="diamond"),
                    error_y=dict(type="data", array=[p.totaal_hoog - p.verwacht_totaal],
                                 arrayminus=[p.verwacht_totaal - p.totaal_laag], color=PALETTE[3], thickness=2))
    if p.budget is not None:
        fig.add_scatter(x=labels, y=[p.budget] * len(labels), name="begroting", mode="lines",
                        line=dict(color="#000000", dash="dot"))
    fig.update_layout(title=title, yaxis_title="kosten vanaf januari (€)", legend=dict(orientation="h", y=-0.15),
                      margin=dict(t=50, b=40, l=60, r=10))
    fig.update_yaxes(tickprefix="€ ", tickformat=",.0f", rangemode="tozero")
    return fig


# --- the tables ----------------------------------------------------------------------------------

def _num(text: str) -> html.Td:
    return html.Td(text, className="text-end text-nowrap")


def month_table(p: Prognose, drempel: int | None, onvolledig: bool, caption: str) -> html.Table:
    """The charts' table alternative: per month declared, expected, its interval and its kind."""
    rows = []
    for m in p.maanden:
        declared = ("–" if m.soort == PROGNOSE else f"<{drempel}" if m.gerealiseerd is None else texts.euro(m.gerealiseerd))
        interval = "" if m.hoog - m.laag < 1 else f"{texts.euro(m.laag)} – {texts.euro(m.hoog)}"
        soort = SOORT[m.soort]
        if onvolledig and m.soort != PROGNOSE and m is p.maanden[max(i for i, x in enumerate(p.maanden)
                                                                      if x.soort != PROGNOSE)]:
            soort = texts.MOGELIJK_ONVOLLEDIG
        rows.append(html.Tr([html.Th(fmt.periode_label(f"{m.maand.year}-{m.maand.month:02d}"), scope="row",
                                     className="text-nowrap"),
                             _num(declared), _num(texts.euro(m.verwacht)), _num(interval), html.Td(soort)]))
    head = html.Thead(html.Tr([html.Th("Maand", scope="col"), html.Th("Gedeclareerd", scope="col", className="text-end"),
                               html.Th("Verwacht", scope="col", className="text-end"),
                               html.Th("80%-interval", scope="col", className="text-end"),
                               html.Th("Stand van de maand", scope="col")]))
    return html.Table([html.Caption(caption), head, html.Tbody(rows)], className="table table-sm kpi-table")


def year_rows(p: Prognose) -> list[tuple[str, str]]:
    """The year-end figures as (label, text): the same words on the page, the slide and the PDF."""
    rows = [("Gerealiseerd (gedeclareerd t/m peildatum)", texts.euro(p.gerealiseerd)),
            ("Nog te verwachten declaraties", texts.euro(p.nog_te_verwachten)),
            ("Prognose rest van het jaar", texts.euro(p.prognose_rest)),
            ("Verwachte jaarkosten", texts.euro(p.verwacht_totaal)),
            ("80%-interval jaarkosten", f"{texts.euro(p.totaal_laag)} – {texts.euro(p.totaal_hoog)}")]
    if p.budget is not None:
        rows += [("Begroting", texts.euro(p.budget)), *overshoot_rows(p),
                 ("Begroting op in", fmt.MAANDEN[p.budget_op.month - 1] if p.budget_op else "niet dit jaar")]
    return rows


def overshoot_rows(p: Prognose) -> list[tuple[str, str]]:
    """The over- or underspend and its interval in the words of the sentence above the table
    (texts.overschrijding_zin): an onderschrijding only when the whole interval lies below the budget,
    then as positive amounts; else an overschrijding, signed. The table once named the point by its
    own sign ('onderschrijding € 200.000') beside a sentence saying 'overschrijding € -200.000', and
    gave an onderschrijding's interval as negative amounts."""
    low, high = p.overschrijding_laag, p.overschrijding_hoog
    if texts.bekend(p):  # a closed year: a fact, as the sentence says it
        word = "Onderschrijding" if p.overschrijding < 0 else "Overschrijding"
        return [(word, texts.euro(abs(p.overschrijding)))]
    if high < 0:
        return [("Verwachte onderschrijding", texts.euro(-p.overschrijding)),
                ("80%-interval onderschrijding", f"{texts.euro(-high)} – {texts.euro(-low)}")]
    return [("Verwachte overschrijding", texts.euro(p.overschrijding)),
            ("80%-interval overschrijding", f"{texts.euro(low)} – {texts.euro(high)}")]


def year_table(p: Prognose, caption: str) -> html.Table:
    body = [html.Tr([html.Th(label, scope="row"), _num(value)]) for label, value in year_rows(p)]
    return html.Table([html.Caption(caption), html.Tbody(body)], className="table table-sm kpi-table forecast-year")


def hulpvorm_scope(result: PrognoseResultaat) -> str:
    """What the rows per hulpvorm cover: every gemeente of the warehouse together (also when the
    page shows one of them), which is only worth saying when there is more than one."""
    together = "Alle gemeenten samen; p" if len(result.per_gemeente) > 1 else "P"
    return together + "er hulpvorm is er geen begroting."


def series_table(series: tuple[Prognose, ...], drempel: int | None, caption: str, header: str,
                 link=None) -> html.Table:
    """Per gemeente or hulpvorm: expected, interval, and where there is a budget (per gemeente; a
    hulpvorm has none) budget and overshoot; a hidden series reads `<drempel` and nothing else (the
    engine's verdict)."""
    budgets = any(p.budget is not None for p in series if not p.afgeschermd)
    rows = []
    for p in series:
        name = html.A(p.naam, href=link(p)) if link and not p.afgeschermd else p.naam
        if p.afgeschermd:
            rows.append(html.Tr([html.Th(name, scope="row"), _num(f"<{drempel}"), _num("")]
                                + ([_num(""), _num("")] if budgets else [])))
            continue
        cells = [html.Th(name, scope="row"), _num(texts.euro(p.verwacht_totaal)),
                 _num(f"{texts.euro(p.totaal_laag)} – {texts.euro(p.totaal_hoog)}")]
        if budgets:
            cells += [_num("–" if p.budget is None else texts.euro(p.budget)),
                      _num("–" if p.overschrijding is None else texts.euro(p.overschrijding))]
        rows.append(html.Tr(cells))
    head = html.Thead(html.Tr([html.Th(header, scope="col"),
                               html.Th("Verwachte jaarkosten", scope="col", className="text-end"),
                               html.Th("80%-interval", scope="col", className="text-end")]
                              + ([html.Th("Begroting", scope="col", className="text-end"),
                                  html.Th("Afwijking van de begroting", scope="col", className="text-end")]
                                 if budgets else [])))
    return html.Table([html.Caption(caption), head, html.Tbody(rows)], className="table table-sm kpi-table")


def _pct(value: float | None, decimals: int = 1) -> str:
    return "–" if value is None else f"{fmt.number(value, decimals)}%"


def backtest_summary(b: Backtest) -> str:
    """The backtest in one or two sentences (slide, PDF, the panel's lead)."""
    years = ", ".join(str(y) for y in b.jaren)
    text = (f"Getoetst op {years}: de prognose zat gemiddeld {_pct(b.mape)} naast de uitkomst (doortrekken "
            f"{_pct(b.mape_runrate)}, aandeel vorig jaar {_pct(b.mape_vorig_jaar)}); de uitkomst viel in "
            f"{_pct(b.dekking, 0)} van de gevallen binnen het 80%-interval.")
    missed = [d for d in b.doelen if not d.gehaald]
    if missed:
        text += " Niet gehaald: " + "; ".join(f"{d.omschrijving} (gemeten {_pct(d.waarde)})" for d in missed) + "."
    else:
        text += " Alle doelen voor de nauwkeurigheid zijn gehaald."
    return text


def backtest_panel(b: Backtest) -> html.Section:
    rows = [html.Tr([html.Th(f"eind {fmt.MAANDEN[m.maand - 1]}", scope="row", className="text-nowrap"), _num(_pct(m.mape)),
                     _num(_pct(m.mape_runrate)), _num(_pct(m.mape_vorig_jaar)), _num(_pct(m.dekking, 0)),
                     _num(str(m.aantal))]) for m in b.per_maand]
    rows.append(html.Tr([html.Th("alle maanden", scope="row"), _num(_pct(b.mape)), _num(_pct(b.mape_runrate)),
                         _num(_pct(b.mape_vorig_jaar)), _num(_pct(b.dekking, 0)), _num(str(len(b.oorsprongen)))],
                        className="fw-semibold"))
    head = html.Thead(html.Tr([html.Th("Prognose gemaakt", scope="col"),
                               html.Th("Fout prognose", scope="col", className="text-end"),
                               html.Th("Fout doortrekken", scope="col", className="text-end"),
                               html.Th("Fout aandeel vorig jaar", scope="col", className="text-end"),
                               html.Th("Binnen 80%-interval", scope="col", className="text-end"),
                               html.Th("Aantal jaren", scope="col", className="text-end")]))
    years = ", ".join(str(y) for y in b.jaren)
    table = html.Table([html.Caption(f"Gemiddelde absolute fout (MAPE) van de jaarprognose per maandeinde, getoetst "
                                     f"op {years}"), head, html.Tbody(rows)], className="table table-sm kpi-table")
    goals = html.Ul([html.Li([html.Strong("gehaald" if d.gehaald else "niet gehaald"),
                              f": {d.omschrijving} (gemeten {_pct(d.waarde)})"]) for d in b.doelen], className="small")
    parts = [html.H2("Hoe betrouwbaar is deze prognose?", className="h5"), html.P(backtest_summary(b)),
             dbc.Row([dbc.Col(table, lg=8), dbc.Col([html.H3("Doelen", className="h6"), goals], lg=4)])]
    if not b.gecorrigeerd:
        parts.append(dbc.Alert(f"Zonder ontvangstdatums is ook de toets {texts.MOGELIJK_ONVOLLEDIG}: elke "
                               "oorsprong ziet de maanden zoals ze nu zijn geleverd.", color="warning", className="py-2"))
    parts.append(html.Details([html.Summary("Hoe berekend?"), html.P(texts.HOE_BEREKEND["backtest"], className="mt-2")],
                              className="how-computed mb-3"))
    return html.Section(parts, className="axis-band", id=BACKTEST_ID)


def how_computed(p: Prognose) -> html.Details:
    fields = ["gerealiseerd", "nog_te_verwachten", "prognose_rest", "verwacht_totaal", "budget_op", "overschrijding"]
    items = [html.P(texts.HOE_BEREKEND[f]) for f in fields]
    model = texts.model_zin(p)
    if p.kalibratie != 1.0:
        model += f" Het interval is gekalibreerd op eerdere prognoses met factor {fmt.number(p.kalibratie, 2)}."
    items.append(html.P(model, className="text-body-secondary"))
    return html.Details([html.Summary("Hoe berekend?"), html.Div(items, className="mt-2")],
                        className="how-computed mb-3", id=HELP_ID)


def forecast_content(result: PrognoseResultaat, backtest: Backtest | None, gemeente: str | None = None,
                     hulpvorm: str | None = None, gemeente_link=None, hulpvorm_link=None) -> list:
    """/prognose's content for one series of `result` (the total, a gemeente or a hulpvorm)."""
    p = series_of(result, gemeente, hulpvorm)
    drempel = result.drempel
    parts: list = [html.P(f"Peildatum {fmt.datum(result.peildatum)}: declaraties ontvangen tot en met die dag.",
                          className="text-body-secondary")]
    if result.mogelijk_onvolledig:
        parts.append(dbc.Alert([html.Strong(f"Laatste maanden {texts.MOGELIJK_ONVOLLEDIG}. "),
                                texts.GEEN_ONTVANGSTDATUM], color="warning", id="prognose-onvolledig"))
    if p is None or p.afgeschermd:
        why = (f"afgeschermd: de prognose rust op minder dan {drempel} jeugdigen" if p is not None
               else "er zijn geen kosten van deze groep in dit jaar")
        parts.append(dbc.Alert(f"Geen prognose voor {p.naam if p else 'deze keuze'}: {why}.", color="info"))
    else:
        lead = [texts.jaarkosten_zin(p)]
        for sentence in (texts.overschrijding_zin(p), texts.budget_op_zin(p)):
            if sentence:
                lead.append(sentence)
        lead_text = fmt.unbroken_amounts("; ".join(lead))
        parts.append(html.P(html.Strong(lead_text[0].upper() + lead_text[1:] + "."), className="lead", id="prognose-kern"))
        name = "" if p.reeks == "totaal" else f" ({p.naam})"
        month_title = f"Kosten per maand {p.jaar}{name}: gedeclareerd, nog te verwachten en prognose"
        cum_title = f"Kosten opgeteld vanaf januari {p.jaar}{name}" + (", tegen de begroting" if p.budget is not None
                                                                       else "")
        parts.append(dbc.Row([
            dbc.Col(components.chart(monthly_figure(p, month_title), month_title + ". De tabel eronder geeft elke maand "
                                     "in getallen.", graph_id="prognose-maanden"), lg=7),
            dbc.Col(components.chart(cumulative_figure(p, cum_title), cum_title + ". De jaarcijfers staan in de tabel "
                                     "ernaast.", graph_id="prognose-opgeteld"), lg=5),
        ]))
        parts.append(dbc.Row([
            # the chart's own title: its text says the table below gives the same months in figures
            dbc.Col(month_table(p, drempel, result.mogelijk_onvolledig, month_title), lg=7),
            dbc.Col(year_table(p, f"Jaarprognose {p.jaar}{name}"), lg=5),
        ]))
        if any(m.gerealiseerd is None and m.soort != PROGNOSE for m in p.maanden) and drempel:
            parts.append(components.suppression_note(drempel))
        parts.append(how_computed(p))
    if not hulpvorm and result.per_hulpvorm:
        parts.append(html.Section([
            html.H2("Per hulpvorm", className="h5"),
            html.P(hulpvorm_scope(result), className="small text-body-secondary"),
            series_table(result.per_hulpvorm, drempel, f"Jaarprognose {result.jaar} per hulpvorm", "Hulpvorm",
                         hulpvorm_link),
            html.P(fmt.unbroken_amounts(texts.parts_note(result.per_hulpvorm, result.totaal, "hulpvorm") or ""),
                   className="small text-body-secondary", id="per-hulpvorm-optelling"),
        ], className="axis-band", id="per-hulpvorm"))
    if len(result.per_gemeente) > 1 and not gemeente and not hulpvorm:
        parts.append(html.Section([
            html.H2("Per gemeente", className="h5"),
            series_table(result.per_gemeente, drempel, f"Jaarprognose {result.jaar} per gemeente", "Gemeente",
                         gemeente_link),
            html.P(fmt.unbroken_amounts(texts.parts_note(result.per_gemeente, result.totaal, "gemeente") or ""),
                   className="small text-body-secondary"),
        ], className="axis-band", id="per-gemeente"))
    if any(s.afgeschermd for s in result.per_hulpvorm + result.per_gemeente) and drempel:
        parts.append(html.P(f"<{drempel}: afgeschermd, gebaseerd op minder dan {drempel} jeugdigen (of af te leiden "
                            "uit andere groepen).", className="small text-body-secondary"))
    if backtest is not None:
        parts.append(backtest_panel(backtest))
    return parts
