"""The progress report as a tagged PDF: report model → HTML → WeasyPrint → PDF bytes.

Every text is escaped here; layout and page furniture (A4, running header, "pagina 3 van 24",
table of contents with page numbers) live in report_assets/rapport.css. Fonts are the system's
(Liberation Sans, DejaVu Sans): nothing is fetched. The PDF is PDF/UA-1: tagged (headings, tables
with header cells, figures with alt text), language nl, title in the metadata, bookmarks.

Command line:  python -m dashboard.exports.report_pdf --jaar 2025 --uit rapport.pdf [--db URL]
"""
from __future__ import annotations

import argparse
import base64
import datetime as dt
import sys
from collections import Counter
from html import escape
from pathlib import Path
from typing import Sequence

from dashboard.exports import forecast_report
from dashboard.exports.growth_report import growth_html, growth_toc
from dashboard.exports.report_content import (
    AxisSummary,
    IndicatorLine,
    LijnSection,
    MaatregelLine,
    Report,
    ReportYearError,
    build_report,
    parse_year,
)
from data.cli_errors import url_argument

ASSETS = Path(__file__).with_name("report_assets")
STATUS_TEKENS = {"op_koers": "✓", "aandacht": "!", "achter": "✕", "geen": "–"}


def e(text: object) -> str:
    """Escaped text; an amount never breaks after its euro sign."""
    return escape(str(text), quote=True).replace("€ ", "€&#160;")


def kept(text: object) -> str:
    """Escaped text of a narrow table cell: "t/m" is one word (a line may break after a slash, and
    "t/" ending a line reads as a typo)."""
    return e(text).replace("t/m", "t/\u2060m")


def status_html(label: str, code: str) -> str:
    return (f'<span class="status status-{e(code)}"><span class="teken">{STATUS_TEKENS.get(code, "–")}'
            f'</span>&#160;{e(label)}</span>')  # the sign never parts from its word


def cover(r: Report) -> str:
    rows = [("Gemeente", r.gemeente), ("Rapportagejaar", str(r.jaar)),
            ("Gegevens", r.gegevens_tot.removeprefix("gegevens ")),
            # the file's moment, named as in appendix B: a stand's 'Gemaakt op' is when it was frozen
            ("Rapport gemaakt op", r.gegenereerd_op), ("Bron", "Jeugdmonitor, " + r.bron)]
    if r.stand:  # frozen figures: say so first, as the screens' banner does ("Vastgestelde stand per …")
        rows.insert(0, ("Vastgestelde stand", r.stand.removeprefix("Stand ")))
    meta = "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in rows)
    note = f'<p class="cover-note">{e(r.onvolledig)}</p>' if r.onvolledig else ""
    return (f'<section class="cover"><p class="cover-org">Gemeente {e(r.gemeente)}</p>'
            f'<h1>{e(r.titel)}</h1><p class="cover-year">Rapportagejaar {r.jaar} · {e(r.gegevens_tot)}</p>'
            f'<dl class="cover-meta">{meta}</dl>{note}'
            '<p class="cover-foot">Bijlage bij de raadsinformatiebrief over de voortgang van het '
            'Programmaplan Jeugd. Alle cijfers komen uit de Jeugdmonitor en zijn dezelfde als in het '
            'dashboard.</p></section>')


def _forecast_number(r: Report) -> int:
    """The forecast's section after the axes and, when there is one, why the kosten changed."""
    return len(r.assen) + 1 + (r.kostengroei is not None)


def toc_entries(r: Report) -> list[tuple[str, str, int]]:
    """(anchor, text, level) for the table of contents."""
    entries = [("samenvatting", "1. Samenvatting per as", 1)]
    entries += [(f"as-{i}", f"1.{i} {a.naam}", 2) for i, a in enumerate(r.assen, 1)]
    entries += growth_toc(r.kostengroei, f"1.{len(r.assen) + 1}")
    if r.prognose:
        entries.append((forecast_report.ANCHOR, f"1.{_forecast_number(r)} {r.prognose.titel}", 2))
    entries.append(("lijnen", "2. Strategische lijnen en maatregelen", 1))
    entries += [(f"lijn-{l.nummer}", f"2.{l.nummer} Lijn {l.nummer}: {l.naam}", 2) for l in r.lijnen]
    entries += [("bijlage-a", "Bijlage A. Definities van de KPI's", 1),
                ("bijlage-b", "Bijlage B. Gegevens en bronnen", 1),
                ("bijlage-c", "Bijlage C. Afscherming en statusregel", 1)]
    return entries


