"""Status of a value against its streefwaarde: op koers / aandacht / achter — and, where there is
no status, the true reason why.

The rule (the contract is silent; documented in docs/architecture.md):
- op koers: the value reaches the streefwaarde (in the KPI's direction);
- aandacht: it misses the streefwaarde, but by at most `TOLERANTIE` (10%) of the distance between
  nulmeting and streefwaarde (or, without a usable nulmeting, 5% of the streefwaarde);
- achter: it misses by more.
- **Judged on the value as shown**: value and streefwaarde are first rounded to the decimals the
  screen shows for the unit (kpi/format.py), so "7,5 · streefwaarde 7,5" is always op koers — a
  raad reads the shown numbers, and a status that contradicts them cannot be explained.
- A running (incomplete) year: a KPI whose value grows with the length of the period
  (`Kpi.cumulatief`: counts, sums, budget share) is not judged against a whole year's target until
  the year is complete; rates and means are judged, labelled with how far the data go. An outcome
  with a follow-up (herinstroom within 12 months: `Kpi.volgperiode_dagen`) is judged only once the
  data cover that follow-up.
No value or no streefwaarde: no status, and `reason()` says which. Always shown with an icon and
words, never colour alone.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from kpi.format import unit

TOLERANTIE = 0.10           # share of the planned improvement that may still be missing
TOLERANTIE_ZONDER_NUL = 0.05  # share of the target, when there is no nulmeting to measure from


@dataclass(frozen=True)
class Status:
    code: str       # "op_koers" | "aandacht" | "achter"
    label: str      # "Op koers" …
    icon: str       # Bootstrap Icons name


OP_KOERS = Status("op_koers", "Op koers", "bi-check-circle-fill")
AANDACHT = Status("aandacht", "Aandacht", "bi-exclamation-triangle-fill")
ACHTER = Status("achter", "Achter", "bi-x-octagon-fill")

# Why there is no status, in the words the screens, slides and reports show.
GEEN_STREEFWAARDE = "geen streefwaarde"
GEEN_REALISATIE = "geen realisatie"
# A manual indicator with quarter (or month) values but no year value: the latest is shown, labelled
# with its period, and not judged against the year's target (a part of a year is not the year).
GEEN_JAARWAARDE = "jaarwaarde nog niet gemeld"
NIET_VASTGESTELD = "nog niet vastgesteld"
NA_AFLOOP = "oordeel na afloop van het jaar"
NULMETING = "nulmeting: het vertrekpunt"
VOLGPERIODE = "volgperiode loopt nog"  # the KPI's name says how long: "binnen 12 maanden"


def waits_for(kpi, jaar: int, data_tot, running: bool) -> str | None:
    """Why `kpi`'s value of `jaar` cannot be judged yet, or None: a cumulative KPI in a running
    year, or an outcome that needs a follow-up the data do not cover yet (`Kpi.volgperiode_dagen`)."""
    import datetime as dt

    if running and kpi.cumulatief:
        return NA_AFLOOP
    if kpi.volgperiode_dagen and data_tot is not None and \
            data_tot < dt.date(jaar, 12, 31) + dt.timedelta(days=kpi.volgperiode_dagen):
        return VOLGPERIODE
    return None


def as_shown(value: float, eenheid: str | None) -> float:
    """The value as the screen shows it (rounded half up to the unit's decimals)."""
    if eenheid is None:
        return value
    decimals = unit(eenheid).decimals
    return float(Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def status(value: float | None, streefwaarde: float | None, richting: str,
           nulmeting: float | None = None, eenheid: str | None = None) -> Status | None:
    """The status of `value` against `streefwaarde`; with `eenheid`, judged on both as shown."""
    if value is None or streefwaarde is None:
        return None
    value, streefwaarde = as_shown(value, eenheid), as_shown(streefwaarde, eenheid)
    if nulmeting is not None:
        nulmeting = as_shown(nulmeting, eenheid)
    sign = 1 if richting == "hoger_beter" else -1
    shortfall = sign * (streefwaarde - value)  # > 0: the target is not reached
    if shortfall <= 0:
        return OP_KOERS
    planned = sign * (streefwaarde - nulmeting) if nulmeting is not None else 0
    allowed = TOLERANTIE * planned if planned > 0 else TOLERANTIE_ZONDER_NUL * abs(streefwaarde)
    return AANDACHT if shortfall <= allowed else ACHTER


def reason(*, has_target: bool, has_value: bool, suppressed: bool = False, threshold: int | None = None,
           not_vastgesteld: bool = False, waits_for_year: bool | str = False, nulmeting_year: bool = False,
           part_of_year: bool = False) -> str:
    """Why a value has no status, most telling first: the year is still running (for a cumulative
    KPI), the value is withheld (`<10`), reported but not yet vastgesteld, only reported for a
    quarter or month (`part_of_year`), not reported, the year is the nulmeting (the point of
    departure, judged against nothing), or there is no streefwaarde."""
    if nulmeting_year and not has_target:
        return NULMETING
    if waits_for_year and has_target:  # True, or the reason itself (waits_for)
        return waits_for_year if isinstance(waits_for_year, str) else NA_AFLOOP
    if suppressed:
        return f"afgeschermd (<{threshold})" if threshold else "afgeschermd"
    if not has_value:
        if not_vastgesteld:
            return NIET_VASTGESTELD
        if part_of_year and has_target:
            return GEEN_JAARWAARDE
        return GEEN_REALISATIE if has_target else GEEN_STREEFWAARDE
    return GEEN_STREEFWAARDE
