"""The slide model: a Deck of Slides holding tables, charts and paragraphs as plain data, each cell
with its text as shown and the number behind it. Built by dashboard/exports/slides.py (the fixed slides)
and dashboard/exports/explorer_slide.py (an added explorer view); read by both renderers."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from dashboard.programme.status import Status
from kpi import format as fmt

BRON = "Jeugdmonitor Huizen"


@dataclass(frozen=True)
class Cell:
    text: str                       # as shown, formatted the Dutch way
    value: float | None = None      # the number behind the text (None: words, unknown or suppressed)
    suppressed: bool = False
    kind: str = "text"              # "text" | "number" | "status"
    status: Status | None = None    # for a status cell; None reads "geen streefwaarde"


@dataclass(frozen=True)
class Column:
    label: str
    numeric: bool = False           # right-aligned


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]   # the first cell of a row is its header

    def part(self, start: int, stop: int) -> "Table":
        """The rows start … stop-1 under the same header (a long table shown in two columns)."""
        return Table(self.columns, self.rows[start:stop])


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]     # None: no point (unknown, or suppressed)
    texts: tuple[str, ...] = ()          # each point as shown ("<10"); empty: formatted from values

    def text(self, index: int, eenheid: str) -> str | None:
        """The point as shown, None for a point without a value or text."""
        if self.texts:
            return self.texts[index]
        value = self.values[index]
        return None if value is None else fmt.value(value, eenheid)


@dataclass(frozen=True)
class Chart:
    kind: str                            # "staaf" (realisatie beside streefwaarde) | "lijn" (trend) |
    #                                      "waterval" (first and last: totals; between: the changes)
    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    eenheid: str                         # one unit per chart: the points share one value axis
    running: tuple[str, ...] = ()        # categories whose data are not complete ("2026 (t/m september)"):
    #                                      a trend draws their realisatie apart from the line

    def part(self, start: int, stop: int) -> "Chart":
        """The categories start … stop-1 with their points (a long list drawn in two columns)."""
        categories = self.categories[start:stop]
        return Chart(self.kind, self.title, categories,
                     tuple(Series(s.name, s.values[start:stop], s.texts[start:stop]) for s in self.series),
                     self.eenheid, tuple(c for c in self.running if c in categories))

    @property
    def running_drawn(self) -> tuple[str, ...]:
        """The running categories whose realisatie has a value: only these get an open dot, and
        only with one the legend names "tot nu toe" (a suppressed running year draws nothing)."""
        if not self.series:
            return ()
        first = self.series[0]
        return tuple(c for c in self.running if first.values[self.categories.index(c)] is not None)

    @property
    def summary(self) -> str:
        """The chart in words, its alternative text: every point formatted the Dutch way (a missing
        streefwaarde is left out; a missing realisatie reads 'geen waarde')."""
        points = []
        for index, category in enumerate(self.categories):
            parts = [f"{series.name.lower()} {series.text(index, self.eenheid)}"
                     if series.text(index, self.eenheid) is not None else f"{series.name.lower()}: geen waarde"
                     for number, series in enumerate(self.series)
                     if number == 0 or series.values[index] is not None]
            points.append(f"{category}: {', '.join(parts)}")
        return f"{self.title}. " + "; ".join(points) + "."


@dataclass(frozen=True)
class Paragraph:
    text: str
    role: str = "plain"                  # "lead" | "plain" | "secondary" | "warning"

    def __post_init__(self):
        object.__setattr__(self, "text", fmt.unbroken_amounts(self.text))  # never "€" | "0,6"


@dataclass(frozen=True)
class Slide:
    """One slide. On an axis slide the table stands beside the chart; on an added explorer view
    ("verkenner") the chart fills the slide and the table is its alternative (behind a key in the
    browser, in the notes and the chart's workbook in the PowerPoint)."""
    title: str
    kind: str                            # "titel" | "programma" | "as" | "kostengroei" | "doelstelling" | "verkenner"
    paragraphs: tuple[Paragraph, ...] = ()
    table: Table | None = None
    chart: Chart | None = None
    notes: tuple[str, ...] = ()          # speaker notes: what the numbers mean
    footnote: str = ""                   # shown at the foot of the slide (the small-number rules)

    def __post_init__(self):
        object.__setattr__(self, "footnote", fmt.unbroken_amounts(self.footnote))


@dataclass(frozen=True)
class Deck:
    jaar: int
    data_tot: dt.date | None
    slides: tuple[Slide, ...]
    titel: str                           # the programme's name: "Programmaplan Jeugd 2025–2028"
    stand: str | None = None             # "Stand per 12 november 2026 — titel" for a vastgestelde stand

    @property
    def footer(self) -> str:
        data = f"gegevens t/m {fmt.datum(self.data_tot)}" if self.data_tot else "nog geen gegevens"
        return f"Bron: {BRON} · {data}" + (f" · {self.stand}" if self.stand else "")


def first_sentence(text: str) -> str:
    """The definition in one sentence (a sentence ends at . ! ? followed by a capital)."""
    return re.split(r"(?<=[.!?])\s+(?=[A-Z])", text.strip(), maxsplit=1)[0]


def short_name(naam: str) -> str:
    """A chart label: the name without a closing explanation in brackets ('% uitval (…)' → '% uitval')."""
    return re.sub(r"\s*\([^()]*\)$", "", naam)