def table_of_contents(r: Report) -> str:
    items = "".join(f'<li class="toc-{level}"><a href="#{a}">{e(text)}</a></li>'
                    for a, text, level in toc_entries(r))
    return (f'<nav class="toc" aria-labelledby="inhoud"><h2 id="inhoud">Inhoud</h2><ul>{items}</ul></nav>'
            '<section class="leeswijzer"><h3>Leeswijzer</h3>'
            '<p>Hoofdstuk 1 geeft per as (kwaliteit, kwantiteit, kosten en tevredenheid) de KPI\'s van '
            f'{r.jaar}: de waarde, de streefwaarde, de status en de verandering ten opzichte van '
            f'{r.jaar - 1}. Hoofdstuk 2 volgt het programmaplan: per strategische lijn de maatregelen met '
            f'trekker en hun status in {r.jaar} (die van het laatste kwartaal van {r.jaar} waarover de trekker '
            'rapporteerde, met zijn toelichting), en de indicatoren met nulmeting, streefwaarden en realisatie per jaar. '
            'De bijlagen geven de definities, de bronnen en de regel voor kleine aantallen.</p>'
            '<p>De status staat altijd in woorden: <em>op koers</em> (streefwaarde gehaald), '
            '<em>aandacht</em> (net niet gehaald) of <em>achter</em>.</p>'
            f'<p>{e(r.kleine_aantallen)} De regel staat in bijlage C.</p></section>')


def small_numbers_note(r: Report, shown: bool) -> str:
    """The small-number line under a table that shows a `<T` or a manual realisatie: it says what
    `<T` means beside a mean or a rapportcijfer too, and why a manual figure below T is shown."""
    return f'<p class="kleine-aantallen">{e(r.kleine_aantallen)}</p>' if shown else ""


def axis_table(a: AxisSummary, jaar: int, deeljaar: tuple[int, str] | None = None) -> str:
    """`deeljaar`: the year the data end in, (2026, "t/m september"): its value column says so, and
    the change is against the same months of the year before (as the cells say)."""
    # the months on a line of their own under the header, as the indicator table's year columns
    months = f'<span class="context">{e(deeljaar[1])}</span>' if deeljaar and deeljaar[0] == jaar else ""
    body = "".join(
        f'<tr><th scope="row">{e(k.naam)}</th><td class="num">{e(k.waarde)}</td>'
        f'<td class="num">{e(k.streefwaarde)}</td><td>{status_html(k.status, k.status_code)}</td>'
        f'<td>{kept(k.verandering)}</td></tr>' for k in a.kpis)
    return (f'<table class="summary"><caption>{e(a.naam)}: KPI\'s in {jaar}</caption><thead><tr>'
            f'<th scope="col">KPI</th><th scope="col" class="num">Waarde {jaar}{months}</th>'
            f'<th scope="col" class="num">Streefwaarde {jaar}</th><th scope="col">Status</th>'
            f'<th scope="col">Verandering t.o.v. {jaar - 1}{months}</th></tr></thead><tbody>{body}</tbody></table>')


