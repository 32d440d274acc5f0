"""Why a row of a `,` file can have too many fields: an amount written with a decimal comma.

Excel with Dutch settings writes 1234,50; in a file whose delimiter is `,` (contract: import-format.md,
"General rules": a decimal comma only with `;`) that unquoted amount is two fields, 1234 and 50,
and the row has one field more than its header. The loader and the targets import then say the
likely cause in the same words.

Decisions:
- The cause is only claimed when it fits the row: joining, at a column that holds an amount, a
  whole number with a following field of one or two digits gives exactly the header's number of
  fields. Any other field-count mismatch (a stray comma in a name, a missing field) gets no hint.
- A whole number may carry Dutch thousands dots (1.234,50 became 1.234 and 50).
- The loader gives the full advice once per file, on its first such row (`loader_hint`); its
  later such rows only name the cause and point there (`see_first_row`): a file saved this way has
  the cause on every row with a decimal amount, and the same long advice up to 50 times buried the
  list. The targets import (dashboard/programme/targets_csv.py) does the same with its COMMA_FILE.
"""
from __future__ import annotations

import re
from typing import Collection, Sequence

#: the cause, shared with the targets file (dashboard/programme/targets_csv.py COMMA_FILE)
COMMA_SPLITS_DECIMALS = "in dit bestand scheidt de komma de kolommen, dus een decimale komma ook"
SAVE_WITH_SEMICOLON = "sla het op met een puntkomma als scheidingsteken (Nederlandse Excel: 'CSV UTF-8')"

_WHOLE = re.compile(r"-?[0-9]+|-?[0-9]{1,3}(?:\.[0-9]{3})+")
_DECIMALS = re.compile(r"[0-9]{1,2}")


def split_amount(fields: Sequence[str], field_count: int, amount_positions: Collection[int]) -> tuple[str, str] | None:
    """The first amount that a decimal comma split in two (its whole and decimal part), when
    decimal commas explain every extra field of this row; else None. `amount_positions`: the
    header positions of the columns that hold amounts."""
    extra = len(fields) - field_count
    if extra <= 0 or not amount_positions:
        return None
    first = None
    at = 0  # the field that the header's column `position` starts at
    for position in range(field_count):
        if at >= len(fields):
            return None
        if (extra and position in amount_positions and at + 1 < len(fields)
                and _WHOLE.fullmatch(fields[at].strip()) and _DECIMALS.fullmatch(fields[at + 1].strip())):
            first = first or (fields[at].strip(), fields[at + 1].strip())
            at += 2
            extra -= 1
        else:
            at += 1
    return first if extra == 0 and at == len(fields) else None


def loader_hint(whole: str, decimals: str) -> str:
    """What the loader adds to "4 velden, maar de kopregel heeft er 3" for such a row."""
    written = f"{whole.replace('.', '')}.{decimals}"  # the format has no thousands separator
    return (f"{COMMA_SPLITS_DECIMALS}; {SAVE_WITH_SEMICOLON}, dan mag de decimale komma blijven, of "
            f"schrijf bedragen met een decimale punt: {written} in plaats van {whole},{decimals}")


def see_first_row(first_line: int) -> str:
    """What the loader (and the targets import) adds for such a problem after the first of its file,
    which has the full advice."""
    return f"decimale komma; zie regel {first_line}"
