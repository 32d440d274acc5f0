"""Every KPI against answers computed by hand (tests/handmade_warehouse.py), on both backends.

Each case: request → expected rows (periode, key, value, n); the arithmetic is in the comment.
Suppression is off here (min_cell_size=None) except in the suppression tests at the end.
"""
import datetime as dt

import pytest

from kpi import KpiRequest, KpiRequestError, compute
from tests import handmade_warehouse
from tests.conftest import loaded_warehouse

Y = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))

CASES = {
    # active in 2025: T1 J1, T2 J1, T3 J2, T4 J3, T5 J4, T7 J5 (T6 ended 31-12-2024, T8 starts 2026)
    "jeugdigen totaal": (dict(kpi="jeugdigen_met_jeugdhulp"), [(None, None, 5, 5)]),
    # J1 counts in W1 (T1) and W2 (T2): groups need not add up to the total
    "jeugdigen per wijk": (dict(kpi="jeugdigen_met_jeugdhulp", by="wijk"),
                           [(None, "W1", 3, 3), (None, "W2", 2, 2), (None, "W3", 1, 1)]),
    "jeugdigen per gemeente": (dict(kpi="jeugdigen_met_jeugdhulp", by="gemeente"),
                               [(None, "GM1", 4, 4), (None, "GM2", 1, 1)]),
    # empty school first (T2 J1, T3 J2, T5 J4); S3 has no trajecten so is not listed
    "jeugdigen per school": (dict(kpi="jeugdigen_met_jeugdhulp", by="school"),
                             [(None, None, 3, 3), (None, "S1", 2, 2), (None, "S2", 1, 1)]),
    "jeugdigen zonder school": (dict(kpi="jeugdigen_met_jeugdhulp", where={"school": ""}),
                                [(None, None, 3, 3)]),
    # 0–17 in 2025: J1 (15), J3 (13), J4 (10), J5 (14); J2 (20) not. 100 × 4 / (100+50+30)
    "pct jeugdigen totaal": (dict(kpi="pct_jeugdigen_met_jeugdhulp"), [(None, None, 400 / 180, 4)]),
    # W1: J1, J5 of 100; W2: J1, J3 of 50; W3: J4 of 30
    "pct jeugdigen per wijk": (dict(kpi="pct_jeugdigen_met_jeugdhulp", by="wijk"),
                               [(None, "W1", 2.0, 2), (None, "W2", 4.0, 2), (None, "W3", 100 / 30, 1)]),
    "pct jeugdigen per gemeente": (dict(kpi="pct_jeugdigen_met_jeugdhulp", by="gemeente"),
                                   [(None, "GM1", 300 / 150, 3), (None, "GM2", 100 / 30, 1)]),
    # a school filter narrows only the numerator: J1, J5 of all 180
    "pct jeugdigen school S1": (dict(kpi="pct_jeugdigen_met_jeugdhulp", where={"school": "S1"}),
                                [(None, None, 200 / 180, 2)]),
    # a wijk filter narrows the denominator too: J1, J5 of W1's 100
    "pct jeugdigen wijk W1": (dict(kpi="pct_jeugdigen_met_jeugdhulp", where={"wijk": "W1"}),
                              [(None, None, 2.0, 2)]),
    # started in 2025: T1 (1 Jan), T2, T3, T5 (31 Dec), T7 — jeugdigen J1, J2, J4, J5
    "instroom": (dict(kpi="instroom"), [(None, None, 5, 4)]),
    "instroom per verwijzer": (dict(kpi="instroom", by="verwijzer"),
                               [(None, "gemeente", 2, 2), (None, "huisarts", 1, 1),
                                (None, "jeugdarts", 1, 1), (None, "rechter", 1, 1)]),
    "instroom per kwartaal": (dict(kpi="instroom", per="kwartaal"),
                              [("2025-Q1", None, 2, 2), ("2025-Q2", None, 2, 2),
                               ("2025-Q3", None, 0, 0), ("2025-Q4", None, 1, 1)]),
    "instroom per aanbieder": (dict(kpi="instroom", by="aanbieder"),
                               [(None, None, 3, 3), (None, "A1", 2, 2)]),
    # ended in 2025: T1 (31 Dec), T3, T4
    "uitstroom": (dict(kpi="uitstroom"), [(None, None, 3, 3)]),
    "uitstroom per hulpvorm": (dict(kpi="uitstroom", by="hulpvorm"),
                               [(None, "ambulant", 1, 1), (None, "poh_jeugd", 1, 1), (None, "verblijf", 1, 1)]),
    # stays active in 2025: V1 (J2), V2 (J3, from 2024), V3 (J4, from 30 Dec)
    "verblijf": (dict(kpi="jeugdigen_met_verblijf"), [(None, None, 3, 3)]),
    "verblijf per wijk": (dict(kpi="jeugdigen_met_verblijf", by="wijk"),
                          [(None, "W1", 1, 1), (None, "W2", 1, 1), (None, "W3", 1, 1)]),
    # 1 of the 5 started is lokaal_team / poh_jeugd (T2)
    "lichte hulp": (dict(kpi="pct_lichte_hulp"), [(None, None, 20.0, 4)]),
    "huisarts": (dict(kpi="pct_verwijzing_huisarts"), [(None, None, 20.0, 4)]),
    # (364 + 0 + 87) / 3
    "trajectduur": (dict(kpi="gem_trajectduur"), [(None, None, 451 / 3, 3)]),
    "trajectduur per wijk": (dict(kpi="gem_trajectduur", by="wijk"),
                             [(None, "W1", 182.0, 2), (None, "W2", 87.0, 1)]),
    "trajectduur ambulant": (dict(kpi="gem_trajectduur", where={"hulpvorm": "Ambulant"}),
                             [(None, None, 364.0, 1)]),
    # known reasons: T1 volgens plan, T3 voortijdig_client (T4 onbekend left out)
    "uitval": (dict(kpi="pct_uitval"), [(None, None, 50.0, 2)]),
    "volgens plan": (dict(kpi="pct_volgens_plan"), [(None, None, 50.0, 2)]),
    # T1 volledig, T3 niet (T4 onbekend left out)
    "doel bereikt": (dict(kpi="pct_doel_bereikt"), [(None, None, 50.0, 2)]),
    # waits: T1 30, T3 10, T5 11 (T2, T7 without aanmelddatum)
    "wachttijd": (dict(kpi="gem_wachttijd"), [(None, None, 17.0, 3)]),
    # T1 ended volgens plan on 31-12-2025; J1 starts T8 on 1-6-2026 (within 365 days)
    "herinstroom": (dict(kpi="pct_herinstroom"), [(None, None, 100.0, 1)]),
    # T8 has verwijzer 'geen': the follow-up ignores the filter
    "herinstroom huisarts": (dict(kpi="pct_herinstroom", where={"verwijzer": "02"}), [(None, None, 100.0, 1)]),
    "herinstroom leeg": (dict(kpi="pct_herinstroom", where={"hulpvorm": "crisis"}), [(None, None, None, 0)]),
    # stays ended in 2025: V1 0 days, V2 40 days
    "verblijfsduur": (dict(kpi="gem_verblijfsduur"), [(None, None, 20.0, 2)]),
    # verblijfsdagen in 2025: V1 pleegzorg 1, V2 residentieel 10 (1–10 Jan), V3 gezinshuis 2 → 100 × 3 / 13
    "gezinsgericht": (dict(kpi="pct_verblijf_gezinsgericht"), [(None, None, 300 / 13, 3)]),
    # per kwartaal: Q1 V1 1 + V2 10 → 1/11; Q4 V3 2 of 2
    "gezinsgericht per kwartaal": (dict(kpi="pct_verblijf_gezinsgericht", per="kwartaal"),
                                   [("2025-Q1", None, 100 / 11, 2), ("2025-Q2", None, None, 0),
                                    ("2025-Q3", None, None, 0), ("2025-Q4", None, 100.0, 1)]),
    # 100,00 + 50,50 − 10,25 (T1) + 1.000,00 (T3)
    "kosten": (dict(kpi="totale_kosten"), [(None, None, 1140.25, 2)]),
    "kosten per maand Q1": (dict(kpi="totale_kosten", van=dt.date(2025, 1, 1), tot=dt.date(2025, 3, 31), per="maand"),
                            [("2025-01", None, 100.0, 1), ("2025-02", None, 0.0, 0), ("2025-03", None, 1000.0, 1)]),
    "kosten per jeugdige": (dict(kpi="kosten_per_jeugdige"), [(None, None, 1140.25 / 2, 2)]),
    # all budget rows of 2025: 150.000
    "budget": (dict(kpi="pct_budget_besteed"), [(None, None, 100 * 114025 / 15_000_000, 2)]),
    "budget per gemeente": (dict(kpi="pct_budget_besteed", by="gemeente"),
                            [(None, "GM1", 100 * 114025 / 10_000_000, 2)]),
    "budget gemeente GM2": (dict(kpi="pct_budget_besteed", where={"gemeente": "GM2"}), [(None, None, 0.0, 0)]),
    # a wijk filter narrows only the kosten, the budget stays all of 2025
    "budget wijk W1": (dict(kpi="pct_budget_besteed", where={"wijk": "W1"}),
                       [(None, None, 100 * 114025 / 15_000_000, 2)]),
    # 2025 answers: R1 8, R2 6, R3 9 (no traject), R5 7 (no traject)
    "tevredenheid": (dict(kpi="gem_tevredenheid"), [(None, None, 7.5, 4)]),
    "tevredenheid per respondent": (dict(kpi="gem_tevredenheid", by="respondent"),
                                    [(None, "jongere", 6.5, 2), (None, "ouder", 8.5, 2)]),
    # answers without traject leave a traject breakdown: W1 has R1 and R2
    "tevredenheid per wijk": (dict(kpi="gem_tevredenheid", by="wijk"), [(None, "W1", 7.0, 2)]),
    # the gemeente of an answer is its own code: GM1 R1, R2, R5; GM2 R3
    "tevredenheid per gemeente": (dict(kpi="gem_tevredenheid", by="gemeente"),
                                  [(None, "GM1", 7.0, 3), (None, "GM2", 9.0, 1)]),
    "tevreden": (dict(kpi="pct_tevreden"), [(None, None, 75.0, 4)]),
    "tevreden GM1": (dict(kpi="pct_tevreden", where={"gemeente": "GM1"}), [(None, None, 200 / 3, 3)]),
    # an empty-school filter on answers: only answers with a traject without school (R2 via T3)
    "tevredenheid zonder school": (dict(kpi="gem_tevredenheid", where={"school": ""}), [(None, None, 6.0, 1)]),
}