def status_sentence(r: Report) -> str:
    counts: dict[str, int] = {}
    for a in r.assen:
        for code, n in a.status_counts().items():
            counts[code] = counts.get(code, 0) + n
    total = sum(counts.values())
    op_koers, aandacht, achter, geen = (counts.get(code, 0) for code in ("op_koers", "aandacht", "achter", "geen"))

    def verb(n: int, one: str, more: str) -> str:  # the verb agrees with its number: "1 heeft", "2 hebben"
        return one if n in (0, 1) else more           # and "geen" with the singular: "vraagt er geen"

    def count(n: int) -> str:  # "vragen er 0 aandacht" read as a figure to look up
        return "geen" if n == 0 else str(n)

    # the year first: "zijn er in 2025 13 op koers" put two numbers side by side, read as one
    judged = (f"In {r.jaar} {verb(op_koers, 'is', 'zijn')} er van de {total} KPI's {count(op_koers)} op koers, "
              f"{verb(aandacht, 'vraagt', 'vragen')} er {count(aandacht)} aandacht en "
              f"{verb(achter, 'loopt', 'lopen')} er {count(achter)} achter")
    if not geen:
        return judged + "."
    # the reasons as the table's status column gives them: most KPIs without a status do have a
    # value and a streefwaarde (the year still runs, the follow-up period, a hidden value)
    reasons = Counter(k.status for a in r.assen for k in a.kpis if k.status_code == "geen")
    if len(reasons) == 1:  # "2 hebben geen status: geen streefwaarde"
        why = next(iter(reasons))
    else:  # "11 hebben geen status: oordeel na afloop van het jaar bij 7, afgeschermd (<10) bij 2, …"
        # the reason first: "7 oordeel na afloop van het jaar" read as a count of judgements
        why = ", ".join(f"{label} bij {n}" for label, n in sorted(reasons.items(), key=lambda item: (-item[1], item[0])))
    return f"{judged}; {geen} {verb(geen, 'heeft', 'hebben')} geen status: {why}."


def summary(r: Report) -> str:
    note = f'<p class="note">{e(r.onvolledig)}</p>' if r.onvolledig else ""
    parts = [f'<section class="chapter" id="samenvatting"><h2>1. Samenvatting per as</h2>'
             f'<p>{e(status_sentence(r))} De streefwaarde is die van de indicator in het programmaplan '
             'die de KPI meet; de cijfers zijn dezelfde als op het overzicht van het dashboard.</p>'
             f'{note}']
    for i, a in enumerate(r.assen, 1):
        left_out = f'<p class="note">{e(a.niet_getoond)}</p>' if a.niet_getoond else ""
        table = axis_table(a, r.jaar, r.deeljaar) if a.kpis else ""  # no header over nothing
        parts.append(f'<section class="axis" id="as-{i}"><h3>1.{i} {e(a.naam)}</h3>{left_out}'
                     f'{table}{small_numbers_note(r, a.shows_small_numbers(r.drempel))}</section>')
    parts.append(growth_html(r.kostengroei, f"1.{len(r.assen) + 1}"))  # why the kosten changed
    if r.prognose:
        parts.append(forecast_report.forecast_html(r.prognose, f"1.{_forecast_number(r)}"))
    parts.append("</section>")
    return "".join(parts)


def maatregel_table(l: LijnSection, jaar: int) -> str:
    if not l.maatregelen:
        return '<p>Deze lijn heeft geen maatregelen.</p>'
    body = "".join(f'<tr><th scope="row"><span class="nr">{e(m.nummer)}</span> {e(m.naam)}</th>'
                   f'<td>{e(m.trekker)}</td><td>{maatregel_status_html(m)}</td><td>{e(m.schaal)}</td></tr>'
                   for m in l.maatregelen)
    return (f'<table class="maatregelen"><caption>Maatregelen van lijn {l.nummer}: status {jaar} en '
            'toelichting van de trekker</caption><thead><tr>'
            f'<th scope="col">Maatregel</th><th scope="col">Trekker</th><th scope="col">Status {jaar}</th>'
            f'<th scope="col">Schaal</th></tr></thead><tbody>{body}</tbody></table>')


def maatregel_status_html(m: MaatregelLine) -> str:
    """The year's status, which quarter it is from, and the trekker's toelichting (it wraps)."""
    wanneer = f'<span class="context">{e(m.wanneer)}</span>' if m.wanneer else ""
    toelichting = f'<span class="toelichting user-text">{e(m.toelichting)}</span>' if m.toelichting else ""
    return f'{e(m.status)}{wanneer}{toelichting}'



