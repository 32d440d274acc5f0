"""The programme as the dashboard reads it: the plan (name, gemeente, years), lijnen →
maatregelen → indicatoren, the doelstellingen, streefwaarden and realisaties, and each indicator's
value and status per year.

Catalogue indicators take their realisatie from the KPI engine (total of the programme's gemeente,
suppression included); manual indicators from the realisaties a trekker entered.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from dashboard.programme.status import Status, reason, status, waits_for
from data.programme.plan import Plan
from data.programme.programme_rows import indicator_unit_row, programme_rows
from kpi import format as fmt
from kpi.catalogue import CATALOGUE
from kpi.format import MAANDEN
from kpi.request import KpiRequest

MAATREGEL_STATUS_LABELS = {
    "nog_niet_gestart": "Nog niet gestart",
    "op_schema": "Op schema",
    "vertraagd": "Vertraagd",
    "afgerond": "Afgerond",
}
MAATREGEL_STATUS_ICONS = {
    "nog_niet_gestart": "bi-circle",
    "op_schema": "bi-check-circle-fill",
    "vertraagd": "bi-exclamation-triangle-fill",
    "afgerond": "bi-check2-all",
}


@dataclass
class IndicatorView:
    id: int
    code: str
    naam: str
    soort: str
    kpi_id: str | None
    eenheid: str
    richting: str
    omschrijving: str | None
    lijn: str | None
    maatregel: str | None
    doelstellingen: list[str] = field(default_factory=list)
    nulmeting: tuple[int, float] | None = None
    streefwaarden: dict[int, float] = field(default_factory=dict)
    # The plan's target where a target was adjusted since: shown beside the new one.
    oorspronkelijke_streefwaarden: dict[int, float] = field(default_factory=dict)
    realisaties: dict[str, float] = field(default_factory=dict)  # manual: periode → waarde
    # Periods whose realisatie is vastgesteld (its quarter is locked).
    vastgesteld: set[str] = field(default_factory=set)
    # Periods reported but not yet vastgesteld, in the raad's view (their value left out): the
    # screens say "nog niet vastgesteld" there instead of "geen realisatie".
    niet_vastgesteld: set[str] = field(default_factory=set)
    # The plan's own upper bound above its unit's range (a budget share may pass 100%).
    bovengrens: float | None = None

    @property
    def is_kpi(self) -> bool:
        return self.kpi_id is not None

    @property
    def moved_years(self) -> list[int]:
        """The years whose streefwaarde differs from the plan's, in order."""
        return [jaar for jaar, original in sorted(self.oorspronkelijke_streefwaarden.items())
                if jaar in self.streefwaarden and original != self.streefwaarden[jaar]]

    def target_text(self, jaar: int, eenheid: str | None = None) -> str | None:
        """The year's streefwaarde as shown, a moved one with the plan's beside it: "600 dagen (was
        507 dagen)"; None without one. `eenheid`: the KPI's, where the card shows that."""
        return moved_target_text(self.streefwaarden.get(jaar), self.oorspronkelijke_streefwaarden.get(jaar),
                                 eenheid or self.eenheid)


def moved_target_text(target: float | None, original: float | None, eenheid: str) -> str | None:
    """"600 dagen (was 507 dagen)" for a target moved from the plan's, "600 dagen" otherwise."""
    if target is None:
        return None
    shown = fmt.value(target, eenheid)
    return shown if original is None or original == target else f"{shown} (was {fmt.value(original, eenheid)})"


@dataclass
class MaatregelView:
    code: str
    nummer: int
    naam: str
    omschrijving: str | None
    trekker: str | None
    regionaal: bool
    status: str
    lijn: str
    indicatoren: list[IndicatorView] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return MAATREGEL_STATUS_LABELS.get(self.status, self.status)


@dataclass
class LijnView:
    code: str
    nummer: int
    naam: str
    omschrijving: str | None
    maatregelen: list[MaatregelView] = field(default_factory=list)
    indicatoren: list[IndicatorView] = field(default_factory=list)  # measuring the lijn itself

    def all_indicators(self) -> list[IndicatorView]:
        return self.indicatoren + [i for m in self.maatregelen for i in m.indicatoren]


@dataclass
class DoelstellingView:
    code: str
    nummer: int
    naam: str
    omschrijving: str | None
    indicatoren: list[IndicatorView] = field(default_factory=list)


