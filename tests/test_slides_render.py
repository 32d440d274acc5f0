"""The PowerPoint as LibreOffice draws it: converted to PDF by `soffice --headless`, read back with
poppler's `pdftotext -bbox`. Nothing may lie outside the slide or over the footer band, and no
word of a table may be broken — with the fonts a Debian machine has (Liberation, DejaVu; no
Calibri or its metric twin), which is where the old file's headers broke ("Streefwaa|rde").

LibreOffice sees only the fonts of Debian's fonts-liberation and fonts-dejavu-core (and its own
OpenSymbol), through a fontconfig file of the test's own, whatever else this machine has: a
machine without Calibri or its metric twin Carlito is where the file must still fit.

Two files: the demonstration data's deck as /export/presentatie.pptx serves it (with two added
explorer views), and a deck made to strain the layout (long titles and names, a long stand label,
a breakdown of 40 groups). LibreOffice runs with a Dutch locale, as the raad's machines do; one
test draws two charts in a LibreOffice running in English, whose numbers must still read Dutch.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass, replace
from html import unescape
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
FONT_DIRS = ("/usr/share/fonts/truetype/liberation", "/usr/share/fonts/truetype/liberation2",
             "/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/truetype/libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
POINTS = 72
SLIDE_WIDTH, SLIDE_HEIGHT = 960, 540          # points: 13⅓ × 7½ inches
FOOTER_LINE = 6.95 * POINTS                   # the rule above the footer band
TOLERANCE = 1.0                               # points: a glyph's box may touch a line


def require_tools():
    if SOFFICE is None:
        pytest.skip("LibreOffice is not installed (apt-get install -y libreoffice-impress; .ci/run does "
                    "this), so the PowerPoint cannot be drawn and checked")
    if PDFTOTEXT is None:
        pytest.skip("pdftotext is not installed (apt-get install -y poppler-utils; .ci/run does this)")


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


def pdf_words(pdf: Path) -> list[list[Word]]:
    """Per page, its words with their boxes (points, from the top left)."""
    out = subprocess.run([PDFTOTEXT, "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for page in re.findall(r"<page [^>]*>(.*?)</page>", out, re.S):
        pages.append([Word(unescape(text), float(a), float(b), float(c), float(d)) for a, b, c, d, text in
                      re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', page)])
    return pages


def only_debian_fonts(folder: Path) -> Path:
    """A fontconfig file that offers the fonts of FONT_DIRS only, with the system's aliases
    (Arial → Liberation Sans; Calibri → Carlito, which is then absent)."""
    dirs = "".join(f"<dir>{d}</dir>" for d in FONT_DIRS if Path(d).is_dir())
    config = folder / "fonts.conf"
    config.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                      f'{dirs}<cachedir>{folder / "fontcache"}</cachedir>'
                      '<include ignore_missing="yes">/etc/fonts/conf.d</include></fontconfig>', encoding="utf-8")
    return config


def to_pdf(files: list[Path], folder: Path, locale: str = "nl_NL.UTF-8") -> list[Path]:
    """`files` (.pptx) as PDF by LibreOffice, with a profile of its own, a Dutch locale (unless
    `locale` says otherwise) and Debian's free fonts only."""
    env = {**os.environ, "LC_ALL": locale, "LANG": locale, "HOME": str(folder),
           "FONTCONFIG_FILE": str(only_debian_fonts(folder))}
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{folder / 'profiel'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(folder), *map(str, files)],
                   env=env, capture_output=True, timeout=300, check=True)
    return [folder / f"{file.stem}.pdf" for file in files]


