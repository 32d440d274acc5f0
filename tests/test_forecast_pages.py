"""The year-end forecast on the screens and in the exports (issue 17, items 1–3, 7): /prognose's
content, its URL checks, the overview's kosten line, the case without receipt dates, the
small-number verdicts, the stand, the cache warmer, the slide (model and PowerPoint read back) and
the PDF section — rendered without a browser. The demonstration forecast is computed once for the
module (the service's cache), never per test."""
from __future__ import annotations

import dataclasses
import datetime as dt

import flask
import pytest
from dash import dcc, html
from flask import g

from dashboard.pages import overzicht, prognose
from dashboard.programme.frozen import RecordingService
from dashboard.server import params, runtime, warmup
from dashboard.ui import forecast_view as view
from data.db import make_engine, migrate
from kpi.forecast import cached, texts
from kpi.forecast.year_forecast import forecast
from kpi.format import unbroken_amounts
from kpi.service import KpiService
from tests import forecast_warehouse as fw
from tests.browser import demo_warehouse
from tests.test_explorer_paging import find as of_type
from tests.test_standen import find
from tests.test_standen import texts as words

JAAR = 2026  # the demonstration data run to 30 september 2026


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    engine = make_engine(demo_warehouse(tmp_path_factory.mktemp("prognose")))
    runtime.configure(engine)
    service = runtime.service()
    yield service, cached.prognose(service, JAAR), cached.backtest(service)
    runtime.reset()
    engine.dispose()


def render(function, *args, **kwargs):
    app = flask.Flask(__name__)
    app.secret_key = "test"
    with app.test_request_context("/prognose"):
        g.jm_user = None
        return function(*args, **kwargs)


def test_the_page_shows_the_engines_forecast_and_backtest(demo):
    _service, result, backtest = demo
    page = render(prognose.content, {"jaar": JAAR, "gemeente": None, "hulpvorm": None})
    text = " ".join(words(page))
    total = result.totaal
    # the page keeps each amount with its euro sign on one line (a no-break space after '€')
    assert unbroken_amounts(texts.jaarkosten_zin(total))[1:] in text
    assert unbroken_amounts(texts.overschrijding_zin(total)) in text
    assert texts.budget_op_zin(total) in text
    for field in ("gerealiseerd", "nog_te_verwachten", "prognose_rest", "verwacht_totaal", "budget_op",
                  "overschrijding", "backtest"):
        assert texts.HOE_BEREKEND[field] in text
    assert "Hoe betrouwbaar is deze prognose?" in text and view.backtest_summary(backtest) in text
    panel = find(page, view.BACKTEST_ID)
    rows = [r for r in words(panel) if r.startswith("eind ")]
    assert rows == [f"eind {m}" for m in ("januari", "februari", "maart", "april", "mei", "juni", "juli",
                                          "augustus", "september", "oktober", "november", "december")]
    assert f"{'%.1f' % backtest.mape}".replace(".", ",") + "%" in words(panel)
    # both charts, their series, and every month of the table with the engine's amounts
    figures = {gr.id: gr.figure for gr in of_type(html.Div(page), dcc.Graph)}
    assert set(figures) == {"prognose-maanden", "prognose-opgeteld"}
    assert [t.name for t in figures["prognose-maanden"].data] == ["gedeclareerd", "nog te verwachten declaraties",
                                                                  "prognose (80%-interval)"]
    assert "begroting" in [t.name for t in figures["prognose-opgeteld"].data]
    for m in total.maanden:
        assert texts.euro(m.verwacht) in text
    assert view.cumulative(total)[0][-1] == pytest.approx(total.verwacht_totaal, rel=1e-6)
    for p in result.per_hulpvorm:
        assert p.naam in text and texts.euro(p.verwacht_totaal) in text
    # a hulpvorm has no budget of its own: no column of dashes for it
    assert "Begroting" not in words(find(page, "per-hulpvorm"))
    per_gemeente = view.series_table(result.per_gemeente, 10, "per gemeente", "Gemeente")
    assert "Afwijking van de begroting" in words(per_gemeente)
    assert "Laat" not in text and texts.MOGELIJK_ONVOLLEDIG not in text  # the demo has receipt dates


