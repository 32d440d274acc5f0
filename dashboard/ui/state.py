"""A view is its URL: the explorer's state ⇄ query string ⇄ KPI request. Pure functions.

    /verkenner?kpi=instroom&jaar=2025&by=school&per=jaar&f=verwijzer:huisarts&f=wijk:WK040601

`f` is repeated in drill-down order (the breadcrumb); `f=school:` selects the empty group.
`pagina` (from 2) is the page of a breakdown with more groups than one page holds (at regional or
national scale: thousands of wijken or scholen); any other change of the view starts at page 1.
`stand=ID` shows the view in a vastgestelde stand (its frozen figures); every next view keeps it.
Anything in a URL that is not valid is dropped with a Dutch message, never an error page
(values are read by dashboard.server.params) — except `stand`, kept as given: the page refuses a
stand that is not there, as every page of a stand does, rather than show live figures.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Callable, Mapping
from urllib.parse import urlencode

from dashboard.server import params
from kpi import CATALOGUE, DIMENSIONS, KpiRequest, KpiRequestError, KpiResult
from kpi.periods import PER_VALUES

DEFAULT_KPI = "jeugdigen_met_jeugdhulp"
FIRST_YEAR = 2019
ANY_YEAR = range(FIRST_YEAR, 2101)   # a stored view's year, when the data's years are not given


def years_with_data(data_tot: dt.date | None, today: dt.date | None = None) -> tuple[range, int]:
    """The years the data cover, and the default: the last complete year of data."""
    last = data_tot or today or dt.date.today()
    default = last.year if (last.month, last.day) == (12, 31) else last.year - 1
    return range(FIRST_YEAR, last.year + 1), max(FIRST_YEAR, default)


@dataclass(frozen=True)
class ExplorerState:
    kpi: str
    jaar: int
    by: str | None = None
    per: str = "jaar"
    filters: tuple[tuple[str, str | None], ...] = ()   # drill path, in order
    gemeente: str | None = None
    pagina: int = 1
    stand: str | None = None                           # a vastgestelde stand's id: its frozen figures
    messages: tuple[str, ...] = field(default=(), compare=False)

    # --- moving through the view -----------------------------------------------------------

    def drill(self, key: str | None, next_by: str | None) -> "ExplorerState":
        """Filter on the clicked group of the current breakdown and break down further."""
        if self.by is None:
            return self
        filters = tuple(f for f in self.filters if f[0] != self.by) + ((self.by, key),)
        return replace(self, filters=filters, by=next_by, pagina=1, messages=())

    def back_to(self, depth: int) -> "ExplorerState":
        """Keep the first `depth` drill-down filters (breadcrumb step); the removed one's
        dimension becomes the breakdown again."""
        if depth >= len(self.filters):
            return self
        return replace(self, filters=self.filters[:depth], by=self.filters[depth][0], pagina=1, messages=())

    def on_page(self, pagina: int) -> "ExplorerState":
        return replace(self, pagina=pagina, messages=())

    # --- URL -------------------------------------------------------------------------------

    def to_search(self) -> str:
        params: list[tuple[str, str]] = [("kpi", self.kpi), ("jaar", str(self.jaar))]
        params.append(("by", self.by or ""))  # "by=" keeps "no breakdown" (absent = the default one)
        params.append(("per", self.per))
        params.extend(("f", f"{d}:{v or ''}") for d, v in self.filters)
        if self.gemeente:
            params.append(("gemeente", self.gemeente))
        if self.pagina > 1:
            params.append(("pagina", str(self.pagina)))
        if self.stand is not None:
            params.append(("stand", self.stand))
        return "?" + urlencode(params)

    # --- requests --------------------------------------------------------------------------

    def where(self) -> dict[str, str]:
        where = {d: (v or "") for d, v in self.filters}
        if self.gemeente and "gemeente" in CATALOGUE[self.kpi].filters:
            where.setdefault("gemeente", self.gemeente)
        return where

    def breakdown_request(self) -> KpiRequest:
        return KpiRequest.for_year(self.kpi, self.jaar, by=self.by, where=self.where())

    def trend_request(self) -> KpiRequest:
        """The trend as one request; of a calendar-year-only KPI, the state's year alone
        (`trend_requests` has every year)."""
        kpi = CATALOGUE[self.kpi]
        per = self.per if self.per in kpi.per_toegestaan else kpi.per_toegestaan[0]
        if kpi.alleen_kalenderjaar:
            van, tot = dt.date(self.jaar, 1, 1), dt.date(self.jaar, 12, 31)
        elif per == "jaar":
            van, tot = dt.date(FIRST_YEAR, 1, 1), dt.date(self.jaar, 12, 31)
        elif per == "kwartaal":
            van, tot = dt.date(self.jaar - 1, 1, 1), dt.date(self.jaar, 12, 31)
        else:
            van, tot = dt.date(self.jaar, 1, 1), dt.date(self.jaar, 12, 31)
        return KpiRequest(self.kpi, van, tot, per=per, where=self.where())

    def trend_requests(self) -> list[KpiRequest]:
        """The requests of the trend: one, or of a calendar-year-only KPI one per year from
        FIRST_YEAR to the state's year (as the overview card's trend asks them)."""
        if not CATALOGUE[self.kpi].alleen_kalenderjaar:
            return [self.trend_request()]
        return [KpiRequest.for_year(self.kpi, year, where=self.where()) for year in range(FIRST_YEAR, self.jaar + 1)]


def compute_trend(service, state: ExplorerState) -> KpiResult:
    """The trend of `state` as one result (its rows in order of the years), as the explorer, its
    download and its slide show it. An earlier year a stand did not freeze (a stand made before the
    explorer showed every year of such a KPI) is left out; the state's own year must answer. A
    quarter or month that begins after the data end is left out too (`before_data_end`)."""
    return before_data_end(_trend(service, state), service.data_status().data_tot)


def before_data_end(result: KpiResult, data_tot: dt.date | None) -> KpiResult:
    """`result` without the sub-periods that begin after `data_tot`: nothing is known of them, yet an
    open traject would count in them as if it had been seen (K4 2026 beside a K3 that ends the
    data). The request keeps its whole year, so the cache, the stored totals and a stand's frozen
    requests are the same as before; each sub-period's small-number rules are its own."""
    if data_tot is None:
        return result
    later = {sub.label for sub in result.request.sub_periods if sub.label and sub.van > data_tot}
    if not later:
        return result
    request = replace(result.request, sub_periods=tuple(s for s in result.request.sub_periods if s.label not in later))
    return replace(result, request=request, rows=tuple(row for row in result.rows if row.periode not in later))