def stress_deck(deck):
    """The demonstration deck with what strains a layout: a title of three lines, a table of
    long names, a breakdown of 40 groups with long names, a footer of two lines."""
    from dashboard.exports.slides import Cell, Chart, Column, Series, Slide, Table

    long_names = Table((Column("Indicator"), Column("2025", numeric=True), Column("Streefwaarde", numeric=True),
                        Column("Status")),
                       tuple((Cell(f"Ingebrachte lokale inkoopwensen verwerkt in de inkoopstrategie van de regio {i}"),
                              Cell("1.234.567", 1234567, kind="number"), Cell("€ 14.504.000", 14504000, kind="number"),
                              Cell("geen streefwaarde", kind="status")) for i in range(1, 13)))
    title = ("Doelstelling 8: Een heel lange doelstelling over samenwerking, continuïteit en financieel "
             "duurzame jeugdhulp dichtbij huis")
    names = tuple(f"Basisschool Oostermeent-Noord locatie {i}" for i in range(1, 41))
    values = tuple(None if i % 13 == 0 else float(400 - 9 * i) for i in range(40))
    texts = tuple("<10" if v is None else f"{v:.0f}" for v in values)
    bars = Chart("staaf", "Instroom per school, 2025 (1–40 van 120, hoogste eerst)",
                 tuple(n if v is not None else f"{n} (<10)" for n, v in zip(names, values, strict=True)),
                 (Series("Instroom", values, texts),), "aantal")
    rows = Table((Column("School"), Column("Waarde", numeric=True), Column("Aantal (n)", numeric=True)),
                 tuple((Cell(n), Cell(t, v, v is None, "number"), Cell(t, v, kind="number"))
                       for n, v, t in zip(names, values, texts, strict=True)))
    extra = (Slide(title, "doelstelling", table=long_names, notes=("Lange namen.",)),
             Slide("Instroom (gestarte trajecten) per school, 2025 (gemeente: Gooise Meren; hulpvorm: ambulant)",
                   "verkenner", table=rows, chart=bars, notes=("40 scholen.",), footnote=deck.slides[-2].footnote))
    stand = ("Stand per 12 november 2026 (kleine aantallen afgeschermd volgens de oude regel (versie 1: drempel "
             "en secundaire afscherming, zonder afronding op vijftallen)) — Commissie Samenleving en Zorg")
    return replace(deck, slides=deck.slides + extra, stand=stand)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """(deck model, pages of words) for the served file and the strained one."""
    require_tools()
    import app as app_module
    from dashboard.exports.slides import build_deck
    from dashboard.exports.slides_pptx import render
    from dashboard.programme.progress import read_programme
    from dashboard.server import runtime, stand_view
    from data.accounts.users import User
    from data.db import make_engine
    from data.programme import stand_store
    from tests.conftest import reset_app_state
    from tests.demo_files import demo_copy

    folder = tmp_path_factory.mktemp("libreoffice")
    url = demo_copy(folder / "warehouse.db")
    engine = make_engine(url)
    server = app_module.create_app({"DATABASE_URL": url}).server
    runtime.configure(engine, public_read=True)
    try:
        manager = User(1, "pm", "Petra Manager", "programmamanager", frozenset())
        for view in ("?kpi=instroom&jaar=2025&by=school&per=jaar", "?kpi=gem_wachttijd&jaar=2025&by=&per=kwartaal"):
            assert stand_view.add_view(manager, view).ok
        served = folder / "served.pptx"
        served.write_bytes(server.test_client().get("/export/presentatie.pptx?jaar=2025").data)
        # the model of the served deck, from the service that served it (its KPI results are cached)
        deck = build_deck(runtime.service(), read_programme(engine, vastgesteld_only=True), 2025,
                          dias=stand_store.list_dias(engine))
        strained = stress_deck(deck)
        (folder / "strained.pptx").write_bytes(render(strained))
    finally:
        reset_app_state()
        engine.dispose()
    pdfs = to_pdf([served, folder / "strained.pptx"], folder)
    return {"served": (deck, pdf_words(pdfs[0])), "strained": (strained, pdf_words(pdfs[1]))}


@pytest.mark.parametrize("name", ["served", "strained"])
def test_libreoffice_draws_every_slide_with_its_title_and_number(rendered, name):
    deck, pages = rendered[name]
    assert len(pages) == len(deck.slides)
    for number, (slide, words) in enumerate(zip(deck.slides, pages, strict=True), start=1):
        text = " ".join(w.text for w in words)
        assert slide.title.split()[0] in text
        assert f"Dia {number} van {len(deck.slides)}" in text  # the field, filled in by LibreOffice


def test_the_charts_numbers_are_dutch_in_a_libreoffice_of_another_language(tmp_path):
    """LibreOffice in English drew a rapportcijfer's axis as 8.0, 7.0 … (and a spreadsheet's 1,167
    and 13.5%): the number formats carry the Dutch language tag, so it writes 8,0 as a Dutch Office does."""
    require_tools()
    from pptx import Presentation

    from dashboard.exports import slide_layout as L
    from dashboard.exports.slide_model import Chart, Series
    from dashboard.exports.slides_pptx import add_chart

    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])  # blank
    years = ("2023", "2024", "2025")
    add_chart(slide, Chart("lijn", "Rapportcijfer", years, (Series("Realisatie", (6.9, 7.1, 7.4)),), "cijfer"),
              L.Box(0.3, 0.3, 4.5, 3.5), 14, True)
    add_chart(slide, Chart("lijn", "Uitval", years, (Series("Realisatie", (8.1, 7.2, 7.9)),), "%"),
              L.Box(5.0, 0.3, 4.5, 3.5), 14, True)
    prs.save(tmp_path / "getallen.pptx")
    (pdf,) = to_pdf([tmp_path / "getallen.pptx"], tmp_path, locale="C.UTF-8")
    words = [w.text for page in pdf_words(pdf) for w in page]
    assert [w for w in words if re.fullmatch(r"\d+\.\d+%?", w)] == []
    assert {"7,0", "7,5%"} & set(words), words


@pytest.mark.parametrize("name", ["served", "strained"])
def test_no_text_outside_the_slide_or_over_the_footer_band(rendered, name):
    deck, pages = rendered[name]
    footer_words = set(deck.footer.split()) | {"Dia", "van"} | {str(n) for n in range(1, len(deck.slides) + 1)}
    for slide, words in zip(deck.slides, pages, strict=True):
        for word in words:
            where = (slide.title, word)
            assert -TOLERANCE <= word.x0 and word.x1 <= SLIDE_WIDTH + TOLERANCE, where
            assert -TOLERANCE <= word.y0 and word.y1 <= SLIDE_HEIGHT + TOLERANCE, where
            if word.y1 > FOOTER_LINE + TOLERANCE:  # only the footer lies in its band
                assert word.y0 >= FOOTER_LINE and word.text in footer_words, where


@pytest.mark.parametrize("name", ["served", "strained"])
def test_no_word_of_a_table_is_broken(rendered, name):
    from dashboard.exports.slide_layout import cell_text, layout

    deck, pages = rendered[name]
    checked = 0
    for slide, words in zip(deck.slides, pages, strict=True):
        if slide.table is None or not layout(slide).table_beside:
            continue
        drawn = {w.text for w in words}
        cells = [c.label for c in slide.table.columns] + [cell_text(c) for row in slide.table.rows for c in row]
        for word in {w for text in cells for w in text.split() if re.search(r"\w", w)}:
            assert word in drawn, (slide.title, word)
            checked += 1
    assert checked > 100