@pytest.fixture
def handmade(request, backend):
    """The hand-made warehouse, filled once per process and backend (computing only reads it)."""
    return loaded_warehouse(request, "handmade", handmade_warehouse.fill)


def request(spec, **extra):
    spec = dict(spec)
    van = spec.pop("van", Y[0])
    tot = spec.pop("tot", Y[1])
    return KpiRequest(spec.pop("kpi"), van, tot, suppress=False, **spec, **extra)


@pytest.mark.parametrize("case", sorted(CASES))
def test_kpi_by_hand(handmade, case):
    spec, expected = CASES[case]
    rows = compute(handmade, request(spec)).rows
    got = [(r.periode, r.key, r.value, r.n) for r in rows]
    assert [(p, k, n) for p, k, _, n in got] == [(p, k, n) for p, k, _, n in expected]
    for (_, _, value, _), (_, _, want, _) in zip(got, expected, strict=True):
        if want is None:
            assert value is None
        else:
            assert value == pytest.approx(want, rel=1e-12)
    assert all(not r.suppressed for r in rows)


def test_every_contract_kpi_has_a_hand_computed_case():
    """A KPI only the catalogue holds needs none: the oracle or tests/test_sources.py checks it."""
    from tests.test_catalogue import CONTRACT

    covered = {spec["kpi"] for spec, _ in CASES.values()}
    assert set(CONTRACT) - covered == set()


