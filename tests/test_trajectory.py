"""De weg naar 2028 (issue 17, item 5): the pure projection in kpi/trajectory.py and the choice of
yearly points and words in dashboard/programme/road.py — answers known by hand."""
from __future__ import annotations

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy.stats import t as student_t

from dashboard.programme.progress import IndicatorView, IndicatorYear
from dashboard.programme.road import (
    TE_ONZEKER,
    TE_WEINIG_JAREN,
    VENSTER,
    Road,
    indicator_road,
    likely,
    road_of,
    verdict_text,
    yearly_points,
)
from dashboard.programme.status import NA_AFLOOP, OP_KOERS, VOLGPERIODE
from kpi.trajectory import MAX_BREEDTE, Trajectory, chance_text, project, target_range

ON_A_LINE = [(2022, 10.0), (2023, 20.0), (2024, 30.0)]  # 10 a year: 40, 50, 60, 70 in 2025–2028


# --- the line ----------------------------------------------------------------------------------

def test_points_exactly_on_a_line_project_on_that_line_with_no_margin():
    road = project(ON_A_LINE, 2028, {2027: 60.0, 2028: 75.0}, "hoger_beter")
    assert [y.jaar for y in road.jaren] == [2025, 2026, 2027, 2028]
    for year, expected in zip(road.jaren, (40, 50, 60, 70), strict=True):
        assert year.verwachting == pytest.approx(expected)
        assert year.onder == pytest.approx(expected) and year.boven == pytest.approx(expected)
    assert road.helling == pytest.approx(10)
    # 60 in 2027 reaches a streefwaarde of 60 (equal counts, as the status counts it); 70 misses 75
    assert road.year(2027).kans == 1.0
    assert road.year(2028).kans == 0.0
    assert road.year(2025).kans is None  # no streefwaarde that year


def test_lager_beter_turns_the_side_of_the_target():
    falling = [(2022, 30.0), (2023, 20.0), (2024, 10.0)]  # 0 in 2025 … clipped at 0 later
    road = project(falling, 2026, {2025: 5.0, 2026: -20.0}, "lager_beter")
    assert road.year(2025).kans == 1.0      # 0 ≤ 5
    assert road.year(2026).kans == 0.0      # −10 is not ≤ −20
    higher = project(falling, 2026, {2025: 5.0}, "hoger_beter")
    assert higher.year(2025).kans == 0.0    # 0 is not ≥ 5


def test_two_points_give_no_line():
    road = project([(2024, 420.0), (2025, 455.0)], 2028, {2028: 580.0}, "hoger_beter")
    assert road.te_weinig_punten and road.jaren == () and road.helling is None
    words = Road(road, 2028, "aantal", "hoger_beter")
    assert words.short == f"Op weg naar 2028: {TE_WEINIG_JAREN}"
    assert TE_WEINIG_JAREN == "te weinig jaren om een lijn door te trekken"


def test_the_interval_and_chance_are_those_of_a_new_observation_by_hand():
    points = [(2020, 1.0), (2021, 3.0), (2022, 2.0), (2023, 4.0), (2024, 5.0)]
    target = 7.0
    road = project(points, 2026, {2026: target}, "hoger_beter", nulmeting=1.0)
    # by hand: least squares on x = 0…4
    xs = [0, 1, 2, 3, 4]
    ys = [w for _, w in points]
    n, xbar, ybar = 5, 2.0, sum(ys) / 5
    sxx = sum((x - xbar) ** 2 for x in xs)
    slope = sum((x - xbar) * (y - ybar) for x, y in zip(xs, ys, strict=True)) / sxx
    intercept = ybar - slope * xbar
    s2 = sum((y - intercept - slope * x) ** 2 for x, y in zip(xs, ys, strict=True)) / (n - 2)
    x0 = 6  # 2026
    mean = intercept + slope * x0
    se = math.sqrt(s2 * (1 + 1 / n + (x0 - xbar) ** 2 / sxx))
    half = student_t.ppf(0.9, n - 2) * se
    year = road.year(2026)
    assert slope == pytest.approx(0.9) and road.helling == pytest.approx(slope)
    assert year.verwachting == pytest.approx(mean)
    assert (year.onder, year.boven) == (pytest.approx(mean - half), pytest.approx(mean + half))
    assert year.kans == pytest.approx(1 - student_t.cdf((target - mean) / se, n - 2))
    assert not year.te_onzeker  # width 2·half ≈ 4,6 < 2 × the range 1 → 7 (= 12)


def test_a_target_on_the_line_has_even_odds():
    points = [(2020, 1.0), (2021, 3.0), (2022, 2.0), (2023, 4.0)]
    line = project(points, 2025, {}, "hoger_beter")
    on_it = line.year(2025).verwachting
    road = project(points, 2025, {2025: on_it}, "hoger_beter", nulmeting=0.0)
    assert road.year(2025).kans == pytest.approx(0.5)
    assert likely(road.year(2025), "hoger_beter") is None  # a coin toss is not "waarschijnlijk"


