"""The presentation as plain data: a Deck of Slides, built from a KPI service and the programme.

Two renderers read the same deck — HTML (dashboard/exports/slides_html.py, shown by pages/presentatie.py)
and PowerPoint (dashboard/exports/slides_pptx.py), both placed by dashboard/exports/slide_layout.py — so a slide
and its numbers read the same on the screen and in the file. The builder
takes the service and the programme as arguments, never globals: a *frozen* service (a vastgestelde
stand per peildatum) then gives the slides of that stand.

Every table cell holds the text as shown (Dutch formatting, `<10` when suppressed) and the number
behind it; chart points of a suppressed value are None (left empty), and the notes say so.

The deck is the whole presentation: the fixed slides, then the explorer views added with
"Toevoegen aan presentatie" (dashboard/exports/explorer_slide.py), so the file the raad gets holds the
slides that were shown, in their order.
"""
from __future__ import annotations

import datetime as dt
from typing import Sequence

from dashboard.exports.answers import bad_year
from dashboard.exports.explorer_slide import explorer_slide
from dashboard.exports.forecast_slide import forecast_slides
from dashboard.exports.growth_slide import growth_slide
from dashboard.exports.slide_model import (  # noqa: F401  (the model, re-exported)
    BRON,
    Cell,
    Chart,
    Column,
    Deck,
    Paragraph,
    Series,
    Slide,
    Table,
    first_sentence,
    short_name,
)
from dashboard.programme.overview import CardData, change_text, left_out_notes, overview_cards, running_year_change
from dashboard.programme.progress import (
    DoelstellingView,
    IndicatorView,
    ProgrammeView,
    indicator_values,
    maatregelen_text,
    moved_target_text,
    realisatie_text,
    stand_counts_text,
)
from dashboard.programme.status import VOLGPERIODE, Status
from dashboard.server.params import whole_number
from data.programme.plan import Plan
from kpi import AXIS_NAMES, CATALOGUE, privacy
from kpi import format as fmt


def suppressed_note(naam: str, threshold: int, in_chart: bool) -> str:
    where = " In de grafiek is dit punt leeg gelaten." if in_chart else ""
    return (f"{naam}: afgeschermd (<{threshold}). Deze waarde rust op minder dan {threshold} jeugdigen of "
            f"antwoorden en wordt niet getoond, zodat niemand herkenbaar wordt.{where}")


def value_cell(value: float | None, eenheid: str, suppressed: bool, threshold: int) -> Cell:
    return Cell(fmt.value(value, eenheid, suppressed=suppressed, threshold=threshold),
                None if suppressed else value, suppressed, "number")


def target_cell(target: float | None, eenheid: str, original: float | None = None) -> Cell:
    """A target's cell; a moved one says the plan's: "600 dagen (was 507 dagen)"."""
    return Cell(moved_target_text(target, original, eenheid) or "–", target, kind="number")


def status_cell(found: Status | None, value: Cell, target: float | None, reden: str | None = None) -> Cell:
    """The status, or why there is none (`reden`: dashboard.programme.status.reason; the HTML shows its own
    badge for None)."""
    if found:
        text = found.label
    elif reden:
        text = reden
    elif value.suppressed:
        text = "afgeschermd"
    elif target is None:
        text = "geen streefwaarde"
    else:
        text = "nog geen waarde"
    return Cell(text, kind="status", status=found)


def target_and_status(target_text: str, found: Status | None, reden: str | None, has_target: bool) -> str:
    """"streefwaarde 2025: 12%; status op koers", or without a target "geen streefwaarde, dus geen
    status" (the reason once, not "geen streefwaarde; geen status (geen streefwaarde)")."""
    if found:
        return f"{target_text}; status {found.label.lower()}"
    if not has_target:
        return f"{target_text}, dus geen status"
    return f"{target_text}; geen status ({reden or 'nog geen waarde'})"


# --- the slides -----------------------------------------------------------------------------

