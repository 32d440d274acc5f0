"""The data behind the overview's KPI cards: value, target, status, change, trend, benchmark."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kpi import AXIS_NAMES, CATALOGUE, Kpi, KpiRequest
from kpi import format as fmt
from kpi.programma import ProgrammeView
from kpi.status import Status, status

from dashboard.state import FIRST_YEAR


@dataclass(frozen=True)
class CardData:
    kpi: Kpi
    jaar: int
    value: float | None
    suppressed: bool
    threshold: int | None
    previous: float | None
    target: float | None
    status: Status | None
    trend_labels: tuple[str, ...]
    trend_values: tuple[float | None, ...]
    benchmark: str | None

    @property
    def value_text(self) -> str:
        return fmt.value(self.value, self.kpi.eenheid, suppressed=self.suppressed, threshold=self.threshold)

    @property
    def change_text(self) -> str:
        return change_text(self.value, self.previous, self.kpi.eenheid, self.kpi.richting, self.jaar)

    @property
    def target_text(self) -> str:
        return ("geen streefwaarde" if self.target is None
                else f"streefwaarde {self.jaar}: {fmt.value(self.target, self.kpi.eenheid)}")


def change_text(value: float | None, previous: float | None, eenheid: str, richting: str,
                jaar: int) -> str:
    """'12 dagen lager dan 2024 (gunstig)': the change on last year in words."""
    if value is None or previous is None:
        return f"geen vergelijking met {jaar - 1}"
    diff = value - previous
    if eenheid == "%":
        amount = f"{fmt.number(abs(diff), 1)} procentpunt"
    else:
        amount = fmt.value(abs(diff), eenheid)
    if abs(diff) < 1e-9:
        return f"gelijk aan {jaar - 1}"
    word = "hoger" if diff > 0 else "lager"
    better = (diff < 0) == (richting == "lager_beter")
    return f"{amount} {word} dan {jaar - 1} ({'gunstig' if better else 'ongunstig'})"


def yearly_totals(service, kpi: Kpi, jaar: int, where: dict) -> list[tuple[str, object]]:
    """(year, total row) for FIRST_YEAR … jaar."""
    if kpi.alleen_kalenderjaar:  # one calendar year per request
        return [(str(y), service.compute(KpiRequest.for_year(kpi.id, y, where=where)).rows[0])
                for y in range(FIRST_YEAR, jaar + 1)]
    result = service.compute(KpiRequest(kpi.id, dt.date(FIRST_YEAR, 1, 1), dt.date(jaar, 12, 31),
                                        per="jaar", where=where))
    return [(row.periode, row) for row in result.rows]


def card(service, kpi: Kpi, jaar: int, programme: ProgrammeView | None, gemeente: str | None) -> CardData:
    where = {"gemeente": gemeente} if gemeente else {}
    labelled = yearly_totals(service, kpi, jaar, where)
    rows = [row for _, row in labelled]
    current = rows[-1]
    previous = rows[-2] if len(rows) > 1 else None
    indicator = programme.indicator_for_kpi(kpi.id) if programme else None
    target = indicator.streefwaarden.get(jaar) if indicator else None
    nul = indicator.nulmeting[1] if indicator and indicator.nulmeting else None
    value = None if current.suppressed else current.value
    benchmark = None
    if kpi.benchmarks:
        b = kpi.benchmarks[-1]
        benchmark = f"landelijk {b.jaar}: {fmt.value(b.waarde, kpi.eenheid)}"
    threshold = service.threshold  # a stand's own, when the service is frozen
    return CardData(
        kpi=kpi, jaar=jaar, value=value, suppressed=current.suppressed, threshold=threshold,
        previous=None if previous is None or previous.suppressed else previous.value,
        target=target, status=status(value, target, kpi.richting, nul),
        trend_labels=tuple(label for label, _ in labelled),
        trend_values=tuple(None if r.suppressed else r.value for r in rows),
        benchmark=benchmark)


def overview_cards(service, jaar: int, programme: ProgrammeView | None,
                   gemeente: str | None = None) -> dict[str, list[CardData]]:
    """Cards per axis, in catalogue order."""
    bands: dict[str, list[CardData]] = {axis: [] for axis in AXIS_NAMES}
    for kpi in CATALOGUE.values():
        bands[kpi.as_].append(card(service, kpi, jaar, programme, gemeente))
    return bands