@dataclass
class ProgrammeView:
    lijnen: list[LijnView]
    doelstellingen: list[DoelstellingView]
    indicators: dict[str, IndicatorView]
    plan: Plan  # the plan's name, gemeente and years, as the programme data say

    def lijn(self, code: str) -> LijnView | None:
        return next((l for l in self.lijnen if l.code == code), None)

    def indicator_for_kpi(self, kpi_id: str) -> IndicatorView | None:
        """The programme's (first) indicator that uses this KPI: its targets show on the card."""
        found = [i for i in self.indicators.values() if i.kpi_id == kpi_id]
        return min(found, key=lambda i: i.code) if found else None

    @property
    def is_empty(self) -> bool:
        return not self.lijnen


def reporting_quarter(periode: str) -> str:
    """The reporting quarter of a period: "2025" → "2025-Q4", "2025-05" → "2025-Q2"."""
    if "-Q" in periode:
        return periode
    if len(periode) == 7:
        return f"{periode[:4]}-Q{(int(periode[5:7]) - 1) // 3 + 1}"
    return f"{periode}-Q4"


def read_programme(engine, vastgesteld_only: bool = False) -> ProgrammeView:
    """The programme tree with targets and realisaties. `vastgesteld_only` (the raad, visitors):
    manual realisaties only for locked (vastgestelde) quarters. A maatregel's status is that of the
    newest quarter its trekker reported on (for `vastgesteld_only`: the newest locked one), else
    its status in the plan."""
    rows = programme_rows(engine)
    locked = rows.vastgesteld
    lijn_code = {r.id: r.code for r in rows.lijnen}
    maatregel_code = {r.id: r.code for r in rows.maatregelen}
    doel_code = {r.id: r.code for r in rows.doelstellingen}
    indicators: dict[int, IndicatorView] = {}
    for r in rows.indicatoren:
        kpi = CATALOGUE.get(r.kpi_id) if r.kpi_id else None
        indicators[r.id] = IndicatorView(
            id=r.id, code=r.code, naam=r.naam, soort=r.soort, kpi_id=r.kpi_id,
            eenheid=r.eenheid or (kpi.eenheid if kpi else "aantal"),
            richting=r.richting or (kpi.richting if kpi else "hoger_beter"),
            omschrijving=r.omschrijving, lijn=lijn_code.get(r.lijn_id),
            maatregel=maatregel_code.get(r.maatregel_id), bovengrens=r.bovengrens)
    for link in rows.doelstelling_links:
        if link.indicator_id in indicators:
            indicators[link.indicator_id].doelstellingen.append(doel_code[link.doelstelling_id])
    for t in rows.streefwaarden:
        ind = indicators.get(t.indicator_id)
        if ind is None:
            continue
        if t.soort == "nulmeting":
            ind.nulmeting = (t.jaar, t.waarde)
        else:
            ind.streefwaarden[t.jaar] = t.waarde
            if t.oorspronkelijke_waarde is not None and t.oorspronkelijke_waarde != t.waarde:
                ind.oorspronkelijke_streefwaarden[t.jaar] = t.oorspronkelijke_waarde
    for r in rows.realisaties:
        if r.indicator_id in indicators:
            is_locked = reporting_quarter(r.periode) in locked
            if is_locked:
                indicators[r.indicator_id].vastgesteld.add(r.periode)
            if is_locked or not vastgesteld_only:
                indicators[r.indicator_id].realisaties[r.periode] = r.waarde
            else:
                indicators[r.indicator_id].niet_vastgesteld.add(r.periode)
    status_of: dict[int, str] = {}
    for p in rows.voortgang:  # oldest first: the newest (locked) quarter wins
        if p.periode in locked or not vastgesteld_only:
            status_of[p.maatregel_id] = p.status

    maatregelen: dict[str, MaatregelView] = {}
    per_lijn: dict[str, list[MaatregelView]] = defaultdict(list)
    for r in rows.maatregelen:
        view = MaatregelView(r.code, r.nummer, r.naam, r.omschrijving, r.trekker, bool(r.regionaal),
                             status_of.get(r.id, r.status), lijn_code[r.lijn_id])
        maatregelen[r.code] = view
        per_lijn[view.lijn].append(view)
    lijnen = [LijnView(r.code, r.nummer, r.naam, r.omschrijving, per_lijn.get(r.code, []))
              for r in rows.lijnen]
    by_code = {l.code: l for l in lijnen}
    for ind in indicators.values():
        if ind.maatregel and ind.maatregel in maatregelen:
            maatregelen[ind.maatregel].indicatoren.append(ind)
        elif ind.lijn and ind.lijn in by_code:
            by_code[ind.lijn].indicatoren.append(ind)
    doelen = [DoelstellingView(r.code, r.nummer, r.naam, r.omschrijving,
                               [i for i in indicators.values() if r.code in i.doelstellingen])
              for r in rows.doelstellingen]
    return ProgrammeView(lijnen, doelen, {i.code: i for i in indicators.values()}, rows.plan)