def title_slide(plan: Plan, jaar: int, data_tot: dt.date | None, threshold: int,
                stand_label: str | None = None) -> Slide:
    """The programme's name (`plan`) over the year. `stand_label`: "Stand per 12 november 2026"
    when the deck shows a vastgestelde stand."""
    stand = f"gegevens t/m {fmt.datum(data_tot)}" if data_tot else "nog geen gegevens"
    notes = [f"Voortgang van het {plan.naam} over {jaar}, uit de Jeugdmonitor ({stand}).",
             "Per as (kwaliteit, kwantiteit, kosten, tevredenheid) de KPI's tegen de streefwaarde, "
             "daarna per doelstelling de indicatoren.",
             privacy.small_numbers_line(threshold)]
    if data_tot and data_tot.year == jaar and (data_tot.month, data_tot.day) != (12, 31):
        notes.insert(1, f"Let op: {jaar} is nog niet compleet; de cijfers lopen t/m {fmt.datum(data_tot)}.")
    return Slide(plan.naam, "titel", paragraphs=(
        Paragraph(f"Voortgang {jaar}", "lead"),
        Paragraph(f"Gemeente {plan.gemeente} · commissie"),
        Paragraph(stand_label if stand_label else f"Stand: {stand}", "secondary"),
    ), notes=tuple(notes))


def programme_slide(programme: ProgrammeView, jaar: int) -> Slide:
    """Per lijn its maatregelen and how they stood in `jaar` (MaatregelView.stand: the year's last
    reported quarter, the raad's vastgestelde)."""
    rows, notes = [], []
    every = []
    for lijn in programme.lijnen:
        stands = [m.stand(jaar) for m in lijn.maatregelen]
        every += stands
        stand = stand_counts_text(stands)
        rows.append((Cell(f"{lijn.nummer}. {lijn.naam}"),
                     Cell(str(len(lijn.maatregelen)), len(lijn.maatregelen), kind="number"),
                     Cell(stand)))
        notes.append(f"Lijn {lijn.nummer}, {lijn.naam}: {maatregelen_text(len(lijn.maatregelen))}"
                     + (f" ({stand})." if stand else "."))
    summary = stand_counts_text(every)
    notes.insert(0, f"{len(programme.lijnen)} strategische lijnen met samen {len(every)} "
                    f"maatregelen" + (f"; hun status in {jaar}, naar de laatste kwartaalrapportage over {jaar}: "
                                      f"{summary}." if summary else "."))
    table = Table((Column("Strategische lijn"), Column("Maatregelen", numeric=True),
                   Column(f"Stand van de maatregelen in {jaar}")), tuple(rows))
    return Slide("Het programma in één oogopslag", "programma", table=table, notes=tuple(notes))


def _in_chart(card: CardData, chart: Chart | None) -> bool:
    """Is this card's current value a point of the chart?"""
    if chart is None:
        return False
    if chart.kind == "staaf":
        return short_name(card.kpi.naam) in chart.categories
    return chart.title.startswith(short_name(card.kpi.naam) + ":")


def _kpi_note(card: CardData, chart: Chart | None) -> str:
    naam, jaar = card.kpi.naam, card.jaar
    if card.suppressed:
        return suppressed_note(naam, card.threshold, in_chart=_in_chart(card, chart))
    if card.value is None:
        return f"{naam}: geen waarde over {jaar}. {first_sentence(card.kpi.definitie)}"
    year = f"{jaar} ({card.deeljaar})" if card.deeljaar else str(jaar)
    return (f"{naam}: {card.value_text} in {year}; "
            f"{target_and_status(card.target_text, card.status, card.reden, card.target is not None)}; "
            f"{card.change_text}. {first_sentence(card.kpi.definitie)}")


def axis_chart(cards: list[CardData], jaar: int, programme: ProgrammeView) -> Chart | None:
    """One chart per axis slide, sharing one value axis (so one unit): realisatie beside
    streefwaarde for the axis's percentage KPIs when there are several; otherwise the trend of the
    axis's first KPI since FIRST_YEAR with its streefwaarden (a single bar pair says little)."""
    percentages = [c for c in cards if c.kpi.eenheid == "%"]
    if len(percentages) >= 2:
        targets = tuple(c.target for c in percentages)
        if not any(t is not None for t in targets):  # a year before the plan's: no empty streefwaarde in the legend
            return Chart("staaf", f"Percentages {jaar}", tuple(short_name(c.kpi.naam) for c in percentages),
                         (Series(f"Realisatie {jaar}", tuple(c.value for c in percentages)),), "%")
        return Chart("staaf", f"Percentages: {jaar} en streefwaarde",
                     tuple(short_name(c.kpi.naam) for c in percentages),
                     (Series(f"Realisatie {jaar}", tuple(c.value for c in percentages)),
                      Series(f"Streefwaarde {jaar}", targets)), "%")
    if not cards:
        return None
    lead = cards[0]
    indicator = programme.indicator_for_kpi(lead.kpi.id)
    targets = indicator.streefwaarden if indicator else {}
    series = [Series("Realisatie", lead.trend_values)]
    if any(year in targets for year in lead.trend_years):
        series.append(Series("Streefwaarde", tuple(targets.get(year) for year in lead.trend_years)))
    span = lead.trend_labels[0] if len(lead.trend_labels) == 1 else f"{lead.trend_labels[0]}–{lead.trend_labels[-1]}"
    running = (lead.trend_labels[-1],) if lead.deeljaar else ()
    return Chart("lijn", f"{short_name(lead.kpi.naam)}: trend {span}", lead.trend_labels, tuple(series),
                 lead.kpi.eenheid, running)


