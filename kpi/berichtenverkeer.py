"""The health of the iJw berichtenverkeer as the page /berichtenverkeer shows it: the signals of
data/warehouse/ijw/health.py counted per provider (or retourcode) and month, under the small-number
rules of every KPI (kpi/privacy.py). The counts are of records (toewijzingen, declared lines), and a
record is one child's: a cell below the threshold is afgeschermd, a second one when a month would
otherwise give it away (rule 2), and every shown count of a provider or retourcode is rounded to
the base (rule 4: a detailed view). A month's total over all providers, and the year's, are exact
unless below the threshold. A cell without any record is empty ("–"), as a group without records
is absent from a KPI's breakdown.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine

from data.warehouse.ijw import health as signals
from data.warehouse.ijw.codes import RETOURCODE
from kpi.privacy import hidden_by_rules_1_2, multiples, round_to_base

TITLES = {
    "zonder_start": ("Toewijzingen zonder startbericht na 30 dagen",
                     "Toewijzingen (JW301) waarvan de ingangsdatum meer dan 30 dagen voor de peildatum ligt, "
                     "zonder startbericht (JW305) van de aanbieder; per maand van de ingangsdatum."),
    "zonder_stop": ("Einddatum verstreken zonder stopbericht",
                    "Gestarte toewijzingen waarvan de einddatum voor de peildatum ligt, zonder stopbericht "
                    "(JW307); per maand van de einddatum."),
    "zonder_toewijzing": ("Declaratieregels zonder toewijzing",
                          "Gedeclareerde prestaties (JW323) voor een toewijzingsnummer zonder geldige toewijzing; "
                          "per maand van de productperiode."),
    "afgewezen": ("Afgewezen declaratieregels",
                  "Prestaties die de gemeente afwees (JW325), per aanbieder; per maand van de productperiode."),
}
# the same rejected lines counted per retourcode instead of per provider: its own title and explanation
PER_RETOURCODE = ("Afgewezen declaratieregels per retourcode",
                  "Dezelfde afgewezen prestaties (JW325), per retourcode: de reden van de afwijzing; per maand van "
                  "de productperiode.")
MONTHS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


@dataclass(frozen=True)
class Cell:
    n: int | None  # None: afgeschermd
    empty: bool = False  # no record at all

    @property
    def suppressed(self) -> bool:
        return self.n is None and not self.empty


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[Cell, ...]  # per month
    total: Cell              # the year


@dataclass(frozen=True)
class Table:
    soort: str
    titel: str
    uitleg: str
    kolom: str  # "Aanbieder" or "Retourcode"
    rows: tuple[Row, ...]
    totals: Row  # all groups together


@dataclass(frozen=True)
class Health:
    jaar: int
    jaren: tuple[int, ...]   # the years with signals
    peildatum: dt.date | None  # the latest dagtekening of any loaded message
    tables: tuple[Table, ...]
    threshold: int
    base: int


def years(engine: Engine) -> tuple[tuple[int, ...], dt.date | None]:
    """The years with signals and the peildatum (None: no iJw messages loaded)."""
    with engine.connect() as conn:
        return tuple(signals.signal_years(conn)), signals.peildatum(conn)


def health(engine: Engine, jaar: int, threshold: int, base: int) -> Health:
    with engine.connect() as conn:
        jaren = tuple(signals.signal_years(conn))
        peildatum = signals.peildatum(conn)
        tables = []
        for soort in signals.SOORTEN:
            counts = {(code, naam, maand.month): n for code, naam, maand, n in
                      signals.counts_per_provider(conn, soort, jaar)}
            tables.append(_table(soort, "Aanbieder", counts, threshold, base))
        counts = {(code or "", _retourcode_label(code), maand.month): n
                  for code, maand, n in signals.counts_per_retourcode(conn, jaar)}
        tables.append(_table("afgewezen", "Retourcode", counts, threshold, base, texts=PER_RETOURCODE))
    return Health(jaar, jaren, peildatum, tuple(tables), threshold, base)


def _retourcode_label(code: str | None) -> str:
    if not code:
        return "zonder retourcode"
    return f"{code} {RETOURCODE.get(code, 'onbekende retourcode')}"


def _table(soort: str, kolom: str, counts: dict[tuple[str, str, int], int], threshold: int, base: int,
           texts: tuple[str, str] | None = None) -> Table:
    groups = sorted({(key, label) for key, label, _m in counts}, key=lambda g: (g[1].lower(), g[0]))
    per_month = {m: [(key, counts.get((key, label, m))) for key, label in groups] for m in range(1, 13)}
    year = [(key, sum(counts.get((key, label, m), 0) for m in range(1, 13)) or None) for key, label in groups]
    shown = {m: _protect(per_month[m], threshold, base) for m in per_month}
    shown_year = _protect(year, threshold, base)
    rows = tuple(Row(label, tuple(shown[m][i] for m in range(1, 13)), shown_year[i])
                 for i, (_key, label) in enumerate(groups))
    month_totals = tuple(_exact(sum(n or 0 for _k, n in per_month[m]), threshold) for m in range(1, 13))
    totals = Row("Totaal", month_totals, _exact(sum(counts.values()), threshold))
    titel, uitleg = texts or TITLES[soort]
    return Table(soort, titel, uitleg, kolom, rows, totals)


def _protect(counts: list[tuple[str, int | None]], threshold: int, base: int) -> list[Cell]:
    """Rules 1, 2 and 4 over the groups that have records in one column (a month or the year)."""
    present = [(i, key, n) for i, (key, n) in enumerate(counts) if n]
    hidden = hidden_by_rules_1_2([(key, n) for _i, key, n in present], threshold, breakdown=True)
    cells = [Cell(None, empty=True)] * len(counts)
    for (i, _key, n), hide in zip(present, hidden, strict=True):
        cells[i] = Cell(None) if hide else Cell(round_to_base(n, base) if base > 1 else n)
    return cells


def _exact(n: int, threshold: int) -> Cell:
    if n == 0:
        return Cell(None, empty=True)
    return Cell(None) if n < threshold else Cell(n)


def privacy_note(threshold: int, base: int) -> str:
    """The small-number rules of this page in its own words: it counts records (toewijzingen,
    declaratieregels), each one child's, not jeugdigen or answers; its month and year totals are
    exact (the general line's "percentages, gemiddelden …" has nothing to refer to here)."""
    rounded = (f" De aantallen per aanbieder of retourcode zijn afgerond op {multiples(base)}; de totalen "
               "per maand en over het jaar zijn exact." if base > 1 else "")
    return (f"Een aantal onder de {threshold} staat als <{threshold}: een toewijzing of declaratieregel hoort "
            "bij één kind. Ook een aantal waaruit zo'n aantal terug te rekenen is, tonen we niet, zodat geen "
            f"kind of gezin herkenbaar wordt.{rounded} Deze drempel is een keuze van de gemeente, geen "
            "landelijke norm.")


def month_label(month: int) -> str:
    return MONTHS[month - 1]
