"""Vastgestelde standen (issue 5): frozen figures do not move, suppression stays, only the
programmamanager writes — on SQLite and PostgreSQL, through the pure functions and over HTTP."""
from __future__ import annotations

import datetime as dt
import json
import logging

import pytest
from dash import no_update
from sqlalchemy import func, select, update

from dashboard.programme.frozen import FrozenService, NotInSnapshot, RecordingService, request_from_json
from dashboard.programme.progress import read_programme
from dashboard.programme.stand_freeze import list_snapshots, load_snapshot
from dashboard.server import runtime, stand_source, stand_view
from data import schema as s
from data.accounts.users import User
from data.programme import stand_store
from data.warehouse.demo import load_demo
from kpi import KpiRequest
from kpi import format as fmt
from tests.conftest import shared_demo

PM = User(1, "pm", "Petra Manager", "programmamanager", frozenset())
LEZER = User(2, "raad", "Raadslid", "lezer", frozenset())
TREKKER = User(3, "trekker", "Trekker", "trekker", frozenset({"1.1"}))
TODAY = dt.date.today()
SCHOOL_VIEW = "?kpi=instroom&jaar=2025&by=school&per=jaar"


@pytest.fixture
def live(warehouse):
    runtime.configure(warehouse)
    yield warehouse
    runtime.reset()


@pytest.fixture
def demo_live(request, backend):
    """`live` holding the demonstration data (shared; put back after a test that wrote to it)."""
    engine = shared_demo(request)
    runtime.configure(engine)
    yield engine
    runtime.reset()


def texts(component) -> list[str]:
    """Every string in a Dash component tree (what a reader sees, figures left out)."""
    found = []

    def walk(node):
        if isinstance(node, str):
            found.append(node)
        elif isinstance(node, (list, tuple)):
            for item in node:
                walk(item)
        elif hasattr(node, "children"):
            walk(node.children)
    walk(component)
    return found


def slide_texts(slides) -> list[list[str]]:
    return [[slide.title] + texts(slide.body) for slide in slides]


def count(engine, table) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(table))


# --- the promise: frozen numbers do not move ----------------------------------------------------

def test_stand_keeps_its_numbers_when_data_and_targets_change(demo_live):
    from dashboard.exports.presentation_deck import build_slides
    from dashboard.programme.overview import overview_cards

    engine = demo_live
    assert stand_view.add_view(PM, SCHOOL_VIEW).ok
    service = runtime.service()
    programme = read_programme(engine, vastgesteld_only=True)  # a stand is what the raad sees
    cards = overview_cards(service, 2025, programme)
    slides = slide_texts(build_slides(2025))
    from dashboard.exports.report_content import build_report
    from dashboard.exports.slides import build_deck

    moment = dt.datetime(2026, 11, 12, 9, 0)
    report = build_report(service, programme, 2025, now=moment)
    deck = build_deck(service, programme, 2025)
    outcome = stand_view.freeze_stand(PM, TODAY.isoformat(), "Commissie Samenleving", "2025")
    assert outcome.ok, outcome.message
    assert outcome.message == f"Stand per {fmt.datum(TODAY)} is vastgelegd (Commissie Samenleving)."
    stand_id = list_snapshots(engine)[0].id

    # Every recorded result came through the database's JSON column exactly: values, n, flags, types.
    frozen = load_snapshot(engine, stand_id)
    with engine.connect() as conn:
        inhoud = conn.scalar(select(s.Stand.inhoud).where(s.Stand.id == stand_id))
    assert len(inhoud["resultaten"]) > 40  # overview, slides, programme values, the added view
    for item in inhoud["resultaten"].values():
        request = request_from_json(item["vraag"])
        expected = service.compute(request).rows
        got = frozen.compute(request).rows
        assert got == expected
        assert [(type(r.value), type(r.n), type(r.suppressed)) for r in got] == \
               [(type(r.value), type(r.n), type(r.suppressed)) for r in expected]
    assert frozen.programme == programme

    # A snapshot never holds small numbers: suppressed rows carry no value and no n.
    threshold = inhoud["drempel"]
    assert threshold == 10
    all_rows = [row for item in inhoud["resultaten"].values() for row in item["rijen"]]
    hidden = [row for row in all_rows if row[5]]
    assert hidden, "the school view should have suppressed schools"
    assert all(row[3] is None and row[4] is None for row in hidden)
    assert all(row[4] is None or row[4] >= threshold for row in all_rows if not row[5])

    # Now new data is loaded and a streefwaarde is changed.
    kpi_id = next(c.kpi.id for band in cards.values() for c in band if c.target is not None)
    indicator = programme.indicator_for_kpi(kpi_id)
    with engine.begin() as conn:
        conn.execute(update(s.Streefwaarde).where(s.Streefwaarde.indicator_id == indicator.id,
                                                  s.Streefwaarde.jaar == 2025, s.Streefwaarde.soort != "nulmeting")
                     .values(waarde=s.Streefwaarde.waarde + 7))
    load_demo(engine, seed=2031)
    service.invalidate()

    frozen, frozen_programme, label = stand_source.service_and_programme(str(stand_id))
    assert label == f"Stand per {fmt.datum(TODAY)} — Commissie Samenleving"
    assert overview_cards(frozen, 2025, frozen_programme) == cards
    new_cards = overview_cards(service, 2025, read_programme(engine))
    changed = {c.kpi.id: c for band in new_cards.values() for c in band}
    old = {c.kpi.id: c for band in cards.values() for c in band}
    assert changed[kpi_id].target == old[kpi_id].target + 7
    assert any(changed[k].value != old[k].value for k in old)

    # The exports of the stand (PDF report, PowerPoint) say what they said before the change.
    frozen_report = build_report(frozen, frozen_programme, 2025, now=moment, stand=label)
    assert (frozen_report.assen, frozen_report.lijnen) == (report.assen, report.lijnen)
    assert frozen_report.stand == label
    from dashboard.exports.report_pdf import report_html

    # "Vastgestelde stand: per 12 november 2025 — …", not "Vastgestelde stand: Stand per …"
    assert label.startswith("Stand per ")
    assert f"<dt>Vastgestelde stand</dt><dd>{label.removeprefix('Stand ')}</dd>" in report_html(frozen_report)
    assert build_deck(frozen, frozen_programme, 2025).slides == deck.slides
    assert build_report(service, read_programme(engine, vastgesteld_only=True), 2025,
                        now=moment).assen != report.assen

    frozen_slides = slide_texts(build_slides(2025, frozen, frozen_programme, stand_source.frozen_dias(frozen),
                                             f"Stand per {fmt.datum(TODAY)}"))
    assert frozen_slides[1:] == slides[1:]
    assert f"Stand per {fmt.datum(TODAY)}" in frozen_slides[0]
    assert slide_texts(build_slides(2025))[1:] != slides[1:]
    added = frozen_slides[-1]
    assert added[0] == "Instroom (gestarte trajecten) per school, 2025" and "<10" in added

    # Anything outside the snapshot is refused with a clear message, not computed.
    with pytest.raises(NotInSnapshot) as refused:
        frozen.compute(KpiRequest.for_year("instroom", 2021, by="wijk"))
    assert str(refused.value) == f"deze weergave zit niet in de vastgelegde stand van {fmt.datum(TODAY)}"
    with pytest.raises(NotInSnapshot):
        frozen.compute(KpiRequest.for_year("instroom", 2025, by="school", suppress=False))


