"""The programme's targets as a CSV file for Excel, and back: the programmamanager prepares the
nulmeting and streefwaarden in Excel and imports them in one go.

    data = export_targets(engine)                                   # bytes, for Dutch Excel
    report = import_targets(engine, user, data, "streefwaarden.csv", reden="Bijstelling 2026")
    # raises TargetsImportError (.lines(), like data.warehouse.loader.LoadError): nothing was written

The file: one row per indicator, in programme order (lijn, then the lijn's own indicators, then
per maatregel), UTF-8 with BOM, `;` between cells, decimal comma, CRLF:

    indicator;naam;lijn;maatregel;eenheid;richting;nulmeting_jaar;nulmeting;2025;2026;2027;2028

with a column per year of the plan's streefwaarden (data.programme.plan.read_plan; 2025–2028 above).
- `indicator` (the code) is the key. `nulmeting_jaar`, `nulmeting` and the years are what the
  import writes. `naam`, `lijn`, `maatregel`, `eenheid`, `richting` ("lager is beter") are for reading in Excel:
  the import ignores them (they may be left out); when they differ from the programme the report
  says so in a warning. `eenheid` is the indicator's, or its KPI's from the catalogue.
- An empty cell: no value. A value cannot be removed by the import (an empty cell where the
  programme has a value is a problem); a new value where there was none is added.
- Numbers: in a `;` file a decimal comma (or point), with `.` as a thousands separator when it
  groups by three ("14.800.000", "1.234,5" — as Dutch Excel writes a formatted cell); in a `,`
  file a decimal point, no separators. A leading `€` or trailing `%` (Excel's display) is dropped.
  A `,` file with decimal commas (Excel with Dutch decimals and `,` as its list separator) is
  refused with the likely cause (COMMA_FILE): unquoted, `12,5` became two cells and the row has
  too many; quoted, `"12,5"` is not read as 12.5, for `"1,460"` would be 1460 to an English Excel.
  As in the data loader, the full advice stands once, on the file's first such problem; later
  ones say "(decimale komma; zie regel N)" (a file saved this way has it on every row).
- At most MAX_BYTES (2 MB; `size_problem`), for the upload and the command line alike.
- The nulmeting's year cannot change through the import when the indicator has a nulmeting.

The import reads the file with the data loader's reader (data/warehouse/csv_input.py) and follows its rules
(data/warehouse/loader.py): BOM allowed, delimiter from the header, physical line numbers, header names
trimmed and lowercased, empty rows and rows of only delimiters skipped, every problem collected as `FILE:LINE: column: message`
(at most 50 shown plus a count), and all or nothing: every changed value is written in ONE
transaction through data.programme.edits.set_streefwaarde_in — the same checks, the audit record
(who, when, old, new, the given reason) and the plan's original target kept — or nothing is.
Only the programmamanager may import. Unchanged values are not touched and not audited.

Concurrency: the file carries no versions. The import overwrites what is in the programme at the
moment of importing, with an audit record for every change, and the report lists every change
(old → new), so a value somebody changed since the export shows up there. A value changed by
somebody else *during* the import makes it fail (StaleEdit on that line) and nothing is written.
"""
from __future__ import annotations

import codecs
import csv
import io
import logging
import re
from dataclasses import dataclass, field
from decimal import Decimal

from data.accounts.permissions import PermissionDenied, require_manager
from data.accounts.users import User
from data.programme.edits import (
    MAX_REDEN,
    EditError,
    check_range,
    format_plain,
    one_moment,
    set_streefwaarde_in,
    too_long,
    years_for,
)
from data.programme.plan import Plan, read_plan
from data.programme.target_rows import TargetRows, target_rows, target_versions
from data.warehouse.csv_input import CsvFile, field_count_problem
from data.warehouse.decimal_commas import COMMA_SPLITS_DECIMALS, SAVE_WITH_SEMICOLON, see_first_row
from data.warehouse.loader import LoadError, Problem
from data.warehouse.validation import shown
from kpi.catalogue import CATALOGUE, RICHTING_NAMEN

log = logging.getLogger("jeugdmonitor.security")

