"""Status of a value against its streefwaarde: op koers / aandacht / achter.

The rule (the contract is silent; documented in docs/architecture.md):
- op koers: the value reaches the streefwaarde (in the KPI's direction);
- aandacht: it misses the streefwaarde, but by at most `TOLERANTIE` (10%) of the distance between
  nulmeting and streefwaarde (or, without a usable nulmeting, 5% of the streefwaarde);
- achter: it misses by more.
No value or no streefwaarde: no status (None). Always shown with an icon and words, never colour alone.
"""
from __future__ import annotations

from dataclasses import dataclass

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


def status(value: float | None, streefwaarde: float | None, richting: str,
           nulmeting: float | None = None) -> Status | None:
    if value is None or streefwaarde is None:
        return None
    sign = 1 if richting == "hoger_beter" else -1
    shortfall = sign * (streefwaarde - value)  # > 0: the target is not reached
    if shortfall <= 0:
        return OP_KOERS
    planned = sign * (streefwaarde - nulmeting) if nulmeting is not None else 0
    allowed = TOLERANTIE * planned if planned > 0 else TOLERANTIE_ZONDER_NUL * abs(streefwaarde)
    return AANDACHT if shortfall <= allowed else ACHTER