def test_recording_round_trips_through_json_exactly(demo_live):
    from dashboard.programme.overview import overview_cards

    live = demo_live
    recorder = RecordingService(runtime.service())
    programme = read_programme(live)
    overview_cards(recorder, 2024, programme)
    recorder.compute(KpiRequest.for_year("kosten_per_jeugdige", 2025, by="hulpvorm"))
    data = json.loads(json.dumps(recorder.to_json(programme)))
    frozen = FrozenService.from_json(data, "1 januari 2026")
    assert frozen.recorded == len(recorder.results)
    for request, rows in recorder.results.values():
        again = frozen.compute(request).rows
        assert again == rows
        assert [repr(r.value) for r in again] == [repr(r.value) for r in rows]
    assert frozen.data_status() == recorder.data_status()
    with pytest.raises(Exception, match="afgeschermde"):
        recorder.compute(KpiRequest.for_year("instroom", 2025, suppress=False))


# --- who may write ---------------------------------------------------------------------------

@pytest.mark.parametrize("user, expected", [
    (None, "Log eerst in om iets te wijzigen."),
    (LEZER, "Alleen de programmamanager kan dit doen."),
    (TREKKER, "Alleen de programmamanager kan dit doen."),
])
def test_only_the_programmamanager_writes(live, caplog, user, expected):
    engine = live
    assert stand_view.freeze_stand(PM, TODAY, "Eerste stand", 2025).ok
    assert stand_view.add_view(PM, SCHOOL_VIEW).ok
    assert stand_view.add_view(PM, "?kpi=totale_kosten&jaar=2025&by=&per=maand").ok
    stand_id = list_snapshots(engine)[0].id
    dia_id = [d.id for d in stand_view.stand_store.list_dias(engine)][0]
    before = (count(engine, s.Stand), count(engine, s.PresentatieDia), count(engine, s.Wijziging),
              [d.id for d in stand_view.stand_store.list_dias(engine)])
    caplog.set_level(logging.WARNING, logger="jeugdmonitor.security")
    attempts = [stand_view.freeze_stand(user, TODAY, "Niet toegestaan", 2025),
                stand_view.delete_stand(user, stand_id),
                stand_view.add_view(user, SCHOOL_VIEW),
                stand_view.move_dia(user, dia_id, 1),
                stand_view.remove_dia(user, dia_id)]
    assert [(o.ok, o.message) for o in attempts] == [(False, expected)] * 5
    after = (count(engine, s.Stand), count(engine, s.PresentatieDia), count(engine, s.Wijziging),
             [d.id for d in stand_view.stand_store.list_dias(engine)])
    assert after == before
    refusals = [r for r in caplog.records if r.name == "jeugdmonitor.security"]
    assert len(refusals) == 5 and all("geweigerd" in r.getMessage() for r in refusals)


