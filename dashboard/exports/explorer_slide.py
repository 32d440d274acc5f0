"""An explorer view as a presentation slide ("Toevoegen aan presentatie").

`explorer_slide(service, titel, weergave)` turns the view stored as the explorer's query string
into a slide of the slide model (dashboard/exports/slides.py), so the screen and the PowerPoint show it
alike: the bars of the breakdown (the page it was added from), or, without a breakdown, the
trend; the table of group, value and n as its alternative; the small-number rules as footnote and
in the notes. Pure given the service — the live service, the recording one while a stand is
frozen, or a stand's frozen one. `view_title(state)` is the Dutch title a view gets when it is added.
"""
from __future__ import annotations

from dataclasses import replace

from dashboard.exports.slide_model import (
    Cell,
    Chart,
    Column,
    Paragraph,
    Series,
    Slide,
    Table,
    first_sentence,
    short_name,
)
from dashboard.programme.progress import partial_periods, year_text
from dashboard.server import params
from dashboard.ui.paging import range_text, shown_page
from dashboard.ui.state import ExplorerState, Known, compute_trend, from_query
from kpi import CATALOGUE, DIMENSIONS, KpiRequestError, privacy
from kpi import format as fmt
from kpi.forecast.texts import late_declarations

PER_WORDS = {"jaar": "per jaar", "kwartaal": "per kwartaal", "maand": "per maand"}
NO_DATA = "Geen gegevens voor deze selectie."  # the explorer's words for a view without rows


def state_of(weergave: str, default_year: int = 2025, known: Known | None = None) -> ExplorerState:
    """The explorer state of a stored query string (any year in it is kept as stored); `known`:
    whether the figures hold a wijk, school, aanbieder or gemeente it names (from_query)."""
    return from_query(params.query(weergave or ""), default_year, None, known)


def view_title(state: ExplorerState, labels: dict | None = None, data_tot=None) -> str:
    """'Instroom per school, 2025 (verwijzer: Huisarts)' — KPI, breakdown, period and filters.
    `data_tot`: how far the data reach; the year they end in is then "2026 (t/m september)", as the
    overview says it (a stored slide title, made without it, does not go stale)."""
    kpi = CATALOGUE[state.kpi]
    if state.by:
        title = f"{kpi.naam} per {DIMENSIONS[state.by].naam.lower()}, {year_text(state.jaar, data_tot)}"
    else:
        requests = state.trend_requests()
        first, last = requests[0].van.year, requests[-1].tot.year
        years = year_text(last, data_tot) if first == last else f"{first}–{year_text(last, data_tot)}"
        title = f"{kpi.naam}, {PER_WORDS.get(requests[-1].per, 'per jaar')}, {years}"
    return title + filters_text(state, labels)


def shown_title(titel: str, state: ExplorerState, data_tot) -> str:
    """A stored title as the slide shows it: the view's own title (view_title, stored without
    `data_tot`) gets "(t/m september)" after the year the data end in, as its chart says; a title
    of another making stays as it is."""
    bare = replace(state, filters=())
    stored, now = view_title(bare), view_title(bare, data_tot=data_tot)
    return now + titel[len(stored):] if stored != now and titel.startswith(stored) else titel


def period_labels(rows, data_tot=None) -> list[str]:
    """A trend's periods as its axis and table say them: "K3 2025", "2026 (t/m september)"."""
    partial = partial_periods([row.periode for row in rows], data_tot)
    return [fmt.periode_label(row.periode) + (f" ({partial[row.periode]})" if row.periode in partial else "")
            for row in rows]


def filters_text(state: ExplorerState, labels: dict | None = None) -> str:
    """' (verwijzer: Huisarts; school: De Linde)' — the drill path in words, or ''."""
    labels = labels or {}
    filters = []
    for dim, value in state.filters:
        naam = DIMENSIONS[dim].naam.lower()
        shown = (DIMENSIONS[dim].empty_label or "leeg") if value is None else labels.get((dim, value), value)
        filters.append(f"{naam}: {shown}")
    return " (" + "; ".join(filters) + ")" if filters else ""


