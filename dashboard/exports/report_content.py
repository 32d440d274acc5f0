"""The content of the programme's progress report (the PDF for the gemeenteraad) as plain data.

`build_report(service, programme, jaar)` takes the KPI service and the programme as arguments —
never from globals — so a frozen service (a "vastgestelde stand" per peildatum) can be passed in
later. Every number comes from the KPI engine through the same functions the screens use
(`overview_cards` for the summary, `indicator_values` for the programme), suppression included;
the text is formatted here, so the renderer only lays it out.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from dashboard.exports.answers import bad_year
from dashboard.exports.forecast_report import ForecastSection, forecast_section
from dashboard.exports.growth_report import GrowthSection, growth_section
from dashboard.programme.overview import CardData, left_out_notes, overview_cards
from dashboard.programme.progress import (
    IndicatorView,
    LijnView,
    ProgrammeView,
    indicator_values,
    maatregelen_count_text,
    realisatie_text,
    running_year,
    stand_counts_text,
)
from dashboard.programme.status import TOLERANTIE, TOLERANTIE_ZONDER_NUL, Status
from dashboard.server.params import whole_number
from dashboard.ui.state import years_with_data
from data.programme.plan import Plan
from kpi import AXIS_NAMES, RICHTING_NAMEN, kpis_shown, privacy
from kpi import format as fmt

MANUAL = "opgave trekker"  # an indicator's herkomst when its realisatie is entered by the programme
SOORT_NAMEN = {"proces": "procesindicator", "effect": "effectindicator"}


class ReportYearError(ValueError):
    """A reporting year outside the data (the message is Dutch, for the user)."""


def report_years(data_tot: dt.date | None) -> tuple[range, int]:
    """The years a report can cover, and the default: the same as the overview's year control."""
    return years_with_data(data_tot)


def parse_year(raw: str | int | None, data_tot: dt.date | None) -> int:
    """The reporting year from user input; None or "" gives the default."""
    years, default = report_years(data_tot)
    if raw is None or str(raw).strip() == "":
        return default
    text = str(raw).strip()
    year = whole_number(text, years.start, years.stop - 1)
    if year is None:
        raise ReportYearError(bad_year(text, years))
    return year


@dataclass(frozen=True)
class KpiLine:
    """One KPI of the summary: exactly what its overview card says."""
    kpi_id: str
    naam: str
    waarde: str
    streefwaarde: str
    status: str
    status_code: str        # op_koers / aandacht / achter / geen (for the icon and CSS only)
    verandering: str


@dataclass(frozen=True)
class AxisSummary:
    naam: str
    kpis: tuple[KpiLine, ...]
    #: "Niet getoond: …, want er zijn geen kosten geladen." (dashboard.programme.overview.left_out_notes)
    niet_getoond: str | None = None

    def status_counts(self) -> Counter:
        return Counter(k.status_code for k in self.kpis)

    def shows_small_numbers(self, threshold: int) -> bool:
        """Whether a value reads `<T` (the table then carries the small-number line)."""
        return any(k.waarde == f"<{threshold}" for k in self.kpis)


@dataclass(frozen=True)
class MaatregelLine:
    nummer: str             # "1.1": the lijn's number and the maatregel's
    naam: str
    trekker: str
    status: str             # the report year's (MaatregelView.stand): "Op schema", "Geen voortgang gemeld over 2025"
    schaal: str
    wanneer: str = ""       # which quarter it is from: "status K4 2025" (or the context without one)
    toelichting: str = ""   # the trekker's toelichting on that quarter


@dataclass(frozen=True)
class YearCell:
    jaar: int
    realisatie: str         # "–" when not (yet) known
    streefwaarde: str | None  # "nulmeting 1.150" in the nulmeting year


@dataclass(frozen=True)
class IndicatorLine:
    naam: str
    context: str            # "maatregel 1.1 Kinderwerk in de wijk" or "indicator van de lijn"
    herkomst: str           # "uit de gegevens" / "opgave trekker"
    soort: str
    eenheid: str            # the code, for chart formatting
    cells: tuple[YearCell, ...]
    status: str
    status_code: str
    # for the chart: realisatie per year (None = unknown or suppressed) and streefwaarden
    realisaties: dict[int, float | None] = field(default_factory=dict)
    afgeschermd: tuple[int, ...] = ()
    nulmeting: tuple[int, float] | None = None
    streefwaarden: dict[int, float] = field(default_factory=dict)
    # a year whose data are not complete yet, as the screens say it: {2026: "t/m september"}
    deeljaar: dict[int, str] = field(default_factory=dict)

    def year_label(self, year: int) -> str:
        """"2026 (t/m september)" for a year shown with part of its data, else "2025"."""
        return f"{year} ({self.deeljaar[year]})" if year in self.deeljaar else str(year)


