"""The PDF progress report: the engine's numbers (suppression kept), a table of contents with page
numbers, page furniture, a tagged PDF with language, title and outline; the HTTP route and the CLI."""
import datetime as dt
import io
import re
import shutil
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import pytest
from pypdf import PdfReader

from dashboard.exports.report_content import ReportYearError, build_report, parse_year, report_years
from dashboard.exports.report_pdf import main as cli_main
from dashboard.exports.report_pdf import report_pdf
from dashboard.programme.progress import read_programme
from data.programme.plan import load_programme
from kpi import CATALOGUE, KpiRequest, compute, kpis_shown
from kpi import format as fmt
from kpi.service import KpiService
from tests import handmade_warehouse, warm_python
from tests.conftest import shared_demo, sqlite_copy
from tests.demo_files import demo_copy
from tests.test_export_answers import assert_refusal_page

ROOT = Path(__file__).resolve().parent.parent
JAAR = 2025
RAW_CODES = ("op_koers", "op_schema", "nog_niet_gestart", "lager_beter", "hoger_beter", "None", "True",
             "False", "jeugdigen_met_jeugdhulp", "pct_uitval", "nan")
ENGLISH = ("seed", "Page ", "page ", "Contents", "Figure", "Table ", "Source", "Summary", "Annex")
#: when the reports of the tests on both backends are made: one moment (it is on the cover, in the
#: annex and in the metadata), so that the same figures give the same HTML on SQLite and PostgreSQL
MADE_AT = dt.datetime(2026, 10, 1, 9, 30)


def flat(text: str) -> str:
    """Text with every run of whitespace as one space (table cells wrap inside the PDF)."""
    return " ".join(text.split())


@lru_cache(maxsize=2)  # the same PDF (see render_once) is read once; the tests only read the reader
def pdf_pages(pdf: bytes) -> tuple[PdfReader, list[str]]:
    reader = PdfReader(io.BytesIO(pdf))
    return reader, [flat(page.extract_text()) for page in reader.pages]


def text_holds(pdf: bytes, phrase: str) -> bool:
    """Is `phrase` in the PDF's text (its pages' text joined as pdf_pages gives them)? Reads page by
    page and stops where it is found: the text of the first pages is the start of the whole text,
    and pypdf takes ~0.1 s a page."""
    pages = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        pages.append(flat(page.extract_text()))
        if phrase in " ".join(pages):
            return True
    return False


def struct_types(reader: PdfReader) -> tuple[set[str], list[str]]:
    """The structure element types in the tag tree, and every /Alt text."""
    types, alts, stack = set(), [], [reader.trailer["/Root"]["/StructTreeRoot"]]
    while stack:
        node = stack.pop().get_object()
        if hasattr(node, "get"):
            if "/S" in node:
                types.add(str(node["/S"]))
            if "/Alt" in node:
                alts.append(str(node["/Alt"]))
            kids = node.get("/K")
            if kids is not None:
                kids = kids.get_object()
                stack.extend(kids if isinstance(kids, list) else [kids])
    return types, alts


def outline_titles(items) -> list[str]:
    out = []
    for item in items:
        out.extend(outline_titles(item) if isinstance(item, list) else [item["/Title"]])
    return out


@pytest.fixture
def demo(request, backend):
    return shared_demo(request)


@pytest.fixture(scope="module")
def _pdf_of_html() -> dict[str, bytes]:
    return {}


@pytest.fixture
def render_once(_pdf_of_html, monkeypatch):
    """report_pdf's last step (html_to_pdf: WeasyPrint, ~4 s) once per HTML in this module: the same
    HTML gives the same PDF, byte for byte. A test's SQLite and PostgreSQL variants each build their
    report from their own warehouse up to the HTML; when the figures agree (made at MADE_AT) the HTML
    is the same, and the second variant gets the PDF the first one's rendering gave."""
    from dashboard.exports import report_pdf as module

    render = module.html_to_pdf

    def once(html: str) -> bytes:
        if html not in _pdf_of_html:
            _pdf_of_html[html] = render(html)
        return _pdf_of_html[html]

    monkeypatch.setattr(module, "html_to_pdf", once)