def test_the_month_tables_caption_says_per_maand_once(demo):
    """It read 'Kosten per maand 2026: gedeclareerd, nog te verwachten en prognose, per maand'."""
    page = render(prognose.content, {"jaar": JAAR, "gemeente": None, "hulpvorm": None})
    captions = [c.children for c in of_type(html.Div(page), html.Caption)]
    month = next(c for c in captions if c.startswith("Kosten per maand"))
    assert month == f"Kosten per maand {JAAR}: gedeclareerd, nog te verwachten en prognose"


def test_a_hulpvorm_shows_its_own_series(demo):
    _service, result, _backtest = demo
    verblijf = next(p for p in result.per_hulpvorm if p.sleutel == "verblijf")
    layout = render(prognose.layout, jaar=str(JAAR), hulpvorm="verblijf")
    assert "Prognose kosten 2026: Jeugdhulp met verblijf" in words(layout)
    page = render(prognose.content, {"jaar": JAAR, "gemeente": None, "hulpvorm": "verblijf"})
    text = " ".join(words(page))
    assert unbroken_amounts(texts.jaarkosten_zin(verblijf))[1:] in text
    assert find(page, "per-hulpvorm") is None  # the breakdown belongs to the total's view


@pytest.mark.parametrize("query, message", [
    ({"jaar": "20x6"}, "Jaar '20x6' is niet beschikbaar; 2026 wordt getoond."),
    ({"jaar": ["2025", "1990"]}, "Jaar '1990' is niet beschikbaar; 2026 wordt getoond."),
    ({"gemeente": "GM9999"}, "Gemeente 'GM9999' staat niet in de gegevens; alle gemeenten worden getoond."),
    ({"hulpvorm": "<script>"}, "Hulpvorm '<script>' bestaat niet; alle hulpvormen worden getoond."),
])
def test_a_bad_url_value_says_so_in_dutch_and_changes_nothing(demo, query, message):
    layout = render(prognose.layout, **query)
    assert message in words(layout)
    assert find(layout, prognose.QUERY).data == {"jaar": JAAR, "gemeente": None, "hulpvorm": None}


def test_a_forged_store_is_refused(demo):
    for data in (None, [], {"jaar": "abc"}, {"jaar": JAAR, "hulpvorm": "x"}):
        with pytest.raises(params.BadInput):
            render(prognose.checked, data)
    assert render(prognose.checked, {"jaar": 2025}) == {"jaar": 2025, "gemeente": None, "hulpvorm": None}


def test_the_overview_shows_the_line_for_the_running_year_only(demo):
    _service, result, _backtest = demo
    running = render(overzicht.layout, jaar=str(JAAR))
    assert find(running, overzicht.FORECAST_QUERY).data == {"jaar": JAAR, "gemeente": None}
    assert find(render(overzicht.layout, jaar="2025"), overzicht.FORECAST_QUERY) is None
    line = render(overzicht.forecast_line, {"jaar": JAAR, "gemeente": None})
    text = "".join(words(line)).strip()
    total = result.totaal
    assert text.startswith(f"Prognose 2026: €\xa0{total.verwacht_totaal / 1e6:.1f}".replace(".", ",") + " mln (80%: ")
    assert "verwachte overschrijding" in text and "begroting op in december" in text  # the demo: over budget
    assert find(line, view.LINE_ID).children[-1].href == "/prognose?jaar=2026"
    assert render(overzicht.forecast_line, {"jaar": 2025, "gemeente": None}) is None
    with pytest.raises(params.BadInput):
        render(overzicht.forecast_line, {"jaar": JAAR, "gemeente": "GM9999"})


def test_the_short_line_by_hand():
    p = _prognose(verwacht=14_230_000, laag=13_800_000, hoog=14_700_000, budget=13_600_000,
                  budget_op=dt.date(2026, 11, 1))
    assert view.short_line(p).replace("\xa0", "_") == (
        "Prognose 2026: €_14,2 mln (80%: €_13,8 – 14,7 mln); verwachte overschrijding €_0,6 mln (80%: €_0,2 – 1,1 "
        "mln); begroting op in november")   # "_": a no-break space, so "(80%: €" never ends a line
    under = _prognose(verwacht=12_000_000, laag=11_500_000, hoog=12_500_000, budget=13_000_000, budget_op=None)
    assert view.short_line(under).endswith("verwachte onderschrijding €\xa01,0 mln (80%: €\xa00,5 – 1,5 mln); "
                                           "begroting naar verwachting niet op dit jaar")


def _prognose(verwacht, laag, hoog, budget, budget_op):
    return view.Prognose("totaal", None, "Totaal", 2026, 0.0, 0.0, verwacht, verwacht, laag, hoog, budget, budget_op,
                         verwacht - budget, laag - budget, hoog - budget, (), "model")


