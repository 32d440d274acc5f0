"""A view of /kostengroei is its URL: the state ⇄ query string ⇄ the engine's GrowthRequest. Pure.

    /kostengroei?jaar=2026&vergelijk=2025&by=hulpvorm&f=aanbieder:A1&f=verwijzer:huisarts

`jaar` is the year to explain, `vergelijk` the year it is compared with (by default the year
before), `by` the groups the mix is a shift between, `f` the drill path in order (the
breadcrumb; `f=aanbieder:` selects the empty group), `stand` a vastgestelde stand's id. A running
year is compared with the same months of `vergelijk` (kpi/cost_growth.py decides that). Anything
in a URL that is not valid is replaced by its default with a Dutch message, never an error page —
except `stand`, kept as given: the page refuses a stand that is not there (never live figures).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Mapping
from urllib.parse import urlencode

from dashboard.server import params
from dashboard.ui.state import Known
from kpi.cost_growth import BREAKDOWNS, GrowthRequest
from kpi.dimensions import DIMENSIONS

PATH = "/kostengroei"
#: the groups a user chooses between, in drill order; gemeente only where there are several
CHOICES = ("hulpvorm", "aanbieder", "verwijzer", "wijk")
FILTERS = BREAKDOWNS                      # hulpvorm, aanbieder, verwijzer, wijk, gemeente


@dataclass(frozen=True)
class GrowthState:
    jaar: int
    vergelijk: int
    by: str = "hulpvorm"
    filters: tuple[tuple[str, str | None], ...] = ()   # drill path, in order
    stand: str | None = None
    messages: tuple[str, ...] = field(default=(), compare=False)

    # --- moving through the view -----------------------------------------------------------

    def drill(self, key: str | None) -> "GrowthState":
        """Within the clicked group of the current groups, by the next dimension."""
        filters = tuple(f for f in self.filters if f[0] != self.by) + ((self.by, key),)
        return replace(self, filters=filters, by=next_by(filters), messages=())

    def back_to(self, depth: int) -> "GrowthState":
        """The first `depth` steps of the drill path (a breadcrumb); the removed step's dimension
        becomes the groups again."""
        if depth >= len(self.filters):
            return self
        return replace(self, filters=self.filters[:depth], by=self.filters[depth][0], messages=())

    def can_drill(self) -> bool:
        used = {d for d, _ in self.filters} | {self.by}
        return any(d not in used for d in CHOICES)

    # --- URL and request -------------------------------------------------------------------

    def to_search(self) -> str:
        parts = [("jaar", str(self.jaar)), ("vergelijk", str(self.vergelijk)), ("by", self.by)]
        parts += [("f", f"{d}:{v or ''}") for d, v in self.filters]
        if self.stand is not None:
            parts.append(("stand", self.stand))
        return "?" + urlencode(parts)

    def href(self) -> str:
        return PATH + self.to_search()

    def request(self) -> GrowthRequest:
        return GrowthRequest(self.jaar, self.vergelijk, by=self.by,
                             where={d: (v or "") for d, v in self.filters})


def next_by(filters) -> str:
    """The first dimension of CHOICES (then gemeente) the path is not yet within."""
    used = {d for d, _ in filters}
    return next((d for d in CHOICES + ("gemeente",) if d not in used), CHOICES[0])


def _filter(item, used: set, known: Known | None = None) -> tuple[tuple[str, str | None] | None, str | None]:
    """One `f` value as (dimension, code), or None and the Dutch message. `known`: whether the
    figures hold a wijk, aanbieder or gemeente (None: not asked)."""
    dimension, sep, value = item.partition(":") if isinstance(item, str) else ("", "", "")
    if not sep or dimension not in FILTERS or dimension in used:
        return None, f"Filter '{params.shown(item)}' past niet bij de kostengroei en is weggelaten."
    value = value.strip()
    code_list = DIMENSIONS[dimension].code_list
    if value and code_list is not None:
        normalised = code_list.normalise(value)
        if normalised is None:
            return None, (f"Onbekende waarde '{params.shown(value)}' voor {DIMENSIONS[dimension].naam.lower()}; "
                          "filter weggelaten.")
        value = normalised
    elif value and not params.CODE.fullmatch(value):
        return None, (f"Onbekende code '{params.shown(value)}' voor {DIMENSIONS[dimension].naam.lower()}; "
                      "filter weggelaten.")
    elif value and known is not None and not known(dimension, value):
        return None, (f"Onbekende waarde '{params.shown(value)}' voor {DIMENSIONS[dimension].naam.lower()}; "
                      "filter weggelaten.")
    return (dimension, value or None), None


def from_query(query: Mapping[str, object], years: range, default_year: int,
               dimensions: tuple[str, ...] = CHOICES, known: Known | None = None) -> GrowthState:
    """The state of a page's query parameters. `years`: the years the data cover (the earliest
    can only be compared with); `default_year`: the year shown when none is asked;
    `dimensions`: the groups that can be chosen (CHOICES, plus gemeente with several gemeenten);
    `known`: whether the figures hold a wijk, aanbieder or gemeente of the drill path (None: not
    asked; dashboard.ui.explorer_view.known_groups), one they do not is dropped with a message."""
    messages: list[str] = []
    explained = range(years.start + 1, years.stop) if len(years) > 1 else years
    default = min(max(default_year, explained.start), explained.stop - 1) if explained else default_year
    jaar, message = params.year(query.get("jaar"), explained, default)
    if message and explained and params.whole_number(params.one(query.get("jaar"))) == years.start:
        jaar = explained.start   # the first year of data has none before it: the next one explains it
        message = (f"De gegevens beginnen in {years.start}: er is geen eerder jaar om mee te vergelijken; "
                   f"{jaar} tegenover {years.start} wordt getoond.")
    if message:
        messages.append(message)

    raw = params.one(query.get("vergelijk"))
    vergelijk = jaar - 1
    if query.get("vergelijk") is not None and raw != "":
        found = params.whole_number(raw, years.start, jaar - 1) if raw is not None else None
        if found is None:
            shown = params.shown(raw if raw is not None else query.get("vergelijk"))
            choose = (f"alleen {years.start} kan" if years.start == jaar - 1
                      else f"kies een jaar van {years.start} tot en met {jaar - 1}")
            messages.append(f"Vergelijkingsjaar '{shown}' kan niet: {choose}; {jaar - 1} wordt getoond.")
        else:
            vergelijk = found

    filters: list[tuple[str, str | None]] = []
    raw_filters = query.get("f") or []
    for item in [raw_filters] if not isinstance(raw_filters, list) else raw_filters:
        found_filter, message = _filter(item, {d for d, _ in filters}, known)
        if message:
            messages.append(message)
        else:
            filters.append(found_filter)

    used = {d for d, _ in filters}
    by = params.one(query.get("by"))
    if by is None or by == "":
        by = next_by(filters)
    elif by not in dimensions or by in used:
        messages.append(f"Verdeling naar '{params.shown(by)}' kan hier niet; naar "
                        f"{DIMENSIONS[next_by(filters)].naam.lower()} wordt getoond.")
        by = next_by(filters)

    # kept as the link gives it: the page looks it up and refuses a stand that is not there, as
    # every page does (a raadslid must never get live figures from a stand's link)
    stand = params.stand(query.get("stand"))
    return GrowthState(jaar, vergelijk, by, tuple(filters), stand, tuple(messages))


def growth_href(jaar: int, gemeente: str | None = None, stand=None) -> str:
    """The page for `jaar` (from the overview: within its gemeente; from a stand's overview: in that stand)."""
    parts = [("jaar", str(jaar)), ("vergelijk", str(jaar - 1)), ("by", CHOICES[0])]
    if gemeente:
        parts.append(("f", f"gemeente:{gemeente}"))
    if stand:
        parts.append(("stand", str(stand)))
    return PATH + "?" + urlencode(parts)