def test_manager_writes_are_audited_and_slides_reorder(live):
    engine = live
    assert stand_view.add_view(PM, SCHOOL_VIEW).ok
    assert stand_view.add_view(PM, "?kpi=totale_kosten&jaar=2025&by=&per=maand").ok
    first, second = [d.id for d in stand_view.stand_store.list_dias(engine)]
    assert stand_view.move_dia(PM, second, -1).ok
    assert [d.id for d in stand_view.stand_store.list_dias(engine)] == [second, first]
    assert stand_view.move_dia(PM, second, -1).message == "Deze dia staat al bovenaan."
    assert stand_view.add_view(PM, SCHOOL_VIEW) == stand_view.Outcome(False, "Deze weergave staat al in de presentatie.")
    # a stand's id is no part of a slide: the live view is added (here: the same one)
    assert stand_view.add_view(PM, SCHOOL_VIEW + "&stand=1") == \
        stand_view.Outcome(False, "Deze weergave staat al in de presentatie.")
    filtered = stand_view.add_view(PM, "?kpi=instroom&jaar=2024&by=wijk&f=verwijzer:huisarts")
    trend = stand_view.add_view(PM, "?kpi=gem_wachttijd&jaar=2025&by=&per=kwartaal")
    assert filtered.message == "Toegevoegd aan de presentatie: Instroom (gestarte trajecten) per wijk, 2024 " \
                               "(verwijzer: Huisarts)."
    assert [d.weergave for d in stand_view.stand_store.list_dias(engine)][-2] == \
        "?kpi=instroom&jaar=2024&by=wijk&per=jaar&f=verwijzer%3Ahuisarts"
    assert trend.message == "Toegevoegd aan de presentatie: Gemiddelde wachttijd (dagen), per kwartaal, 2024–2025."
    for extra in stand_view.stand_store.list_dias(engine)[-2:]:
        assert stand_view.remove_dia(PM, extra.id).ok
    assert stand_view.remove_dia(PM, first).ok
    assert [d.id for d in stand_view.stand_store.list_dias(engine)] == [second]
    assert stand_view.freeze_stand(PM, TODAY, "Stand", 2025).ok
    stand_id = list_snapshots(engine)[0].id
    assert stand_view.delete_stand(PM, stand_id).ok
    assert list_snapshots(engine) == []
    with engine.connect() as conn:
        audit = conn.execute(select(s.Wijziging.tabel, s.Wijziging.veld, s.Wijziging.door)
                             .order_by(s.Wijziging.id)).all()
    assert [(a.tabel, a.veld) for a in audit] == [
        ("presentatie_dia", "toegevoegd"), ("presentatie_dia", "toegevoegd"), ("presentatie_dia", "volgorde"),
        ("presentatie_dia", "toegevoegd"), ("presentatie_dia", "toegevoegd"),
        ("presentatie_dia", "verwijderd"), ("presentatie_dia", "verwijderd"),
        ("presentatie_dia", "verwijderd"), ("stand", "vastgelegd"), ("stand", "verwijderd")]
    assert {a.door for a in audit} == {"pm"}


def test_a_removed_stand_number_is_never_given_again(live):
    """A raadslid's link to a removed stand says it is gone: the number is not handed to the next
    stand (SQLite gave a removed newest stand's number again; PostgreSQL's sequence never did)."""
    engine = live
    first = stand_store.insert_stand(engine, PM, TODAY, "Commissie", 2025, {})
    removed = stand_store.insert_stand(engine, PM, TODAY, "Raad", 2026, {})
    stand_store.delete_stand(engine, PM, removed)
    again = stand_store.insert_stand(engine, PM, TODAY, "Raad, verbeterd", 2026, {})
    assert again not in (first, removed)
    with pytest.raises(stand_store.StandError, match=rf"^Stand {removed} bestaat niet \(meer\)\.$"):
        load_snapshot(engine, removed)


def test_bad_input_gets_a_dutch_message(live):
    morgen = TODAY + dt.timedelta(days=1)
    cases = [
        (("morgen", "x", 2025), "Peildatum 'morgen' is geen datum (schrijf bijvoorbeeld 12-11-2026)."),
        (("31-02-2026", "x", 2025), "Peildatum '31-02-2026' is geen datum (schrijf bijvoorbeeld 12-11-2026)."),
        ((morgen.isoformat(), "x", 2025), f"De peildatum ligt in de toekomst ({fmt.datum(morgen)}); "
                                          "een stand legt de cijfers van nu vast."),
        ((None, "x", 2025), "Geef een peildatum op."),
        ((TODAY.isoformat(), "  ", 2025), "Geef een titel op."),
        ((TODAY.isoformat(), "x" * 201, 2025), "De titel is te lang: 201 tekens, ten hoogste 200. Maak hem korter; "
                                                 "er is niets opgeslagen."),
        ((TODAY.isoformat(), "x", "twintig"), "Jaar 'twintig' is geen jaartal."),
        ((TODAY.isoformat(), "x", 2018), f"Kies een jaar van 2019 tot en met {TODAY.year}."),
        # a year the form offers, after a peildatum typed long ago: the peildatum is named as the cause
        (("1-1-2019", "x", 2025), "Het jaar 2025 ligt na de peildatum (1 januari 2019): kies een jaar tot en met "
                                  "2019, of een latere peildatum."),
    ]
    for args, message in cases:
        assert stand_view.freeze_stand(PM, *args) == stand_view.Outcome(False, message)
    assert stand_view.delete_stand(PM, 999) == stand_view.Outcome(False, "Stand 999 bestaat niet (meer).")
    assert stand_view.remove_dia(PM, 999).message == "Deze dia staat niet (meer) in de presentatie."
    for forged in ({"x": 1}, [1], None, "1; drop", True):  # what a client could POST as a pattern id
        assert stand_view.delete_stand(PM, forged) == stand_view.Outcome(False, "Onbekende stand.")
        assert stand_view.move_dia(PM, forged, 1) == stand_view.Outcome(False, "Onbekende dia.")
        assert stand_view.remove_dia(PM, forged) == stand_view.Outcome(False, "Onbekende dia.")
    assert stand_view.freeze_stand(PM, ["x"], ["y"], ["z"]) == stand_view.Outcome(False, "Geef een peildatum op.")
    assert stand_view.freeze_stand(PM, TODAY, ["y"], 2025) == stand_view.Outcome(False, "Geef een titel op.")
    for forged in ({"kpi": "instroom"}, None, "", "?"):
        assert stand_view.add_view(PM, forged) == stand_view.Outcome(
            False, "Deze weergave kan niet aan de presentatie worden toegevoegd.")
    bad = stand_view.add_view(PM, "?kpi=bestaat_niet")
    assert not bad.ok and "Onbekende KPI 'bestaat_niet'" in bad.message
    assert count(live, s.Stand) == 0 and count(live, s.PresentatieDia) == 0


