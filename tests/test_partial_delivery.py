"""A gemeente that delivered only part of the files (trajecten and verblijf, no kosten, budget,
tevredenheid or bevolking yet): a KPI whose facts were never loaded has no value anywhere, and is
left out with a sentence that says why, on every screen and in every export, instead of a card
reading "<10" ("Totale kosten jeugdhulp: <10", as if the costs were below ten euros). The iJw
doorlooptijden, left out of the screens without iJw data, are not judged by the signals either."""
from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import delete

from dashboard.exports import report_pdf
from dashboard.exports.report_content import build_report
from dashboard.exports.slide_model import Paragraph
from dashboard.exports.slides import build_deck
from dashboard.pages import kostengroei, overzicht, verkenner
from dashboard.programme.frozen import FrozenService
from dashboard.programme.overview import overview_cards
from dashboard.programme.progress import indicator_values, read_programme
from dashboard.server import runtime, warmup
from dashboard.ui import ids
from data.db import make_engine
from data.warehouse.loader import load_folder
from data.warehouse.schema import Bevolking, Budget
from kpi import CATALOGUE, kpis_shown
from kpi.availability import empty_tables, left_out_sentence, missing_tables, not_loaded, tables_read
from kpi.cost_growth import GrowthRequest, GrowthRequestError, resolved_for
from kpi.forecast import signals as sg
from kpi.service import KpiService
from tests.beheer_support import MANAGER
from tests.demo_files import demo_copy
from tests.test_loader import VALID, write_folder
from tests.test_overview_nothing_loaded import cards
from tests.test_road_pages import live, render  # noqa: F401 (a fixture)
from tests.test_standen import find, texts

DELIVERED = ("wijken.csv", "scholen.csv", "aanbieders.csv", "trajecten.csv", "verblijf.csv")
NOT_DELIVERED = frozenset({"kosten", "budget", "tevredenheid", "bevolking"})
KOSTEN_LEFT_OUT = ("Niet getoond: Totale kosten jeugdhulp (€) en Kosten per jeugdige (€), want er zijn geen "
                   "kosten geladen; % van begroting besteed, want er zijn geen kosten en begrotingen geladen.")
TEVREDENHEID_LEFT_OUT = ("Niet getoond: Gemiddeld rapportcijfer cliënten en % cliënten tevreden (cijfer ≥ 7), "
                         "want er zijn geen tevredenheidsantwoorden geladen.")


@pytest.fixture
def partial(warehouse, tmp_path):
    """The warehouse (each backend) with only the trajecten, verblijf and their references loaded,
    configured as the app's."""
    load_folder(warehouse, write_folder(tmp_path / "levering", {name: VALID[name] for name in DELIVERED}))
    runtime.configure(warehouse)
    yield warehouse
    runtime.reset()


# --- the engine: which tables a KPI needs, which are empty ----------------------------------------

def test_the_tables_a_kpi_needs_follow_from_its_expressions():
    assert tables_read(CATALOGUE["instroom"]) == {"trajecten"}
    assert tables_read(CATALOGUE["pct_jeugdigen_met_jeugdhulp"]) == {"trajecten", "bevolking"}
    assert tables_read(CATALOGUE["pct_budget_besteed"]) == {"kosten", "budget"}
    assert tables_read(CATALOGUE["gem_tevredenheid"]) == {"tevredenheid"}
    # a catalogue-only KPI: its population on the stays makes it need them, whatever its id
    pleegzorg = dataclasses.replace(CATALOGUE["instroom"], id="instroom_met_verblijf",
                                    populatie=lambda c: c.v.verblijfsvorm == "pleegzorg")
    assert tables_read(pleegzorg) == {"trajecten", "verblijf"}
    assert missing_tables(pleegzorg, {"verblijf", "kosten"}) == ("verblijf",)


def test_the_sentences_name_the_data_that_are_missing():
    assert not_loaded(["budget", "kosten"]) == "er zijn geen kosten en begrotingen geladen"
    assert not_loaded(["bevolking"]) == "er zijn geen bevolkingscijfers geladen"
    kosten = [k for k in CATALOGUE.values() if k.as_ == "kosten"]
    assert left_out_sentence(kosten, NOT_DELIVERED) == KOSTEN_LEFT_OUT
    assert left_out_sentence(kosten, {"tevredenheid"}) is None


