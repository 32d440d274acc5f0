"""The report's charts, drawn as plain SVG from the report model (no browser): points where the
values are, Dutch axis labels, no line across a year without a value, `<10` for a suppressed one."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from dashboard.exports.report_charts import lijn_svg, nice_ticks, tick_label
from dashboard.exports.report_content import IndicatorLine, LijnSection

SVG = "{http://www.w3.org/2000/svg}"


def indicator(naam="Jeugdigen met jeugdhulp", eenheid="aantal", realisaties=None, afgeschermd=(),
              nulmeting=(2024, 120.0), streefwaarden=None) -> IndicatorLine:
    return IndicatorLine(naam=naam, context="indicator van de lijn", herkomst="uit de gegevens",
                         soort="effectindicator", eenheid=eenheid, cells=(), status="op koers",
                         status_code="op_koers", realisaties=realisaties or {}, afgeschermd=afgeschermd,
                         nulmeting=nulmeting,
                         streefwaarden=streefwaarden or {2025: 110.0, 2026: 100.0, 2027: 90.0, 2028: 80.0})


def section(*indicators: IndicatorLine) -> LijnSection:
    return LijnSection(nummer=1, naam="Lijn", omschrijving="", samenvatting="", maatregelen=(),
                       indicatoren=indicators, grafiek_titel="Lijn 1", grafiek_alt="Grafiek",
                       jaren=range(2024, 2029))


def points(element) -> list[tuple[float, float]]:
    return [tuple(map(float, p.split(","))) for p in element.get("points").split()]


@pytest.mark.parametrize("low, high, expected", [
    (0, 8, [0, 2, 4, 6, 8]), (0, 1185, [0, 500, 1000, 1500]), (7.17, 7.7, [7.0, 7.2, 7.4, 7.6, 7.8]),
    (0, 0, [0, 0.25, 0.5, 0.75, 1]), (0, 17.3, [0, 5, 10, 15, 20])])
def test_axis_ticks_are_round_numbers_around_the_values(low, high, expected):
    assert nice_ticks(low, high) == pytest.approx(expected)


def test_axis_labels_are_dutch():
    assert tick_label(2.5, "€", 1e6, 2.5) == "€ 2,5 mln" and tick_label(0, "€", 1e6, 5) == "€ 0"
    assert tick_label(15000, "€", 1, 5000) == "€ 15.000"
    assert tick_label(7.5, "%", 1, 2.5) == "7,5%"
    assert tick_label(1000, "aantal", 1, 500) == "1.000"
    assert tick_label(7.4, "cijfer", 1, 0.2) == "7,4"


def test_points_sit_at_their_values_and_a_gap_is_not_bridged():
    ind = indicator(realisaties={2024: 100.0, 2025: None, 2026: 60.0, 2027: 50.0}, afgeschermd=(2025,))
    svg = ET.fromstring(lijn_svg(section(ind), threshold=10))
    lines = svg.findall(f"{SVG}polyline")
    # the legend's two samples, then the dashed path and the realisatie from 2026 on
    dashed = [points(l) for l in lines if l.get("stroke-dasharray")][1:]
    solid = [points(l) for l in lines if not l.get("stroke-dasharray")][1:]
    assert [len(p) for p in dashed] == [5]       # nulmeting 2024 and the four streefwaarden
    assert [len(p) for p in solid] == [2]        # 2026–2027; 2024 stands alone, 2025 is suppressed
    dots = [(float(c.get("cx")), float(c.get("cy"))) for c in svg.findall(f"{SVG}circle")][1:]
    assert len(dots) == 3                        # 2024, 2026, 2027
    (x24, y100), (x26, y60), (x27, y50) = dots
    assert x24 < x26 < x27 and y100 < y60 < y50  # higher values higher up (smaller y)
    assert y60 - y100 == pytest.approx(4 * (y50 - y60), abs=0.5)  # a linear scale: 40 vs 10
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert "<10" in texts and "Jeugdigen met jeugdhulp" in texts
    assert [t for t in texts if t and t.isdigit() and len(t) == 4] == ["2024", "2025", "2026", "2027", "2028"]


def test_one_panel_per_indicator_three_to_a_row():
    inds = [indicator(naam=f"Indicator {i}") for i in range(5)]
    svg = ET.fromstring(lijn_svg(section(*inds), threshold=10))
    assert int(svg.get("height")) > int(ET.fromstring(lijn_svg(section(*inds[:3]), 10)).get("height"))
    titles = [t for t in svg.iter(f"{SVG}text") if (t.text or "").startswith("Indicator ")]
    assert len(titles) == 5 and len({t.get("x") for t in titles}) == 3
    assert lijn_svg(section(), threshold=10) is None


def test_the_year_the_data_end_in_says_how_far_they_reach_under_its_year():
    """2026 is shown with its data up to September: its axis label says "(t/m september)" under
    the year, inside its panel, on every panel of the lijn (one axis), as the screens say
    "2026 (t/m september)"; the text alternative says it too."""
    from dashboard.exports.report_content import chart_alt

    partial = {2026: "t/m september"}
    running = indicator(realisaties={2024: 100.0, 2025: 90.0, 2026: 60.0})
    running = IndicatorLine(**{**running.__dict__, "deeljaar": partial})
    other = indicator(naam="Handmatig", realisaties={2024: 100.0, 2025: 90.0})
    lijn = LijnSection(**{**section(running, other, running).__dict__, "deeljaar": partial})
    svg = ET.fromstring(lijn_svg(lijn, threshold=10))
    notes = [t for t in svg.iter(f"{SVG}text") if t.text == "(t/m september)"]
    assert len(notes) == 3                                   # one per panel, the same axis
    labels = [(float(t.get("x")), float(t.get("y"))) for t in svg.iter(f"{SVG}text") if t.text == "2026"]
    for note in notes:   # right under its year, centred on it
        x, y = float(note.get("x")), float(note.get("y"))
        assert any(abs(x - lx) < 1 and abs(y - 13 - ly) < 1 for lx, ly in labels), (x, y, labels)
    # kept inside its panel when the year is the last of the axis
    last = LijnSection(**{**lijn.__dict__, "deeljaar": {2028: "t/m 15 september"}})
    (note,) = [t for t in ET.fromstring(lijn_svg(last, 10)).iter(f"{SVG}text") if t.text == "(t/m 15 september)"][:1]
    assert float(note.get("x")) + 45 < 760 / 3              # half its width (~44 px at 11 px) within the panel

    alt = chart_alt("1 (Lijn)", (running, other), 10, range(2024, 2029))
    assert "realisatie 2024 100, 2025 90, 2026 (t/m september) 60;" in alt
    assert "Handmatig: nulmeting 2024 120; realisatie 2024 100, 2025 90;" in alt


def test_the_legend_names_the_running_years_dot_only_when_a_panel_draws_one():
    """2026 (t/m september) with its realisatie <10 in every panel draws no open dot, and the legend
    promised one: "tot nu toe (jaar nog niet compleet)". With one value in one panel, it says so."""
    from dashboard.exports.report_charts import RUNNING_WORDS

    partial = {2026: "t/m september"}

    def lijn(*realisaties):
        lines = [IndicatorLine(**{**indicator(realisaties=r).__dict__, "deeljaar": partial}) for r in realisaties]
        return LijnSection(**{**section(*lines).__dict__, "deeljaar": partial})

    suppressed = lijn({2024: 100.0, 2025: 90.0, 2026: None}, {2024: 7.0, 2025: 7.2})
    assert RUNNING_WORDS not in lijn_svg(suppressed, threshold=10).decode()
    shown = lijn({2024: 100.0, 2025: 90.0, 2026: None}, {2024: 7.0, 2025: 7.2, 2026: 7.4})
    assert RUNNING_WORDS in lijn_svg(shown, threshold=10).decode()


def test_a_whole_year_has_no_note_under_it():
    svg = lijn_svg(section(indicator(realisaties={2024: 100.0, 2025: 90.0})), threshold=10).decode()
    assert "t/m" not in svg


def test_the_forecast_chart_has_round_ticks_like_the_lijnen():
    """The report's forecast (section 1.6) divided its axis in fifths of the peak: "€ 3,6 mln",
    "€ 7,2 mln", "€ 10,8 mln" read as figures of their own. Round steps, as every other chart."""
    from dashboard.exports.forecast_report import ForecastSection, forecast_svg

    expected = [1.1e6 * (month + 1) for month in range(12)]  # to € 13,2 mln in December
    s = ForecastSection(titel="Prognose kosten 2026", kern="", basis="", jaarcijfers=(), backtest=(),
                        maanden=tuple((f"{m} 2026", "", "", "", "") for m in ("jan", "feb", "mrt", "apr", "mei", "jun",
                                                                               "jul", "aug", "sep", "okt", "nov", "dec")),
                        betrouwbaarheid="", grafiek_alt="Grafiek", opgeteld=tuple(expected), begroting=12.824e6,
                        laag=13.4e6, hoog=14.5e6, hoe_berekend="")
    axis = [t.text for t in ET.fromstring(forecast_svg(s)).iter(f"{SVG}text") if t.get("text-anchor") == "end"]
    assert axis == ["€ 0", "€ 5 mln", "€ 10 mln", "€ 15 mln"]