def test_a_pasted_peildatum_is_not_cut_and_its_refusal_quotes_what_was_typed(live):
    """The field's maxLength (20) cut a longer paste without a word, and "geen datum" then quoted
    the cut text as if it were what was typed. Now the field cuts nothing, the refusal quotes the
    paste (shortened with "…" when very long), and only a text no field could send is refused up
    front, as for the other fields (params.typed_text)."""
    from dashboard.pages import standen
    from dashboard.server.params import SENT_TEXT_FACTOR, BadInput
    from dashboard.ui import ids

    def field(node):
        if isinstance(node, (list, tuple)):
            return next((f for f in map(field, node) if f is not None), None)
        if getattr(node, "id", None) == ids.STAND_PEILDATUM:
            return node
        return field(node.children) if hasattr(node, "children") else None

    assert getattr(field(standen.freeze_form(range(2019, 2027), 2025)), "maxLength", None) is None
    typed = "12-11-2025 (de vergadering van de commissie Sociaal Domein)"   # 60 characters
    assert standen.form_values(typed, "Commissie", "2025") == (typed, "Commissie", "2025")
    assert stand_view.freeze_stand(PM, *standen.form_values(typed, "Commissie", "2025")) == stand_view.Outcome(
        False, "Peildatum '12-11-2025 (de vergadering van de commis…' is geen datum "
               "(schrijf bijvoorbeeld 12-11-2026).")
    short = "12-11-2025 (commissie)"   # 22 characters: the field cut it to "12-11-2025 (commissi"
    assert stand_view.freeze_stand(PM, short, "Commissie", 2025).message == (
        "Peildatum '12-11-2025 (commissie)' is geen datum (schrijf bijvoorbeeld 12-11-2026).")
    with pytest.raises(BadInput, match=r"^De peildatum is te lang: 2\.001 tekens, ten hoogste 2\.000\.$"):
        standen.form_values("1" * (SENT_TEXT_FACTOR * 40 + 1), "Commissie", "2025")
    assert count(live, s.Stand) == 0


def test_the_title_field_names_its_limit_and_cuts_nothing(live):
    """Its maxLength cut a longer paste at 200 characters without a word; now the label names the
    limit and a longer title is refused with its length (test_bad_input_gets_a_dutch_message)."""
    from dashboard.pages import standen
    from dashboard.ui import ids

    form = standen.freeze_form(range(2019, 2027), 2025)
    found = {}

    def walk(node):
        if isinstance(node, (list, tuple)):
            for item in node:
                walk(item)
            return
        if getattr(node, "id", None) == ids.STAND_TITEL:
            found["field"] = node
        if getattr(node, "html_for", None) == ids.STAND_TITEL:
            found["label"] = node.children
        if hasattr(node, "children"):
            walk(node.children)
    walk(form)
    assert getattr(found["field"], "maxLength", None) is None
    assert found["label"] == "Titel (ten hoogste 200 tekens)"


def test_the_page_says_a_stand_holds_the_figures_of_when_it_was_made(live):
    """A stand holds the warehouse's figures at the moment of freezing; the page said 'zoals ze op de
    peildatum waren', which a stand per a past peildatum contradicts (architecture.md, stand_freeze)."""
    from dashboard.pages import standen

    intro = texts(standen.layout())[1]
    assert "op het moment van vastleggen" in intro and "op de peildatum waren" not in intro


def test_a_peildatum_is_read_the_dutch_way():
    from dashboard.programme.stand_freeze import parse_datum

    for text in ("12-11-2026", "12/11/2026", " 12 November  2026 ", "2026-11-12", "12.11.2026"):
        assert parse_datum(text) == dt.date(2026, 11, 12), text
    for text in ("11/31/2026", "12 nov 2026", "2026", ""):
        assert parse_datum(text) is None, text


def find(component, component_id):
    """The component with `component_id` in a Dash tree, or None."""
    if getattr(component, "id", None) == component_id:
        return component
    children = getattr(component, "children", None) if not isinstance(component, (list, tuple)) else component
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if child is not None and not isinstance(child, str):
            found = find(child, component_id)
            if found is not None:
                return found
    return None


def hrefs(component) -> list[str]:
    found = []

    def walk(node):
        if isinstance(node, (list, tuple)):
            for item in node:
                walk(item)
        elif hasattr(node, "children") or hasattr(node, "href"):
            if getattr(node, "href", None):
                found.append(node.href)
            walk(getattr(node, "children", None))
    walk(component)
    return found


def _download_lines(sent: dict) -> list[str]:
    import base64

    return base64.b64decode(sent["content"]).decode("utf-8").lstrip("\ufeff").splitlines()


