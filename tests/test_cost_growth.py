"""Kostengroei verklaard (kpi/cost_growth.py) on hand-made warehouses whose answer is known by hand, on
SQLite and PostgreSQL: each effect alone, a group appearing, small groups folded into "overig",
the decomposition hidden where the KPI's total is; its totals are the KPI engine's totale_kosten; the
periods of a running year; the command line; the docs."""
from __future__ import annotations

import datetime as dt
import json
import math
import pickle
import re
import sys
from pathlib import Path

import pytest
from sqlalchemy import insert

from data import schema as s
from data.db import make_engine, migrate
from data.warehouse import summaries
from kpi import KpiRequest, compute
from kpi.cost_growth import (
    GROEP,
    GROEP_EN_OVERIG,
    INTENSITEIT_LABEL,
    LAATSTE_MAAND,
    OVERIG,
    VOLUME_LABEL,
    GrowthRequest,
    GrowthRequestError,
    check,
    decompose,
    decompose_cached,
    hoe_berekend,
    mix_label,
    resolve_growth,
)
from kpi.cost_growth_cli import euro
from kpi.request import KpiRequestError
from kpi.service import KpiService
from tests import warm_python
from tests.conftest import engine_url, shared_demo

D = dt.date
ROOT = Path(__file__).resolve().parent.parent

WIJKEN = [dict(wijk_code="W1", wijk_naam="Noord", gemeente_code="GM1", gemeente_naam="Huizen"),
          dict(wijk_code="W2", wijk_naam="Zuid", gemeente_code="GM1", gemeente_naam="Huizen"),
          dict(wijk_code="W3", wijk_naam="Dorp", gemeente_code="GM2", gemeente_naam="Laren")]
AANBIEDERS = [dict(aanbieder_code=f"A{i}", aanbieder_naam=f"Zorg {i}") for i in (1, 2, 3)]
LABEL = {"ambulant": "Specialistische ambulante hulp", "verblijf": "Jeugdhulp met verblijf",
         "crisis": "Crisishulp", "dagbehandeling": "Dagbehandeling", "lokaal_team": "Lokaal team"}


class Warehouse:
    """Jeugdigen with one traject in a year and one kosten row in one of its months."""

    def __init__(self):
        self.trajecten, self.kosten = [], []

    def add(self, jaar: int, hulpvorm: str, aantal: int, per_jeugdige_cent: int, *, jeugdigen=None,
            aanbieder="A1", verwijzer="huisarts", wijk="W1", maand=3) -> Warehouse:
        ids = jeugdigen or [f"{hulpvorm}-{jaar}-{aanbieder}-{wijk}-{len(self.trajecten)}-{i}" for i in range(aantal)]
        for jeugdige in ids:
            traject = f"T{len(self.trajecten)}"
            self.trajecten.append(dict(
                traject_id=traject, jeugdige_id=jeugdige, geboortejaar=2012, wijk_code=wijk, school_code=None,
                verwijzer=verwijzer, hulpvorm=hulpvorm, aanbieder_code=aanbieder, aanmelddatum=None,
                startdatum=D(jaar, 1, 1), einddatum=D(jaar, 12, 31), reden_einde="volgens_plan",
                doelrealisatie=None, financiering="zin"))
            self.kosten.append(dict(regel=len(self.kosten) + 2, traject_id=traject, maand=D(jaar, maand, 1),
                                    bedrag_cent=per_jeugdige_cent))
        return self

    def fill(self, engine) -> None:
        with engine.begin() as conn:
            conn.execute(insert(s.Wijk), WIJKEN)
            conn.execute(insert(s.Aanbieder), AANBIEDERS)
            conn.execute(insert(s.Traject), self.trajecten)
            conn.execute(insert(s.Kosten), self.kosten)
            summaries.rebuild(conn)  # as the loader does; facts written here bypass it


def growth(engine, jaar=2025, **kwargs):
    return decompose(engine, GrowthRequest(jaar, **kwargs))


def effects(result) -> dict[str, int]:
    return {e.effect: e.bedrag_cent for e in result.effecten}


def rows(result) -> dict[str, tuple]:
    return {g.label: (g.soort, g.volume_cent, g.mix_cent, g.intensiteit_cent) for g in result.groepen}


