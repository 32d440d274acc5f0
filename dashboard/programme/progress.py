"""The programme as the dashboard reads it: the plan (name, gemeente, years), lijnen →
maatregelen → indicatoren, the doelstellingen, streefwaarden and realisaties, and each indicator's
value and status per year.

Catalogue indicators take their realisatie from the KPI engine (total of the programme's gemeente,
suppression included); manual indicators from the realisaties a trekker entered.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from dashboard.programme.status import Status, reason, status, waits_for
from data.programme.plan import Plan, period_end
from data.programme.programme_rows import indicator_unit_row, programme_rows
from data.programme.schema import MAATREGEL_STATUS_LABELS
from kpi import format as fmt
from kpi.availability import missing_tables, none_loaded
from kpi.catalogue import CATALOGUE
from kpi.format import MAANDEN
from kpi.periods import PER_VALUES, split
from kpi.request import KpiRequest

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


GEEN_VOORTGANG = "geen_voortgang"  # a year the trekker reported nothing over (that the viewer may see)


@dataclass(frozen=True)
class MaatregelStand:
    """A maatregel's status in one year, as every screen and export shows it: the status its
    trekker reported for the last quarter of that year (the raad: the last vastgestelde one), with
    that quarter and the toelichting; or, with no report over that year, that there is none."""
    jaar: int
    status: str | None        # None: no voortgang over `jaar`
    periode: str | None       # the quarter reported for, "2025-Q4"; None for a status from elsewhere (`eerder`)
    toelichting: str | None   # the trekker's explanation of that quarter
    # Without a quarter: where the status is from ("in het plan"); without a status: what was
    # known before `jaar`, for context ("laatst gemeld K4 2024: op schema").
    eerder: str | None = None

    @property
    def code(self) -> str:
        """The status, or GEEN_VOORTGANG: what the counts and filters group by."""
        return self.status or GEEN_VOORTGANG

    @property
    def label(self) -> str:
        """"Op schema"; "Geen voortgang gemeld over 2025" without a report."""
        if self.status is None:
            return f"Geen voortgang gemeld over {self.jaar}"
        return MAATREGEL_STATUS_LABELS.get(self.status, self.status)

    @property
    def wanneer(self) -> str:
        """Which report the status is from: "status K4 2025"; the context without one."""
        if self.status is None or self.periode is None:
            return self.eerder or ""
        return f"status {fmt.periode_label(self.periode)}"

    @property
    def text(self) -> str:
        """One line: "Op schema (status K4 2025)", "Geen voortgang gemeld over 2025 (in het plan: op schema)"."""
        return f"{self.label} ({self.wanneer})" if self.wanneer else self.label


def maatregel_stand(voortgang: dict[str, tuple[str, str | None]] | None, jaar: int,
                    plan_status: str) -> MaatregelStand:
    """The stand of `jaar` from the quarters the viewer may see (`voortgang`: periode → (status,
    toelichting); None in a stand frozen before it kept them, whose `plan_status` is then the status
    it froze). A year without a report says so, never borrowing a later or earlier quarter's status;
    what was known before (the newest earlier quarter, else the plan) goes beside it as context."""
    if voortgang is None:
        return MaatregelStand(jaar, plan_status, None, None, "stand bij het vastleggen")
    in_year = sorted(p for p in voortgang if p.startswith(f"{jaar}-"))
    if in_year:
        status_code, toelichting = voortgang[in_year[-1]]
        return MaatregelStand(jaar, status_code, in_year[-1], toelichting)
    before = sorted(p for p in voortgang if p < f"{jaar}-")
    if before:
        eerder = (f"laatst gemeld {fmt.periode_label(before[-1])}: "
                  f"{MAATREGEL_STATUS_LABELS.get(voortgang[before[-1]][0], voortgang[before[-1]][0]).lower()}")
    else:
        eerder = f"in het plan: {MAATREGEL_STATUS_LABELS.get(plan_status, plan_status).lower()}"
    return MaatregelStand(jaar, None, None, None, eerder)


def maatregelen_text(n: int) -> str:
    """"5 maatregelen", "1 maatregel"."""
    return f"{n} {'maatregel' if n == 1 else 'maatregelen'}"


def maatregelen_count_text(maatregelen) -> str:
    """"5 maatregelen (waarvan 2 regionaal)", "1 maatregel"; the regional ones only when there are."""
    regionaal = sum(bool(m.regionaal) for m in maatregelen)
    return maatregelen_text(len(maatregelen)) + (f" (waarvan {regionaal} regionaal)" if regionaal else "")


def stand_counts_text(stands: list[MaatregelStand]) -> str:
    """The maatregelen per status for one year: "3 op schema, 1 vertraagd, 2 zonder voortgang over
    2025" (empty for none), in the order of MAATREGEL_STATUS_LABELS; every summary says it so."""
    counts = Counter(s.code for s in stands)
    parts = [f"{counts[s]} {label.lower()}" for s, label in MAATREGEL_STATUS_LABELS.items() if counts.get(s)]
    if counts.get(GEEN_VOORTGANG):
        parts.append(f"{counts[GEEN_VOORTGANG]} zonder voortgang over {stands[0].jaar}")
    return ", ".join(parts)