def test_everything_reached_from_a_stand_shows_that_stand(demo_live):
    """A stand's overview links to its presentation, PowerPoint, PDF and tables, and its cards'
    "Bekijk in de verkenner" open the explorer in that stand: the stand's figures (also in the
    download), labelled; a view the stand did not record says so, with a link to the live view."""
    from urllib.parse import parse_qsl, urlencode, urlsplit

    from dashboard.pages import overzicht, verkenner

    live = demo_live
    assert stand_view.freeze_stand(PM, "12-11-2025", "Commissie", 2025).ok
    stand_id = list_snapshots(live)[0].id
    links = hrefs(overzicht.layout(stand=str(stand_id)))
    for expected in (f"/presentatie?stand={stand_id}", f"/export/presentatie.pptx?stand={stand_id}",
                     f"/export/rapport.pdf?stand={stand_id}", f"/export/programma.csv?stand={stand_id}",
                     f"/export/programma.xlsx?stand={stand_id}"):
        assert expected in links
    explorer_links = [h for h in links if h.startswith("/verkenner")]
    assert len(explorer_links) > 10 and all(h.endswith(f"&stand={stand_id}") for h in explorer_links)

    card_view = dict(parse_qsl(urlsplit(explorer_links[0]).query))
    live_view = {k: v for k, v in card_view.items() if k != "stand"}
    before = texts(find(verkenner.layout(**live_view), "breakdown-table"))
    before_csv = _download_lines(verkenner.export_file("?" + urlencode(live_view), "csv"))
    before_trend = _download_lines(verkenner.export_file("?" + urlencode(live_view), "csv", trend=True))
    load_demo(live, seed=2031)  # new data: the live explorer moves on
    runtime.service().invalidate()
    assert texts(find(verkenner.layout(**live_view), "breakdown-table")) != before

    in_stand = verkenner.layout(**card_view)
    assert texts(find(in_stand, "breakdown-table")) == before
    assert "Vastgestelde stand per 12 november 2025 — Commissie" in " ".join(texts(find(in_stand, "stand-banner")))
    assert find(in_stand, "niet-in-stand") is None
    stand_csv = _download_lines(verkenner.export_file("?" + urlencode(card_view), "csv"))
    assert stand_csv[0] == "# Stand;Stand per 12 november 2025 — Commissie"
    assert [l for l in stand_csv if not l.startswith("#")] == [l for l in before_csv if not l.startswith("#")]
    stand_trend = _download_lines(verkenner.export_file("?" + urlencode(card_view), "csv", trend=True))  # its trend too
    trend_table = [l for l in stand_trend if not l.startswith("#")]
    assert stand_trend[0] == stand_csv[0] and trend_table[0].startswith("Periode;")
    assert trend_table == [l for l in before_trend if not l.startswith("#")]

    # another view in the stand: not recorded, so not shown — and certainly not from live figures
    other = verkenner.layout(**{**card_view, "by": "school"})
    note = find(other, "niet-in-stand")
    assert "Deze weergave hoort niet bij de stand per 12 november 2025 — Commissie." in " ".join(texts(note))
    assert hrefs(note) == ["/verkenner?" + urlencode({**live_view, "by": "school", "per": "jaar"})]
    assert find(other, "breakdown-table") is None and find(other, "trend-table") is None
    gone = " ".join(texts(verkenner.layout(kpi=card_view["kpi"], stand="999")))
    assert "Stand 999 bestaat niet (meer)." in gone
    sent, message = verkenner.download("?" + urlencode({**card_view, "by": "school"}), "xlsx")
    assert sent is no_update
    assert texts(message) == ["Deze weergave hoort niet bij de stand; er is niets te downloaden."]


def test_a_download_from_a_stand_that_is_gone_says_why(live):
    """The page was opened while the stand existed; the programmamanager removed it before the
    click (or the request was made up): no file, no error page, the reason in Dutch."""
    from dashboard.pages import verkenner

    for stand in ("999", "2025"):
        sent, message = verkenner.download(f"?kpi=totale_kosten&jaar=2025&stand={stand}", "csv")
        assert sent is no_update
        assert texts(message) == [f"Stand {stand} bestaat niet (meer). Laad de pagina opnieuw."]


def test_pages_show_a_message_for_a_stand_that_is_not_there(live):
    from dashboard.pages import overzicht, presentatie

    for stand in ("999", "abc", "9" * 30, "²"):   # 30 digits: beyond the database's integers
        shown = " ".join(texts(overzicht.layout(stand=stand))) + " ".join(texts(presentatie.layout(stand=stand)))
        expected = "Stand 999 bestaat niet (meer)." if stand == "999" else \
            f"'{stand}' is geen nummer van een vastgelegde stand."
        assert shown.count(expected) == 2
        assert "Traceback" not in shown


@pytest.mark.parametrize("inhoud", [{}, {"programma": "x"}, {"rijen": 5, "programma": None}])
def test_a_stand_whose_content_cannot_be_read_is_said_so_on_every_page(live, inhoud, caplog):
    """A stand this version did not freeze (a back-up restored by hand, an edit in the database)
    made the pages fail (KeyError in load_snapshot) instead of saying what is wrong."""
    from dashboard.pages import overzicht, presentatie, verkenner

    stand = stand_store.insert_stand(live, PM, dt.date(2025, 11, 12), "Kapot", 2025, inhoud)
    expected = f"Stand {stand} is beschadigd: zijn inhoud is niet te lezen. Meld het bij de functioneel beheerder."
    for page in (overzicht.layout(stand=str(stand)), presentatie.layout(stand=str(stand)),
                 verkenner.layout(kpi="totale_kosten", stand=str(stand))):
        shown = " ".join(texts(page))
        assert expected in shown and "Traceback" not in shown
    assert "stand %s is niet te lezen" in [r.msg for r in caplog.records]  # the cause stays in the log


def test_a_stand_reads_back_as_frozen_with_number_keys_and_tuples_in_its_content(warehouse):
    """The checksum is of the content as the database gives it back (keys as text, tuples as lists),
    so such a stand is not taken for a damaged one."""
    stand = stand_store.insert_stand(warehouse, PM, dt.date(2025, 11, 12), "Commissie", 2025,
                                     {"maanden": {9: (1.5, None), 10: (2,)}, "tekst": "één"})
    assert stand_store.get_stand(warehouse, stand)[1] == {"maanden": {"9": [1.5, None], "10": [2]}, "tekst": "één"}


def test_a_stand_changed_in_the_database_says_it_is_damaged_instead_of_showing_other_figures(demo_live):
    """A vastgestelde stand never changes: one whose content was edited in the database (a figure
    changed) showed the changed figure as vastgesteld."""
    from dashboard.pages import overzicht

    live = demo_live
    assert stand_view.freeze_stand(PM, "12-11-2025", "Commissie", 2025).ok
    stand_id = list_snapshots(live)[0].id
    assert "beschadigd" not in " ".join(texts(overzicht.layout(stand=str(stand_id))))
    with live.begin() as conn:
        inhoud = conn.scalar(select(s.Stand.inhoud).where(s.Stand.id == stand_id))
        inhoud["drempel"] = 1  # the threshold the figures were protected with
        conn.execute(update(s.Stand).where(s.Stand.id == stand_id).values(inhoud=inhoud))
    shown = " ".join(texts(overzicht.layout(stand=str(stand_id))))
    assert (f"Stand {stand_id} is beschadigd: zijn inhoud is niet meer wat is vastgesteld. Meld het bij de "
            "functioneel beheerder.") in shown
    assert "Traceback" not in shown