def test_the_data_status_names_the_empty_tables(partial):
    with partial.connect() as conn:
        assert empty_tables(conn) == NOT_DELIVERED
    status = KpiService(partial).data_status()
    assert status.leeg == NOT_DELIVERED
    shown = {k.id for k in kpis_shown(status.berichtenverkeer, status.leeg)}
    assert shown == {k.id for k in kpis_shown(False)} - {
        "pct_jeugdigen_met_jeugdhulp", "totale_kosten", "kosten_per_jeugdige", "pct_budget_besteed",
        "gem_tevredenheid", "pct_tevreden"}


@pytest.mark.usefixtures("live")
def test_a_full_delivery_leaves_nothing_out():
    status = runtime.service().data_status()
    assert status.leeg == frozenset()
    assert kpis_shown(status.berichtenverkeer, status.leeg) == kpis_shown(False)


# --- the screens ---------------------------------------------------------------------------------

def test_the_overview_leaves_out_the_kpis_without_data_and_says_why(partial):
    page = render(overzicht, "/", user=MANAGER)
    words = texts(page)
    others = [w for w in words if not w.startswith("Niet getoond")]
    assert not {"Totale kosten jeugdhulp (€)", "Kosten per jeugdige (€)", "Gemiddeld rapportcijfer cliënten",
                "% jeugdigen (0–17) met jeugdhulp"} & set(others)
    assert "Instroom (gestarte trajecten)" in others
    assert KOSTEN_LEFT_OUT in words and TEVREDENHEID_LEFT_OUT in words
    assert ("Niet getoond: % jeugdigen (0–17) met jeugdhulp, want er zijn geen bevolkingscijfers geladen."
            in words)
    assert len(cards(page)) == len(kpis_shown(False)) - 6


def test_the_explorer_says_a_kpi_without_data_has_no_values(partial):
    words = " ".join(texts(render(verkenner, "/verkenner", kpi="totale_kosten")))
    assert "Deze KPI heeft geen waarden: er zijn geen kosten geladen." in words
    assert "<10" not in words.replace("als <10 wanneer", "")  # only the small-number note's own words
    assert "Deze KPI heeft geen waarden" not in " ".join(texts(render(verkenner, "/verkenner", kpi="instroom")))
    # nothing to add to the presentation either
    assert find(render(verkenner, "/verkenner", user=MANAGER, kpi="totale_kosten"), ids.ADD_SLIDE) is None
    assert find(render(verkenner, "/verkenner", user=MANAGER, kpi="instroom"), ids.ADD_SLIDE) is not None


def test_the_cost_growth_says_there_are_no_kosten(partial):
    words = " ".join(texts(render(kostengroei, "/kostengroei")))
    assert "Deze vergelijking kan niet worden berekend: er zijn geen kosten geladen." in words
    assert "kleine aantallen" not in words.split("Hoe berekend?")[0]
    with pytest.raises(GrowthRequestError, match="er zijn geen kosten geladen"):
        resolved_for(runtime.service(), GrowthRequest(jaar=2024))  # the report's and the slides' path too


def test_signals_judge_only_the_kpis_the_screens_show(partial):
    judged = {b.kpi for b in sg.cached(runtime.service()).beoordelingen}
    assert judged and judged <= {k.id for k in kpis_shown(False, NOT_DELIVERED)}


@pytest.mark.usefixtures("live")
def test_the_signals_leave_out_the_ijw_doorlooptijden_without_ijw_data():
    """The overview's "Niet beoordeeld" named the three doorlooptijden ("waarde afgeschermd") that no
    screen shows on CSV data."""
    result = sg.cached(runtime.service())
    ijw = {k.id for k in CATALOGUE.values() if k.alleen_berichtenverkeer}
    assert result.beoordelingen and not ijw & {b.kpi for b in result.beoordelingen}
    words = " ".join(texts(render(overzicht, "/", user=MANAGER)))
    assert "doorlooptijd" not in words and "waarde afgeschermd (kleine" not in words


def test_the_warmer_warms_only_what_the_pages_list():
    kpis = {s.kpi for s in warmup.warm_states(2025, range(2019, 2027), False, NOT_DELIVERED)}
    assert kpis == {k.id for k in kpis_shown(False, NOT_DELIVERED)}


# --- the exports --------------------------------------------------------------------------------

def test_the_report_says_what_is_left_out_instead_of_an_empty_table(partial):
    service = runtime.service()
    report = build_report(service, read_programme(partial, vastgesteld_only=True), 2024)
    assen = {a.naam: a for a in report.assen}
    assert assen["Kosten"].kpis == () and assen["Kosten"].niet_getoond == KOSTEN_LEFT_OUT
    assert assen["Kwaliteit"].niet_getoond is None and assen["Kwaliteit"].kpis
    html = report_pdf.summary(report)
    kosten = html.split("1.3 Kosten")[1].split("</section>")[0]
    assert "Niet getoond: Totale kosten jeugdhulp" in kosten and "<table" not in kosten
    assert "kan niet worden getoond: er zijn geen kosten geladen" in html
    assert "Totale kosten jeugdhulp" not in " ".join(d.naam for d in report.definities)


