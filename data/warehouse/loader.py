"""Load a folder in the import format into the warehouse: validate everything, write all or nothing.

Contract: import-format.md ("Load semantics"). Usage:

    report = load_folder(engine, folder, bron=None)   # -> LoadReport(rows, warnings, ...)
    # raises LoadError; .problems lists every problem: the files' own lines first, then the
    # references to and from other tables, each in file/line order

The caller migrates the schema first (`data.db.migrate`); the loader never changes the schema.

How a load runs, in ONE transaction:
1. delete the content of every table whose file is present (children before parents);
2. per file, parents first: stream the records, check every cell and row rule, check keys for
   duplicates and references against the parent file of this load (kept as a set of keys), and
   bulk-insert the valid rows (COPY on PostgreSQL, executemany on SQLite; data/warehouse/bulk_insert.py);
3. references to a parent table that is not in the load, and rows of tables not in the load that
   point at a replaced parent, are checked with SQL anti-joins (data/warehouse/reference_checks.py);
4. any problem: raise LoadError, which rolls the transaction back: the warehouse is unchanged and
   no load-log row is written. Otherwise rebuild the summary tables when kosten or trajecten were
   replaced (data/warehouse/summaries.py), write one `laadlog` row, let the caller derive its own tables
   (`derive`: the KPI layer's yearly totals, kpi/totals.py) and commit.

An added delivery (`toevoegen=True`, `python -m data load MAP --toevoegen`; beyond the contract,
which only replaces): the folder holds kosten.csv only, and its rows are added to the kosten
already there — a month's declarations without delivering every earlier month again. Nothing is
deleted; `regel` continues after the highest one in the warehouse (problems still name the file's
own lines); a file whose checksum an earlier load already read is refused (its costs would count
twice); references are checked for the new rows only; the new rows' sums are added to the kosten
summaries (`summaries.add_kosten`), and the load-log row names the months they fall in
(`aangevuld`), so that the KPI layer's `derive` can redo its stored totals of those months.

Decisions:
- Every problem is collected (the first 100,000 are kept, all are counted); a LoadError renders at
  most 50 of them plus one line saying how many more there were: first the problems of the files'
  own lines, then the references to and from other tables (each in file and line order), so the
  50 shown say what to fix in the delivered file itself first. On a command line the problem
  lines alone go to stderr (cli.md: one line per problem), the count of the rest and the outcome
  ("Niets geladen: 63 problemen.") to stdout (`report_lines`, `closing_lines`).
- A delivered file with only its header empties its table (the contract), and is no problem in
  itself. When rows still refer to the emptied table (a delivered file's or a kept table's), one
  problem on its line 1 leads all others and says so, with the number of distinct values each
  referring file or table names ("kosten.csv verwijst naar 1.234 trajecten"); the references follow.
- Rows after a problem are still checked, and valid rows still inserted, so that the anti-joins of
  step 3 see them; the rollback discards them.
- A key that was delivered counts as present for references even when its row has another
  problem (bytes that are no UTF-8 included, or another number of fields than the header, when
  its key fields are there and valid): one bad traject gives one problem, not one more for each of
  its kosten rows.
- Extra columns are ignored with a warning (the contract), also one whose name occurs twice; a
  known column given twice is a problem (which of the two holds the values is not to be guessed).
- Every other entry of the folder is ignored with a warning (the contract): unknown files, hidden
  ones (`.DS_Store`), LibreOffice's lock file beside a file still open, and folders.
- A reference to a parent missing from the warehouse is reported once per distinct value, on the
  first line that uses it, with the number of rows that use it.
- Problems about a whole file use line 1 (the header); problems about the folder use line 0.
- A row with another number of fields than the header is one problem; in a `,` file where decimal
  commas explain the extra fields, it names that likely cause (data/warehouse/decimal_commas.py):
  with the full advice on the file's first such row, and a pointer to that row on later ones.
- Amounts whose sum is beyond 64 bits of cents (92 biljard euro; each amount is at most 13 digits
  of euros, so only very many very large ones) overflow the summaries' or the KPI totals' sums:
  one problem on kosten.csv's line 1, column bedrag (`sum_too_large`), not a database failure.
- kosten.regel is the record's line in kosten.csv, so reloading a file gives identical rows.
- A column that may be absent (import format 1.1: kosten.ontvangen) and is absent is left out of
  the insert, so the warehouse stores NULL (data/warehouse/import_spec.py); no warning.
- financiering left empty is stored as 'zin' (data/warehouse/import_spec.py).
- laadlog: geladen_op is the local time of the machine running the load (naive datetime); bron is
  the given `bron` or else the folder's absolute path; bestanden lists the delivered files in load
  order as {"bestand", "rijen", "sha256"}; data_tot is the latest date in the warehouse after the
  load: the maximum of trajecten and verblijf start/einddatum and the last day of the latest
  kosten month (None when all of them are empty).
"""
from __future__ import annotations