def assert_adds_up(result) -> None:
    assert sum(effects(result).values()) == result.verandering_cent
    assert sum(g.verandering_cent for g in result.groepen) == result.verandering_cent
    for g in result.groepen:
        assert sum(g.effecten_cent) == g.verandering_cent, g.label
    for k, e in enumerate(result.effecten):
        assert sum(g.effecten_cent[k] for g in result.groepen) == e.bedrag_cent, e.effect


def base_2024(w: Warehouse) -> Warehouse:
    return w.add(2024, "ambulant", 20, 100_000).add(2024, "verblijf", 10, 500_000)


# --- each effect alone ------------------------------------------------------------------------

def test_a_pure_volume_change_gives_only_a_volume_effect(warehouse):
    # twice the jeugdigen in each hulpvorm, each costing what it did
    base_2024(Warehouse()).add(2025, "ambulant", 40, 100_000).add(2025, "verblijf", 20, 500_000).fill(warehouse)
    result = growth(warehouse)
    assert result.verandering_cent == 7_000_000
    assert effects(result) == {"volume": 7_000_000, "mix": 0, "intensiteit": 0}
    assert rows(result) == {LABEL["verblijf"]: (GROEP, 5_000_000, 0, 0), LABEL["ambulant"]: (GROEP, 2_000_000, 0, 0)}
    assert [g.label for g in result.groepen] == [LABEL["verblijf"], LABEL["ambulant"]]  # largest change first
    assert (result.totaal_eerder.kosten_cent, result.totaal_later.kosten_cent) == (7_000_000, 14_000_000)
    assert (result.totaal_eerder.jeugdigen, result.totaal_later.jeugdigen) == (30, 60)
    assert result.totaal_later.kosten_per_jeugdige == pytest.approx(140_000 / 60)
    assert [e.label for e in result.effecten] == [VOLUME_LABEL, mix_label("hulpvorm"), INTENSITEIT_LABEL]
    assert mix_label("hulpvorm") == "Mix (verschuiving tussen hulpvormen)"


def test_a_pure_shift_between_hulpvormen_gives_only_mix(warehouse):
    # 30 jeugdigen both years; 10 move from ambulant (€ 1.000) to verblijf (€ 5.000)
    base_2024(Warehouse()).add(2025, "ambulant", 10, 100_000).add(2025, "verblijf", 20, 500_000).fill(warehouse)
    result = growth(warehouse)
    assert effects(result) == {"volume": 0, "mix": 4_000_000, "intensiteit": 0}
    assert rows(result) == {LABEL["verblijf"]: (GROEP, 0, 5_000_000, 0), LABEL["ambulant"]: (GROEP, 0, -1_000_000, 0)}


def test_a_pure_change_in_kosten_per_jeugdige_gives_only_intensity(warehouse):
    base_2024(Warehouse()).add(2025, "ambulant", 20, 110_000).add(2025, "verblijf", 10, 500_000).fill(warehouse)
    result = growth(warehouse)
    assert effects(result) == {"volume": 0, "mix": 0, "intensiteit": 200_000}
    assert rows(result) == {LABEL["ambulant"]: (GROEP, 0, 0, 200_000), LABEL["verblijf"]: (GROEP, 0, 0, 0)}


def test_a_hulpvorm_appearing(warehouse):
    """20 jeugdigen in ambulant both years; in 2025 10 more in verblijf, a hulpvorm new that year.
    Verblijf's € 50.000 is all mix. Ambulant's kosten stay € 20.000 (L = 20.000) while all jeugdigen
    go from 20 to 30 and its share from 1 to 2/3: volume 20.000·ln 1,5 = € 8.109,302…, mix the same
    negative. Volume € 8.109,30; mix € 50.000 − 8.109,302… = € 41.890,70 (the last cent to the
    larger remainder)."""
    (Warehouse().add(2024, "ambulant", 20, 100_000)
     .add(2025, "ambulant", 20, 100_000).add(2025, "verblijf", 10, 500_000).fill(warehouse))
    result = growth(warehouse)
    by_hand = 2_000_000 * math.log(1.5)
    assert round(by_hand) == 810_930
    assert effects(result) == {"volume": 810_930, "mix": 4_189_070, "intensiteit": 0}
    assert rows(result) == {LABEL["verblijf"]: (GROEP, 0, 5_000_000, 0),
                            LABEL["ambulant"]: (GROEP, 810_930, -810_930, 0)}
    verblijf = result.groepen[0]
    assert (verblijf.eerder.kosten_cent, verblijf.eerder.jeugdigen, verblijf.eerder.kosten_per_jeugdige) == (0, 0, None)
    assert "Jeugdhulp met verblijf had in 2024 geen kosten: de hele verandering telt als mix." in result.toelichting
    assert_adds_up(result)