def test_report_from_demo_data_holds_the_engines_numbers_toc_and_tags(demo, render_once):
    service = KpiService(demo)
    programme = read_programme(demo)
    reader, pages = pdf_pages(report_pdf(service, programme, JAAR, charts=False, now=MADE_AT))
    text = " ".join(pages)

    # every KPI of the catalogue with the engine's value and the programme's streefwaarde, Dutch style
    # (the demo's trajecten come from CSV files: the KPIs that need the iJw berichtenverkeer are not listed)
    assert not any(kpi.naam in text for kpi in CATALOGUE.values() if kpi.alleen_berichtenverkeer)
    for kpi in kpis_shown(berichtenverkeer=False):
        row = compute(demo, KpiRequest.for_year(kpi.id, JAAR)).rows[0]
        value = fmt.value(row.value, kpi.eenheid, suppressed=row.suppressed, threshold=10)
        target = programme.indicator_for_kpi(kpi.id).streefwaarden[JAAR]
        assert f"{kpi.naam} {value} {fmt.value(target, kpi.eenheid)}" in text, kpi.id
    assert re.search(r"€ \d{1,3}(\.\d{3})+", text) and re.search(r"\d+,\d%", text)

    # every page numbered "pagina i van n", with the running header after the cover
    n = len(reader.pages)
    assert n >= 15
    for i, page in enumerate(pages, 1):
        assert f"pagina {i} van {n}" in page
        if i > 1:
            assert f"Voortgangsrapportage Programmaplan Jeugd 2025–2028 · Huizen · {JAAR}" in page
    cover = pages[0]
    assert "Voortgangsrapportage Programmaplan Jeugd 2025–2028" in cover and "Gemeente Huizen" in cover
    assert f"Rapportagejaar {JAAR}" in cover and "gegevens t/m 30 september 2026" in cover
    # the file's moment, not to be read as a stand's "Gemaakt op" (when it was frozen, /standen)
    assert "Rapport gemaakt op" in cover

    # the table of contents names each part with the page it starts on
    toc = pages[1]
    assert toc.startswith("Inhoud")
    entries = {"1. Samenvatting per as": "1. Samenvatting per as In 2025 zijn er van de",
               "2.3 Lijn 3: Stevige lokale teams voor hulp aan jeugdigen en gezinnen; één gezin één plan":
                   "2.3 Lijn 3:",
               "Bijlage A. Definities van de KPI's": "Bijlage A. Definities van de KPI's De KPI's",
               "Bijlage C. Afscherming en statusregel": "Bijlage C. Afscherming en statusregel Kleine"}
    for entry, heading in entries.items():
        found = re.search(re.escape(entry) + r"[ .]+(\d+)", toc)
        assert found, entry
        assert heading in pages[int(found.group(1)) - 1], (entry, found.group(1))

    # the sources' table says how far the data reach once ("Gegevens t/m …", not "Gegevens gegevens t/m")
    assert "Gegevens t/m 30 september 2026" in text and "Gegevens gegevens" not in text
    # a lijn's count of maatregelen names regional ones only where there are ("(0 regionaal)")
    assert "(0 regionaal)" not in text and "regionaal)" in text

    # suppression rule, definitions, no raw codes and no English page furniture
    assert "<10" in text and "Definities van de KPI's" in text and "lager is beter" in text
    assert "Grafieken zijn op verzoek weggelaten" in text  # charts=False: the tables stand alone
    for raw in RAW_CODES + ENGLISH:
        assert not re.search(rf"\b{re.escape(raw)}", text), raw

    # tagged PDF/UA: structure tree, marked, Dutch, title shown, bookmarks
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and bool(root["/MarkInfo"]["/Marked"])
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert root["/Lang"] == "nl"
    assert reader.metadata.title.startswith("Voortgangsrapportage Programmaplan Jeugd 2025–2028")
    types, _ = struct_types(reader)
    assert {"/H1", "/H2", "/H3", "/Table", "/TH", "/TD", "/Caption"} <= types
    titles = outline_titles(reader.outline)
    assert "1. Samenvatting per as" in titles and "Bijlage A. Definities van de KPI's" in titles
    assert any(t.startswith("2.8 Lijn 8:") for t in titles)


