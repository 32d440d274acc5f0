"""The KPI catalogue ("indicatorenboek"): one declarative entry per KPI.

It holds the 20 KPIs of the contract (kpi-definitions.md) with exactly its ids, names, axes,
directions and formulas, and three doorlooptijden from the iJw berichtenverkeer (docs/ijw.md). Adding a KPI means adding an entry here; the query layer, the CLI
and the tests pick it up from the catalogue.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import and_, exists, func, select

from data.warehouse import codes
from data.warehouse.schema import Traject
from kpi import measures as m
from kpi.availability import missing_tables
from kpi.dimensions import ALL_DIMENSIONS, TRAJECT_DIMENSIONS
from kpi.sources import check_catalogue
from kpi.sqlfuncs import add_days, days_between, earlier_date, later_date, workdays_between

AXES = ("kwaliteit", "kwantiteit", "kosten", "tevredenheid")
AXIS_NAMES = {"kwaliteit": "Kwaliteit", "kwantiteit": "Kwantiteit", "kosten": "Kosten",
              "tevredenheid": "Tevredenheid"}
#: a direction as people read it (screens, report, the targets file); the codes are the contract's
RICHTING_NAMEN = {"lager_beter": "lager is beter", "hoger_beter": "hoger is beter"}


@dataclass(frozen=True)
class Benchmark:
    waarde: float
    jaar: int
    bron: str


@dataclass(frozen=True)
class Kpi:
    id: str
    naam: str
    as_: str                      # axis: kwaliteit / kwantiteit / kosten / tevredenheid
    eenheid: str                  # "aantal", "%", "dagen", "€", "cijfer"
    richting: str                 # "lager_beter" / "hoger_beter"
    definitie: str                # Dutch, for "Hoe berekend?"
    bron: m.Records
    maat: m.Measure
    breakdowns: tuple[str, ...]
    populatie: m.Expr | None = None      # narrows the qualifying records (the population of n)
    n_omschrijving: str = "aantal unieke jeugdigen"
    per_toegestaan: tuple[str, ...] = ("jaar", "kwartaal", "maand")
    alleen_kalenderjaar: bool = False    # P must be exactly one calendar year
    #: the value grows with the length of P (a count, a sum, a share of the year's budget): part of
    #: a year is compared with the same months of another year, never with a whole year's target
    cumulatief: bool = False
    #: days after P's last day the outcome needs before it is complete (a return within 365 days):
    #: until the data reach that far the value is provisional and gets no status
    volgperiode_dagen: int = 0
    benchmarks: tuple[Benchmark, ...] = field(default=())
    #: computed from dates only the iJw berichtenverkeer carries (docs/ijw.md): screens and
    #: exports list it only when the warehouse holds them (`kpis_shown`)
    alleen_berichtenverkeer: bool = False

    @property
    def filters(self) -> tuple[str, ...]:
        """Dimensions `where` accepts: the breakdowns plus every traject dimension."""
        return tuple(dict.fromkeys(self.breakdowns + TRAJECT_DIMENSIONS))


def _duur_traject(c):
    return days_between(c.t.startdatum, c.t.einddatum)


def _duur_verblijf(c):
    return days_between(c.v.startdatum, c.v.einddatum)


def _verblijfsdagen(c):
    """Days of a stay inside the (sub-)period: max(0, min(einde, tot) − max(start, van) + 1)."""
    einde = earlier_date(func.coalesce(c.v.einddatum, c.p.tot), c.p.tot)
    return days_between(later_date(c.v.startdatum, c.p.van), einde) + 1


def _gezinsgericht_dagen(c):
    from sqlalchemy import case
    return case((c.v.verblijfsvorm.in_(codes.GEZINSGERICHTE_VERBLIJFSVORMEN), _verblijfsdagen(c)),
                else_=0)


def _herinstroom(c):
    """The jeugdige has any traject starting in (einddatum, einddatum + 365 dagen]."""
    later = Traject.__table__.alias("vervolg")
    return exists(select(later.c.traject_id).where(and_(
        later.c.jeugdige_id == c.t.jeugdige_id,
        later.c.startdatum > c.t.einddatum,
        later.c.startdatum <= add_days(c.t.einddatum, 365),
    )))


ALL_BUT_RESPONDENT = TRAJECT_DIMENSIONS
_DOORLOOPTIJD_DIMENSIES = ("wijk", "gemeente", "verwijzer", "hulpvorm", "aanbieder")
_CBS = "CBS, landelijk gemiddelde (uit het Programmaplan Jeugd Huizen 2025–2028)"
# National figures of CBS Beleidsinformatie Jeugd (shared/domain.md), shipped only where they
# measure what the KPI measures: CBS's share of starts via the wijkteam (10,7%, 2021) leaves out the
# praktijkondersteuner jeugd that pct_lichte_hulp counts, and its share of jeugdigen in pleegzorg or
# a gezinshuis (2019) counts children, not verblijfsdagen — beside those KPIs they would mislead.
_CBS_JEUGDHULP_2019 = "CBS, Nederland: jeugdigen tot 18 jaar met jeugdhulp in natura"

KPIS: tuple[Kpi, ...] = (
    # --- kwantiteit ---
    Kpi("jeugdigen_met_jeugdhulp", "Jeugdigen met jeugdhulp", "kwantiteit", "aantal", "lager_beter",
        "Het aantal verschillende jeugdigen met minstens één jeugdhulptraject dat in de periode "
        "loopt (gestart op of vóór de laatste dag en niet geëindigd vóór de eerste dag).",
        m.TRAJECT_ACTIEF, m.DistinctJeugdigen(), ALL_BUT_RESPONDENT, cumulatief=True),
    Kpi("pct_jeugdigen_met_jeugdhulp", "% jeugdigen (0–17) met jeugdhulp", "kwantiteit", "%",
        "lager_beter",
        "100 × het aantal verschillende jeugdigen van 0 tot en met 17 jaar (jaar van de laatste dag "
        "min geboortejaar) met een traject dat in de periode loopt, gedeeld door het aantal "
        "inwoners van 0–17 jaar op 1 januari van dat jaar in de betreffende wijken. Andere filters "
        "dan wijk en gemeente beperken alleen de teller.",
        m.TRAJECT_ACTIEF, m.ShareOfPopulation(), ("wijk", "gemeente"),
        populatie=lambda c: (c.p.jaar_tot - c.t.geboortejaar).between(0, 17),
        n_omschrijving="aantal unieke jeugdigen van 0–17 jaar met jeugdhulp", cumulatief=True,
        benchmarks=(Benchmark(12.2, 2019, _CBS_JEUGDHULP_2019),)),
    Kpi("instroom", "Instroom (gestarte trajecten)", "kwantiteit", "aantal", "lager_beter",
        "Het aantal jeugdhulptrajecten met een startdatum in de periode.",
        m.TRAJECT_GESTART, m.CountRecords(), ALL_BUT_RESPONDENT, cumulatief=True),
    Kpi("uitstroom", "Uitstroom (beëindigde trajecten)", "kwantiteit", "aantal", "hoger_beter",
        "Het aantal jeugdhulptrajecten met een einddatum in de periode.",
        m.TRAJECT_BEEINDIGD, m.CountRecords(), ALL_BUT_RESPONDENT, cumulatief=True),
    Kpi("jeugdigen_met_verblijf", "Jeugdigen met verblijf", "kwantiteit", "aantal", "lager_beter",
        "Het aantal verschillende jeugdigen met een verblijf (pleegzorg, gezinshuis, JeugdzorgPlus, "
        "residentieel of overig) dat in de periode loopt.",
        m.VERBLIJF_ACTIEF, m.DistinctJeugdigen(), ALL_BUT_RESPONDENT, cumulatief=True),
    Kpi("pct_lichte_hulp", "% lichte hulp bij instroom", "kwantiteit", "%", "hoger_beter",
        "100 × de in de periode gestarte trajecten met hulpvorm lokaal team of praktijkondersteuner "
        "jeugd, gedeeld door alle in de periode gestarte trajecten.",
        m.TRAJECT_GESTART,
        m.Percentage(lambda c: c.t.hulpvorm.in_(codes.LICHTE_HULPVORMEN)), ALL_BUT_RESPONDENT),
    Kpi("pct_verwijzing_huisarts", "% verwijzingen door huisarts", "kwantiteit", "%", "lager_beter",
        "100 × de in de periode gestarte trajecten met verwijzer huisarts, gedeeld door alle in de "
        "periode gestarte trajecten.",
        m.TRAJECT_GESTART, m.Percentage(lambda c: c.t.verwijzer == "huisarts"), ALL_BUT_RESPONDENT),
    # --- kwaliteit ---
    Kpi("gem_trajectduur", "Gemiddelde trajectduur (dagen)", "kwaliteit", "dagen", "lager_beter",
        "Het gemiddelde aantal dagen van startdatum tot einddatum (zelfde dag = 0) van de trajecten "
        "die in de periode eindigen.",
        m.TRAJECT_BEEINDIGD, m.Mean(_duur_traject), ALL_BUT_RESPONDENT,
        benchmarks=(Benchmark(361, 2019, _CBS), Benchmark(406, 2023, _CBS))),
    Kpi("pct_uitval", "% uitval (eenzijdig beëindigd door cliënt)", "kwaliteit", "%", "lager_beter",
        "100 × de in de periode beëindigde trajecten met reden 'voortijdig, eenzijdig door cliënt', "
        "gedeeld door de in de periode beëindigde trajecten met een bekende reden. Dit is het "
        "landelijke outcomecriterium uitval.",
        m.TRAJECT_BEEINDIGD, m.Percentage(lambda c: c.t.reden_einde == "voortijdig_client"),
        ALL_BUT_RESPONDENT, populatie=lambda c: c.t.reden_einde != "onbekend"),
    Kpi("pct_volgens_plan", "% beëindigd volgens plan", "kwaliteit", "%", "hoger_beter",
        "100 × de in de periode beëindigde trajecten met reden 'volgens plan', gedeeld door de in "
        "de periode beëindigde trajecten met een bekende reden (CBS: volgens plan of voortijdig).",
        m.TRAJECT_BEEINDIGD, m.Percentage(lambda c: c.t.reden_einde == "volgens_plan"),
        ALL_BUT_RESPONDENT, populatie=lambda c: c.t.reden_einde != "onbekend"),
    Kpi("pct_doel_bereikt", "% doelen volledig bereikt", "kwaliteit", "%", "hoger_beter",
        "100 × de in de periode beëindigde trajecten waarvan de doelen volledig zijn bereikt, "
        "gedeeld door de in de periode beëindigde trajecten met doelrealisatie volledig, "
        "gedeeltelijk of niet (onbekend en leeg tellen niet mee).",
        m.TRAJECT_BEEINDIGD, m.Percentage(lambda c: c.t.doelrealisatie == "volledig"),
        ALL_BUT_RESPONDENT,
        populatie=lambda c: c.t.doelrealisatie.in_(("volledig", "gedeeltelijk", "niet"))),
    Kpi("gem_wachttijd", "Gemiddelde wachttijd (dagen)", "kwaliteit", "dagen", "lager_beter",
        "Het gemiddelde aantal dagen van aanmelddatum tot startdatum van de trajecten die in de "
        "periode starten en een aanmelddatum hebben.",
        m.TRAJECT_GESTART,
        m.Mean(lambda c: days_between(c.t.aanmelddatum, c.t.startdatum)), ALL_BUT_RESPONDENT,
        populatie=lambda c: c.t.aanmelddatum.is_not(None)),
    # The doorlooptijden come from the iJw berichtenverkeer (python -m data load-ijw, docs/ijw.md);
    # trajecten from a CSV file do not have these dates, and then the KPIs have no value.
    Kpi("gem_doorlooptijd_verzoek", "Gemiddelde doorlooptijd verzoek → toewijzing (dagen)", "kwaliteit",
        "dagen", "lager_beter",
        "Van de trajecten die in de periode starten en waarvoor de aanbieder een verzoek om "
        "toewijzing stuurde (iJw-bericht JW315): het gemiddelde aantal dagen van de datum van het "
        "verzoek tot de toewijzingsdatum (JW301). Afspraak in het iJw-berichtenverkeer: de gemeente "
        "beslist binnen 5 werkdagen. Alleen met gegevens uit het iJw-berichtenverkeer.",
        m.TRAJECT_GESTART, m.Mean(lambda c: days_between(c.t.verzoekdatum, c.t.toewijzingsdatum)),
        _DOORLOOPTIJD_DIMENSIES, populatie=lambda c: c.t.verzoekdatum.is_not(None),
        alleen_berichtenverkeer=True),
    Kpi("pct_toewijzing_binnen_norm", "% verzoeken binnen 5 werkdagen toegewezen", "kwaliteit", "%",
        "hoger_beter",
        "100 × de in de periode gestarte trajecten waarvan de toewijzing (JW301) ten hoogste 5 "
        "werkdagen (maandag tot en met vrijdag; feestdagen tellen als werkdag) na het verzoek om "
        "toewijzing (JW315) kwam, gedeeld door de in de periode gestarte trajecten met zo'n verzoek. "
        "Alleen met gegevens uit het iJw-berichtenverkeer.",
        m.TRAJECT_GESTART,
        m.Percentage(lambda c: workdays_between(c.t.verzoekdatum, c.t.toewijzingsdatum) <= 5),
        _DOORLOOPTIJD_DIMENSIES, populatie=lambda c: c.t.verzoekdatum.is_not(None),
        alleen_berichtenverkeer=True),
    Kpi("gem_doorlooptijd_start", "Gemiddelde doorlooptijd toewijzing → start zorg (dagen)", "kwaliteit",
        "dagen", "lager_beter",
        "Van de trajecten die in de periode starten: het gemiddelde aantal dagen van de ingangsdatum "
        "van de toewijzing (JW301) tot de start van de zorg (JW305). Alleen met gegevens uit het "
        "iJw-berichtenverkeer.",
        m.TRAJECT_GESTART, m.Mean(lambda c: days_between(c.t.ingangsdatum, c.t.startdatum)),
        _DOORLOOPTIJD_DIMENSIES, populatie=lambda c: c.t.ingangsdatum.is_not(None),
        alleen_berichtenverkeer=True),
    Kpi("pct_herinstroom", "% herinstroom binnen 12 maanden", "kwaliteit", "%", "lager_beter",
        "Van de trajecten die in de periode volgens plan zijn beëindigd: het percentage waarvan de "
        "jeugdige binnen 365 dagen na de einddatum opnieuw een traject start (welk traject dan ook, "
        "ongeacht uitsplitsing of filter).",
        m.TRAJECT_BEEINDIGD, m.Percentage(_herinstroom), ALL_BUT_RESPONDENT,
        populatie=lambda c: c.t.reden_einde == "volgens_plan", volgperiode_dagen=365),
    Kpi("gem_verblijfsduur", "Gemiddelde verblijfsduur (dagen)", "kwaliteit", "dagen",
        "lager_beter",
        "Het gemiddelde aantal dagen van start tot einde van de verblijven die in de periode eindigen.",
        m.VERBLIJF_BEEINDIGD, m.Mean(_duur_verblijf), ALL_BUT_RESPONDENT),
    Kpi("pct_verblijf_gezinsgericht", "% verblijfsdagen gezinsgericht", "kwaliteit", "%",
        "hoger_beter",
        "100 × de verblijfsdagen in de periode in pleegzorg en gezinshuizen, gedeeld door alle "
        "verblijfsdagen in de periode.",
        m.VERBLIJF_ACTIEF, m.RatioOfSums(_gezinsgericht_dagen, _verblijfsdagen), ALL_BUT_RESPONDENT),
    # --- kosten ---
    Kpi("totale_kosten", "Totale kosten jeugdhulp (€)", "kosten", "€", "lager_beter",
        "De som van alle kostenregels (inclusief correcties) van de maanden in de periode.",
        m.KOSTEN_IN_PERIODE, m.SumEuros(lambda c: c.k.bedrag_cent), ALL_BUT_RESPONDENT, cumulatief=True),
    Kpi("kosten_per_jeugdige", "Kosten per jeugdige (€)", "kosten", "€", "lager_beter",
        "De som van de kostenregels van de maanden in de periode, gedeeld door het aantal "
        "verschillende jeugdigen met kostenregels in de periode.",
        m.KOSTEN_IN_PERIODE, m.EurosPerJeugdige(lambda c: c.k.bedrag_cent), ALL_BUT_RESPONDENT, cumulatief=True),
    Kpi("pct_budget_besteed", "% van begroting besteed", "kosten", "%", "lager_beter",
        "100 × de kosten van de maanden in het kalenderjaar, gedeeld door de begroting jeugdhulp "
        "van dat jaar van de gemeente(n). Alleen voor een heel kalenderjaar; andere filters dan "
        "gemeente beperken alleen de kosten.",
        m.KOSTEN_IN_PERIODE, m.ShareOfBudget(lambda c: c.k.bedrag_cent), ("gemeente",),
        per_toegestaan=("jaar",), alleen_kalenderjaar=True, cumulatief=True),
    # --- tevredenheid ---
    Kpi("gem_tevredenheid", "Gemiddeld rapportcijfer cliënten", "tevredenheid", "cijfer",
        "hoger_beter",
        "Het gemiddelde rapportcijfer (1–10) van de antwoorden op het cliëntervaringsonderzoek "
        "van de enquêtejaren in de periode.",
        m.ANTWOORDEN, m.MeanScore(), ALL_DIMENSIONS, n_omschrijving="aantal antwoorden",
        per_toegestaan=("jaar",)),
    Kpi("pct_tevreden", "% cliënten tevreden (cijfer ≥ 7)", "tevredenheid", "%", "hoger_beter",
        "100 × de antwoorden met een rapportcijfer van 7 of hoger, gedeeld door alle antwoorden "
        "van de enquêtejaren in de periode.",
        m.ANTWOORDEN, m.Percentage(lambda c: c.a.score >= 7), ALL_DIMENSIONS,
        n_omschrijving="aantal antwoorden", per_toegestaan=("jaar",)),
)

CATALOGUE: dict[str, Kpi] = {k.id: k for k in KPIS}


def kpis_shown(berichtenverkeer: bool, leeg: Iterable[str] = ()) -> tuple[Kpi, ...]:
    """The catalogue as screens and exports list it: a KPI that needs the iJw berichtenverkeer only
    when the warehouse holds its data (DataStatus.berichtenverkeer), and a KPI that needs a table
    the warehouse holds no rows of (DataStatus.leeg: no kosten, no bevolking …) not at all, so a
    gemeente sees no KPI that can never have a value (kpi/availability.py)."""
    return tuple(k for k in KPIS if (berichtenverkeer or not k.alleen_berichtenverkeer)
                 and not missing_tables(k, leeg))

assert len(CATALOGUE) == len(KPIS), "duplicate KPI id in the catalogue"
# Every KPI's expressions are built once here: a column that does not exist stops the import, and
# which derived tables can answer each KPI is settled before any request.
check_catalogue(KPIS)