def _chart_note(chart: Chart, axis_name: str, jaar: int) -> str:
    if chart.kind == "staaf" and len(chart.series) == 1:
        return (f"De grafiek toont de percentages van {axis_name.lower()} in {jaar}, zonder streefwaarde: het "
                f"programma heeft er voor {jaar} geen. De andere KPI's staan alleen in de tabel.")
    if chart.kind == "staaf":
        return (f"De grafiek zet de percentages van {axis_name.lower()} naast hun streefwaarde {jaar}; "
                "de andere KPI's staan alleen in de tabel.")
    empty = [label for label, v in zip(chart.categories, chart.series[0].values, strict=True) if v is None]
    text = f"De lijn toont het verloop per jaar ({chart.title}), met de streefwaarde voor zover vastgesteld."
    if empty:
        text += f" Geen punt (afgeschermd of onbekend) in: {', '.join(empty)}."
    return text


def axis_slide(axis_name: str, cards: list[CardData], jaar: int, programme: ProgrammeView,
               left_out: str | None = None) -> Slide:
    """`left_out`: the sentence naming the axis's KPIs without data ("Niet getoond: …, want er zijn
    geen kosten geladen."): in the notes, and on the slide itself when it leaves nothing to show."""
    if not cards:
        return Slide(f"{axis_name} {jaar}", "as", paragraphs=(Paragraph(left_out or "Geen KPI's.", "secondary"),),
                     notes=(left_out,) if left_out else ())
    rows = []
    for c in cards:
        value = value_cell(c.value, c.kpi.eenheid, c.suppressed, c.threshold)
        rows.append((Cell(c.kpi.naam), value, target_cell(c.target, c.kpi.eenheid, c.original_target),
                     status_cell(c.status, value, c.target, c.reden)))
    partial = next((c.deeljaar for c in cards if c.deeljaar), None)  # the data end inside `jaar`
    year_column = f"{jaar} ({partial})" if partial else str(jaar)
    table = Table((Column("KPI"), Column(year_column, numeric=True), Column("Streefwaarde", numeric=True),
                   Column("Status")), tuple(rows))
    chart = axis_chart(cards, jaar, programme)
    notes = [_kpi_note(c, chart) for c in cards]
    if chart:
        notes.insert(0, _chart_note(chart, axis_name, jaar))
    if left_out:
        notes.append(left_out)
    suppressed = next((c for c in cards if c.suppressed), None)
    return Slide(f"{axis_name} {jaar}", "as", table=table, chart=chart, notes=tuple(notes),
                 footnote=privacy.small_numbers_line(suppressed.threshold) if suppressed else "")


def _indicator_definition(ind: IndicatorView) -> str:
    if ind.is_kpi:
        return first_sentence(CATALOGUE[ind.kpi_id].definitie)
    text = first_sentence(ind.omschrijving) if ind.omschrijving else ""
    return (text + " " if text else "") + "Handmatig gerapporteerd door de trekker."