INFO_COLUMNS = ("naam", "lijn", "maatregel", "eenheid", "richting")
#: the one size limit of a targets file, for the upload on /beheer and `python -m data targets
#: import` alike (size_problem); an export of a programme of tens of indicators is a few kB
MAX_BYTES = 2_000_000
#: why a `,` file from Excel with Dutch settings does not read: its decimal comma is a delimiter too
COMMA_FILE = f"{COMMA_SPLITS_DECIMALS}; {SAVE_WITH_SEMICOLON}, of schrijf getallen met een decimale punt (12.5)"

_POINT = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_COMMA_OR_POINT = re.compile(r"-?[0-9]+(?:[.,][0-9]+)?")
_GROUPED = re.compile(r"-?[1-9][0-9]{0,2}(?:\.[0-9]{3})+(?:,[0-9]+)?")
_YEAR = re.compile(r"[0-9]{4}")
_DIGITS = re.compile(r"-?[0-9]+")


def size_problem(size: int) -> str | None:
    """The problem of a targets file of `size` bytes, or None when it is within MAX_BYTES."""
    if size <= MAX_BYTES:
        return None
    return (f"het bestand is te groot ({_megabytes(size)}); een streefwaardenbestand is ten hoogste "
            f"{_megabytes(MAX_BYTES)} (een export is een paar kB)")


