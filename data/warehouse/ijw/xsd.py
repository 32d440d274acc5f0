"""Validation against the official iJw XSDs, when the gemeente has them (`load-ijw --xsd MAP`).

The message XSDs of iJw 3.2 import `basisschema.xsd`; the public documentation repository holds
some message XSDs but not the basisschema, so the loader cannot ship a compilable set. A gemeente
(or its supplier) has the complete set from istandaarden.nl: with `--xsd MAP` every message whose
kind has an XSD in MAP (recognised by its targetNamespace, whatever the file is called) is also
validated against it, besides the loader's own checks (data/warehouse/ijw/messages.py).

An XSD error is reported at the element's XPath, in the loader's words: the schema's message with
every quoted value replaced by "…", so that no BSN, name or address reaches a problem line.
"""
from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from data.warehouse.ijw.xml_reading import IJW_NAMESPACE

_VALUE = re.compile(r"'[^']*'")
_QNAME = re.compile(r"\{[^}]*\}")
_PREFIX = re.compile(r"(?<=/)[^/:\[]+:")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


class SchemaProblem(ValueError):
    """The XSD folder cannot be used (Dutch message naming the file)."""


class SchemaSet:
    """The XSDs of a folder by message kind (`jw301` …)."""

    def __init__(self, folder: Path) -> None:
        if not folder.is_dir():
            raise SchemaProblem(f"{folder}: de map met XSD's bestaat niet of is geen map")
        self.folder = folder
        self.schemas: dict[str, tuple[str, etree.XMLSchema]] = {}
        for path in sorted(folder.glob("*.xsd")) + sorted(folder.glob("*.XSD")):
            try:
                document = etree.parse(str(path), _PARSER)
            except (etree.XMLSyntaxError, OSError) as exc:
                raise SchemaProblem(f"{path.name}: geen leesbare XSD ({_clean(str(exc))})") from None
            namespace = document.getroot().get("targetNamespace") or ""
            found = IJW_NAMESPACE.fullmatch(namespace)
            if found is None or found.group(3) == "basisschema":
                continue  # the basisschema and other imported files are read through the message XSDs
            try:
                schema = etree.XMLSchema(document)
            except etree.XMLSchemaParseError as exc:
                raise SchemaProblem(f"{path.name}: de XSD is niet te gebruiken ({_clean(str(exc))}); "
                                    "staat basisschema.xsd ernaast?") from None
            self.schemas[found.group(3).lower()] = (path.name, schema)
        if not self.schemas:
            raise SchemaProblem(f"{folder}: geen XSD van een iJw-bericht gevonden")

    def problems(self, kind: str, message: etree._Element) -> list[tuple[str, str]]:
        """(xpath, message) for every XSD error of `message` (a `Bericht` element); none when
        there is no XSD of this kind."""
        found = self.schemas.get(kind)
        if found is None:
            return []
        name, schema = found
        document = etree.ElementTree(message) if message.getparent() is None else \
            etree.ElementTree(etree.fromstring(etree.tostring(message)))
        if schema.validate(document):
            return []
        return [(_xpath(error.path), f"voldoet niet aan {name}: {dutch(error.message)}")
                for error in schema.error_log]


def _xpath(path: str | None) -> str:
    return _PREFIX.sub("", path or "/")


def _clean(text: str) -> str:
    return _VALUE.sub("'…'", _QNAME.sub("", text)).strip()


# libxml2's schema messages (English) in the loader's Dutch; never with the value itself
_DUTCH = (
    (re.compile(r"\[facet 'enumeration'\]"), "de waarde staat niet in de lijst van toegestane codes"),
    (re.compile(r"\[facet 'pattern'\]"), "de waarde heeft niet de voorgeschreven vorm"),
    (re.compile(r"\[facet '(maxLength|length|minLength)'\]"), "de waarde heeft niet de toegestane lengte"),
    (re.compile(r"\[facet '(min|max)(In|Ex)clusive'\]"), "de waarde ligt buiten het toegestane bereik"),
    (re.compile(r"\[facet 'totalDigits'\]|\[facet 'fractionDigits'\]"), "de waarde heeft te veel cijfers"),
    (re.compile(r"Missing child element\(s\)\. Expected is (?:one of )?\( ?([^)]*?) ?\)"),
     lambda m: f"verplicht element ontbreekt: {_names(m.group(1))}"),
    (re.compile(r"This element is not expected\. Expected is (?:one of )?\( ?([^)]*?) ?\)"),
     lambda m: f"dit element hoort hier niet; verwacht: {_names(m.group(1))}"),
    (re.compile(r"This element is not expected"), "dit element hoort hier niet"),
    (re.compile(r"is not a valid value of the (atomic|list|union) type '([^']*)'"),
     lambda m: f"geen geldige waarde van het type {m.group(2)}"),
    (re.compile(r"Character content other than whitespace is not allowed"), "hier hoort geen tekst"),
    (re.compile(r"No matching global declaration available for the validation root"),
     "het schema kent dit bericht niet"),
)


def _names(text: str) -> str:
    return ", ".join(part.strip() for part in _QNAME.sub("", text).split(","))


def dutch(message: str) -> str:
    """The XSD error in Dutch, without any value from the message."""
    for pattern, words in _DUTCH:
        found = pattern.search(message)
        if found:
            return words(found) if callable(words) else words
    return "het bericht voldoet niet aan het schema (" + _clean(message).rstrip(".") + ")"