@dataclass(frozen=True)
class LijnSection:
    nummer: int
    naam: str
    omschrijving: str
    samenvatting: str
    maatregelen: tuple[MaatregelLine, ...]
    indicatoren: tuple[IndicatorLine, ...]
    grafiek_titel: str
    grafiek_alt: str
    jaren: range            # the plan's years from its nulmeting on: the chart's axis
    deeljaar: dict[int, str] = field(default_factory=dict)  # {2026: "t/m september"}: marked on the axis

    def shows_small_numbers(self) -> bool:
        """Whether a value reads `<T` or a manual realisatie is shown beside the KPIs' (the table
        then carries the small-number line: a manual 3 is no contradiction of it)."""
        return any(ind.afgeschermd or (ind.herkomst == MANUAL and any(c.realisatie != "–" for c in ind.cells))
                   for ind in self.indicatoren)


@dataclass(frozen=True)
class KpiDefinition:
    naam: str
    as_naam: str
    eenheid: str
    richting: str
    definitie: str
    n: str


@dataclass(frozen=True)
class Report:
    titel: str              # "Voortgangsrapportage Programmaplan Jeugd 2025–2028"
    plan: Plan              # the programme's name, gemeente and years
    gemeente: str
    jaar: int
    gegevens_tot: str       # "gegevens t/m 30 september 2026"
    gegenereerd_op: str
    bron: str
    geladen_op: str | None
    onvolledig: str | None  # a note when the year's data are not complete
    deeljaar: tuple[int, str] | None  # (2026, "t/m september"): the year the data end in (running_year)
    drempel: int
    assen: tuple[AxisSummary, ...]
    lijnen: tuple[LijnSection, ...]
    definities: tuple[KpiDefinition, ...]
    afscherming: str
    statusregel: str
    kleine_aantallen: str   # the small-number line (kpi.privacy.small_numbers_line), beside the tables
    stand: str | None = None  # "Stand per 12 november 2026 — titel" for a vastgestelde stand
    prognose: ForecastSection | None = None  # the running year's kosten forecast (live only)
    kostengroei: GrowthSection | None = None  # why the kosten changed (dashboard/exports/growth_report.py)


def status_words(found: Status | None, has_target: bool, reden: str | None = None) -> tuple[str, str]:
    """(label, code) of a status, or why there is none (`reden`: dashboard.programme.status.reason)."""
    if found is not None:
        return found.label, found.code
    return (reden or ("geen streefwaarde" if not has_target else "geen waarde")), "geen"


def kpi_line(card: CardData) -> KpiLine:
    label, code = status_words(card.status, card.target is not None, card.reden)
    return KpiLine(card.kpi.id, card.kpi.naam, card.value_text, card.target_shown, label, code, card.change_text)


def axis_summaries(service, programme: ProgrammeView, jaar: int,
                   gemeente: str | None) -> tuple[AxisSummary, ...]:
    bands = overview_cards(service, jaar, programme, gemeente)
    left_out = left_out_notes(service.data_status())
    return tuple(AxisSummary(AXIS_NAMES[axis], tuple(kpi_line(c) for c in cards), left_out.get(axis))
                 for axis, cards in bands.items())