import calendar
import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any, Callable, Iterator

from sqlalchemy import Connection, Engine, func, insert, select, text
from sqlalchemy.exc import DataError, OperationalError

from data.cli_errors import os_reason
from data.warehouse import load_runs, summaries
from data.warehouse.bulk_insert import BulkInserter, sqlite_bulk_mode
from data.warehouse.csv_input import CsvFile, field_count_problem
from data.warehouse.decimal_commas import loader_hint, see_first_row, split_amount
from data.warehouse.import_spec import BAD, SPECS, TableSpec
from data.warehouse.reference_checks import dangling_values, distinct_values
from data.warehouse.schema import DERIVED_TABLES, IMPORT_TABLES, Kosten, LoadLog, Traject, Verblijf
from data.warehouse.validation import Invalid, shown

MAX_REPORTED = 50
MAX_KEPT = 100_000
KNOWN_FILES = {SPECS[t].file: t for t in IMPORT_TABLES}
#: the tables an added delivery may add rows to: rows that are never changed once delivered, only
#: corrected by new rows (a traject's einddatum, by contrast, is filled in later)
APPENDABLE = ("kosten",)


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.column}: {self.message}"


class LoadError(Exception):
    """The load failed and nothing was written. `problems` holds them in file/line order (the
    loader: the files' own problems first, then the references; see _Problems)."""

    def __init__(self, problems: list[Problem], total: int | None = None) -> None:
        self.problems = problems
        self.total = len(problems) if total is None else total
        super().__init__("\n".join(self.lines()))

    def lines(self, limit: int = MAX_REPORTED) -> list[str]:
        """At most `limit` problem lines, plus one line saying how many more there were."""
        return self.report_lines(limit) + self._more(limit)

    def _more(self, limit: int) -> list[str]:
        more = self.total - limit
        return [f"... en nog {more} {'probleem' if more == 1 else 'problemen'}"] if more > 0 else []

    #: what a command line says after the problems: nothing was written
    NOTHING_DONE = "Niets geladen"

    def outcome(self) -> str:
        """What a command line says after the problems, e.g. "Niets geladen: 2 problemen."."""
        return f"{self.NOTHING_DONE}: {self.total} {'probleem' if self.total == 1 else 'problemen'}."

    def report_lines(self, limit: int = MAX_REPORTED) -> list[str]:
        """A command line's standard error (data.cli_errors): the problem lines, at most `limit`."""
        return [str(p) for p in self.problems[:limit]]

    def closing_lines(self) -> list[str]:
        """A command line's standard output after them: how many more there were, and the outcome."""
        return self._more(MAX_REPORTED) + [self.outcome()]


@dataclass
class LoadReport:
    rows: dict[str, int]  # table -> rows loaded, only tables whose file was present
    warnings: list[str] = field(default_factory=list)
    bestanden: list[dict[str, Any]] = field(default_factory=list)
    data_tot: dt.date | None = None
    rebuilt: tuple[str, ...] = ()  # summary tables rebuilt by the load


def load_folder(engine: Engine, folder: Path | str, bron: str | None = None,
                derive: Callable[[Connection], Any] | None = None, soort: str = "csv",
                toevoegen: bool = False) -> LoadReport:
    """Validate and load `folder` in one transaction; raise LoadError (nothing written) on problems.
    `derive(conn)`, when given, computes tables of a higher layer from the loaded facts in the same
    transaction, after the load-log row is written (the KPI layer's yearly totals: the commands
    pass kpi.totals.after_load; data/ does not import kpi/). The run is recorded in `laadrun` as
    `soort` (data/warehouse/load_runs.py), whatever its outcome. `toevoegen`: an added delivery
    (see above)."""
    folder = Path(folder)
    with load_runs.recorded(engine, soort):
        files, warnings = find_files(folder)
        kosten = "kosten" in files
        with sums_that_fit(SPECS["kosten"].file if kosten else str(folder), 1 if kosten else 0):
            with engine.begin() as conn:
                report = load_tables(conn, files, warnings, bron or str(folder.resolve()), toevoegen=toevoegen)
                if derive is not None:
                    derive(conn)
        refresh_statistics(engine, report, derived=derive is not None)
    return report


