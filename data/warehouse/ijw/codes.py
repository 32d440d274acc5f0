"""From the iJw code lists to the import format's codes (docs/ijw.md has the same tables).

- COD327 verwijzer: the same national numbers the contract already accepts (01 … 08).
- JZ020 productcategorie → hulpvorm and, for the categories with verblijf, verblijfsvorm.
- JZ588 reden beëindiging → reden_einde. 20 (tijdelijk beëindigd) is no end: the traject runs on.
"""
from __future__ import annotations

from data.warehouse import codes as contract

BERICHTCODE = {"jw301": "436", "jw305": "438", "jw307": "440", "jw315": "446", "jw323": "490",
               "jw325": "491"}
# Messages of release 3.2 the monitor does not need (retour messages, change requests, answers to
# requests): skipped with a warning, never an error.
SKIPPED_KINDS = frozenset({"jw302", "jw306", "jw308", "jw316", "jw317", "jw318", "jw319", "jw320"})

# (hulpvorm, verblijfsvorm or None) per JZ020 productcategorie.
PRODUCTCATEGORIE: dict[str, tuple[str, str | None]] = {
    "31": ("lokaal_team", None),       # (2015) zonder verblijf: wijk- of buurtteam
    "32": ("ambulant", None),          # (2015) ambulante jeugdhulp op locatie van de aanbieder
    "33": ("dagbehandeling", None),    # (2015) daghulp op locatie van de aanbieder
    "34": ("ambulant", None),          # (2015) jeugdhulp in het netwerk van de jeugdige
    "35": ("verblijf", "pleegzorg"),   # (2015) met verblijf: pleegzorg
    "36": ("verblijf", "gezinshuis"),  # (2015) met verblijf: gezinsgericht
    "37": ("verblijf", "jeugdzorgplus"),  # (2015) met verblijf: gesloten plaatsing
    "38": ("verblijf", "residentieel"),   # (2015) met verblijf: overig residentieel
    "40": ("ambulant", None),          # persoonlijke verzorging
    "41": ("dagbehandeling", None),
    "42": ("ambulant", None),          # vervoerdiensten
    "43": ("verblijf", "overig"),      # jeugdhulp verblijf (incl. behandeling)
    "44": ("verblijf", "overig"),      # jeugdhulp verblijf (excl. behandeling)
    "45": ("ambulant", None),
    "46": ("crisis", None),
    "47": ("jeugdreclassering", None),
    "48": ("jeugdbescherming", None),
    "49": ("ambulant", None),          # activiteiten in het preventief justitieel kader
    "50": ("ambulant", None),          # maatwerkarrangementen jeugd
    "51": ("ambulant", None),          # generalistische basis-ggz
    "52": ("ambulant", None),          # specialistische ggz
    "53": ("ambulant", None),          # kindergeneeskunde
    "54": ("ambulant", None),          # jeugd-ggz
    "55": ("ambulant", None),          # landelijk ingekochte zorg
}

TIJDELIJK_BEEINDIGD = "20"
REDEN_BEEINDIGING: dict[str, str] = {
    "02": "externe_omstandigheden",  # overlijden
    "31": "volgens_plan",
    "32": "voortijdig_client",
    "33": "voortijdig_aanbieder",
    "34": "voortijdig_overeenstemming",
    "35": "externe_omstandigheden",
    "36": "onbekend",  # geïnitieerd door de gemeente
    "37": "onbekend",  # in verband met wijzigingsverzoek (de hulp loopt door onder een nieuwe toewijzing)
    "38": "onbekend",  # overstap naar andere aanbieder
    "39": "volgens_plan",  # uitstroom naar ander domein (Wmo, Zvw, Wlz): the contract's 01
}


def verwijzer(raw: str) -> str | None:
    """The contract's verwijzer for a COD327 code (`01` … `08`), None when unknown."""
    return contract.VERWIJZER.normalise(raw) if raw.isdigit() else None

# WJ001 retourcodes a JW325 gives a rejected declaration line (docs/ijw.md)
RETOURCODE: dict[str, str] = {
    "0001": "bericht technisch afgekeurd",
    "0233": "niet beoordeeld",
    "0611": "tarief wijkt af van het contracttarief",
    "8017": "creditprestatie zonder bekende debetprestatie",
    "8021": "referentienummer al eerder aangeleverd",
    "8187": "prestatie hoort niet bij deze cliënt",
    "8214": "declaratieperiode sluit niet aan op de vorige",
    "9307": "begindatum buiten de toewijzing",
    "9308": "einddatum buiten de toewijzing",
    "9319": "productperiode niet binnen de declaratieperiode",
    "9321": "volume boven het toegewezen volume",
    "9322": "samen meer dan het toegewezen volume",
    "9333": "declaratienummer niet uniek",
    "9338": "prestatie zonder toegewezen product",
    "9339": "productcategorie wijkt af van de toewijzing",
    "9340": "productcode wijkt af van de toewijzing",
    "9341": "eenheid wijkt af van de toewijzing",
    "9346": "bedrag is niet volume × tarief",
    "9369": "boven het toegewezen budget",
    "9384": "declaratie op een verwijderde toewijzing",
    "9387": "begindatum niet de eerste dag van de maand",
    "9388": "einddatum niet de laatste dag van de maand",
    "9389": "debetprestatie zonder creditprestatie",
    "9390": "prestatie al gecrediteerd",
}