def test_suppressed_values_print_as_below_threshold(warehouse, render_once):
    handmade_warehouse.fill(warehouse)  # a handful of jeugdigen: every total rests on fewer than 10
    load_programme(warehouse)
    service = KpiService(warehouse)
    report = build_report(service, read_programme(warehouse), JAAR)
    kwantiteit = next(a for a in report.assen if a.naam == "Kwantiteit")
    line = next(k for k in kwantiteit.kpis if k.kpi_id == "jeugdigen_met_jeugdhulp")
    assert line.waarde == "<10" and line.status == "afgeschermd (<10)"  # why there is no status
    assert compute(warehouse, KpiRequest.for_year("jeugdigen_met_jeugdhulp", JAAR)).rows[0].suppressed
    lijn1 = report.lijnen[0]
    k01 = next(i for i in lijn1.indicatoren if i.naam == "Jeugdigen met jeugdhulp")
    assert [c.realisatie for c in k01.cells if c.jaar == JAAR] == ["<10"] and JAAR in k01.afgeschermd
    assert f"{JAAR} <10" in lijn1.grafiek_alt
    assert [m.nummer for m in lijn1.maatregelen][:2] == ["1.1", "1.2"]

    _, pages = pdf_pages(report_pdf(service, read_programme(warehouse), JAAR, charts=False, now=MADE_AT))
    text = " ".join(pages)
    assert "Jeugdigen met jeugdhulp <10 1.167" in text  # summary: value withheld, target shown
    assert "1.183" not in text


def test_report_year_is_checked_in_dutch():
    import datetime as dt

    tot = dt.date(2026, 9, 30)
    assert report_years(tot) == (range(2019, 2027), 2025)
    assert report_years(dt.date(2025, 12, 31))[1] == 2025
    assert parse_year(None, tot) == 2025 and parse_year(" 2026 ", tot) == 2026
    for bad in ("abc", "2018", "2027", "20 25", "-1"):
        with pytest.raises(ReportYearError, match="Ongeldig jaar .*kies een jaar van 2019 tot en met 2026"):
            parse_year(bad, tot)


@pytest.fixture(scope="module")
def _small_db(tmp_path_factory) -> Path:
    """The hand-made warehouse with the Programmaplan, filled once for the module: only to copy."""
    from data.db import make_engine, migrate

    path = tmp_path_factory.mktemp("klein") / "w.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    handmade_warehouse.fill(engine)
    load_programme(engine)
    engine.dispose()
    return path


@pytest.fixture
def small_db_url(_small_db, tmp_path) -> str:
    """A copy of the hand-made warehouse of its own (an app or a command may write to it)."""
    sqlite_copy(_small_db, tmp_path / "w.db")
    return f"sqlite:///{tmp_path / 'w.db'}"


@pytest.fixture
def app_factory(app_module):
    return app_module


@pytest.fixture(scope="module")
def _served_reports() -> dict[int, bytes]:
    """The report of a year as the route served it from the demonstration data, with no program
    to start: the route test keeps it, the charts test reads it (one build with charts, ~5 s)."""
    return {}


def serve_demo_report(app_module, folder: Path, monkeypatch):
    """An app on a copy of the demonstration data (PUBLIC_READ), and its answer to
    /export/rapport.pdf?jaar=JAAR asked with an empty PATH: no chromium (or anything else) to start."""
    client = app_module.create_app({"DATABASE_URL": demo_copy(folder / "w.db"), "PUBLIC_READ": "1"}).server.test_client()
    with monkeypatch.context() as no_programs:
        no_programs.setenv("PATH", str(folder))
        return client, client.get(f"/export/rapport.pdf?jaar={JAAR}")