def test_every_effect_at_once_adds_up_to_the_cent(warehouse):
    """The worked example of docs/prognose.md, "Kostengroei verklaard"."""
    (Warehouse().add(2025, "ambulant", 400, 500_000).add(2025, "verblijf", 50, 5_000_000)
     .add(2025, "lokaal_team", 150, 200_000)
     .add(2026, "ambulant", 420, 520_000).add(2026, "verblijf", 60, 5_200_000).add(2026, "lokaal_team", 140, 200_000)
     .fill(warehouse))
    result = growth(warehouse, 2026)
    assert result.verandering_cent == 78_400_000
    assert effects(result) == {"volume": 16_982_173, "mix": 42_241_982, "intensiteit": 19_175_845}
    assert rows(result) == {LABEL["verblijf"]: (GROEP, 9_176_438, 41_847_398, 10_976_164),
                            LABEL["ambulant"]: (GROEP, 6_855_207, 3_345_112, 8_199_681),
                            LABEL["lokaal_team"]: (GROEP, 950_528, -2_950_528, 0)}
    assert_adds_up(result)


# --- small numbers ----------------------------------------------------------------------------------

def test_small_hulpvormen_are_folded_into_overig(warehouse):
    w = Warehouse()
    for jaar, kosten in ((2024, 100_000), (2025, 120_000)):
        w.add(jaar, "ambulant", 30, kosten).add(jaar, "verblijf", 12, 5 * kosten)
        w.add(jaar, "crisis", 4, 2 * kosten).add(jaar, "dagbehandeling", 7, 3 * kosten)
    w.fill(warehouse)
    result = growth(warehouse)
    overig = result.groepen[-1]
    assert [g.soort for g in result.groepen] == [GROEP, GROEP, OVERIG]
    assert overig.label == "Overig" and overig.key is None and not overig.drillable
    assert overig.bevat == ("Crisishulp", "Dagbehandeling")
    assert (overig.eerder.kosten_cent, overig.later.kosten_cent) == (4 * 200_000 + 7 * 300_000, 4 * 240_000 + 7 * 360_000)
    assert (overig.eerder.jeugdigen, overig.later.jeugdigen) == (10, 10)   # 11, rounded to fives
    assert [g.later.jeugdigen for g in result.groepen[:2]] == [10, 30]      # verblijf 12 → 10
    assert result.totaal_later.jeugdigen == 53                              # a total: exact
    assert set(rows(result)) == {LABEL["verblijf"], LABEL["ambulant"], "Overig"}
    assert_adds_up(result)
    # the euro effects of the small groups stay in overig: each row within a cent of the view without
    # suppression, where they are apart
    apart = growth(warehouse, suppress=False)
    assert effects(apart) == effects(result)
    assert {g.label for g in apart.groepen} == {LABEL[h] for h in ("ambulant", "verblijf", "crisis", "dagbehandeling")}
    small = [g for g in apart.groepen if g.label in (LABEL["crisis"], LABEL["dagbehandeling"])]
    for k in range(3):
        assert abs(sum(g.effecten_cent[k] for g in small) - overig.effecten_cent[k]) <= 2
    assert any("Overig: Crisishulp, Dagbehandeling" in note for note in result.toelichting)
    assert any("afgerond op vijftallen" in note for note in result.toelichting)
    assert not any("afgerond" in note for note in apart.toelichting)
    assert (apart.groepen[0].eerder.jeugdigen, apart.min_cell_size) == (12, None)  # exact without suppression