SUM_TOO_LARGE = ("de bedragen zijn samen te groot om op te slaan (meer dan 92 biljard euro); controleer het "
                 "bestand op bedragen die veel te groot zijn")


@contextmanager
def sums_that_fit(file: str, line: int) -> Iterator[None]:
    """A load's transaction whose sums overflow (sum_too_large) ends in the delivery's problem at
    `file`:`line`, column bedrag (LoadError), not in a database failure."""
    try:
        yield
    except (OperationalError, DataError) as exc:
        if not sum_too_large(exc):
            raise
        raise LoadError([Problem(file, line, "bedrag", SUM_TOO_LARGE)]) from None


def sum_too_large(exc: Exception) -> bool:
    """A sum beyond 64 bits (the summary tables' and the KPI totals' sums of cents): SQLite's
    "integer overflow", PostgreSQL's "bigint out of range". Every amount is at most 13 digits of
    euros, so only very many very large amounts get there: the file's problem, not the database's."""
    text = str(getattr(exc, "orig", exc)).lower()
    return "integer overflow" in text or "bigint out of range" in text


def load_tables(conn: Connection, files: dict[str, Path], warnings: list[str], bron: str,
                sources: dict[str, Any] | None = None, toevoegen: bool = False) -> LoadReport:
    """Steps 1–4 above in the caller's transaction: raise LoadError (the caller's transaction rolls
    back) or write the load-log row and return the report. `sources` gives, per table, records
    that are not read from its file: an object like data.warehouse.csv_input.CsvFile (`header`,
    `delimiter`, `records()`, `sha256`, `broken`, a context manager), e.g. the iJw loader's
    derived tables; `files[table]` then only names them in the load log. `toevoegen`: add the
    rows to the tables instead of replacing them (only APPENDABLE ones)."""
    if toevoegen and set(files) - set(APPENDABLE):
        others = ", ".join(SPECS[t].file for t in IMPORT_TABLES if t in files and t not in APPENDABLE)
        raise LoadError([Problem(
            str(next(iter(files.values())).parent), 0, "map",
            f"met --toevoegen kan alleen {', '.join(SPECS[t].file for t in APPENDABLE)} worden aangevuld; "
            f"lever {others} in een gewone load (die vervangt de tabel)")])
    load = _Load(conn, files, warnings, sources or {}, toevoegen)
    load.run()
    if load.problems.total:
        raise load.problems.error()
    report = load.finish(bron)
    report.rebuilt = load.rebuilt
    return report


def refresh_statistics(engine: Engine, report: LoadReport, derived: bool) -> None:
    """After the commit: fresh statistics for what the load replaced (see _refresh_statistics)."""
    extra = list(DERIVED_TABLES) if derived else []
    _refresh_statistics(engine, list(report.rows) + list(report.rebuilt) + extra)


def _refresh_statistics(engine: Engine, tables) -> None:
    """After a committed load on PostgreSQL: VACUUM ANALYZE the replaced tables, so the planner has
    fresh statistics and index-only scans work at once (measured: kosten per maand at 20 M rows
    4.2 s → 3.2 s). VACUUM cannot run in a transaction, hence autocommit; a failure here does not
    undo the load, it only leaves the work to autovacuum."""
    if engine.dialect.name != "postgresql" or not tables:
        return
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for table in tables:
                conn.exec_driver_sql(f'VACUUM ANALYZE "{table}"')
    except Exception:  # noqa: BLE001 — statistics are an optimisation, the data are loaded
        pass


