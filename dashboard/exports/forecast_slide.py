"""The year-end forecast of the kosten in the presentation (screen and PowerPoint) and the PDF
report: what of kpi/forecast/ goes into them, once, so the slide, the file and the report say the
same. A deck or report of the running year gets it; a complete year, a stand (its frozen service
holds KPI results only: the forecast is not part of a stand, dashboard/ui/forecast_view.py) or a
forecast the engine refuses or hides gets nothing.

    forecast_of(service, jaar)          # (PrognoseResultaat, Backtest) or None
    forecast_slides(service, jaar)      # [] or [Slide]
"""
from __future__ import annotations

from dashboard.exports.slide_model import Cell, Chart, Column, Paragraph, Series, Slide, Table
from dashboard.ui.forecast_view import (
    backtest_summary,
    cumulative,
    forecast_available,
    running_year,
    short_line,
    year_rows,
)
from kpi import format as fmt
from kpi.forecast import cached, texts
from kpi.forecast.errors import ForecastError
from kpi.forecast.results import Backtest, PrognoseResultaat

TITLE = "Prognose kosten jeugdhulp {jaar}"


def forecast_of(service, jaar: int) -> tuple[PrognoseResultaat, Backtest] | None:
    """The forecast of `jaar` and the backtest, when a deck or report of `jaar` should show them."""
    if not forecast_available(service) or not running_year(service.data_status().data_tot, jaar):
        return None
    try:
        result, backtest = cached.prognose(service, jaar), cached.backtest(service)
    except ForecastError:
        return None
    return None if result.totaal.afgeschermd else (result, backtest)


def lead_sentence(result: PrognoseResultaat) -> str:
    p = result.totaal
    parts = [texts.jaarkosten_zin(p)] + [s for s in (texts.overschrijding_zin(p), texts.budget_op_zin(p)) if s]
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def basis_sentence(result: PrognoseResultaat) -> str:
    """Peildatum, model, and the flag without receipt dates."""
    text = (f"Peildatum {fmt.datum(result.peildatum)}; model: {texts.model_in_words(result.totaal.model)}. "
            "Het 80%-interval: in 8 van "
            "de 10 gevallen valt de uitkomst erbinnen.")
    if result.mogelijk_onvolledig:
        text += (f" Let op: zonder ontvangstdatums zijn de laatste maanden {texts.MOGELIJK_ONVOLLEDIG}; de prognose "
                 "valt daardoor waarschijnlijk te laag uit.")
    return text


def forecast_chart(result: PrognoseResultaat) -> Chart:
    """The expected kosten added up from January against the begroting: where the line crosses
    the begroting, the budget is used up."""
    p = result.totaal
    labels = tuple(fmt.periode_label(f"{m.maand.year}-{m.maand.month:02d}").split()[0] for m in p.maanden)
    expected, _declared = cumulative(p)
    series = [Series("Verwacht, opgeteld vanaf januari", tuple(expected))]
    if p.budget is not None:
        series.append(Series("Begroting", tuple(p.budget for _ in labels)))
    return Chart("lijn", f"Kosten {p.jaar} opgeteld vanaf januari, tegen de begroting", labels, tuple(series), "€")


def forecast_slide(result: PrognoseResultaat, backtest: Backtest) -> Slide:
    p = result.totaal
    rows = tuple((Cell(label), Cell(value, kind="number")) for label, value in year_rows(p))
    table = Table((Column(f"Jaar {p.jaar}"), Column("Bedrag", numeric=True)), rows)
    notes = [lead_sentence(result), basis_sentence(result), backtest_summary(backtest),
             texts.HOE_BEREKEND["nog_te_verwachten"], texts.HOE_BEREKEND["verwacht_totaal"]]
    notes += [f"Prognose gemaakt eind {fmt.MAANDEN[m.maand - 1]}: gemiddeld {fmt.number(m.mape, 1)}% naast de "
              f"uitkomst; binnen het 80%-interval in {fmt.number(m.dekking, 0)}% van de jaren." for m in backtest.per_maand]
    return Slide(TITLE.format(jaar=p.jaar), "prognose",
                 paragraphs=(Paragraph(short_line(p) + ".", "lead"),
                             Paragraph(backtest_summary(backtest), "secondary")),
                 table=table, chart=forecast_chart(result), notes=tuple(notes),
                 footnote=basis_sentence(result))


def forecast_slides(service, jaar: int) -> list[Slide]:
    found = forecast_of(service, jaar)
    return [] if found is None else [forecast_slide(*found)]