def test_overview_in_a_stand_has_a_banner_and_a_way_back(demo_live):
    from dashboard.pages import overzicht, presentatie

    live = demo_live
    assert stand_view.freeze_stand(PM, "12-11-2025", "Commissie", 2025).ok
    stand_id = list_snapshots(live)[0].id
    shown = " ".join(texts(overzicht.layout(stand=str(stand_id))))
    assert "Vastgestelde stand per 12 november 2025 — Commissie" in shown
    assert "naar de actuele cijfers" in shown and "Overzicht 2025" in shown
    deck = presentatie.layout(dia="1", stand=str(stand_id))
    words = " ".join(texts(deck))
    assert "Stand per 12 november 2025" in words and "Stand: gegevens t/m" not in words  # the title slide
    assert "Stand per 12 november 2025 — Commissie" in words  # footer


# --- over HTTP: the server checks, whatever the page showed ----------------------------------

@pytest.fixture
def server(tmp_path, app_module):
    from data.accounts.users import add_user
    from data.db import make_engine, migrate
    from tests import handmade_warehouse

    url = f"sqlite:///{tmp_path / 'w.db'}"
    engine = make_engine(url)
    migrate(engine)
    handmade_warehouse.fill(engine)
    add_user(engine, "raad", "Raadslid", "lezer", "wachtwoord-raad")
    add_user(engine, "pm", "Petra Manager", "programmamanager", "wachtwoord-pm1")
    engine.dispose()
    return app_module.create_app({"DATABASE_URL": url}).server


def _login(client, name, password):
    client.get("/inloggen")
    token = client.get_cookie("_csrf_token").value
    response = client.post("/inloggen", data={"csrf": token, "gebruikersnaam": name, "wachtwoord": password,
                                              "volgende": "/"})
    assert response.status_code == 302
    client.get("/verkenner")  # a new session: a new token in the cookie
    return client.get_cookie("_csrf_token").value


def _add_slide_payload(search):
    from dashboard.ui import ids

    return {"output": f"{ids.ADD_SLIDE_MSG}.children",
            "outputs": {"id": ids.ADD_SLIDE_MSG, "property": "children"},
            "inputs": [{"id": ids.ADD_SLIDE, "property": "n_clicks", "value": 1}],
            "state": [{"id": ids.NAV, "property": "search", "value": search}],
            "changedPropIds": [f"{ids.ADD_SLIDE}.n_clicks"]}


def test_http_add_slide_is_refused_for_a_lezer_and_done_for_the_manager(server, caplog):
    engine = runtime.current().engine
    payload = json.dumps(_add_slide_payload(SCHOOL_VIEW))
    headers = {"Content-Type": "application/json"}

    lezer = server.test_client()
    token = _login(lezer, "raad", "wachtwoord-raad")
    assert lezer.post("/_dash-update-component", data=payload, headers=headers).status_code == 403  # no CSRF
    caplog.set_level(logging.WARNING, logger="jeugdmonitor.security")
    response = lezer.post("/_dash-update-component", data=payload, headers={**headers, "X-CSRFToken": token})
    assert response.status_code == 200
    assert "Alleen de programmamanager kan dit doen." in response.get_data(as_text=True)
    assert count(engine, s.PresentatieDia) == 0
    assert any("dia toevoegen door raad" in r.getMessage() for r in caplog.records)
    assert '"Standen"' in lezer.get("/_dash-layout").get_data(as_text=True)  # a raadslid finds the standen

    visitor = server.test_client()
    visitor.get("/inloggen")
    response = visitor.post("/_dash-update-component", data=payload,
                            headers={**headers, "X-CSRFToken": visitor.get_cookie("_csrf_token").value})
    assert response.status_code == 401 and count(engine, s.PresentatieDia) == 0

    manager = server.test_client()
    token = _login(manager, "pm", "wachtwoord-pm1")
    response = manager.post("/_dash-update-component", data=payload, headers={**headers, "X-CSRFToken": token})
    assert response.status_code == 200
    assert "Toegevoegd aan de presentatie: Instroom (gestarte trajecten) per school, 2025." in \
        response.get_data(as_text=True)
    assert [d.titel for d in stand_view.stand_store.list_dias(engine)] == ["Instroom (gestarte trajecten) per school, 2025"]
    assert '"Standen"' in manager.get("/_dash-layout").get_data(as_text=True)


def test_standen_page_and_its_callbacks_outside_a_login(live):
    """The callbacks' wrappers: without a logged-in user every write is refused with a message."""
    from dashboard.pages import standen as page

    assert stand_view.freeze_stand(PM, TODAY, "Stand", 2025).ok
    assert stand_view.add_view(PM, SCHOOL_VIEW).ok
    shown = " ".join(texts(page.layout()))
    assert "Vastgestelde standen" in shown and "Presentatie in deze stand" in shown
    assert "Stand vastleggen" not in shown and "Omhoog" not in shown  # no forms for a visitor
    stand_id = list_snapshots(live)[0].id
    listed = hrefs(page.layout())  # read-only: everything of the stand, its spreadsheets too
    assert {f"/?stand={stand_id}", f"/presentatie?stand={stand_id}", f"/export/presentatie.pptx?stand={stand_id}",
            f"/export/rapport.pdf?stand={stand_id}", f"/export/programma.csv?stand={stand_id}",
            f"/export/programma.xlsx?stand={stand_id}"} <= set(listed)
    assert "Instroom (gestarte trajecten) per school, 2025" in shown
    for alert, _table in (page.after_freeze(TODAY.isoformat(), "x", "2025"), page.after_delete(1),
                          page.after_dia_action(1, "omhoog"), page.after_dia_action(1, "verwijderen")):
        assert alert.color == "danger" and alert.children == "Log eerst in om iets te wijzigen."
    assert count(live, s.Stand) == 1 and count(live, s.PresentatieDia) == 1
    manager_view = " ".join(texts(page.standen_table(list_snapshots(live), True)))
    assert "Verwijderen…" in manager_view and "Definitief verwijderen" in manager_view


