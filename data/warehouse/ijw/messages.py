"""One iJw 3.2 message file → the rows the warehouse keeps of it (data/warehouse/ijw/schema.py).

Checked here, per the documented message structure (the Master Overview of the iJw XSDs and
"Regels op berichten iJw 3.2", docs/ijw.md): the namespace and release, BerichtCode, BerichtVersie
3 and BerichtSubversie 2, every element the warehouse reads (present, and of its type: dates,
AGB code, gemeentecode, BSN elfproef, codes from the code lists, amounts in whole eurocents with
D/C). Elements the warehouse does not read are not checked.

Privacy: the BSN is turned into the pseudonym at once; the birth date into the year; the
postcode into the wijk. Names, addresses and those values are never copied into a row or a problem.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any, Callable

from data.warehouse.ijw import codes
from data.warehouse.ijw.postcodes import PostcodeTable
from data.warehouse.ijw.pseudonym import pseudonym, valid_bsn
from data.warehouse.ijw.xml_reading import (
    NotAMessage,
    Reader,
    as_date,
    as_time,
    content_sha256,
    find_message,
    iter_elements,
    parse,
    release_and_kind,
)

RELEASE = "3.2"


@dataclass(frozen=True)
class IjwProblem:
    file: str
    xpath: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.xpath}: {self.message}"


@dataclass
class Message:
    file: str
    file_sha256: str  # of the file's bytes: what loads before content_sha256 stored
    content_sha256: str  # of the message as XML (xml_reading.content_sha256): what is compared and stored
    soort: str  # JW301 …
    afzender: str
    ontvanger: str
    identificatie: str
    dagtekening: dt.date
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


class _Context:
    def __init__(self, file: str, reader: Reader, problems: list[IjwProblem], key: bytes,
                 postcodes: PostcodeTable | None) -> None:
        self.file, self.reader, self.problems = file, reader, problems
        self.key, self.postcodes = key, postcodes
        self.ok = True

    def problem(self, xpath: str, message: str) -> None:
        self.problems.append(IjwProblem(self.file, xpath, message))
        self.ok = False

    def required(self, parent, *names: str) -> str | None:
        value = self.reader.text(parent, *names)
        if value is None:
            self.problem(self.reader.child_xpath(parent, *names), "verplicht element ontbreekt of is leeg")
        return value

    def checked(self, parent, names: tuple[str, ...], convert: Callable[[str], Any], what: str,
                required: bool = True, show: bool = True) -> Any:
        raw = self.required(parent, *names) if required else self.reader.text(parent, *names)
        if raw is None:
            return None
        value = convert(raw)
        if value is None:
            shown = f" ({raw[:40]!r})" if show else ""
            self.problem(self.reader.child_xpath(parent, *names), f"geen geldige {what}{shown}")
        return value

    def date(self, parent, *names: str, required: bool = True) -> dt.date | None:
        return self.checked(parent, names, as_date, "datum (JJJJ-MM-DD)", required)

    def digits(self, parent, names: tuple[str, ...], length: int, what: str) -> str | None:
        return self.checked(parent, names, lambda r: r if len(r) == length and r.isascii() and r.isdigit() else None,
                            f"{what} ({length} cijfers)")

    def jeugdige(self, client) -> str | None:
        """The pseudonym of the client's BSN; the BSN itself is never shown."""
        raw = self.required(client, "Bsn")
        if raw is None:
            return None
        if not valid_bsn(raw):
            self.problem(self.reader.child_xpath(client, "Bsn"), "geen geldig BSN (9 cijfers, elfproef)")
            return None
        return pseudonym(self.key, raw)


def read_message(file: str, content: bytes, key: bytes, postcodes: PostcodeTable | None,
                 problems: list[IjwProblem], warnings: list[str], schemas=None) -> Message | None:
    """The message in `content`, or None (its problems appended; or a warning when it is a kind
    the monitor does not read). `schemas`: the official XSDs (data/warehouse/ijw/xsd.SchemaSet)."""
    try:
        message = find_message(parse(content))
    except NotAMessage as exc:
        problems.append(IjwProblem(file, "/", str(exc)))
        return None
    release, kind = release_and_kind(message)
    if release != RELEASE:
        problems.append(IjwProblem(file, "/Bericht", f"iJw-release {release} wordt niet gelezen; "
                                   f"verwacht release {RELEASE}"))
        return None
    if kind in codes.SKIPPED_KINDS:
        warnings.append(f"{file}: {kind.upper()} is voor de monitor niet nodig en wordt overgeslagen")
        return None
    if kind not in codes.BERICHTCODE:
        problems.append(IjwProblem(file, "/Bericht", f"onbekend iJw-bericht {kind.upper()}"))
        return None
    if schemas is not None:
        errors = schemas.problems(kind, message)
        problems.extend(IjwProblem(file, xpath, text) for xpath, text in errors)
        if errors:
            return None
    context = _Context(file, Reader(message), problems, key, postcodes)
    header = _header(context, message, kind)
    if header is None:
        return None
    result = Message(file, hashlib.sha256(content).hexdigest(), content_sha256(message), kind.upper(), *header)
    _BODY[kind](context, message, result)
    return result if context.ok else None


