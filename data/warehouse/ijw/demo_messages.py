"""The demonstration data set as a gemeente's iJw berichtenarchief: `python -m data demo --ijw MAP`.

    write_demo_messages(folder, seed=2025, scale=1)   # -> counts per message kind

The CSV data set of data/warehouse/demo.py is written as the messages that would have carried it:
per traject a JW315 (when someone other than the gemeente referred), a JW301, a JW305 and, when
it ended, a JW307; per provider, care month and day of receipt a JW323 with its JW325. Beside the
messages: `postcodes.csv` (the postcode → wijk table), `producten.csv` (the region's stay products)
and `csv/` with what iJw does not carry
(wijken, scholen, aanbieders with their names, budget, bevolking, tevredenheid).

What the messages cannot carry is left out, and `twin=` writes the CSV files of exactly what they
do carry (the test loads both and compares every KPI):
- help outside the berichtenverkeer: lokaal team and POH-jeugd (the gemeente's own), pgb, and
  trajecten without a provider;
- school_code and doelrealisatie (not in iJw); tevredenheid's link to a traject;
- a jeugdbeschermingsmaatregel's pleegzorg is no stay of its own (in iJw it would be a second
  toewijzing); a stay has its toewijzing's dates;
- a traject without aanmelddatum gets its startdatum; traject ids become `gemeente-ToewijzingNummer`,
  providers get an (invented) AGB code, jeugdigen an invented BSN (elfproef, range 99xxxxxxx),
  names and addresses are invented.
About 1% of the declarations also hold a line the gemeente rejected (retourcode 9307, or 9338 for
a ToewijzingNummer that does not exist), which is no cost. For /berichtenverkeer: 3% of the ended
trajecten miss their stop message (they run on, in the messages and in the twin), and for 2% of
the trajecten the provider also got a second toewijzing it never started.
"""
from __future__ import annotations

import calendar
import csv
import datetime as dt
import random
import tempfile
from collections import defaultdict
from pathlib import Path

from lxml import etree

from data.warehouse.demo import DATA_TOT, generate_folder
from data.warehouse.ijw import codes

BASIS = "http://www.istandaarden.nl/ijw/3_2/basisschema/schema"
CATEGORIE = {"ambulant": "45", "dagbehandeling": "41", "crisis": "46", "jeugdbescherming": "48",
             "jeugdreclassering": "47"}
# A stay is the region's product in category 43 (jeugdhulp verblijf incl. behandeling), told apart by
# its product code; producten.csv says which code is which stay (load-ijw --producten).
VERBLIJF_PRODUCT = {"pleegzorg": "43P01", "gezinshuis": "43G01", "jeugdzorgplus": "43J01", "residentieel": "43R01",
                    "overig": "43V01"}
JZ588 = {"volgens_plan": "31", "voortijdig_client": "32", "voortijdig_aanbieder": "33",
         "voortijdig_overeenstemming": "34", "externe_omstandigheden": "35", "onbekend": "38"}
NOT_IN_IJW = frozenset({"lokaal_team", "poh_jeugd"})
CSV_TABLES = ("wijken", "scholen", "aanbieders", "budget", "bevolking", "tevredenheid")


def agb(code: str) -> str:
    """An invented AGB code for a demo provider (A01 → 98000001)."""
    return f"980000{int(code[1:]):02d}"


def bsn(number: int) -> str:
    """The `number`-th invented BSN passing the elfproef, in the 99xxxxxxx range."""
    k = 0
    while True:
        head = f"99{number * 3 + k:06d}"
        check = sum(int(d) * w for d, w in zip(head, range(9, 1, -1), strict=True)) % 11
        if check < 10:
            return head + str(check)
        k += 1


def gemeente4(code: str) -> str:
    return code[2:]  # GM0406 → 0406