def test_one_small_hulpvorm_takes_the_smallest_shown_one_along(warehouse):
    """Rule 2: crisis alone would be total − the others; verblijf, the smallest shown, goes too."""
    w = Warehouse()
    for jaar in (2024, 2025):
        w.add(jaar, "ambulant", 30, 100_000).add(jaar, "verblijf", 12, 500_000).add(jaar, "crisis", 4, 200_000)
    w.fill(warehouse)
    result = growth(warehouse)
    assert [(g.soort, g.label, g.bevat) for g in result.groepen] == [
        (GROEP, LABEL["ambulant"], ()), (OVERIG, "Overig", ("Crisishulp", "Jeugdhulp met verblijf"))]
    breakdown = compute(warehouse, KpiRequest.for_year("totale_kosten", 2025, by="hulpvorm"))
    assert {r.key for r in breakdown.rows if r.suppressed} == {"crisis", "verblijf"}  # as the engine hides them


def test_an_overig_of_too_few_jeugdigen_joins_the_largest_hulpvorm(warehouse):
    """Crisis has 6 jeugdigen and dagbehandeling 5, two of them the same: 9 together, below 10."""
    w = Warehouse()
    for jaar in (2024, 2025):
        crisis = [f"c{jaar}-{i}" for i in range(6)]
        w.add(jaar, "ambulant", 30, 100_000).add(jaar, "verblijf", 12, 500_000)
        w.add(jaar, "crisis", 6, 200_000, jeugdigen=crisis)
        w.add(jaar, "dagbehandeling", 5, 300_000, jeugdigen=crisis[:2] + [f"d{jaar}-{i}" for i in range(3)])
    w.fill(warehouse)
    result = growth(warehouse)
    merged = next(g for g in result.groepen if g.soort == GROEP_EN_OVERIG)
    assert (merged.key, merged.label, merged.bevat) == ("ambulant", "Specialistische ambulante hulp en overig",
                                                        ("Crisishulp", "Dagbehandeling"))
    assert merged.later.kosten_cent == 30 * 100_000 + 6 * 200_000 + 5 * 300_000
    assert merged.later.jeugdigen == 40                          # 30 + 9 distinct = 39, rounded
    assert merged.later.kosten_per_jeugdige == pytest.approx(57_000 / 39)  # from the exact count
    assert [g.soort for g in result.groepen].count(OVERIG) == 0
    assert any("samengevoegd met Specialistische ambulante hulp" in note for note in result.toelichting)
    assert_adds_up(result)


def test_the_decomposition_is_hidden_where_the_kpi_total_is(warehouse):
    w = Warehouse().add(2024, "ambulant", 8, 100_000).add(2025, "ambulant", 20, 100_000)
    for jaar in (2024, 2025):  # aanbieder A2 has 12 jeugdigen, but A3's 4 would be the total − the rest
        w.add(jaar, "verblijf", 30, 500_000, aanbieder="A1", wijk="W2").add(jaar, "verblijf", 12, 500_000, aanbieder="A2",
                                                                          wijk="W2")
        w.add(jaar, "verblijf", 4, 500_000, aanbieder="A3", wijk="W2")
    w.fill(warehouse)
    few = growth(warehouse, where={"wijk": "W1"})   # 8 jeugdigen in 2024
    assert few.afgeschermd and few.effecten == () and few.groepen == () and few.totaal_eerder is None
    assert few.to_dict()["totaal"] is None and few.verandering_cent is None
    assert compute(warehouse, KpiRequest.for_year("totale_kosten", 2024, where={"wijk": "W1"})).rows[0].suppressed
    linked = growth(warehouse, where={"aanbieder": "A2"})
    assert linked.afgeschermd and "niet getoond" in linked.toelichting[0]
    assert compute(warehouse, KpiRequest.for_year("totale_kosten", 2025, where={"aanbieder": "A2"})).rows[0].suppressed
    assert not growth(warehouse, where={"aanbieder": "A1"}).afgeschermd


# --- drilling -------------------------------------------------------------------------------------