def _trend(service, state: ExplorerState) -> KpiResult:
    requests = state.trend_requests()
    if len(requests) == 1:
        return service.compute(requests[0])
    *earlier, own = requests  # the card's requests (a year's total: no sub-period of its own)
    answered = []
    for request in earlier:
        try:
            answered.append(service.compute(request))
        except KpiRequestError:
            continue
    answered.append(service.compute(own))
    first, last = answered[0].request, answered[-1].request
    whole = replace(last, van=first.van, per="jaar",
                    sub_periods=tuple(sub for r in answered for sub in r.request.sub_periods))
    return replace(answered[-1], request=whole, rows=tuple(
        row._replace(periode=str(r.request.van.year)) for r in answered for row in r.rows))


def only_per(kpi) -> str:
    """Which sub-periods `kpi` has figures for, and why no others (contract: kpi-definitions.md)."""
    per = " of ".join(f"per {p}" for p in kpi.per_toegestaan)
    if kpi.alleen_kalenderjaar:
        return f"{per} (de begroting geldt voor een heel kalenderjaar)"
    if kpi.as_ == "tevredenheid":
        return f"{per} (de enquêtejaren van het cliëntervaringsonderzoek)"
    return per


#: whether the figures hold a group: (dimension, code) → bool, for the dimensions without a code list
#: (wijk, school, aanbieder, gemeente), whose codes come with the data (dashboard.ui.explorer_view.known_groups)
Known = Callable[[str, str], bool]


