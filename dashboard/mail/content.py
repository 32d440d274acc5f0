"""A mail's content as plain blocks (headings, paragraphs, lists, links), written once and drawn
twice: as plain text and as a simple HTML alternative, so both say exactly the same. Every text is
escaped in the HTML; nothing is loaded from anywhere (no images, no styles from elsewhere)."""
from __future__ import annotations

import html
from dataclasses import dataclass


@dataclass(frozen=True)
class Link:
    text: str
    url: str


Inline = str | Link


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2  # 1: the mail's title


@dataclass(frozen=True)
class Paragraph:
    parts: tuple[Inline, ...]


@dataclass(frozen=True)
class Items:
    """A bulleted list; each item a run of text and links."""
    items: tuple[tuple[Inline, ...], ...]


Block = Heading | Paragraph | Items


@dataclass(frozen=True)
class Content:
    onderwerp: str
    blocks: tuple[Block, ...]


def paragraph(*parts: Inline) -> Paragraph:
    return Paragraph(tuple(parts))


def _inline_text(parts: tuple[Inline, ...]) -> str:
    return "".join(f"{p.text} <{p.url}>" if isinstance(p, Link) else p for p in parts)


def _inline_html(parts: tuple[Inline, ...]) -> str:
    return "".join(f'<a href="{html.escape(p.url)}">{html.escape(p.text)}</a>' if isinstance(p, Link)
                   else html.escape(p) for p in parts)


def as_text(content: Content) -> str:
    lines: list[str] = []
    for block in content.blocks:
        if isinstance(block, Heading):
            lines += [block.text, ("=" if block.level == 1 else "-") * len(block.text)]
        elif isinstance(block, Paragraph):
            lines.append(_inline_text(block.parts))
        else:
            lines += [f"- {_inline_text(item)}" for item in block.items]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def as_html(content: Content) -> str:
    body: list[str] = []
    for block in content.blocks:
        if isinstance(block, Heading):
            body.append(f"<h{block.level}>{html.escape(block.text)}</h{block.level}>")
        elif isinstance(block, Paragraph):
            body.append(f"<p>{_inline_html(block.parts)}</p>")
        else:
            body.append("<ul>" + "".join(f"<li>{_inline_html(item)}</li>" for item in block.items) + "</ul>")
    return ('<!DOCTYPE html>\n<html lang="nl">\n<head><meta charset="utf-8">'
            f"<title>{html.escape(content.onderwerp)}</title></head>\n"
            '<body style="font-family: Arial, Helvetica, sans-serif; line-height: 1.4">\n'
            + "\n".join(body) + "\n</body>\n</html>\n")