def test_too_wide_an_interval_gives_no_percentage():
    noisy = [(2020, 100.0), (2021, 140.0), (2022, 90.0), (2023, 150.0), (2024, 110.0)]
    # the plan moves 100 → 104: a range of 4, far below the scatter
    road = project(noisy, 2028, {2026: 104.0, 2028: 102.0}, "hoger_beter", nulmeting=100.0)
    for year in road.jaren:
        assert year.te_onzeker and year.boven - year.onder > MAX_BREEDTE * 4
    assert road.year(2026).kans is None and road.year(2028).kans is None
    assert verdict_text(road.year(2026), "hoger_beter") == TE_ONZEKER
    words = Road(road, 2028, "aantal", "hoger_beter")
    assert words.short == "Op weg naar 2028: de onzekerheid is te groot om te oordelen"
    # a target beyond the whole margin still gets a bound, said with its uncertainty
    far = project(noisy, 2026, {2026: 300.0}, "hoger_beter", nulmeting=295.0).year(2026)
    assert far.te_onzeker and far.streefwaarde > far.boven
    assert verdict_text(far, "hoger_beter") == "<\u00a010% (grote onzekerheid)"
    assert verdict_text(far, "hoger_beter", compact=True) == "<\u00a010% (onzeker)"
    assert likely(far, "hoger_beter") is False
    low = project(noisy, 2026, {2026: 0.0}, "hoger_beter", nulmeting=5.0).year(2026)
    assert low.te_onzeker and verdict_text(low, "hoger_beter") == ">\u00a090% (grote onzekerheid)"
    assert verdict_text(low, "lager_beter") == "<\u00a010% (grote onzekerheid)"


def test_the_plan_range_without_a_route():
    assert target_range(100.0, {2025: 110.0, 2028: 90.0}) == 20.0
    assert target_range(None, {2025: 50.0, 2028: 50.0}) == pytest.approx(5.0)  # 10% of the target
    assert target_range(None, {}) == 0.0


def test_a_line_leaving_the_unit_is_clipped_and_flagged():
    falling = [(2021, 8.0), (2022, 6.0), (2023, 4.0), (2024, 2.1)]
    road = project(falling, 2028, {2028: 2.7}, "lager_beter", nulmeting=3.3, grenzen=(0.0, 100.0))
    end = road.year(2028)
    assert end.buiten_bereik and end.verwachting == 0.0 and end.onder == 0.0
    assert road.line_at(2028) < 0  # the line itself is not clipped


def test_bad_points_are_refused():
    with pytest.raises(ValueError):
        project([(2020, 1.0), (2020, 2.0), (2021, 3.0)], 2028, {}, "hoger_beter")
    with pytest.raises(ValueError):
        project(ON_A_LINE, 2028, {}, "beter")
    with pytest.raises(ValueError):
        project([(2020, 1.0), (2021, math.nan), (2022, 3.0)], 2028, {}, "hoger_beter")


# --- the chance in words ------------------------------------------------------------------------

@pytest.mark.parametrize("kans, text", [(0.0, "<\u00a05%"), (0.0499, "<\u00a05%"), (0.05, "5%"), (0.349, "35%"),
                                        (0.3749, "35%"), (0.375, "40%"), (0.95, "95%"), (0.9501, ">\u00a095%"),
                                        (1.0, ">\u00a095%")])
def test_chance_text(kans, text):
    assert chance_text(kans) == text


@given(st.floats(0, 1))
def test_chance_text_is_never_certain_and_in_steps_of_five(kans):
    text = chance_text(kans)
    assert text not in ("0%", "100%")
    if not text.startswith(("<", ">")):
        assert int(text.rstrip("%")) % 5 == 0 and abs(int(text.rstrip("%")) / 100 - kans) <= 0.025 + 1e-9


# --- properties -------------------------------------------------------------------------------

values = st.floats(-1000, 1000, allow_nan=False, allow_infinity=False)


@settings(max_examples=40, deadline=None)
@given(st.lists(values, min_size=3, max_size=7), values, values)
def test_directions_are_complements_and_a_shift_changes_nothing(ys, target, shift):
    points = [(2018 + i, y + (-1) ** i) for i, y in enumerate(ys)]  # never all on one line by chance
    nul = -1e7  # a plan range far wider than any interval here: every year is judged
    up = project(points, 2028, {2028: target}, "hoger_beter", nulmeting=nul)
    end = up.year(2028)
    assume(not end.te_onzeker and end.onder < end.boven)  # scatter, and judged
    assume(abs(target - end.verwachting) > 1e-6 * (1 + abs(target)))
    down = project(points, 2028, {2028: target}, "lager_beter", nulmeting=nul)
    assert end.kans + down.year(2028).kans == pytest.approx(1)
    assert end.onder <= end.verwachting <= end.boven
    moved = project([(j, w + shift) for j, w in points], 2028, {2028: target + shift}, "hoger_beter",
                    nulmeting=nul + shift)
    assert moved.year(2028).kans == pytest.approx(end.kans, abs=1e-6)