def test_how_computed_names_the_model_in_words_not_its_code():
    """/prognose's "Hoe berekend?" showed "Model: ETS(A,N,A) op de logaritme: …"."""
    from kpi.forecast import model
    seasonal = dataclasses.replace(_prognose(14e6, 13e6, 15e6, 13e6, None), model=model.SEASONAL)
    assert words(view.how_computed(seasonal))[-1] == "Model: exponentiële afvlakking van niveau en seizoenspatroon."
    fallback = dataclasses.replace(seasonal, model=model.MEAN, terugval="minder dan 24 maanden historie")
    assert words(view.how_computed(fallback))[-1] == (
        f"Model: {model.MEAN} (terugval: minder dan 24 maanden historie).")


def test_the_year_table_says_over_or_under_as_the_sentence_does():
    """The table named the point by its own sign and the interval 'afwijking' in signed amounts: beside
    'verwachte overschrijding € -200.000 (80%: € -700.000 – € 300.000)' it read 'Verwachte
    onderschrijding € 200.000'. Now the same word and the same amounts as the sentence."""
    for p in (_prognose(verwacht=12_800_000, laag=12_300_000, hoog=13_300_000, budget=13_000_000, budget_op=None),
              _prognose(verwacht=12_000_000, laag=11_500_000, hoog=12_500_000, budget=13_000_000, budget_op=None),
              _prognose(verwacht=14_230_000, laag=13_800_000, hoog=14_700_000, budget=13_600_000,
                        budget_op=dt.date(2026, 11, 1))):
        rows = dict(view.year_rows(p))
        point, interval = (next(k for k in rows if k.startswith(start)) for start in ("Verwachte o", "80%-interval o"))
        word = point.removeprefix("Verwachte ")
        assert interval == f"80%-interval {word}"
        assert texts.overschrijding_zin(p) == f"verwachte {word} {rows[point]} (80%: {rows[interval]})"


def test_no_month_shows_a_declared_amount_the_kpi_layer_hides(demo):
    """/prognose?hulpvorm=crisis showed "€ 0" declared for a month without crisis kosten, where
    `kpi show totale_kosten --where hulpvorm=crisis --per maand` shows <10 (n = 0): a breakdown
    does not list a group in a month without records, so such months were never withheld."""
    from kpi.request import KpiRequest

    service, result, _backtest = demo
    peildatum = result.peildatum
    checked = withheld = 0
    for dimension, series in (("hulpvorm", result.per_hulpvorm), ("gemeente", result.per_gemeente)):
        for reeks in series:
            if reeks.afgeschermd:
                continue
            asked = service.compute(KpiRequest("totale_kosten", dt.date(JAAR, 1, 1), peildatum, per="maand",
                                               where={dimension: reeks.sleutel}))
            hidden = {row.periode for row in asked.rows if row.suppressed}
            for maand in reeks.maanden:
                label = f"{maand.maand:%Y-%m}"
                if maand.maand <= peildatum:
                    checked += 1
                    assert (maand.gerealiseerd is None) == (label in hidden), (reeks.naam, label)
                    withheld += label in hidden
    assert checked > 0 and withheld > 0   # the demonstration has such months (crisis, jeugdreclassering)


def test_a_hidden_series_shows_no_figures(demo):
    _service, result, _backtest = demo
    hidden = dataclasses.replace(result.per_hulpvorm[0], afgeschermd=True)
    shown = (hidden, *result.per_hulpvorm[1:])
    table = view.series_table(shown, 10, "per hulpvorm", "Hulpvorm")
    cells = words(table)
    assert hidden.naam in cells and "<10" in cells
    assert texts.euro(hidden.verwacht_totaal) not in cells
    page = view.forecast_content(dataclasses.replace(result, per_hulpvorm=shown), None, hulpvorm=hidden.sleutel)
    text = " ".join(words(page))
    assert "afgeschermd" in text and texts.euro(hidden.verwacht_totaal) not in text and not of_type(html.Div(page), dcc.Graph)