def target_html(text: str) -> str:
    """"streefwaarde 1.127" with the value on a line of its own, the same in every column. A moved
    target's plan value goes below it ("600 dagen", then "(was 507 dagen)"): on one unbreakable line
    the pair is wider than a year's column and ran over the next year's target."""
    label, _, value = text.partition(" ")
    shown, moved, was = value.partition(" (was ")
    plan = (f'<span class="doel-was">(was <span class="doel-waarde-los">{e(was.removesuffix(")"))}</span>)</span>'
            if moved else "")
    return f'<span class="doel">{e(label)} <span class="doel-waarde">{e(shown)}</span>{plan}</span>'


def indicator_row(ind: IndicatorLine) -> str:
    cells = "".join(
        f'<td class="num"><span class="real">{e(c.realisatie)}</span>'
        + (target_html(c.streefwaarde) if c.streefwaarde else "") + "</td>"
        for c in ind.cells)
    return (f'<tr><th scope="row">{e(ind.naam)}<span class="context">{e(ind.context)}; '
            f'{e(ind.soort)}, {e(ind.herkomst)}</span></th>{cells}'
            f'<td>{status_html(ind.status, ind.status_code)}</td></tr>')


def year_header(jaar: int, upto: int, deeljaar: tuple[int, str] | None) -> str:
    """A year column; the year the data end in says how far they reach, if it has realisaties."""
    note = (f'<span class="context">{e(deeljaar[1])}</span>'
            if deeljaar and deeljaar[0] == jaar and jaar <= upto else "")
    return f'<th scope="col" class="num">{jaar}{note}</th>'


def indicator_table(l: LijnSection, jaar: int, deeljaar: tuple[int, str] | None = None) -> str:
    if not l.indicatoren:
        return '<p>Deze lijn heeft geen indicatoren.</p>'
    years = "".join(year_header(c.jaar, jaar, deeljaar) for c in l.indicatoren[0].cells)
    body = "".join(indicator_row(ind) for ind in l.indicatoren)
    return (f'<table class="indicatoren"><caption>Indicatoren van lijn {l.nummer}: per jaar de '
            'realisatie, daaronder de nulmeting of streefwaarde</caption><thead><tr>'
            f'<th scope="col">Indicator</th>{years}<th scope="col">Status {jaar}</th></tr></thead>'
            f'<tbody>{body}</tbody></table>')


def chart_html(l: LijnSection, svg: bytes | None, reden: str | None) -> str:
    if not l.indicatoren:
        return ""
    if svg is None:
        return (f'<p class="note chart-missing">{e(reden or "Geen grafiek.")} '
                f'(Grafiek bij lijn {l.nummer}: zie de tabel met indicatoren.)</p>')
    data = base64.b64encode(svg).decode("ascii")
    return (f'<figure class="chart"><img src="data:image/svg+xml;base64,{data}" alt="{e(l.grafiek_alt)}">'
            f'<figcaption>Figuur {l.nummer}. {e(l.grafiek_titel)}: doorgetrokken lijn = realisatie, '
            'gestreept = nulmeting en streefwaarden'
            + "".join(f'; open punt = {year} {e(words)}, het jaar is nog niet compleet' for year, words in l.deeljaar.items())
            + '.</figcaption></figure>')


def lijn_html(l: LijnSection, r: Report, svg: bytes | None, reden: str | None) -> str:
    return (f'<section class="lijn" id="lijn-{l.nummer}"><h3 data-kop="Lijn {l.nummer}">2.{l.nummer} Lijn {l.nummer}: {e(l.naam)}</h3>'
            f'<p class="lead">{e(l.omschrijving)}</p><p>{e(l.samenvatting)}</p>'
            f'<h4>Maatregelen</h4>{maatregel_table(l, r.jaar)}'
            f'<h4>Indicatoren</h4>{chart_html(l, svg, reden)}{indicator_table(l, r.jaar, r.deeljaar)}'
            f'{small_numbers_note(r, l.shows_small_numbers())}</section>')


