"""Hand-made iJw 3.2 messages for the tests: small, readable, one builder per message kind.

Every person is invented; the BSNs pass the elfproef. Names and addresses are distinctive so that a
test can search every table, log line and error message for them.
"""
from __future__ import annotations

from pathlib import Path

GEMEENTE = "0406"
AANBIEDER = "98000001"
KEY = b"sleutel-voor-de-tests-" + b"x" * 20

# (bsn, birth date, surname, street, postcode) — the postcodes are in POSTCODES below
PEOPLE = {
    "anna": ("999900006", "2012-04-17", "Zwanenburgh", "Kievitlaan", "1271AA"),
    "bram": ("999900018", "2009-11-02", "Oosterbeekx", "Merelstraat", "1272BB"),
}
POSTCODES = "postcode,wijk_code\n1271AA,WK040601\n1272,WK040602\n"
WIJKEN = ("wijk_code,wijk_naam,gemeente_code,gemeente_naam\n"
          "WK040601,Huizen-Centrum,GM0406,Huizen\nWK040602,Bovenmaat,GM0406,Huizen\n")


def _message(kind: str, code: str, afzender: str, ontvanger: str, ident: str, dag: str, body: str,
             namespace: str | None = None, versie: str = "3", subversie: str = "2") -> bytes:
    ns = namespace or f"http://www.istandaarden.nl/ijw/3_2/{kind}/schema"
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<m:Bericht xmlns:m="{ns}" xmlns:ijw="http://www.istandaarden.nl/ijw/3_2/basisschema/schema">
  <m:Header>
    <m:BerichtCode>{code}</m:BerichtCode><m:BerichtVersie>{versie}</m:BerichtVersie>
    <m:BerichtSubversie>{subversie}</m:BerichtSubversie>
    <m:Afzender>{afzender}</m:Afzender><m:Ontvanger>{ontvanger}</m:Ontvanger>
    <m:BerichtIdentificatie><ijw:Identificatie>{ident}</ijw:Identificatie>
      <ijw:Dagtekening>{dag}</ijw:Dagtekening></m:BerichtIdentificatie>
    <m:XsdVersie><ijw:BasisschemaXsdVersie>1.0.0</ijw:BasisschemaXsdVersie>
      <ijw:BerichtXsdVersie>1.0.0</ijw:BerichtXsdVersie></m:XsdVersie>
  </m:Header>
{body}
</m:Bericht>
""".encode()


def _person(who: str, full: bool) -> str:
    bsn, birth, surname, _street, _pc = PEOPLE[who]
    gebruik = "<ijw:NaamGebruik>1</ijw:NaamGebruik>" if full else ""
    return (f"<m:Bsn>{bsn}</m:Bsn><m:Geboortedatum><ijw:Datum>{birth}</ijw:Datum></m:Geboortedatum>"
            f"<m:Geslacht>2</m:Geslacht><m:Naam><ijw:Geslachtsnaam><ijw:Achternaam>{surname}</ijw:Achternaam>"
            f"</ijw:Geslachtsnaam><ijw:Voorletters>A</ijw:Voorletters>{gebruik}</m:Naam>")


def jw315(ident: str, dag: str, who: str, referentie: str, verwijzer: str = "02", categorie: str = "45") -> bytes:
    body = f"""  <m:Client>{_person(who, False)}
    <m:AangevraagdeProducten><m:AangevraagdProduct>
      <m:ReferentieAanbieder>{referentie}</m:ReferentieAanbieder>
      <m:Product><ijw:Categorie>{categorie}</ijw:Categorie><ijw:Code>{categorie}A01</ijw:Code></m:Product>
      <m:ToewijzingIngangsdatum>{dag}</m:ToewijzingIngangsdatum>
      <m:Verwijzer><ijw:Type>{verwijzer}</ijw:Type><ijw:Naam>dokter</ijw:Naam></m:Verwijzer>
    </m:AangevraagdProduct></m:AangevraagdeProducten>
  </m:Client>"""
    return _message("jw315", "446", AANBIEDER, GEMEENTE, ident, dag, body)


def jw301(ident: str, dag: str, who: str, nummer: str, ingang: str, eind: str | None = None,
          categorie: str = "45", referentie: str | None = None, tijd: str = "10:00:00",
          reden_wijziging: str | None = None, postcode: str | None = None) -> bytes:
    _bsn, _birth, _surname, street, pc = PEOPLE[who]
    extra = f"<m:ReferentieAanbieder>{referentie}</m:ReferentieAanbieder>" if referentie else ""
    end = f"<m:Einddatum>{eind}</m:Einddatum>" if eind else ""
    reden = f"<m:RedenWijziging>{reden_wijziging}</m:RedenWijziging>" if reden_wijziging else ""
    body = f"""  <m:Client>{_person(who, True)}
    <m:Contactgegevens><m:Contact><m:Soort>01</m:Soort><m:Adres>
      <ijw:Huis><ijw:Huisnummer>7</ijw:Huisnummer></ijw:Huis><ijw:Postcode>{postcode or pc}</ijw:Postcode>
      <ijw:Straatnaam>{street}</ijw:Straatnaam><ijw:Plaatsnaam>Huizen</ijw:Plaatsnaam><ijw:LandCode>NL</ijw:LandCode>
    </m:Adres></m:Contact></m:Contactgegevens>
    <m:ToegewezenProducten><m:ToegewezenProduct>
      <m:ToewijzingNummer>{nummer}</m:ToewijzingNummer>{extra}
      <m:Product><ijw:Categorie>{categorie}</ijw:Categorie><ijw:Code>{categorie}A01</ijw:Code></m:Product>
      <m:Toewijzingsdatum>{dag}</m:Toewijzingsdatum><m:Toewijzingstijd>{tijd}</m:Toewijzingstijd>
      <m:Ingangsdatum>{ingang}</m:Ingangsdatum>{end}{reden}
    </m:ToegewezenProduct></m:ToegewezenProducten>
  </m:Client>"""
    return _message("jw301", "436", GEMEENTE, AANBIEDER, ident, dag, body)


def jw305(ident: str, dag: str, who: str, nummer: str, begin: str, status: str = "1", categorie: str = "45") -> bytes:
    body = f"""  <m:Client>{_person(who, False)}
    <m:StartProducten><m:StartProduct>
      <m:ToewijzingNummer>{nummer}</m:ToewijzingNummer>
      <m:Product><ijw:Categorie>{categorie}</ijw:Categorie><ijw:Code>{categorie}A01</ijw:Code></m:Product>
      <m:Begindatum>{begin}</m:Begindatum><m:StatusAanlevering>{status}</m:StatusAanlevering>
    </m:StartProduct></m:StartProducten>
  </m:Client>"""
    return _message("jw305", "438", AANBIEDER, GEMEENTE, ident, dag, body)


def jw307(ident: str, dag: str, who: str, nummer: str, begin: str, eind: str, reden: str = "31",
          status: str = "1") -> bytes:
    body = f"""  <m:Client>{_person(who, False)}
    <m:StopProducten><m:StopProduct>
      <m:ToewijzingNummer>{nummer}</m:ToewijzingNummer>
      <m:Product><ijw:Categorie>45</ijw:Categorie><ijw:Code>45A01</ijw:Code></m:Product>
      <m:Begindatum>{begin}</m:Begindatum><m:RedenBeeindiging>{reden}</m:RedenBeeindiging>
      <m:Einddatum>{eind}</m:Einddatum><m:StatusAanlevering>{status}</m:StatusAanlevering>
    </m:StopProduct></m:StopProducten>
  </m:Client>"""
    return _message("jw307", "440", AANBIEDER, GEMEENTE, ident, dag, body)


def jw323(ident: str, dag: str, declaratienummer: str, maand: str, lines: list[tuple]) -> bytes:
    """lines: (who, referentie, toewijzingnummer, cents, 'D' or 'C')."""
    last = {"02": "28"}.get(maand[5:7], "30" if maand[5:7] in ("04", "06", "09", "11") else "31")
    clients = ""
    for who, ref, nummer, cents, dc in lines:
        clients += f"""<m:Client><m:Bsn>{PEOPLE[who][0]}</m:Bsn><m:Prestaties><m:Prestatie>
      <m:ProductReferentie><ijw:ReferentieNummer>{ref}</ijw:ReferentieNummer></m:ProductReferentie>
      <m:ToewijzingNummer>{nummer}</m:ToewijzingNummer><m:ProductCategorie>45</m:ProductCategorie>
      <m:ProductCode>45A01</m:ProductCode>
      <m:ProductPeriode><ijw:Begindatum>{maand}-01</ijw:Begindatum><ijw:Einddatum>{maand}-{last}</ijw:Einddatum></m:ProductPeriode>
      <m:GeleverdVolume>{cents}</m:GeleverdVolume><m:Eenheid>83</m:Eenheid>
      <m:IngediendBedrag><ijw:Bedrag>{cents}</ijw:Bedrag><ijw:DebetCredit>{dc}</ijw:DebetCredit></m:IngediendBedrag>
    </m:Prestatie></m:Prestaties></m:Client>"""
    total = sum(c if dc == "D" else -c for _w, _r, _n, c, dc in lines)
    body = f"""  <m:Declaratie><m:DeclaratieNummer>{declaratienummer}</m:DeclaratieNummer>
    <m:DeclaratiePeriode><ijw:Begindatum>{maand}-01</ijw:Begindatum><ijw:Einddatum>{maand}-{last}</ijw:Einddatum></m:DeclaratiePeriode>
    <m:DeclaratieDagtekening>{dag}</m:DeclaratieDagtekening>
    <m:TotaalIngediendBedrag><ijw:TotaalBedrag>{abs(total)}</ijw:TotaalBedrag><ijw:DebetCredit>{"C" if total < 0 else "D"}</ijw:DebetCredit></m:TotaalIngediendBedrag>
    <m:Clienten>{clients}</m:Clienten>
  </m:Declaratie>"""
    return _message("jw323", "490", AANBIEDER, GEMEENTE, ident, dag, body)


def jw325(ident: str, dag: str, declaratienummer: str, toegekend: int, rejected: list[tuple] = (),
          antwoord_code: str | None = None) -> bytes:
    """rejected: (who, referentie, retourcode)."""
    clients = "".join(f"""<m:Client><m:Bsn>{PEOPLE[who][0]}</m:Bsn><m:Prestaties><m:Prestatie>
      <m:ProductReferentie><ijw:ReferentieNummer>{ref}</ijw:ReferentieNummer></m:ProductReferentie>
      <m:RetourCodes><m:RetourCode>{code}</m:RetourCode></m:RetourCodes></m:Prestatie></m:Prestaties>
      <m:RetourCodes><m:RetourCode>0200</m:RetourCode></m:RetourCodes></m:Client>""" for who, ref, code in rejected)
    code = antwoord_code or ("0200" if rejected else "8001")
    body = f"""  <m:DeclaratieAntwoord><m:DeclaratieNummer>{declaratienummer}</m:DeclaratieNummer>
    <m:TotaalIngediendBedrag><ijw:TotaalBedrag>0</ijw:TotaalBedrag><ijw:DebetCredit>D</ijw:DebetCredit></m:TotaalIngediendBedrag>
    <m:TotaalToegekendBedrag><ijw:TotaalBedrag>{toegekend}</ijw:TotaalBedrag><ijw:DebetCredit>D</ijw:DebetCredit></m:TotaalToegekendBedrag>
    {"<m:Clienten>" + clients + "</m:Clienten>" if clients else ""}
    <m:RetourCodes><m:RetourCode>{code}</m:RetourCode></m:RetourCodes>
  </m:DeclaratieAntwoord>"""
    return _message("jw325", "491", GEMEENTE, AANBIEDER, ident, dag, body)


def write(folder: Path, files: dict[str, bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (folder / name).write_bytes(content)
    return folder


def standard_messages() -> dict[str, bytes]:
    """Anna: referred by the huisarts, started, declared twice (one line credited, one rejected),
    stopped. Bram: the gemeente's own toewijzing, started, still running, declared once."""
    return {
        "001_jw315.xml": jw315("V1", "2025-01-06", "anna", "REF-A"),
        "002_jw301.xml": jw301("T1", "2025-01-09", "anna", "1001", "2025-01-20", "2025-12-31", referentie="REF-A"),
        "003_jw305.xml": jw305("S1", "2025-01-21", "anna", "1001", "2025-01-20"),
        "004_jw323.xml": jw323("DC1", "2025-02-05", "DN1", "2025-01", [("anna", "P1", "1001", 60000, "D")]),
        "005_jw325.xml": jw325("DA1", "2025-02-10", "DN1", 60000),
        "006_jw323.xml": jw323("DC2", "2025-03-04", "DN2", "2025-02",
                               [("anna", "P2", "1001", 55000, "D"), ("anna", "P3", "1001", 9999, "D")]),
        "007_jw325.xml": jw325("DA2", "2025-03-10", "DN2", 55000, rejected=[("anna", "P3", "9307")]),
        "008_jw323.xml": jw323("DC3", "2025-04-02", "DN3", "2025-01", [("anna", "P4", "1001", 10000, "C")]),
        "009_jw325.xml": jw325("DA3", "2025-04-08", "DN3", 0),
        "010_jw307.xml": jw307("E1", "2025-06-02", "anna", "1001", "2025-01-20", "2025-05-31", reden="34"),
        "011_jw301.xml": jw301("T2", "2025-03-03", "bram", "1002", "2025-03-03", categorie="41"),
        "012_jw305.xml": jw305("S2", "2025-03-05", "bram", "1002", "2025-03-04", categorie="41"),
        "013_jw323.xml": jw323("DC4", "2025-04-03", "DN4", "2025-03", [("bram", "P5", "1002", 250000, "D")]),
        "014_jw325.xml": jw325("DA4", "2025-04-09", "DN4", 250000),
    }


def large_declaration(clients: int, ident: str = "DCG1", declaratienummer: str = "DNG1") -> bytes:
    """One JW323 with `clients` clients of one prestatie each, as a gemeente's monthly declaration
    of a large provider holds (thousands): for the reader's cost per client (bench/ijw_read_bench.py,
    tests/test_ijw_reading_scale.py). Anna and Bram take turns; every prestatie has its own numbers."""
    lines = [(("anna", "bram")[i % 2], f"P{i + 1}", f"{1001 + i}", 1000 + i, "D") for i in range(clients)]
    return jw323(ident, "2025-02-05", declaratienummer, "2025-01", lines)