def find_files(folder: Path) -> tuple[dict[str, Path], list[str]]:
    """The delivered files by table (names matched case-insensitively) and warnings for others."""
    def fail(message: str) -> LoadError:
        return LoadError([Problem(str(folder), 0, "map", message)])

    if not folder.exists():
        raise fail("de map bestaat niet")
    if not folder.is_dir():
        raise fail("dit is geen map; geef de map met de CSV-bestanden")
    try:
        entries = sorted(folder.iterdir())
    except OSError as exc:
        raise fail(f"de map is niet te lezen ({os_reason(exc)})") from None
    files: dict[str, Path] = {}
    warnings: list[str] = []
    for entry in entries:
        table = KNOWN_FILES.get(entry.name.lower())
        if entry.name.startswith(".~lock."):  # LibreOffice's mark beside a file it has open
            warnings.append(f"{entry.name}: vergrendelbestand van LibreOffice, wordt genegeerd (is een "
                            f"bestand van de levering nog geopend?)")
        elif entry.name.startswith("."):
            warnings.append(f"{entry.name}: verborgen bestand, wordt genegeerd")
        elif entry.is_dir():
            warnings.append(f"{entry.name}: is een map, geen bestand; wordt genegeerd")
        elif table is None or not entry.is_file():
            hint = " (lever CSV, geen Excel-bestand)" if entry.suffix.lower() in (".xlsx", ".xls") else ""
            warnings.append(f"{entry.name}: onbekend bestand, wordt genegeerd{hint}")
        elif table in files:
            raise fail(f"twee bestanden voor {table}: {files[table].name} en {entry.name}")
        else:
            files[table] = entry
    if not files:
        raise fail("geen bestanden om te laden; verwacht een of meer van: " + ", ".join(KNOWN_FILES))
    return files, warnings


class _Problems:
    """Collects problems; at the end orders them: first a cause that explains many of the others
    (a delivered file without rows that others still refer to), then the problems of the files' own lines
    (header, fields, dates, keys, row rules), then the references to and from other tables
    (this load's other files and the warehouse), each in file (load order) and line order. The
    first 50 lines a user sees then say what to fix in the file itself before the references
    that often follow from it. Each kind keeps at most MAX_KEPT, so neither crowds the other out."""

    def __init__(self) -> None:
        self.causes: list[Problem] = []  # one line naming the cause of many others (shown first)
        self.kept: list[Problem] = []  # the files' own lines
        self.references: list[Problem] = []  # references to and from other tables
        self.total = 0
        self._rank = {SPECS[t].file: i for i, t in enumerate(IMPORT_TABLES)}

    def add(self, file: str, line: int, column: str, message: str) -> None:
        self.total += 1
        if len(self.kept) < MAX_KEPT:
            self.kept.append(Problem(file, line, column, message))

    def add_reference(self, file: str, line: int, column: str, message: str) -> None:
        self.total += 1
        if len(self.references) < MAX_KEPT:
            self.references.append(Problem(file, line, column, message))

    def add_cause(self, file: str, line: int, column: str, message: str) -> None:
        """A problem that explains many of the others (a header-only file that empties a table
        others refer to): it leads, so the cause is read before the 49 lines it causes."""
        self.total += 1
        self.causes.append(Problem(file, line, column, message))

    def error(self) -> LoadError:
        def order(problems: list[Problem]) -> list[Problem]:
            return sorted(problems, key=lambda p: (self._rank.get(p.file, -1), p.line))

        return LoadError((order(self.causes) + order(self.kept) + order(self.references))[:MAX_KEPT],
                         self.total)