def programme(r: Report, svgs: Sequence[bytes | None], reden: str | None) -> str:
    head = '<section class="chapter" id="lijnen"><h2>2. Strategische lijnen en maatregelen</h2>'
    if not r.lijnen:
        return head + '<p>Er is nog geen programma geladen.</p></section>'
    lijnen = "".join(lijn_html(l, r, svg, reden) for l, svg in zip(r.lijnen, svgs, strict=True))
    return (f'{head}<p>Het programmaplan werkt langs {len(r.lijnen)} strategische lijnen. Per lijn staan '
            f'hieronder de maatregelen met hun trekker en hun status in {r.jaar}: die van het laatste kwartaal '
            f'van {r.jaar} waarover de trekker rapporteerde, met dat kwartaal en zijn toelichting. Daarna de '
            'indicatoren: de realisatie per jaar '
            f'vanaf de nulmeting ({r.plan.jaren_met_nulmeting.start}), met de streefwaarden tot en met '
            f'{r.plan.laatste_jaar}. Indicatoren "uit de gegevens" rekent de Jeugdmonitor uit; bij '
            f'"opgave trekker" vult de trekker de realisatie in.</p>{lijnen}</section>')


def annexes(r: Report) -> str:
    defs = "".join(
        f'<tr><th scope="row">{e(d.naam)}</th><td>{e(d.as_naam)}</td><td>{e(d.eenheid)}</td>'
        f'<td>{e(d.richting)}</td><td>{e(d.definitie)} <span class="context">Rust op: {e(d.n)}.</span></td></tr>'
        for d in r.definities)
    bronnen = [("Gegevens", r.gegevens_tot.removeprefix("gegevens ")), ("Geladen op", r.geladen_op or "–"),
               ("Bron van de gegevens", r.bron),
               ("Programma", f"{r.plan.naam}, gemeente {r.plan.gemeente}; streefwaarden, statussen "
                             "en handmatige realisaties zoals ingevoerd in de Jeugdmonitor"),
               ("Rapport gemaakt op", r.gegenereerd_op)]
    bron_rows = "".join(f'<tr><th scope="row">{e(k)}</th><td>{e(v)}</td></tr>' for k, v in bronnen)
    return (
        '<section class="annex" id="bijlage-a"><h2>Bijlage A. Definities van de KPI\'s</h2>'
        '<p>De KPI\'s volgen de openbare definities van de Jeugdmonitor (versie 1). Een jaar is de '
        'periode van 1 januari tot en met 31 december.</p>'
        '<table class="definities"><caption>Definities van de KPI\'s</caption><thead><tr>'
        '<th scope="col">KPI</th><th scope="col">As</th><th scope="col">Eenheid</th>'
        f'<th scope="col">Richting</th><th scope="col">Definitie</th></tr></thead><tbody>{defs}</tbody></table></section>'
        '<section class="annex" id="bijlage-b"><h2>Bijlage B. Gegevens en bronnen</h2>'
        f'<table class="bronnen"><caption>Gegevens en bronnen van dit rapport</caption><tbody>{bron_rows}</tbody></table>'
        + ('<p>Demonstratiegegevens zijn synthetisch: ze beschrijven geen echte kinderen of gezinnen.</p>'
           if "demonstratie" in r.bron else "") + '</section>'
        '<section class="annex" id="bijlage-c"><h2>Bijlage C. Afscherming en statusregel</h2>'
        f'<h3>Kleine aantallen</h3><p>{e(r.afscherming)}</p>'
        f'<h3>Status tegen de streefwaarde</h3><p>{e(r.statusregel)}</p></section>')


def report_html(r: Report, svgs: Sequence[bytes | None] | None = None, reden: str | None = None,
                created: dt.datetime | None = None) -> str:
    """`created`: the moment in the document's metadata (now, unless given)."""
    svgs = list(svgs) if svgs is not None else [None] * len(r.lijnen)
    title = f"{r.titel} – gemeente {r.gemeente}, {r.jaar}"
    created = created or dt.datetime.now()
    return (
        '<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8">'
        f'<title>{e(title)}</title><meta name="author" content="Gemeente {e(r.gemeente)}">'
        f'<meta name="description" content="{e(r.titel)}: rapportagejaar {r.jaar}, {e(r.gegevens_tot)}">'
        '<meta name="keywords" content="jeugdhulp, programmaplan, voortgang, raadsinformatiebrief">'
        f'<meta name="dcterms.created" content="{created.astimezone().isoformat(timespec="seconds")}">'
        f'</head><body>'
        f'<div class="running-title">{e(r.titel)} · {e(r.gemeente)} · {r.jaar}</div>'
        f'{cover(r)}{table_of_contents(r)}{summary(r)}{programme(r, svgs, reden)}{annexes(r)}'
        '</body></html>')


