"""The data behind the overview's KPI cards: value, target, status, change, trend, benchmark."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dashboard.programme.progress import ProgrammeView, moved_target_text, running_year
from dashboard.programme.road import Road, has_targets, road_of, yearly_points
from dashboard.programme.status import VOLGPERIODE, Status, as_shown, reason, status, waits_for
from dashboard.ui.state import FIRST_YEAR
from kpi import AXIS_NAMES, Kpi, KpiRequest, kpis_shown
from kpi import format as fmt
from kpi.availability import left_out_sentence, no_denominator


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
    trend_labels: tuple[str, ...]        # as shown: "2026 (t/m september)" for a running year
    trend_years: tuple[int, ...]         # the calendar year of each label
    trend_values: tuple[float | None, ...]
    benchmark: str | None
    reden: str | None = None      # why there is no status (dashboard.programme.status.reason)
    deeljaar: str | None = None   # "t/m september": the year's data are not complete
    road: Road | None = None      # the programme indicator's road to the plan's last year
    volgperiode: bool = False     # the outcome's follow-up has not ended: the value still moves
    original_target: float | None = None  # the plan's target of a moved one
    #: no value although its records are there: its outside denominator (bevolking, budget) lacks the year
    zonder_noemer: bool = False

    @property
    def value_text(self) -> str:
        return fmt.value(self.value, self.kpi.eenheid, suppressed=self.suppressed, threshold=self.threshold)

    @property
    def change_text(self) -> str:
        if self.zonder_noemer:  # "geen vergelijking" would leave the "–" unexplained
            return no_denominator(self.kpi, self.jaar)
        return change_text(self.value, self.previous, self.kpi.eenheid, self.kpi.richting, self.jaar,
                           self.deeljaar, declarations_due=bool(self.deeljaar) and self.kpi.bron.fact == "kosten",
                           follow_up_running=self.volgperiode)

    @property
    def target_shown(self) -> str:
        """The streefwaarde as a cell shows it ("600 dagen (was 507 dagen)"); "–" without one."""
        return moved_target_text(self.target, self.original_target, self.kpi.eenheid) or "–"

    @property
    def target_text(self) -> str:
        return "geen streefwaarde" if self.target is None else f"streefwaarde {self.jaar}: {self.target_shown}"


def change_text(value: float | None, previous: float | None, eenheid: str, richting: str,
                jaar: int, deeljaar: str | None = None, declarations_due: bool = False,
                follow_up_running: bool = False) -> str:
    """'12 dagen lager dan 2024 (gunstig)': the change on last year in words; for a running year
    against the same months of last year ('… hoger dan t/m september 2025'). `declarations_due`:
    the latest months' declarations are still coming in (late, as they always do), so the figure
    is no final one and lower is no gain yet: the change is given without a verdict; so too while
    an outcome's follow-up runs (`follow_up_running`). The change is that of the values as shown:
    two equal figures are "gelijk"."""
    other = f"{deeljaar} {jaar - 1}" if deeljaar else str(jaar - 1)
    if value is None or previous is None:
        return f"geen vergelijking met {other}"
    diff = as_shown(value, eenheid) - as_shown(previous, eenheid)  # the change the two shown values make
    if abs(diff) < 1e-9:
        return f"gelijk aan {other}"
    amount = fmt.difference(diff, eenheid)
    word = "hoger" if diff > 0 else "lager"
    if declarations_due:
        return f"{amount} {word} dan {other}; nog niet alle declaraties zijn binnen"
    if follow_up_running:
        return f"{amount} {word} dan {other}; de volgperiode loopt nog"
    better = (diff < 0) == (richting == "lager_beter")
    return f"{amount} {word} dan {other} ({'gunstig' if better else 'ongunstig'})"


def yearly_totals(service, kpi: Kpi, jaar: int, where: dict) -> list[tuple[str, object]]:
    """(year, total row) for FIRST_YEAR … jaar."""
    if kpi.alleen_kalenderjaar:  # one calendar year per request
        return [(str(y), service.compute(KpiRequest.for_year(kpi.id, y, where=where)).rows[0])
                for y in range(FIRST_YEAR, jaar + 1)]
    result = service.compute(KpiRequest(kpi.id, dt.date(FIRST_YEAR, 1, 1), dt.date(jaar, 12, 31),
                                        per="jaar", where=where))
    return [(row.periode, row) for row in result.rows]


def same_months_last_year(service, kpi: Kpi, jaar: int, tot: dt.date, where: dict):
    """The KPI over 1 January … `tot` one year earlier (a running year's comparison), or None
    where the KPI asks whole calendar years."""
    if kpi.alleen_kalenderjaar:
        return None
    end = tot.replace(year=jaar - 1) if not (tot.month, tot.day) == (2, 29) else dt.date(jaar - 1, 2, 28)
    return service.compute(KpiRequest(kpi.id, dt.date(jaar - 1, 1, 1), end, where=where)).rows[0]


def running_year_change(service, kpi: Kpi, jaar: int, value: float | None, data_tot: dt.date,
                        deeljaar: str, follow_up_running: bool = False, where: dict | None = None) -> str:
    """A running year's change in words, against the same months of last year, as the card says
    it ('… hoger dan t/m september 2025'): for a text that has no card (a slide's speaker note)."""
    row = same_months_last_year(service, kpi, jaar, data_tot, where or {})
    previous = None if row is None or row.suppressed else row.value
    return change_text(value, previous, kpi.eenheid, kpi.richting, jaar, deeljaar,
                       declarations_due=kpi.bron.fact == "kosten", follow_up_running=follow_up_running)


def card(service, kpi: Kpi, jaar: int, programme: ProgrammeView | None, gemeente: str | None,
         data_tot: dt.date | None = None) -> CardData:
    """A KPI's card for `jaar`. When the data end inside `jaar` (a running year), the value is
    "t/m <month>", compared with the same months of last year, and a cumulative KPI (a count, a
    sum) is not judged against the whole year's streefwaarde yet (dashboard/programme/status.py)."""
    where = {"gemeente": gemeente} if gemeente else {}
    labelled = yearly_totals(service, kpi, jaar, where)
    rows = [row for _, row in labelled]
    current = rows[-1]
    running = running_year(data_tot)
    deeljaar = running[1] if running and running[0] == jaar else None
    previous = rows[-2] if len(rows) > 1 else None
    if deeljaar:
        previous = same_months_last_year(service, kpi, jaar, data_tot, where)
    indicator = programme.indicator_for_kpi(kpi.id) if programme else None
    target = indicator.streefwaarden.get(jaar) if indicator else None
    original_target = indicator.oorspronkelijke_streefwaarden.get(jaar) if indicator else None
    nul = indicator.nulmeting[1] if indicator and indicator.nulmeting else None
    value = None if current.suppressed else current.value
    benchmark = None
    if kpi.benchmarks:
        b = kpi.benchmarks[-1]
        benchmark = f"landelijk {b.jaar}: {fmt.value(b.waarde, kpi.eenheid)} (bron: {b.bron.split(',')[0]})"
    threshold = service.threshold  # a stand's own, when the service is frozen
    waits = waits_for(kpi, jaar, data_tot, bool(deeljaar))
    found = None if waits else status(value, target, kpi.richting, nul, kpi.eenheid)
    why = None if found else reason(has_target=target is not None, has_value=value is not None,
                                    suppressed=current.suppressed, threshold=threshold, waits_for_year=waits)
    road = None
    if programme is not None and has_targets(indicator) and jaar >= programme.plan.nulmeting_jaar:
        road = card_road(kpi, labelled, indicator, programme.plan.laatste_jaar, data_tot, running)
    trend_labels = tuple(label for label, _ in labelled)
    if deeljaar:  # charts and their tables mark the incomplete year
        trend_labels = trend_labels[:-1] + (f"{trend_labels[-1]} ({deeljaar})",)
    return CardData(
        kpi=kpi, jaar=jaar, value=value, suppressed=current.suppressed, threshold=threshold,
        previous=None if previous is None or previous.suppressed else previous.value,
        target=target, status=found, trend_labels=trend_labels,
        trend_years=tuple(int(label) for label, _ in labelled),
        trend_values=tuple(None if r.suppressed else r.value for r in rows),
        benchmark=benchmark, reden=why, deeljaar=deeljaar, road=road, volgperiode=waits == VOLGPERIODE,
        original_target=original_target,
        zonder_noemer=value is None and not current.suppressed and kpi.maat.noemer_bron is not None)


def card_road(kpi: Kpi, labelled: list[tuple[str, object]], indicator, eindjaar: int,
              data_tot: dt.date | None, running: tuple[int, str] | None) -> Road:
    """The card's road from the card's own yearly values (so a stand's card needs no request it
    did not record), leaving out what the indicator page leaves out: a running year and a year
    whose follow-up the data do not cover yet."""
    years = [(int(label), None if row.suppressed else row.value) for label, row in labelled]
    excluded = [y for y, _ in years
                if (running is not None and running[0] == y) or waits_for(kpi, y, data_tot, False)]
    return road_of(yearly_points(years, excluded), indicator, eindjaar)


def overview_cards(service, jaar: int, programme: ProgrammeView | None,
                   gemeente: str | None = None) -> dict[str, list[CardData]]:
    """Cards per axis, in catalogue order."""
    bands: dict[str, list[CardData]] = {axis: [] for axis in AXIS_NAMES}
    status = service.data_status()
    data_tot = status.data_tot
    for kpi in kpis_shown(status.berichtenverkeer, status.leeg):
        bands[kpi.as_].append(card(service, kpi, jaar, programme, gemeente, data_tot))
    return bands


def left_out_notes(status) -> dict[str, str]:
    """Per axis the sentence that names its KPIs left out for want of data ("Niet getoond: …, want
    er zijn geen kosten geladen."); an axis without such KPIs has none."""
    notes = {}
    for axis in AXIS_NAMES:
        kpis = [k for k in kpis_shown(status.berichtenverkeer) if k.as_ == axis]
        if (sentence := left_out_sentence(kpis, status.leeg)) is not None:
            notes[axis] = sentence
    return notes
