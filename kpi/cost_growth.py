"""Kostengroei verklaard: the change of `totale_kosten` between two periods, split exactly into a
volume, a mix and an intensity effect (issue 17, item 6). The arithmetic is kpi/lmdi.py; this module
reads the figures, applies the small-number rules and builds the result the CLI and the pages show.

**Periods.** Two calendar years (`jaar` and `vergelijk`, by default the year before), or January up
to and including a month of both years (`tot_maand`). When the data end inside `jaar` (the load
log's "data t/m", as the overview reads it) and no month is asked, the months of `jaar` that are
complete in the data are compared with the same months of `vergelijk`: never a part of a year
with a whole year. A month is complete when "data t/m" is its last day or later.

**Figures.** Exactly those of the KPI `totale_kosten` (kpi-definitions.md): the kosten rows of the
months in the period, inclusive of corrections, and the distinct jeugdigen with kosten rows. They are
read through the KPI engine itself (kpi/computation.py: `aggregate_rows`, so the stored totals and
the kosten summaries serve them where they can), as one request by the breakdown dimension and one
total, each with both periods as its sub-periods. So the decomposition's totals are what
`python -m kpi show totale_kosten` gives for the same period and filters, by construction and by test.

**Groups and drilling.** The groups are the breakdown dimension's (`by`): hulpvorm by default, so
mix means a shift between hulpvormen. A programmamanager drills the way the explorer does: a filter
(`where`, e.g. aanbieder=X) gives the same decomposition *within* that aanbieder, still by hulpvorm;
`by` chooses other groups (mix then means a shift between aanbieders, verwijzers, wijken or
gemeenten). Without `by`, a view that is already within one hulpvorm is broken down by the first of
aanbieder, verwijzer, wijk it is not yet within (a breakdown into one group has no mix to show).

**Small numbers** (contract, "Small numbers", version 2):
- The decomposition is withheld as a whole (`afgeschermd`) when the engine hides the total of
  `totale_kosten` in either period (rules 1 and 3: fewer than T jeugdigen, or a filter on a group
  hidden in its linked breakdown): the change would give the hidden total away.
- A group the engine hides in the breakdown in either period (rules 1–3) is folded into "overig";
  its euros and effects stay there, so every column still adds up. A group without any kosten in
  one period is not small there: the engine shows its absence too.
- "Overig" itself must rest on at least T jeugdigen (distinct, counted in the database) in each
  period where it has any; otherwise it is folded into the largest shown group (most jeugdigen in
  the later period), shown as "<naam> en overig". There always is one: a total that is not hidden
  has at least T jeugdigen, so if every group were folded, "overig" would hold them all.
- Counts are rounded to the base B (rule 4): the groups' always (a breakdown is detailed), the
  totals when the request is detailed (a filter on anything but gemeente), as `kpi show` does.
  Euros and kosten per jeugdige are exact, as the contract has them.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any, Mapping

from sqlalchemy import Connection, Engine, select, union_all

from data.warehouse.schema import LoadLog
from kpi import format as fmt
from kpi import lmdi, privacy
from kpi.availability import not_loaded
from kpi.computation import LINKED_GROUPS_NAMED, aggregate_rows, linked_verdicts
from kpi.dimensions import DIMENSIONS
from kpi.periods import SubPeriod
from kpi.query import group_label, groups_together_query, plan_for
from kpi.request import KpiRequest, KpiRequestError, ResolvedRequest, resolve
from kpi.result import KpiRow, key_order
from kpi.settings import DEFAULT_MIN_CELL_SIZE
from kpi.sqlfuncs import tune_for_aggregates

KPI_ID = "totale_kosten"
#: the dimensions the groups can be of, in the order a default breakdown is chosen
BREAKDOWNS = ("hulpvorm", "aanbieder", "verwijzer", "wijk", "gemeente")
DEFAULT_BY = "hulpvorm"
#: `tot_maand` value: January up to the last month of `jaar` that is complete in the data
LAATSTE_MAAND = "laatste"
EFFECTS = ("volume", "mix", "intensiteit")
FIRST_YEAR, LAST_YEAR = 1900, 2999

VOLUME_LABEL = "Volume (aantal jeugdigen)"
INTENSITEIT_LABEL = "Intensiteit (kosten per jeugdige)"
OVERIG_LABEL = "Overig"

# The "Hoe berekend?" text of the decomposition, for the screens and docs/prognose.md: fill in with
# `hoe_berekend(by, threshold)`.
HOE_BEREKEND = (
    "De verandering van de totale kosten jeugdhulp tussen twee perioden is precies verdeeld over drie "
    "effecten, die samen optellen tot de verandering, tot op de cent. "
    "Volume (aantal jeugdigen): wat de kosten veranderen doordat meer of minder jeugdigen kosten hebben. "
    "Mix (verschuiving tussen {groepen}): wat ze veranderen doordat jeugdigen verschuiven naar duurdere "
    "of goedkopere {groepen}. "
    "Intensiteit (kosten per jeugdige): wat ze veranderen doordat de kosten per jeugdige binnen een "
    "{groep} stijgen of dalen, door meer of duurdere hulp per jeugdige of hogere tarieven. "
    "Per {groep} zijn de kosten het aantal jeugdigen met kosten × het aandeel van de {groep} daarin × "
    "de kosten per jeugdige in de {groep}; de verandering daarvan is verdeeld met de logaritmische "
    "gemiddelde Divisia-index (LMDI-I), een gangbare methode die niets onverklaard laat. "
    "Een {groep} die in een van beide perioden geen kosten heeft, telt helemaal als mix. "
    "De kosten zijn die van de KPI Totale kosten jeugdhulp: alle kostenregels (inclusief correcties) van "
    "de maanden in de periode. Een jeugdige met kosten in twee {groepen} telt in beide mee. "
    "Loopt het jaar nog, dan zijn dezelfde maanden van beide jaren vergeleken; declaraties die nog "
    "binnenkomen, ontbreken dan nog. "
    "{Groepen} met minder dan {drempel} jeugdigen in een van beide perioden staan samen onder "
    "'Overig'; hun bedragen tellen daar mee, zodat alles blijft optellen."
)


def mix_label(by: str = DEFAULT_BY) -> str:
    return f"Mix (verschuiving tussen {DIMENSIONS[by].meervoud})"


def effect_label(effect: str, by: str = DEFAULT_BY) -> str:
    """The Dutch name of an effect, as users read it."""
    return {"volume": VOLUME_LABEL, "mix": mix_label(by), "intensiteit": INTENSITEIT_LABEL}[effect]


def hoe_berekend(by: str = DEFAULT_BY, threshold: int = DEFAULT_MIN_CELL_SIZE) -> str:
    """HOE_BEREKEND for groups of `by` and the threshold in force."""
    dim = DIMENSIONS[by]
    return HOE_BEREKEND.format(groep=dim.naam.lower(), groepen=dim.meervoud, Groepen=dim.meervoud.capitalize(),
                               drempel=threshold)


class GrowthRequestError(KpiRequestError):
    """A decomposition that cannot be asked: a bad year, month, dimension or filter (Dutch message)."""


# --- the request --------------------------------------------------------------------------------

@dataclass(frozen=True)
class GrowthRequest:
    """What a user asks: `jaar` against `vergelijk` (None: the year before), whole years or January
    up to `tot_maand` (1–12, LAATSTE_MAAND, or None: whole years unless `jaar` is still running),
    groups by `by` (None: see the module's docstring), within the filters `where` (as KpiRequest's)."""
    jaar: int
    vergelijk: int | None = None
    tot_maand: int | str | None = None
    by: str | None = None
    where: Mapping[str, str] = field(default_factory=dict)
    suppress: bool = True
    min_cell_size: int | None = None  # None: the MIN_CELL_SIZE setting
    afronding: int | None = None      # None: the AFRONDING setting


@dataclass(frozen=True)
class Period:
    van: dt.date
    tot: dt.date
    label: str   # "2025", "januari t/m september 2025"


@dataclass(frozen=True)
class ResolvedGrowth:
    """A checked request: its two periods and the `totale_kosten` request by the groups over them
    (sub-period 0 the earlier period, 1 the later)."""
    eerder: Period
    later: Period
    by: str
    tot_maand: int | None          # None: whole calendar years
    kpi_request: ResolvedRequest
    #: the comparison stops before "data t/m" because later months' declarations are not yet
    #: (nearly) all in: the last day that is comparable, else None
    declaraties_tot: dt.date | None = None

    @property
    def min_cell_size(self) -> int | None:
        return self.kpi_request.min_cell_size

    @property
    def afronding(self) -> int | None:
        return self.kpi_request.afronding

    def cache_key(self) -> tuple:
        return ("kostengroei", self.eerder.van, self.later.tot, self.tot_maand, self.kpi_request.cache_key())


def _year(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not FIRST_YEAR <= value <= LAST_YEAR:
        raise GrowthRequestError(f"{name}: ongeldig jaar {value!r}; geef een jaar als 2026")
    return value


def check(request: GrowthRequest) -> tuple[int, int, str, ResolvedRequest]:
    """(jaar, vergelijk, by, the engine's request for the first calendar years) of a request, or
    GrowthRequestError/KpiRequestError in Dutch; needs no database."""
    jaar = _year(request.jaar, "jaar")
    vergelijk = jaar - 1 if request.vergelijk is None else _year(request.vergelijk, "vergelijk")
    if vergelijk >= jaar:
        raise GrowthRequestError(f"het jaar om mee te vergelijken ({vergelijk}) moet vóór {jaar} liggen")
    maand = request.tot_maand
    if maand is not None and maand != LAATSTE_MAAND and (
            isinstance(maand, bool) or not isinstance(maand, int) or not 1 <= maand <= 12):
        raise GrowthRequestError(f"tot maand: ongeldige maand {maand!r}; geef een maand van 1 tot en met 12")
    by = request.by
    if by is None:
        by = next((d for d in BREAKDOWNS if d not in (request.where or {})), DEFAULT_BY)
    elif by not in BREAKDOWNS:
        raise GrowthRequestError(f"kostengroei kan niet worden verdeeld naar {by!r}; wel naar: {', '.join(BREAKDOWNS)}")
    kpi_request = resolve(KpiRequest(KPI_ID, dt.date(vergelijk, 1, 1), dt.date(jaar, 12, 31), by=by,
                                     where=dict(request.where or {}), suppress=request.suppress,
                                     min_cell_size=request.min_cell_size, afronding=request.afronding))
    return jaar, vergelijk, by, kpi_request


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def complete_months(jaar: int, data_tot: dt.date | None) -> int | None:
    """How many months of `jaar` are complete in the data (12: the whole year), or None when the
    data status is unknown."""
    if data_tot is None:
        return None
    if data_tot >= dt.date(jaar, 12, 31):
        return 12
    if data_tot.year < jaar:
        return 0
    return data_tot.month if data_tot == _month_end(jaar, data_tot.month) else data_tot.month - 1


def period(jaar: int, tot_maand: int | None) -> Period:
    if tot_maand is None:
        return Period(dt.date(jaar, 1, 1), dt.date(jaar, 12, 31), str(jaar))
    months = fmt.MAANDEN[0] if tot_maand == 1 else f"{fmt.MAANDEN[0]} t/m {fmt.MAANDEN[tot_maand - 1]}"
    return Period(dt.date(jaar, 1, 1), _month_end(jaar, tot_maand), f"{months} {jaar}")


def resolve_growth(request: GrowthRequest, data_tot: dt.date | None,
                   kosten_tot: dt.date | None = None) -> ResolvedGrowth:
    """The request checked against the data's "data t/m" (the newest load's; None: unknown) and,
    where the warehouse knows when declarations came in, `kosten_tot`: the last day of the last
    month whose declarations are (nearly) all in (`comparable_kosten_tot`). A month after it still
    looks cheap, so it is not compared with the same month a year earlier, which is complete."""
    jaar, vergelijk, by, kpi_request = check(request)
    cut = data_tot is not None and kosten_tot is not None and kosten_tot < data_tot \
        and complete_months(jaar, kosten_tot) != complete_months(jaar, data_tot)
    if cut:
        data_tot = kosten_tot
    complete = complete_months(jaar, data_tot)
    shown_tot = "" if data_tot is None else \
        f" ({'declaraties vrijwel compleet' if cut else 'gegevens'} t/m {fmt.datum(data_tot)})"
    if data_tot is not None and data_tot < dt.date(jaar, 1, 1):
        raise GrowthRequestError(f"er zijn nog geen gegevens over {jaar}{shown_tot}")
    maand = request.tot_maand
    if maand == LAATSTE_MAAND:
        if complete is None:
            raise GrowthRequestError("de laatste maand met gegevens is onbekend (er is nog niets geladen); "
                                     "geef een maand van 1 tot en met 12")
        maand = complete
    elif maand is None and complete is not None and complete < 12:
        maand = complete   # a running year: the same months of both years
    if maand == 0:
        raise GrowthRequestError(f"{jaar} heeft nog geen volledige maand met gegevens{shown_tot}")
    if maand is not None and complete is not None and maand > complete:
        raise GrowthRequestError(f"{fmt.MAANDEN[maand - 1]} {jaar} is nog niet compleet{shown_tot}; "
                                 f"kies maand {complete} of eerder")
    if maand == 12:
        maand = None
    eerder, later = period(vergelijk, maand), period(jaar, maand)
    subs = (SubPeriod(eerder.label, eerder.van, eerder.tot), SubPeriod(later.label, later.van, later.tot))
    return ResolvedGrowth(eerder, later, by, maand, replace(kpi_request, van=eerder.van, tot=later.tot,
                                                               sub_periods=subs),
                          declaraties_tot=data_tot if cut else None)


# --- the result ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Figures:
    """Kosten and jeugdigen of the total or a group in one period, as shown."""
    kosten_cent: int
    jeugdigen: int                        # rounded to the base where the view is detailed
    kosten_per_jeugdige: float | None     # euros, from the exact count; None without jeugdigen

    @property
    def kosten(self) -> float:
        return self.kosten_cent / 100

    def to_dict(self) -> dict:
        return {"kosten": self.kosten, "kosten_cent": self.kosten_cent, "jeugdigen": self.jeugdigen,
                "kosten_per_jeugdige": self.kosten_per_jeugdige}


@dataclass(frozen=True)
class Effect:
    effect: str          # "volume", "mix" or "intensiteit"
    label: str           # "Volume (aantal jeugdigen)", …
    bedrag_cent: int

    @property
    def bedrag(self) -> float:
        return self.bedrag_cent / 100


#: kinds of row: one group; the small groups together; the largest group with a too small "overig"
GROEP, OVERIG, GROEP_EN_OVERIG = "groep", "overig", "groep_en_overig"


@dataclass(frozen=True)
class Contribution:
    """One row of the decomposition: a group's kosten in both periods and its share of each effect
    (whole cents; the rows of an effect add up to it, a row's effects to its change)."""
    soort: str                        # GROEP, OVERIG or GROEP_EN_OVERIG
    key: str | None                   # the group to drill into (GROEP, GROEP_EN_OVERIG); None for OVERIG
    label: str
    bevat: tuple[str, ...]            # the small groups folded in (their labels), in key order
    eerder: Figures
    later: Figures
    volume_cent: int
    mix_cent: int
    intensiteit_cent: int

    @property
    def verandering_cent(self) -> int:
        return self.later.kosten_cent - self.eerder.kosten_cent

    @property
    def effecten_cent(self) -> tuple[int, int, int]:
        return (self.volume_cent, self.mix_cent, self.intensiteit_cent)

    @property
    def drillable(self) -> bool:
        return self.soort != OVERIG

    def to_dict(self) -> dict:
        return {"soort": self.soort, "key": self.key, "label": self.label, "bevat": list(self.bevat),
                "eerder": self.eerder.to_dict(), "later": self.later.to_dict(),
                "verandering": self.verandering_cent / 100, "verandering_cent": self.verandering_cent,
                **{f"{name}_cent": cents for name, cents in zip(EFFECTS, self.effecten_cent, strict=True)}}


@dataclass(frozen=True)
class CostGrowth:
    """The decomposition of one request. When `afgeschermd`, the totals are hidden and there are
    no effects or groups."""
    eerder: Period
    later: Period
    by: str
    where: tuple[tuple[str, str | None], ...]
    min_cell_size: int | None
    afronding: int | None
    afgeschermd: bool
    totaal_eerder: Figures | None
    totaal_later: Figures | None
    effecten: tuple[Effect, ...]
    groepen: tuple[Contribution, ...]
    toelichting: tuple[str, ...]      # Dutch notes: periods, small numbers, rounding, special groups

    @property
    def verandering_cent(self) -> int | None:
        if self.totaal_eerder is None or self.totaal_later is None:
            return None
        return self.totaal_later.kosten_cent - self.totaal_eerder.kosten_cent

    @property
    def hoe_berekend(self) -> str:
        return hoe_berekend(self.by, self.min_cell_size or DEFAULT_MIN_CELL_SIZE)

    def to_dict(self) -> dict:
        change = self.verandering_cent
        return {
            "kpi": KPI_ID, "eerder": {"van": self.eerder.van.isoformat(), "tot": self.eerder.tot.isoformat(),
                                      "label": self.eerder.label},
            "later": {"van": self.later.van.isoformat(), "tot": self.later.tot.isoformat(), "label": self.later.label},
            "by": self.by, "where": {d: ("" if v is None else v) for d, v in self.where},
            "min_cell_size": self.min_cell_size, "afronding": self.afronding, "afgeschermd": self.afgeschermd,
            "totaal": None if self.afgeschermd else {
                "eerder": self.totaal_eerder.to_dict(), "later": self.totaal_later.to_dict(),
                "verandering": change / 100, "verandering_cent": change},
            "effecten": [{"effect": e.effect, "label": e.label, "bedrag": e.bedrag, "bedrag_cent": e.bedrag_cent}
                         for e in self.effecten],
            "groepen": [g.to_dict() for g in self.groepen],
            "toelichting": list(self.toelichting),
            "hoe_berekend": self.hoe_berekend,
        }


# --- computing ------------------------------------------------------------------------------------

def newest_data_tot(conn: Connection) -> dt.date | None:
    """"Data t/m" of the newest load (None: nothing loaded through the loader)."""
    return conn.scalar(select(LoadLog.data_tot).order_by(LoadLog.id.desc()).limit(1))


def decompose(bind: Engine | Connection, request: GrowthRequest, data_tot: dt.date | None = None,
              read_data_tot: bool = True) -> CostGrowth:
    """The decomposition of `request`. "Data t/m" comes from the newest load unless given
    (`read_data_tot=False` with `data_tot=None`: unknown, whole years are compared as asked)."""
    if isinstance(bind, Engine):
        with bind.connect() as conn:
            return decompose(conn, request, data_tot, read_data_tot)
    if data_tot is None and read_data_tot:
        data_tot = newest_data_tot(bind)
    kosten_tot = comparable_kosten_tot(bind) if read_data_tot else None
    return decompose_resolved(bind, resolve_growth(request, data_tot, kosten_tot))


def comparable_kosten_tot(conn: Connection) -> dt.date | None:
    """The last day of the last care month at least 95% declared by the latest receipt date
    (the forecast's completion patterns, kpi.forecast.signals.kosten_complete_month); None when
    the warehouse holds no receipt dates (import format 1.0) or no kosten."""
    from kpi.forecast.signals import read_kosten_month

    month = read_kosten_month(conn)
    return None if month is None else month.end_time.date()


def resolved_for(service, request: GrowthRequest) -> ResolvedGrowth:
    """`request` resolved against a KpiService's data status and its comparable kosten months;
    without any kosten loaded, refused (a decomposition of nothing would read as hidden figures)."""
    if "kosten" in service.data_status().leeg:
        raise GrowthRequestError(not_loaded(("kosten",)))

    def read() -> dt.date | None:
        with service.engine.connect() as conn:
            return comparable_kosten_tot(conn)
    return resolve_growth(request, service.data_status().data_tot,
                          service.memo("kosten-vergelijkbaar-tot", (), read, facts_only=True))


def decompose_cached(service, request: GrowthRequest) -> CostGrowth:
    """Through a KpiService: its data status, and its cache under the current generation (a new
    load or edit invalidates it, as it does KPI results)."""
    resolved = resolved_for(service, request)

    def build() -> CostGrowth:
        with service.engine.connect() as conn:
            return decompose_resolved(conn, resolved)
    return service.memo("kostengroei", resolved.cache_key(), build)


@dataclass
class _Group:
    """A group's exact figures: (earlier, later)."""
    key: str | None
    label: str
    kosten: list[int] = field(default_factory=lambda: [0, 0])
    jeugdigen: list[int] = field(default_factory=lambda: [0, 0])


@dataclass(frozen=True)
class _Row:
    """A row to show, with its exact counts and effects (rounded when it becomes a Contribution)."""
    soort: str
    key: str | None
    label: str
    bevat: tuple[str, ...]
    kosten: tuple[int, int]
    jeugdigen: tuple[int, int]
    effects: lmdi.Effects

    @property
    def change(self) -> int:
        return self.kosten[1] - self.kosten[0]


def decompose_resolved(conn: Connection, resolved: ResolvedGrowth) -> CostGrowth:
    req = resolved.kpi_request
    total_req = replace(req, by=None)
    by_period, _ = aggregate_rows(conn, req)
    total_period, _ = aggregate_rows(conn, total_req)
    groups: dict[str | None, _Group] = {}
    for idx in (0, 1):
        for row in by_period.get(idx, []):
            key = row.get("key")
            group = groups.setdefault(key, _Group(key, group_label(resolved.by, key, row.get("label"))))
            group.kosten[idx] = _cents(row["som"])
            group.jeugdigen[idx] = int(row["n"])
    total_rows = [(total_period.get(idx) or [{"n": 0, "som": 0}])[0] for idx in (0, 1)]
    kosten = (_cents(total_rows[0]["som"]), _cents(total_rows[1]["som"]))
    jeugdigen = (int(total_rows[0]["n"]), int(total_rows[1]["n"]))

    threshold, base = req.min_cell_size, req.afronding or 1
    notes = _period_notes(resolved)
    if threshold is not None and _hidden(conn, total_req, total_period):
        notes.append(f"De kostengroei wordt niet getoond: de totale kosten van {resolved.eerder.label} of "
                     f"{resolved.later.label} rusten op minder dan {threshold} jeugdigen, of zijn af te leiden "
                     "uit andere weergaven. " + privacy.explain_suppression(threshold))
        return CostGrowth(resolved.eerder, resolved.later, resolved.by, req.where, threshold, req.afronding,
                          True, None, None, (), (), tuple(notes))

    effects = {key: lmdi.group_effects(tuple(g.kosten), tuple(g.jeugdigen), jeugdigen) for key, g in groups.items()}
    folded = _hidden(conn, req, by_period) if threshold is not None else set()
    rows = _rows(conn, resolved, groups, effects, folded, notes)
    effect_cents = lmdi.largest_remainder(kosten[1] - kosten[0], lmdi.summed(r.effects for r in rows).as_tuple())
    cells = lmdi.controlled_rounding([r.effects.as_tuple() for r in rows], [r.change for r in rows], effect_cents)

    def figures(cents: int, n: int, rounded: bool) -> Figures:
        shown = privacy.round_to_base(n, base) if rounded and threshold is not None and base > 1 else n
        return Figures(cents, shown, None if n == 0 else cents / 100 / n)

    contributions = tuple(
        Contribution(r.soort, r.key, r.label, r.bevat, figures(r.kosten[0], r.jeugdigen[0], True),
                     figures(r.kosten[1], r.jeugdigen[1], True), *cents)
        for r, cents in zip(rows, cells, strict=True))
    _notes_on_groups(resolved, groups, jeugdigen, contributions, notes)
    if threshold is not None and base > 1:
        notes.append(privacy.explain_rounding(base))
    detailed_total = total_req.detailed
    return CostGrowth(
        resolved.eerder, resolved.later, resolved.by, req.where, threshold, req.afronding, False,
        figures(kosten[0], jeugdigen[0], detailed_total), figures(kosten[1], jeugdigen[1], detailed_total),
        tuple(Effect(name, effect_label(name, resolved.by), cents)
              for name, cents in zip(EFFECTS, effect_cents, strict=True)),
        contributions, tuple(notes))


def _cents(value) -> int:
    return 0 if value is None else int(value)


def _hidden(conn: Connection, req: ResolvedRequest, by_period: dict[int, list[dict]]) -> set:
    """What the engine hides of `req` (rules 1–3, as kpi/computation.py's `compute_resolved`
    applies them) in either sub-period: the keys of the hidden groups of a breakdown; for a total
    {None} when it is hidden."""
    groups = None
    if req.by is not None:
        keys = frozenset(row.get("key") for rows in by_period.values() for row in rows)
        groups = keys if len(keys) <= LINKED_GROUPS_NAMED else None
    verdicts = {dimension: linked_verdicts(conn, req, dimension, groups)
                for dimension in privacy.linked_dimensions(req.by, req.where)}
    hidden = set()
    for idx in range(len(req.sub_periods)):
        found = by_period.get(idx, [])
        if req.by is None and not found:
            found = [{"n": 0}]
        rows = sorted((KpiRow(None, row.get("key") if req.by else None, "", None, int(row["n"])) for row in found),
                      key=lambda r: key_order(r.key))
        protected = privacy.protect(rows, threshold=req.min_cell_size, base=1, breakdown=req.by is not None,
                                    detailed=False, where=req.where, count_value=False,
                                    linked={dimension: by_row.get(idx, {}) for dimension, by_row in verdicts.items()})
        hidden |= {row.key for row in protected if row.suppressed}
    return hidden


def _together(conn: Connection, resolved: ResolvedGrowth, sets: list[frozenset]) -> list[tuple[int, int]]:
    """The distinct jeugdigen of each set of groups taken together, in (earlier, later)."""
    total_req = replace(resolved.kpi_request, by=None)
    plan = plan_for(conn, total_req)
    branches = [groups_together_query(total_req, 2 * i + idx, sub, resolved.by, groups, plan)
                for i, groups in enumerate(sets) for idx, sub in enumerate(total_req.sub_periods)]
    tune_for_aggregates(conn, few_facts_per_traject_lookup=False, one_period=False)
    counts = {row.idx: int(row.n) for row in conn.execute(union_all(*branches) if len(branches) > 1 else branches[0])}
    return [(counts.get(2 * i, 0), counts.get(2 * i + 1, 0)) for i in range(len(sets))]


def _rows(conn, resolved: ResolvedGrowth, groups: dict, effects: dict, folded: set, notes: list) -> list[_Row]:
    """The rows to show: the shown groups by the size of their change (largest first, ties in key
    order), then "overig" — or the largest group with "overig" in it."""
    threshold = resolved.min_cell_size
    shown = [g for key, g in groups.items() if key not in folded]
    small = sorted((g for key, g in groups.items() if key in folded), key=lambda g: key_order(g.key))
    rows = {g.key: _Row(GROEP, g.key, g.label, (), tuple(g.kosten), tuple(g.jeugdigen), effects[g.key])
            for g in shown}
    overig = []
    if small:
        keys = frozenset(g.key for g in small)
        # the largest shown group: most jeugdigen in the later period, then the earlier, then key order
        target = min(shown, key=lambda g: (-g.jeugdigen[1], -g.jeugdigen[0], key_order(g.key)), default=None)
        counts = _together(conn, resolved, [keys] + ([keys | {target.key}] if target is not None else []))
        together = lmdi.summed(effects[g.key] for g in small)
        kosten = tuple(sum(g.kosten[i] for g in small) for i in (0, 1))
        labels = tuple(g.label for g in small)
        if target is not None and any(0 < n < threshold for n in counts[0]):
            own = rows[target.key]
            rows[target.key] = _Row(GROEP_EN_OVERIG, target.key, f"{target.label} en overig", labels,
                                    (own.kosten[0] + kosten[0], own.kosten[1] + kosten[1]), counts[1],
                                    own.effects + together)
            notes.append(f"'Overig' ({', '.join(labels)}) rust op minder dan {threshold} jeugdigen en is "
                         f"samengevoegd met {target.label}.")
        else:
            overig = [_Row(OVERIG, None, OVERIG_LABEL, labels, kosten, counts[0], together)]
            notes.append(f"{OVERIG_LABEL}: {', '.join(labels)} — {DIMENSIONS[resolved.by].meervoud} met minder dan "
                         f"{threshold} jeugdigen in een van beide perioden, of af te leiden uit andere groepen. "
                         "Hun kosten en effecten tellen mee in overig.")
    return sorted(rows.values(), key=lambda r: (-abs(r.change), key_order(r.key))) + overig


LATER_MONTHS = "Latere maanden tellen nog niet mee"


def later_months_note(result: CostGrowth) -> str | None:
    """The note that says why a running year stops before the data do (declarations still coming
    in), or None. Read from the notes, so a stand's recorded decomposition answers it too."""
    return next((note for note in result.toelichting if note.startswith(LATER_MONTHS)), None)


def _period_notes(resolved: ResolvedGrowth) -> list[str]:
    if resolved.tot_maand is None:
        return []
    months = resolved.later.label.rsplit(" ", 1)[0]
    notes = [f"Vergeleken zijn dezelfde maanden van beide jaren: {months} {resolved.eerder.van.year} en "
             f"{resolved.later.van.year}."]
    if resolved.declaraties_tot is not None:
        notes.append(f"{LATER_MONTHS}: hun declaraties komen nog binnen (declaraties "
                     f"vrijwel compleet t/m {fmt.datum(resolved.declaraties_tot)}), en een maand zonder al "
                     "zijn declaraties lijkt goedkoper dan hij is.")
    return notes


def _notes_on_groups(resolved: ResolvedGrowth, groups: dict, jeugdigen: tuple[int, int], contributions,
                     notes: list) -> None:
    """Why a change falls entirely to one effect (kpi/lmdi.py's rules), for the shown groups."""
    eerder, later = resolved.eerder.label, resolved.later.label
    if 0 in jeugdigen:
        notes.append(f"In {eerder if jeugdigen[0] == 0 else later} had geen enkele jeugdige kosten: de hele "
                     "verandering telt als volume.")
        return
    for row in contributions:
        if row.soort != GROEP:
            continue
        g = groups[row.key]
        if g.jeugdigen[0] == 0 or g.jeugdigen[1] == 0:
            notes.append(f"{row.label} had in {eerder if g.jeugdigen[0] == 0 else later} geen kosten: de hele "
                         "verandering telt als mix.")
        elif g.kosten[0] <= 0 or g.kosten[1] <= 0:
            notes.append(f"{row.label} had in {eerder if g.kosten[0] <= 0 else later} kosten van nul of minder "
                         "(correcties): de hele verandering telt als intensiteit.")