@dataclass(frozen=True)
class IndicatorYear:
    """An indicator's realisatie in one year, with its target and status — or why it has none."""
    jaar: int
    waarde: float | None
    suppressed: bool
    streefwaarde: float | None
    status: Status | None
    reden: str | None = None     # why there is no status (dashboard.programme.status.reason); None with a status
    deeljaar: str | None = None  # "t/m september" when the year's data are not complete


def running_year(data_tot: dt.date | None) -> tuple[int, str] | None:
    """(year, "t/m september") when the data end inside a year, else None."""
    if data_tot is None or (data_tot.month, data_tot.day) == (12, 31):
        return None
    last_day = (dt.date(data_tot.year + (data_tot.month == 12), data_tot.month % 12 + 1, 1) - dt.timedelta(days=1))
    month = MAANDEN[data_tot.month - 1]
    return data_tot.year, (f"t/m {month}" if data_tot == last_day else f"t/m {data_tot.day} {month}")


def indicator_values(service, indicator: IndicatorView, jaren: range,
                     gemeente: str | None = None) -> list[IndicatorYear]:
    """Realisatie per year with target and status: the KPI's total (via the cached service, one
    request per jaar-series) or the manual value the trekker reported for that year. A KPI that
    grows with the period (`cumulatief`) is not judged in a year whose data are incomplete."""
    if not len(jaren):  # e.g. a year before the programme's: nothing to ask
        return []
    values: dict[int, tuple[float | None, bool]] = {}
    kpi = CATALOGUE[indicator.kpi_id] if indicator.is_kpi else None
    if kpi is not None:
        where = {"gemeente": gemeente} if gemeente else {}
        if kpi.alleen_kalenderjaar:
            for jaar in jaren:
                row = service.compute(KpiRequest.for_year(kpi.id, jaar, where=where)).rows[0]
                values[jaar] = (row.value, row.suppressed)
        else:
            result = service.compute(KpiRequest(kpi.id, dt.date(jaren.start, 1, 1),
                                                dt.date(jaren.stop - 1, 12, 31), per="jaar", where=where))
            for row in result.rows:
                values[int(row.periode)] = (row.value, row.suppressed)
    else:
        for jaar in jaren:
            values[jaar] = (indicator.realisaties.get(str(jaar)), False)
    data_tot = service.data_status().data_tot if kpi is not None else None
    running = running_year(data_tot)
    nul = indicator.nulmeting[1] if indicator.nulmeting else None
    out = []
    for jaar in jaren:
        value, suppressed = values.get(jaar, (None, False))
        target = indicator.streefwaarden.get(jaar)
        deeljaar = running[1] if running and running[0] == jaar else None
        waits = waits_for(kpi, jaar, data_tot, bool(deeljaar)) if kpi is not None else None
        found = None if waits else status(value, target, indicator.richting, nul, indicator.eenheid)
        why = None if found else reason(
            has_target=target is not None, has_value=value is not None, suppressed=suppressed,
            threshold=getattr(service, "threshold", None), waits_for_year=waits,
            not_vastgesteld=str(jaar) in indicator.niet_vastgesteld,
            nulmeting_year=indicator.nulmeting is not None and indicator.nulmeting[0] == jaar)
        out.append(IndicatorYear(jaar, value, suppressed, target, found, why, deeljaar))
    return out


def indicator_unit(engine, code: str) -> str | None:
    """An indicator's unit as read_programme resolves it (its KPI's unit when it has none of its
    own), with one small query instead of the whole programme; None for an unknown code."""
    row = indicator_unit_row(engine, code)
    if row is None:
        return None
    kpi = CATALOGUE.get(row.kpi_id) if row.kpi_id else None
    return row.eenheid or (kpi.eenheid if kpi else "aantal")
