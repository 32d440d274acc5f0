"""The SQL engine against the plain-Python oracle of the contract, on random warehouses and random
requests (hypothesis), on SQLite and PostgreSQL. The oracle itself is first checked against the
hand-computed cases. A KPI only the catalogue holds is checked too when the oracle can read it from
its declaration alone; otherwise it is skipped, with the reason."""
import datetime as dt
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert

from data import schema as s
from data.warehouse import summaries
from kpi import CATALOGUE, KpiRequest, compute, totals
from kpi import measures as m
from kpi.request import resolve
from kpi.sources import check_catalogue, claiming
from tests import handmade_warehouse as hw
from tests import test_catalogue as catalogue_checks
from tests.conftest import empty_all_tables
from tests.contract_oracle import CONTRACT, OUTSIDE_THE_CONTRACT, oracle_rows, reading_of, unreadable
from tests.test_kpi_by_hand import CASES, Y

D = dt.date


def handmade_ds():
    return {"wijken": hw.WIJKEN, "scholen": hw.SCHOLEN, "aanbieders": hw.AANBIEDERS,
            "trajecten": hw.TRAJECTEN, "verblijf": hw.VERBLIJF, "kosten": hw.KOSTEN,
            "budget": hw.BUDGET, "tevredenheid": hw.TEVREDENHEID, "bevolking": hw.BEVOLKING}


@pytest.mark.parametrize("case", sorted(CASES))
def test_oracle_agrees_with_the_hand_computations(case):
    spec, expected = CASES[case]
    spec = dict(spec)
    rows = oracle_rows(handmade_ds(), spec.pop("kpi"), spec.pop("van", Y[0]), spec.pop("tot", Y[1]),
                       by=spec.get("by"), per=spec.get("per"), where=_normalised(spec.get("where", {})))
    assert [(r["periode"], r["key"], r["n"]) for r in rows] == [(p, k, n) for p, k, _, n in expected]
    for row, (_, _, want, _) in zip(rows, expected, strict=True):
        assert row["value"] == (None if want is None else pytest.approx(want, rel=1e-12))


def _normalised(where):
    """The oracle takes stored codes; the engine also accepts '02' and 'Ambulant'."""
    from data.warehouse.codes import CODE_LISTS

    out = {}
    for dim, value in where.items():
        cl = CODE_LISTS.get(dim)
        out[dim] = cl.normalise(value) if cl and value else value
    return out


# --- random warehouses -------------------------------------------------------------------------

WIJKEN = hw.WIJKEN          # W1, W2 in GM1; W3 in GM2
SCHOLEN = hw.SCHOLEN
AANBIEDERS = hw.AANBIEDERS
BASE = D(2023, 6, 1)
# The strategies are built once, not inside every draw: building and validating a strategy costs
# more than drawing from it, and a warehouse takes a few hundred draws (the draws are the same).
DAYS = st.integers(0, 950)
# one_of(none(), integers(0, most)) drawn as its two choices: which branch (the integer choice
# one_of makes), then the days. one_of builds and validates a filtered strategy on every draw,
# which was about a quarter of a warehouse's drawing time.
HAS_DAYS = st.sampled_from([False, True])
UP_TO = {most: st.integers(0, most) for most in (10, 15, 40, 60, 300, 500)}
MOST_TRAJECTEN = 25
COUNT = {most: st.integers(0, most) for most in (8, 15, MOST_TRAJECTEN)}
JEUGDIGEN = st.sampled_from(["J1", "J2", "J3", "J4", "J5", "J6"])
GEBOORTEJAAR = st.integers(2003, 2022)
WIJK = st.sampled_from(["W1", "W2", "W3"])
SCHOOL = st.sampled_from([None, "S1", "S2"])
VERWIJZER = st.sampled_from(["huisarts", "gemeente", "rechter"])
HULPVORM = st.sampled_from(["ambulant", "lokaal_team", "poh_jeugd", "verblijf"])
AANBIEDER = st.sampled_from([None, "A1"])
REDEN_EINDE = st.sampled_from(["volgens_plan", "voortijdig_client", "onbekend"])
DOELREALISATIE = st.sampled_from([None, "volledig", "niet", "onbekend"])
VERBLIJFSVORM = st.sampled_from(["pleegzorg", "gezinshuis", "residentieel"])
MAAND = st.integers(0, 29)
BEDRAG = st.integers(-5000, 500000)
GEMEENTE = st.sampled_from(["GM1", "GM2"])
JAAR = st.sampled_from([2024, 2025])
RESPONDENT = st.sampled_from(["ouder", "jongere"])
SCORE = st.integers(1, 10)
BUDGET = st.integers(0, 2_000_000)
AANTAL = st.integers(0, 60)
BOOLEAN = st.booleans()
# sampled_from(the traject ids) and sampled_from([None] + the ids) per number of trajecten: the
# ids are T0..T{n-1}, so these are the strategies a warehouse would build, built once
TRAJECT = {n: st.sampled_from([f"T{i}" for i in range(n)]) for n in range(1, MOST_TRAJECTEN + 1)}
TRAJECT_OR_NONE = {n: st.sampled_from([None] + [f"T{i}" for i in range(n)]) for n in range(MOST_TRAJECTEN + 1)}