def from_query(query: Mapping[str, object], default_year: int, years: range | None = None,
               known: Known | None = None) -> ExplorerState:
    """Build a state from parsed query parameters; invalid parts are dropped with a message.
    `years`: the years the data cover (None: any year a stored view may hold). `known`: whether
    the figures hold a wijk, school, aanbieder or gemeente of the link (None: not asked, e.g. for
    a stored view); one they do not hold is dropped with a message, never shown as a code."""
    messages: list[str] = []
    kpi_id = params.one(query.get("kpi")) or DEFAULT_KPI
    if kpi_id not in CATALOGUE:
        messages.append(f"Onbekende KPI '{params.shown(kpi_id)}' in de link; '{CATALOGUE[DEFAULT_KPI].naam}' wordt getoond.")
        kpi_id = DEFAULT_KPI
    kpi = CATALOGUE[kpi_id]

    jaar, message = params.year(query.get("jaar"), years if years is not None else ANY_YEAR, default_year)
    if message:
        messages.append(message)

    filters: list[tuple[str, str | None]] = []
    raw_filters = query.get("f") or []
    for item in [raw_filters] if isinstance(raw_filters, str) else raw_filters if isinstance(raw_filters, list) else [raw_filters]:
        dimension, sep, value = item.partition(":") if isinstance(item, str) else ("", "", "")
        if sep and dimension in {d for d, _ in filters}:
            messages.append(f"Filter '{params.shown(item)}' is weggelaten: er is al een filter op "
                            f"{DIMENSIONS[dimension].naam.lower()}.")
            continue
        if not sep or dimension not in kpi.filters:
            messages.append(f"Filter '{params.shown(item)}' past niet bij deze KPI en is weggelaten.")
            continue
        code_list = DIMENSIONS[dimension].code_list
        value = value.strip()
        if value and code_list is not None:
            normalised = code_list.normalise(value)
            if normalised is None:
                messages.append(f"Onbekende waarde '{params.shown(value)}' voor {DIMENSIONS[dimension].naam.lower()}; filter weggelaten.")
                continue
            value = normalised
        elif value and known is not None and not known(dimension, value):
            messages.append(f"Onbekende waarde '{params.shown(value)}' voor {DIMENSIONS[dimension].naam.lower()}; "
                            "filter weggelaten.")
            continue
        filters.append((dimension, value or None))

    used = {d for d, _ in filters}
    by = params.one(query.get("by"))
    if by == "":
        by = None
    elif by is not None and by in used:  # a filter on wijk leaves one wijk: nothing to break down
        messages.append(f"Uitsplitsing naar {DIMENSIONS[by].naam.lower()} is weggelaten: er is al een filter op "
                        f"{DIMENSIONS[by].naam.lower()}.")
        by = None
    elif by is not None and by not in kpi.breakdowns:
        messages.append(f"Uitsplitsing '{params.shown(by)}' past niet bij deze KPI.")
        by = None
    if by is None and "by" not in query:
        by = next((d for d in kpi.breakdowns if d not in used), None)

    per = params.one(query.get("per")) or "jaar"
    if per not in PER_VALUES:
        messages.append(f"Onderverdeling '{params.shown(per)}' bestaat niet; per jaar wordt getoond.")
        per = "jaar"
    if per not in kpi.per_toegestaan:  # said, not silently replaced: the link asked for it
        messages.append(f"Onderverdeling '{per}' kan niet bij deze KPI: er zijn alleen cijfers "
                        f"{only_per(kpi)}; per {kpi.per_toegestaan[0]} wordt getoond.")
        per = kpi.per_toegestaan[0]

    gemeente = params.one(query.get("gemeente")) or None
    if gemeente is not None and known is not None and not known("gemeente", gemeente):
        messages.append(f"Gemeente '{params.shown(gemeente)}' staat niet in de gegevens; alle gemeenten worden getoond.")
        gemeente = None

    pagina, message = params.page_number(query.get("pagina"))
    if message or (pagina > 1 and by is None):
        messages.append(message or f"Pagina '{pagina}' bestaat niet; de eerste pagina wordt getoond.")
        pagina = 1

    # kept as the link gives it: the page looks it up and refuses a stand that is not there, as
    # every page does (a raadslid must never get live figures from a stand's link)
    stand = params.stand(query.get("stand"))
    return ExplorerState(kpi_id, jaar, by, per, tuple(filters), gemeente, pagina, stand, tuple(messages))
