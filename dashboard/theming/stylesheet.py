"""A theme's stylesheet: written from checked token values, and read back when the app starts.

The file holds one `:root` rule with every token of dashboard.theming.tokens, and for each colour
its red, green, blue channels (`--jm-rgb-nl-link-color: 11, 79, 138`): Bootstrap builds some of
its colours from such triplets, which CSS cannot take apart from a colour itself. The product's
stylesheet (assets/10_jeugdmonitor.css) maps Bootstrap's variables onto these.

Themes live in assets/themes/ (THEMES_DIR), one file per theme, `NAAM.css`; Dash includes none of
them by itself (app.py: assets_path_ignore) and the page links only the chosen one.
"""
from __future__ import annotations

import re
from pathlib import Path

from dashboard.theming import css_values, tokens
from dashboard.theming.token_source import properties_from_css

ROOT = Path(__file__).resolve().parent.parent.parent
THEMES_DIR = ROOT / "assets" / "themes"
DEFAULT = "huizen"
NAME = re.compile(r"[a-z][a-z0-9-]{0,39}")
# what may appear of a package in the file's comment (a package's own text never does otherwise)
_PACKAGE = re.compile(r"(@[a-z0-9][a-z0-9._-]*/)?[a-z0-9][a-z0-9._-]*@[A-Za-z0-9.+_-]+")
_LICENCE = re.compile(r"[A-Za-z0-9.+() -]{1,80}")


class ThemeFileProblem(ValueError):
    """A theme file the app cannot use; the message is Dutch."""


def rgb_name(token_name: str) -> str:
    return "--jm-rgb-" + token_name.removeprefix("--")


def render(name: str, values: dict[str, str], package: str | None = None, licence: str | None = None,
           command: str | None = None) -> str:
    """The stylesheet of theme `name` from canonical `values` (every token's)."""
    origin = "de standaardwaarden van de Jeugdmonitor (gemeente Huizen)"
    if package and _PACKAGE.fullmatch(package):
        origin = f"het pakket {package}" + (f" ({licence})" if licence and _LICENCE.fullmatch(licence) else "")
    lines = [f"/* Thema {name} van de Jeugdmonitor: NL Design System-tokens uit {origin}.",
             f"   Gemaakt met `{command or 'python -m dashboard.theming'}`; niet met de hand wijzigen, maar opnieuw bouwen",
             "   (docs/theming.md). Alleen het gekozen thema (THEMA) komt op de pagina. */",
             ":root {"]
    lines += [f"  {token.name}: {values[token.name]};" for token in tokens.TOKENS]
    lines.append("  /* rood, groen, blauw van elke kleur, voor Bootstrap */")
    lines += [f"  {rgb_name(token.name)}: {css_values.parse_colour(values[token.name]).rgb_triplet};"
              for token in tokens.TOKENS if token.kind == tokens.COLOUR]
    lines.append("}")
    return "\n".join(lines) + "\n"


def theme_path(name: str, folder: Path = THEMES_DIR) -> Path:
    return folder / f"{name}.css"


def available(folder: Path = THEMES_DIR) -> list[str]:
    return sorted(p.stem for p in folder.glob("*.css") if NAME.fullmatch(p.stem))


def read_theme(path: Path) -> dict[str, str]:
    """{token: canonical value} of a theme file; every token must be there with a valid value."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raise ThemeFileProblem(f"{path.name} kan niet worden gelezen") from None
    properties = properties_from_css(text)
    values, problems = {}, []
    for token in tokens.TOKENS:
        raw = properties.get(token.name)
        if raw is None:
            problems.append(f"{token.name} ontbreekt")
            continue
        try:
            values[token.name] = css_values.canonical(token.kind, raw)
        except css_values.ValueProblem as exc:
            problems.append(f"{token.name}: {exc}")
    if problems:
        raise ThemeFileProblem(f"{path.name} is geen bruikbaar thema: " + "; ".join(problems[:5])
                               + (f" (en {len(problems) - 5} meer)" if len(problems) > 5 else ""))
    return values


def huizen_values() -> dict[str, str]:
    return {token.name: token.huizen for token in tokens.TOKENS}