def test_drilling_into_an_aanbieder_and_other_groups(warehouse):
    w = Warehouse()
    for jaar, extra in ((2024, 0), (2025, 5)):
        w.add(jaar, "ambulant", 20 + extra, 100_000, aanbieder="A1", verwijzer="huisarts")
        w.add(jaar, "verblijf", 10, 500_000 + 1000 * extra, aanbieder="A1", verwijzer="gemeente")
        w.add(jaar, "ambulant", 15, 90_000, aanbieder="A2", verwijzer="gemeente", wijk="W3")
    w.fill(warehouse)
    within = growth(warehouse, where={"aanbieder": "A1"})
    assert within.by == "hulpvorm"
    only_a1 = KpiRequest.for_year("totale_kosten", 2025, where={"aanbieder": "A1"})
    assert within.totaal_later.kosten_cent == round(compute(warehouse, only_a1).rows[0].value * 100)
    assert within.totaal_later.jeugdigen == 35  # 35 exact, and a filtered total is rounded (still 35)
    assert effects(within)["volume"] > 0 and effects(within)["intensiteit"] > 0
    assert_adds_up(within)
    by_aanbieder = growth(warehouse, by="aanbieder")
    assert [g.label for g in by_aanbieder.groepen] == ["Zorg 1", "Zorg 2"]
    assert by_aanbieder.effecten[1].label == "Mix (verschuiving tussen aanbieders)"
    assert effects(by_aanbieder) != effects(growth(warehouse))  # other groups, another mix
    assert by_aanbieder.verandering_cent == growth(warehouse).verandering_cent
    # within one hulpvorm the groups are the aanbieders; within one hulpvorm and aanbieder, the verwijzers
    assert growth(warehouse, where={"hulpvorm": "ambulant"}).by == "aanbieder"
    assert growth(warehouse, where={"hulpvorm": "Ambulant", "aanbieder": "A1"}).by == "verwijzer"
    assert [g.label for g in growth(warehouse, by="gemeente").groepen] == ["Huizen", "Laren"]
    assert {g.key for g in growth(warehouse, by="wijk").groepen} == {"W1", "W3"}


# --- the KPI engine's figures --------------------------------------------------------------------

@pytest.fixture
def demo(request, backend):
    return shared_demo(request)


def test_a_running_year_stops_at_the_last_month_whose_declarations_are_in(demo):
    """The demo's data run to 30 September 2026, but declarations come in late: September holds a
    fraction of its final amount. Comparing it with September 2025 (complete) would show a fall
    that is not there; the running year is compared up to the last month (nearly) all declared."""
    from kpi.cost_growth import comparable_kosten_tot
    from kpi.forecast.signals import read_kosten_month

    with demo.connect() as conn:
        comparable = comparable_kosten_tot(conn)
        month = read_kosten_month(conn)
    assert comparable == month.end_time.date() and comparable < dt.date(2026, 9, 30)
    result = decompose(demo, GrowthRequest(2026))
    assert result.later.tot == comparable and result.eerder.tot == comparable.replace(year=2025)
    assert any("hun declaraties komen nog binnen" in note for note in result.toelichting)
    cached = decompose_cached(KpiService(demo), GrowthRequest(2026))
    assert cached.later == result.later and cached.totaal_later == result.totaal_later
    whole = decompose(demo, GrowthRequest(2025))  # a complete year is compared whole, without the note
    assert whole.later.tot == dt.date(2025, 12, 31)
    assert not any("declaraties komen nog binnen" in note for note in whole.toelichting)


@pytest.mark.parametrize("request_", [
    GrowthRequest(2025),
    GrowthRequest(2026),                                     # running: January to September
    GrowthRequest(2025, vergelijk=2022, tot_maand=6, by="verwijzer"),
    GrowthRequest(2025, by="aanbieder", where={"verwijzer": "huisarts"}),
    GrowthRequest(2025, by="wijk", where={"hulpvorm": "ambulant"}),
    GrowthRequest(2024, where={"gemeente": "GM0406"}),
], ids=lambda r: f"{r.jaar}-{r.vergelijk}-{r.tot_maand}-{r.by}-{'-'.join(r.where.values())}")
def test_the_totals_are_the_kpi_engines_totale_kosten(demo, request_):
    result = decompose(demo, request_)
    assert not result.afgeschermd
    for period, figures in ((result.eerder, result.totaal_eerder), (result.later, result.totaal_later)):
        row = compute(demo, KpiRequest("totale_kosten", period.van, period.tot, where=request_.where)).rows[0]
        assert figures.kosten_cent == round(row.value * 100) and figures.jeugdigen == row.n, period
        assert sum(getattr(g, "eerder" if period is result.eerder else "later").kosten_cent
                   for g in result.groepen) == figures.kosten_cent
    assert_adds_up(result)


