"""De weg naar het laatste planjaar: an indicator's yearly values through kpi/trajectory.py, and
the Dutch words the screens show for it (indicator page, lijn page, overview card).

Which yearly values the line rests on (docs/prognose.md, "De weg naar 2028"):
- the values the screens show for the indicator (`indicator_values`: the KPI's total from the
  service, suppression included, or the realisatie a trekker reported; for the raad only
  vastgestelde realisaties, as `dashboard/server/viewer.py` reads the programme), and no others;
- only complete years: a running year ("t/m september") and a year whose follow-up is not covered
  yet ("volgperiode loopt nog") would pull the line with a value that is still moving; a
  suppressed (`<10`) or missing year is left out;
- for a manual indicator, the nulmeting stands in for its year when nothing was reported for it
  (the nulmeting is that year's measurement); a KPI indicator's nulmeting year has its own value;
- at most the last `VENSTER` such years, so the line follows the recent course rather than years
  long before the programme.

The status (op koers / aandacht / achter, dashboard/programme/status.py) and the chance answer
different questions: the status judges this year's stand against this year's streefwaarde; the
chance says where the line of the past years leads in a later year. Every text here says which.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from dashboard.programme.progress import IndicatorView, IndicatorYear, indicator_values
from dashboard.programme.status import NA_AFLOOP, VOLGPERIODE
from dashboard.ui.state import FIRST_YEAR
from data.programme.edits import BEREIK
from kpi import format as fmt
from kpi.trajectory import MIN_PUNTEN, Trajectory, YearProjection, chance_text, project

VENSTER = 6  # at most this many of the latest complete years carry the line
DUIDELIJK = 0.25  # a chance this far from even is "waarschijnlijk (niet)" in the screens' words

TE_WEINIG_JAREN = "te weinig jaren om een lijn door te trekken"
TE_ONZEKER = "de onzekerheid is te groot om te oordelen"
TE_ONZEKER_KORT = "te onzeker"
GEEN_STREEFWAARDE = "geen streefwaarde"


@dataclass(frozen=True)
class Road:
    """An indicator's road to the plan's last year (`eindjaar`)."""
    trajectory: Trajectory
    eindjaar: int
    eenheid: str
    richting: str

    @property
    def has_line(self) -> bool:
        return not self.trajectory.te_weinig_punten

    @property
    def span(self) -> str:
        """"2020–2025": the years the line rests on."""
        years = [j for j, _ in self.trajectory.punten]
        if not years:
            return "geen volledige jaren"
        return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"

    @property
    def basis(self) -> str:
        """"lijn door 2020–2025, 6 jaar": what the line rests on (a year missing in between says so)."""
        years = [j for j, _ in self.trajectory.punten]
        if len(years) < 2:
            return f"{'alleen ' if years else ''}{self.span}"
        gaps = "" if years[-1] - years[0] + 1 == len(years) else ", met gaten"
        return f"lijn door {self.span}, {len(years)} jaar{gaps}"

    def year(self, jaar: int) -> YearProjection | None:
        return self.trajectory.year(jaar)

    def verdict(self, jaar: int, compact: bool = False) -> str:
        """The chance for `jaar` in words: "35%", "< 5%", "< 10% (grote onzekerheid)", or why there
        is none; `compact` for a table cell ("< 10% (onzeker)", "te onzeker")."""
        if not self.has_line:
            return TE_WEINIG_JAREN
        found = self.year(jaar)
        if found is None or found.streefwaarde is None:
            return GEEN_STREEFWAARDE
        return verdict_text(found, self.richting, compact)

    @property
    def short(self) -> str:
        """The line on the lijn page and the overview card: "Op weg naar 2028: kans 35%"."""
        text = self.verdict(self.eindjaar)
        if text in (TE_WEINIG_JAREN, TE_ONZEKER, GEEN_STREEFWAARDE):
            return f"Op weg naar {self.eindjaar}: {text}"
        return f"Op weg naar {self.eindjaar}: kans {text}"


def outside_margin(year: YearProjection, richting: str) -> bool | None:
    """Where the streefwaarde lies against the year's interval: True when the whole interval
    reaches it, False when none of it does, None when the target lies within the interval."""
    if year.streefwaarde is None:
        return None
    if richting == "hoger_beter":
        return True if year.streefwaarde < year.onder else False if year.streefwaarde > year.boven else None
    return True if year.streefwaarde > year.boven else False if year.streefwaarde < year.onder else None


def verdict_text(year: YearProjection, richting: str, compact: bool = False) -> str:
    """A year's chance in words. An interval too wide for the plan's range gives no percentage;
    when the streefwaarde lies outside that interval all the same, the chance is below 10% or
    above 90% whatever the exact scatter, and that bound is said instead."""
    if year.streefwaarde is None:
        return GEEN_STREEFWAARDE
    if not year.te_onzeker:
        return chance_text(year.kans)
    side = outside_margin(year, richting)
    note = "onzeker" if compact else "grote onzekerheid"
    if side is False:
        return f"<\u00a010% ({note})"  # a no-break space: never "<" at a line's end
    if side is True:
        return f">\u00a090% ({note})"
    return TE_ONZEKER_KORT if compact else TE_ONZEKER


def likely(year: YearProjection | None, richting: str) -> bool | None:
    """True when the line probably reaches the year's streefwaarde (a chance of at least
    1 − `DUIDELIJK`), False when it probably does not (at most `DUIDELIJK`), None in between or
    when the road cannot say: "waarschijnlijk" is not said of a coin toss."""
    if year is None or year.streefwaarde is None:
        return None
    if year.kans is not None:
        return True if year.kans >= 1 - DUIDELIJK else False if year.kans <= DUIDELIJK else None
    return outside_margin(year, richting)


def yearly_points(values: Iterable[tuple[int, float | None]], excluded: Iterable[int] = (),
                  nulmeting: tuple[int, float] | None = None) -> list[tuple[int, float]]:
    """The (year, value) pairs the line rests on: years with a value, not `excluded`, the
    nulmeting filling its own year when that has no value (pass it for manual indicators only),
    the last VENSTER of them."""
    skip = set(excluded)
    found = {j: v for j, v in values if v is not None and j not in skip}
    if nulmeting is not None and nulmeting[0] not in found and nulmeting[0] not in skip:
        found[nulmeting[0]] = nulmeting[1]
    return sorted(found.items())[-VENSTER:]


def counts(year: IndicatorYear) -> bool:
    """Whether a year's shown value is complete: not running, not waiting for its follow-up."""
    return year.deeljaar is None and year.reden not in (NA_AFLOOP, VOLGPERIODE)