def rules_text(threshold: int, rounding: int | None) -> str:
    """The small-number rules of the view, as components.suppression_note says them on screen."""
    text = privacy.explain_suppression(threshold)
    if rounding and rounding > 1:
        text += " " + privacy.explain_rounding(rounding)
    return text


def _value_text(row, eenheid: str, threshold: int) -> str:
    return fmt.value(row.value, eenheid, suppressed=row.suppressed, threshold=threshold)


def explorer_slide(service, titel: str, weergave: str) -> Slide:
    state = state_of(weergave)
    kpi = CATALOGUE[state.kpi]
    try:
        data_tot = service.data_status().data_tot  # the year the data end in: "2026 (t/m september)"
        if state.by:
            result = service.compute(state.breakdown_request())
            page = shown_page(result.rows, state.pagina, lambda: service.places(state.by))  # as it was added
            rows, group = list(page.rows), DIMENSIONS[state.by].naam
            chart_title = f"{kpi.naam} per {group.lower()}, {year_text(state.jaar, data_tot)}" + range_text(page)
            labels = [row.label for row in rows]
        else:
            result = compute_trend(service, state)
            rows, group = list(result.rows), "Periode"
            chart_title = f"{kpi.naam}, {PER_WORDS.get(result.request.per or 'jaar')}"
            labels = period_labels(rows, data_tot)
    except KpiRequestError as exc:
        message = f"Deze weergave kan niet worden getoond: {exc}."
        return Slide(titel, "verkenner", paragraphs=(Paragraph(message, "warning"),), notes=(message,))
    titel = shown_title(titel, state, data_tot)
    threshold = result.request.min_cell_size
    rules = rules_text(threshold, result.request.afronding if result.request.detailed else None)
    if not rows:  # e.g. the running year before its survey: said as the explorer says it, no empty chart
        return Slide(titel, "verkenner", paragraphs=(Paragraph(NO_DATA, "secondary"),),
                     notes=(f"Weergave uit de verkenner: {chart_title}. {NO_DATA}", rules), footnote=rules)
    texts = tuple(_value_text(row, kpi.eenheid, threshold) for row in rows)
    values = tuple(None if row.suppressed else row.value for row in rows)
    if state.by:
        # No bar for a shielded group: its name says why, in the file as on the screen.
        categories = tuple(label if value is not None else f"{label} ({text})"
                           for label, value, text in zip(labels, values, texts, strict=True))
        chart = Chart("staaf", chart_title, categories, (Series(short_name(kpi.naam), values, texts),), kpi.eenheid)
    else:
        partial = partial_periods([row.periode for row in rows], data_tot)
        running = tuple(label for label, row in zip(labels, rows, strict=True) if row.periode in partial)
        chart = Chart("lijn", chart_title, tuple(labels), (Series(short_name(kpi.naam), values, texts),), kpi.eenheid,
                      running)
    table = Table((Column(group), Column("Waarde", numeric=True), Column("Aantal (n)", numeric=True)),
                  tuple((Cell(label), Cell(text, value, row.suppressed, "number"),
                         Cell("" if row.n is None else fmt.number(row.n), row.n, kind="number"))
                        for label, text, value, row in zip(labels, texts, values, rows, strict=True)))
    notes = (f"Weergave uit de verkenner: {chart.title}. {first_sentence(kpi.definitie)}",
             *(f"{label}: {text}" + ("" if row.n is None else f" (n = {fmt.number(row.n)})")
               for label, text, row in zip(labels, texts, rows, strict=True)),
             rules)
    paragraphs = (Paragraph(range_text(page).strip(" ()"), "secondary"),) if state.by and page.paged else ()
    late = late_declarations(kpi, (result.request.van, result.request.tot), data_tot)
    if late:  # as the explorer says beside the view: September's few euros are not a collapse
        paragraphs += (Paragraph(late, "secondary"),)
        notes += (late,)
    return Slide(titel, "verkenner", paragraphs=paragraphs, table=table, chart=chart, notes=notes, footnote=rules)
