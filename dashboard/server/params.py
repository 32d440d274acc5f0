"""One way in for every value a request brings: URL query parameters (a page's `layout(**query)`,
the export routes) and callback inputs. Small typed parsers, pure functions.

A parser accepts only what a page may show. For a URL value it answers the default plus a Dutch
message to show ("Jaar 'x' is niet beschikbaar; 2025 wordt getoond."); for a callback value of
the wrong kind (a reason sent as a number, an id sent as a list) it raises `BadInput` with a
Dutch message, which `dashboard.server.callback_guard.refusing` shows in the page and logs. Never an
exception of another kind, whatever arrives:

- a repeated parameter (`?jaar=1&jaar=2`) arrives as a list: `one` takes the last value (as the
  explorer always did), anything that is not text counts as absent;
- numbers are ASCII digits only and short: `str.isdigit()` accepts '²' and '١٢', which `int()`
  refuses or reads, and a 5000-digit string is beyond Python's int limit;
- text is text, with a length limit; a value echoed in a message is shortened.
"""
from __future__ import annotations

import re
from typing import Collection, TypeVar
from urllib.parse import parse_qs

T = TypeVar("T")

MAX_DIGITS = 9          # no number a page shows (year, page, slide, record id) is longer
MAX_SEARCH = 4000       # a query string longer than any link the dashboard makes
MAX_SHOWN = 40          # characters of a bad value repeated in a message
SENT_TEXT_FACTOR = 50   # a typed text this many times its limit comes from no field: see typed_text
CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._\-]{0,59}")   # indicator, lijn, maatregel, KPI codes


class BadInput(ValueError):
    """A value a page does not accept (a forged or broken request); the message is Dutch."""


def one(value) -> str | None:
    """A query parameter as one text: the last of a repeated parameter; None for anything else."""
    if isinstance(value, list):
        value = value[-1] if value else None
    return value if isinstance(value, str) else None


def arg(args, name: str) -> str | None:
    """One value of a Flask request's query (`request.args`), by the same rule as `one`."""
    return one(args.getlist(name))


def shown(value, limit: int = MAX_SHOWN) -> str:
    """A value as a message may repeat it: shortened, so a 5000-digit number is not echoed."""
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[:limit] + "…"


def whole_number(raw, low: int = 0, high: int = 10 ** MAX_DIGITS - 1) -> int | None:
    """A whole number written in ASCII digits (at most MAX_DIGITS), from `low` to `high`; None
    otherwise. An int (not a bool) is taken as it is, e.g. a record id from a pattern id."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        number = raw
    elif isinstance(raw, str) and 0 < len(raw) <= MAX_DIGITS and raw.isascii() and raw.isdigit():
        number = int(raw)
    else:
        return None
    return number if low <= number <= high else None


# --- URL values: the value to show and, when the link asked for something else, a message ------

def year(raw, years: range, default: int) -> tuple[int, str | None]:
    """`jaar` of a link: a year the data cover, or the default with a message."""
    text = one(raw)
    if raw is None or text == "":
        return default, None
    found = whole_number(text, years.start, years.stop - 1) if years else None
    if found is None:
        return default, f"Jaar '{shown(text if text is not None else raw)}' is niet beschikbaar; {default} wordt getoond."
    return found, None


def stand(raw) -> str | None:
    """`stand` of a link: None only when the link names no stand (live figures). Otherwise the
    text to look up — the last of a repeated parameter, "" for an empty one — which
    `stand_freeze.load_snapshot` accepts or refuses in Dutch. A link that names a stand, however
    badly, shows that stand or a refusal: never live figures, which a raadslid would take for the
    vastgestelde ones. (A value that is no text counts as absent, as in `one`.)"""
    text = one(raw)
    return None if text is None else text.strip()


def stand_year(raw_jaar, stand_id: int, jaar: int) -> str | None:
    """A stand holds the figures of one year (`jaar`), and a page of a stand shows that year. The
    message when the link asked for another one (`jaar` of the link, as given); None when it asked
    for none or for the stand's own year."""
    text = one(raw_jaar)
    if raw_jaar is None or text == "" or (text is not None and whole_number(text.strip()) == jaar):
        return None
    return f"Stand {stand_id} bevat alleen cijfers over {jaar}; u ziet {jaar}."


def live_only(stand) -> str | None:
    """The notice for a page that has no frozen version (the programme, a lijn, an indicator)
    opened with `?stand=`: it shows today's figures, and says so, instead of seeming to be the stand."""
    if stand is None or (isinstance(stand, str) and not stand.strip()):
        return None
    return ("Deze pagina heeft geen vastgestelde stand en toont de actuele cijfers; de cijfers van een stand "
            "staan op het overzicht, de verkenner, de presentatie en de exports van die stand (Standen).")