def indicator_line(service, ind: IndicatorView, jaar: int, context: str, threshold: int,
                   gemeente: str | None, years: range) -> IndicatorLine:
    """`years`: the plan's, from its nulmeting on (Plan.jaren_met_nulmeting)."""
    known = range(years.start, min(jaar, years.stop - 1) + 1)
    series = {y.jaar: y for y in indicator_values(service, ind, known, gemeente)} if len(known) else {}
    nul_jaar = ind.nulmeting[0] if ind.nulmeting else None
    cells = []
    for year in years:
        found = series.get(year)
        realisatie = realisatie_text(ind.eenheid, found, threshold)  # "K3 2026: 14" without a year value
        if year == nul_jaar:
            target = f"nulmeting {fmt.value(ind.nulmeting[1], ind.eenheid)}"
        else:
            target = f"streefwaarde {ind.target_text(year)}" if year in ind.streefwaarden else None
        cells.append(YearCell(year, realisatie, target))
    current = series.get(jaar)
    if current is None:  # a reporting year before the nulmeting (or after the plan's last)
        label, code = "buiten programmaperiode", "geen"
    else:
        label, code = status_words(current.status, jaar in ind.streefwaarden, current.reden)
    return IndicatorLine(
        naam=ind.naam, context=context,
        herkomst="uit de gegevens" if ind.is_kpi else MANUAL,
        soort=SOORT_NAMEN.get(ind.soort, ind.soort), eenheid=ind.eenheid, cells=tuple(cells),
        status=label, status_code=code,
        realisaties={y: (None if s.suppressed else s.waarde) for y, s in series.items()},
        afgeschermd=tuple(y for y, s in series.items() if s.suppressed),
        nulmeting=ind.nulmeting, streefwaarden=dict(sorted(ind.streefwaarden.items())),
        deeljaar={y: s.deeljaar for y, s in series.items() if s.deeljaar})


def chart_alt(lijn_naam: str, indicators: tuple[IndicatorLine, ...], threshold: int, years: range) -> str:
    """The chart's numbers in words, for a screen reader (the table below holds them too)."""
    parts = [f"Grafiek: realisatie tegen streefwaarde per indicator van lijn {lijn_naam}, "
             f"{years.start}–{years.stop - 1}."]
    for ind in indicators:
        real = ", ".join(
            f"{ind.year_label(y)} <{threshold}" if y in ind.afgeschermd
            else f"{ind.year_label(y)} {fmt.value(v, ind.eenheid)}"
            for y, v in ind.realisaties.items() if v is not None or y in ind.afgeschermd)
        goal = ", ".join(f"{y} {fmt.value(v, ind.eenheid)}" for y, v in ind.streefwaarden.items())
        nul = (f"nulmeting {ind.nulmeting[0]} {fmt.value(ind.nulmeting[1], ind.eenheid)}; "
               if ind.nulmeting else "")
        parts.append(f"{ind.naam}: {nul}realisatie {real or 'nog niet bekend'}; "
                     f"streefwaarde {goal or 'geen'}.")
    return " ".join(parts)


def lijn_section(service, lijn: LijnView, jaar: int, threshold: int,
                 gemeente: str | None, years: range) -> LijnSection:
    stands = [m.stand(jaar) for m in lijn.maatregelen]
    maatregelen = tuple(MaatregelLine(
        nummer=f"{lijn.nummer}.{m.nummer}", naam=m.naam, trekker=m.trekker or "nog niet benoemd",
        status=stand.label, schaal="regionaal" if m.regionaal else "lokaal", wanneer=stand.wanneer,
        toelichting=stand.toelichting or "")
        for m, stand in zip(lijn.maatregelen, stands, strict=True))
    indicators = [indicator_line(service, ind, jaar, "indicator van de lijn", threshold, gemeente, years)
                  for ind in lijn.indicatoren]
    for m in lijn.maatregelen:
        indicators += [indicator_line(service, ind, jaar, f"maatregel {lijn.nummer}.{m.nummer} {m.naam}",
                                      threshold, gemeente, years) for ind in m.indicatoren]
    per_status = stand_counts_text(stands)
    samenvatting = (f"{maatregelen_count_text(lijn.maatregelen)}, in {jaar}: {per_status}."
                    if lijn.maatregelen else "Geen maatregelen.")
    indicators_t = tuple(indicators)
    return LijnSection(
        nummer=lijn.nummer, naam=lijn.naam, omschrijving=lijn.omschrijving or "",
        samenvatting=samenvatting, maatregelen=maatregelen, indicatoren=indicators_t,
        grafiek_titel=f"Lijn {lijn.nummer}: realisatie en streefwaarden per indicator",
        grafiek_alt=chart_alt(f"{lijn.nummer} ({lijn.naam})", indicators_t, threshold, years),
        jaren=years, deeljaar={y: text for ind in indicators_t for y, text in ind.deeljaar.items()})