def test_an_added_view_without_breakdown_is_a_trend_slide(live):
    from dashboard.exports.explorer_slide import explorer_slide
    from tests import handmade_warehouse

    handmade_warehouse.fill(live)
    slide = explorer_slide(runtime.service(), "Wachttijd", "?kpi=gem_wachttijd&jaar=2025&by=&per=kwartaal")
    assert slide.title == "Wachttijd" and slide.chart.kind == "lijn"
    assert slide.table.columns[0].label == "Periode"
    assert slide.chart.categories[0] == "K1 2024" and slide.chart.categories[-1] == "K4 2025"
    empty = FrozenService.from_json(RecordingService(runtime.service()).to_json(read_programme(live)),
                                    "1 januari 2026")
    outside = explorer_slide(empty, "Wachttijd", "?kpi=gem_wachttijd&jaar=2025&by=&per=kwartaal")
    assert outside.chart is None and [p.text for p in outside.paragraphs] == [
        "Deze weergave kan niet worden getoond: deze weergave zit niet in de vastgelegde stand van 1 januari 2026."]
    from dashboard.exports.presentation_deck import build_slides
    with pytest.raises(NotInSnapshot):  # an empty stand is still a stand: never the live figures
        build_slides(2025, empty, read_programme(live), [], "Stand per 1 januari 2026")


def _payload_for(client, output_id, input_id, values: dict):
    """A /_dash-update-component body for the callback writing `output_id` from `input_id`, built
    from the app's own /_dash-dependencies (as the browser does)."""
    deps = client.get("/_dash-dependencies").get_json()
    callback = next(c for c in deps if output_id in c["output"]
                    and any(i["id"] == input_id for i in c["inputs"]))
    outputs = callback["output"].strip(".").split("...")
    return {"output": callback["output"],
            "outputs": [{"id": o.rsplit(".", 1)[0], "property": o.rsplit(".", 1)[1].split("@")[0]} for o in outputs],
            "inputs": [{"id": i["id"], "property": i["property"], "value": values.get(i["id"])}
                       for i in callback["inputs"]],
            "state": [{"id": st["id"], "property": st["property"], "value": values.get(st["id"])}
                      for st in callback.get("state", [])],
            "changedPropIds": [f"{input_id}.n_clicks"]}


def test_http_freeze_is_refused_for_a_lezer_and_done_for_the_manager(server):
    from dashboard.ui import ids

    engine = runtime.current().engine
    values = {ids.STAND_FREEZE: 1, ids.STAND_PEILDATUM: "12-11-2025", ids.STAND_TITEL: "Commissie",
              ids.STAND_JAAR: "2025"}
    for name, password, expected, stands in (("raad", "wachtwoord-raad", "Alleen de programmamanager kan dit doen.", 0),
                                             ("pm", "wachtwoord-pm1", "Stand per 12 november 2025 is vastgelegd", 1)):
        client = server.test_client()
        token = _login(client, name, password)
        body = json.dumps(_payload_for(client, ids.STAND_MSG, ids.STAND_FREEZE, values))
        response = client.post("/_dash-update-component", data=body,
                               headers={"Content-Type": "application/json", "X-CSRFToken": token})
        assert response.status_code == 200
        assert expected in response.get_data(as_text=True)
        assert count(engine, s.Stand) == stands
    # The stand's exports: the PowerPoint opens with the stand's label; an unknown stand is a 404.
    from io import BytesIO

    from pptx import Presentation

    stand_id = list_snapshots(engine)[0].id
    pptx = client.get(f"/export/presentatie.pptx?stand={stand_id}")
    assert pptx.status_code == 200  # named apart from the live deck (the report and the table alike)
    assert 'filename="jeugdmonitor_presentatie_2025_stand_2025-11-12.pptx"' in pptx.headers["Content-Disposition"]
    first = Presentation(BytesIO(pptx.data)).slides[0]
    assert any("Stand per 12 november 2025" in shape.text_frame.text
               for shape in first.shapes if shape.has_text_frame)
    assert client.get("/export/presentatie.pptx?stand=999").status_code == 404
    missing = client.get("/export/rapport.pdf?stand=999")
    assert missing.status_code == 404 and "bestaat niet" in missing.get_data(as_text=True)


# --- a stand under the small-number rules of its time -------------------------------------------

def _as_made_under_version_1(data: dict) -> dict:
    """A recording as format 1 stored it: no rounding base, keys of seven parts."""
    old = dict(data, versie=1)
    old.pop("afronding")
    old["resultaten"] = {json.dumps(json.loads(key)[:7], ensure_ascii=False, separators=(",", ":")): item
                         for key, item in data["resultaten"].items()}
    return old