def doelstelling_slide(doel: DoelstellingView, service, jaar: int, threshold: int) -> Slide:
    """The doelstelling's indicators in `jaar`; a slide with a `<T` or a manual realisatie carries
    the small-number line at its foot (a manual 3 beside a KPI's <10 is no contradiction of it)."""
    rows, notes, reaches = [], [], []
    small = False
    for ind in doel.indicatoren:
        previous, current = indicator_values(service, ind, range(jaar - 1, jaar + 1))
        reaches.append(current.deeljaar)
        small = small or current.suppressed or (not ind.is_kpi and (current.waarde is not None or bool(current.deelwaarde)))
        value = value_cell(current.waarde, ind.eenheid, current.suppressed, threshold)
        if current.deelwaarde and current.waarde is None:  # a quarter's value, labelled, never the year's number
            value = Cell(realisatie_text(ind.eenheid, current, threshold), kind="number")
        rows.append((Cell(ind.naam), value, target_cell(current.streefwaarde, ind.eenheid, ind.oorspronkelijke_streefwaarden.get(jaar)),
                     status_cell(current.status, value, current.streefwaarde, current.reden)))
        if current.suppressed:
            notes.append(suppressed_note(ind.naam, threshold, in_chart=False))
            continue
        if current.waarde is None:
            latest = (f" (laatste kwartaal: {realisatie_text(ind.eenheid, current, threshold)})"
                      if current.deelwaarde else "")
            notes.append(f"{ind.naam}: nog geen waarde over {jaar}{latest}. {_indicator_definition(ind)}")
            continue
        target = ("geen streefwaarde" if current.streefwaarde is None
                  else f"streefwaarde {jaar}: {fmt.value(current.streefwaarde, ind.eenheid)}")
        if ind.is_kpi and current.deeljaar:  # against the same months of last year, as the overview
            change = running_year_change(service, CATALOGUE[ind.kpi_id], jaar, current.waarde,
                                         service.data_status().data_tot, current.deeljaar,
                                         follow_up_running=current.reden == VOLGPERIODE)
        else:
            change = change_text(current.waarde, None if previous.suppressed else previous.waarde,
                                 ind.eenheid, ind.richting, jaar)
        year = f"{jaar} ({current.deeljaar})" if current.deeljaar else str(jaar)
        notes.append(f"{ind.naam}: {fmt.value(current.waarde, ind.eenheid)} in {year}; "
                     f"{target_and_status(target, current.status, current.reden, current.streefwaarde is not None)}; "
                     f"{change}. {_indicator_definition(ind)}")
    if doel.omschrijving:
        notes.insert(0, f"Doelstelling {doel.nummer}: {doel.omschrijving}")
    partial = next((reach for reach in reaches if reach), None)  # the data end inside `jaar`: "t/m september"
    year_column = f"{jaar} ({partial})" if partial else str(jaar)
    table = Table((Column("Indicator"), Column(year_column, numeric=True), Column("Streefwaarde", numeric=True),
                   Column("Status")), tuple(rows))
    return Slide(f"Doelstelling {doel.nummer}: {doel.naam}", "doelstelling", table=table, notes=tuple(notes),
                 footnote=privacy.small_numbers_line(threshold) if small else "")


def build_deck(service, programme: ProgrammeView, jaar: int, stand_label: str | None = None,
               dias: Sequence = ()) -> Deck:
    """Title, the programme at a glance, one slide per axis (after kosten: why they changed,
    dashboard/exports/growth_slide.py, and for the running year the kosten forecast,
    dashboard/exports/forecast_slide.py), one per doelstelling, then the added
    explorer views `dias` (data.programme.stand_store.Dia: titel and weergave), in their order. A frozen service
    and programme with their `stand_label` ("Stand per … — titel", on the title slide and in every
    footer) and the stand's own dias give the deck of a vastgestelde stand."""
    threshold = service.threshold  # a stand's own, when the service is frozen
    data_tot = service.data_status().data_tot
    slides = [title_slide(programme.plan, jaar, data_tot, threshold, stand_label), programme_slide(programme, jaar)]
    bands = overview_cards(service, jaar, programme)
    left_out = left_out_notes(service.data_status())
    for axis, name in AXIS_NAMES.items():
        slides.append(axis_slide(name, bands[axis], jaar, programme, left_out.get(axis)))
        if axis == "kosten":  # why the kosten changed, and where they are heading, right after them
            slides.append(growth_slide(service, jaar))
            slides += forecast_slides(service, jaar)  # the running year's forecast (live only)
    slides += [doelstelling_slide(doel, service, jaar, threshold) for doel in programme.doelstellingen]
    slides += [explorer_slide(service, dia.titel, dia.weergave) for dia in dias]
    return Deck(jaar, data_tot, tuple(slides), programme.plan.naam, stand_label)


class YearError(ValueError):
    """A presentation year that is no year, or one the data does not cover (message in Dutch)."""


def choose_year(raw: str | int | None, years: range, default: int) -> int:
    """The year asked for (the default when none is given), or YearError."""
    text = "" if raw is None else str(raw).strip()
    if text == "":  # a blank year is no year asked, as the report reads it
        return default
    # ASCII digits, four of them ('²²²²' is no year), in `years`: else the message of every export
    if len(text) != 4 or whole_number(text, years.start, years.stop - 1) is None:
        raise YearError(bad_year(text, years))
    return int(text)