def test_a_running_year_is_compared_with_the_same_months(demo):
    result = decompose(demo, GrowthRequest(2026))  # declarations complete enough up to May (the demo's)
    assert (result.eerder.van, result.eerder.tot, result.later.tot) == (D(2025, 1, 1), D(2025, 5, 31), D(2026, 5, 31))
    assert result.later.label == "januari t/m mei 2026"
    assert result.toelichting[0] == ("Vergeleken zijn dezelfde maanden van beide jaren: januari t/m mei "
                                     "2025 en 2026.")
    assert decompose(demo, GrowthRequest(2026, tot_maand=LAATSTE_MAAND)) == result
    with pytest.raises(GrowthRequestError, match="declaraties vrijwel compleet t/m 31 mei 2026"):
        decompose(demo, GrowthRequest(2026, tot_maand=8))  # August: not comparable yet
    # without receipt dates (import format 1.0) the data's own "t/m" is all there is
    assert resolve_growth(GrowthRequest(2026), D(2026, 9, 30), None).later.tot == D(2026, 9, 30)
    assert resolve_growth(GrowthRequest(2026), D(2026, 9, 30), D(2026, 5, 31)).declaraties_tot == D(2026, 5, 31)
    assert resolve_growth(GrowthRequest(2025), D(2026, 9, 30), D(2026, 5, 31)).declaraties_tot is None


# --- periods and requests ---------------------------------------------------------------------------

@pytest.mark.parametrize("data_tot, request_, periods", [
    (D(2026, 9, 30), GrowthRequest(2026), ((2025, 1, 1), (2025, 9, 30), (2026, 9, 30))),
    (D(2026, 9, 15), GrowthRequest(2026), ((2025, 1, 1), (2025, 8, 31), (2026, 8, 31))),  # September not complete
    (D(2026, 9, 30), GrowthRequest(2025), ((2024, 1, 1), (2024, 12, 31), (2025, 12, 31))),
    (D(2026, 9, 30), GrowthRequest(2025, tot_maand=LAATSTE_MAAND), ((2024, 1, 1), (2024, 12, 31), (2025, 12, 31))),
    (D(2026, 9, 30), GrowthRequest(2025, tot_maand=2), ((2024, 1, 1), (2024, 2, 29), (2025, 2, 28))),
    (D(2026, 9, 30), GrowthRequest(2026, vergelijk=2023, tot_maand=1), ((2023, 1, 1), (2023, 1, 31), (2026, 1, 31))),
    (D(2025, 12, 31), GrowthRequest(2025), ((2024, 1, 1), (2024, 12, 31), (2025, 12, 31))),
    (None, GrowthRequest(2030, tot_maand=12), ((2029, 1, 1), (2029, 12, 31), (2030, 12, 31))),
])
def test_periods(data_tot, request_, periods):
    resolved = resolve_growth(request_, data_tot)
    assert (resolved.eerder.van, resolved.eerder.tot, resolved.later.tot) == tuple(D(*p) for p in periods)
    assert resolved.later.van == D(request_.jaar, 1, 1)
    assert [s.van for s in resolved.kpi_request.sub_periods] == [resolved.eerder.van, resolved.later.van]


@pytest.mark.parametrize("data_tot, request_, message", [
    (D(2026, 1, 20), GrowthRequest(2026), "2026 heeft nog geen volledige maand met gegevens (gegevens t/m 20 januari 2026)"),
    (D(2025, 12, 31), GrowthRequest(2026), "er zijn nog geen gegevens over 2026"),
    (D(2026, 9, 30), GrowthRequest(2026, tot_maand=10), "oktober 2026 is nog niet compleet"),
    (None, GrowthRequest(2026, tot_maand=LAATSTE_MAAND), "de laatste maand met gegevens is onbekend"),
    (None, GrowthRequest(2026, vergelijk=2026), "moet vóór 2026 liggen"),
    (None, GrowthRequest(2026, vergelijk=2027), "moet vóór 2026 liggen"),
    (None, GrowthRequest("2026"), "ongeldig jaar '2026'"),
    (None, GrowthRequest(True), "ongeldig jaar"),
    (None, GrowthRequest(10_000), "ongeldig jaar 10000"),
    (None, GrowthRequest(2026, tot_maand=13), "ongeldige maand 13"),
    (None, GrowthRequest(2026, tot_maand=0), "ongeldige maand 0"),
    (None, GrowthRequest(2026, tot_maand="september"), "ongeldige maand 'september'"),
    (None, GrowthRequest(2026, by="school"), "kan niet worden verdeeld naar 'school'"),
    (None, GrowthRequest(2026, by="respondent"), "kan niet worden verdeeld naar 'respondent'"),
    (None, GrowthRequest(2026, where={"hulpvorm": "bakker"}), "onbekende waarde 'bakker' voor hulpvorm"),
    (None, GrowthRequest(2026, where={"respondent": "ouder"}), "kan niet worden gefilterd op 'respondent'"),
])
def test_bad_requests_are_refused_in_dutch(data_tot, request_, message):
    with pytest.raises(KpiRequestError) as refused:
        resolve_growth(request_, data_tot)
    assert message in str(refused.value)


