"""One CSS value of a design token, parsed and written back in a canonical form.

A token package is input from outside: its values are never copied into the product's stylesheet.
Each value is parsed as what the token must be (a colour, a length, a number, a font-family list)
and the stylesheet gets the value written anew from the parsed parts (`#0b4f8a`, `1.125rem`,
`"TheSans", sans-serif`), so a `}` or `</style>` in a package cannot reach a page. Anything not
recognised is refused with a Dutch sentence (`ValueProblem`).

Colours must be opaque: the build checks the contrast of every pair of colours the product puts
on top of each other, and a translucent colour has no contrast of its own.
"""
from __future__ import annotations

import colorsys
import re
from dataclasses import dataclass

from dashboard.theming import tokens


class ValueProblem(ValueError):
    """A token value the product cannot use; the message is Dutch and names the value."""


NAMED_COLOURS = {"white": (255, 255, 255), "black": (0, 0, 0)}
GENERIC_FAMILIES = {"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui", "ui-serif",
                    "ui-sans-serif", "ui-monospace", "ui-rounded", "math", "emoji", "fangsong"}
MAX_TEXT = 200  # a token value longer than this is not a value this product reads

_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)"
_HEX = re.compile(r"#([0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")
_FUNCTION = re.compile(r"(rgba?|hsla?)\((.*)\)", re.IGNORECASE | re.DOTALL)
_LENGTH = re.compile(rf"({_NUMBER})(px|rem|em)?")
_IDENT = re.compile(r"-?[A-Za-z][A-Za-z0-9-]*")
_FAMILY_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9 _.-]*")


@dataclass(frozen=True)
class Colour:
    red: int
    green: int
    blue: int

    @property
    def hex(self) -> str:
        return f"#{self.red:02x}{self.green:02x}{self.blue:02x}"

    @property
    def rgb_triplet(self) -> str:
        """`11, 79, 138`: what Bootstrap's `--bs-…-rgb` variables hold."""
        return f"{self.red}, {self.green}, {self.blue}"

    def luminance(self) -> float:
        """Relative luminance as WCAG 2.1 defines it (sRGB)."""
        def linear(channel: int) -> float:
            c = channel / 255
            return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
        return 0.2126 * linear(self.red) + 0.7152 * linear(self.green) + 0.0722 * linear(self.blue)


def contrast_ratio(a: Colour, b: Colour) -> float:
    """WCAG 2.1's contrast ratio (1 to 21)."""
    high, low = sorted((a.luminance(), b.luminance()), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "…"


def parse_colour(text: str) -> Colour:
    """#rgb, #rrggbb (and #rgba/#rrggbbaa when opaque), rgb()/rgba(), hsl()/hsla() in the comma and
    the space syntax, white and black."""
    value = text.strip()
    if len(value) > MAX_TEXT:
        raise ValueProblem("de waarde is te lang voor een kleur")
    if value.lower() in NAMED_COLOURS:
        return Colour(*NAMED_COLOURS[value.lower()])
    hex_match = _HEX.fullmatch(value)
    if hex_match:
        digits = hex_match.group(1)
        if len(digits) in (3, 4):
            digits = "".join(d * 2 for d in digits)
        if len(digits) == 8:
            if digits[6:].lower() != "ff":
                raise ValueProblem(f"{_short(value)!r} is doorschijnend; het thema vraagt een dekkende kleur")
            digits = digits[:6]
        return Colour(int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16))
    function = _FUNCTION.fullmatch(value)
    if function:
        return _colour_function(function.group(1).lower(), function.group(2), value)
    raise ValueProblem(f"{_short(value)!r} is geen kleur die het thema kan lezen "
                       "(verwacht: #rrggbb, rgb(…), hsl(…), white of black)")


def _colour_function(name: str, inside: str, original: str) -> Colour:
    if "/" in inside:
        main, _, alpha = inside.partition("/")
        parts = main.split()
    elif "," in inside:
        parts = [p.strip() for p in inside.split(",")]
        alpha = parts.pop() if len(parts) == 4 else None
    else:
        parts, alpha = inside.split(), None
    if len(parts) != 3:
        raise ValueProblem(f"{_short(original)!r}: een kleurfunctie heeft drie waarden")
    if alpha is not None and _fraction(alpha, original) < 1:
        raise ValueProblem(f"{_short(original)!r} is doorschijnend; het thema vraagt een dekkende kleur")
    if name.startswith("rgb"):
        channels = [_channel(p, original) for p in parts]
        return Colour(*channels)
    hue = _hue(parts[0], original)
    saturation, lightness = (_percentage(p, original) for p in parts[1:])
    red, green, blue = colorsys.hls_to_rgb(hue / 360, lightness, saturation)
    return Colour(*(round(c * 255) for c in (red, green, blue)))