def _header(context: _Context, message, kind: str) -> tuple | None:
    reader = context.reader
    header = reader.child(message, "Header")
    if header is None:
        context.problem("/Bericht/Header", "verplicht element ontbreekt")
        return None
    code = context.required(header, "BerichtCode")
    if code is not None and code != codes.BERICHTCODE[kind]:
        context.problem(reader.child_xpath(header, "BerichtCode"),
                        f"BerichtCode {code[:10]!r} hoort niet bij {kind.upper()} (verwacht {codes.BERICHTCODE[kind]})")
    for name, expected in (("BerichtVersie", "3"), ("BerichtSubversie", "2")):
        value = context.required(header, name)
        if value is not None and value.lstrip("0") != expected:
            context.problem(reader.child_xpath(header, name),
                            f"{name} {value[:10]!r} past niet bij iJw {RELEASE} (verwacht {expected})")
    from_gemeente = kind in ("jw301", "jw325")
    gemeente_agb = (("Afzender", 4, "gemeentecode"), ("Ontvanger", 8, "AGB-code"))
    parts = gemeente_agb if from_gemeente else (("Afzender", 8, "AGB-code"), ("Ontvanger", 4, "gemeentecode"))
    afzender, ontvanger = (context.digits(header, (name,), length, what) for name, length, what in parts)
    identificatie = context.required(header, "BerichtIdentificatie", "Identificatie")
    dagtekening = context.date(header, "BerichtIdentificatie", "Dagtekening")
    if not context.ok:
        return None
    return afzender, ontvanger, identificatie, dagtekening


def _aanbieder(message: Message) -> str:
    return message.ontvanger if message.soort in ("JW301", "JW325") else message.afzender


def _product(context: _Context, parent, category_name: str = "Categorie") -> tuple[str | None, str | None]:
    product = context.reader.child(parent, "Product")
    if product is None:
        return None, None
    categorie = context.checked(product, (category_name,), lambda r: r if r in codes.PRODUCTCATEGORIE else None,
                                "productcategorie (JZ020)")
    code = context.reader.text(product, "Code")
    return categorie, code


def _client(context: _Context, message) -> Any:
    client = context.reader.child(message, "Client")
    if client is None:
        context.problem("/Bericht/Client", "verplicht element ontbreekt")
    return client


def _jw301(context: _Context, message, result: Message) -> None:
    reader = context.reader
    client = _client(context, message)
    if client is None:
        return
    jeugdige = context.jeugdige(client)
    geboortejaar = _birth_year(context, client)
    wijk = _wijk(context, client)
    rows = result.rows.setdefault("ijw_toewijzing", [])
    products = list(iter_elements(reader, client, "ToegewezenProducten", "ToegewezenProduct"))
    if not products:
        context.problem(reader.child_xpath(client, "ToegewezenProducten", "ToegewezenProduct"),
                        "verplicht element ontbreekt")
    for product in products:
        categorie, productcode = _product(context, product)
        rows.append({
            "xpath": reader.xpath(product), "toewijzingnummer": context.required(product, "ToewijzingNummer"),
            "aanbieder_code": _aanbieder(result), "jeugdige_id": jeugdige, "geboortejaar": geboortejaar,
            "wijk_code": wijk, "referentie": reader.text(product, "ReferentieAanbieder"),
            "categorie": categorie, "productcode": productcode,
            "toewijzingsdatum": context.date(product, "Toewijzingsdatum"),
            "toewijzingstijd": context.checked(product, ("Toewijzingstijd",), as_time, "tijd (UU:MM:SS)"),
            "ingangsdatum": context.date(product, "Ingangsdatum"),
            "einddatum": context.date(product, "Einddatum", required=False),
            "reden_wijziging": reader.text(product, "RedenWijziging"),
        })
        if categorie is None and reader.child(product, "Product") is None:
            context.problem(reader.child_xpath(product, "Product"),
                            "het product ontbreekt; zonder productcategorie is de hulpvorm onbekend")


def _birth_year(context: _Context, client) -> int | None:
    geboortedatum = context.reader.child(client, "Geboortedatum")
    raw = context.reader.text(geboortedatum, "Datum")
    xpath = context.reader.child_xpath(client, "Geboortedatum", "Datum")
    if raw is None:
        context.problem(xpath, "verplicht element ontbreekt of is leeg")
        return None
    if context.reader.text(geboortedatum, "DatumGebruik") == "3":
        context.problem(xpath, "de geboortedatum is onbekend (DatumGebruik 3); het geboortejaar is verplicht")
        return None
    date = as_date(raw)
    if date is None:
        context.problem(xpath, "geen geldige datum (JJJJ-MM-DD)")  # the value is not shown
        return None
    return date.year