@dataclass
class MaatregelView:
    code: str
    nummer: int
    naam: str
    omschrijving: str | None
    trekker: str | None
    regionaal: bool
    status: str   # the plan's status (maatregel.status); in a stand frozen before `voortgang`: the one it froze
    lijn: str
    indicatoren: list[IndicatorView] = field(default_factory=list)
    # The reported quarters the viewer may see (the raad: vastgestelde only): periode → (status,
    # toelichting). None only in a stand frozen before it was kept.
    voortgang: dict[str, tuple[str, str | None]] | None = None

    def stand(self, jaar: int) -> MaatregelStand:
        """The status of `jaar` as every screen and export shows it (`maatregel_stand`)."""
        return maatregel_stand(self.voortgang, jaar, self.status)

    def latest(self) -> MaatregelStand:
        """The status as it stands today: the newest quarter the viewer may see, else the plan's
        (the reporting cycle's screen, which is about the quarter being reported, not a year)."""
        if self.voortgang:
            periode = max(self.voortgang)
            status_code, toelichting = self.voortgang[periode]
            return MaatregelStand(int(periode[:4]), status_code, periode, toelichting)
        return MaatregelStand(0, self.status, None, None,  # no year: the plan's status, or the frozen one
                              "in het plan" if self.voortgang is not None else "stand bij het vastleggen")

    def history(self) -> list[tuple[str, MaatregelStand]]:
        """Every quarter the viewer may see, newest first: (periode, its stand)."""
        return [(p, MaatregelStand(int(p[:4]), s, p, t))
                for p, (s, t) in sorted((self.voortgang or {}).items(), reverse=True)]


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

    def maatregel(self, code: str) -> MaatregelView | None:
        return next((m for l in self.lijnen for m in l.maatregelen if m.code == code), None)

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
    manual realisaties only for locked (vastgestelde) quarters, and only the locked quarters'
    voortgang (`MaatregelView.voortgang`), from which `MaatregelView.stand(jaar)` gives a maatregel's
    status of a year."""
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
    voortgang_of: dict[int, dict[str, tuple[str, str | None]]] = defaultdict(dict)
    for p in rows.voortgang:
        if p.periode in locked or not vastgesteld_only:
            voortgang_of[p.maatregel_id][p.periode] = (p.status, p.toelichting)

    maatregelen: dict[str, MaatregelView] = {}
    per_lijn: dict[str, list[MaatregelView]] = defaultdict(list)
    for r in rows.maatregelen:
        view = MaatregelView(r.code, r.nummer, r.naam, r.omschrijving, r.trekker, bool(r.regionaal),
                             r.status, lijn_code[r.lijn_id], voortgang=dict(voortgang_of.get(r.id, {})))
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
    # A manual indicator without a year value: its latest quarter's (or month's) value in the year,
    # (periode, waarde), shown labelled with its period and never judged or drawn as the year's.
    deelwaarde: tuple[str, float] | None = None


def latest_part_of_year(realisaties: dict[str, float], jaar: int) -> tuple[str, float] | None:
    """The value of the latest quarter or month of `jaar` reported (a quarter before a month ending with
    it), or None."""
    parts = [p for p in realisaties if p.startswith(f"{jaar}-")]
    if not parts:
        return None
    latest = max(parts, key=lambda p: (period_end(p), "Q" in p))
    return latest, realisaties[latest]


def realisatie_text(eenheid: str, year: IndicatorYear | None, threshold: int | None) -> str:
    """A year's realisatie as every screen and export shows it: the value ("<10" when withheld), or,
    without a year value, the latest quarter's labelled with it ("K3 2026: 14"); "–" for none."""
    if year is None:
        return "–"
    if year.waarde is None and not year.suppressed and year.deelwaarde is not None:
        periode, waarde = year.deelwaarde
        return f"{fmt.periode_label(periode)}: {fmt.value(waarde, eenheid)}"
    return fmt.value(year.waarde, eenheid, suppressed=year.suppressed, threshold=threshold)