def _number(text: str, original: str) -> float:
    if not re.fullmatch(_NUMBER, text.strip()):
        raise ValueProblem(f"{_short(original)!r}: {_short(text.strip())!r} is geen getal")
    return float(text)


def _channel(text: str, original: str) -> int:
    text = text.strip()
    value = _number(text[:-1], original) * 2.55 if text.endswith("%") else _number(text, original)
    if not 0 <= value <= 255:
        raise ValueProblem(f"{_short(original)!r}: een kleurkanaal ligt tussen 0 en 255")
    return round(value)


def _percentage(text: str, original: str) -> float:
    text = text.strip()
    value = _number(text[:-1] if text.endswith("%") else text, original)
    if not 0 <= value <= 100:
        raise ValueProblem(f"{_short(original)!r}: een percentage ligt tussen 0 en 100")
    return value / 100


def _hue(text: str, original: str) -> float:
    text = text.strip().lower()
    return _number(text[:-3] if text.endswith("deg") else text, original) % 360


def _fraction(text: str, original: str) -> float:
    text = text.strip()
    return _number(text[:-1], original) / 100 if text.endswith("%") else _number(text, original)


def parse_length(text: str, allow_zero: bool = False) -> str:
    """A length in px, rem or em (a plain 0 when `allow_zero`), written back canonically."""
    value = text.strip()
    match = _LENGTH.fullmatch(value) if len(value) <= 40 else None
    if not match or (match.group(2) is None and float(match.group(1)) != 0):
        raise ValueProblem(f"{_short(value)!r} is geen lengte in px, rem of em")
    number = float(match.group(1))
    if number < 0 or (number == 0 and not allow_zero) or number > 500:
        raise ValueProblem(f"{_short(value)!r} ligt buiten wat het thema aankan (meer dan 0, hoogstens 500)")
    return f"{number:g}{match.group(2) or 'px'}"


def parse_number(text: str, low: float, high: float) -> str:
    """A plain number between low and high (a line height), written back canonically."""
    value = text.strip()
    if len(value) > 20 or not re.fullmatch(_NUMBER, value):
        raise ValueProblem(f"{_short(value)!r} is geen getal")
    number = float(value)
    if not low <= number <= high:
        raise ValueProblem(f"{_short(value)!r} ligt niet tussen {low:g} en {high:g}")
    return f"{number:g}"


def parse_font_family(text: str) -> str:
    """A font-family list: quoted names and bare names, written back with every name that is not
    a plain CSS keyword in double quotes. A generic family is added at the end when the package
    names none (its own fonts are not shipped with the product, so the browser must have a fallback)."""
    value = text.strip()
    if not value or len(value) > MAX_TEXT:
        raise ValueProblem("de lijst met lettertypen is leeg of te lang")
    names = []
    for item in _split_families(value):
        if len(item) >= 2 and item[0] == item[-1] and item[0] in "'\"":
            name = item[1:-1].strip()
            if not _FAMILY_NAME.fullmatch(name):
                raise ValueProblem(f"{_short(value)!r}: lettertypenaam {_short(name)!r} heeft tekens die niet mogen")
            names.append(f'"{name}"')
        elif " ".join(item.split()) and all(_IDENT.fullmatch(word) for word in item.split()):
            bare = " ".join(item.split())
            names.append(bare if bare.lower() in GENERIC_FAMILIES or _IDENT.fullmatch(bare) else f'"{bare}"')
        else:
            raise ValueProblem(f"{_short(value)!r} is geen lijst met lettertypen")
    if not any(name.lower() in GENERIC_FAMILIES for name in names):
        names.append("sans-serif")
    return ", ".join(names)


def _split_families(value: str) -> list[str]:
    items, current, quote = [], "", None
    for char in value:
        if quote:
            current += char
            quote = None if char == quote else quote
        elif char in "'\"":
            current += char
            quote = char
        elif char == ",":
            items.append(current.strip())
            current = ""
        else:
            current += char
    if quote:
        raise ValueProblem(f"{_short(value)!r}: een aanhalingsteken is niet gesloten")
    items.append(current.strip())
    if any(not item for item in items):
        raise ValueProblem(f"{_short(value)!r}: een lege naam in de lijst met lettertypen")
    return items


def canonical(kind: str, text: str) -> str:
    """The value of a token of `kind` (dashboard.theming.tokens), written back canonically."""
    if kind == tokens.COLOUR:
        return parse_colour(text).hex
    if kind == tokens.LENGTH:
        return parse_length(text)
    if kind == tokens.SPACE:
        return parse_length(text, allow_zero=True)
    if kind == tokens.LINE_HEIGHT:
        return parse_number(text, 1, 3)
    if kind == tokens.FONT_FAMILY:
        return parse_font_family(text)
    raise ValueError(f"unknown token kind {kind!r}")