def bounds(indicator: IndicatorView) -> tuple[float | None, float | None]:
    """The values the indicator can take (the write path's range for its unit, with the plan's
    own upper bound where it has one): the line and its band are drawn within them."""
    low, high = BEREIK.get(indicator.eenheid, (None, None))
    return low, indicator.bovengrens if indicator.bovengrens is not None else high


def road_of(points: list[tuple[int, float]], indicator: IndicatorView, eindjaar: int) -> Road:
    nul = indicator.nulmeting[1] if indicator.nulmeting else None
    return Road(project(points, eindjaar, indicator.streefwaarden, indicator.richting, nulmeting=nul,
                        grenzen=bounds(indicator)),
                eindjaar, indicator.eenheid, indicator.richting)


def indicator_road(service, indicator: IndicatorView, eindjaar: int, last_year: int,
                   series: list[IndicatorYear] | None = None) -> Road:
    """The road of `indicator` from its values up to `last_year` (the last year of data) to
    `eindjaar`. `series`: its values FIRST_YEAR … last_year when the caller has them."""
    if series is None:
        series = indicator_values(service, indicator, range(FIRST_YEAR, last_year + 1))
    points = yearly_points(((y.jaar, None if y.suppressed else y.waarde) for y in series),
                           excluded=[y.jaar for y in series if not counts(y)],
                           nulmeting=None if indicator.is_kpi else indicator.nulmeting)
    return road_of(points, indicator, eindjaar)


def has_targets(indicator: IndicatorView | None) -> bool:
    return indicator is not None and bool(indicator.streefwaarden)


def interval_text(year: YearProjection, eenheid: str) -> str:
    """"1.169 – 1.341": the 80% interval as the unit shows values."""
    return f"{fmt.value(year.onder, eenheid)} – {fmt.value(year.boven, eenheid)}"


def explained(road: Road) -> str:
    """One sentence on what the line says, for the indicator page."""
    if not road.has_line:
        n = len(road.trajectory.punten)
        have = ("Er is nog geen volledig jaar met een cijfer" if n == 0 else
                "Er is 1 volledig jaar met een cijfer" if n == 1 else
                f"Er zijn {n} volledige jaren met een cijfer")
        return f"{have}; voor een lijn zijn er minstens {MIN_PUNTEN} nodig."
    slope = road.trajectory.helling or 0.0
    per_year = fmt.difference(slope, road.eenheid)
    if abs(slope) < 1e-12:
        way = "blijft gelijk"
    else:
        way = f"{'stijgt' if slope > 0 else 'daalt'} met ongeveer {per_year} per jaar"
    years = [j for j, _ in road.trajectory.punten]
    gaps = "" if years[-1] - years[0] + 1 == len(years) else ", met gaten"
    return f"De lijn door {road.span} ({len(years)} jaar{gaps}) {way}."
