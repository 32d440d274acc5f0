"""The result of a KPI request: tidy rows, and the JSON object of the contract (cli.md)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kpi.request import ResolvedRequest


def key_order(key: str | None) -> tuple[int, str]:
    """Keys in Unicode code-point order, the empty group (None) first."""
    return (0, "") if key is None else (1, key)


@dataclass(frozen=True)
class KpiRow:
    periode: str | None
    key: str | None
    label: str
    value: int | float | None
    n: int | None
    suppressed: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"periode": self.periode, "key": self.key, "label": self.label,
                "value": self.value, "n": self.n, "suppressed": self.suppressed}


@dataclass(frozen=True)
class KpiResult:
    request: ResolvedRequest
    rows: tuple[KpiRow, ...]

    @property
    def kpi(self):
        return self.request.kpi

    def to_dict(self) -> dict[str, Any]:
        req = self.request
        return {
            "kpi": req.kpi.id,
            "naam": req.kpi.naam,
            "eenheid": req.kpi.eenheid,
            "richting": req.kpi.richting,
            "van": req.van.isoformat(),
            "tot": req.tot.isoformat(),
            "by": req.by,
            "per": req.per,
            "where": req.where_dict,
            "min_cell_size": req.min_cell_size,
            "rows": [row.to_dict() for row in self.rows],
        }