@settings(max_examples=40, deadline=None)
@given(st.lists(values, min_size=3, max_size=7), values, st.floats(0.1, 500))
def test_a_higher_target_is_harder_to_reach(ys, target, step):
    points = [(2018 + i, y) for i, y in enumerate(ys)]
    nul = -1e7  # every year is judged
    easier = project(points, 2027, {2027: target}, "hoger_beter", nulmeting=nul).year(2027)
    harder = project(points, 2027, {2027: target + step}, "hoger_beter", nulmeting=nul).year(2027)
    assert 0 <= harder.kans <= easier.kans + 1e-12 <= 1 + 1e-12


# --- which yearly values the line rests on ------------------------------------------------------

def _year(jaar, waarde, deeljaar=None, reden=None, suppressed=False):
    return IndicatorYear(jaar, waarde, suppressed, None, None, reden, deeljaar)


def _indicator(kpi_id=None, **kwargs) -> IndicatorView:
    base = dict(id=1, code="X01", naam="Proef", soort="effect", kpi_id=kpi_id, eenheid="aantal",
                richting="hoger_beter", omschrijving=None, lijn="L1", maatregel=None,
                nulmeting=(2024, 100.0), streefwaarden={2025: 110.0, 2026: 120.0, 2027: 130.0, 2028: 140.0})
    base.update(kwargs)
    return IndicatorView(**base)


def test_only_complete_years_count_and_at_most_the_window():
    series = [_year(j, float(j - 2000)) for j in range(2015, 2026)]
    series += [_year(2026, 1.0, deeljaar="t/m september", reden=NA_AFLOOP)]
    points = indicator_road(None, _indicator("instroom"), 2028, 2026, series=series).trajectory.punten
    assert [j for j, _ in points] == list(range(2026 - VENSTER, 2026))  # the last six complete years
    series = [_year(2022, 5.0), _year(2023, None, suppressed=True), _year(2024, 7.0), _year(2025, 8.0, reden=VOLGPERIODE),
              _year(2026, 9.0, deeljaar="t/m juni")]
    road = indicator_road(None, _indicator("instroom"), 2028, 2026, series=series)
    assert road.trajectory.punten == ((2022, 5.0), (2024, 7.0))  # suppressed, follow-up and running left out
    assert not road.has_line


def test_the_nulmeting_fills_its_year_for_a_manual_indicator_only():
    series = [_year(2023, 90.0), _year(2024, None), _year(2025, 108.0)]
    manual = indicator_road(None, _indicator(), 2028, 2025, series=series)
    assert manual.trajectory.punten == ((2023, 90.0), (2024, 100.0), (2025, 108.0))
    assert manual.basis == "lijn door 2023–2025, 3 jaar"
    kpi = indicator_road(None, _indicator("instroom"), 2028, 2025, series=series)
    assert kpi.trajectory.punten == ((2023, 90.0), (2025, 108.0))
    assert yearly_points([(2020, 1.0), (2022, 2.0), (2023, 3.0)]) == [(2020, 1.0), (2022, 2.0), (2023, 3.0)]
    gaps = road_of([(2020, 1.0), (2022, 2.0), (2023, 3.0)], _indicator(), 2028)
    assert gaps.basis == "lijn door 2020–2023, 3 jaar, met gaten"


def test_road_of_clips_to_the_unit_and_the_plan_bound():
    ind = _indicator(eenheid="%", richting="lager_beter", nulmeting=(2024, 3.3), streefwaarden={2028: 2.7})
    road = road_of([(2021, 8.0), (2022, 6.0), (2023, 4.0), (2024, 2.1)], ind, 2028)
    assert road.year(2028).verwachting == 0.0
    share = _indicator(eenheid="%", bovengrens=1000.0, nulmeting=(2024, 101.0), streefwaarden={2028: 98.0})
    rising = road_of([(2022, 99.0), (2023, 100.0), (2024, 101.0)], share, 2028)
    assert rising.year(2028).verwachting == pytest.approx(105.0)  # beyond 100%: the plan allows it


def test_status_and_chance_are_told_apart_where_they_differ():
    from dashboard.ui.road_view import contrast_note
    from tests.test_standen import texts

    ind = _indicator(streefwaarden={2026: 10.0, 2027: 50.0, 2028: 90.0}, nulmeting=(2024, 10.0))
    road = road_of([(2023, 10.0), (2024, 11.0), (2025, 12.0)], ind, 2028)  # 15 in 2028, far below 90
    assert likely(road.year(2028), "hoger_beter") is False
    note = " ".join(texts(contrast_note(road, (2025, OP_KOERS))))
    assert "2025: op koers, maar de lijn van de afgelopen jaren haalt de streefwaarde van 2028" in note
    assert "De status gaat over de stand van 2025, de kans over 2028." in note
    assert contrast_note(road, None) is None
    assert isinstance(road.trajectory, Trajectory)
