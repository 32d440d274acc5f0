"""Kostengroei in a vastgestelde stand: a decomposition (kpi.cost_growth.CostGrowth) as plain JSON
and back, exactly, and the key it is kept under.

The decomposition cannot be computed again from a stand's frozen KPI rows: it needs the exact
sums and counts per group and a distinct count of the small groups together, which the stand does
not hold (and must not: they are below the threshold). So a freeze keeps the finished result, as
the page, the slide and the report asked for it (dashboard/programme/frozen.py records it), and a
stand answers exactly that. The result is already protected by the engine (small groups folded
into "overig", counts rounded), so nothing below the threshold is stored.
"""
from __future__ import annotations

import datetime as dt
import json
import math

from kpi.cost_growth import Contribution, CostGrowth, Effect, Figures, Period, ResolvedGrowth


def growth_key(resolved: ResolvedGrowth) -> str:
    """The resolved request's cache key as one canonical string (periods, groups, filters,
    threshold and rounding base)."""
    def plain(value):
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat()
        if isinstance(value, (tuple, list)):
            return [plain(v) for v in value]
        return value
    return json.dumps(plain(resolved.cache_key()), ensure_ascii=False, separators=(",", ":"))


def _number(value):
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"waarde {value!r} kan niet in een vastgelegde stand (geen eindig getal)")
    return value


def _period(p: Period) -> dict:
    return {"van": p.van.isoformat(), "tot": p.tot.isoformat(), "label": p.label}


def _figures(f: Figures | None) -> list | None:
    return None if f is None else [f.kosten_cent, f.jeugdigen, _number(f.kosten_per_jeugdige)]


def growth_to_json(result: CostGrowth) -> dict:
    return {
        "eerder": _period(result.eerder), "later": _period(result.later), "by": result.by,
        "where": [list(item) for item in result.where],
        "min_cell_size": result.min_cell_size, "afronding": result.afronding, "afgeschermd": result.afgeschermd,
        "totaal": [_figures(result.totaal_eerder), _figures(result.totaal_later)],
        "effecten": [[e.effect, e.label, e.bedrag_cent] for e in result.effecten],
        "groepen": [{"soort": g.soort, "key": g.key, "label": g.label, "bevat": list(g.bevat),
                     "eerder": _figures(g.eerder), "later": _figures(g.later),
                     "effecten": [g.volume_cent, g.mix_cent, g.intensiteit_cent]} for g in result.groepen],
        "toelichting": list(result.toelichting),
    }


def _period_of(data: dict) -> Period:
    return Period(dt.date.fromisoformat(data["van"]), dt.date.fromisoformat(data["tot"]), data["label"])


def _figures_of(data: list | None) -> Figures | None:
    return None if data is None else Figures(*data)


def growth_from_json(data: dict) -> CostGrowth:
    return CostGrowth(
        _period_of(data["eerder"]), _period_of(data["later"]), data["by"],
        tuple((d, v) for d, v in data["where"]), data["min_cell_size"], data["afronding"], data["afgeschermd"],
        _figures_of(data["totaal"][0]), _figures_of(data["totaal"][1]),
        tuple(Effect(*e) for e in data["effecten"]),
        tuple(Contribution(g["soort"], g["key"], g["label"], tuple(g["bevat"]), _figures_of(g["eerder"]),
                           _figures_of(g["later"]), *g["effecten"]) for g in data["groepen"]),
        tuple(data["toelichting"]))