def test_the_presentation_says_what_is_left_out(partial):
    deck = build_deck(runtime.service(), read_programme(partial, vastgesteld_only=True), 2024)
    slides = {s.title: s for s in deck.slides}
    kosten = slides["Kosten 2024"]
    assert kosten.table is None and kosten.paragraphs == (Paragraph(KOSTEN_LEFT_OUT, "secondary"),)
    assert "Niet getoond: % jeugdigen (0–17) met jeugdhulp" in " ".join(slides["Kwantiteit 2024"].notes)


def test_a_stand_keeps_which_tables_were_empty():
    record = {"versie": 2, "drempel": 10, "afronding": 5, "gemeenten": [], "labels": {}, "resultaten": {},
              "data_status": {"geladen_op": None, "data_tot": "2024-12-31", "bron": "x", "berichtenverkeer": False}}
    assert FrozenService.from_json(record, "").data_status().leeg == frozenset()  # a stand from before
    record["data_status"]["leeg"] = ["budget", "kosten"]
    assert FrozenService.from_json(record, "").data_status().leeg == {"budget", "kosten"}


class _WithoutKosten:
    """The demonstration warehouse's service, as if no kosten had been loaded."""

    def __init__(self, service):
        self._service = service

    def data_status(self):
        return dataclasses.replace(self._service.data_status(), leeg=frozenset({"kosten"}))

    def __getattr__(self, name):
        return getattr(self._service, name)


@pytest.mark.usefixtures("live")
def test_a_programme_indicator_of_a_kpi_without_data_says_so_and_is_not_hidden():
    """K18 (totale kosten) read "<10 · afgeschermd (<10)" in every year; K03 (instroom) is unchanged."""
    service = runtime.service()
    programme = read_programme(service.engine)
    indicators = {i.code: i for lijn in programme.lijnen for i in lijn.indicatoren}
    years = range(2024, 2026)
    kosten = indicator_values(_WithoutKosten(service), indicators["K18"], years)
    assert [(y.waarde, y.suppressed, y.status, y.reden) for y in kosten] == [
        (None, False, None, "geen kosten geladen")] * 2
    instroom = indicator_values(_WithoutKosten(service), indicators["K03"], years)
    assert instroom == indicator_values(service, indicators["K03"], years)


def test_a_share_without_its_years_denominator_says_which_is_missing(tmp_path):
    """The bevolking of 1 January often comes later than the trajecten: the card read "–" and
    "geen vergelijking met 2024", without a word on why."""
    engine = make_engine(demo_copy(tmp_path / "w.db"))
    try:
        with engine.begin() as conn:
            conn.execute(delete(Bevolking).where(Bevolking.jaar == 2025))
            conn.execute(delete(Budget).where(Budget.jaar == 2025))
        found = {c.kpi.id: c for band in overview_cards(KpiService(engine), 2025, None).values() for c in band}
    finally:
        engine.dispose()
    share, budget = found["pct_jeugdigen_met_jeugdhulp"], found["pct_budget_besteed"]
    assert (share.value, share.suppressed, share.change_text) == (None, False, "geen bevolkingscijfers over 2025 geladen")
    assert (budget.value, budget.change_text) == (None, "geen begroting over 2025 geladen")
    assert found["jeugdigen_met_jeugdhulp"].change_text.endswith("dan 2024 (ongunstig)") or \
        found["jeugdigen_met_jeugdhulp"].change_text.endswith("dan 2024 (gunstig)")


def test_a_stand_frozen_without_kosten_shows_the_same_sentences(partial):
    """The stand's record keeps which tables were empty, so its overview leaves out the same KPIs
    (its record holds no figures for them) and says so, whatever is loaded later."""
    from dashboard.server import stand_view
    from data.accounts.users import User
    from data.programme.stand_store import list_standen

    manager = User(1, "pm", "Petra Manager", "programmamanager", frozenset())
    outcome = stand_view.freeze_stand(manager, "2025-01-15", "Commissie", "2024")
    assert outcome.ok, outcome
    (stand,) = list_standen(partial)
    words = texts(render(overzicht, "/", stand=str(stand.id)))
    assert KOSTEN_LEFT_OUT in words and TEVREDENHEID_LEFT_OUT in words