def test_labels(handmade):
    rows = compute(handmade, request(dict(kpi="jeugdigen_met_jeugdhulp", by="school"))).rows
    assert [r.label for r in rows] == ["Geen school bekend", "De Linde", "De Eik"]
    rows = compute(handmade, request(dict(kpi="instroom", by="aanbieder"))).rows
    assert [r.label for r in rows] == ["Geen aanbieder", "Zorg A"]
    rows = compute(handmade, request(dict(kpi="instroom", by="verwijzer"))).rows
    assert rows[0].label == "Gemeentelijke toegang (lokaal team)"
    rows = compute(handmade, request(dict(kpi="gem_tevredenheid", by="gemeente"))).rows
    assert [r.label for r in rows] == ["Huizen", "Laren"]
    assert [r.label for r in compute(handmade, request(dict(kpi="instroom"))).rows] == ["Totaal"]


def test_clipped_months_and_an_empty_breakdown_period(handmade):
    rows = compute(handmade, request(dict(kpi="uitstroom", van=dt.date(2025, 3, 5), tot=dt.date(2025, 4, 10),
                                          per="maand", by="wijk"))).rows
    # only T3 ends in [5 Mar, 10 Apr] (on 11 March); April has no group, so no row
    assert [(r.periode, r.key, r.value) for r in rows] == [("2025-03", "W1", 1)]


