"""A running year is not judged as if it were complete (issue 15): the demonstration data end on
30 September 2026. The overview of 2026 compares January–September with the same months of 2025,
labels the value "t/m september", leaves cumulative KPIs (counts, sums, budget share) without a
status until the year is complete, and still judges rates and means."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from dashboard.programme.overview import overview_cards
from dashboard.programme.progress import indicator_values, read_programme
from kpi import CATALOGUE, KpiRequest, compute
from kpi.service import KpiService
from tests.conftest import shared_demo


@pytest.fixture
def demo(request, backend):
    return shared_demo(request)


def test_the_overview_of_a_running_year(demo):
    service = KpiService(demo)
    assert service.data_status().data_tot == dt.date(2026, 9, 30)
    cards = {c.kpi.id: c for band in overview_cards(service, 2026, read_programme(demo)).values() for c in band}

    kosten = cards["totale_kosten"]
    assert kosten.deeljaar == "t/m september"
    assert kosten.status is None and kosten.reden == "oordeel na afloop van het jaar"
    same_months = compute(demo, KpiRequest("totale_kosten", dt.date(2025, 1, 1), dt.date(2025, 9, 30))).rows[0].value
    assert kosten.previous == same_months  # not the whole of 2025
    assert "dan t/m september 2025" in kosten.change_text
    # the latest months' declarations are still coming in: lower is no gain yet, and it says so
    for kpi_id in ("totale_kosten", "kosten_per_jeugdige"):
        text = cards[kpi_id].change_text
        assert "gunstig" not in text and text.endswith("; nog niet alle declaraties zijn binnen"), text
    assert cards["instroom"].change_text.endswith(("(gunstig)", "(ongunstig)"))  # no declarations: judged
    assert kosten.trend_labels[-1] == "2026 (t/m september)"

    for kpi_id in ("instroom", "pct_budget_besteed", "jeugdigen_met_jeugdhulp"):
        assert cards[kpi_id].status is None and cards[kpi_id].reden == "oordeel na afloop van het jaar", kpi_id
    assert "geen vergelijking met t/m september 2025" == cards["pct_budget_besteed"].change_text

    judged = [c for c in cards.values() if not c.kpi.cumulatief and not c.kpi.volgperiode_dagen
              and c.target is not None and c.value is not None]
    assert judged and all(c.status is not None for c in judged)
    # herinstroom within 12 months of an end in 2026 cannot be seen yet: no status, and why
    assert cards["pct_herinstroom"].status is None
    assert cards["pct_herinstroom"].reden == "volgperiode loopt nog"

    # a complete year is judged as before, against the whole previous year
    complete = {c.kpi.id: c for band in overview_cards(service, 2025, read_programme(demo)).values() for c in band}
    assert complete["totale_kosten"].deeljaar is None and "dan 2024" in complete["totale_kosten"].change_text
    assert complete["totale_kosten"].status is not None
    # … but an end in late 2025 has its 12 months of follow-up only by the end of 2026
    assert complete["pct_herinstroom"].status is None and "volgperiode" in complete["pct_herinstroom"].reden
    # … and a rate that still moves is not called better or worse than last year's
    for herinstroom in (cards["pct_herinstroom"], complete["pct_herinstroom"]):
        assert herinstroom.change_text.endswith("; de volgperiode loopt nog"), herinstroom.change_text
        assert "gunstig" not in herinstroom.change_text
    older = {c.kpi.id: c for band in overview_cards(service, 2024, read_programme(demo)).values() for c in band}
    assert older["pct_herinstroom"].reden == "geen streefwaarde"  # judgeable: only the target is missing


def test_programme_indicators_of_a_running_year(demo):
    service = KpiService(demo)
    programme = read_programme(demo)
    for ind in programme.indicators.values():
        if not ind.is_kpi:
            continue
        current = indicator_values(service, ind, range(2025, 2027))[-1]
        assert current.deeljaar == "t/m september"
        if CATALOGUE[ind.kpi_id].cumulatief and current.streefwaarde is not None:
            assert current.status is None and current.reden == "oordeel na afloop van het jaar", ind.code


def test_the_report_marks_the_running_year_as_the_screens_do(demo):
    """The PDF report of 2026: its charts' axis, their text alternative, the indicator table's and
    the summary's year columns say "t/m september" (the overview's words), not "t/m 30 september"
    or nothing."""
    from dashboard.exports.report_charts import lijn_svg
    from dashboard.exports.report_content import AxisSummary, lijn_section
    from dashboard.exports.report_pdf import axis_table, indicator_table
    from dashboard.programme.progress import running_year

    service = KpiService(demo)
    programme = read_programme(demo)
    years = programme.plan.jaren_met_nulmeting
    lijn = next(lijn for lijn in programme.lijnen if any(ind.is_kpi for ind in lijn.indicatoren))
    section = lijn_section(service, lijn, 2026, service.threshold, None, years)
    assert section.deeljaar == {2026: "t/m september"}
    assert "2026 (t/m september) " in section.grafiek_alt and "2026 (t/m 30 september)" not in section.grafiek_alt
    assert lijn_svg(section, service.threshold).decode().count(">(t/m september)</text>") == len(section.indicatoren)
    deeljaar = running_year(service.data_status().data_tot)
    assert deeljaar == (2026, "t/m september")
    assert '>2026<span class="context">t/m september</span></th>' in indicator_table(section, 2026, deeljaar)
    summary = axis_table(AxisSummary("Kosten", ()), 2026, deeljaar)
    assert 'Waarde 2026<span class="context">t/m september</span></th>' in summary
    assert 'Verandering t.o.v. 2025<span class="context">t/m september</span></th>' in summary
    # a complete year: the year alone, also when the data run on into the next
    earlier = lijn_section(service, lijn, 2025, service.threshold, None, years)
    assert earlier.deeljaar == {} and "(t/m" not in lijn_svg(earlier, service.threshold).decode()
    assert "Waarde 2025</th>" in axis_table(AxisSummary("Kosten", ()), 2025, deeljaar)


@pytest.fixture
def demo_runtime(demo):
    from dashboard.server import runtime

    runtime.configure(demo)
    yield demo
    runtime.reset()


def test_the_explorer_marks_the_running_year_as_the_overview_does(demo_runtime):
    """/verkenner?jaar=2026: the breakdown's title and table caption, the trend's axis and table,
    the slide and the CSV/XLSX say "2026 (t/m september)"; a quarter and a month that are complete
    are not marked, and 2025 stays "2025"."""
    import io
    from dataclasses import replace

    from dash import dcc, html
    from openpyxl import load_workbook

    from dashboard.exports.explorer_slide import explorer_slide
    from dashboard.exports.export_table import to_csv, to_xlsx
    from dashboard.pages import verkenner
    from dashboard.server import runtime
    from dashboard.ui import ids
    from dashboard.ui.state import compute_trend, from_query
    from tests.test_explorer_paging import find

    def graph(layout, graph_id):
        return next(g for g in find(layout, dcc.Graph) if getattr(g, "id", None) == graph_id).figure

    def table(layout, table_id):
        return next(t for t in find(layout, html.Table) if getattr(t, "id", None) == table_id)

    def first_cells(tbl):
        body = next(part for part in tbl.children if isinstance(part, html.Tbody))
        return [tr.children[0].children for tr in body.children]

    layout = verkenner.layout(kpi="jeugdigen_met_jeugdhulp", jaar="2026", by="wijk")
    title = "Jeugdigen met jeugdhulp per wijk, 2026 (t/m september)"
    assert graph(layout, ids.BAR).layout.title.text == title
    assert table(layout, "breakdown-table").children[0].children == title
    trend = graph(layout, ids.TREND)
    assert list(trend.data[0].x)[-2:] == ["2025", "2026 (t/m september)"]
    assert first_cells(table(layout, "trend-table"))[-2:] == ["2025", "2026 (t/m september)"]

    whole = verkenner.layout(kpi="jeugdigen_met_jeugdhulp", jaar="2025", by="wijk")
    assert graph(whole, ids.BAR).layout.title.text == "Jeugdigen met jeugdhulp per wijk, 2025"
    quarters = graph(verkenner.layout(kpi="instroom", jaar="2026", by="", per="kwartaal"), ids.TREND)
    assert "K3 2026" in list(quarters.data[0].x) and not any("t/m" in x for x in quarters.data[0].x)

    service = runtime.service()
    status = service.data_status()
    state = from_query({"kpi": "jeugdigen_met_jeugdhulp", "jaar": "2026", "by": "wijk"}, 2025)
    breakdown = service.compute(state.breakdown_request())
    text = to_csv(breakdown, status).decode("utf-8-sig")
    assert "# Periode;2026 (t/m september)" in text
    sheet = load_workbook(io.BytesIO(to_xlsx(breakdown, status))).active
    assert sheet["A1"].value == title
    per_year = to_csv(compute_trend(service, replace(state, by=None)), status).decode("utf-8-sig")
    assert "# Periode;1 januari 2019 t/m 31 december 2026 (gegevens t/m 30 september 2026)" in per_year
    assert [line.split(";")[0] for line in per_year.splitlines() if line[:2] == "20"][-2:] == [
        "2025", "2026 (t/m september)"]

    slide = explorer_slide(service, "Jeugdhulp per wijk", "?kpi=jeugdigen_met_jeugdhulp&jaar=2026&by=wijk")
    assert slide.chart.title == title
    trend_slide = explorer_slide(service, "Jeugdhulp", "?kpi=jeugdigen_met_jeugdhulp&jaar=2026&by=")
    assert trend_slide.chart.categories[-1] == "2026 (t/m september)"


@pytest.mark.parametrize("per, last", [("kwartaal", "2026-Q3"), ("maand", "2026-09")])
def test_a_trend_of_the_running_year_stops_where_the_data_end(demo, per, last):
    """The data end on 30 September 2026: no K4 2026 and no October–December, which an open traject
    would fill with the count of September (it did: 590 in each); 2025 keeps all its periods."""
    from dashboard.ui.state import compute_trend, from_query

    service = KpiService(demo)
    for kpi in ("jeugdigen_met_jeugdhulp", "totale_kosten"):
        state = from_query({"kpi": kpi, "jaar": "2026", "by": "", "per": per}, default_year=2026)
        periodes = [row.periode for row in compute_trend(service, state).rows]
        assert periodes[-1] == last, (kpi, periodes)
        assert [s.label for s in compute_trend(service, state).request.sub_periods][-1] == last
        earlier = from_query({"kpi": kpi, "jaar": "2025", "by": "", "per": per}, default_year=2026)
        assert [row.periode for row in compute_trend(service, earlier).rows][-1] == last.replace("2026", "2025").replace(
            "Q3", "Q4").replace("-09", "-12")


def test_the_running_years_value_stands_apart_from_the_line_of_whole_years(demo_runtime):
    """The lijn page's and the explorer's trend join whole years only: the nine months of 2026 (instroom
    462 against 602 in 2025) joined to the line read as a fall. The running year is an open dot of
    its own, named in the legend, and keeps its value and label."""
    from dash import dcc

    from dashboard.pages import programma_lijn, verkenner
    from dashboard.ui import figures
    from tests.test_explorer_paging import find

    def instroom_chart(layout):
        return next(g.figure for g in find(layout, dcc.Graph)
                    if g.figure.layout.title.text.startswith("Instroom (gestarte trajecten)"))

    for layout in (programma_lijn.layout(lijn="L2"), verkenner.layout(kpi="instroom", jaar="2026", by="")):
        chart = instroom_chart(layout)
        line = chart.data[0]
        assert line.name == "realisatie" and line.mode == "lines+markers"
        x = list(line.x)
        assert x[-2:] == ["2025", "2026 (t/m september)"]
        assert line.y[-1] is None and line.y[-2] is not None  # the line ends with 2025
        running = next(trace for trace in chart.data if trace.name == figures.RUNNING_NAME)
        assert list(running.x) == ["2026 (t/m september)"] and running.mode == "markers"
        assert running.marker.symbol == "circle-open" and running.y[0] < line.y[-2]
        assert running.hovertext[0] == f"2026 (t/m september): {round(running.y[0])}"

    # a whole year is drawn on the line as before
    whole = instroom_chart(verkenner.layout(kpi="instroom", jaar="2025", by=""))
    assert [t.name for t in whole.data] == ["realisatie"] and None not in list(whole.data[0].y)


def test_the_reports_charts_draw_the_running_year_as_an_open_dot_off_the_line(demo):
    """The PDF's lijn charts as the screens: the line joins whole years; 2026 (t/m september) is an
    open dot, which the legend names. A report of a whole year draws no open dot."""
    import re

    from dashboard.exports.report_charts import RUNNING_WORDS, lijn_svg
    from dashboard.exports.report_content import lijn_section

    service = KpiService(demo)
    programme = read_programme(demo)
    years = programme.plan.jaren_met_nulmeting
    lijn = next(lijn for lijn in programme.lijnen if any(ind.is_kpi for ind in lijn.indicatoren))
    section = lijn_section(service, lijn, 2026, service.threshold, None, years)
    svg = lijn_svg(section, service.threshold).decode()
    open_dots = re.findall(r'<circle cx="([\d.]+)" cy="[\d.]+" r="4.2" fill="white"', svg)
    with_2026 = [ind for ind in section.indicatoren if ind.realisaties.get(2026) is not None]
    assert with_2026 and len(open_dots) == len(with_2026) + 1  # and one in the legend
    assert f">{RUNNING_WORDS}</text>" in svg
    # no realisatie line reaches an open dot: every line's last point lies left of it
    dot_x = {round(float(x)) for x in open_dots[1:]}
    for points in re.findall(r'<polyline points="([^"]+)" fill="none" stroke="[^"]+" stroke-width="2.6"', svg):
        assert not {round(float(p.split(",")[0])) for p in points.split()} & dot_x

    from dashboard.exports.report_pdf import chart_html
    caption = "; open punt = 2026 t/m september, het jaar is nog niet compleet."
    assert caption in chart_html(section, lijn_svg(section, service.threshold), None)

    earlier = lijn_section(service, lijn, 2025, service.threshold, None, years)
    whole = lijn_svg(earlier, service.threshold).decode()
    assert 'fill="white" stroke' not in whole and RUNNING_WORDS not in whole
    assert "open punt" not in chart_html(earlier, lijn_svg(earlier, service.threshold), None)


def test_the_sparklines_draw_the_running_years_block_faint(demo_runtime):
    """The overview's cards and the programme table of 2026: the trend's last block, the nine
    months of 2026, is drawn faint (as the charts draw that year apart from the line); of 2025 every
    block is drawn alike."""
    from dash import html

    from dashboard.pages import overzicht, programma
    from dashboard.ui import components
    from tests.test_explorer_paging import find

    def sparklines(layout):
        return [s for s in find(layout, html.Span) if getattr(s, "className", None) == "sparkline"]

    assert components.sparkline([1, 2, 3]).children == "▁▄█"
    running = components.sparkline([1, 2, 3], last_partial=True).children
    assert running[0] == "▁▄" and running[1].children == "█" and running[1].className == "sparkline-partial"

    def faint(line) -> bool:
        return isinstance(line.children, list) and line.children[1].className == "sparkline-partial"

    cards = sparklines(overzicht.layout(jaar="2026"))
    assert len(cards) == 20 and all(faint(line) for line in cards)
    # the programme's table: its KPI indicators (a manual one's 2026 is quarters, no year value yet)
    rows = sparklines(programma.layout(jaar="2026"))
    kpi_rows = sum(ind.is_kpi for ind in read_programme(demo_runtime).indicators.values())
    assert sum(faint(line) for line in rows) == kpi_rows > 10
    for page in (overzicht, programma):
        assert not any(faint(line) for line in sparklines(page.layout(jaar="2025")))


def test_every_year_control_says_how_far_the_running_year_reaches(demo_runtime):
    """The controls offer "2026 (t/m september)", as every title and table says it, not a bare 2026
    that reads as the whole year; the value (the URL's ?jaar=) stays 2026, and 2025 stays "2025"."""
    import dash_bootstrap_components as dbc

    from dashboard.pages import kostengroei, overzicht, programma, standen, verkenner
    from dashboard.server import runtime
    from dashboard.ui import ids
    from tests.test_explorer_paging import find

    def options(layout, control_id) -> dict[str, str]:
        select = next(s for s in find(layout, dbc.Select) if getattr(s, "id", None) == control_id)
        return {o["value"]: o["label"] for o in select.options}

    years, default = runtime.years_available()
    controls = [(overzicht.layout(jaar="2026"), ids.JAAR),
                (programma.layout(jaar="2026"), ids.JAAR + "-programma"),
                (verkenner.layout(kpi="instroom", jaar="2026"), ids.VK_JAAR),
                (kostengroei.layout(jaar="2025"), ids.KG_JAAR),
                (standen.freeze_form(years, default), ids.STAND_JAAR)]  # the year a stand is made of
    for layout, control_id in controls:
        shown = options(layout, control_id)
        assert shown["2026"] == "2026 (t/m september)", control_id
        assert shown["2025"] == "2025", control_id
    # /kostengroei compares the months whose declarations are in: its control says the same months
    growth = kostengroei.layout(jaar="2026")
    compared = re.search(r"van 2025 naar 2026, telkens januari (t/m \w+)", str(growth))[1]
    assert options(growth, ids.KG_JAAR)["2026"] == f"2026 ({compared})"
    assert options(growth, ids.KG_VERGELIJK)["2025"] == "2025"


def test_the_programme_tables_trend_names_the_running_year_as_the_overview_does(demo_runtime):
    """/programma?jaar=2026: the indicator table's trend read "Trend 2024: 1.185, 2025: 1.183, 2026:
    1.046", nine months as a whole year. It says "2026 (t/m september)" (progress.year_text, the
    overview's words), its header too; a manual indicator's year values are the trekker's, not
    marked; and 2025 stays "2025"."""
    from dash import html

    from dashboard.pages import programma
    from tests.test_explorer_paging import find
    from tests.test_standen import texts

    def trends(layout) -> dict[str, str]:
        """{indicator name: its row's text alternative of the trend}."""
        rows = [row for row in find(layout, html.Tr) if isinstance(row.children[0].children, list)]
        return {row.children[0].children[0].children: row.children[-1].children[1].children for row in rows
                if isinstance(row.children[0].children[0], html.A)}

    layout = programma.layout(jaar="2026")
    shown = trends(layout)
    programme = read_programme(demo_runtime, vastgesteld_only=True)
    for ind in programme.indicators.values():
        if ind.is_kpi:
            assert re.fullmatch(r"Trend 2024: .+, 2025: .+, 2026 \(t/m september\): .+", shown[ind.naam]), shown[ind.naam]
    assert shown["Jeugdigen met jeugdhulp"].startswith("Trend 2024: ")
    manual = shown[programme.indicators["H01"].naam]
    assert manual.startswith("Trend 2024: ") and ", 2026: " in manual and "t/m" not in manual, manual
    tables = [t for t in find(layout, html.Table) if trends(t)]
    assert len(tables) == 8  # a table per lijn
    for table in tables:  # the header says it above every table with a value of part of 2026
        partial = any("t/m" in trend for trend in trends(table).values())
        assert ("Trend 2024–2026 (t/m september)" if partial else "Trend 2024–2026") in texts(table)

    earlier = programma.layout(jaar="2025")
    assert all("t/m" not in trend for trend in trends(earlier).values())
    assert "Trend 2024–2025" in texts(earlier)