def test_a_bad_request_is_refused_before_the_database():
    with pytest.raises(GrowthRequestError):
        check(GrowthRequest(2026, by="school"))
    assert check(GrowthRequest(2026, where={"hulpvorm": "ambulant"}))[2] == "aanbieder"


# --- the service, the command line and the docs ------------------------------------------------

def test_the_service_caches_it_per_generation(warehouse):
    base_2024(Warehouse()).add(2025, "ambulant", 40, 100_000).fill(warehouse)
    service = KpiService(warehouse)
    first = decompose_cached(service, GrowthRequest(2025))
    assert first == decompose(warehouse, GrowthRequest(2025))
    assert decompose_cached(service, GrowthRequest(2025)) is first
    assert pickle.loads(pickle.dumps(first)) == first  # Redis keeps it pickled


def test_the_json_of_the_command_line(tmp_path):
    """The one subprocess: `python -m kpi kostengroei … --json` as a user runs it."""
    engine = make_engine(f"sqlite:///{tmp_path / 'kg.db'}")
    migrate(engine)
    base_2024(Warehouse()).add(2025, "ambulant", 40, 100_000).add(2025, "verblijf", 20, 500_000).fill(engine)
    engine.dispose()
    proc = warm_python.run([sys.executable, "-m", "kpi", "kostengroei", "--jaar", "2025", "--json",
                           "--db", f"sqlite:///{tmp_path / 'kg.db'}"], cwd=ROOT, capture_output=True, text=True,
                           timeout=120)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["eerder"] == {"van": "2024-01-01", "tot": "2024-12-31", "label": "2024"}
    assert (data["by"], data["where"], data["afgeschermd"], data["min_cell_size"], data["afronding"]) == \
        ("hulpvorm", {}, False, 10, 5)
    assert data["totaal"]["verandering_cent"] == 7_000_000 and data["totaal"]["verandering"] == 70_000.0
    assert data["totaal"]["later"] == {"kosten": 140_000.0, "kosten_cent": 14_000_000, "jeugdigen": 60,
                                       "kosten_per_jeugdige": pytest.approx(140_000 / 60)}
    assert data["effecten"] == [
        {"effect": "volume", "label": VOLUME_LABEL, "bedrag": 70_000.0, "bedrag_cent": 7_000_000},
        {"effect": "mix", "label": "Mix (verschuiving tussen hulpvormen)", "bedrag": 0.0, "bedrag_cent": 0},
        {"effect": "intensiteit", "label": INTENSITEIT_LABEL, "bedrag": 0.0, "bedrag_cent": 0}]
    verblijf = data["groepen"][0]
    assert (verblijf["soort"], verblijf["key"], verblijf["label"], verblijf["volume_cent"]) == \
        ("groep", "verblijf", LABEL["verblijf"], 5_000_000)
    assert data["hoe_berekend"] == hoe_berekend("hulpvorm", 10)


@pytest.fixture
def cli_warehouse(warehouse):
    base_2024(Warehouse()).add(2025, "ambulant", 40, 100_000).add(2025, "verblijf", 20, 510_000).fill(warehouse)
    return engine_url(warehouse)


