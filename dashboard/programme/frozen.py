"""Frozen figures: record what a live KPI service answers, and answer later from that record only.

`RecordingService` wraps a `KpiService` and keeps every result it hands out (the resolved
request's cache key → the rows, plus the request itself), the group labels and gemeenten it
looked up. `Recording.to_json()` turns that, with the programme as read then and the data status,
into plain JSON; `FrozenService.from_json()` answers the pages' calls (compute, data_status,
group_label, gemeenten) from it, and raises `NotInSnapshot` for anything that was not recorded —
it never touches the database. The decomposition of kostengroei (kpi/cost_growth.py) is kept the
same way, as its finished result (`cost_growth`; dashboard/programme/frozen_growth.py says why).

Suppression is applied inside kpi/ before rows reach a service, and the recorder refuses
unsuppressed requests, so a snapshot never holds small numbers. Rows round-trip exactly through
JSON: values keep their type (int or float, repr-exact), n stays int, flags stay bool.

A stand records what was published, under the small-number rules in force then: a stand of
format 1 was made under version 1 of the rules (threshold and secondary suppression only). It
keeps its figures — changing them afterwards would rewrite what the raad was shown — and says
so (`FrozenService.regels`, dashboard.programme.stand_freeze.frozen_label).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
from typing import Any

from dashboard.programme.frozen_growth import growth_from_json, growth_key, growth_to_json
from dashboard.programme.progress import DoelstellingView, IndicatorView, LijnView, MaatregelView, ProgrammeView
from data.programme.plan import Plan, default_plan
from kpi.cost_growth import CostGrowth, GrowthRequest, decompose_cached, resolve_growth
from kpi.request import KpiRequest, KpiRequestError, ResolvedRequest, resolve
from kpi.result import KpiResult, KpiRow
from kpi.service import DataStatus

FORMAT_VERSION = 2
#: the small-number rules (kpi-definitions.md) a stand of each format was made under
RULES_OF_FORMAT = {1: 1, 2: 2}


class NotInSnapshot(KpiRequestError):
    """A request a frozen stand cannot answer: it was not part of the figures frozen then."""

    def __init__(self, peildatum_text: str):
        super().__init__(f"deze weergave zit niet in de vastgelegde stand van {peildatum_text}")


# --- keys and rows as JSON -------------------------------------------------------------------

def key_text(resolved: ResolvedRequest, regels: int = 2) -> str:
    """The resolved request's cache key as one canonical string (a JSON object key). Under the
    rules of version 1 there was no rounding base, so its keys hold the threshold only."""
    kpi_id, van, tot, by, per, where, threshold, base = resolved.cache_key()
    parts = [kpi_id, van.isoformat(), tot.isoformat(), by, per, [list(item) for item in where], threshold]
    if regels >= 2:
        parts.append(base)
    return json.dumps(parts, ensure_ascii=False, separators=(",", ":"))


def _check_number(value) -> None:
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"waarde {value!r} kan niet in een vastgelegde stand (geen eindig getal)")


def row_to_json(row: KpiRow) -> list:
    if row.value is not None and not isinstance(row.value, (int, float)):
        raise TypeError(f"onverwacht type voor een KPI-waarde: {type(row.value).__name__}")
    _check_number(row.value)
    return [row.periode, row.key, row.label, row.value, row.n, bool(row.suppressed)]


def row_from_json(item: list) -> KpiRow:
    periode, key, label, value, n, suppressed = item
    return KpiRow(periode, key, label, value, n, suppressed)


def request_to_json(request: KpiRequest) -> dict:
    return {"kpi": request.kpi, "van": request.van.isoformat(), "tot": request.tot.isoformat(),
            "by": request.by, "per": request.per, "where": dict(request.where or {})}


def request_from_json(data: dict) -> KpiRequest:
    return KpiRequest(data["kpi"], dt.date.fromisoformat(data["van"]), dt.date.fromisoformat(data["tot"]),
                      by=data["by"], per=data["per"], where=dict(data["where"]))


# --- the programme as JSON -------------------------------------------------------------------
# Tagged, so dict keys keep their type (streefwaarden are keyed by int jaar), and sets and tuples
# come back as sets and tuples. Fields are taken from the dataclasses themselves, so a field added
# to IndicatorView later is frozen too; a field unknown to an older snapshot gets its default.

def _enc(value: Any) -> Any:
    if isinstance(value, dict):
        return {"d": [[_enc(k), _enc(v)] for k, v in value.items()]}
    if isinstance(value, (set, frozenset)):
        return {"s": [_enc(v) for v in sorted(value, key=repr)]}
    if isinstance(value, tuple):
        return {"t": [_enc(v) for v in value]}
    if isinstance(value, list):
        return [_enc(v) for v in value]
    if value is None or isinstance(value, (str, bool, int, float)):
        _check_number(value)
        return value
    raise TypeError(f"kan {type(value).__name__} niet vastleggen")


def _dec(value: Any) -> Any:
    if isinstance(value, dict):
        if "d" in value:
            return {_dec(k): _dec(v) for k, v in value["d"]}
        if "s" in value:
            return {_dec(v) for v in value["s"]}
        if "t" in value:
            return tuple(_dec(v) for v in value["t"])
        raise ValueError("onbekende vorm in een vastgelegde stand")
    if isinstance(value, list):
        return [_dec(v) for v in value]
    return value


def _plain_fields(obj, skip: set[str]) -> dict:
    return {f.name: _enc(getattr(obj, f.name)) for f in dataclasses.fields(obj) if f.name not in skip}


def _build(cls, data: dict, **extra):
    names = {f.name for f in dataclasses.fields(cls)}
    return cls(**{k: _dec(v) for k, v in data.items() if k in names}, **extra)


def programme_to_json(programme: ProgrammeView) -> dict:
    return {
        "plan": dataclasses.asdict(programme.plan),
        "indicators": [_plain_fields(ind, set()) for ind in programme.indicators.values()],
        "lijnen": [{**_plain_fields(l, {"maatregelen", "indicatoren"}),
                    "indicatoren": [i.code for i in l.indicatoren],
                    "maatregelen": [{**_plain_fields(m, {"indicatoren"}),
                                     "indicatoren": [i.code for i in m.indicatoren]}
                                    for m in l.maatregelen]}
                   for l in programme.lijnen],
        "doelstellingen": [{**_plain_fields(d, {"indicatoren"}),
                            "indicatoren": [i.code for i in d.indicatoren]}
                           for d in programme.doelstellingen],
    }


def programme_from_json(data: dict, plan: Plan | None = None) -> ProgrammeView:
    """`plan`: the plan of a stand frozen before plans were frozen with it (the warehouse's;
    the default programme file's when not given)."""
    indicators = {}
    for item in data["indicators"]:
        ind = _build(IndicatorView, item)
        indicators[ind.code] = ind

    def pick(codes):
        return [indicators[c] for c in codes]

    lijnen = []
    for l in data["lijnen"]:
        maatregelen = [_build(MaatregelView, {k: v for k, v in m.items() if k != "indicatoren"},
                              indicatoren=pick(m["indicatoren"])) for m in l["maatregelen"]]
        lijnen.append(_build(LijnView, {k: v for k, v in l.items() if k not in ("maatregelen", "indicatoren")},
                             maatregelen=maatregelen, indicatoren=pick(l["indicatoren"])))
    doelen = [_build(DoelstellingView, {k: v for k, v in d.items() if k != "indicatoren"},
                     indicatoren=pick(d["indicatoren"])) for d in data["doelstellingen"]]
    frozen_plan = Plan(**data["plan"]) if "plan" in data else (plan or default_plan())
    return ProgrammeView(lijnen, doelen, indicators, frozen_plan)


# --- recording -------------------------------------------------------------------------------

class RecordingService:
    """A live service that remembers every answer it gives (for a snapshot)."""

    def __init__(self, service):
        self.service = service
        self.results: dict[str, tuple[KpiRequest, tuple[KpiRow, ...]]] = {}
        self.labels: dict[str, str] = {}
        self.places_by_dimension: dict[str, dict[str, str]] = {}
        self._gemeenten: list[tuple[str, str]] | None = None
        self._status: DataStatus | None = None
        self._threshold: int | None = None  # as the recorded results were protected
        self._base: int | None = None
        self.growths: dict[str, dict] = {}  # kostengroei: key → the decomposition (frozen_growth)

    @property
    def threshold(self) -> int:
        return self.service.threshold

    @property
    def base(self) -> int | None:
        return self.service.base

    def compute(self, request: KpiRequest) -> KpiResult:
        resolved = resolve(request)
        if resolved.min_cell_size is None:
            raise KpiRequestError("een vastgelegde stand bevat alleen afgeschermde cijfers; "
                                  "vraag zonder afscherming kan niet")
        result = self.service.compute(request)
        key = key_text(result.request)
        self.results.setdefault(key, (request, tuple(result.rows)))
        if self._threshold is None:
            self._threshold = result.request.min_cell_size
            self._base = result.request.afronding
        return result

    def cost_growth(self, request: GrowthRequest) -> CostGrowth:
        """The live decomposition (kpi.cost_growth), kept as the page, slide or report asked it."""
        if not request.suppress:
            raise KpiRequestError("een vastgelegde stand bevat alleen afgeschermde cijfers; "
                                  "vraag zonder afscherming kan niet")
        result = decompose_cached(self.service, request)
        key = growth_key(resolve_growth(request, self.data_status().data_tot))
        self.growths.setdefault(key, growth_to_json(result))
        return result

    def data_status(self) -> DataStatus:
        if self._status is None:
            self._status = self.service.data_status()
        return self._status

    def gemeenten(self) -> list[tuple[str, str]]:
        if self._gemeenten is None:
            self._gemeenten = list(self.service.gemeenten())
        return list(self._gemeenten)

    def knows_group(self, dimension: str, key: str) -> bool:
        return self.service.knows_group(dimension, key)

    def group_label(self, dimension: str, key: str | None) -> str:
        label = self.service.group_label(dimension, key)
        self.labels[json.dumps([dimension, key])] = label
        return label

    def memo(self, _name: str, _parts, build):
        """No cache while recording: `build` must ask the recorder, so its requests are kept."""
        return build()

    def places(self, dimension: str) -> dict[str, str]:
        if dimension not in self.places_by_dimension:
            self.places_by_dimension[dimension] = dict(self.service.places(dimension))
        return self.places_by_dimension[dimension]

    def to_json(self, programme: ProgrammeView) -> dict:
        status = self.data_status()
        return {
            "versie": FORMAT_VERSION,
            "drempel": self._threshold,
            "afronding": self._base,
            "data_status": {"geladen_op": status.geladen_op.isoformat() if status.geladen_op else None,
                            "data_tot": status.data_tot.isoformat() if status.data_tot else None,
                            "bron": status.bron, "berichtenverkeer": status.berichtenverkeer,
                            "leeg": sorted(status.leeg)},
            "gemeenten": [list(g) for g in self.gemeenten()],
            "labels": dict(self.labels),
            "plaatsen": self.places_by_dimension,
            "resultaten": {key: {"vraag": request_to_json(request),
                                 "rijen": [row_to_json(r) for r in rows]}
                           for key, (request, rows) in self.results.items()},
            "kostengroei": dict(self.growths),
            "programma": programme_to_json(programme),
        }


# --- answering from a record -----------------------------------------------------------------

class FrozenService:
    """The pages' service interface, answered only from a snapshot's record (no database).
    dashboard.programme.stand_freeze.load_snapshot also sets `info` (the stand), `programme` and `extra`."""
    info = None
    programme: ProgrammeView | None = None
    extra: dict = {}

    def __init__(self, results: dict[str, tuple[KpiRow, ...]], status: DataStatus,
                 gemeenten: list[tuple[str, str]], labels: dict[str, str], threshold: int | None,
                 peildatum_text: str, places: dict[str, dict[str, str]] | None = None,
                 base: int | None = None, regels: int = 2, growths: dict[str, dict] | None = None):
        self._results = results
        self._growths = growths or {}  # kostengroei (dashboard/programme/frozen_growth.py); none before it
        self.base = base
        self.regels = regels  # the version of the small-number rules the figures were made under
        self._places = places or {}
        self._status = status
        self._gemeenten = gemeenten
        self._labels = labels
        self.threshold = threshold
        self.peildatum_text = peildatum_text

    @classmethod
    def from_json(cls, data: dict, peildatum_text: str) -> "FrozenService":
        if data.get("versie") not in RULES_OF_FORMAT:
            raise ValueError(f"onbekende versie van een vastgelegde stand: {data.get('versie')!r}")
        raw = data["data_status"]
        status = DataStatus(
            dt.datetime.fromisoformat(raw["geladen_op"]) if raw["geladen_op"] else None,
            dt.date.fromisoformat(raw["data_tot"]) if raw["data_tot"] else None, raw["bron"],
            bool(raw.get("berichtenverkeer", False)),  # stands frozen before iJw loads have no such key
            frozenset(raw.get("leeg", ())))  # nor those frozen before empty tables were recorded
        results = {key: tuple(row_from_json(r) for r in item["rijen"])
                   for key, item in data["resultaten"].items()}
        return cls(results, status, [tuple(g) for g in data["gemeenten"]], dict(data["labels"]),
                   data["drempel"], peildatum_text, data.get("plaatsen"),  # stands before it had none
                   base=data.get("afronding"), regels=RULES_OF_FORMAT[data["versie"]],
                   growths=data.get("kostengroei"))

    def _under_stand_rules(self, request):
        """A KPI or kostengroei request under the threshold and base in force when the stand was
        frozen, whatever the settings are now; a stand holds only suppressed figures."""
        if not request.suppress:
            raise NotInSnapshot(self.peildatum_text)
        if request.min_cell_size is None and self.threshold is not None:
            request = dataclasses.replace(request, min_cell_size=self.threshold)
        if request.afronding is None and self.base is not None:
            request = dataclasses.replace(request, afronding=self.base)
        return request

    def compute(self, request: KpiRequest) -> KpiResult:
        resolved = resolve(self._under_stand_rules(request))
        rows = self._results.get(key_text(resolved, self.regels))
        if rows is None:
            raise NotInSnapshot(self.peildatum_text)
        return KpiResult(resolved, rows)

    def cost_growth(self, request: GrowthRequest) -> CostGrowth:
        """The decomposition as recorded, under the stand's threshold and base; NotInSnapshot for
        one it did not record (a stand made before kostengroei holds none)."""
        request = self._under_stand_rules(request)
        found = self._growths.get(growth_key(resolve_growth(request, self._status.data_tot)))
        if found is None:
            raise NotInSnapshot(self.peildatum_text)
        return growth_from_json(found)

    def data_status(self) -> DataStatus:
        return self._status

    def gemeenten(self) -> list[tuple[str, str]]:
        return list(self._gemeenten)

    def knows_group(self, dimension: str, key: str) -> bool:
        """A group the stand named (its views' filters) or a gemeente it held: the stand knows it
        even when a later load no longer has it."""
        if dimension == "gemeente" and any(code == key for code, _naam in self._gemeenten):
            return True
        return json.dumps([dimension, key]) in self._labels

    def group_label(self, dimension: str, key: str | None) -> str:
        label = self._labels.get(json.dumps([dimension, key]))
        if label is not None:
            return label
        from kpi.query import group_label  # a code's own label, without the database
        return group_label(dimension, key, None)

    def places(self, dimension: str) -> dict[str, str]:
        return dict(self._places.get(dimension, {}))

    def memo(self, _name: str, _parts, build):
        """The pages' cache of derived values (KpiService.memo): a stand derives them again from
        its record, which is cheap and always the same."""
        return build()

    @property
    def recorded(self) -> int:
        """How many results the stand holds (no __len__: an empty stand must not be falsy)."""
        return len(self._results)