def test_primary_and_secondary_suppression(handmade):
    def hidden(threshold):
        req = request(dict(kpi="jeugdigen_met_jeugdhulp", by="wijk"))
        req = KpiRequest(req.kpi, req.van, req.tot, by="wijk", min_cell_size=threshold, afronding=1)
        return [(r.key, r.value, r.n, r.suppressed) for r in compute(handmade, req).rows]

    # (no rounding here: afronding 1) W1 3, W2 2, W3 1 — threshold 2: W3 primary, W2 (smallest shown) secondary
    assert hidden(2) == [("W1", 3, 3, False), ("W2", None, None, True), ("W3", None, None, True)]
    # threshold 3: W2 and W3 both primary, no secondary needed
    assert hidden(3) == [("W1", 3, 3, False), ("W2", None, None, True), ("W3", None, None, True)]
    # threshold 4: all hidden
    assert [s for *_, s in hidden(4)] == [True, True, True]
    # total: primary rule only (n = 5)
    total = compute(handmade, KpiRequest("jeugdigen_met_jeugdhulp", *Y, min_cell_size=6)).rows[0]
    assert (total.value, total.n, total.suppressed) == (None, None, True)
    assert compute(handmade, KpiRequest("jeugdigen_met_jeugdhulp", *Y, min_cell_size=5)).to_dict()["rows"][0]["value"] == 5


def test_secondary_tie_takes_the_empty_group_first(handmade):
    # per school: empty 3, S1 2, S2 1 — threshold 2: S2 primary; smallest shown is S1 (2)
    req = KpiRequest("jeugdigen_met_jeugdhulp", *Y, by="school", min_cell_size=2, afronding=1)
    assert [(r.key, r.suppressed) for r in compute(handmade, req).rows] == [(None, False), ("S1", True), ("S2", True)]
    # per aanbieder (instroom): empty 3, A1 2 — threshold 3: A1 primary, the empty group follows
    req = KpiRequest("instroom", *Y, by="aanbieder", min_cell_size=3)
    assert [(r.key, r.suppressed) for r in compute(handmade, req).rows] == [(None, True), ("A1", True)]