def definitions(berichtenverkeer: bool = False, leeg: frozenset[str] = frozenset()) -> tuple[KpiDefinition, ...]:
    return tuple(KpiDefinition(k.naam, AXIS_NAMES[k.as_], fmt.unit(k.eenheid).naam,
                               RICHTING_NAMEN[k.richting], k.definitie, k.n_omschrijving)
                 for k in kpis_shown(berichtenverkeer, leeg))


def suppression_rule(threshold: int, base: int | None = None) -> str:
    rounding = (f" In uitsplitsingen en bij een filter worden aantallen bovendien afgerond op "
                f"{privacy.multiples(base)}, zodat ook het aftrekken van weergaven van elkaar geen klein "
                "aantal blootlegt; de totalen in dit rapport zijn exact." if base and base > 1 else "")
    return (privacy.small_numbers_line(threshold) + " In een uitsplitsing waarin precies één groep zo is "
            "afgeschermd, wordt ook de kleinste andere groep afgeschermd, zodat de verborgen waarde "
            "niet uit het totaal terug te rekenen is; een groep die zo verborgen is, blijft ook "
            f"verborgen wanneer ze apart wordt opgevraagd.{rounding} Zo wordt geen kind of gezin "
            "herkenbaar. De afscherming gebeurt in de rekenlaag van de Jeugdmonitor; dit rapport, het "
            "dashboard en de exports gebruiken dezelfde uitkomsten. De drempel en de afronding zijn een "
            "keuze van de gemeente, geen landelijke norm.")


def status_rule() -> str:
    return ("Op koers: de waarde haalt de streefwaarde van het jaar. Aandacht: de streefwaarde wordt "
            f"gemist, maar met hooguit {round(TOLERANTIE * 100)}% van de beoogde verbetering "
            "(van nulmeting naar streefwaarde; zonder nulmeting hooguit "
            f"{round(TOLERANTIE_ZONDER_NUL * 100)}% van de streefwaarde). Achter: de streefwaarde "
            "wordt verder gemist. Zonder waarde of streefwaarde is er geen status.")


def gemeente_name(service, gemeente: str | None, plan: Plan) -> str:
    found = service.gemeenten()
    if gemeente:
        return next((naam for code, naam in found if code == gemeente), gemeente)
    if not found:
        return plan.gemeente  # the programme's gemeente, before any data are loaded
    return ", ".join(naam for _, naam in found)


def build_report(service, programme: ProgrammeView, jaar: int, gemeente: str | None = None,
                 now: dt.datetime | None = None, stand: str | None = None) -> Report:
    """The whole report for `jaar`. Raises ReportYearError for a year outside the data."""
    status = service.data_status()
    years, _ = report_years(status.data_tot)
    if jaar not in years:
        raise ReportYearError(bad_year(jaar, years))
    threshold = service.threshold  # a stand's own, when the service is frozen
    now = now or dt.datetime.now()
    onvolledig = None
    if status.data_tot and status.data_tot.year == jaar and (status.data_tot.month, status.data_tot.day) != (12, 31):
        onvolledig = (f"{jaar} is nog niet compleet: de cijfers over {jaar} lopen t/m "
                      f"{fmt.datum(status.data_tot)}.")
    return Report(
        titel=f"Voortgangsrapportage {programme.plan.naam}",
        plan=programme.plan,
        gemeente=gemeente_name(service, gemeente, programme.plan),
        jaar=jaar,
        gegevens_tot=(f"gegevens t/m {fmt.datum(status.data_tot)}" if status.data_tot
                      else "nog geen gegevens geladen"),
        gegenereerd_op=f"{fmt.moment(now)} uur",
        bron=status.bron or "geen gegevens geladen",
        geladen_op=fmt.datum(status.geladen_op.date()) if status.geladen_op else None,
        onvolledig=onvolledig,
        deeljaar=running_year(status.data_tot),  # "t/m september", as the screens say it
        drempel=threshold,
        assen=axis_summaries(service, programme, jaar, gemeente),
        lijnen=tuple(lijn_section(service, lijn, jaar, threshold, gemeente, programme.plan.jaren_met_nulmeting)
                     for lijn in programme.lijnen),
        definities=definitions(status.berichtenverkeer, status.leeg),
        afscherming=suppression_rule(threshold, service.base),
        statusregel=status_rule(),
        kleine_aantallen=privacy.small_numbers_line(threshold),
        stand=stand,
        prognose=forecast_section(service, jaar, gemeente),
        kostengroei=growth_section(service, jaar, gemeente),
    )
