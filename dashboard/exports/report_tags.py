"""Two things WeasyPrint's PDF/UA tagging leaves out, added before the PDF is written.

- Header scope. WeasyPrint 70 tags a header cell as TH with /A << /O /Table >> but drops the
  HTML's `scope` (Kozea/WeasyPrint#2508, open), so the PDF does not say whether a TH heads its
  row or its column. We copy it: /Scope /Column or /Row, exactly as the HTML says.
- Link text. A link annotation's /Contents, its alternate description (PDF/UA-1 7.18.5), is the
  target's id ("lijn-3"), which screen readers announce. We put the link's own text there.

`finish` is WeasyPrint's `finisher` hook: it gets the laid-out document and the PDF objects after
tagging, before they are written. It reads the marks WeasyPrint leaves on the layout boxes (the
TH's structure element, the link's annotation); the tests walk the written structure tree, so a
WeasyPrint release that moved them fails a test instead of silently dropping the scope.
"""
from __future__ import annotations

import logging

import pydyf

log = logging.getLogger(__name__)

SCOPES = {"col": "/Column", "colgroup": "/Column", "row": "/Row", "rowgroup": "/Row"}


def link_text(element) -> str:
    """What a link says: its aria-label or title if it has one, else its text."""
    for name in ("aria-label", "title"):
        if element.get(name, "").strip():
            return element.get(name).strip()
    return " ".join("".join(element.itertext()).split())


def finish(document, pdf) -> None:
    for page in document.pages:
        page_box = getattr(page, "_page_box", None)
        if page_box is None:  # a WeasyPrint that lays pages out differently: the PDF still comes out
            log.warning("rapport: WeasyPrint-pagina zonder opmaakboom; TH-scope en linkteksten ontbreken")
            return
        for box in page_box.descendants():
            element = getattr(box, "element", None)
            if element is None:
                continue
            mark = getattr(box, "mark", None)  # a table cell's structure element
            if box.element_tag == "th" and mark is not None:
                scope = SCOPES.get(element.get("scope", ""))
                if scope:
                    mark["A"]["Scope"] = scope
            annotation = getattr(box, "link_annotation", None)
            # the <a> and its ::after (the TOC's leader and page number) each have an annotation
            if annotation is not None and box.element_tag.split(":")[0] == "a":
                text = link_text(element)
                if text:
                    annotation["Contents"] = pydyf.String(text)
