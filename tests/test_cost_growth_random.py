"""Kostengroei on random warehouses (hypothesis, the oracle tests' warehouses), on SQLite and
PostgreSQL: the effects add up to the change to the cent; without suppression every group's figures
are the contract's (read here in plain Python from the generated rows) and its effects those of the
documented method (computed here in floats); with suppression the decomposition hides, folds and
rounds exactly what the KPI engine hides and rounds, and its totals are the engine's."""
from __future__ import annotations

import datetime as dt
import math

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from kpi import KpiRequest, compute
from kpi.cost_growth import BREAKDOWNS, GROEP, GROEP_EN_OVERIG, OVERIG, GrowthRequest, decompose
from kpi.privacy import round_to_base
from kpi.result import key_order
from tests.test_cost_growth import assert_adds_up
from tests.test_kpi_oracle import (
    AANBIEDER,
    AANBIEDERS,
    BEDRAG,
    FILTER_VALUES,
    HULPVORM,
    SCHOLEN,
    SCHOOL,
    VERWIJZER,
    WIJK,
    WIJKEN,
    fill,
    warehouses,
)

D = dt.date
DIMENSIONS = ("wijk", "gemeente", "school", "verwijzer", "hulpvorm", "aanbieder")
JEUGDIGEN = st.sampled_from([f"J{i}" for i in range(30)])
MAAND = st.integers(0, 23)
# one large group and small ones, so that some are folded and some "overig" is too small itself
SKEWED_HULPVORM = st.sampled_from(["ambulant"] * 5 + ["lokaal_team", "poh_jeugd", "verblijf"])
SKEWED_WIJK = st.sampled_from(["W1"] * 4 + ["W2", "W3"])


