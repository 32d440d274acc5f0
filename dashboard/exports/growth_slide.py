"""The presentation's slide "Waarom stijgen de kosten?" (or dalen): the waterfall of the change of
the totale kosten (start → volume → mix → intensiteit → end) beside the table of the effects per
hulpvorm, as the slide model (dashboard/exports/slide_model.py) holds it, so the screen and the
PowerPoint show it alike. The figures are those of /kostengroei's default view for the year
(dashboard/programme/growth.py: live, recorded by a freeze, or a stand's).

The waterfall is a Chart of kind "waterval": the first and the last category are totals, those
between are the effects that lead from one to the other (dashboard/exports/waterfall.py draws it).
"""
from __future__ import annotations

from dashboard.exports.slide_model import Cell, Chart, Column, Paragraph, Series, Slide, Table
from dashboard.programme import growth as g
from dashboard.ui.state import FIRST_YEAR
from kpi import KpiRequestError
from kpi.cost_growth import GROEP, CostGrowth, GrowthRequest, later_months_note
from kpi.dimensions import DIMENSIONS

KIND = "kostengroei"


def growth_request(jaar: int, gemeente: str | None = None) -> GrowthRequest:
    """The view the presentation and the report explain: `jaar` against the year before, by hulpvorm."""
    return GrowthRequest(jaar, where={"gemeente": gemeente} if gemeente else {})


def labels_of(service, gemeente: str | None) -> dict:
    """The gemeente's name for the sentence ("binnen gemeente Huizen"), not its code."""
    return {("gemeente", gemeente): service.group_label("gemeente", gemeente)} if gemeente else {}


def growth_or_reason(service, jaar: int, gemeente: str | None = None) -> tuple[CostGrowth | None, str | None]:
    """(the decomposition, None), or (None, why it cannot be shown) in Dutch."""
    if jaar <= FIRST_YEAR:
        return None, f"De gegevens beginnen in {FIRST_YEAR}; de kostengroei is er vanaf {FIRST_YEAR + 1}."
    try:
        return g.cost_growth(service, growth_request(jaar, gemeente)), None
    except KpiRequestError as exc:
        return None, f"De kostengroei van {jaar} kan niet worden getoond: {exc}."


def title_of(result: CostGrowth | None) -> str:
    if result is None:
        return g.question(None)
    # "… 2026 tegenover 2025, telkens januari t/m mei": part of a year is not titled as the whole
    return f"{g.question(result.verandering_cent)} {g.versus(result)}"


THOUSANDS = "×\u00a0€\u00a01.000"   # no-break spaces: the unit never parts over two lines


def waterfall_chart(result: CostGrowth) -> Chart:
    """The waterfall for a slide: the years ("2026 (t/m mei)" when the same months are compared)
    and the effects by their short names, the amounts in thousands of euros, as in the table beside
    it (the notes have them in euros)."""
    steps = g.waterfall_steps(result)
    eerder, later = g.period_words(result)
    axis = g.value_axis(g.levels(steps))
    title = f"Kosten {THOUSANDS}" + (f"; de staven beginnen bij {axis.texts[0]}" if axis.truncated else "")
    names = (eerder, *(s.name for s in steps[1:-1]), later)
    return Chart("waterval", title, names,
                 (Series("Bedrag", tuple(s.euros for s in steps),
                         tuple(g.thousands(s.cents, not s.total) for s in steps)),), "€")


def effects_table(result: CostGrowth) -> Table:
    """Per group its change and its share of each effect, then the total; in thousands of euros."""
    columns = (Column(f"{DIMENSIONS[result.by].naam} (bedragen {THOUSANDS})"), Column("Verandering", numeric=True),
               *(Column(name, numeric=True) for name in g.effect_headers()))

    def row(line: g.Line) -> tuple[Cell, ...]:
        amounts = (line.verandering_cent, *line.effecten_cent)
        return (Cell(line.name),) + tuple(Cell(g.thousands(cents, signed=True), cents / 100, kind="number")
                                          for cents in amounts)
    return Table(columns, tuple(row(line) for line in g.lines(result) + [g.total_line(result)]))


def growth_slide(service, jaar: int, gemeente: str | None = None) -> Slide:
    result, reason = growth_or_reason(service, jaar, gemeente)
    if result is None:
        return Slide(title_of(None), KIND, paragraphs=(Paragraph(reason, "warning"),), notes=(reason,))
    headline = g.headline(result, labels_of(service, gemeente))
    if result.afgeschermd:
        notes = (headline, *result.toelichting)
        return Slide(title_of(result), KIND, paragraphs=(Paragraph(headline, "warning"),), notes=notes)
    groepen = DIMENSIONS[result.by].meervoud
    notes = (headline,
             *(f"{label}: {amount} — {meaning}." for label, amount, meaning in g.effect_explanations(result)),
             *(f"{line.name}: {line.verandering_text} (volume {line.effecten_text[0]}, mix {line.effecten_text[1]}, "
               f"intensiteit {line.effecten_text[2]})." for line in g.lines(result)),
             *result.toelichting, g.ROUNDING_NOTE)
    # the small groups' rule only where the table holds them: 'Overig', or the largest group 'en overig'
    small = (f"{groepen.capitalize()} met minder dan {result.min_cell_size} jeugdigen staan samen onder ‘Overig’. "
             if any(line.soort != GROEP for line in g.lines(result)) else "")
    footnote = (f"{small}Volume, mix en intensiteit tellen op tot de verandering (LMDI-methode; zie "
                f"de pagina Kostengroei in de Jeugdmonitor, ‘Hoe berekend?’).")
    later = later_months_note(result)   # "t/m mei" under "gegevens t/m 30 september" needs its reason
    if later:
        footnote = f"{footnote} {later}"   # after the small-number rule, which the foot's shield marks
    return Slide(title_of(result), KIND, paragraphs=(Paragraph(headline, "plain"),), table=effects_table(result),
                 chart=waterfall_chart(result), notes=notes, footnote=footnote)
