"""Another programme plan — "Jeugdplan Eemnes 2023–2027", streefwaarden 2023–2027, nulmeting 2022 —
needs no change to the code: every page, export, report and slide that names the plan or shows its
years reads them from the programme data (data.programme.plan.read_plan, ProgrammeView.plan)."""
from __future__ import annotations

import io
import json

import pytest

from tests import app_client
from tests.other_plan import GEMEENTE, NAAM, PLAN, load_other_plan

JAAR = 2025


@pytest.fixture(scope="module")
def eemnes(tmp_path_factory):
    """The demonstration data with the Eemnes plan loaded first (the demonstration then keeps it),
    the app on it, and a logged-in programmamanager."""
    import app as app_module
    from data.accounts.users import add_user
    from data.db import make_engine, migrate
    from data.warehouse.demo import load_demo

    folder = tmp_path_factory.mktemp("eemnes")
    url = f"sqlite:///{folder / 'warehouse.db'}"
    engine = make_engine(url)
    migrate(engine)
    load_other_plan(engine, folder)
    load_demo(engine)
    add_user(engine, "fuzz-pm", "Programmamanager", "programmamanager", app_client.PASSWORD)
    dash_app = app_module.create_app({"DATABASE_URL": url, "WARM_CACHE": "0"})
    dash_app.engine = engine
    client = dash_app.server.test_client()
    app_client.log_in(client, "fuzz-pm")
    dash_app.clients = {"programmamanager": client}
    yield dash_app
    app_client.close(dash_app)


def page(dash_app, path: str, search: str = "") -> str:
    answer = app_client.route_page(dash_app.clients["programmamanager"], path, search)
    assert answer.status_code == 200
    return json.dumps(answer.get_json(), ensure_ascii=False)


def programme_and_service():
    from dashboard.programme.progress import read_programme
    from dashboard.server import runtime

    return read_programme(runtime.current().engine, vastgesteld_only=True), runtime.service()


def test_the_programme_reads_the_plan_from_the_data(eemnes):
    programme, _service = programme_and_service()
    assert programme.plan == PLAN


def test_the_frame_and_the_programme_pages_name_the_plan_and_show_its_years(eemnes):
    client = eemnes.clients["programmamanager"]
    frame = json.dumps(client.get("/_dash-layout").get_json(), ensure_ascii=False)
    assert f"Jeugdmonitor · {NAAM}, gemeente {GEMEENTE} · demonstratiegegevens" in frame
    assert "Programmaplan Jeugd 2025–2028" not in frame

    overview = page(eemnes, "/programma", f"?jaar={JAAR}")
    assert f'"children": "{NAAM}"' in overview and f"Trend 2022–{JAAR}" in overview
    lijn = page(eemnes, "/programma/L1", "")
    # a row per year of the plan from the nulmeting on (2026: "2026 (t/m september)", the data's last)
    assert all(f'"children": "{year}' in lijn for year in range(2022, 2028)) and '"2028' not in lijn
    assert "nulmeting 420" in lijn  # H01's nulmeting, in 2022
    indicator = page(eemnes, "/indicator/H01", "")  # the programmamanager's form: a row per year
    assert all(f"Nieuwe streefwaarde {year}" in indicator for year in range(2023, 2028))
    assert "Nieuwe streefwaarde 2028" not in indicator and "Nieuwe streefwaarde 2022" not in indicator


def test_the_programme_pages_offer_the_plans_years(eemnes):
    """The programme pages offer the plan's years the data reach (2023–2026 of 2023–2027), not
    Huizen's 2025–2028 nor the overview's from 2019; the nulmeting's year is told it lies outside."""
    programme = page(eemnes, "/programma", "?jaar=2023")
    assert '"value": "2023"' in programme and '"value": "2022"' not in programme
    assert "valt buiten het programma" not in programme and "Indicatoren 2023:" in programme
    for path in ("/programma", "/programma/L1"):
        assert "Jaar '2022' valt buiten het programma (2023–2027); 2025 wordt getoond." in page(eemnes, path, "?jaar=2022")


def test_beheer_offers_the_plans_reporting_quarters(eemnes):
    """/beheer's quarters began in 2025 whatever the plan (a year written in the page); Eemnes's plan
    runs from 2023. A quarter outside them is said to lie outside, not not to exist."""
    beheer = page(eemnes, "/beheer", "")
    assert '"value": "2023-Q1"' in beheer and '"value": "2022-Q4"' not in beheer
    outside = page(eemnes, "/beheer", "?periode=2022-Q4")
    assert "Periode K4 2022 valt buiten de rapportageperioden van het programma (K1 2023 t/m" in outside
    assert "Periode 'onzin' bestaat niet" in page(eemnes, "/beheer", "?periode=onzin")


def test_the_report_names_the_plan_and_draws_its_years(eemnes):
    from dashboard.exports.report_charts import lijn_svg
    from dashboard.exports.report_content import build_report
    from dashboard.exports.report_pdf import report_html

    programme, service = programme_and_service()
    report = build_report(service, programme, JAAR)
    assert report.titel == f"Voortgangsrapportage {NAAM}"
    assert [cell.jaar for cell in report.lijnen[0].indicatoren[0].cells] == list(range(2022, 2028))
    assert report.lijnen[0].grafiek_alt.startswith("Grafiek: realisatie tegen streefwaarde per indicator van lijn "
                                                   "1 (Versterken van de pedagogische basis), 2022–2027.")
    html = report_html(report)
    assert f"{NAAM}, gemeente {GEMEENTE}; streefwaarden" in html
    assert "vanaf de nulmeting (2022), met de streefwaarden tot en met 2027" in html
    svg = lijn_svg(report.lijnen[0], report.drempel).decode("utf-8")
    assert ">2027</text>" in svg and ">2028</text>" not in svg


def test_the_slides_and_the_powerpoint_name_the_plan(eemnes):
    from pptx import Presentation

    from dashboard.exports.slides import build_deck
    from dashboard.exports.slides_pptx import render

    programme, service = programme_and_service()
    deck = build_deck(service, programme, JAAR)
    title = deck.slides[0]
    assert title.title == deck.titel == NAAM
    assert f"Gemeente {GEMEENTE} · commissie" in [p.text for p in title.paragraphs]
    assert title.notes[0].startswith(f"Voortgang van het {NAAM} over {JAAR}")
    assert Presentation(io.BytesIO(render(deck))).core_properties.title == f"{NAAM} – voortgang {JAAR}"


def test_the_programmes_table_has_the_plans_years(eemnes):
    from dashboard.exports.programme_export import programme_table

    programme, service = programme_and_service()
    table = programme_table(service, programme, JAAR)
    years = [column for column in table.header if column.startswith(("Realisatie ", "Streefwaarde "))]
    # the year the data end in says how far they reach (the demonstration's: t/m september 2026)
    assert years == [f"{kind} {year}" + (" (t/m september)" if (kind, year) == ("Realisatie", 2026) else "")
                     for year in range(2022, 2028) for kind in ("Realisatie", "Streefwaarde")]
    assert dict(table.about)["Inhoud"] == f"Indicatoren van het {NAAM}: realisatie en streefwaarde per jaar"


def test_a_stand_keeps_its_plan_and_an_older_stand_takes_the_warehouses(eemnes):
    from dashboard.programme.frozen import programme_from_json, programme_to_json

    programme, _service = programme_and_service()
    frozen = programme_to_json(programme)
    assert programme_from_json(json.loads(json.dumps(frozen))).plan == PLAN
    del frozen["plan"]  # a stand frozen before the plan was part of it
    assert programme_from_json(frozen, PLAN).plan == PLAN
