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


def test_the_trend_the_page_shows_downloads_as_csv_and_excel(live):  # noqa: F811
    """/verkenner?kpi=totale_kosten&jaar=2025&per=kwartaal (no breakdown) had no download buttons, and
    with a breakdown (…&by=verwijzer&per=kwartaal) the files held the yearly breakdown only: the
    trend per kwartaal or maand could not be had as a file. Its "Tabel bij de trend" downloads as CSV
    and Excel, row for row as the page shows it — period, value, n, `<10`, counts rounded where the
    page rounds them — with the sub-periods named; the breakdown's buttons keep their file."""
    import base64
    import io

    from openpyxl import load_workbook

    from dashboard.pages import verkenner
    from dashboard.ui import ids
    from kpi import format as fmt
    from tests.test_standen import find

    def shown(cell, eenheid) -> str:  # a file's cell as the page's table writes it
        if cell in ("", None) or str(cell).startswith("<"):
            return cell or ""
        return fmt.value(float(cell.replace(",", ".")) if isinstance(cell, str) else cell, eenheid)

    def page_rows(page) -> list[list[str]]:
        body = next(part for part in find(page, "trend-table").children if isinstance(part, html.Tbody))
        return [[" ".join(texts(cell)) for cell in tr.children] for tr in body.children]

    views = [dict(kpi="totale_kosten", jaar="2025", by="", per="kwartaal"),
             dict(kpi="totale_kosten", jaar="2025", by="verwijzer", per="kwartaal"),
             dict(kpi="instroom", jaar="2025", by="school", per="maand", f="verwijzer:huisarts"),  # rounded to 5
             dict(kpi="instroom", jaar="2025", by="", per="maand", f="hulpvorm:crisis")]         # <10
    for view in views:
        search = "?" + "&".join(f"{k}={v}" for k, v in view.items())
        page = render(verkenner, "/verkenner", **view)
        eenheid = CATALOGUE[view["kpi"]].eenheid
        expected = page_rows(page)
        assert len(expected) in (8, 12)
        buttons = [" ".join(texts(b)).strip() for b in of_type(page, html.Button)]
        assert "Download trend (CSV)" in buttons and "Download trend (Excel)" in buttons, buttons
        assert find(page, ids.TREND_DOWNLOAD_CSV) is not None and find(page, ids.TREND_DOWNLOAD_XLSX) is not None

        sent, message = verkenner.download(search, "csv", trend=True)
        assert message is None and sent["filename"].endswith(f"_per_{view['per']}.csv")
        lines = base64.b64decode(sent["content"]).decode("utf-8-sig").splitlines()
        assert f"# Trend;per {view['per']}" in lines
        table = [line.split(";") for line in lines if not line.startswith("#")]
        assert table[0] == ["Periode", "Groep", "Code", f"Waarde ({eenheid})", "n"]
        assert [[p, shown(v, eenheid), shown(n, "aantal")] for p, _g, _c, v, n in table[1:]] == expected, view

        sent, message = verkenner.download(search, "xlsx", trend=True)
        sheet = load_workbook(io.BytesIO(base64.b64decode(sent["content"])))["Gegevens"]
        assert sheet["A1"].value.startswith(f"{CATALOGUE[view['kpi']].naam}, per {view['per']}, ")
        rows = [row[:5] for row in sheet.iter_rows(values_only=True)]  # a narrow table has a spare column
        first = rows.index(("Periode", "Groep", "Code", f"Waarde ({eenheid})", "n"))
        assert [[p, shown(v, eenheid), shown(n, "aantal")] for p, _g, _c, v, n in rows[first + 1:]] == expected

    # the breakdown's own buttons keep their file: the year's breakdown, as before
    search = "?kpi=totale_kosten&jaar=2025&by=verwijzer&per=kwartaal"
    breakdown = base64.b64decode(verkenner.download(search, "csv")[0]["content"]).decode("utf-8-sig").splitlines()
    assert "# Uitgesplitst naar;Verwijzer" in breakdown and "Verwijzer;Code;Waarde (€);n" in breakdown
    assert not any(line.startswith("# Trend") for line in breakdown)