class _Writer:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.counts: dict[str, int] = defaultdict(int)
        self.sequence = 0

    def message(self, kind: str, afzender: str, ontvanger: str, dagtekening: dt.date) -> tuple:
        ns = f"http://www.istandaarden.nl/ijw/3_2/{kind}/schema"
        root = etree.Element(f"{{{ns}}}Bericht", nsmap={kind: ns, "ijw": BASIS})
        header = self.sub(root, ns, "Header")
        self.sequence += 1
        identificatie = f"D{self.sequence:09d}"
        for name, value in (("BerichtCode", codes.BERICHTCODE[kind]), ("BerichtVersie", "3"),
                            ("BerichtSubversie", "2"), ("Afzender", afzender), ("Ontvanger", ontvanger)):
            self.sub(header, ns, name, value)
        ident = self.sub(header, ns, "BerichtIdentificatie")
        self.sub(ident, BASIS, "Identificatie", identificatie)
        self.sub(ident, BASIS, "Dagtekening", dagtekening.isoformat())
        xsd = self.sub(header, ns, "XsdVersie")
        self.sub(xsd, BASIS, "BasisschemaXsdVersie", "1.0.0")
        self.sub(xsd, BASIS, "BerichtXsdVersie", "1.0.0")
        return root, ns, identificatie

    @staticmethod
    def sub(parent, ns: str, name: str, text: str | None = None):
        element = etree.SubElement(parent, f"{{{ns}}}{name}")
        if text is not None:
            element.text = text
        return element

    def write(self, root, kind: str, sender: str, identificatie: str) -> None:
        directory = self.folder / kind.upper() / sender
        directory.mkdir(parents=True, exist_ok=True)
        (directory / f"{identificatie}.xml").write_bytes(
            etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
        self.counts[kind.upper()] += 1


def _client(w: _Writer, parent, ns: str, person: dict, full: bool) -> None:
    w.sub(parent, ns, "Bsn", person["bsn"])
    birth = w.sub(parent, ns, "Geboortedatum")
    w.sub(birth, BASIS, "Datum", person["geboortedatum"].isoformat())
    w.sub(parent, ns, "Geslacht", person["geslacht"])
    naam = w.sub(parent, ns, "Naam")
    geslachtsnaam = w.sub(naam, BASIS, "Geslachtsnaam")
    w.sub(geslachtsnaam, BASIS, "Achternaam", person["achternaam"])
    w.sub(naam, BASIS, "Voorletters", person["voorletters"])
    if full:
        w.sub(naam, BASIS, "NaamGebruik", "1")


def _contact(w: _Writer, client, ns: str, person: dict) -> None:
    contact = w.sub(w.sub(client, ns, "Contactgegevens"), ns, "Contact")
    w.sub(contact, ns, "Soort", "01")
    adres = w.sub(contact, ns, "Adres")
    huis = w.sub(adres, BASIS, "Huis")
    w.sub(huis, BASIS, "Huisnummer", str(person["huisnummer"]))
    w.sub(adres, BASIS, "Postcode", person["postcode"])
    w.sub(adres, BASIS, "Straatnaam", person["straat"])
    w.sub(adres, BASIS, "Plaatsnaam", "Huizen")
    w.sub(adres, BASIS, "LandCode", "NL")


def _product(w: _Writer, parent, ns: str, product_code: str) -> None:
    product = w.sub(parent, ns, "Product")
    w.sub(product, BASIS, "Categorie", product_code[:2])
    w.sub(product, BASIS, "Code", product_code)


def _postcodes(wijken: list[dict]) -> dict[str, list[str]]:
    """Two invented PC6 postcodes per wijk: Huizen's wijken in 1271–1277, other gemeenten elsewhere."""
    by_gemeente: dict[str, list[str]] = defaultdict(list)
    for wijk in wijken:
        by_gemeente[wijk["gemeente_code"]].append(wijk["wijk_code"])
    result = {}
    for g, (gemeente, codes_) in enumerate(sorted(by_gemeente.items(), key=lambda kv: kv[0] != "GM0406")):
        base = 1271 if gemeente == "GM0406" else 2000 + 10 * g
        for i, wijk in enumerate(codes_):
            pc4 = base + i // 2
            letter = "AB"[i % 2]
            result[wijk] = [f"{pc4}{letter}{x}" for x in "AB"]
    return result


def write_demo_messages(folder: Path | str, seed: int = 2025, scale: int = 1, twin: Path | str | None = None,
                        keep_one_in: int = 1) -> dict[str, int]:
    """Write the demo as messages (+ postcodes.csv and csv/) into `folder`; `twin`: also the CSV
    files of what the messages carry. `keep_one_in`: only every n-th jeugdige (small test sets)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="jeugdmonitor-ijw-demo-") as tmp:
        generate_folder(tmp, seed=seed, scale=scale)
        return _write(Path(tmp), folder, Path(twin) if twin else None, seed, keep_one_in)


def _read(folder: Path, name: str) -> list[dict]:
    with open(folder / f"{name}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _write(source: Path, folder: Path, twin: Path | None, seed: int, keep_one_in: int) -> dict[str, int]:
    rng = random.Random(f"ijw {seed}")
    wijken = _read(source, "wijken")
    gemeente_of_wijk = {w["wijk_code"]: w["gemeente_code"] for w in wijken}
    postcodes = _postcodes(wijken)
    people: dict[str, dict] = {}
    trajecten = []
    for row in _read(source, "trajecten"):
        if row["hulpvorm"] in NOT_IN_IJW or row["financiering"] == "pgb" or not row["aanbieder_code"]:
            continue
        if keep_one_in > 1 and int(row["jeugdige_id"][1:]) % keep_one_in:
            continue
        person = people.get(row["jeugdige_id"])
        if person is None:
            birth = dt.date(int(row["geboortejaar"]), 1, 1) + dt.timedelta(days=rng.randrange(365))
            person = {"bsn": bsn(len(people) + 1), "geboortedatum": birth, "geslacht": rng.choice("12"),
                      "achternaam": f"Demo{len(people) + 1}", "voorletters": rng.choice("ABCDEFGHJKLMNP"),
                      "huisnummer": rng.randint(1, 240), "straat": f"Demostraat {rng.randint(1, 40)}",
                      "postcode": rng.choice(postcodes[row["wijk_code"]])}
            people[row["jeugdige_id"]] = person
        trajecten.append(row)
    stays = {}
    for row in _read(source, "verblijf"):
        stays.setdefault(row["traject_id"], row["verblijfsvorm"])
    kept = {t["traject_id"]: t for t in trajecten}

    w = _Writer(folder / "berichten")
    twin_rows: dict[str, list] = {"trajecten": [], "verblijf": [], "kosten": []}
    nummer_of, categorie_of = {}, {}
    for t in trajecten:
        gemeente = gemeente4(gemeente_of_wijk[t["wijk_code"]])
        nummer = str(int(t["traject_id"][1:]))
        nummer_of[t["traject_id"]] = (gemeente, nummer)
        traject_id = f"{gemeente}-{nummer}"
        aanbieder = agb(t["aanbieder_code"])
        person = people[t["jeugdige_id"]]
        start = dt.date.fromisoformat(t["startdatum"])
        end = dt.date.fromisoformat(t["einddatum"]) if t["einddatum"] else None
        aanmeld = dt.date.fromisoformat(t["aanmelddatum"]) if t["aanmelddatum"] else start
        vorm = stays.get(t["traject_id"], "overig") if t["hulpvorm"] == "verblijf" else None
        categorie = VERBLIJF_PRODUCT[vorm] if vorm else f"{CATEGORIE[t['hulpvorm']]}A01"  # the product code
        categorie_of[t["traject_id"]] = categorie
        referentie = None
        if t["verwijzer"] != "gemeente":
            referentie = f"R{nummer}"
            root, ns, ident = w.message("jw315", aanbieder, gemeente, aanmeld)
            client = w.sub(root, ns, "Client")
            _client(w, client, ns, person, full=False)
            product = w.sub(w.sub(client, ns, "AangevraagdeProducten"), ns, "AangevraagdProduct")
            w.sub(product, ns, "ReferentieAanbieder", referentie)
            _product(w, product, ns, categorie)
            w.sub(product, ns, "ToewijzingIngangsdatum", start.isoformat())
            verwijzer = w.sub(product, ns, "Verwijzer")
            w.sub(verwijzer, BASIS, "Type", f"{_verwijzer_number(t['verwijzer']):02d}")
            w.sub(verwijzer, BASIS, "Naam", "verwijzer (demo)")
            w.write(root, "jw315", aanbieder, ident)
        # the gemeente decides within 5 werkdagen, mostly: a fifth of the requests take longer
        delay = rng.randint(0, 6) if rng.random() < 0.8 else rng.randint(7, 28)
        decided = aanmeld if referentie is None else min(aanmeld + dt.timedelta(days=delay), start)
        root, ns, ident = w.message("jw301", gemeente, aanbieder, decided)
        client = w.sub(root, ns, "Client")
        _client(w, client, ns, person, full=True)
        _contact(w, client, ns, person)
        product = w.sub(w.sub(client, ns, "ToegewezenProducten"), ns, "ToegewezenProduct")
        w.sub(product, ns, "ToewijzingNummer", nummer)
        if referentie:
            w.sub(product, ns, "ReferentieAanbieder", referentie)
        _product(w, product, ns, categorie)
        w.sub(product, ns, "Toewijzingsdatum", decided.isoformat())
        w.sub(product, ns, "Toewijzingstijd", f"{rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}:00")
        w.sub(product, ns, "Ingangsdatum", decided.isoformat())  # care may start later: the wait
        if end:
            w.sub(product, ns, "Einddatum", end.isoformat())
        w.write(root, "jw301", gemeente, ident)
        # a few providers forget the stop message: the traject runs on in the monitor, a signal
        # on /berichtenverkeer once the toewijzing's einddatum has passed
        no_stop = end is not None and rng.random() < 0.03
        for kind, day in (("jw305", start), ("jw307", None if no_stop else end)):
            if day is None:
                continue
            root, ns, ident = w.message(kind, aanbieder, gemeente, min(day + dt.timedelta(days=rng.randint(0, 3)), DATA_TOT))
            client = w.sub(root, ns, "Client")
            _client(w, client, ns, person, full=False)
            container, item = ("StartProducten", "StartProduct") if kind == "jw305" else ("StopProducten", "StopProduct")
            product = w.sub(w.sub(client, ns, container), ns, item)
            w.sub(product, ns, "ToewijzingNummer", nummer)
            _product(w, product, ns, categorie)
            w.sub(product, ns, "ToewijzingIngangsdatum", decided.isoformat())
            w.sub(product, ns, "Begindatum", start.isoformat())
            if kind == "jw307":
                w.sub(product, ns, "RedenBeeindiging", JZ588[t["reden_einde"]])
                w.sub(product, ns, "Einddatum", end.isoformat())
            w.sub(product, ns, "StatusAanlevering", "1")
            w.write(root, kind, aanbieder, ident)
        einde, reden = ("", "") if no_stop else (t["einddatum"], t["reden_einde"])
        twin_rows["trajecten"].append((traject_id, t["jeugdige_id"], t["geboortejaar"], t["wijk_code"], "",
                                       t["verwijzer"], t["hulpvorm"], aanbieder, aanmeld.isoformat(),
                                       t["startdatum"], einde, reden, "", "zin"))
        if vorm:
            twin_rows["verblijf"].append((traject_id, traject_id, vorm, t["startdatum"], einde))
        if rng.random() < 0.02:  # a second toewijzing the provider never starts: no traject, a signal
            _unstarted(w, rng, gemeente, aanbieder, person, nummer, categorie, decided)

    _declarations(w, rng, source, kept, nummer_of, categorie_of, people, twin_rows["kosten"])
    _write_side_files(source, folder, postcodes, twin, twin_rows)
    return dict(w.counts)


def _unstarted(w: _Writer, rng: random.Random, gemeente: str, aanbieder: str, person: dict, nummer: str,
               categorie: str, decided: dt.date) -> None:
    day = min(decided + dt.timedelta(days=rng.randint(20, 200)), DATA_TOT)
    root, ns, ident = w.message("jw301", gemeente, aanbieder, day)
    client = w.sub(root, ns, "Client")
    _client(w, client, ns, person, full=True)
    _contact(w, client, ns, person)
    product = w.sub(w.sub(client, ns, "ToegewezenProducten"), ns, "ToegewezenProduct")
    w.sub(product, ns, "ToewijzingNummer", f"9{int(nummer):08d}")
    _product(w, product, ns, categorie)
    w.sub(product, ns, "Toewijzingsdatum", day.isoformat())
    w.sub(product, ns, "Toewijzingstijd", "09:30:00")
    w.sub(product, ns, "Ingangsdatum", day.isoformat())
    w.write(root, "jw301", gemeente, ident)


def _verwijzer_number(code: str) -> int:
    from data.warehouse.codes import VERWIJZER

    return next(c.nummer for c in VERWIJZER.codes if c.code == code)


def _declarations(w: _Writer, rng: random.Random, source: Path, kept: dict, nummer_of: dict, categorie_of: dict,
                  people: dict, twin_kosten: list) -> None:
    groups: dict[tuple, list] = defaultdict(list)
    for row in _read(source, "kosten"):
        t = kept.get(row["traject_id"])
        if t is not None:
            groups[(agb(t["aanbieder_code"]), nummer_of[row["traject_id"]][0], row["maand"], row["ontvangen"])].append(row)
    referenties: dict[tuple, str] = {}
    serial: dict[str, int] = defaultdict(int)
    for (aanbieder, gemeente, maand, ontvangen), rows in sorted(groups.items()):
        month = dt.date.fromisoformat(maand + "-01")
        last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
        day = dt.date.fromisoformat(ontvangen)
        root, ns, ident = w.message("jw323", aanbieder, gemeente, day)
        serial[aanbieder] += 1
        declaratienummer = f"DN{serial[aanbieder]:08d}"
        declaratie = w.sub(root, ns, "Declaratie")
        w.sub(declaratie, ns, "DeclaratieNummer", declaratienummer)
        periode = w.sub(declaratie, ns, "DeclaratiePeriode")
        w.sub(periode, BASIS, "Begindatum", month.isoformat())
        w.sub(periode, BASIS, "Einddatum", last.isoformat())
        w.sub(declaratie, ns, "DeclaratieDagtekening", day.isoformat())
        total = w.sub(declaratie, ns, "TotaalIngediendBedrag")
        clients = w.sub(declaratie, ns, "Clienten")
        by_person: dict[str, list] = defaultdict(list)
        for row in rows:
            by_person[kept[row["traject_id"]]["jeugdige_id"]].append(row)
        net = 0
        rejected = []
        for jeugdige, person_rows in sorted(by_person.items()):
            client = w.sub(clients, ns, "Client")
            w.sub(client, ns, "Bsn", people[jeugdige]["bsn"])
            prestaties = w.sub(client, ns, "Prestaties")
            extra = rng.random() < 0.01
            unknown = extra and rng.random() < 0.3  # a line for a toewijzing that does not exist
            for row in person_rows + ([None] if extra else []):
                target = row or person_rows[0]
                cents = _cents(row["bedrag"]) if row else rng.randint(5_000, 90_000)
                gemeente_, nummer = nummer_of[target["traject_id"]]
                if row is None and unknown:
                    nummer = "999999999"
                serial[aanbieder + "r"] += 1
                referentie = f"P{serial[aanbieder + 'r']:09d}"
                prestatie = w.sub(prestaties, ns, "Prestatie")
                ref = w.sub(prestatie, ns, "ProductReferentie")
                w.sub(ref, BASIS, "ReferentieNummer", referentie)
                key = (target["traject_id"], maand)
                if cents < 0 and key in referenties:
                    w.sub(ref, BASIS, "VorigReferentieNummer", referenties[key])
                referenties.setdefault(key, referentie)
                w.sub(prestatie, ns, "ToewijzingNummer", nummer)
                categorie = categorie_of[target["traject_id"]]
                w.sub(prestatie, ns, "ProductCategorie", categorie[:2])
                w.sub(prestatie, ns, "ProductCode", categorie)
                pp = w.sub(prestatie, ns, "ProductPeriode")
                w.sub(pp, BASIS, "Begindatum", month.isoformat())
                w.sub(pp, BASIS, "Einddatum", last.isoformat())
                w.sub(prestatie, ns, "GeleverdVolume", str(abs(cents)))
                w.sub(prestatie, ns, "Eenheid", "83")
                bedrag = w.sub(prestatie, ns, "IngediendBedrag")
                w.sub(bedrag, BASIS, "Bedrag", str(abs(cents)))
                w.sub(bedrag, BASIS, "DebetCredit", "C" if cents < 0 else "D")
                net += cents
                if row is None:
                    rejected.append((jeugdige, referentie, nummer, categorie, cents, "9338" if unknown else "9307"))
                else:
                    twin_kosten.append((f"{gemeente_}-{nummer}", maand, row["bedrag"], ontvangen))
        w.sub(total, BASIS, "TotaalBedrag", str(abs(net)))
        w.sub(total, BASIS, "DebetCredit", "C" if net < 0 else "D")
        w.write(root, "jw323", aanbieder, ident)
        _answer(w, gemeente, aanbieder, min(day + dt.timedelta(days=5), DATA_TOT), ident, declaratienummer, net,
                rejected, people, month, last)


def _answer(w: _Writer, gemeente: str, aanbieder: str, day: dt.date, declaratie_ident: str, nummer: str,
            net: int, rejected: list, people: dict, month: dt.date, last: dt.date) -> None:
    root, ns, ident = w.message("jw325", gemeente, aanbieder, day)
    header = root[0]
    declaratie = w.sub(header, ns, "DeclaratieIdentificatie")
    w.sub(declaratie, BASIS, "Identificatie", declaratie_ident)
    w.sub(declaratie, BASIS, "Dagtekening", day.isoformat())
    xsd = w.sub(header, ns, "XsdVersieDeclaratie")
    w.sub(xsd, BASIS, "BasisschemaXsdVersie", "1.0.0")
    w.sub(xsd, BASIS, "BerichtXsdVersie", "1.0.0")
    w.sub(w.sub(header, ns, "RetourCodes"), ns, "RetourCode", "0200")
    antwoord = w.sub(root, ns, "DeclaratieAntwoord")
    w.sub(antwoord, ns, "DeclaratieNummer", nummer)
    awarded = net - sum(r[4] for r in rejected)
    for name, amount in (("TotaalIngediendBedrag", net), ("TotaalToegekendBedrag", awarded)):
        element = w.sub(antwoord, ns, name)
        w.sub(element, BASIS, "TotaalBedrag", str(abs(amount)))
        w.sub(element, BASIS, "DebetCredit", "C" if amount < 0 else "D")
    if rejected:
        clients = w.sub(antwoord, ns, "Clienten")
        for jeugdige, referentie, toewijzing, categorie, cents, retourcode in rejected:
            client = w.sub(clients, ns, "Client")
            w.sub(client, ns, "Bsn", people[jeugdige]["bsn"])
            prestatie = w.sub(w.sub(client, ns, "Prestaties"), ns, "Prestatie")
            w.sub(w.sub(prestatie, ns, "ProductReferentie"), BASIS, "ReferentieNummer", referentie)
            w.sub(prestatie, ns, "ToewijzingNummer", toewijzing)
            w.sub(prestatie, ns, "ProductCategorie", categorie[:2])
            w.sub(prestatie, ns, "ProductCode", categorie)
            pp = w.sub(prestatie, ns, "ProductPeriode")
            w.sub(pp, BASIS, "Begindatum", month.isoformat())
            w.sub(pp, BASIS, "Einddatum", last.isoformat())
            w.sub(prestatie, ns, "GeleverdVolume", str(cents))
            w.sub(prestatie, ns, "Eenheid", "83")
            bedrag = w.sub(prestatie, ns, "IngediendBedrag")
            w.sub(bedrag, BASIS, "Bedrag", str(cents))
            w.sub(bedrag, BASIS, "DebetCredit", "D")
            w.sub(w.sub(prestatie, ns, "RetourCodes"), ns, "RetourCode", retourcode)
            w.sub(w.sub(client, ns, "RetourCodes"), ns, "RetourCode", "0200")
        w.sub(w.sub(antwoord, ns, "RetourCodes"), ns, "RetourCode", "0200")
    else:
        w.sub(w.sub(antwoord, ns, "RetourCodes"), ns, "RetourCode", "8001")
    w.write(root, "jw325", gemeente, ident)


def _cents(raw: str) -> int:
    negative = raw.startswith("-")
    whole, _, fraction = raw.lstrip("-").partition(".")
    cents = int(whole) * 100 + int((fraction + "00")[:2])
    return -cents if negative else cents


def _write_side_files(source: Path, folder: Path, postcodes: dict, twin: Path | None, twin_rows: dict) -> None:
    with open(folder / "producten.csv", "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(("productcategorie", "productcode", "hulpvorm", "verblijfsvorm"))
        for vorm, code in VERBLIJF_PRODUCT.items():
            out.writerow((code[:2], code, "verblijf", vorm))
    with open(folder / "postcodes.csv", "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(("postcode", "wijk_code"))
        for wijk, pcs in sorted(postcodes.items()):
            for pc in pcs:
                out.writerow((pc, wijk))
    targets = [folder / "csv"] + ([twin] if twin else [])
    for target in targets:
        target.mkdir(parents=True, exist_ok=True)
        for name in CSV_TABLES:
            rows = _read(source, name)
            if name == "aanbieders":
                rows = [{"aanbieder_code": agb(r["aanbieder_code"]), "aanbieder_naam": r["aanbieder_naam"]} for r in rows]
            if name == "tevredenheid":
                rows = [{**r, "traject_id": ""} for r in rows]
            _write_csv(target / f"{name}.csv", rows)
    if twin:
        from data.warehouse.demo import FILES

        for name, rows in twin_rows.items():
            with open(twin / f"{name}.csv", "w", newline="", encoding="utf-8") as handle:
                out = csv.writer(handle, lineterminator="\n")
                out.writerow(FILES[name])
                out.writerows(rows)


def _write_csv(path: Path, rows: list[dict]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        if not rows:
            return
        out = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        out.writeheader()
        out.writerows(rows)
