"""Reading one delivered CSV file as a stream of records with their line numbers: the loader's
files (a path, streamed) and an uploaded file (bytes: the targets import, dashboard/programme/targets_csv.py).

Decisions (contract: import-format.md, "General rules"):
- UTF-8, a byte-order mark is allowed. A first pass over the bytes computes the file's sha256 (for
  the load log) and checks the encoding in large chunks. A valid file is then read through the
  fast C path (text mode straight into the csv module); only a file with bad bytes is decoded line
  by line, so each line that is not valid UTF-8 is reported with its own number (and its record
  skipped) while the rest of the file is still checked.
- The delimiter is `;` when the header line holds more `;` than `,`, else `,`. A header of one
  field with tabs in it (Excel's "Tekst (tab-gescheiden)") is refused as a whole with a sentence
  that names the delimiter, instead of "verplichte kolom ontbreekt" for every column.
- A record's line number is the physical line where it starts (header = 1); a quoted field may
  span lines, so the csv module's line counter is used, not a row counter.
- Empty lines, and lines of nothing but delimiters (Excel writes `;;;`), are skipped.
- A file that is no text at all (an .xlsx renamed to .csv, a UTF-16 "Unicode text" export, any
  other binary file: NUL bytes or many control characters in its first 64 KiB) gives one problem,
  "dit is geen CSV-tekstbestand", and `unreadable` is set: no header, no records, and the caller
  adds no "het bestand is leeg".
- The csv module's own (English) error texts never reach the user: `_csv_problem` words them in Dutch.
- A quote left open runs to the end of the file: the csv module then silently takes the rest of the
  file as one field (a row that swallowed the rows after it). `_EndOfFile` notices that the reader
  asked for a line past the end in the middle of a record, and that record is a problem, not data.
- Header names are trimmed and lowercased.
- The file is read as a stream: memory does not grow with the file.
"""
from __future__ import annotations

import codecs
import csv
import hashlib
import io
import itertools
import re
from pathlib import Path
from typing import Callable, Iterator

from data.cli_errors import os_reason

# report(line, column, message): how this module hands problems to the loader.
Report = Callable[[int, str, str], None]

#: how much of the start of a file is looked at to tell text from a binary file
SNIFF_BYTES = 1 << 16
NOT_TEXT = "dit is geen CSV-tekstbestand (misschien een Excel-bestand?); sla het op als CSV (UTF-8)"
UTF16_TEXT = ("dit is een UTF-16-tekstbestand (in Excel: 'Unicode-tekst'), geen CSV in UTF-8; "
              "sla het op als CSV (UTF-8)")
# bytes that never occur in a text file: C0 control characters other than tab, line feed,
# vertical tab, form feed and carriage return, and DEL
_CONTROL = bytes([*range(0x01, 0x09), *range(0x0E, 0x20), 0x7F])
_NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROL)