def _wijk(context: _Context, client) -> str | None:
    """The wijk of the client's woonadres (Contact Soort 01, else the first address)."""
    reader = context.reader
    contacts = list(iter_elements(reader, client, "Contactgegevens", "Contact"))
    with_address = [c for c in contacts if reader.child(c, "Adres") is not None]
    chosen = next((c for c in with_address if reader.text(c, "Soort") == "01"), None)
    if chosen is None and with_address:
        chosen = with_address[0]
    if chosen is None:
        context.problem(reader.child_xpath(client, "Contactgegevens", "Contact", "Adres"),
                        "geen adres van de cliënt; de wijk komt uit de postcode")
        return None
    xpath = reader.child_xpath(chosen, "Adres", "Postcode")
    postcode = reader.text(chosen, "Adres", "Postcode")
    if postcode is None:
        context.problem(xpath, "verplicht element ontbreekt of is leeg")
        return None
    if context.postcodes is None:
        context.problem(xpath, "geen postcodetabel opgegeven (--postcodes BESTAND); de wijk komt uit de postcode")
        return None
    wijk = context.postcodes.wijk(postcode)
    if wijk is None:  # the postcode itself is not shown: it is part of the client's address
        context.problem(xpath, f"de postcode van de cliënt staat niet in {context.postcodes.file}")
    return wijk


def _jw315(context: _Context, message, result: Message) -> None:
    reader = context.reader
    client = _client(context, message)
    if client is None:
        return
    jeugdige = context.jeugdige(client)
    rows = result.rows.setdefault("ijw_verzoek", [])
    for product in iter_elements(reader, client, "AangevraagdeProducten", "AangevraagdProduct"):
        categorie, productcode = _product(context, product)
        verwijzer = context.checked(product, ("Verwijzer", "Type"), codes.verwijzer, "verwijzer (COD327)")
        rows.append({
            "xpath": reader.xpath(product), "aanbieder_code": _aanbieder(result), "jeugdige_id": jeugdige,
            "referentie": context.required(product, "ReferentieAanbieder"), "verwijzer": verwijzer,
            "categorie": categorie, "productcode": productcode, "verzoekdatum": result.dagtekening,
        })
    if not rows:
        context.problem(reader.child_xpath(client, "AangevraagdeProducten", "AangevraagdProduct"),
                        "verplicht element ontbreekt")


_STATUS = frozenset({"1", "3"})  # CS058: 2 (gewijzigd) is not allowed in JW305/JW307


def _levering(kind: str) -> Callable[[_Context, Any, Message], None]:
    container, item = ("StartProducten", "StartProduct") if kind == "start" else ("StopProducten", "StopProduct")

    def read(context: _Context, message, result: Message) -> None:
        reader = context.reader
        client = _client(context, message)
        if client is None:
            return
        jeugdige = context.jeugdige(client)
        rows = result.rows.setdefault("ijw_levering", [])
        for product in iter_elements(reader, client, container, item):
            reden = None
            if kind == "stop":
                reden = context.checked(product, ("RedenBeeindiging",),
                                        lambda r: r if r in codes.REDEN_BEEINDIGING or r == codes.TIJDELIJK_BEEINDIGD else None,
                                        "reden beëindiging (JZ588)")
            status = context.checked(product, ("StatusAanlevering",), lambda r: r if r in _STATUS else None,
                                     "status aanlevering (COD467: 1 of 3)")
            nummer = reader.text(product, "ToewijzingNummer")
            if nummer is None:
                context.problem(reader.child_xpath(product, "ToewijzingNummer"),
                                "zonder ToewijzingNummer is niet te zeggen bij welke toewijzing dit hoort")
            rows.append({
                "xpath": reader.xpath(product), "soort": kind, "aanbieder_code": _aanbieder(result),
                "jeugdige_id": jeugdige, "toewijzingnummer": nummer,
                "begindatum": context.date(product, "Begindatum"),
                "einddatum": context.date(product, "Einddatum") if kind == "stop" else None,
                "reden_beeindiging": reden, "status": status, "dagtekening": result.dagtekening,
            })
        if not rows:
            context.problem(reader.child_xpath(client, container, item), "verplicht element ontbreekt")
    return read


def _cents(raw: str) -> int | None:
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 12 else None