class _Load:
    def __init__(self, conn: Connection, files: dict[str, Path], warnings: list[str],
                 sources: dict[str, Any], toevoegen: bool = False) -> None:
        self.conn = conn
        self.toevoegen = toevoegen
        # An added delivery's rows are numbered on after the warehouse's (the line column).
        self.first_line_after: dict[str, int] = {}
        self.files = files
        self.sources = sources
        self.warnings = warnings
        self.problems = _Problems()
        self.failed: set[str] = set()  # tables whose file could not be checked row by row
        # Values present after the load, per referenced (table, column), for the loaded parents.
        self.present: dict[tuple[str, str], Any] = {}
        # Child references to parents not in this load: (spec, reference, {value: first line}).
        self.to_warehouse: list[tuple[TableSpec, Any, dict[str, int]]] = []
        self.rows: dict[str, int] = {}
        self.rebuilt: tuple[str, ...] = ()  # summary tables rebuilt by this load
        self.sha256: dict[str, str] = {}
        self.referenced = {(r.parent, r.parent_column) for s in SPECS.values() for r in s.references}
        # Delivered files with nothing but their header (they empty their table), and per such
        # table what still refers to it: (the referring spec, the reference, its distinct values
        # (a set) or their number, whether the referring file is delivered or its table kept).
        self.header_only: set[str] = set()
        self.into_header_only: dict[str, list[tuple[TableSpec, Any, Any, bool]]] = {}

    # --- the steps ---------------------------------------------------------------------------

    def run(self) -> None:
        if self.toevoegen:
            # No index is dropped and rebuilt for a few rows added to a large table.
            for table in self.files:
                line_column = SPECS[table].line_column
                if line_column:
                    self.first_line_after[table] = self.conn.scalar(
                        text(f"SELECT COALESCE(MAX({line_column}), 0) FROM {table}"))
                self._load_file(SPECS[table], self.files[table])
            self._check_references_to_warehouse()
            return
        with sqlite_bulk_mode(self.conn, self.files):
            for table in reversed(IMPORT_TABLES):
                if table in self.files:
                    self.conn.execute(text(f"DELETE FROM {table}"))
            for table in IMPORT_TABLES:
                if table in self.files:
                    self._load_file(SPECS[table], self.files[table])
        self._check_references_to_warehouse()
        self._check_replaced_parents()
        self._explain_header_only_parents()

    def finish(self, bron: str) -> LoadReport:
        added = None
        if self.conn.dialect.name == "postgresql":
            # fresh statistics before the summaries are built from these tables, and for the
            # anti-joins and the KPI queries after: a table bulk-loaded in this transaction may
            # read as empty to the planner (reltuples 0), which then joins 37 million kosten to
            # the trajecten row by row (the summaries took over half an hour instead of minutes)
            for table in self.files:
                self.conn.execute(text(f"ANALYZE {table}"))
        if self.toevoegen:
            added = {table: self._months_added(table) for table in self.files}
            self.rebuilt = summaries.add_kosten(self.conn, self.first_line_after["kosten"])
        elif summaries.SOURCES & set(self.files):
            summaries.rebuild(self.conn)
            self.rebuilt = summaries.TABLES
        bestanden = [{"bestand": self.files[t].name, "rijen": self.rows[t],
                      "sha256": self.sha256[t]} for t in IMPORT_TABLES if t in self.files]
        data_tot = _latest_date(self.conn)
        self.conn.execute(insert(LoadLog).values(
            geladen_op=dt.datetime.now(), bron=bron, bestanden=bestanden, data_tot=data_tot,
            **({"aangevuld": added} if added else {})))  # none: SQL NULL (and a warehouse before 0019)
        return LoadReport(rows=dict(self.rows), warnings=self.warnings, bestanden=bestanden,
                          data_tot=data_tot)

    def _months_added(self, table: str) -> list[str]:
        """The months (YYYY-MM) of the rows this added delivery put in `table`."""
        line_column = SPECS[table].line_column
        months = self.conn.scalars(text(f"SELECT DISTINCT maand FROM {table} WHERE {line_column} > :after"),
                                   {"after": self.first_line_after[table]})
        return sorted({(m if isinstance(m, dt.date) else dt.date.fromisoformat(m)).strftime("%Y-%m")
                       for m in months})

    def _loaded_before(self, sha256: str) -> dt.datetime | None:
        """When an earlier load read a file with this checksum (None: never)."""
        for geladen_op, bestanden in self.conn.execute(
                select(LoadLog.geladen_op, LoadLog.bestanden).order_by(LoadLog.id.desc())):
            if any(entry.get("sha256") == sha256 for entry in bestanden or ()):
                return geladen_op
        return None

    # --- one file ----------------------------------------------------------------------------

    def _load_file(self, spec: TableSpec, path: Path) -> None:
        file = spec.file
        add_problem = self.problems.add
        add_reference = self.problems.add_reference

        def report(line: int, column: str, message: str) -> None:
            add_problem(file, line, column, message)

        def report_reference(line: int, column: str, message: str) -> None:
            add_reference(file, line, column, message)

        self.rows[spec.table] = 0
        try:
            csv_file = self.sources[spec.table] if spec.table in self.sources else CsvFile(path, report)
        except OSError as exc:
            report(1, "bestand", f"het bestand is niet te lezen ({os_reason(exc)})")
            self.failed.add(spec.table)
            return
        self.sha256[spec.table] = csv_file.sha256
        with csv_file:
            if self.toevoegen and (earlier := self._loaded_before(csv_file.sha256)) is not None:
                report(1, "bestand", f"dit bestand is al geladen op {earlier:%d-%m-%Y %H:%M}; nog eens "
                                     f"toevoegen zou elke {spec.noun[0]} dubbel tellen")
                self.failed.add(spec.table)
                return
            positions = self._check_header(spec, csv_file, report)
            if positions is None:
                self.failed.add(spec.table)
                return
            self._load_records(spec, csv_file, positions, report, report_reference)
            if csv_file.broken:
                self.failed.add(spec.table)  # its keys are incomplete: skip checks against them

    def _check_header(self, spec: TableSpec, csv_file: CsvFile, report) -> dict[str, int] | None:
        header = csv_file.header
        if header is None:
            if not getattr(csv_file, "unreadable", False):  # an unreadable file has had its problem
                report(1, "kopregel", "het bestand is leeg; de kopregel met kolomnamen ontbreekt")
            return None
        positions: dict[str, int] = {}
        unknown: dict[str, int] = {}  # an extra column, ignored (the contract), and how often it occurs
        ok = True
        for index, name in enumerate(header):
            if name == "":
                self.warnings.append(f"{spec.file}: kolom {index + 1} heeft geen naam en wordt genegeerd")
            elif name not in spec.column_names:
                unknown[name] = unknown.get(name, 0) + 1
            elif name in positions:  # which of the two holds the values is not to be guessed
                report(1, name, "kolom staat twee keer in de kopregel")
                ok = False
            else:
                positions[name] = index
        for name, times in unknown.items():
            self.warnings.append(f"{spec.file}: kolom {name!r} is onbekend en wordt genegeerd"
                                 + (f" (staat {times} keer in de kopregel)" if times > 1 else ""))
        for column in spec.columns:
            if column.name not in positions and not column.may_be_absent:
                report(1, column.name, "verplichte kolom ontbreekt" if column.required else
                       "kolom ontbreekt in de kopregel (de waarden mogen leeg zijn, de kolom niet)")
                ok = False
        return positions if ok else None

    def _reference_checks(self, spec: TableSpec, names: tuple[str, ...]) -> list[tuple]:
        """Per reference: (index in `names`, column, values present or None, first lines, message
        suffix, a set that collects the values missing from a header-only parent file or None)."""
        checks = []
        for ref in spec.references:
            if ref.parent in self.failed:
                continue  # its file was not checked; its own problem says so
            if ref.parent in self.files:
                present = self.present[(ref.parent, ref.parent_column)]
                missing = None
                if ref.parent in self.header_only:
                    missing = set()
                    self.into_header_only.setdefault(ref.parent, []).append((spec, ref, missing, True))
                checks.append((names.index(ref.column), ref.column, present, None,
                               f"komt niet voor als {ref.parent_column} in {SPECS[ref.parent].file}", missing))
            else:
                first_lines: dict[str, int] = {}
                self.to_warehouse.append((spec, ref, first_lines))
                checks.append((names.index(ref.column), ref.column, None, first_lines, "", None))
        return checks

    def _load_records(self, spec: TableSpec, csv_file: CsvFile, positions: dict[str, int],
                      report, report_reference) -> None:
        decimal_comma = csv_file.delimiter == ";"
        present = spec.present_columns(positions)  # without the absent may_be_absent columns
        columns = [(positions[c.name], c.name, c.make_parser(decimal_comma), c.required, c.default)
                   for c in present]
        names = tuple(c.name for c in present)
        field_count = len(csv_file.header)
        # where a decimal comma may have split an amount: only in a `,` file
        amount_positions = set() if decimal_comma else {positions[c.name] for c in present if c.amount}
        key_index = [names.index(k) for k in spec.key]
        single_key = key_index[0] if len(key_index) == 1 else None
        key_label = ",".join(spec.key)
        first_line_of_key: dict[Any, int] = {}
        references = self._reference_checks(spec, names)
        # Values of this table that other files refer to: the key dict itself, or a set.
        collected = []
        for table, column in self.referenced:
            if table == spec.table:
                if spec.key == (column,):
                    self.present[(table, column)] = first_line_of_key
                else:
                    values: set = set()
                    self.present[(table, column)] = values
                    collected.append((names.index(column), values))
        key_columns = [columns[i] for i in key_index]
        collected_columns = [([columns[index]], value_set) for index, value_set in collected]
        rule = spec.row_rule
        check, rule_values = None, None
        if rule is not None and all(n in names for n in rule.reads):
            check, rule_values = rule.check, _values_at([names.index(n) for n in rule.reads])
        with_line = spec.line_column is not None
        line_offset = self.first_line_after.get(spec.table, 0)

        line = 0  # stays 0 when the file holds no record: a header-only file
        first_comma_line = None  # the file's first row split by a decimal comma: the advice is said there
        with BulkInserter(self.conn, spec.table, spec.db_columns_of(present)) as out:
            add_row = out.add
            for line, fields in csv_file.records(keep_undecodable=True):
                if len(fields) != field_count:
                    split = split_amount(fields, field_count, amount_positions)
                    hint = ""
                    if split and first_comma_line is None:
                        first_comma_line, hint = line, f" ({loader_hint(*split)})"
                    elif split:
                        hint = f" ({see_first_row(first_comma_line)})"
                    report(line, "rij", field_count_problem(len(fields), field_count) + hint)
                    # its key was delivered: rows referring to it get no problem of their own
                    key = _parsed(fields, key_columns)
                    if key is not None and key_columns:
                        first_line_of_key.setdefault(key[0] if single_key is not None else key, line)
                    for column, value_set in collected_columns:
                        value = _parsed(fields, column)
                        if value is not None:
                            value_set.add(value[0])
                    continue
                ok = True
                values: list[Any] = []
                append = values.append
                for position, name, parse, required, default in columns:
                    raw = fields[position].strip()
                    if raw:
                        try:
                            append(parse(raw))
                        except Invalid as exc:
                            report(line, name, str(exc))
                            append(BAD)
                            ok = False
                    elif required:
                        report(line, name, "verplicht veld is leeg")
                        append(BAD)
                        ok = False
                    else:
                        append(default)

                if key_index:
                    key = values[single_key] if single_key is not None else tuple(values[i] for i in key_index)
                    if key is not BAD and (single_key is not None or BAD not in key):
                        first = first_line_of_key.get(key)
                        if first is None:
                            first_line_of_key[key] = line
                        else:
                            report(line, key_label, f"{_key_text(key)} komt al voor op regel {first}")
                            ok = False

                for index, column, present, first_lines, message, missing in references:
                    value = values[index]
                    if value is None or value is BAD:
                        continue
                    if present is not None:
                        if value not in present:
                            report_reference(line, column, f"{shown(value)} {message}")
                            ok = False
                            if missing is not None:
                                missing.add(value)
                    elif value not in first_lines:
                        first_lines[value] = line

                if check is not None:
                    for column, message in check(*rule_values(values)):
                        report(line, column, message)
                        ok = False
                for index, value_set in collected:
                    value = values[index]
                    if value is not None and value is not BAD:
                        value_set.add(value)
                if ok:
                    add_row((line + line_offset, *values) if with_line else tuple(values))
        self.rows[spec.table] = out.count
        if line == 0 and spec.table not in self.sources:
            self.header_only.add(spec.table)

    # --- references through the warehouse ------------------------------------------------------

    def _check_references_to_warehouse(self) -> None:
        for spec, ref, first_lines in self.to_warehouse:
            parent_file = SPECS[ref.parent].file
            for value, count in dangling_values(self.conn, spec.table, ref.column, ref.parent,
                                                ref.parent_column, self._new_rows(spec)):
                message = (f"{shown(value)} komt niet voor als {ref.parent_column} in het warehouse "
                           f"({parent_file} zit niet in deze levering)")
                if count > 1:
                    message += f"; {count} {spec.noun[1]} gebruiken deze waarde, de eerste op deze regel"
                self.problems.add_reference(spec.file, first_lines.get(value, 1), ref.column, message)

    def _new_rows(self, spec: TableSpec) -> tuple[str, int] | None:
        """(line column, the highest line before): the rows of this load in an added delivery."""
        if spec.table not in self.first_line_after:
            return None
        return spec.line_column, self.first_line_after[spec.table]

    def _check_replaced_parents(self) -> None:
        for parent in IMPORT_TABLES:
            if parent not in self.files or parent in self.failed:
                continue
            for child in SPECS.values():
                if child.table in self.files:
                    continue  # its rows were checked line by line
                for ref in child.references:
                    if ref.parent != parent:
                        continue
                    present = self.present[(parent, ref.parent_column)]
                    if parent in self.header_only:  # every value it refers to is gone
                        self.into_header_only.setdefault(parent, []).append(
                            (child, ref, distinct_values(self.conn, child.table, ref.column), False))
                    for value, count in dangling_values(self.conn, child.table, ref.column, parent,
                                                        ref.parent_column):
                        if value in present:
                            continue  # delivered, but its row has a problem of its own
                        noun, verb = (child.noun[0], "verwijst") if count == 1 else (child.noun[1], "verwijzen")
                        self.problems.add_reference(
                            SPECS[parent].file, 1, ref.parent_column,
                            f"{count} {noun} in het warehouse {verb} naar {ref.parent_column} "
                            f"{shown(value)}, die in dit bestand ontbreekt")

    def _explain_header_only_parents(self) -> None:
        """A delivered file with only its header empties its table, as the contract says; when
        other rows still refer to it, each of them is a problem of its own ("T1 komt niet voor
        als traject_id in trajecten.csv", 50 times), and none says why. One line first says it:
        which file is empty and how many distinct values each referring file (or warehouse table)
        still names. Usually the export behind the file went wrong."""
        for parent in IMPORT_TABLES:
            parts = [_refers_to(child, ref, _count(values), delivered)
                     for child, ref, values, delivered in self.into_header_only.get(parent, ())
                     if _count(values)]
            if not parts:
                continue
            listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " en " + parts[-1]
            self.problems.add_cause(
                SPECS[parent].file, 1, "bestand",
                f"het bestand bevat geen rijen (alleen de kopregel) en maakt de tabel leeg, maar "
                f"{listed}; lever het bestand met zijn rijen (of laat het weg: dan blijft de tabel "
                f"zoals hij is)")