def test_the_rows_per_hulpvorm_say_why_they_do_not_add_up_to_the_total(demo):
    """Each hulpvorm has its own model, so the rows' sum differs from the total's forecast: the page
    says so, with both amounts; with a row afgeschermd, without the sum (it would give that row back)."""
    _service, result, _backtest = demo
    samen = sum(p.verwacht_totaal for p in result.per_hulpvorm)
    assert texts.euro(samen) != texts.euro(result.totaal.verwacht_totaal)  # the premise: they differ
    section = " ".join(words(find(render(prognose.content, {"jaar": JAAR, "gemeente": None, "hulpvorm": None}),
                                  "per-hulpvorm")))
    assert "apart voorspeld" in section and "tellen de rijen niet precies op" in section
    assert unbroken_amounts(f"Opgeteld: {texts.euro(samen)}; de prognose van het totaal: "
                            f"{texts.euro(result.totaal.verwacht_totaal)}.") in section
    hidden = (dataclasses.replace(result.per_hulpvorm[0], afgeschermd=True), *result.per_hulpvorm[1:])
    note = texts.parts_note(hidden, result.totaal, "hulpvorm")
    assert "apart voorspeld" in note and "Opgeteld" not in note
    assert texts.parts_note(result.per_hulpvorm[:1], result.totaal, "hulpvorm") is None  # one row: nothing to add


def test_the_rows_per_hulpvorm_speak_of_all_gemeenten_only_when_there_are_several(demo):
    """The demonstration warehouse holds Huizen alone: 'Alle gemeenten samen' read to a raadslid as if
    other gemeenten were counted in. With two gemeenten the rows do cover both, and the page says so."""
    _service, result, _backtest = demo
    assert len(result.per_gemeente) == 1
    section = " ".join(words(find(render(prognose.content, {"jaar": JAAR, "gemeente": None, "hulpvorm": None}),
                                  "per-hulpvorm")))
    assert "Per hulpvorm is er geen begroting." in section and "gemeenten" not in section
    two = dataclasses.replace(result, per_gemeente=(*result.per_gemeente, result.per_gemeente[0]))
    assert view.hulpvorm_scope(two) == "Alle gemeenten samen; per hulpvorm is er geen begroting."


def test_without_receipt_dates_the_latest_months_are_marked(warehouse):
    level = 120_000_00
    amounts = {("GM1", h): fw.monthly(dt.date(2021, 1, 1), dt.date(2025, 6, 1), lambda m, i: level)
               for h in ("ambulant", "verblijf")}
    fw.fill(warehouse, amounts, None)
    result = forecast(warehouse, 2025)
    assert result.mogelijk_onvolledig
    page = view.forecast_content(result, None)
    assert find(page, "prognose-onvolledig") is not None
    text = words(page)
    assert texts.GEEN_ONTVANGSTDATUM in text
    assert text.count(texts.MOGELIJK_ONVOLLEDIG) == 1  # june, the last delivered month, in the table
    june = text.index("jun 2025")
    assert text[june + 4] == texts.MOGELIJK_ONVOLLEDIG
    assert texts.MOGELIJK_ONVOLLEDIG in " ".join(words(view.overview_line(result)))


def test_a_stand_does_not_show_live_forecast_figures(demo):
    service, _result, _backtest = demo
    assert view.forecast_available(service)
    assert not view.forecast_available(RecordingService(service))
    missing = render(prognose.layout, stand="424242")
    assert "Stand 424242 bestaat niet (meer)." in words(missing) and not of_type(missing, dcc.Graph)


def test_the_warmer_computes_the_running_years_forecast(demo, tmp_path):
    service, result, _backtest = demo
    fresh = KpiService(service.engine)
    assert warmup.warm_forecast(fresh) == 2
    assert fresh.memo("prognose", (JAAR, None, fresh.threshold), lambda: pytest.fail("not warmed"), facts_only=True) == result
    empty = make_engine(f"sqlite:///{tmp_path / 'leeg.db'}")
    migrate(empty)
    assert warmup.warm_forecast(KpiService(empty)) == 0