def page_number(raw) -> tuple[int, str | None]:
    """`pagina` of a link: 1, 2, … (the caller clamps it to the pages there are)."""
    text = one(raw)
    if raw is None or text == "":
        return 1, None
    found = whole_number(text, 1)
    if found is None:
        return 1, f"Pagina '{shown(text if text is not None else raw)}' bestaat niet; de eerste pagina wordt getoond."
    return found, None


def slide_number(raw, count: int) -> tuple[int, str | None]:
    """`dia` of a link: 1 … count. Anything else shows the first slide, a number past the end the
    last one (as the arrow keys would), each with a message."""
    text = one(raw)
    if raw is None or text == "":
        return 1, None
    last = max(count, 1)
    found = whole_number(text, 1)
    if found is None:
        return 1, f"Dia '{shown(text if text is not None else raw)}' bestaat niet; de eerste dia wordt getoond."
    if found > last:
        return last, f"Dia '{shown(text)}' bestaat niet; de laatste dia ({last}) wordt getoond."
    return found, None


def option(raw, options: Collection[T], default: T) -> tuple[T, str | None]:
    """One of a fixed set of options (a view, a period, a gemeente code): the option, or the
    default and the asked value as a message may repeat it (shortened)."""
    text = one(raw)
    if raw is None or text == "":
        return default, None
    if text is not None and text in options:
        return text, None
    return default, shown(text if text is not None else raw)


def path_code(raw) -> str:
    """A code in a page's path (`/indicator/<code>`; a query parameter of the same name wins in
    Dash's router, and may be repeated): the text, or "" when it is no code at all."""
    text = one(raw)
    return text if text is not None and CODE.fullmatch(text) else ""


def shown_path(raw) -> str:
    """A path segment as the visitor typed it, for a message: Dash hands it over percent-encoded
    ('%F0%9F%98%80' is '😀')."""
    from urllib.parse import unquote

    return shown(unquote(one(raw) or ""))


# --- callback values: the value, or BadInput ------------------------------------------------------

def code(raw, what: str) -> str:
    """A code sent by the page (indicator, maatregel): BadInput for anything else."""
    if isinstance(raw, str) and CODE.fullmatch(raw):
        return raw
    raise BadInput(f"Onbekende {what}: {shown(raw)}.")


def text(raw, what: str, max_length: int) -> str | None:
    """Free text typed in a field: None when empty, BadInput when it is not text or too long
    (saying how long it is and the limit). (The data layer checks again; this refuses the wrong
    kind before anything is read.)"""
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise BadInput(f"{what} moet tekst zijn.")
    if len(raw) > max_length:
        raise BadInput(f"{what} is te lang: {_count(len(raw))} tekens, ten hoogste {_count(max_length)}.")
    return raw


def typed_text(raw, what: str, limit: int) -> str | None:
    """Free text whose length the write path judges against `limit`: it says how long the text
    is and the limit, and the page keeps the text in its field (no field has a maxLength, which
    would cut a longer paste without a word). Here only a text no field could send, over
    SENT_TEXT_FACTOR times the limit, is refused before it is read, as a forged request."""
    return text(raw, what, SENT_TEXT_FACTOR * limit)


def _count(n: int) -> str:
    """A number of characters the Dutch way: 2.345."""
    return f"{n:,}".replace(",", ".")


def choice(raw, options: Collection[str], what: str) -> str | None:
    """A select's value: one of `options`, None when empty, BadInput otherwise."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, str) and raw in options:
        return raw
    raise BadInput(f"{what} '{shown(raw)}' bestaat niet.")


def field(raw, what: str, max_length: int = 200) -> str | None:
    """A field's value that the write path parses itself (a number typed the Dutch way, a
    period, a date): text or a plain number; BadInput for lists, objects and long text."""
    if raw is None or (isinstance(raw, (int, float)) and not isinstance(raw, bool)):
        return raw
    return text(raw, what, max_length)


def record_id(raw, what: str) -> int:
    """A record's id from a pattern-matching id (a note, a stand, a slide)."""
    found = whole_number(raw, 1)
    if found is None:
        raise BadInput(f"Onbekende {what}.")
    return found


def index(raw, what: str) -> int:
    """A position from a pattern-matching id (a breadcrumb step): 0, 1, …"""
    found = whole_number(raw, 0)
    if found is None:
        raise BadInput(f"Onbekende {what}.")
    return found


def clicks(raw) -> int:
    """A button's n_clicks: the count, or 0 for anything that is no count."""
    return whole_number(raw) or 0


def search(raw) -> str:
    """A dcc.Location's search ("?kpi=…"): "" for anything that is no query string."""
    if isinstance(raw, str) and raw.startswith("?") and len(raw) <= MAX_SEARCH:
        return raw
    return ""


def query(raw_search) -> dict[str, str | list[str]]:
    """A query string as Dash's pages router hands it to `layout(**query)`: one value per name,
    a list for a repeated name."""
    parsed = parse_qs(search(raw_search)[1:], keep_blank_values=True)
    return {name: values[0] if len(values) == 1 else values for name, values in parsed.items()}
