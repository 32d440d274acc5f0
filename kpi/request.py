"""A KPI request and its validation (contract: cli.md, kpi-definitions.md).

`KpiRequest` is what the dashboard, the CLI and the exports build. `resolve()` checks it against
the catalogue and normalises it (codes as stored, the threshold in force) or raises
`KpiRequestError` with a Dutch message saying what is wrong.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Mapping

from kpi import periods
from kpi.catalogue import CATALOGUE, Kpi
from kpi.dimensions import DIMENSIONS
from kpi.settings import SettingError
from kpi.settings import afronding as configured_afronding
from kpi.settings import min_cell_size as configured_min_cell_size

#: the most sub-periods one request may ask (33 years per month): each is a SELECT of one statement,
#: and SQLite refuses a statement of more than 500 (a longer period is asked per kwartaal or jaar)
MAX_SUB_PERIODS = 400
_PLURAL = {"jaar": "jaren", "kwartaal": "kwartalen", "maand": "maanden"}
_COARSER = {"maand": ", of per kwartaal of jaar", "kwartaal": ", of per jaar", "jaar": ""}


class KpiRequestError(ValueError):
    """A request the catalogue refuses: unknown KPI, bad period, dimension or code."""


@dataclass(frozen=True)
class KpiRequest:
    kpi: str
    van: dt.date
    tot: dt.date
    by: str | None = None
    per: str | None = None
    where: Mapping[str, str] = field(default_factory=dict)  # "" selects the empty group
    suppress: bool = True
    min_cell_size: int | None = None  # None: the MIN_CELL_SIZE setting (default 10)
    afronding: int | None = None      # None: the AFRONDING setting (default 5)

    @classmethod
    def for_year(cls, kpi: str, jaar: int, **kwargs) -> "KpiRequest":
        van, tot = periods.year_period(jaar)
        return cls(kpi, van, tot, **kwargs)


@dataclass(frozen=True)
class ResolvedRequest:
    """A validated request: the catalogue entry, sub-periods, normalised filters."""
    kpi: Kpi
    van: dt.date
    tot: dt.date
    by: str | None
    per: str | None
    where: tuple[tuple[str, str | None], ...]  # (dimension, value); None = the empty group
    min_cell_size: int | None                  # None: suppression off
    sub_periods: tuple[periods.SubPeriod, ...]
    afronding: int | None = None               # rounding base of detailed views; None: suppression off

    @property
    def detailed(self) -> bool:
        """A detailed request (contract, "Small numbers"): a breakdown, or a filter on anything
        but gemeente. Its counts are rounded; a total's are not."""
        return self.by is not None or any(dim != "gemeente" for dim, _ in self.where)

    @property
    def where_dict(self) -> dict[str, str]:
        return {dim: ("" if value is None else value) for dim, value in self.where}

    def dimensions_used(self) -> set[str]:
        used = {dim for dim, _ in self.where}
        if self.by:
            used.add(self.by)
        return used

    def cache_key(self) -> tuple:
        return (self.kpi.id, self.van, self.tot, self.by, self.per, self.where, self.min_cell_size,
                self.afronding)


def _normalise_filter_value(dimension: str, raw: str) -> str | None:
    value = raw.strip()
    if value == "":
        return None
    code_list = DIMENSIONS[dimension].code_list
    if code_list is None:
        return value
    code = code_list.normalise(value)
    if code is None:
        raise KpiRequestError(
            f"onbekende waarde {raw!r} voor {dimension}; kies uit: {code_list.describe()}")
    return code


def resolve(request: KpiRequest) -> ResolvedRequest:
    kpi = CATALOGUE.get(request.kpi)
    if kpi is None:
        raise KpiRequestError(
            f"onbekende KPI {request.kpi!r}; zie 'python -m kpi list' voor de geldige ids")
    if not isinstance(request.van, dt.date) or not isinstance(request.tot, dt.date):
        raise KpiRequestError("van en tot moeten datums zijn")
    if request.van > request.tot:
        raise KpiRequestError(
            f"de periode is leeg: van ({request.van.isoformat()}) ligt na tot ({request.tot.isoformat()})")
    if request.per is not None:
        if request.per not in periods.PER_VALUES:
            raise KpiRequestError(
                f"onbekende onderverdeling {request.per!r}; kies jaar, kwartaal of maand")
        if request.per not in kpi.per_toegestaan:
            raise KpiRequestError(
                f"{kpi.id} kan alleen per {' of '.join(kpi.per_toegestaan)} worden berekend, "
                f"niet per {request.per}")
    if kpi.alleen_kalenderjaar and not periods.is_calendar_year(request.van, request.tot):
        raise KpiRequestError(
            f"{kpi.id} vraagt precies één kalenderjaar (van JJJJ-01-01 tot JJJJ-12-31)")
    if request.by is not None and request.by not in kpi.breakdowns:
        raise KpiRequestError(
            f"{kpi.id} kan niet worden uitgesplitst naar {request.by!r}; "
            f"wel naar: {', '.join(kpi.breakdowns)}")
    where: list[tuple[str, str | None]] = []
    for dimension, raw in dict(request.where or {}).items():
        if dimension not in kpi.filters:
            raise KpiRequestError(
                f"{kpi.id} kan niet worden gefilterd op {dimension!r}; "
                f"wel op: {', '.join(kpi.filters)}")
        if not isinstance(raw, str):
            raise KpiRequestError(f"de filterwaarde voor {dimension} moet tekst zijn")
        where.append((dimension, _normalise_filter_value(dimension, raw)))
    where.sort()
    threshold = base = None
    if request.suppress:
        try:
            threshold = request.min_cell_size or configured_min_cell_size()
            base = request.afronding or configured_afronding()
        except SettingError as exc:
            raise KpiRequestError(str(exc)) from exc
        if threshold < 1:
            raise KpiRequestError("de drempel voor kleine aantallen moet 1 of meer zijn")
        if base < 1:
            raise KpiRequestError("de afronding van aantallen moet 1 of meer zijn")
    sub_periods = tuple(periods.split(request.van, request.tot, request.per))
    if len(sub_periods) > MAX_SUB_PERIODS:
        raise KpiRequestError(
            f"de periode telt {len(sub_periods)} {_PLURAL[request.per]}; vraag er hoogstens {MAX_SUB_PERIODS} "
            f"tegelijk (een kortere periode{_COARSER[request.per]})")
    return ResolvedRequest(
        kpi=kpi, van=request.van, tot=request.tot, by=request.by, per=request.per,
        where=tuple(where), min_cell_size=threshold, sub_periods=sub_periods, afronding=base,
    )