def html_to_pdf(html: str) -> bytes:
    from weasyprint import CSS, HTML

    from dashboard.exports.report_tags import finish

    css = CSS(filename=str(ASSETS / "rapport.css"))
    # pdf/ua-1: tags (headings, tables, figures with alt text), /Lang, title shown, PDF 1.7;
    # `finish` adds what WeasyPrint leaves out (header scope, link text)
    return HTML(string=html, base_url=str(ASSETS)).write_pdf(
        stylesheets=[css], pdf_variant="pdf/ua-1", pdf_tags=True, finisher=finish)


def report_pdf(service, programme_view, jaar: int, gemeente: str | None = None,
               charts: bool = True, stand: str | None = None, now: dt.datetime | None = None) -> bytes:
    """The report of `jaar` as PDF bytes. `charts=False` leaves the charts out (tables only); a
    frozen service and programme with their `stand` label give the report of a vastgestelde stand.
    `now`: when it is made (the cover, annex and metadata say so; the clock's time unless given)."""
    from dashboard.exports.report_charts import lijn_svg

    report = build_report(service, programme_view, jaar, gemeente, now=now, stand=stand)
    if not charts:
        return html_to_pdf(report_html(report, None, "Grafieken zijn op verzoek weggelaten. De cijfers "
                                                     "staan in de tabellen.", created=now))
    return html_to_pdf(report_html(report, [lijn_svg(l, report.drempel) for l in report.lijnen], created=now))


# ---- command line ----------------------------------------------------------------------------

class UsageError(Exception):
    """Bad arguments: exit 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's own errors, in our wording and exit status
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m dashboard.exports.report_pdf",
                     description="Maak de voortgangsrapportage van het Programmaplan Jeugd als PDF.")
    parser.add_argument("--jaar", help="rapportagejaar (standaard: het laatste volledige jaar)")
    parser.add_argument("--uit", required=True, metavar="BESTAND", help="het PDF-bestand om te schrijven")
    parser.add_argument("--db", metavar="URL", type=url_argument, help="database-URL (standaard: DATABASE_URL of de ingebouwde SQLite)")
    parser.add_argument("--zonder-grafieken", action="store_true",
                        help="geen grafieken; de tabellen blijven")
    return parser


def run(args) -> Path:
    from dashboard.programme.progress import read_programme
    from data.bootstrap import ensure_warehouse
    from kpi import totals
    from kpi.service import KpiService

    out = Path(args.uit)
    if out.exists() and out.is_dir():
        raise UsageError(f"--uit: {out} is een map; geef een bestandsnaam, bijvoorbeeld rapport.pdf")
    if not out.parent.exists():
        raise UsageError(f"--uit: de map {out.parent} bestaat niet")
    engine = ensure_warehouse(args.db, derive=totals.after_load, reads_only=True)
    try:
        service = KpiService(engine)
        jaar = parse_year(args.jaar, service.data_status().data_tot)
        pdf = report_pdf(service, read_programme(engine, vastgesteld_only=True), jaar, charts=not args.zonder_grafieken)
    finally:
        engine.dispose()
    out.write_bytes(pdf)
    return out


def _unexpected(exc: BaseException) -> str:
    from sqlalchemy.exc import OperationalError

    from data.cli_errors import describe_on_command_line as describe

    if isinstance(exc, OperationalError):
        return describe(exc)
    return f"het rapport kon niet worden gemaakt ({describe(exc)})"


def main(argv: Sequence[str] | None = None) -> int:
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")
    from data.cli_errors import run_command
    from data.db import DatabaseUrlError
    from kpi.settings import SettingError, check_disclosure_settings

    def work() -> int:
        check_disclosure_settings()
        out = run(build_parser().parse_args(argv))
        print(f"rapport geschreven: {out}")
        return 0
    return run_command(work, bad_input=(UsageError, ReportYearError, SettingError, DatabaseUrlError),
                       unexpected=_unexpected)


if __name__ == "__main__":
    sys.exit(main())