def test_a_group_hidden_by_the_secondary_rule_stays_hidden_when_asked_for_alone(handmade):
    # per wijk (T 2): W1 3, W2 2, W3 1 — W3 primary, W2 secondary. Asked for on its own, W2 has
    # n 2 ≥ T, but rule 3 (linked requests) keeps it hidden: else total − W1 − W2 = W3.
    alone = compute(handmade, KpiRequest("jeugdigen_met_jeugdhulp", *Y, where={"wijk": "W2"},
                                         min_cell_size=2, afronding=1)).rows[0]
    assert (alone.value, alone.n, alone.suppressed) == (None, None, True)
    # W1 is shown in the breakdown, so also on its own
    w1 = compute(handmade, KpiRequest("jeugdigen_met_jeugdhulp", *Y, where={"wijk": "W1"},
                                      min_cell_size=2, afronding=1)).rows[0]
    assert (w1.value, w1.n, w1.suppressed) == (3, 3, False)
    # switched off (command line, --no-suppress): the exact value
    assert compute(handmade, KpiRequest("jeugdigen_met_jeugdhulp", *Y, where={"wijk": "W2"},
                                        suppress=False)).rows[0].value == 2


def test_counts_in_detailed_views_are_rounded_to_the_base(handmade):
    def rows(**kwargs):
        result = compute(handmade, KpiRequest("jeugdigen_met_jeugdhulp", *Y, min_cell_size=1, afronding=2, **kwargs))
        return [(r.key, r.value, r.n) for r in result.rows], result.to_dict()["afronding"]

    # a total is exact (5); so is a total within one gemeente (W1 + W2 = 4 jeugdigen in GM1)
    assert rows() == ([(None, 5, 5)], 2)
    assert rows(where={"gemeente": "GM1"})[0] == [(None, 4, 4)]
    # detailed: W1 3 → 4 (remainder 1 of base 2 rounds up), W2 2, W3 1 → 2
    assert rows(by="wijk")[0] == [("W1", 4, 4), ("W2", 2, 2), ("W3", 2, 2)]
    assert rows(where={"wijk": "W1"})[0] == [(None, 4, 4)]
    # base 5 (the default): a mean is not rounded, its n is (3 → 5, 2 and 1 → 0)
    mean = compute(handmade, KpiRequest("gem_trajectduur", *Y, by="wijk", min_cell_size=1, afronding=5)).rows
    exact = compute(handmade, KpiRequest("gem_trajectduur", *Y, by="wijk", suppress=False)).rows
    assert [r.value for r in mean] == [r.value for r in exact]
    assert [r.n for r in mean] == [5 if r.n >= 3 else 0 for r in exact]


def test_the_setting_min_cell_size(handmade, monkeypatch):
    monkeypatch.setenv("MIN_CELL_SIZE", "6")
    result = compute(handmade, KpiRequest("jeugdigen_met_jeugdhulp", *Y))
    assert result.to_dict()["min_cell_size"] == 6 and result.rows[0].suppressed
    monkeypatch.setenv("MIN_CELL_SIZE", "nul")
    with pytest.raises(KpiRequestError):
        compute(handmade, KpiRequest("jeugdigen_met_jeugdhulp", *Y))


@pytest.mark.parametrize("bad", [
    dict(kpi="bestaat_niet"),
    dict(kpi="instroom", by="respondent"),
    dict(kpi="pct_jeugdigen_met_jeugdhulp", by="school"),
    dict(kpi="instroom", where={"verwijzer": "bakker"}),
    dict(kpi="instroom", where={"respondent": "ouder"}),
    dict(kpi="gem_tevredenheid", per="maand"),
    dict(kpi="pct_budget_besteed", per="kwartaal"),
    dict(kpi="pct_budget_besteed", van=dt.date(2025, 1, 1), tot=dt.date(2026, 12, 31), per="jaar"),
    dict(kpi="instroom", van=dt.date(2025, 2, 1), tot=dt.date(2025, 1, 1)),
    dict(kpi="instroom", per="week"),
])
def test_refused_requests(handmade, bad):
    with pytest.raises(KpiRequestError):
        compute(handmade, request(bad))


