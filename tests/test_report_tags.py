"""The report's tagged structure, read back from the PDF (issue 15): every table header cell says
whether it heads a row or a column (as the HTML's `scope` does), every figure has alt text, the
document has language and title, and a link announces where it goes in words, not by an id. Then
a PDF/UA-1 validator reads the whole file."""
from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from dashboard.exports.report_pdf import html_to_pdf, toc_entries
from tests.report_support import demo_report

JAAR = 2025


def structure(reader: PdfReader):
    """Every structure element with the types of its ancestors: (element, ("/Document", …))."""
    stack = [(reader.trailer["/Root"]["/StructTreeRoot"], ())]
    while stack:
        node, ancestors = stack.pop()
        node = node.get_object()
        if not isinstance(node, DictionaryObject):
            continue  # a marked-content id
        if "/S" in node:
            yield node, ancestors
        kids = node.get("/K")
        if kids is not None:
            kids = kids.get_object()
            inner = ancestors + (str(node["/S"]),) if "/S" in node else ancestors
            for kid in kids if isinstance(kids, ArrayObject) else [kids]:
                stack.append((kid, inner))


def table_attributes(element: DictionaryObject) -> dict:
    """The element's attributes owned by /Table (/A is one dictionary or an array of them)."""
    found = element.get("/A")
    found = [] if found is None else found.get_object()
    for attrs in found if isinstance(found, ArrayObject) else [found]:
        attrs = attrs.get_object()
        if isinstance(attrs, DictionaryObject) and attrs.get("/O") == "/Table":
            return dict(attrs)
    return {}


@pytest.fixture(scope="module")
def reader() -> PdfReader:
    return PdfReader(io.BytesIO(demo_report(JAAR)))


def test_every_header_cell_has_the_scope_of_the_html(reader):
    headers = [(table_attributes(el), ancestors[-2]) for el, ancestors in structure(reader)
               if el["/S"] == "/TH"]  # ancestors[-2]: the row's group (/THead or /TBody)
    assert len(headers) > 200
    missing = [group for attrs, group in headers if attrs.get("/Scope") not in ("/Column", "/Row")]
    assert missing == [], f"{len(missing)} of {len(headers)} TH without /Scope"
    # the report writes scope="col" in a table's head and scope="row" in its body
    assert {(group, attrs["/Scope"]) for attrs, group in headers} == {("/THead", "/Column"),
                                                                     ("/TBody", "/Row")}


def test_scope_is_copied_from_the_html_not_guessed_from_the_position():
    html = ('<!DOCTYPE html><html lang="nl"><head><title>t</title></head><body><table>'
            '<thead><tr><th scope="col">Jaar</th><th scope="col">Aantal</th></tr></thead><tbody>'
            '<tr><th scope="row">2025</th><td>12</td></tr>'
            '<tr><th scope="col">Totaal</th><th scope="row">12</th></tr></tbody></table></body></html>')
    reader = PdfReader(io.BytesIO(html_to_pdf(html)))
    scopes = [str(table_attributes(el).get("/Scope")) for el, _ in structure(reader) if el["/S"] == "/TH"]
    assert sorted(scopes) == sorted(["/Column", "/Column", "/Row", "/Column", "/Row"])


def test_figures_have_alt_text_and_the_document_language_and_title(reader):
    figures = [el for el, _ in structure(reader) if el["/S"] == "/Figure"]
    assert len(figures) == 9  # the kostengroei's waterfall (section 1.5), then a chart per strategische lijn
    alts = [str(f.get("/Alt", "")) for f in figures]
    waterfall = [alt for alt in alts if alt.startswith(f"Van de kosten van {JAAR - 1} naar die van {JAAR}. Kosten")]
    assert len(waterfall) == 1 and re.search(r"; Volume \(aantal jeugdigen\): €\xa0[-+]?\d", waterfall[0])
    assert sum(alt.startswith("Grafiek: realisatie tegen streefwaarde") for alt in alts) == 8
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "nl"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata.title == f"Voortgangsrapportage Programmaplan Jeugd 2025–2028 – gemeente Huizen, {JAAR}"
    assert bool(root["/MarkInfo"]["/Marked"])


def test_links_say_where_they_go_in_words(reader):
    entries = toc_entries_of_demo()
    anchors, texts = {a for a, _, _ in entries}, {text for _, text, _ in entries}
    links = [annot for page in reader.pages for annot in page.get("/Annots", [])
             if annot.get_object()["/Subtype"] == "/Link"]
    assert len(links) >= len(texts)
    for link in links:
        contents = str(link.get_object().get("/Contents", ""))
        assert contents not in anchors, f"a link is announced by its id: {contents!r}"
        assert contents in texts, contents
    # every entry of the table of contents is announced by its own words
    assert {str(link.get_object()["/Contents"]) for link in links} == texts
    # and each link annotation sits in a /Link structure element
    tagged = {kid.get_object().raw_get("/Obj").idnum for el, _ in structure(reader) if el["/S"] == "/Link"
              for kid in el["/K"] if isinstance(kid.get_object(), DictionaryObject)
              and kid.get_object().get("/Type") == "/OBJR"}
    assert {link.idnum for link in links} <= tagged


def toc_entries_of_demo() -> list[tuple[str, str, int]]:
    from dashboard.exports.report_content import build_report
    from dashboard.programme.progress import read_programme
    from kpi.service import KpiService
    from tests.report_support import demo_engine

    engine = demo_engine()
    return toc_entries(build_report(KpiService(engine), read_programme(engine, vastgesteld_only=True), JAAR))


def test_a_pdf_ua_validator_finds_nothing(reader):
    page = pytest.importorskip("page", reason="page-validation is not installed (pip install -r "
                                              "requirements-dev.txt)")
    report = page.validate_pdf_bytes(demo_report(JAAR), profile="ua1")
    failures = [(f.rule_id, f.message) for f in report.failures]
    assert report.is_compliant and failures == [], failures
    assert report.rules.total > 100  # the whole PDF/UA-1 profile ran, not a handful of rules
