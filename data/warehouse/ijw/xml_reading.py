"""Reading one iJw message file: safe XML parsing, finding the message inside an envelope, and
addressing its elements by XPath for problem reports.

- The parser resolves no entities and fetches nothing (no DTD, no network): a message file is
  untrusted input.
- A file holds one message: the root `Bericht`, or one `Bericht` inside an envelope (StUF-Jw, VSP
  or any other wrapper): the first element named `Bericht` in an iJw 3.x namespace is the message.
- Elements are found by local name in the message's own namespace or the iJw basisschema namespace
  (the children of the basisschema's composite types, such as BerichtIdentificatie/Dagtekening,
  are qualified with the basisschema namespace); an element in any other namespace is not seen.
- An XPath is written as the iJw validation reports write it: local names from the message root,
  with [n] where siblings share a name (/Bericht/Client/ToegewezenProducten/ToegewezenProduct[2]).
- A message's content is compared by `content_sha256`, not by the bytes of its file: an archive
  saved again (Windows line ends, a byte-order mark, other indentation or XML declaration, another
  envelope) holds the same messages. The parser drops the whitespace between elements and the
  comments; line ends inside values are normalised by XML itself; the rest is Exclusive XML
  Canonicalization of the `Bericht` element (attribute order, quotes, empty-element tags, encoding).
  What still counts as a change: any element, attribute or value, whitespace inside a value, and
  other namespace prefixes.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from typing import Iterator

from lxml import etree

IJW_NAMESPACE = re.compile(r"http://www\.istandaarden\.nl/ijw/(\d+)_(\d+)/(\w+)/schema")
BASIS = "basisschema"

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                          remove_comments=True, remove_pis=True, remove_blank_text=True)


class NotAMessage(ValueError):
    """The file is not (readable as) an iJw message; the message is Dutch."""


def parse(content: bytes) -> etree._Element:
    try:
        root = etree.fromstring(content, _PARSER)
    except etree.XMLSyntaxError as exc:
        line = f" (regel {exc.lineno})" if getattr(exc, "lineno", None) else ""
        at_end = bool(exc.lineno) and exc.lineno >= content.rstrip().count(b"\n") + 1 and content.strip()
        if not content.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
            reason = "het bestand bevat geen XML"
        elif "Excessive depth" in str(exc.msg or exc):  # libxml2's limit without huge_tree
            reason = "de elementen zijn te diep genest (meer dan 256 niveaus)"
        elif at_end:
            reason = "het bestand houdt halverwege op (afgebroken?)"
        else:
            reason = _syntax_reason(exc)
        raise NotAMessage(f"geen geldige XML{line}: {reason}") from None
    if root is None:
        raise NotAMessage("geen geldige XML: het bestand is leeg")
    return root


def _syntax_reason(exc: etree.XMLSyntaxError) -> str:
    text = str(exc.msg or exc).split(",")[0]
    if "Premature end" in text or "EndTag" in text or "end of data" in text.lower():
        return "het bestand houdt halverwege op (afgebroken?)"
    if "Document is empty" in text or "Start tag expected" in text:
        return "het bestand bevat geen XML"
    if "mismatch" in text.lower():
        return "een openingstag en sluittag horen niet bij elkaar"
    return "de opbouw klopt niet"


def find_message(root: etree._Element) -> etree._Element:
    """The `Bericht` element in an iJw namespace: the root itself or inside an envelope."""
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        name = etree.QName(element)
        if name.localname == "Bericht" and name.namespace and IJW_NAMESPACE.fullmatch(name.namespace):
            return element
    raise NotAMessage("geen iJw-bericht gevonden: er is geen element Bericht in een "
                      "iJw-namespace (http://www.istandaarden.nl/ijw/3_2/…/schema)")


def content_sha256(message: etree._Element) -> str:
    """The sha256 of the message as XML, whatever the bytes of its file (see the module's docstring)."""
    return hashlib.sha256(etree.tostring(message, method="c14n", exclusive=True, with_comments=False)).hexdigest()


def release_and_kind(message: etree._Element) -> tuple[str, str]:
    """('3.2', 'jw301') from the message element's namespace."""
    found = IJW_NAMESPACE.fullmatch(etree.QName(message).namespace or "")
    assert found is not None  # find_message only returns iJw elements
    return f"{found.group(1)}.{found.group(2)}", found.group(3).lower()


class Reader:
    """Element access within one message, with XPaths relative to the message root."""

    def __init__(self, message: etree._Element) -> None:
        self.root = message
        namespace = etree.QName(message).namespace or ""
        self.namespaces = (namespace, namespace.replace(IJW_NAMESPACE.fullmatch(namespace).group(3), BASIS))
        self._tags: dict[str, tuple[str, str]] = {}
        self._steps: dict[etree._Element, dict[etree._Element, str]] = {}  # by parent: _steps_below

    def children(self, parent: etree._Element, name: str) -> list[etree._Element]:
        tags = self._tags.get(name)
        if tags is None:
            tags = self._tags[name] = tuple(f"{{{ns}}}{name}" for ns in self.namespaces)
        return list(parent.iterchildren(*tags))

    def child(self, parent: etree._Element | None, name: str) -> etree._Element | None:
        if parent is None:
            return None
        found = self.children(parent, name)
        return found[0] if found else None

    def path_to(self, parent: etree._Element | None, *names: str) -> etree._Element | None:
        element = parent
        for name in names:
            element = self.child(element, name)
        return element

    def text(self, parent: etree._Element | None, *names: str) -> str | None:
        element = self.path_to(parent, *names)
        if element is None or element.text is None:
            return None
        value = element.text.strip()
        return value or None

    def xpath(self, element: etree._Element) -> str:
        parts = []
        while element is not None:
            parent = element.getparent()
            if parent is not None and element is not self.root:
                parts.append(self._steps_below(parent)[element])
            else:
                parts.append(etree.QName(element).localname)
            if element is self.root:
                break
            element = parent
        return "/" + "/".join(reversed(parts))

    def _steps_below(self, parent: etree._Element) -> dict[etree._Element, str]:
        """Every child's step in an XPath: its local name, with [n] where siblings share it. Worked
        out once per parent: a JW323 writes an XPath for each of its thousands of clients, and
        counting the siblings anew each time made reading a message grow with the square of its size."""
        steps = self._steps.get(parent)
        if steps is None:
            named = [(child, etree.QName(child).localname) for child in parent if isinstance(child.tag, str)]
            shared = Counter(name for _child, name in named)
            seen: Counter[str] = Counter()
            steps = {}
            for child, name in named:
                seen[name] += 1
                steps[child] = f"{name}[{seen[name]}]" if shared[name] > 1 else name
            self._steps[parent] = steps
        return steps

    def child_xpath(self, parent: etree._Element, *names: str) -> str:
        """The XPath of parent/names…, also when the element is missing (for 'ontbreekt')."""
        return self.xpath(parent) + "".join(f"/{n}" for n in names)


def iter_elements(reader: Reader, parent: etree._Element | None, *names: str) -> Iterator[etree._Element]:
    """Every element at parent/names[0]/…/names[-1] (the last step may repeat)."""
    if parent is None:
        return
    *path, last = names
    container = reader.path_to(parent, *path) if path else parent
    if container is not None:
        yield from reader.children(container, last)


_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:Z|[+-]\d{2}:\d{2})?")
_TIME = re.compile(r"(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?")


def as_date(raw: str) -> dt.date | None:
    found = _DATE.fullmatch(raw)
    if not found:
        return None
    try:
        return dt.date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
    except ValueError:
        return None


def as_time(raw: str) -> dt.time | None:
    found = _TIME.fullmatch(raw)
    if not found:
        return None
    try:
        return dt.time(int(found.group(1)), int(found.group(2)), int(found.group(3)))
    except ValueError:
        return None