def run_cli(capsys, *args) -> tuple[int, str, str]:
    from kpi.cli import main

    code = main(["kostengroei", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_the_text_of_the_command_line(cli_warehouse, capsys):
    code, out, err = run_cli(capsys, "--jaar", "2025", "--db", cli_warehouse)
    assert code == 0, err
    assert out.startswith("Kostengroei verklaard: totale kosten jeugdhulp, 2025 tegenover 2024, per hulpvorm\n")
    result = decompose(make_engine(cli_warehouse), GrowthRequest(2025))
    for effect in result.effecten:
        assert re.search(re.escape(effect.label) + " +" + re.escape(euro(effect.bedrag_cent)) + "\n", out)
    assert euro(result.effecten[2].bedrag_cent) == "€ 1.444,33"  # verblijf: € 5.000 → € 5.100 per jeugdige
    assert re.search(r"Verandering +€ 72\.000,00", out)
    assert re.search(r"Jeugdhulp met verblijf +€ 50\.000,00 +€ 102\.000,00 +€ 52\.000,00", out)
    assert re.search(r"Jeugdigen met kosten +30 +60\n", out)
    code, out, err = run_cli(capsys, "--jaar", "2025", "--tot-maand", "maart", "--by", "aanbieder",
                             "--where", "hulpvorm=verblijf", "--db", cli_warehouse)
    assert code == 0, err
    assert "maart 2025 tegenover dezelfde maanden van 2024, per aanbieder" in out and "Filter: hulpvorm=verblijf" in out


@pytest.mark.parametrize("args, message", [
    (("--jaar", "twintig"), "--jaar: ongeldig jaar 'twintig'"),
    (("--jaar", "2025", "--vergelijk", "2025"), "moet vóór 2025 liggen"),
    (("--jaar", "2025", "--tot-maand", "13"), "--tot-maand: ongeldige maand '13'"),
    (("--jaar", "2025", "--by", "school"), "kan niet worden verdeeld naar 'school'"),
    (("--jaar", "2025", "--where", "hulpvorm=bakker"), "onbekende waarde 'bakker'"),
    (("--jaar", "2025", "--where", "hulpvorm"), "gebruik DIMENSIE=CODE"),
    (("--jaar", "2025", "--bestaat-niet"), "onbekende argumenten: --bestaat-niet"),
    (("--jaar",), "--jaar vraagt een waarde"),
    ((), "deze argumenten ontbreken: --jaar"),
])
def test_bad_arguments_exit_2_with_a_dutch_message(capsys, args, message):
    code, out, err = run_cli(capsys, *args, "--db", "sqlite:///:memory:")
    assert code == 2 and out == ""
    assert err.startswith("fout: ") and message in err


def test_a_year_without_data_exits_2(cli_warehouse, capsys):
    from sqlalchemy import update

    engine = make_engine(cli_warehouse)
    with engine.begin() as conn:
        conn.execute(insert(s.LoadLog).values(geladen_op=dt.datetime(2026, 1, 1), bron="test", bestanden=[]))
        conn.execute(update(s.LoadLog).values(data_tot=D(2025, 12, 31)))
    engine.dispose()
    code, _out, err = run_cli(capsys, "--jaar", "2026", "--db", cli_warehouse)
    assert code == 2 and "er zijn nog geen gegevens over 2026 (gegevens t/m 31 december 2025)" in err
    # a year compared before the data: said as the page says it, not "<10 (afgeschermd)" with exit 0
    code, out, err = run_cli(capsys, "--jaar", "2024", "--db", cli_warehouse)
    assert (code, out) == (2, "")
    assert err == "fout: de kosten beginnen in mrt 2024: er zijn geen kosten over 2023 om mee te vergelijken; " \
                  "de kostengroei is er vanaf 2025\n"


DOCS = ROOT / "docs" / "prognose.md"


def test_the_docs_hold_the_method_its_example_and_the_text_on_screen():
    text = DOCS.read_text(encoding="utf-8")
    section = text[text.index("## Kostengroei verklaard"):]
    section = section[:section.find("\n## ", 3) if "\n## " in section[3:] else None]  # up to the next chapter
    quoted = " ".join(line.removeprefix("> ") for line in section.splitlines())
    assert hoe_berekend("hulpvorm", 10) in " ".join(quoted.split())
    # the worked example's figures are those test_every_effect_at_once_adds_up_to_the_cent computes
    for figure in ("€ 784.000,00", "€ 169.821,73", "€ 422.419,82", "€ 191.758,45", "€ 91.764,38", "€ 418.473,98",
                   "€ 109.761,64", "€ -29.505,28"):
        assert figure in section, figure