def running_year(data_tot: dt.date | None) -> tuple[int, str] | None:
    """(year, "t/m september") when the data end inside a year, else None."""
    if data_tot is None or (data_tot.month, data_tot.day) == (12, 31):
        return None
    last_day = (dt.date(data_tot.year + (data_tot.month == 12), data_tot.month % 12 + 1, 1) - dt.timedelta(days=1))
    month = MAANDEN[data_tot.month - 1]
    return data_tot.year, (f"t/m {month}" if data_tot == last_day else f"t/m {data_tot.day} {month}")


def year_text(jaar: int, data_tot: dt.date | None) -> str:
    """"2026 (t/m september)" for the year the data end inside, else "2025": a year as every
    screen, control and export names it."""
    running = running_year(data_tot)
    return f"{jaar} ({running[1]})" if running and running[0] == jaar else str(jaar)


def partial_periods(periodes, data_tot: dt.date | None) -> dict[str, str]:
    """The sub-periods ("2026", "2026-Q3", "2026-09") the data end inside, each with how far they
    reach ({"2026": "t/m september"}): a chart's axis and a table say "2026 (t/m september)" for
    them, as the overview does (running_year). A sub-period wholly before or after the data is
    not partial."""
    running = running_year(data_tot)
    if running is None:
        return {}
    jaar, reach = running
    units = {sub.label: sub for per in PER_VALUES
             for sub in split(dt.date(jaar, 1, 1), dt.date(jaar, 12, 31), per)}
    return {p: reach for p in periodes if p in units and units[p].van <= data_tot < units[p].tot}


def indicator_values(service, indicator: IndicatorView, jaren: range,
                     gemeente: str | None = None) -> list[IndicatorYear]:
    """Realisatie per year with target and status: the KPI's total (via the cached service, one
    request per jaar-series) or the manual value the trekker reported for that year (without one:
    the latest quarter's or month's as `deelwaarde`, unjudged). A KPI that grows with the period
    (`cumulatief`) is not judged in a year whose data are incomplete."""
    if not len(jaren):  # e.g. a year before the programme's: nothing to ask
        return []
    values: dict[int, tuple[float | None, bool]] = {}
    kpi = CATALOGUE[indicator.kpi_id] if indicator.is_kpi else None
    # a KPI whose facts were never loaded has no value, not a hidden small one (kpi/availability.py)
    loaded = service.data_status() if kpi is not None else None
    missing = missing_tables(kpi, loaded.leeg) if loaded is not None else ()
    if kpi is not None and not missing:
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
    elif kpi is None:
        for jaar in jaren:
            values[jaar] = (indicator.realisaties.get(str(jaar)), False)
    data_tot = loaded.data_tot if loaded is not None else None
    running = running_year(data_tot)
    nul = indicator.nulmeting[1] if indicator.nulmeting else None
    out = []
    for jaar in jaren:
        value, suppressed = values.get(jaar, (None, False))
        target = indicator.streefwaarden.get(jaar)
        deeljaar = running[1] if running and running[0] == jaar else None
        waits = waits_for(kpi, jaar, data_tot, bool(deeljaar)) if kpi is not None else None
        found = None if waits else status(value, target, indicator.richting, nul, indicator.eenheid)
        part = (latest_part_of_year(indicator.realisaties, jaar)
                if kpi is None and value is None else None)
        why = None if found else none_loaded(missing) if missing else reason(
            has_target=target is not None, has_value=value is not None, suppressed=suppressed,
            threshold=getattr(service, "threshold", None), waits_for_year=waits,
            not_vastgesteld=str(jaar) in indicator.niet_vastgesteld, part_of_year=part is not None,
            nulmeting_year=indicator.nulmeting is not None and indicator.nulmeting[0] == jaar)
        out.append(IndicatorYear(jaar, value, suppressed, target, found, why, deeljaar, part))
    return out


def indicator_unit(engine, code: str) -> str | None:
    """An indicator's unit as read_programme resolves it (its KPI's unit when it has none of its
    own), with one small query instead of the whole programme; None for an unknown code."""
    row = indicator_unit_row(engine, code)
    if row is None:
        return None
    kpi = CATALOGUE.get(row.kpi_id) if row.kpi_id else None
    return row.eenheid or (kpi.eenheid if kpi else "aantal")