def test_a_stand_records_the_rounding_base_and_a_version_1_stand_keeps_its_figures(demo_live):
    from dashboard.programme.stand_freeze import OLD_RULES_NOTE, frozen_label

    live = demo_live
    recorder = RecordingService(runtime.service())
    request = KpiRequest.for_year("instroom", 2025, by="school")
    rows = recorder.compute(request).rows
    data = json.loads(json.dumps(recorder.to_json(read_programme(live))))
    assert data["versie"] == 2 and data["drempel"] == 10 and data["afronding"] == 5
    assert all(r.n % 5 == 0 for r in rows if not r.suppressed)  # a breakdown: counts rounded

    current = FrozenService.from_json(data, "1 januari 2026")
    assert current.regels == 2 and current.compute(request).rows == rows

    # A stand frozen under version 1 answers with exactly what it recorded (here: the same rows
    # stand in for what version 1 published), whatever the rules are now, and says so.
    old = FrozenService.from_json(_as_made_under_version_1(data), "1 januari 2026")
    assert old.regels == 1 and old.compute(request).rows == rows
    old.info = current.info = type("Info", (), {"peildatum": dt.date(2026, 1, 1)})()
    assert frozen_label(current) == "Stand per 1 januari 2026"
    assert frozen_label(old) == f"Stand per 1 januari 2026 ({OLD_RULES_NOTE})"
    assert "versie 1" in OLD_RULES_NOTE


def test_pages_of_a_version_1_stand_say_it_was_made_under_the_old_rule(demo_live):
    from dashboard.pages import overzicht
    from dashboard.programme.stand_freeze import OLD_RULES_NOTE

    live = demo_live
    assert stand_view.freeze_stand(PM, "12-11-2025", "Commissie", 2025).ok
    stand_id = list_snapshots(live)[0].id
    with live.begin() as conn:
        inhoud = conn.scalar(select(s.Stand.inhoud).where(s.Stand.id == stand_id))
        old = _as_made_under_version_1(inhoud)  # with its checksum, as migration 0022 gave such a stand
        conn.execute(update(s.Stand).where(s.Stand.id == stand_id)
                     .values(inhoud=old, controlegetal=stand_store.checksum(old)))
    shown = " ".join(texts(overzicht.layout(stand=str(stand_id))))
    assert OLD_RULES_NOTE in shown and "Commissie" in shown


def test_without_added_views_only_the_programmamanager_is_pointed_to_the_explorers_button():
    """The button 'Toevoegen aan presentatie' is the programmamanager's: a raadslid or trekker reading
    the empty list is told who adds views, not sent looking for a button they do not have."""
    from dashboard.pages.standen import dias_table

    assert "Kies in de verkenner ‘Toevoegen aan presentatie’." in dias_table([], manager=True).children
    reader = dias_table([], manager=False).children
    assert "Toevoegen aan presentatie" not in reader and "De programmamanager kan weergaven" in reader


def test_the_freeze_button_is_busy_while_a_stand_is_frozen():
    """A freeze takes seconds; the button said nothing meanwhile and took a second click (a second,
    identical stand). While the callback runs the button is disabled and says so."""
    from dash import Dash

    from dashboard.pages import standen
    from dashboard.ui import ids

    app = Dash(__name__)
    standen.register_callbacks(app)
    (spec,) = [c for c in app._callback_list if any(i["id"] == ids.STAND_FREEZE for i in c["inputs"])]
    assert spec["running"] == {
        "running": {f"{ids.STAND_FREEZE}.disabled": True, f"{ids.STAND_FREEZE}.children": standen.FREEZING},
        "runningOff": {f"{ids.STAND_FREEZE}.disabled": False, f"{ids.STAND_FREEZE}.children": standen.FREEZE}}


def test_the_added_views_are_named_as_their_slides_name_them(demo_live):
    """A view of 2026 is stored as "… per hulpvorm, 2026"; its slide and the explorer say "2026 (t/m
    september)" (the data end inside it), and so does the list on /standen now."""
    from dash import html

    from dashboard.pages.standen import dias_table
    from tests.test_explorer_paging import find as of_type

    made = dt.datetime(2026, 12, 6, 21, 20)
    items = [stand_store.Dia(1, 1, "Totale kosten jeugdhulp (€) per hulpvorm, 2026",
                             "?kpi=totale_kosten&jaar=2026&by=hulpvorm&per=jaar", "PM", made),
             stand_store.Dia(2, 2, "Instroom (gestarte trajecten) per school, 2025",
                             "?kpi=instroom&jaar=2025&by=school&per=jaar", "PM", made)]
    links = [a.children for a in of_type(dias_table(items, manager=False), html.A)]
    assert links == ["Totale kosten jeugdhulp (€) per hulpvorm, 2026 (t/m september)",
                     "Instroom (gestarte trajecten) per school, 2025"]
    managed = dias_table(items, manager=True)
    assert [b.to_plotly_json()["props"]["aria-label"] for b in of_type(managed, html.Button)][:3] == [
        f"{word}: Totale kosten jeugdhulp (€) per hulpvorm, 2026 (t/m september)"
        for word in ("Omhoog", "Omlaag", "Verwijderen")]
    # the views' own numbers: in the deck they follow the fixed slides, so no "Dia 1" that is slide 15
    assert [th.children for th in of_type(managed, html.Th)][:4] == ["Nr.", "Weergave", "Toegevoegd", "Volgorde"]


def test_the_confirmation_names_an_added_view_as_its_slide_will(demo_live):
    """Adding a view of 2026 said "Toegevoegd aan de presentatie: … per hulpvorm, 2026." while its
    slide and the list say "2026 (t/m september)" (the data end inside the year)."""
    added = stand_view.add_view(PM, "?kpi=totale_kosten&jaar=2026&by=hulpvorm&per=jaar")
    try:
        assert added.message == ("Toegevoegd aan de presentatie: Totale kosten jeugdhulp (€) per hulpvorm, "
                                 "2026 (t/m september).")
    finally:
        for dia in stand_view.stand_store.list_dias(demo_live):
            stand_view.remove_dia(PM, dia.id)