class CsvFile:
    """An open delivered file: `header`, `delimiter`, and `records()` yielding (line, fields).
    `source`: the file's path, or its content (bytes)."""

    def __init__(self, source: Path | bytes, report: Report) -> None:
        if isinstance(source, bytes):
            self.sha256, valid_utf8 = hashlib.sha256(source).hexdigest(), _is_utf8(source)
            head = source[:SNIFF_BYTES]
        else:
            self.sha256, valid_utf8, head = _scan(source)
        self._report = report
        self._bad_lines: list[tuple[int, UnicodeDecodeError]] = []
        self.header: list[str] | None = None
        self.delimiter = ","
        self.broken = False  # True when a CSV syntax error stopped the reading
        self.unreadable = False  # True when the file was reported as a whole: no header, not empty
        not_text = _not_text(head)
        if not_text is not None:
            report(1, "bestand", not_text)
            self.unreadable = True
            self._file = io.BytesIO(b"")
            return
        if valid_utf8:
            self._file = (io.TextIOWrapper(io.BytesIO(source), encoding="utf-8-sig", newline="")
                          if isinstance(source, bytes) else open(source, encoding="utf-8-sig", newline=""))
            lines: Iterator[str] = iter(self._file)
        else:
            self._file = io.BytesIO(source) if isinstance(source, bytes) else open(source, "rb")
            lines = self._decoded_lines()
        first = next(lines, None)
        if first is None:
            return
        self.delimiter = ";" if first.count(";") > first.count(",") else ","
        self._end = _EndOfFile()
        self._reader = csv.reader(itertools.chain([first], lines, self._end), delimiter=self.delimiter)
        try:
            header = next(self._reader)
        except csv.Error as exc:
            report(1, "kopregel", f"de kopregel is geen geldige CSV: {_csv_problem(exc)}")
            self.unreadable = True
            return
        if self._end.reached:
            report(1, "kopregel", f"de kopregel is geen geldige CSV: {OPEN_QUOTE}")
            self.unreadable = True
            return
        self._flush_bad_lines()
        if len(header) == 1 and "\t" in header[0]:  # Excel's "Tekst (tab-gescheiden)"
            report(1, "kopregel", TAB_SEPARATED)
            self.unreadable = True
            return
        self.header = [name.strip().lower() for name in header]

    def __enter__(self) -> "CsvFile":
        return self

    def __exit__(self, *_exc) -> None:
        self._file.close()

    def _decoded_lines(self) -> Iterator[str]:
        """The slow path for a file with bad bytes: decode and report line by line. Lines end at
        LF, CRLF or a lone CR (an old Mac file), as in the fast path's text mode."""
        number = 0
        for chunk in self._file:
            for raw in chunk.splitlines(keepends=True):
                number += 1
                if number == 1 and raw.startswith(codecs.BOM_UTF8):
                    raw = raw[len(codecs.BOM_UTF8):]
                try:
                    yield raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    self._bad_lines.append((number, exc))
                    yield raw.decode("utf-8", "replace")

    def _flush_bad_lines(self) -> bool:
        """Report the undecodable lines of the record just read; True if there were any."""
        if not self._bad_lines:
            return False
        for number, exc in self._bad_lines:
            byte = exc.object[exc.start:exc.start + 1].hex()
            self._report(number, "codering",
                         f"geen geldige UTF-8 (byte 0x{byte} op positie {exc.start + 1}); "
                         "sla het bestand op als 'CSV UTF-8'")
        self._bad_lines.clear()
        return True

    def records(self, keep_undecodable: bool = False) -> Iterator[tuple[int, list[str]]]:
        """(line, fields) for every non-empty record after the header. A record with bytes that are
        no UTF-8 is reported and skipped; with `keep_undecodable` (the loader) it is reported and
        still given, its bad bytes as U+FFFD: the load fails on the report anyway, and its key then
        counts as delivered (one accented name is one problem, not one per row that refers to it)."""
        if self.header is None:
            return
        reader = self._reader
        previous = reader.line_num
        while True:
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                self._report(previous + 1, "rij",
                             f"ongeldige CSV ({_csv_problem(exc)}); controleer de aanhalingstekens. "
                             "De rest van het bestand is niet gecontroleerd")
                self.broken = True
                return
            start = previous + 1
            previous = reader.line_num
            if self._end.reached:  # the record ran into the end of the file: a quote left open
                self._flush_bad_lines()
                self._report(start, "rij", f"ongeldige CSV ({OPEN_QUOTE}); controleer de aanhalingstekens")
                self.broken = True
                return
            if self._flush_bad_lines() and not keep_undecodable:
                continue
            if not any(fields):
                continue
            yield start, fields