def _megabytes(size: int) -> str:
    """"2,0 MB": rounded up to a tenth, so a file just above the limit never reads as the limit."""
    tenths = -(-size // 100_000)
    return f"{tenths // 10},{tenths % 10} MB"


def value_columns(plan: Plan) -> tuple[str, ...]:
    """What the import writes: the nulmeting, and a streefwaarde per year of the plan."""
    return ("nulmeting_jaar", "nulmeting") + tuple(str(j) for j in plan.jaren)


def columns(plan: Plan) -> tuple[str, ...]:
    """The file's columns, in order."""
    return ("indicator",) + INFO_COLUMNS + value_columns(plan)


class TargetsImportError(LoadError):
    """The file has problems and nothing was imported. `.problems`, `.total`, `.lines()` as in
    data.warehouse.loader.LoadError. The file is checked before the reason; when the reason is
    wrong too (`with_reason`), the outcome names both, so both are fixed at once — in the same
    words on /beheer's upload and on the command line."""
    NOTHING_DONE = "Niets geïmporteerd"
    #: what is wrong with the reason given as well (reason_problem), or None
    reason: str | None = None

    def with_reason(self, reden) -> TargetsImportError:
        """This error, knowing what is wrong with the reason given with the file (if anything)."""
        self.reason = reason_problem(reden)
        return self

    def outcome(self) -> str:
        """"Niets geïmporteerd: 1 probleem." and, when the reason is wrong too, " Ook: geef een reden …"."""
        count = f"{self.total} {'probleem' if self.total == 1 else 'problemen'}"
        return f"{self.NOTHING_DONE}: {count}." + (f" Ook: {self.reason}." if self.reason else "")



@dataclass(frozen=True)
class Change:
    """One value the import changed (oud None: there was none)."""
    indicator: str
    soort: str        # "nulmeting" / "streefwaarde"
    jaar: int
    oud: float | None
    nieuw: float
    line: int

    def __str__(self) -> str:
        old = "(leeg)" if self.oud is None else format_plain(self.oud)
        return f"{self.indicator} {self.soort} {self.jaar}: {old} → {format_plain(self.nieuw)}"


@dataclass(frozen=True)
class ImportReport:
    bestand: str
    rows: int                                  # indicator rows in the file
    changes: tuple[Change, ...] = ()
    unchanged: int = 0                         # values in the file equal to the programme
    warnings: tuple[str, ...] = field(default=())

    @property
    def changed(self) -> int:
        return len(self.changes)

    @property
    def summary(self) -> str:
        values = "waarde" if self.changed == 1 else "waarden"
        return (f"{self.bestand}: {self.changed} {values} gewijzigd, {self.unchanged} ongewijzigd "
                f"({self.rows} {'indicator' if self.rows == 1 else 'indicatoren'}).")


# --- the programme as it is now ------------------------------------------------------------------

@dataclass
class _Current:
    code: str
    naam: str
    lijn: str | None
    maatregel: str | None
    eenheid: str
    richting: str
    kpi_id: str | None = None
    bovengrens: float | None = None
    nulmeting: tuple[int, float] | None = None
    streefwaarden: dict[int, float] = field(default_factory=dict)


def _current(rows: TargetRows) -> list[_Current]:
    """Every indicator with its resolved unit and direction, nulmeting and targets, in programme
    order. With more than one nulmeting row, the latest year is the indicator's nulmeting."""
    by_id: dict[int, _Current] = {}
    order: dict[int, tuple] = {}
    for r in rows.indicatoren:
        kpi = CATALOGUE.get(r.kpi_id) if r.kpi_id else None
        lijn_id = r.lijn_id if r.lijn_id is not None else r.maatregel_lijn_id
        nummer, lijn = rows.lijnen.get(lijn_id, (10**6, None))
        by_id[r.id] = _Current(r.code, r.naam, lijn, r.maatregel,
                               r.eenheid or (kpi.eenheid if kpi else "aantal"),
                               r.richting or (kpi.richting if kpi else "hoger_beter"), r.kpi_id, r.bovengrens)
        order[r.id] = (nummer, r.maatregel_nummer is not None, r.maatregel_nummer or 0, r.code)
    for t in rows.streefwaarden:
        ind = by_id.get(t.indicator_id)
        if ind is None:
            continue
        if t.soort == "nulmeting":
            ind.nulmeting = (t.jaar, t.waarde)  # ordered by year: the latest wins
        else:
            ind.streefwaarden[t.jaar] = t.waarde
    return [by_id[i] for i in sorted(by_id, key=order.__getitem__)]


# --- export --------------------------------------------------------------------------------------

def _number_text(value: float | None) -> str:
    """A value as Dutch Excel reads it, exactly (shortest round trip, never an exponent)."""
    if value is None:
        return ""
    text = format(Decimal(repr(float(value))), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def export_targets(engine) -> bytes:
    """Every indicator's nulmeting and streefwaarden (per year of the plan) as CSV for Dutch Excel."""
    with engine.connect() as conn:
        plan = read_plan(conn)
        indicators = _current(target_rows(conn))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(columns(plan))
    for ind in indicators:
        nul_jaar, nul = ind.nulmeting if ind.nulmeting else (None, None)
        writer.writerow([ind.code, ind.naam, ind.lijn or "", ind.maatregel or "", ind.eenheid,
                         RICHTING_NAMEN[ind.richting], "" if nul_jaar is None else str(nul_jaar), _number_text(nul)]
                        + [_number_text(ind.streefwaarden.get(j)) for j in plan.jaren])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def export_filename() -> str:
    return "jeugdmonitor_streefwaarden.csv"


# --- reading the file ----------------------------------------------------------------------------

class _CommaDecimal(EditError):
    """A number that a decimal comma in a `,` file made unreadable; `.plain` is the message
    without the advice (COMMA_FILE), which only the file's first such problem carries."""

    def __init__(self, plain: str) -> None:
        super().__init__(f"{plain}: {COMMA_FILE}")
        self.plain = plain


class _Problems:
    def __init__(self, file: str, columns: tuple[str, ...]) -> None:
        self.file = file
        self.columns = columns  # the file's, in order
        self.kept: list[Problem] = []
        # the decimal-comma problems (by identity), with their message without the advice
        self.comma_plain: dict[int, str] = {}

    def add(self, line: int, column: str, message: str) -> None:
        self.kept.append(Problem(self.file, line, column, message))

    def add_comma(self, line: int, column: str, plain: str, full: str) -> None:
        """A problem that a decimal comma explains: `full` with the advice, `plain` without."""
        self.add(line, column, full)
        self.comma_plain[id(self.kept[-1])] = plain

    def __bool__(self) -> bool:
        return bool(self.kept)

    def error(self) -> TargetsImportError:
        """The problems in line order, and within a line in the order of the columns. The
        decimal-comma advice stands on the first such problem only (they are found in two passes,
        so which is first is known once they are sorted); the later ones point to its line."""
        rank = {name: i for i, name in enumerate(self.columns)}
        ordered = sorted(self.kept, key=lambda p: (p.line, rank.get(p.column, -1)))
        first_line = None
        for i, problem in enumerate(ordered):
            plain = self.comma_plain.get(id(problem))
            if plain is None:
                continue
            if first_line is None:
                first_line = problem.line
            else:
                ordered[i] = Problem(problem.file, problem.line, problem.column,
                                     f"{plain} ({see_first_row(first_line)})")
        return TargetsImportError(ordered)


def _number(raw: str, decimal_comma: bool) -> float:
    text = raw.replace("\u00a0", "").replace(" ", "")
    text = text.removeprefix("€").removesuffix("%")
    if decimal_comma and _GROUPED.fullmatch(text):
        value = text.replace(".", "").replace(",", ".")
    elif decimal_comma and _COMMA_OR_POINT.fullmatch(text):
        value = text.replace(",", ".")
    elif not decimal_comma and _POINT.fullmatch(text):
        value = text
    elif not decimal_comma and "," in text and (_COMMA_OR_POINT.fullmatch(text) or _GROUPED.fullmatch(text)):
        # A quoted "12,5" in a `,` file: not read as 12.5, for "1,460" is 1460 to an English Excel.
        raise _CommaDecimal(f"{shown(raw)} is geen getal")
    else:
        example = "12,5 of 1.234,5" if decimal_comma else "12.5 (in een bestand met ; ook 12,5)"
        raise EditError(f"{shown(raw)} is geen getal (bijvoorbeeld {example})")
    number = float(value)
    if number in (float("inf"), float("-inf")):
        raise EditError(f"{shown(raw)} is te groot")
    return number


@dataclass
class _Row:
    line: int
    code: str
    cells: dict[str, str]


def _header_positions(header: list[str], problems: _Problems, plan: Plan) -> dict[str, int] | None:
    """Column name → position; None (with the problems reported) when the header is not usable."""
    expected = columns(plan)
    positions: dict[str, int] = {}
    ok = True
    for index, name in enumerate(header):
        if name == "":
            continue  # Excel may add unnamed columns after the table; a value in one is a problem
        if name in positions:
            problems.add(1, name, "kolom staat twee keer in de kopregel")
            ok = False
        elif name not in expected:
            problems.add(1, name, "onbekende kolom; verwacht: " + ";".join(expected))
            ok = False
        else:
            positions[name] = index
    for name in ("indicator",) + value_columns(plan):
        if name not in positions:
            problems.add(1, name, "verplichte kolom ontbreekt")
            ok = False
    return positions if ok else None


def _read(data: bytes, problems: _Problems, plan: Plan) -> tuple[list[_Row], bool]:
    """The file's rows (cells by column name, trimmed) and whether it uses the decimal comma
    (a `;` file); problems of form go to `problems`. Read by the data loader's reader
    (data/warehouse/csv_input.py): BOM dropped, each line that is not UTF-8 reported with its number (and
    its record skipped), the delimiter `;` when the header holds more `;` than `,`, header names
    trimmed and lowercased, a record's line the one where it starts (a quoted cell may span lines).
    Rows of nothing but delimiters and spaces are skipped."""
    if (too_large := size_problem(len(data))) is not None:
        problems.add(1, "bestand", too_large)
        return [], False
    if not data.removeprefix(codecs.BOM_UTF8).decode("utf-8", "replace").strip():
        problems.add(1, "kopregel", "het bestand is leeg; de kopregel met kolomnamen ontbreekt")
        return [], False
    with CsvFile(data, problems.add) as csv_file:
        header = csv_file.header
        if header in ([], [""]):
            problems.add(1, "kopregel", "de eerste regel moet de kopregel met kolomnamen zijn")
            return [], False
        positions = _header_positions(header, problems, plan) if header is not None else None
        if positions is None:  # (a header that is no CSV at all is reported by the reader)
            return [], False
        return _rows(csv_file, header, positions, problems), csv_file.delimiter == ";"


def _rows(csv_file: CsvFile, header: list[str], positions: dict[str, int], problems: _Problems) -> list[_Row]:
    count = len(header)
    unnamed = [i for i, name in enumerate(header) if name == ""]
    comma_file = csv_file.delimiter == ","
    rows: list[_Row] = []
    first_line: dict[str, int] = {}
    for line, fields in csv_file.records():
        if not any(f.strip() for f in fields):
            continue
        if len(fields) != count:
            plain = field_count_problem(len(fields), count)
            if any("\n" in f or "\r" in f for f in fields):
                problems.add(line, "rij", f"{plain} (een cel loopt over meer regels: controleer de aanhalingstekens)")
            elif comma_file and len(fields) > count and any(_DIGITS.fullmatch(f.strip()) for f in fields):
                # 12,5 unquoted became the cells 12 and 5
                problems.add_comma(line, "rij", plain, f"{plain} ({COMMA_FILE})")
            else:
                problems.add(line, "rij", plain)
            continue
        for i in unnamed:
            if fields[i].strip():
                problems.add(line, f"kolom {i + 1}", "deze kolom heeft geen naam in de kopregel, maar "
                                                     f"bevat {shown(fields[i].strip())}")
        cells = {name: fields[i].strip() for name, i in positions.items()}
        code = cells["indicator"]
        if not code:
            problems.add(line, "indicator", "verplicht veld is leeg")
            continue
        if code in first_line:
            problems.add(line, "indicator", f"{shown(code)} komt al voor op regel {first_line[code]}")
            continue
        first_line[code] = line
        rows.append(_Row(line, code, cells))
    return rows


# --- checking against the programme ---------------------------------------------------------------

@dataclass(frozen=True)
class _Planned:
    line: int
    indicator: str
    soort: str
    jaar: int
    oud: float | None
    nieuw: float
    eenheid: str
    column: str


def _check_row(row: _Row, ind: _Current, decimal_comma: bool, problems: _Problems,
               warnings: list[str], file: str, plan: Plan) -> tuple[list[_Planned], int]:
    """The changes this row asks for and the number of its unchanged values."""
    planned: list[_Planned] = []
    unchanged = 0
    line, cells = row.line, row.cells

    def value(column: str) -> float | None:
        raw = cells[column]
        if not raw:
            return None
        try:
            return _number(raw, decimal_comma)
        except _CommaDecimal as exc:
            problems.add_comma(line, column, exc.plain, str(exc))
            return None
        except EditError as exc:
            problems.add(line, column, str(exc))
            return None

    def compare(column: str, soort: str, jaar: int, new: float | None, old: float | None) -> None:
        nonlocal unchanged
        if new is None:
            return
        if old is not None and new == old:
            unchanged += 1  # not touched, so not checked again either (the plan may hold 108 %)
            return
        try:
            check_range(new, ind.eenheid, ind.bovengrens)
        except EditError as exc:
            problems.add(line, column, f"{exc} ({ind.eenheid})")
            return
        planned.append(_Planned(line, ind.code, soort, jaar, old, new, ind.eenheid, column))

    for jaar in plan.jaren:
        column = str(jaar)
        old = ind.streefwaarden.get(jaar)
        if not cells[column]:
            if old is not None:
                problems.add(line, column, f"leeg, maar {ind.code} heeft een streefwaarde {jaar} "
                                           f"({format_plain(old)}); een waarde verwijderen kan niet via "
                                           "de import — laat haar staan of vul een nieuwe in")
            continue
        compare(column, "streefwaarde", jaar, value(column), old)

    raw_year, raw_nul = cells["nulmeting_jaar"], cells["nulmeting"]
    old_year, old_nul = ind.nulmeting if ind.nulmeting else (None, None)
    year: int | None = None
    if raw_year:
        if not _YEAR.fullmatch(raw_year):
            problems.add(line, "nulmeting_jaar", f"{shown(raw_year)} is geen jaartal")
        elif int(raw_year) not in (allowed := years_for("nulmeting", plan)):
            problems.add(line, "nulmeting_jaar", f"{raw_year}: een nulmeting hoort bij "
                                                 f"{allowed.start}–{allowed.stop - 1}")
        elif old_year is not None and int(raw_year) != old_year:
            problems.add(line, "nulmeting_jaar", f"{raw_year}: {ind.code} heeft een nulmeting over "
                                                 f"{old_year}; dat jaar kan niet via de import veranderen")
        else:
            year = int(raw_year)
    elif old_year is not None:
        problems.add(line, "nulmeting_jaar", f"leeg, maar {ind.code} heeft een nulmeting over {old_year}; "
                                             "een nulmeting verwijderen kan niet via de import")
    if not raw_nul:
        if old_nul is not None:
            problems.add(line, "nulmeting", f"leeg, maar {ind.code} heeft een nulmeting "
                                            f"({format_plain(old_nul)}); een waarde verwijderen kan niet "
                                            "via de import")
        elif raw_year:
            problems.add(line, "nulmeting", f"leeg, maar nulmeting_jaar is {raw_year}; vul beide in of geen van beide")
    else:
        new = value("nulmeting")
        if not raw_year and old_year is None:
            problems.add(line, "nulmeting_jaar", "leeg; een nieuwe nulmeting heeft een jaar nodig")
        elif year is not None:
            compare("nulmeting", "nulmeting", year, new, old_nul)

    # `richting` as the export writes it ("lager is beter") or as the contract's code
    richting = (RICHTING_NAMEN[ind.richting], ind.richting)
    differs = [name for name, actual in (("naam", (ind.naam,)), ("lijn", (ind.lijn or "",)),
                                         ("maatregel", (ind.maatregel or "",)), ("eenheid", (ind.eenheid,)),
                                         ("richting", richting))
               if name in cells and cells[name] and cells[name] not in actual]
    if differs:
        warnings.append(f"{file}:{line}: {', '.join(differs)} van {ind.code} wijkt af van het programma; "
                        "de import verandert alleen nulmeting en streefwaarden")
    return planned, unchanged


# --- import --------------------------------------------------------------------------------------

def reason_problem(reden: str | None) -> str | None:
    """What is wrong with the reason given for an import, or None when it will do."""
    if reden is not None and not isinstance(reden, str):  # a forged request: no .strip() on a number
        return "de reden moet tekst zijn"
    text = (reden or "").strip()
    if not text:
        return "geef een reden voor het importeren van de streefwaarden"
    if len(text) > MAX_REDEN:
        return too_long("de reden", len(text), MAX_REDEN)
    return None


def _check_reason(reden: str | None) -> str:
    if (problem := reason_problem(reden)) is not None:
        raise EditError(problem)
    return reden.strip()


def import_targets(engine, user: User | None, data: bytes, filename: str,
                   reden: str | None) -> ImportReport:
    """Check the whole file; on any problem raise TargetsImportError and write nothing. Otherwise
    write every changed value in one transaction, each with an audit record carrying `reden`.

    Raises PermissionDenied (not the programmamanager; logged like every refused write) before
    the file is read, TargetsImportError when the file has problems (its size first), and only
    then EditError (no or too long a reason): a file too large or wrong is said first, whatever
    the reason (the upload adds a missing reason to the file's problems: reason_problem)."""
    try:
        require_manager(user)
    except PermissionDenied as exc:
        log.warning("geweigerd: streefwaarden importeren door %s: %s",
                    user.gebruikersnaam if user else "(niet ingelogd)", exc)
        raise
    plan = read_plan(engine)
    problems = _Problems(filename, columns(plan))
    warnings: list[str] = []
    rows, decimal_comma = _read(data, problems, plan)

    # all or nothing: the reads (data.programme.target_rows) and the writes share one transaction
    with engine.begin() as conn:
        current = {ind.code: ind for ind in _current(target_rows(conn))}
        planned: list[_Planned] = []
        unchanged = 0
        for row in rows:
            ind = current.get(row.code)
            if ind is None:
                problems.add(row.line, "indicator", f"{shown(row.code)} bestaat niet in het programma")
                continue
            changes, same = _check_row(row, ind, decimal_comma, problems, warnings, filename, plan)
            planned += changes
            unchanged += same
        if problems:
            raise problems.error()
        why = _check_reason(reden)  # the reason is needed for the writes, after the file's checks
        versions = target_versions(conn)
        with one_moment():  # the import is one action: one time on all its audit records
            for p in planned:
                try:
                    set_streefwaarde_in(conn, user, p.indicator, p.jaar, p.nieuw,
                                        versions.get((p.indicator, p.jaar, p.soort)), why,
                                        soort=p.soort, eenheid=p.eenheid)
                except EditError as exc:  # the same rules refused it, or somebody saved meanwhile
                    problems.add(p.line, p.column, str(exc))
        if problems:
            raise problems.error()  # rolls the transaction back
    return ImportReport(filename, len(rows),
                        tuple(Change(p.indicator, p.soort, p.jaar, p.oud, p.nieuw, p.line) for p in planned),
                        unchanged, tuple(warnings))

