"""From every stored iJw message to the import format's trajecten, verblijf, kosten and aanbieders
(docs/ijw.md, "Van berichten naar het warehouse"). The result goes through the CSV loader's own
checks (data/warehouse/loader.py), so a derived row obeys exactly the contract's rules.

- A traject per toewijzing, keyed by gemeente and ToewijzingNummer (traject_id `0406-12345`). Of
  several JW301s for one toewijzing the one with the latest Toewijzingsdatum and -tijd counts
  (iJw OP033x1); a toewijzing whose current version is "verwijderd" (RedenWijziging 13, or the
  outdated 01, with Einddatum = Ingangsdatum) counts as never sent.
- startdatum: the earliest JW305 Begindatum that was not withdrawn (StatusAanlevering 3 with the
  same ToewijzingNummer and Begindatum). A toewijzing without a start but with toegekende
  declaraties starts on the first declared day; one with neither is no traject (yet).
- einddatum and reden_einde: the latest final JW307 (not withdrawn, RedenBeeindiging other than 20
  "tijdelijk beëindigd"), unless a start follows it (the help resumed).
- verwijzer and aanmelddatum: from the JW315 whose ReferentieAanbieder the toewijzing carries;
  without one the gemeente's own toegang referred (verwijzer `gemeente`) and the request is the
  first toewijzing's date. A request after the start (crisis: help first) gives no aanmelddatum.
- hulpvorm and verblijfsvorm from the productcategorie (data/warehouse/ijw/codes.py), or from the
  gemeente's product codes where it gave them (data/warehouse/ijw/products.py); a toewijzing with
  verblijf also is a stay in `verblijf` with the traject's dates.
- kosten: every toegekende prestatie, one row each: the JW323 was answered by a JW325, the answer
  did not reject the declaration as a whole, and did not list the prestatie (a JW325 lists only
  the rejected ones). maand: the month of the ProductPeriode's Begindatum; ontvangen: the
  DeclaratieDagtekening; a credit line is negative.
- aanbieders: those already in the warehouse, plus every AGB code of a traject that is not, named
  "Aanbieder met AGB-code …" until an aanbieders.csv gives the name.
- beside the import format's columns, per traject: the JW315's date (verzoekdatum), the first
  JW301's Toewijzingsdatum and the current one's Ingangsdatum, for the doorlooptijden.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import Connection, select

from data.warehouse.ijw import codes, health
from data.warehouse.ijw.health import START_TERMIJN_DAGEN
from data.warehouse.ijw.messages import IjwProblem
from data.warehouse.ijw.products import forms, product_forms
from data.warehouse.ijw.schema import (
    IjwAfwijzing,
    IjwAntwoord,
    IjwBericht,
    IjwLevering,
    IjwPrestatie,
    IjwToewijzing,
    IjwVerzoek,
)
from data.warehouse.schema import Aanbieder

ACCEPTED_ANSWERS = frozenset({"0200", "8001"})  # WJ001: geen opmerking, volledig toegewezen
DELETED = frozenset({"13", "01"})  # JZ002 verwijderd (and the outdated administratieve correctie)
DERIVED_TABLES = ("aanbieders", "trajecten", "verblijf", "kosten")


@dataclass
class DerivedFile:
    """A derived table as the loader reads a file: a header and records, with each record's place
    in the messages (for problems)."""
    name: str
    header: list[str]
    rows: list[tuple[str, ...]] = field(default_factory=list)
    locations: list[tuple[str, str]] = field(default_factory=list)  # (file, xpath) per row
    delimiter: str = ","
    broken: bool = False

    def add(self, row: tuple, location: tuple[str, str]) -> None:
        self.rows.append(tuple("" if v is None else str(v) for v in row))
        self.locations.append(location)

    @property
    def sha256(self) -> str:
        digest = hashlib.sha256()
        for row in self.rows:
            digest.update(("\x1f".join(row) + "\n").encode("utf-8"))
        return digest.hexdigest()

    def records(self, keep_undecodable: bool = True):  # derived from parsed XML: always text
        for index, row in enumerate(self.rows, start=2):  # "line" 2 is the first record, as in a file
            yield index, list(row)

    def location(self, line: int) -> tuple[str, str] | None:
        index = line - 2
        return self.locations[index] if 0 <= index < len(self.locations) else None

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None


@dataclass
class _Toewijzing:
    gemeente: str
    row: object  # the current version (an IjwToewijzing row joined with its message)
    first_date: dt.date
    referentie: str | None


@dataclass
class Derived:
    files: dict[str, DerivedFile]  # aanbieders, trajecten, verblijf, kosten
    # per traject_id: (verzoekdatum, toewijzingsdatum, ingangsdatum), the trajecten columns the
    # import format does not have (the doorlooptijden KPIs)
    dates: dict[str, tuple[dt.date | None, dt.date, dt.date]]
    signals: list[dict]  # rows of ijw_signaal (data/warehouse/ijw/health.py)


def derive(conn: Connection, problems: list[IjwProblem]) -> Derived:
    toewijzingen = _current_toewijzingen(conn)
    requests = {(r.aanbieder_code, r.referentie): r for r in conn.execute(
        select(IjwVerzoek).order_by(IjwVerzoek.verzoekdatum, IjwVerzoek.id))}
    starts, stops = _deliveries(conn)
    own_products = product_forms(conn)
    judged = _judged(conn)
    kosten_rows = [j.prestatie for j in judged if j.verdict == "toegekend"]

    trajecten = DerivedFile("trajecten", ["traject_id", "jeugdige_id", "geboortejaar", "wijk_code", "school_code",
                                          "verwijzer", "hulpvorm", "aanbieder_code", "aanmelddatum", "startdatum",
                                          "einddatum", "reden_einde", "doelrealisatie", "financiering"])
    verblijf = DerivedFile("verblijf", ["verblijf_id", "traject_id", "verblijfsvorm", "startdatum", "einddatum"])
    kosten = DerivedFile("kosten", ["traject_id", "maand", "bedrag", "ontvangen"])
    dates: dict[str, tuple[dt.date | None, dt.date, dt.date]] = {}
    first_declared: dict[tuple[str, str], dt.date] = {}
    for p in kosten_rows:
        key = (p.ontvanger, p.toewijzingnummer)
        first_declared[key] = min(first_declared.get(key, p.begindatum), p.begindatum)

    started: set[tuple[str, str]] = set()
    ended: set[tuple[str, str]] = set()
    for key in sorted(toewijzingen):
        t = toewijzingen[key]
        row = t.row
        start_dates = starts.get(key, [])
        startdatum = min(start_dates) if start_dates else first_declared.get(key)
        if startdatum is None:
            continue  # toegewezen, not (yet) started: the berichtenverkeer's health shows it
        started.add(key)
        einddatum = reden = None
        final = [s for s in stops.get(key, []) if s.reden_beeindiging != codes.TIJDELIJK_BEEINDIGD]
        if final:
            last = max(final, key=lambda s: (s.einddatum, s.dagtekening))
            if last.einddatum < startdatum:
                problems.append(IjwProblem(last.bestand, last.xpath + "/Einddatum", (
                    f"de zorg stopt op {last.einddatum}, voor de start op {startdatum} "
                    f"(ToewijzingNummer {row.toewijzingnummer!r})")))
                continue
            if not any(d > last.einddatum for d in start_dates):
                einddatum, reden = last.einddatum, codes.REDEN_BEEINDIGING[last.reden_beeindiging]
                ended.add(key)
        verwijzer, aanmelddatum = "gemeente", t.first_date
        request = requests.get((row.aanbieder_code, t.referentie)) if t.referentie else None
        if request is not None:
            verwijzer, aanmelddatum = request.verwijzer, request.verzoekdatum
        dates[f"{t.gemeente}-{row.toewijzingnummer}"] = (
            request.verzoekdatum if request is not None else None, t.first_date, row.ingangsdatum)
        if aanmelddatum > startdatum:
            aanmelddatum = None
        hulpvorm, verblijfsvorm = forms(row.categorie, row.productcode, own_products)
        traject_id = f"{t.gemeente}-{row.toewijzingnummer}"
        location = (row.bestand, row.xpath)
        trajecten.add((traject_id, row.jeugdige_id, row.geboortejaar, row.wijk_code, None, verwijzer, hulpvorm,
                       row.aanbieder_code, aanmelddatum, startdatum, einddatum, reden, None, "zin"), location)
        if verblijfsvorm is not None:
            verblijf.add((traject_id, traject_id, verblijfsvorm, startdatum, einddatum), location)

    for p in kosten_rows:
        key = (p.ontvanger, p.toewijzingnummer)
        if key not in started:
            problems.append(IjwProblem(p.bestand, p.xpath + "/ToewijzingNummer", (
                f"toegekende prestatie voor ToewijzingNummer {p.toewijzingnummer!r} van gemeente {p.ontvanger}, "
                "maar er is geen toewijzing (JW301) met dat nummer geladen" if key not in toewijzingen else
                f"toegekende prestatie voor ToewijzingNummer {p.toewijzingnummer!r}, maar die toewijzing is "
                "verwijderd (RedenWijziging 13)")))
            continue
        kosten.add((f"{p.ontvanger}-{p.toewijzingnummer}", p.begindatum.strftime("%Y-%m"),
                    _euros(p.bedrag_cent), p.ingediend_op), (p.bestand, p.xpath))

    aanbieders = DerivedFile("aanbieders", ["aanbieder_code", "aanbieder_naam"])
    known = dict(conn.execute(select(Aanbieder.aanbieder_code, Aanbieder.aanbieder_naam)).all())
    for code in sorted({r[7] for r in trajecten.rows} - set(known)):
        known[code] = f"Aanbieder met AGB-code {code}"
    for code in sorted(known):
        aanbieders.add((code, known[code]), ("aanbieders", "/"))
    files = {"aanbieders": aanbieders, "trajecten": trajecten, "verblijf": verblijf, "kosten": kosten}
    return Derived(files, dates, _signals(conn, toewijzingen, starts, started, ended, judged))


def _euros(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def _current_toewijzingen(conn: Connection) -> dict[tuple[str, str], _Toewijzing]:
    versions: dict[tuple[str, str], list] = defaultdict(list)
    query = (select(IjwToewijzing, IjwBericht.afzender.label("gemeente"), IjwBericht.dagtekening,
                    IjwBericht.bestand)
             .join(IjwBericht, IjwBericht.bericht_id == IjwToewijzing.bericht_id))
    for row in conn.execute(query):
        versions[(row.gemeente, row.toewijzingnummer)].append(row)
    current = {}
    for key, rows in versions.items():
        rows.sort(key=lambda r: (r.toewijzingsdatum, r.toewijzingstijd, r.dagtekening, r.id))
        latest = rows[-1]
        if latest.reden_wijziging in DELETED and latest.einddatum == latest.ingangsdatum:
            continue
        referentie = next((r.referentie for r in rows if r.referentie), None)
        current[key] = _Toewijzing(key[0], latest, rows[0].toewijzingsdatum, referentie)
    return current


def _deliveries(conn: Connection):
    """Per (gemeente, toewijzingnummer): the start dates and the stop rows not withdrawn."""
    query = (select(IjwLevering, IjwBericht.ontvanger.label("gemeente"), IjwBericht.bestand)
             .join(IjwBericht, IjwBericht.bericht_id == IjwLevering.bericht_id))
    rows = list(conn.execute(query))
    withdrawn = {(r.gemeente, r.toewijzingnummer, r.soort, r.begindatum, r.einddatum)
                 for r in rows if r.status == "3"}
    starts: dict[tuple[str, str], list[dt.date]] = defaultdict(list)
    stops: dict[tuple[str, str], list] = defaultdict(list)
    for r in rows:
        if r.status != "1" or (r.gemeente, r.toewijzingnummer, r.soort, r.begindatum, r.einddatum) in withdrawn:
            continue
        if r.soort == "start":
            starts[(r.gemeente, r.toewijzingnummer)].append(r.begindatum)
        else:
            stops[(r.gemeente, r.toewijzingnummer)].append(r)
    return starts, stops


@dataclass(frozen=True)
class _Judged:
    """Every declared line with the gemeente's verdict: 'toegekend', 'afgewezen' (with the first
    retourcode) or 'open' (no answer yet)."""
    prestatie: object
    verdict: str
    retourcode: str | None = None


def _judged(conn: Connection) -> list[_Judged]:
    """Every prestatie with its verdict, in a stable order (kosten.regel follows it)."""
    whole: dict[tuple[str, str], str | None] = {}  # answered declarations: None, or the code rejecting all
    for r in conn.execute(select(IjwAntwoord.aanbieder_code, IjwAntwoord.declaratienummer, IjwAntwoord.retourcodes)
                          .order_by(IjwAntwoord.id)):
        rejecting = [c for c in r.retourcodes.split() if c not in ACCEPTED_ANSWERS]
        key = (r.aanbieder_code, r.declaratienummer)
        if whole.get(key) is None:
            whole[key] = rejecting[0] if rejecting else None
    listed = {(r.aanbieder_code, r.declaratienummer, r.productreferentie): (r.retourcodes.split() or [None])[0]
              for r in conn.execute(select(IjwAfwijzing.aanbieder_code, IjwAfwijzing.declaratienummer,
                                           IjwAfwijzing.productreferentie, IjwAfwijzing.retourcodes))}
    query = (select(IjwPrestatie, IjwBericht.ontvanger, IjwBericht.bestand)
             .join(IjwBericht, IjwBericht.bericht_id == IjwPrestatie.bericht_id)
             .order_by(IjwBericht.ontvanger, IjwPrestatie.toewijzingnummer, IjwPrestatie.begindatum,
                       IjwPrestatie.ingediend_op, IjwPrestatie.aanbieder_code, IjwPrestatie.productreferentie,
                       IjwPrestatie.id))
    out = []
    for p in conn.execute(query):
        declaration = (p.aanbieder_code, p.declaratienummer)
        line = (*declaration, p.productreferentie)
        if declaration not in whole:
            out.append(_Judged(p, "open"))
        elif whole[declaration] is not None:
            out.append(_Judged(p, "afgewezen", whole[declaration]))
        elif line in listed:
            out.append(_Judged(p, "afgewezen", listed[line]))
        else:
            out.append(_Judged(p, "toegekend"))
    return out


def _signals(conn: Connection, toewijzingen: dict, starts: dict, started: set, ended: set,
             judged: list[_Judged]) -> list[dict]:
    """The health of the berichtenverkeer on the peildatum (data/warehouse/ijw/health.py)."""
    peildatum = health.peildatum(conn)
    out = []

    def signal(soort: str, aanbieder: str, day: dt.date, retourcode: str | None = None) -> None:
        out.append({"soort": soort, "aanbieder_code": aanbieder, "maand": day.replace(day=1),
                    "retourcode": retourcode})

    for key, t in sorted(toewijzingen.items()):
        row = t.row
        if not starts.get(key) and row.ingangsdatum + dt.timedelta(days=START_TERMIJN_DAGEN) < peildatum:
            signal("zonder_start", row.aanbieder_code, row.ingangsdatum)
        if key in started and key not in ended and row.einddatum is not None and row.einddatum < peildatum:
            signal("zonder_stop", row.aanbieder_code, row.einddatum)
    for j in judged:
        p = j.prestatie
        if (p.ontvanger, p.toewijzingnummer) not in toewijzingen:
            signal("zonder_toewijzing", p.aanbieder_code, p.begindatum)
        if j.verdict == "afgewezen":
            signal("afgewezen", p.aanbieder_code, p.begindatum, j.retourcode)
    return out