def date_from(draw) -> D:
    return BASE + dt.timedelta(days=draw(DAYS))


def maybe_days(draw, start: D, most: int, sign: int = 1) -> D | None:
    """None, or `start` plus (sign -1: minus) at most `most` days."""
    if not draw(HAS_DAYS):
        return None
    return start + sign * dt.timedelta(days=draw(UP_TO[most]))


@st.composite
def warehouses(draw):
    trajecten = []
    for i in range(draw(COUNT[MOST_TRAJECTEN])):
        start = date_from(draw)
        end = maybe_days(draw, start, 500)
        toegewezen = maybe_days(draw, start, 40, sign=-1)  # the iJw dates: None for a traject from CSV
        trajecten.append(dict(
            traject_id=f"T{i}", jeugdige_id=draw(JEUGDIGEN),
            geboortejaar=draw(GEBOORTEJAAR), wijk_code=draw(WIJK),
            school_code=draw(SCHOOL),
            verwijzer=draw(VERWIJZER),
            hulpvorm=draw(HULPVORM),
            aanbieder_code=draw(AANBIEDER),
            aanmelddatum=maybe_days(draw, start, 60, sign=-1),
            startdatum=start, einddatum=end,
            reden_einde=draw(REDEN_EINDE) if end else None,
            doelrealisatie=draw(DOELREALISATIE) if end else None,
            financiering="zin",
            toewijzingsdatum=toegewezen,
            verzoekdatum=maybe_days(draw, toegewezen, 15, sign=-1) if toegewezen else None,
            ingangsdatum=maybe_days(draw, toegewezen, 10) if toegewezen else None))
    verblijf, kosten, antwoorden = [], [], []
    if trajecten:
        traject = TRAJECT[len(trajecten)]
        for i in range(draw(COUNT[8])):
            start = date_from(draw)
            end = maybe_days(draw, start, 300)
            verblijf.append(dict(verblijf_id=f"V{i}", traject_id=draw(traject),
                                 verblijfsvorm=draw(VERBLIJFSVORM),
                                 startdatum=start, einddatum=end))
        for i in range(draw(COUNT[15])):
            month = draw(MAAND)
            kosten.append(dict(regel=i + 2, traject_id=draw(traject),
                               maand=D(2023 + (5 + month) // 12, (5 + month) % 12 + 1, 1),
                               bedrag_cent=draw(BEDRAG)))
    traject_or_none = TRAJECT_OR_NONE[len(trajecten)]
    for i in range(draw(COUNT[8])):
        antwoorden.append(dict(respons_id=f"R{i}", traject_id=draw(traject_or_none),
                               gemeente_code=draw(GEMEENTE),
                               jaar=draw(JAAR),
                               respondent=draw(RESPONDENT), score=draw(SCORE)))
    budget = [dict(jaar=j, gemeente_code=g, bedrag_cent=draw(BUDGET))
              for j in (2024, 2025) for g in ("GM1", "GM2") if draw(BOOLEAN)]
    bevolking = [dict(jaar=j, wijk_code=w, aantal_0_17=draw(AANTAL), aantal_18_22=None)
                 for j in (2024, 2025) for w in ("W1", "W2", "W3") if draw(BOOLEAN)]
    return {"wijken": WIJKEN, "scholen": SCHOLEN, "aanbieders": AANBIEDERS, "trajecten": trajecten,
            "verblijf": verblijf, "kosten": kosten, "budget": budget, "tevredenheid": antwoorden,
            "bevolking": bevolking}


FILTER_VALUES = {"wijk": ["W1", "W3", ""], "gemeente": ["GM1", "GM2"], "school": ["S1", ""],
                 "verwijzer": ["huisarts", "rechter"], "hulpvorm": ["ambulant", "verblijf"],
                 "aanbieder": ["A1", ""], "respondent": ["ouder", "jongere"]}
FILTER_VALUE = {dim: st.sampled_from(values) for dim, values in FILTER_VALUES.items()}
THRESHOLD = st.sampled_from([None, 2, 3])
ROUNDING = st.sampled_from([1, 2, 5])
START_DAY, LENGTH = st.integers(0, 700), st.integers(0, 400)


def requests(kpi_id) -> st.SearchStrategy:
    """Any request for the KPI. Its own strategies are built here, once per test, not in every
    draw (the draws are the same)."""
    kpi = CATALOGUE[kpi_id]
    pers = st.sampled_from((None,) + kpi.per_toegestaan)
    bys = st.sampled_from((None,) + kpi.breakdowns)
    dimensions = st.lists(st.sampled_from(kpi.filters), max_size=2, unique=True)

    @st.composite
    def request(draw):
        if kpi.alleen_kalenderjaar or draw(BOOLEAN):
            year = draw(JAAR)
            van, tot = D(year, 1, 1), D(year, 12, 31)
        else:
            van = D(2023, 12, 1) + dt.timedelta(days=draw(START_DAY))
            tot = van + dt.timedelta(days=draw(LENGTH))
        per = draw(pers)
        by = draw(bys)
        where = {d: draw(FILTER_VALUE[d]) for d in draw(dimensions)}
        threshold = draw(THRESHOLD)
        base = draw(ROUNDING)
        return kpi.id, van, tot, by, per, where, threshold, base
    return request()


def fill(engine, ds, kpi_id=None, read_by=()):
    """The warehouse holding `ds`, as a load leaves it; with `kpi_id` also that KPI's stored
    totals — only those the requests `read_by` can read, when given (stored_totals_read_by)."""
    empty_all_tables(engine)
    with engine.begin() as conn:
        insert_facts(conn, ds)
        # as the loader does (facts written here bypass it): the summaries the KPI can read
        summaries.rebuild(conn, **({} if kpi_id is None else {"tables": summaries_read_by(kpi_id)}))
        if kpi_id is not None:  # and the yearly totals it stores, so the oracle checks them too
            conn.execute(insert(s.LoadLog).values(geladen_op=dt.datetime(2026, 1, 1), bron="test", bestanden=[]))
            totals.rebuild(conn, kpi_ids=[kpi_id], **(stored_totals_read_by(read_by) if read_by else {}))


def insert_facts(conn, ds):
    for model, name in ((s.Wijk, "wijken"), (s.School, "scholen"), (s.Aanbieder, "aanbieders"),
                        (s.Traject, "trajecten"), (s.Verblijf, "verblijf"), (s.Kosten, "kosten"),
                        (s.Budget, "budget"), (s.Tevredenheid, "tevredenheid"), (s.Bevolking, "bevolking")):
        if ds[name]:
            conn.execute(insert(model), ds[name])


def fill_for_kpis(engine, ds, kpi_ids):
    """The warehouse holding `ds` as a load leaves it, shared by the KPIs checked on it: the
    summaries any of them can read and a load-log row; each KPI's stored totals come with
    store_totals, just before its requests are checked."""
    empty_all_tables(engine)
    with engine.begin() as conn:
        insert_facts(conn, ds)
        summaries.rebuild(conn, tables=set().union(*(summaries_read_by(kpi_id) for kpi_id in kpi_ids)))
        conn.execute(insert(s.LoadLog).values(geladen_op=dt.datetime(2026, 1, 1), bron="test", bestanden=[]))


def store_totals(engine, kpi_id, requests):
    """The warehouse's stored totals become `kpi_id`'s, those `requests` can read (as fill stores
    them; the previous KPI's rows go)."""
    with engine.begin() as conn:
        totals.rebuild(conn, kpi_ids=[kpi_id], **stored_totals_read_by(requests))


def summaries_read_by(kpi_id) -> set[str]:
    """The summary tables a source claiming the KPI reads: a summary nothing reads checks nothing."""
    return {source.table.name for source in claiming(CATALOGUE[kpi_id])
            if source.table is not None and source.table.name in summaries.TABLES}


def stored_totals_read_by(requests) -> dict:
    """What of the stored totals `requests` can read (kpi/totals.py `stored`, also for rule 3's
    linked breakdowns): the rows of their own sub-periods, in total or by a dimension they name
    (breakdown or filter). A row nothing reads checks nothing, and each row stored is the one a
    full rebuild stores, so the requests are checked exactly as after a full rebuild, at a
    fraction of its cost (the rebuild was half of an example's time)."""
    resolved = [resolve(request) for request in requests]
    return {"periods": {(sub.van, sub.tot) for req in resolved for sub in req.sub_periods},
            "dimensions": {dimension for req in resolved for dimension in req.dimensions_used()}}


def skip_unless_the_oracle_reads(kpi_id):
    reason = unreadable(CATALOGUE[kpi_id])
    if reason:
        pytest.skip(reason)


# The KPIs the oracle reads, checked on shared random warehouses: a warehouse drawn and filled per
# KPI was more than half of the module's time. KPIS_PER_TEST of them share each warehouse, each
# with its own requests, so every KPI still meets as many warehouses and requests as in a test of
# its own; a group per test keeps the tests short enough to spread over the workers.
ORACLE_KPIS = [kpi_id for kpi_id in sorted(CATALOGUE) if unreadable(CATALOGUE[kpi_id]) is None]
KPIS_PER_TEST = 5
ORACLE_GROUPS = [tuple(ORACLE_KPIS[i:i + KPIS_PER_TEST]) for i in range(0, len(ORACLE_KPIS), KPIS_PER_TEST)]


@pytest.mark.parametrize("kpi_id", sorted(CATALOGUE))
def test_the_engine_is_checked_against_the_oracle_for_every_kpi_it_reads(kpi_id):
    skip_unless_the_oracle_reads(kpi_id)
    assert kpi_id in {kpi for group in ORACLE_GROUPS for kpi in group}


@pytest.mark.parametrize("kpi_ids", ORACLE_GROUPS, ids=lambda kpi_ids: f"{kpi_ids[0]}..{kpi_ids[-1]}")
def test_engine_equals_the_oracle(warehouse, kpi_ids):
    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(ds=warehouses(), reqs_per_kpi=st.tuples(*(st.lists(requests(kpi_id), min_size=1, max_size=4)
                                                     for kpi_id in kpi_ids)))
    def check(ds, reqs_per_kpi):
        _check(warehouse, ds, *reqs_per_kpi)

    check()


def _check(warehouse, ds, *reqs_per_kpi):
    """Each KPI's requests (one list per KPI) against the oracle, on one warehouse holding `ds`."""
    fill_for_kpis(warehouse, ds, [reqs[0][0] for reqs in reqs_per_kpi])
    for reqs in reqs_per_kpi:
        requests = [KpiRequest(kpi, van, tot, by=by, per=per, where=where,
                               suppress=threshold is not None, min_cell_size=threshold, afronding=base)
                    for kpi, van, tot, by, per, where, threshold, base in reqs]
        store_totals(warehouse, reqs[0][0], requests)
        _compare(warehouse, ds, reqs, requests)


def _compare(warehouse, ds, reqs, requests):
    for request, (kpi, van, tot, by, per, where, threshold, base) in zip(requests, reqs, strict=True):
        got = [r.to_dict() for r in compute(warehouse, request).rows]
        want = oracle_rows(ds, kpi, van, tot, by=by, per=per, where=where, threshold=threshold, afronding=base)
        context = (kpi, van, tot, by, per, where, threshold, base)
        assert [(r["periode"], r["key"], r["label"], r["n"], r["suppressed"]) for r in got] == \
               [(r["periode"], r["key"], r["label"], r["n"], r["suppressed"]) for r in want], context
        for g, w in zip(got, want, strict=True):
            assert g["value"] == (None if w["value"] is None else pytest.approx(w["value"], rel=1e-9, abs=1e-9)), context


# --- version 2's linked requests and rounding, where they matter ---------------------------------

ALL_VALUES = {"wijk": ["W1", "W2", "W3"], "gemeente": ["GM1", "GM2"], "school": ["S1", "S2", ""],
              "verwijzer": ["huisarts", "gemeente", "rechter"], "hulpvorm": ["ambulant", "lokaal_team", "poh_jeugd", "verblijf"],
              "aanbieder": ["A1", ""], "respondent": ["ouder", "jongere"]}
ANY_VALUE = {dim: st.sampled_from(values) for dim, values in ALL_VALUES.items()}
LINKED_THRESHOLD = st.sampled_from([2, 3, 4])
LINKED_ROUNDING = st.sampled_from([1, 5])


def filtered_requests(kpi_id) -> st.SearchStrategy:
    """Requests that always filter, on any value of the dimension (so the value hidden by the
    secondary rule of a linked breakdown is asked for on its own), one calendar year, T 2–4.
    Its own strategies are built here, once per test, not in every draw."""
    kpi = CATALOGUE[kpi_id]
    bys = st.sampled_from((None,) + kpi.breakdowns)
    dimensions = st.lists(st.sampled_from(kpi.filters), min_size=1, max_size=2, unique=True)

    @st.composite
    def request(draw):
        year = draw(JAAR)
        by = draw(bys)
        where = {d: draw(ANY_VALUE[d]) for d in draw(dimensions)}
        return (kpi.id, D(year, 1, 1), D(year, 12, 31), by, None, where,
                draw(LINKED_THRESHOLD), draw(LINKED_ROUNDING))
    return request()


def filtered_requests_per_kpi(kpi_ids) -> st.SearchStrategy:
    """3–6 filtered requests for each KPI, to check on one shared warehouse (see ORACLE_GROUPS)."""
    return st.tuples(*(st.lists(filtered_requests(kpi_id), min_size=3, max_size=6) for kpi_id in kpi_ids))


def test_linked_requests_equal_the_oracle(warehouse):
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(ds=warehouses(), reqs_per_kpi=filtered_requests_per_kpi([
        "jeugdigen_met_jeugdhulp", "instroom", "gem_trajectduur", "totale_kosten", "gem_tevredenheid",
        "pct_budget_besteed"]))
    def check(ds, reqs_per_kpi):
        _check(warehouse, ds, *reqs_per_kpi)

    check()


def test_linked_requests_over_every_group_equal_the_oracle(warehouse, monkeypatch):
    """The same, with rule 3's pair counts over every group of the breakdown (as for a breakdown
    of more than LINKED_GROUPS_NAMED groups) instead of only the request's own groups."""
    from kpi import computation as query

    monkeypatch.setattr(query, "LINKED_GROUPS_NAMED", 0)

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(ds=warehouses(), reqs_per_kpi=filtered_requests_per_kpi(["instroom", "jeugdigen_met_jeugdhulp"]))
    def check(ds, reqs_per_kpi):
        _check(warehouse, ds, *reqs_per_kpi)

    check()


# --- the oracle reads the declaration; the contract's readings hold it to the contract ----------

def test_the_oracle_and_the_catalogue_test_transcribe_the_same_kpis():
    assert set(CONTRACT) == set(catalogue_checks.CONTRACT)


@pytest.mark.parametrize("kpi_id", sorted(CONTRACT))
def test_the_catalogue_declares_the_records_and_measure_the_contract_reads(kpi_id):
    assert reading_of(CATALOGUE[kpi_id]) is CONTRACT[kpi_id]


@pytest.mark.parametrize("declaration", [
    replace(CATALOGUE["instroom"], bron=m.TRAJECT_BEEINDIGD),
    replace(CATALOGUE["instroom"], maat=m.DistinctJeugdigen()),
], ids=["other-records", "other-measure"])
def test_a_contract_kpi_declared_otherwise_than_the_contract_fails_the_oracle(declaration):
    """The oracle takes records and measure from the declaration, so it checks them against the
    contract first: a wrong declaration still fails the oracle tests."""
    with pytest.raises(AssertionError, match="instroom is declared as"):
        reading_of(declaration)


# --- a KPI added only to the catalogue ------------------------------------------------------------

# Needs nothing the contract says per KPI: a source, a count, no population.
STARTED_STAYS = replace(CATALOGUE["instroom"], id="gestarte_verblijven", naam="Gestarte verblijven",
                        definitie="Het aantal verblijven met een startdatum in de periode.",
                        bron=m.Records("verblijf", "gestart", "verblijven die in de periode starten"))
# Need the catalogue's own expressions, which the oracle does not evaluate.
WITH_A_POPULATION = replace(CATALOGUE["jeugdigen_met_jeugdhulp"], id="jeugdigen_met_afgesloten_traject",
                            populatie=lambda c: c.t.einddatum.is_not(None))
WITH_AN_EXPRESSION = replace(CATALOGUE["gem_trajectduur"], id="gem_duur_tot_aanmelding",
                             maat=m.Mean(lambda c: c.t.aanmelddatum))


@pytest.fixture
def catalogue_only(monkeypatch):
    """Adds KPIs to the catalogue for one test, checked as the catalogue checks its own entries."""
    def add(*kpis):
        check_catalogue(kpis)
        for kpi in kpis:
            monkeypatch.setitem(CATALOGUE, kpi.id, kpi)
    return add


def test_a_catalogue_only_kpi_leaves_the_contract_check_passing(catalogue_only):
    catalogue_only(STARTED_STAYS, WITH_A_POPULATION)
    catalogue_checks.test_every_contract_kpi_is_in_the_catalogue()
    for kpi_id in catalogue_checks.CONTRACT:
        catalogue_checks.test_entry_matches_the_contract(kpi_id)


def test_the_oracle_computes_a_generic_catalogue_only_kpi_as_the_engine_does(warehouse, catalogue_only):
    catalogue_only(STARTED_STAYS)
    assert unreadable(STARTED_STAYS) is None

    @settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(ds=warehouses(), reqs=st.lists(requests(STARTED_STAYS.id), min_size=1, max_size=4))
    def check(ds, reqs):
        _check(warehouse, ds, reqs)

    check()


@pytest.mark.parametrize("kpi", [WITH_A_POPULATION, WITH_AN_EXPRESSION], ids=lambda kpi: kpi.id)
def test_the_oracle_tests_skip_a_catalogue_only_kpi_it_cannot_read(kpi, catalogue_only):
    catalogue_only(kpi)
    assert unreadable(kpi) == f"{kpi.id}: {OUTSIDE_THE_CONTRACT}"
    with pytest.raises(pytest.skip.Exception, match="not in the contract; its sources are proven"):
        skip_unless_the_oracle_reads(kpi.id)