def _signed(context: _Context, parent, name: str, amount: str = "Bedrag") -> int | None:
    """An amount with debet/credit (CDT_BedragMetDC, CDT_TotaalBedragMetDC with `amount`
    TotaalBedrag): cents, negative for credit."""
    element = context.reader.child(parent, name)
    if element is None:  # the XPath only when it is reported: written for every prestatie, it was a third of the work
        context.problem(context.reader.child_xpath(parent, name), "verplicht element ontbreekt")
        return None
    cents = context.checked(element, (amount,), _cents, "bedrag (hele eurocenten)")
    sign = context.checked(element, ("DebetCredit",), lambda r: r if r in ("D", "C") else None,
                           "debet/credit-aanduiding (COD043: D of C)")
    if cents is None or sign is None:
        return None
    return -cents if sign == "C" else cents


def _jw323(context: _Context, message, result: Message) -> None:
    reader = context.reader
    declaratie = reader.child(message, "Declaratie")
    if declaratie is None:
        context.problem("/Bericht/Declaratie", "verplicht element ontbreekt")
        return
    nummer = context.required(declaratie, "DeclaratieNummer")
    ingediend_op = context.date(declaratie, "DeclaratieDagtekening")
    periode = (context.date(declaratie, "DeclaratiePeriode", "Begindatum"),
               context.date(declaratie, "DeclaratiePeriode", "Einddatum"))
    rows = result.rows.setdefault("ijw_prestatie", [])
    for client in iter_elements(reader, declaratie, "Clienten", "Client"):
        jeugdige = context.jeugdige(client)
        for prestatie in iter_elements(reader, client, "Prestaties", "Prestatie"):
            begin = context.date(prestatie, "ProductPeriode", "Begindatum")
            end = context.date(prestatie, "ProductPeriode", "Einddatum")
            if begin and end and end < begin:
                context.problem(reader.child_xpath(prestatie, "ProductPeriode", "Einddatum"),
                                f"einddatum {end} ligt voor begindatum {begin}")
            elif begin and end and None not in periode and not (periode[0] <= begin and end <= periode[1]):
                context.problem(reader.child_xpath(prestatie, "ProductPeriode"),
                                f"de productperiode {begin} – {end} valt niet binnen de declaratieperiode "
                                f"{periode[0]} – {periode[1]}")
            categorie = context.checked(prestatie, ("ProductCategorie",),
                                        lambda r: r if r in codes.PRODUCTCATEGORIE else None, "productcategorie (JZ020)")
            rows.append({
                "xpath": reader.xpath(prestatie), "aanbieder_code": _aanbieder(result),
                "declaratienummer": nummer,
                "productreferentie": context.required(prestatie, "ProductReferentie", "ReferentieNummer"),
                "toewijzingnummer": context.required(prestatie, "ToewijzingNummer"), "jeugdige_id": jeugdige,
                "categorie": categorie, "productcode": context.required(prestatie, "ProductCode"),
                "begindatum": begin, "einddatum": end, "bedrag_cent": _signed(context, prestatie, "IngediendBedrag"),
                "ingediend_op": ingediend_op,
            })
    if not rows:
        context.problem(reader.child_xpath(declaratie, "Clienten", "Client"), "verplicht element ontbreekt")


def _jw325(context: _Context, message, result: Message) -> None:
    reader = context.reader
    antwoord = reader.child(message, "DeclaratieAntwoord")
    if antwoord is None:
        context.problem("/Bericht/DeclaratieAntwoord",
                        "verplicht element ontbreekt (een JW325 zonder antwoord op een declaratie)")
        return
    nummer = context.required(antwoord, "DeclaratieNummer")
    toegekend = _signed(context, antwoord, "TotaalToegekendBedrag", "TotaalBedrag")
    result.rows["ijw_antwoord"] = [{"aanbieder_code": _aanbieder(result), "declaratienummer": nummer,
                                    "toegekend_cent": toegekend, "beantwoord_op": result.dagtekening,
                                    "retourcodes": _retourcodes(reader, antwoord)}]
    rows = result.rows.setdefault("ijw_afwijzing", [])
    for client in iter_elements(reader, antwoord, "Clienten", "Client"):
        for prestatie in iter_elements(reader, client, "Prestaties", "Prestatie"):
            rows.append({
                "xpath": reader.xpath(prestatie), "aanbieder_code": _aanbieder(result), "declaratienummer": nummer,
                "productreferentie": context.required(prestatie, "ProductReferentie", "ReferentieNummer"),
                "retourcodes": _retourcodes(reader, prestatie),
            })


def _retourcodes(reader: Reader, parent) -> str:
    codes_ = [(r.text or "").strip() for r in iter_elements(reader, parent, "RetourCodes", "RetourCode")]
    return " ".join(c for c in codes_ if c)[:64]


_BODY: dict[str, Callable[[_Context, Any, Message], None]] = {
    "jw301": _jw301, "jw305": _levering("start"), "jw307": _levering("stop"), "jw315": _jw315,
    "jw323": _jw323, "jw325": _jw325,
}
