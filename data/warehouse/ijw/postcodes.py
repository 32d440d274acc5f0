"""The gemeente's postcode → wijk table: where a jeugdige lives, from the client's postcode.

Format (docs/ijw.md): a CSV file in the import format's general rules (UTF-8, `,` or `;`, a header
line), columns `postcode` and `wijk_code`. A postcode is a PC6 (`1271AB`, also `1271 ab`) or a
PC4 (`1271`, for every PC6 in it that is not listed itself). Read by the loader's one CSV reader.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from data.warehouse.csv_input import side_file_records

_PC6 = re.compile(r"([1-9][0-9]{3}) ?([A-Z]{2})")
_PC4 = re.compile(r"[1-9][0-9]{3}")
COLUMNS = ("postcode", "wijk_code")


def normalised(raw: str) -> str | None:
    """`1271AB` or `1271` for a delivered postcode, None when it is not a Dutch postcode."""
    value = raw.strip().upper()
    found = _PC6.fullmatch(value)
    if found:
        return found.group(1) + found.group(2)
    return value if _PC4.fullmatch(value) else None


@dataclass
class PostcodeTable:
    file: str
    wijk_of: dict[str, str] = field(default_factory=dict)
    line_of: dict[str, int] = field(default_factory=dict)  # first line per wijk_code, for problems

    def wijk(self, postcode: str) -> str | None:
        pc = normalised(postcode)
        if pc is None:
            return None
        return self.wijk_of.get(pc) or self.wijk_of.get(pc[:4])


def read_postcodes(path: Path, report) -> PostcodeTable:
    """`report(line, column, message)` gets every problem; the table holds the valid rows."""
    table = PostcodeTable(path.name)
    first_line: dict[str, int] = {}
    for line, value in side_file_records(path, COLUMNS, report):
        pc, wijk = normalised(value["postcode"]), value["wijk_code"]
        if pc is None:
            report(line, "postcode", "geen Nederlandse postcode (1234AB of 1234)")
            continue
        if not wijk:
            report(line, "wijk_code", "verplicht veld is leeg")
            continue
        if pc in first_line:
            report(line, "postcode", f"{pc} komt al voor op regel {first_line[pc]}")
            continue
        first_line[pc] = line
        table.wijk_of[pc] = wijk
        table.line_of.setdefault(wijk, line)
    return table
