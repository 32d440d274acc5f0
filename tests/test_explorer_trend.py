"""The explorer's trend of a KPI asked per calendar year only (pct_budget_besteed) holds every year
from 2019, as the overview card's trend does: on screen, in its download and on its slide."""
import pytest
from dash import html

from dashboard.exports.explorer_slide import explorer_slide, view_title
from dashboard.exports.export_table import to_csv
from dashboard.programme.overview import yearly_totals
from dashboard.ui.state import compute_trend, from_query
from kpi import CATALOGUE
from kpi.service import KpiService
from tests.conftest import shared_demo
from tests.test_explorer_paging import find as of_type
from tests.test_road_pages import live, render  # noqa: F401 (live: a fixture)
from tests.test_standen import texts

BUDGET = "?kpi=pct_budget_besteed&jaar=2025&by=&per=jaar"


@pytest.fixture
def service(request, backend):
    return KpiService(shared_demo(request))


def test_every_year_is_asked_from_2019_to_the_states_year():
    state = from_query({"kpi": "pct_budget_besteed", "jaar": "2023", "by": "", "gemeente": "GM0406"},
                       default_year=2025)
    assert [(r.van.isoformat(), r.tot.isoformat()) for r in state.trend_requests()] == [
        (f"{y}-01-01", f"{y}-12-31") for y in range(2019, 2024)]
    assert {tuple(r.where.items()) for r in state.trend_requests()} == {(("gemeente", "GM0406"),)}
    assert view_title(state) == "% van begroting besteed, per jaar, 2019–2023"
    assert len(from_query({"kpi": "instroom"}, default_year=2025).trend_requests()) == 1


def test_the_trend_equals_the_overview_cards_yearly_totals(service):
    state = from_query({"kpi": "pct_budget_besteed", "jaar": "2025", "by": ""}, default_year=2025)
    trend = compute_trend(service, state)
    card = yearly_totals(service, CATALOGUE["pct_budget_besteed"], 2025, {})
    assert [row.periode for row in trend.rows] == [str(y) for y in range(2019, 2026)]
    assert [(row.periode, row.value, row.n) for row in trend.rows] == [(year, row.value, row.n) for year, row in card]


def test_the_download_and_the_slide_hold_every_year(service):
    trend = compute_trend(service, from_query({"kpi": "pct_budget_besteed", "jaar": "2025", "by": ""}, 2025))
    text = to_csv(trend).decode("utf-8-sig")
    assert "# Periode;1 januari 2019 t/m 31 december 2025" in text
    assert [line.split(";")[0] for line in text.splitlines() if line[:2] == "20"] == [str(y) for y in range(2019, 2026)]
    slide = explorer_slide(service, "Begroting", BUDGET)
    assert list(slide.chart.categories) == [str(y) for y in range(2019, 2026)]


def test_a_trend_of_kosten_says_its_last_months_are_still_coming_in(live):  # noqa: F811
    """Declarations come in months after the month: September 2026's kosten per maand fell to a few
    percent of a month's and read as costs collapsing. A trend of kosten that reaches the data's
    last year says so; one of trajecten, or of kosten years ago, does not."""
    from dashboard.pages import verkenner

    def note(**query):
        page = render(verkenner, "/verkenner", **query)
        return [p for p in of_type(page, html.P) if "declarations-note" in (getattr(p, "className", None) or "")]

    assert len(note(kpi="totale_kosten", jaar="2026", per="maand")) == 1
    assert "declaraties komen meestal één tot drie maanden" in " ".join(texts(note(kpi="kosten_per_jeugdige", jaar="2026")[0]))
    assert not note(kpi="instroom", jaar="2026", per="maand")
    assert not note(kpi="totale_kosten", jaar="2021", per="maand")