@st.composite
def kosten_warehouses(draw):
    """More jeugdigen and kosten rows than the oracle's warehouses, all in 2024 and 2025, so that
    with a threshold of 2 or 3 some groups are shown, some folded, and some "overig" too small."""
    skewed = draw(st.booleans())
    hulpvorm, wijk = (SKEWED_HULPVORM, SKEWED_WIJK) if skewed else (HULPVORM, WIJK)
    trajecten = [dict(traject_id=f"T{i}", jeugdige_id=draw(JEUGDIGEN), geboortejaar=2012, wijk_code=draw(wijk),
                      school_code=draw(SCHOOL), verwijzer=draw(VERWIJZER), hulpvorm=draw(hulpvorm),
                      aanbieder_code=draw(AANBIEDER), aanmelddatum=None, startdatum=D(2024, 1, 1), einddatum=None,
                      reden_einde=None, doelrealisatie=None, financiering="zin")
                 for i in range(draw(st.integers(4, 30)))]
    traject = st.sampled_from([t["traject_id"] for t in trajecten])
    kosten = []
    for i in range(draw(st.integers(20, 80))):
        month = draw(MAAND)
        kosten.append(dict(regel=i + 2, traject_id=draw(traject), maand=D(2024 + month // 12, month % 12 + 1, 1),
                           bedrag_cent=draw(BEDRAG)))
    return {"wijken": WIJKEN, "scholen": SCHOLEN, "aanbieders": AANBIEDERS, "trajecten": trajecten,
            "verblijf": [], "kosten": kosten, "budget": [], "tevredenheid": [], "bevolking": []}


@st.composite
def growth_requests(draw):
    dims = draw(st.sampled_from([[], [], [], DIMENSIONS]))[:draw(st.integers(0, 5))][-1:]  # a third has a filter
    return dict(jaar=2025, vergelijk=2024,
                tot_maand=draw(st.sampled_from([None, None, 6, 11])),
                by=draw(st.sampled_from(BREAKDOWNS)), where={d: draw(st.sampled_from(FILTER_VALUES[d])) for d in dims})


def key_of(ds, traject: dict, dimension: str):
    if dimension == "gemeente":
        return {w["wijk_code"]: w["gemeente_code"] for w in ds["wijken"]}[traject["wijk_code"]]
    return traject[{"wijk": "wijk_code", "school": "school_code", "aanbieder": "aanbieder_code"}.get(dimension, dimension)]


def plain_figures(ds, van: D, tot: D, by: str, where: dict):
    """{group: (kosten in cents, its jeugdigen)} of the kosten rows whose month lies in [van, tot],
    grouped by their traject's key."""
    trajecten = {t["traject_id"]: t for t in ds["trajecten"]}
    groups: dict = {}
    for row in ds["kosten"]:
        traject = trajecten[row["traject_id"]]
        if not van <= row["maand"] <= tot or any(key_of(ds, traject, d) != (v or None) for d, v in where.items()):
            continue
        group = groups.setdefault(key_of(ds, traject, by), [0, set()])
        group[0] += row["bedrag_cent"]
        group[1].add(traject["jeugdige_id"])
    return {key: (kosten, ids) for key, (kosten, ids) in groups.items()}


def plain_lmdi(c0, c1, g0, g1, n0, n1) -> tuple[float, float, float]:
    """The method of kpi/lmdi.py's docstring, in floats."""
    change = c1 - c0
    if n0 == 0 or n1 == 0:
        return (change, 0, 0)
    if g0 == 0 or g1 == 0:
        return (0, change, 0)
    if c0 <= 0 or c1 <= 0:
        return (0, 0, change)
    weight = c0 if c0 == c1 else change / (math.log(c1) - math.log(c0))
    return (weight * math.log(n1 / n0), weight * math.log((g1 / n1) / (g0 / n0)),
            weight * math.log((c1 / g1) / (c0 / g0)))


def check(engine, ds, ask: dict, threshold: int | None, base: int) -> None:
    result = decompose(engine, GrowthRequest(**ask, suppress=threshold is not None, min_cell_size=threshold,
                                             afronding=base))
    periods = ((result.eerder.van, result.eerder.tot), (result.later.van, result.later.tot))
    assert periods[1][1] == (D(2025, 12, 31) if ask["tot_maand"] is None else
                             D(2025, ask["tot_maand"] + 1, 1) - dt.timedelta(days=1))
    context = (ask, threshold, base)

    def engine_rows(van, tot, by=None):
        return compute(engine, KpiRequest("totale_kosten", van, tot, by=by, where=ask["where"],
                                          suppress=threshold is not None, min_cell_size=threshold,
                                          afronding=base)).rows

    totals = [engine_rows(*p)[0] for p in periods]
    if any(t.suppressed for t in totals):
        event("afgeschermd")
        assert result.afgeschermd and not result.groepen and not result.effecten, context
        return
    assert not result.afgeschermd, context
    for total, figures in zip(totals, (result.totaal_eerder, result.totaal_later), strict=True):
        assert (figures.kosten_cent, figures.jeugdigen) == (round(total.value * 100), total.n), context
    assert_adds_up(result)

    plain = [plain_figures(ds, van, tot, ask["by"], ask["where"]) for van, tot in periods]
    everyone = [set().union(*(ids for _, ids in p.values())) for p in plain]
    keys = set(plain[0]) | set(plain[1])

    def figures(key, idx):
        kosten, ids = plain[idx].get(key, (0, set()))
        return kosten, len(ids)

    exact = {key: plain_lmdi(*(figures(key, i)[0] for i in (0, 1)), *(figures(key, i)[1] for i in (0, 1)),
                             *(len(e) for e in everyone)) for key in keys}
    totals_exact = [sum(e[k] for e in exact.values()) for k in range(3)]
    for effect, want in zip(result.effecten, totals_exact, strict=True):
        assert abs(effect.bedrag_cent - want) < 1 + 1e-6, context

    if threshold is None:  # every group on its own, with its exact figures and effects
        assert sorted((g.key for g in result.groepen), key=key_order) == sorted(keys, key=key_order), context
        for g in result.groepen:
            assert g.soort == GROEP
            assert [(f.kosten_cent, f.jeugdigen) for f in (g.eerder, g.later)] == [figures(g.key, i) for i in (0, 1)]
            assert all(abs(c - x) < 1 + 1e-6 for c, x in zip(g.effecten_cent, exact[g.key], strict=True)), context
        return

    # with suppression: the groups the engine hides in either period are folded, and nothing else
    hidden = set()
    for van, tot in periods:
        hidden |= {row.key for row in engine_rows(van, tot, ask["by"]) if row.suppressed}
    shown = [g for g in result.groepen if g.soort != OVERIG]
    assert {g.key for g in shown} == keys - hidden, context
    folded = sorted(hidden, key=key_order)
    merged = [g for g in result.groepen if g.soort == GROEP_EN_OVERIG]
    overig = [g for g in result.groepen if g.soort == OVERIG]
    together = [len(set().union(*(plain[i][k][1] for k in folded if k in plain[i]))) for i in (0, 1)]
    event("samengevoegd" if merged else "overig" if overig else "geen kleine groepen")
    if not folded:
        assert not merged and not overig
    elif merged:
        assert len(merged) == 1 and not overig and any(0 < n < threshold for n in together), context
    else:
        assert len(overig) == 1 and all(n == 0 or n >= threshold for n in together), context
        assert [overig[0].eerder.jeugdigen, overig[0].later.jeugdigen] == [round_to_base(n, base) for n in together]
    for g in shown:
        if g.soort == GROEP:
            assert [(f.kosten_cent, f.jeugdigen) for f in (g.eerder, g.later)] == \
                [(figures(g.key, i)[0], round_to_base(figures(g.key, i)[1], base)) for i in (0, 1)], context
    for g in result.groepen:
        assert len(g.bevat) == (0 if g.soort == GROEP else len(folded))


def test_the_decomposition_adds_up_on_random_warehouses(warehouse):
    @settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(ds=st.one_of(warehouses(), kosten_warehouses(), kosten_warehouses()), asks=st.lists(growth_requests(), min_size=1, max_size=3), stored=st.booleans(),
           threshold=st.sampled_from([2, 4, 6]), base=st.sampled_from([1, 5]))
    def run(ds, asks, stored, threshold, base):
        fill(warehouse, ds, kpi_id="totale_kosten" if stored else None)  # stored: the load's totals serve years
        for ask in asks:
            check(warehouse, ds, ask, None, 1)
            check(warehouse, ds, ask, threshold, base)

    run()