def test_http_route_serves_the_pdf_and_refuses_a_bad_year(app_factory, tmp_path, monkeypatch, _served_reports):
    client, response = serve_demo_report(app_factory, tmp_path, monkeypatch)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    _served_reports[JAAR] = response.data
    assert response.data.startswith(b"%PDF")
    assert f"voortgangsrapportage_jeugd_{JAAR}.pdf" in response.headers["Content-Disposition"]
    assert text_holds(response.data, "Figuur 1. Lijn 1: realisatie en streefwaarden")  # charts need no browser
    from dashboard.server import runtime

    for bad in ("abc", "1990", "3000"):
        with pytest.raises(ReportYearError) as said:
            parse_year(bad, runtime.data_status().data_tot)
        assert_refusal_page(client.get(f"/export/rapport.pdf?jaar={bad}"), 400, str(said.value))  # as every export
    # reading without an account is a setting; without it the report needs a login

    runtime.current().public_read = False
    assert client.get(f"/export/rapport.pdf?jaar={JAAR}").status_code == 401


def test_overview_and_programme_pages_link_to_the_report(app_factory, small_db_url):
    from dashboard.pages import overzicht, programma

    app_factory.create_app({"DATABASE_URL": small_db_url})
    for layout in (overzicht.layout(jaar=str(JAAR)), programma.layout(jaar=str(JAAR))):
        links = [c for c in _walk(layout) if getattr(c, "href", None) == f"/export/rapport.pdf?jaar={JAAR}"]
        assert len(links) == 1 and "Rapport (PDF)" in str(links[0].children)


def _walk(component):
    yield component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children]:
        if child is not None and not isinstance(child, str):
            yield from _walk(child)


def test_cli_exit_codes(small_db_url, tmp_path, capsys):
    out = tmp_path / "rapport.pdf"
    assert cli_main(["--jaar", str(JAAR), "--uit", str(out), "--db", small_db_url, "--zonder-grafieken"]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    assert cli_main(["--jaar", "twintig", "--uit", str(out), "--db", small_db_url]) == 2
    assert "fout: Ongeldig jaar 'twintig'" in capsys.readouterr().err
    assert cli_main(["--jaar", str(JAAR), "--uit", str(tmp_path / "geen_map" / "r.pdf"), "--db", small_db_url]) == 2
    assert "bestaat niet" in capsys.readouterr().err
    assert cli_main(["--jaar", str(JAAR)]) == 2  # --uit is required
    assert "--uit" in capsys.readouterr().err
    assert cli_main(["--uit", str(out), "--db", "postgresql://niemand@127.0.0.1:1/geen?connect_timeout=1"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("fout: ") and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_cli_as_a_command_never_shows_a_traceback(small_db_url, tmp_path):
    done = warm_python.run([sys.executable, "-m", "dashboard.exports.report_pdf", "--jaar", "1800", "--uit",
                           str(tmp_path / "r.pdf"), "--db", small_db_url],
                           cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "Ongeldig jaar '1800'" in done.stderr


@pytest.fixture
def demo_sqlite(tmp_path):
    from data.db import make_engine

    engine = make_engine(demo_copy(tmp_path / "demo.db"))
    yield engine
    engine.dispose()


def test_charts_are_drawn_without_a_browser_and_carry_alt_text(demo_sqlite, tmp_path, monkeypatch, app_module,
                                                                _served_reports):
    """The demonstration report as the route served it with an empty PATH (serve_demo_report)."""
    if JAAR not in _served_reports:  # this test alone
        (tmp_path / "app").mkdir()
        _served_reports[JAAR] = serve_demo_report(app_module, tmp_path / "app", monkeypatch)[1].data
    pdf = _served_reports[JAAR]
    reader, pages = pdf_pages(pdf)
    assert "Grafieken zijn" not in " ".join(pages)
    types, alts = struct_types(reader)
    assert "/Figure" in types
    charts = [a for a in alts if a.startswith("Grafiek: realisatie tegen streefwaarde")]
    assert len(charts) == 8  # one per strategische lijn
    row = compute(demo_sqlite, KpiRequest.for_year("jeugdigen_met_jeugdhulp", JAAR)).rows[0]
    lijn1 = next(a for a in charts if "lijn 1 " in a)
    assert "Jeugdigen met jeugdhulp: nulmeting 2024" in lijn1 and f"{JAAR} {fmt.value(row.value, 'aantal')}" in lijn1

    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed (apt-get install -y poppler-utils; .ci/run does this)")
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "20", "-png", str(path), str(tmp_path / "p")], check=True, timeout=120)
    assert len(list(tmp_path.glob("p-*.png"))) == len(reader.pages)
