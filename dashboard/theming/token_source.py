"""A gemeente's published design tokens, read from its npm package: every custom property it
defines, with `var()` references followed to their values.

A source is one of:
- a CSS file: every `--name: value;` declaration in it, in any rule (`:root`, `.denhaag-theme`, …);
  a name declared twice keeps its first value (later ones are media-query or dark-mode variants);
- a tokens.json in Style Dictionary's format (nested groups, leaves with `value` or `$value`;
  `{a.b.c}` refers to another token): the path joined by `-` is the name (`--a-b-c`);
- an installed package's folder (node_modules/@gemeente-x/design-tokens): its first file of
  `PACKAGE_FILES`.

The result is only text; what a token must be is checked by the build (css_values).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from data.cli_errors import os_reason

PACKAGE_FILES = ("dist/theme.css", "dist/theme/index.css", "dist/index.css", "dist/variables.css",
                 "dist/tokens.json", "dist/index.tokens.json", "tokens.json")
MAX_BYTES = 20_000_000  # the largest published token files are a few MB
MAX_DEPTH = 20          # var() references followed before a chain counts as a loop

_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_DECLARATION = re.compile(r"(--[A-Za-z0-9_-]+)\s*:\s*([^;{}]*)[;}]")
_VAR = re.compile(r"var\(\s*(--[A-Za-z0-9_-]+)\s*(?:,\s*([^()]*(?:\([^()]*\)[^()]*)*))?\)")
_REFERENCE = re.compile(r"\{([A-Za-z0-9_.-]+)\}")


class SourceProblem(ValueError):
    """A token source that cannot be read; the message is Dutch."""


@dataclass(frozen=True)
class TokenSource:
    path: Path             # the file read
    package: str | None    # "name@version" from package.json, when the source is a package
    licence: str | None    # the package's licence (package.json), when it says
    properties: dict[str, str]


def read_source(path: Path) -> TokenSource:
    path = Path(path)
    if path.is_dir():
        return _read_package(path)
    if not path.is_file():
        raise SourceProblem(f"{path}: bestaat niet (geef een pakketmap, een .css- of een .json-bestand)")
    return TokenSource(path, None, None, read_properties(path))


def _read_package(folder: Path) -> TokenSource:
    package, licence = None, None
    manifest = folder / "package.json"
    if manifest.is_file():
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            raise SourceProblem(f"{manifest}: geen leesbaar package.json") from None
        if isinstance(data, dict):
            name, version = data.get("name"), data.get("version")
            package = f"{name}@{version}" if isinstance(name, str) and isinstance(version, str) else None
            licence = data.get("license") if isinstance(data.get("license"), str) else None
    for relative in PACKAGE_FILES:
        candidate = folder / relative
        if candidate.is_file():
            return TokenSource(candidate, package, licence, read_properties(candidate))
    raise SourceProblem(f"{folder}: geen tokenbestand gevonden (gezocht: {', '.join(PACKAGE_FILES)})")


def read_properties(path: Path) -> dict[str, str]:
    """{--name: raw value} of a CSS or JSON token file."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise SourceProblem(f"{path}: groter dan {MAX_BYTES // 1_000_000} MB; dit is geen tokenbestand")
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise SourceProblem(f"{path}: geen UTF-8-tekst") from None
    except OSError as exc:
        raise SourceProblem(f"{path}: kan niet worden gelezen ({os_reason(exc)})") from None
    if path.suffix.lower() == ".json":
        return properties_from_json(text, path)
    properties = properties_from_css(text)
    if not properties:
        raise SourceProblem(f"{path}: bevat geen CSS custom properties (--naam: waarde;)")
    return properties


def properties_from_css(text: str) -> dict[str, str]:
    properties: dict[str, str] = {}
    for name, value in _DECLARATION.findall(_COMMENT.sub("", text)):
        properties.setdefault(name, value.strip())
    return properties


def properties_from_json(text: str, path: Path) -> dict[str, str]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceProblem(f"{path}:{exc.lineno}: geen geldige JSON ({exc.msg})") from None
    if not isinstance(data, dict):
        raise SourceProblem(f"{path}: verwacht een JSON-object met tokengroepen")
    properties: dict[str, str] = {}
    _walk(data, [], properties)
    if not properties:
        raise SourceProblem(f"{path}: bevat geen tokens (bladeren met \"value\" of \"$value\")")
    return properties


def _walk(node: dict, path: list[str], out: dict[str, str]) -> None:
    for key in ("$value", "value"):
        if key in node and not isinstance(node[key], dict):
            value = node[key]
            if isinstance(value, (str, int, float)) and not isinstance(value, bool):
                # a reference {a.b.c} becomes var(--a-b-c), so CSS and JSON resolve alike
                out.setdefault("--" + "-".join(path), _REFERENCE.sub(lambda m: f"var(--{m.group(1).replace('.', '-')})",
                                                                     str(value)))
            return
    for key, child in node.items():
        if isinstance(child, dict) and not str(key).startswith("$"):
            _walk(child, [*path, str(key)], out)


def resolve(properties: dict[str, str], name: str) -> str | None:
    """The value of `name` with every var() replaced by what it refers to (or its fallback);
    None when `name` is not defined, or refers to something undefined without a fallback."""
    if not properties.get(name, "").strip():  # an empty declaration sets nothing
        return None
    try:
        return _substitute(properties, properties[name], {name})
    except LookupError:
        return None


def _substitute(properties: dict[str, str], value: str, seen: set[str]) -> str:
    if len(seen) > MAX_DEPTH:
        raise SourceProblem(f"{sorted(seen)[0]}: te lange keten van verwijzingen (var())")

    def replace(match: re.Match) -> str:
        target, fallback = match.group(1), match.group(2)
        if target in seen:
            raise SourceProblem(f"{target}: verwijst (via var()) naar zichzelf")
        if target in properties and properties[target].strip():
            return _substitute(properties, properties[target], seen | {target})
        if fallback is not None:
            return _substitute(properties, fallback, seen)
        raise LookupError(target)

    return _VAR.sub(replace, value).strip()