def _parsed(fields: list[str], columns: list[tuple]) -> tuple | None:
    """The values of `columns` (the loader's (position, name, parse, ...) tuples) in a row with
    another number of fields than the header, or None when one is missing, empty or invalid."""
    values = []
    for position, _name, parse, *_ in columns:
        raw = fields[position].strip() if position < len(fields) else ""
        if not raw:
            return None
        try:
            values.append(parse(raw))
        except Invalid:
            return None
    return tuple(values)


def _values_at(positions: list[int]) -> Callable[[list], tuple]:
    """The values at `positions` of a row, as a tuple (itemgetter of one position gives the value)."""
    if len(positions) == 1:
        (position,) = positions
        return lambda values: (values[position],)
    return itemgetter(*positions)


def _refers_to(child: TableSpec, ref: Any, count: int, delivered: bool) -> str:
    """"kosten.csv verwijst naar 1.234 trajecten", or for a table kept in the warehouse (its file
    is not delivered) "de kostenregels in het warehouse verwijzen naar 3 trajecten"."""
    noun = ref.noun or SPECS[ref.parent].noun
    what = f"{_dutch_count(count)} {noun[0] if count == 1 else noun[1]}"
    if delivered:
        return f"{child.file} verwijst naar {what}"
    return f"de {child.noun[1]} in het warehouse verwijzen naar {what}"


def _count(values: Any) -> int:
    return values if isinstance(values, int) else len(values)


def _dutch_count(number: int) -> str:
    """1234567 → "1.234.567" (Dutch thousands separator)."""
    return f"{number:,}".replace(",", ".")


def _key_text(key: Any) -> str:
    parts = key if isinstance(key, tuple) else (key,)
    return ", ".join(shown(p) if isinstance(p, str) else str(p) for p in parts)


def _latest_date(conn: Connection) -> dt.date | None:
    """The latest date in the warehouse: trajecten/verblijf dates and the end of the last kosten month."""
    candidates = list(conn.execute(select(
        func.max(Traject.startdatum), func.max(Traject.einddatum))).one())
    candidates += conn.execute(select(
        func.max(Verblijf.startdatum), func.max(Verblijf.einddatum))).one()
    last_month = conn.execute(select(func.max(Kosten.maand))).scalar()
    if last_month is not None:
        days = calendar.monthrange(last_month.year, last_month.month)[1]
        candidates.append(last_month.replace(day=days))
    found = [d for d in candidates if d is not None]
    return max(found) if found else None