@pytest.mark.parametrize(("per", "years", "message"), [
    ("maand", 34, "de periode telt 408 maanden; vraag er hoogstens 400 tegelijk (een kortere periode, of per "
                  "kwartaal of jaar)"),
    ("kwartaal", 101, "de periode telt 404 kwartalen; vraag er hoogstens 400 tegelijk (een kortere periode, of per jaar)"),
])
def test_a_request_of_too_many_sub_periods_is_refused_in_dutch(handmade, per, years, message):
    """Each sub-period is a SELECT of one statement: 1900–2100 per maand made SQLite refuse the
    statement ("too many terms in compound SELECT"), which the command line then called an
    unusable database file."""
    with pytest.raises(KpiRequestError) as refused:
        compute(handmade, KpiRequest("totale_kosten", dt.date(1990, 1, 1), dt.date(1989 + years, 12, 31), per=per))
    assert str(refused.value) == message
    assert len(compute(handmade, KpiRequest("totale_kosten", dt.date(1990, 1, 1), dt.date(2023, 4, 30),
                                            per="maand")).rows) == 400  # the longest that may be asked


def test_unknown_keys_select_nothing(handmade):
    rows = compute(handmade, request(dict(kpi="instroom", where={"wijk": "W9"}))).rows
    assert [(r.value, r.n) for r in rows] == [(0, 0)]
    assert compute(handmade, request(dict(kpi="instroom", where={"wijk": ""}))).rows[0].n == 0


def test_herinstroom_window_is_after_the_end_and_at_most_365_days(warehouse):
    """Ended volgens plan on 10-01-2025; follow-ups on the same day (not after), after exactly
    365 days (counts) and after 366 days (does not)."""
    from sqlalchemy import insert

    from data import schema as s

    base = dict(geboortejaar=2012, wijk_code="W1", school_code=None, verwijzer="huisarts",
                hulpvorm="ambulant", aanbieder_code=None, aanmelddatum=None, reden_einde=None,
                doelrealisatie=None, financiering="zin", einddatum=None)
    end = dt.date(2025, 1, 10)
    rows = []
    for jeugdige, gap in (("J1", 0), ("J2", 365), ("J3", 366)):
        rows.append({**base, "traject_id": f"{jeugdige}a", "jeugdige_id": jeugdige,
                     "startdatum": dt.date(2024, 6, 1), "einddatum": end, "reden_einde": "volgens_plan"})
        rows.append({**base, "traject_id": f"{jeugdige}b", "jeugdige_id": jeugdige,
                     "startdatum": end + dt.timedelta(days=gap)})
    with warehouse.begin() as conn:
        conn.execute(insert(s.Wijk), handmade_warehouse.WIJKEN)
        conn.execute(insert(s.Traject), rows)
    rows = compute(warehouse, KpiRequest("pct_herinstroom", *Y, by="wijk", suppress=False)).rows
    # only J2 (365 days) returns: 1 of 3
    assert [(r.key, r.value, r.n) for r in rows] == [("W1", pytest.approx(100 / 3), 3)]


def test_the_setting_afronding(handmade, monkeypatch):
    monkeypatch.setenv("AFRONDING", "2")
    result = compute(handmade, KpiRequest("jeugdigen_met_jeugdhulp", *Y, by="wijk", min_cell_size=1))
    assert result.to_dict()["afronding"] == 2 and result.rows[0].n == 4
    for bad in ("vijf", "0", "²", "-5", "9" * 5000):
        monkeypatch.setenv("AFRONDING", bad)
        with pytest.raises(KpiRequestError, match="AFRONDING"):
            compute(handmade, KpiRequest("jeugdigen_met_jeugdhulp", *Y))