def test_the_deck_of_the_running_year_holds_the_forecast_slide(demo):
    from dashboard.exports.slides import build_deck
    from dashboard.exports.slides_pptx import render as pptx
    from dashboard.programme.progress import read_programme
    from tests.test_slides import charts_of, open_pptx, tables_of

    service, result, backtest = demo
    programme = read_programme(service.engine, vastgesteld_only=True)
    deck = build_deck(service, programme, JAAR)
    titles = [slide.title for slide in deck.slides]
    at = titles.index("Prognose kosten jeugdhulp 2026")  # after the kosten axis and why the kosten changed
    assert titles[at - 2] == "Kosten 2026" and titles[at + 1] == "Tevredenheid 2026"
    assert deck.slides[at - 1].chart.kind == "waterval"
    slide = deck.slides[at]
    assert slide.paragraphs[0].text == unbroken_amounts(view.short_line(result.totaal) + ".")
    assert slide.paragraphs[1].text == view.backtest_summary(backtest)
    assert [(row[0].text, row[1].text) for row in slide.table.rows] == view.year_rows(result.totaal)
    assert [s.name for s in slide.chart.series] == ["Verwacht, opgeteld vanaf januari", "Begroting"]
    assert slide.chart.series[0].values[-1] == pytest.approx(result.totaal.verwacht_totaal)
    assert slide.chart.categories[:3] == ("jan", "feb", "mrt")
    assert "2025" not in " ".join(titles[at:at + 1])
    # a complete year, and a stand's (recording) service: no forecast slide
    assert "Prognose kosten jeugdhulp 2025" not in [s.title for s in build_deck(service, programme, 2025).slides]
    assert not any(s.kind == "prognose" for s in build_deck(RecordingService(service), programme, JAAR).slides)

    page = open_pptx(pptx(deck)).slides[at]
    assert page.shapes.title.text == "Prognose kosten jeugdhulp 2026"
    (chart,) = charts_of(page)
    assert [s.name for s in chart.plots[0].series] == ["Verwacht, opgeteld vanaf januari", "Begroting"]
    assert list(chart.plots[0].series[0].values)[-1] == pytest.approx(result.totaal.verwacht_totaal)
    (table,) = tables_of(page)
    cells = [table.cell(r, c).text for r in range(len(table.rows)) for c in range(2)]
    assert "Verwachte jaarkosten" in cells and texts.euro(result.totaal.verwacht_totaal) in cells
    assert view.backtest_summary(backtest) in [sh.text_frame.text for sh in page.shapes if sh.has_text_frame]


def test_the_report_section_as_pdf_text(demo):
    import subprocess

    from dashboard.exports.forecast_report import forecast_html, forecast_section
    from dashboard.exports.report_pdf import html_to_pdf

    service, result, backtest = demo
    assert forecast_section(service, 2025) is None
    section = forecast_section(service, JAAR)
    html_text = ('<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>t</title></head><body>'
                 + forecast_html(section, "1.5") + "</body></html>")
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=html_to_pdf(html_text), capture_output=True,
                          check=True).stdout.decode()
    flat = " ".join(text.split())
    assert "1.5 Prognose kosten 2026" in flat and "Hoe betrouwbaar is deze prognose?" in flat
    # the model in words for the raad, not the statistician's code "ETS(A,N,A) op de logaritme"
    assert "model: exponentiële afvlakking van niveau en seizoenspatroon." in flat and "ETS(" not in flat
    assert texts.euro(result.totaal.verwacht_totaal) in flat and "Verwachte overschrijding" in flat
    for m in backtest.per_maand:
        assert f"eind {('januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december')[m.maand - 1]}" in flat
    assert section.grafiek_alt.startswith("Kosten 2026 opgeteld vanaf januari, tegen de begroting. jan: ")


def test_the_demonstrations_backtest_is_reported_with_the_suites_output(demo, record_property):
    """The product's own accuracy on the demonstration data, as the panel shows it, printed at the
    end of the test run (conftest's `cijfers` summary): the figures are computed, not asserted."""
    from kpi.forecast.output import backtest_text

    _service, _result, backtest = demo
    lines = backtest_text(backtest)
    assert any(line.strip().startswith("alle maanden") for line in lines)
    record_property("cijfers", "\n".join(["Backtest van de jaarprognose op de demonstratiegegevens:", *lines]))


def test_a_warehouse_without_kosten_is_said_in_a_sentence(tmp_path):
    """The page showed the command line's words as they are: "het datawarehouse bevat geen kosten;
    laad eerst kosten.csv", without a capital or a full stop."""
    from dashboard.ui.components import as_sentence

    empty = make_engine(f"sqlite:///{tmp_path / 'leeg.db'}")
    migrate(empty)
    runtime.configure(empty)
    try:
        page = render(prognose.content, {"jaar": JAAR, "gemeente": None, "hulpvorm": None})
    finally:
        runtime.reset()
        empty.dispose()
    assert words(page) == ["Het datawarehouse bevat geen kosten; laad eerst kosten.csv."]
    assert as_sentence(" al een zin. ") == "Al een zin."