class _EndOfFile:
    """The last of the reader's line sources: asked for a line, it notes that the file has ended.
    The csv module asks for one more line only to finish a record (a quoted field spans lines) or to
    start the next one, so a record returned after `reached` was cut off by the end of the file.
    It costs nothing per line: itertools.chain calls it once, at the end."""

    def __init__(self) -> None:
        self.reached = False

    def __iter__(self) -> "_EndOfFile":
        return self

    def __next__(self) -> str:
        self.reached = True
        raise StopIteration


def field_count_problem(found: int, expected: int) -> str:
    """A row with another number of fields than the header: "1 veld, maar de kopregel heeft er 4"."""
    return f"{found} {'veld' if found == 1 else 'velden'}, maar de kopregel heeft er {expected}"


def side_file_records(path: Path, columns: tuple[str, ...], report: Report) -> Iterator[tuple[int, dict[str, str]]]:
    """The records of a small side file beside a load (the iJw loader's postcode and product tables):
    (line, {column: trimmed value}) for the named columns. An unreadable file, a missing header or
    column and a line with the wrong number of fields go to `report`; such lines are skipped."""
    try:
        csv_file = CsvFile(path, report)
    except OSError as exc:
        report(1, "bestand", f"het bestand is niet te lezen ({os_reason(exc)})")
        return
    with csv_file:
        header = csv_file.header
        if header is None:
            if not csv_file.unreadable:  # an unreadable file has had its problem
                report(1, "kopregel", "het bestand is leeg; de kopregel met kolomnamen ontbreekt")
            return
        missing = [c for c in columns if c not in header]
        for column in missing:
            report(1, column, "verplichte kolom ontbreekt")
        if missing:
            return
        at = {c: header.index(c) for c in columns}
        for line, fields in csv_file.records():
            if len(fields) != len(header):
                report(line, "rij", field_count_problem(len(fields), len(header)))
                continue
            yield line, {c: fields[at[c]].strip() for c in columns}


def _scan(path: Path) -> tuple[str, bool, bytes]:
    """The file's sha256, whether all of it is valid UTF-8, and its first SNIFF_BYTES bytes, in one
    pass of large reads."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    valid = True
    head = b""
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            if not head:
                head = chunk[:SNIFF_BYTES]
            digest.update(chunk)
            if valid:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    valid = False
    if valid:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            valid = False
    return digest.hexdigest(), valid, head


def _not_text(head: bytes) -> str | None:
    """The problem of a file that is no text (judged by its first bytes), or None. A text file in
    any 8-bit encoding has no NUL bytes and (almost) no control characters; an .xlsx (a zip), an
    old .xls, a UTF-16 export or random bytes have many."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return UTF16_TEXT
    if b"\x00" in head:
        return NOT_TEXT
    controls = len(head.translate(None, _NOT_CONTROL))
    return NOT_TEXT if controls > max(2, len(head) // 100) else None


OPEN_QUOTE = "het bestand houdt op binnen aanhalingstekens"
TAB_SEPARATED = ("de kolommen zijn gescheiden door tabs; het scheidingsteken moet een komma (,) of "
                 "puntkomma (;) zijn: sla het bestand op als CSV (UTF-8)")
_CSV_ERRORS = (  # the csv module's errors (English) in Dutch
    (re.compile(r"field larger than field limit \((\d+)\)"),
     lambda m: f"een veld is langer dan {int(m.group(1)):,} tekens".replace(",", ".")),
    (re.compile(r"new-line character seen in unquoted field"),
     lambda m: "een regeleinde midden in een veld zonder aanhalingstekens"),
    (re.compile(r"line contains NUL"), lambda m: "de regel bevat een NUL-teken (binaire gegevens)"),
    (re.compile(r"unexpected end of data"), lambda m: OPEN_QUOTE),
)


def _csv_problem(exc: csv.Error) -> str:
    """What went wrong, in Dutch: the csv module's message is never shown as it is."""
    for pattern, dutch in _CSV_ERRORS:
        if match := pattern.search(str(exc)):
            return dutch(match)
    return "de regel is niet te lezen als CSV"


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
