"""Never a traceback, never English, nothing changed: generated bad FILES against every file loader.

tests/test_fuzz.py fuzzes the app's routes and callbacks; this module fuzzes what the command lines
read from disk (contract: cli.md, import-format.md). Hypothesis mutates one small valid input per
loader — byte flips, truncation (also in the middle of a UTF-8 character), other encodings
(cp1252, UTF-16 with a byte-order mark, …), a byte-order mark or NUL bytes in odd places, CRLF/CR
mixes, another delimiter, quoted line ends, duplicate/missing/extra header names, empty files,
huge numbers, dates like 2025-02-30, negative and Unicode digits, very long cells; for the back-up
its JSON's types and keys; for iJw its elements, namespaces and values:
1. the CSV warehouse load (`data.warehouse.loader.load_folder`, also with `toevoegen`, and through
   `python -m data load` in this process);
2. the targets import (`dashboard.programme.targets_csv.import_targets`, also `python -m data targets import`);
3. the back-up restore (`data.programme.backup.restore_programme`, also `python -m data restore`);
4. the iJw load (`data.warehouse.ijw.loader.load_ijw_folder`, also `python -m data load-ijw`).
Each must either succeed or refuse with its own Dutch problem report (LoadError and its
subclasses, BackupError) — no other exception, no English class name or library text — and a
refusal leaves every table as it was (a checksum of every table; `laadrun`, which records every
run whatever its outcome, aside). A command line exits 0 or 2, never 1 with `fout: SomeError: …`.

Cheap on purpose: SQLite only, one prepared warehouse per loader and module (a template file,
copied back after an example that changed it), small inputs, modest `max_examples` (the whole
module stays well under 20 s). Hunt with more: FILE_FUZZ_EXAMPLES=300 pytest tests/test_file_fuzz.py.
Not derandomized: every run draws fresh examples.
"""
from __future__ import annotations

import codecs
import copy
import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import warnings
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from lxml import etree
from sqlalchemy import Boolean, Date, DateTime, Float, Integer, Numeric, String, Text, select

from dashboard.programme.targets_csv import TargetsImportError, export_targets, import_targets
from data.__main__ import main as data_main
from data.accounts.users import User
from data.db import make_engine, migrate
from data.programme.backup import PROGRAMME_TABLES, BackupError, backup_programme, restore_programme
from data.programme.plan import load_programme
from data.schema import Base
from data.warehouse.ijw.loader import load_ijw_folder
from data.warehouse.loader import LoadError, load_folder
from tests import ijw_builder as b
from tests.cli_support import run_main
from tests.conftest import sqlite_copy
from tests.test_loader import VALID, write_folder

EXAMPLES = int(os.environ.get("FILE_FUZZ_EXAMPLES", "40"))
CLI_EXAMPLES = max(4, EXAMPLES // 8)  # a command line migrates and may derive the KPI totals: dearer
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large, HealthCheck.filter_too_much])
CLI_FUZZ = settings(FUZZ, max_examples=CLI_EXAMPLES)

MANAGER = User(1, "pm", "Programma Manager", "programmamanager", frozenset())

# --- what a user may never see ------------------------------------------------------------------

# a Python class name (ValueError, UnicodeDecodeError, KeyError, …), a traceback, or the wording of
# the libraries underneath (codecs, csv, json, sqlite3, lxml, the OS); the generated values contain
# none of these words, so a hit is the program's text, not a value quoted from the input
ENGLISH = re.compile(
    r"Traceback|\b[A-Z][A-Za-z]*(?:Error|Exception|Warning)\b|\bcodec\b|can't|\bcannot\b|\binvalid\b|"
    r"\bunexpected\b|\bexpected\b|line contains|field larger|\bnot supported\b|NoneType|Errno|"
    r"\bunsupported\b|\btoo large\b|out of range|\bmust be\b|\bargument\b|\bdoes not\b|\bsyntax\b")


def assert_dutch(lines: list[str]) -> None:
    assert lines, "a refusal without a single problem line"
    for line in lines:
        assert isinstance(line, str) and line.strip(), lines
        assert not ENGLISH.search(line), f"English or a raw exception in a user's message: {line!r}"


# --- the state of a warehouse ---------------------------------------------------------------------

IGNORED = {"laadrun"}  # every run is recorded, refused or not (data/warehouse/load_runs.py)


def checksum(engine) -> dict[str, tuple[int, str]]:
    """Per table: its number of rows and the sha256 of all of them (in a fixed order)."""
    out = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            if table.name in IGNORED:
                continue
            rows = sorted(repr(tuple(r)) for r in conn.execute(select(table)))
            out[table.name] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return out


class Template:
    """A prepared SQLite warehouse and a copy to work on; `restore()` puts the copy back (ms)."""

    def __init__(self, folder: Path, prepare) -> None:
        self.template = folder / "template.db"
        self.work = folder / "work.db"
        self.url = f"sqlite:///{self.work}"
        engine = make_engine(f"sqlite:///{self.template}")
        migrate(engine)
        prepare(engine)
        engine.dispose()
        self.engine = None
        self.restore()
        self.pristine = checksum(self.engine)

    def restore(self) -> None:
        if self.engine is not None:
            self.engine.dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.work}{suffix}").unlink(missing_ok=True)
        sqlite_copy(self.template, self.work)
        self.engine = make_engine(self.url)

    def close(self) -> None:
        self.engine.dispose()


@contextmanager
def no_warnings():
    """A warning (SQLAlchemy's SAWarning, a library's UserWarning) is printed in English on a
    command line's stderr; deprecations are not shown to users (Python hides them outside __main__)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    shown_to_user = [w for w in caught if not issubclass(w.category, (DeprecationWarning, PendingDeprecationWarning))]
    assert not shown_to_user, [f"{w.category.__name__}: {w.message}" for w in shown_to_user]


def outcome(engine, template: Template, attempt, refusals: tuple[type[Exception], ...]):
    """Run `attempt()`: success (the state is put back for the next example), or one of
    `refusals` with Dutch lines and every table exactly as before. Anything else fails the test,
    and so does a warning."""
    before = checksum(engine)
    try:
        with no_warnings():
            result = attempt()
    except refusals as exc:
        lines = ([*exc.report_lines(), *getattr(exc, "closing_lines", list)()] if hasattr(exc, "report_lines")
                 else [str(exc)])
        event("geweigerd")
        assert_dutch(lines)
        assert checksum(engine) == before, f"a refused input changed the warehouse: {lines[:3]}"
        return exc
    event("geladen")
    template.restore()
    return result


def cli_outcome(template: Template, argv: list[str], env: dict[str, str] | None = None) -> None:
    """`python -m data ARGV` in this process on `template`'s copy: success (the state is put back),
    or bad input in Dutch with every table as before; never exit 1, never a warning."""
    before = checksum(template.engine)
    with no_warnings():
        result = run_main(data_main, argv, env=env)
    assert_cli(result)
    if result.returncode == 0:
        template.restore()
    else:
        assert checksum(template.engine) == before


def assert_cli(result, success_codes=(0,)) -> None:
    """A command line on generated input: success, or bad input (exit 2) in Dutch; never exit 1."""
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    assert result.returncode in (*success_codes, 2), (result.returncode, result.stderr)
    if result.returncode == 2:
        assert_dutch([line for line in result.stderr.splitlines() if line.strip()])
    else:
        for line in result.stderr.splitlines():  # warnings
            assert not ENGLISH.search(line), line


# --- mutations of bytes ---------------------------------------------------------------------------

ENCODINGS = ("cp1252", "latin-1", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig", "mac-roman",
             "utf-7")
INSERTS = (b"\x00", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, b"\r", b"\n", b"\r\n", b'"', b";", b",", b"\t",
           b"\xff", b"\xc3", b"\xe2\x82", b"\xed\xa0\x80", b"\xc0\xaf", b"\x1a", b"\x0c", b"\x7f", b"\x85",
           "\u2028".encode(), "é".encode("cp1252"), "€".encode(), b'""', b'"\n"', b"\\", b"<", b"&", b"]]>")


def _at(data: bytes, where: int) -> int:
    return where % (len(data) + 1)


def _reencode(data: bytes, encoding: str) -> bytes:
    text = data.decode("utf-8-sig", "replace")
    return text.encode(encoding, "replace")


def _newlines(data: bytes, style: str) -> bytes:
    lines = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")
    if style == "mix":
        return b"".join(line + (b"\r\n", b"\r", b"\n")[i % 3] for i, line in enumerate(lines))
    return {"crlf": b"\r\n", "cr": b"\r", "lf": b"\n"}[style].join(lines)


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True)


def apply_byte_mutation(data: bytes, mutation: tuple) -> bytes:
    kind, *args = mutation
    if kind == "flip":
        if not data:
            return data
        at = args[0] % len(data)
        return data[:at] + bytes([data[at] ^ args[1]]) + data[at + 1:]
    if kind == "truncate":
        return data[:_at(data, args[0])]
    if kind == "insert":
        at = _at(data, args[0])
        return data[:at] + args[1] + data[at:]
    if kind == "delete":
        at = _at(data, args[0])
        return data[:at] + data[at + args[1]:]
    if kind == "encode":
        return _reencode(data, args[0])
    if kind == "newlines":
        return _newlines(data, args[0])
    if kind == "empty":
        return b""
    if kind == "whitespace":
        return args[0]
    lines = _lines(data)
    if kind == "duplicate_line" and lines:
        i = args[0] % len(lines)
        return b"".join(lines[:i + 1] + [lines[i]] + lines[i + 1:])
    if kind == "drop_line" and lines:
        i = args[0] % len(lines)
        return b"".join(lines[:i] + lines[i + 1:])
    if kind == "repeat_line" and len(lines) > 1:
        i = 1 + args[0] % (len(lines) - 1)
        line = lines[i] if lines[i].endswith((b"\n", b"\r")) else lines[i] + b"\n"
        return b"".join(lines[:i] + [line] * args[1] + lines[i + 1:])
    if kind == "swap_lines" and len(lines) > 1:
        i, j = args[0] % len(lines), args[1] % len(lines)
        lines[i], lines[j] = lines[j], lines[i]
        return b"".join(lines)
    return data


POSITION = st.integers(0, 1 << 20)
BYTE_MUTATION = st.one_of(
    st.tuples(st.just("flip"), POSITION, st.integers(1, 255)),
    st.tuples(st.just("truncate"), POSITION),
    st.tuples(st.just("insert"), POSITION, st.one_of(st.sampled_from(INSERTS), st.binary(min_size=1, max_size=8))),
    st.tuples(st.just("delete"), POSITION, st.integers(1, 40)),
    st.tuples(st.just("encode"), st.sampled_from(ENCODINGS)),
    st.tuples(st.just("newlines"), st.sampled_from(("crlf", "cr", "lf", "mix"))),
    st.tuples(st.just("empty")),
    st.tuples(st.just("whitespace"), st.sampled_from((b"\n", b"\r\n\r\n", b" ", codecs.BOM_UTF8, codecs.BOM_UTF8 + b"\n",
                                                      b"\t\n", b";;;\n", b",,,\r\n"))),
    st.tuples(st.just("duplicate_line"), POSITION),
    st.tuples(st.just("drop_line"), POSITION),
    st.tuples(st.just("swap_lines"), POSITION, POSITION),
    st.tuples(st.just("repeat_line"), POSITION, st.sampled_from((2, 50, 10_000))),
)

# --- mutations of CSV cells and headers -----------------------------------------------------------

TRICKY_CELLS = (
    "", " ", "0", "-0", "-1", "+1", "00012", "9" * 19, "9" * 30, "-" + "9" * 25, "1e9", "1E400", "NaN", "inf",
    "-inf", "1.5", "1,5", "12,50", "1.234,56", "1.234.567", "12.345", "€ 12", "12%", "€12,5", "1 000",
    "0,001", "0.001", ".5", "5.", "--5", "٣", "١٢", "२०२५", "²", "½", "Ⅻ", "１２", "２０２４-０１-１０",
    "2025-02-30", "2024-02-29", "2023-02-29", "2025-13-01", "2025-00-10", "2025-1-5", "1989-12-31",
    "2101-01-01", "0001-01-01", "9999-12-31", "2024-01", "2024-13", "2024-00", "1990-01", "2100-12", "202401",
    "2024-01-10T00:00", "2024-01-10 ", "10-01-2024", "2024/01/10", "2024-01-10Z", "T1", "T2", "T3", "J1",
    "WK040601", "WK040602", "GM0406", "S01", "A1", "R1", "V1", "x" * 60, "x" * 300, "é" * 100,
    "\u200b", "\ufeffT1", "T1\u00a0", '"', '""', "a\nb", "a\r\nb", "a\rb", "a;b", "a,b", "\t", "\x0b",
    "ambulant", "AMBULANT", " huisarts ", "01", "1", "99", "zin", "PGB", "onbekend", "volledig",
    "bao", "vo", "so", "ouder", "jongere", "2024", "2012", "1990", "2100", "10", "11", "0,00", "-12.5",
    "1234567890123.45", "12345678901234", "9999999999999,99", "9999999999999.99", "-9999999999999.99", "99999999999999.99", "0.1234", "2025", "2026", "2027", "2028",
    "𝟚𝟘𝟚𝟝", "\U0001f600", "\udcff".encode("utf-8", "surrogatepass").decode("utf-8", "replace"),
)
# cells of any character but surrogates; no long runs of letters, so no English word by chance
CELL = st.one_of(st.sampled_from(TRICKY_CELLS),
                 st.text(st.characters(exclude_categories=("Cs",)), max_size=12),
                 st.integers(-(10 ** 30), 10 ** 30).map(str),
                 st.sampled_from(("x", "9", "é", ";", ",")).map(lambda c: c * 140_000))  # past csv's field limit


def _read_csv(data: bytes) -> tuple[list[list[str]], str]:
    text = data.decode("utf-8-sig", "replace")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)), delimiter


def _write_csv(rows: list[list[str]], delimiter: str, bom: bool) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n" if delimiter == ";" else "\n").writerows(rows)
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode("utf-8", "surrogatepass")


def apply_csv_mutation(data: bytes, mutation: tuple) -> bytes:
    """A change of the file's table (cells, header names, columns); bytes that are no CSV stay as they are."""
    try:
        rows, delimiter = _read_csv(data)
    except csv.Error:
        return data
    if not rows:
        return data
    bom = data.startswith(codecs.BOM_UTF8)
    kind, *args = mutation
    header = rows[0]
    width = max(len(header), 1)
    if kind == "cell":
        row = rows[args[0] % len(rows)] if len(rows) == 1 else rows[1 + args[0] % (len(rows) - 1)]
        if row:
            row[args[1] % len(row)] = args[2]
    elif kind == "header":
        op, i, name = args
        i %= width
        if op == "duplicate" and header:
            header.append(header[i])
            for row in rows[1:]:
                row.append(row[i] if i < len(row) else "")
        elif op == "drop":
            for row in rows:
                if i < len(row):
                    del row[i]
        elif op == "extra":
            header.append(name)
            for row in rows[1:]:
                row.append("1")
        elif op == "rename" and header:
            header[i] = name
        elif op == "upper":
            rows[0] = [f"  {h.upper()} " for h in header]
        elif op == "swap_columns" and len(header) > 1:
            j = (i + 1) % len(header)
            for row in rows:
                if max(i, j) < len(row):
                    row[i], row[j] = row[j], row[i]
    elif kind == "delimiter":
        return _write_csv(rows, args[0], bom)
    elif kind == "extra_field":
        row = rows[args[0] % len(rows)]
        row.append(args[1])
    elif kind == "only_header":
        rows = rows[:1]
    return _write_csv(rows, delimiter, bom)


HEADER_NAMES = st.sampled_from(("", " ", "traject_id", "maand", "bedrag", "ontvangen", "wijk_code", "jaar",
                                "onbekend", "Bedrag", "BEDRAG ", "\ufeffbedrag", "bedrag\u00a0", "é", "2025",
                                "nulmeting", "indicator", "nulmeting_jaar", "naam", "richting"))
CSV_MUTATION = st.one_of(
    st.tuples(st.just("cell"), POSITION, POSITION, CELL),
    st.tuples(st.just("cell"), POSITION, POSITION, CELL),
    st.tuples(st.just("header"), st.sampled_from(("duplicate", "drop", "extra", "rename", "upper", "swap_columns")),
              POSITION, HEADER_NAMES),
    st.tuples(st.just("delimiter"), st.sampled_from((",", ";", "\t", "|"))),
    st.tuples(st.just("extra_field"), POSITION, CELL),
    st.tuples(st.just("only_header")),
)
MUTATION = st.one_of(st.tuples(st.just("csv"), CSV_MUTATION), st.tuples(st.just("bytes"), BYTE_MUTATION))


def mutate(data: bytes, mutations: list[tuple]) -> bytes:
    for layer, mutation in mutations:
        data = apply_csv_mutation(data, mutation) if layer == "csv" else apply_byte_mutation(data, mutation)
    return data


MUTATIONS = st.lists(MUTATION, min_size=1, max_size=4)

# --- 1. the CSV warehouse load ----------------------------------------------------------------------

VALID_BYTES = {name: text.encode("utf-8") for name, text in VALID.items()}


@pytest.fixture(scope="module")
def csv_warehouse(tmp_path_factory):
    folder = tmp_path_factory.mktemp("csv_fuzz")
    valid = write_folder(folder / "valid", VALID)
    template = Template(folder, lambda engine: load_folder(engine, valid))
    yield template
    template.close()


def _write_delivery(folder: Path, files: dict[str, bytes]) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    return write_folder(folder, files)


FILE_NAMES = st.sampled_from(sorted(VALID))
DELIVERY = st.fixed_dictionaries({
    "changed": st.dictionaries(FILE_NAMES, MUTATIONS, min_size=1, max_size=3),
    "kept": st.sets(FILE_NAMES, max_size=9),  # which unchanged files come along too
    "toevoegen": st.booleans(),
    "folder_trick": st.sampled_from((None, None, None, "upper_name", "twin", "unknown_file", "subfolder")),
})


def _delivery(draw: dict) -> dict[str, bytes]:
    files = {name: mutate(VALID_BYTES[name], mutations) for name, mutations in draw["changed"].items()}
    if draw["toevoegen"]:
        return {"kosten.csv": files.get("kosten.csv", VALID_BYTES["kosten.csv"])}
    for name in draw["kept"]:
        files.setdefault(name, VALID_BYTES[name])
    return files


def _folder_trick(folder: Path, trick: str | None) -> None:
    names = sorted(p.name for p in folder.iterdir())
    if trick == "upper_name" and names:
        (folder / names[0]).rename(folder / names[0].upper())
    elif trick == "twin" and names:
        (folder / names[0].upper().replace(".CSV", ".Csv")).write_bytes((folder / names[0]).read_bytes())
    elif trick == "unknown_file":
        (folder / "export.xlsx").write_bytes(b"PK\x03\x04" + bytes(range(256)))
    elif trick == "subfolder":
        (folder / "kosten.csv").unlink(missing_ok=True)
        (folder / "kosten.csv").mkdir()


@FUZZ
@given(draw=DELIVERY)
def test_a_mutated_delivery_loads_or_is_refused_in_dutch_changing_nothing(csv_warehouse, tmp_path_factory, draw):
    folder = _write_delivery(tmp_path_factory.getbasetemp() / "csv_delivery", _delivery(draw))
    _folder_trick(folder, draw["folder_trick"])
    engine = csv_warehouse.engine
    result = outcome(engine, csv_warehouse, lambda: load_folder(engine, folder, toevoegen=draw["toevoegen"]),
                     (LoadError,))
    if not isinstance(result, LoadError):
        for warning in result.warnings:
            assert not ENGLISH.search(warning), warning


@CLI_FUZZ
@given(draw=DELIVERY)
def test_python_m_data_load_on_a_mutated_delivery(csv_warehouse, tmp_path_factory, draw):
    folder = _write_delivery(tmp_path_factory.getbasetemp() / "csv_cli_delivery", _delivery(draw))
    _folder_trick(folder, draw["folder_trick"])
    cli_outcome(csv_warehouse, ["load", str(folder), "--db", csv_warehouse.url]
                + (["--toevoegen"] if draw["toevoegen"] else []))


# --- 2. the targets import ----------------------------------------------------------------------------

def _programme_and_manager(engine) -> None:
    from data.accounts.users import add_user

    load_programme(engine)
    add_user(engine, "pm", "Programma Manager", "programmamanager", "een-wachtwoord-van-lengte")


@pytest.fixture(scope="module")
def programme_warehouse(tmp_path_factory):
    folder = tmp_path_factory.mktemp("programme_fuzz")
    template = Template(folder, _programme_and_manager)
    template.export = export_targets(template.engine)
    template.file = folder / "streefwaarden.csv"
    yield template
    template.close()


NUMBER_CELLS = st.sampled_from(("12,5", "12.5", "1.234,5", "14.800.000", "1,460", "€ 12", "12%", "-0", "0",
                                "100", "101", "-1", "1e308", "1e309", "9" * 400, "NaN", "inf", "٣", "١٢,٥",
                                "１２", "²", "2025", "1989", "2100", "2030", "0,0000001", "12,", ",5",
                                "1.2.3", "12 5", "12\u00a0500", "\u202f12", "--1", "+1"))


TARGETS_MUTATIONS = st.lists(st.one_of(MUTATION, st.tuples(st.just("csv"), st.tuples(
    st.just("cell"), POSITION, st.integers(6, 11), NUMBER_CELLS))), min_size=1, max_size=4)


@FUZZ
@given(mutations=TARGETS_MUTATIONS)
def test_a_mutated_targets_file_imports_or_is_refused_in_dutch_changing_nothing(programme_warehouse, mutations):
    data = mutate(programme_warehouse.export, mutations)
    engine = programme_warehouse.engine
    outcome(engine, programme_warehouse,
            lambda: import_targets(engine, MANAGER, data, "streefwaarden.csv", "Bijstelling"),
            (TargetsImportError,))


@CLI_FUZZ
@given(mutations=TARGETS_MUTATIONS)
def test_python_m_data_targets_import_of_a_mutated_file(programme_warehouse, mutations):
    programme_warehouse.file.write_bytes(mutate(programme_warehouse.export, mutations))
    cli_outcome(programme_warehouse, ["targets", "import", str(programme_warehouse.file), "--door", "pm",
                                      "--reden", "Bijstelling", "--db", programme_warehouse.url])


# --- 3. the back-up restore ------------------------------------------------------------------------

def _small_programme(engine) -> None:
    """The Programmaplan with an account and a few audit rows: a back-up of every kind of row that
    restores in a fraction of a second."""
    from data.accounts.users import add_user
    from data.programme.edits import set_streefwaarde

    load_programme(engine)
    add_user(engine, "pm", "Programma Manager", "programmamanager", "een-wachtwoord-van-lengte")
    from sqlalchemy import text

    with engine.connect() as conn:
        row = conn.execute(text("SELECT i.code, s.version FROM streefwaarde s JOIN indicator i ON i.id = s.indicator_id "
                                "WHERE s.jaar = 2026 ORDER BY i.code LIMIT 1")).one()
    set_streefwaarde(engine, MANAGER, row.code, 2026, "12", row.version, "Bijstelling")

    with engine.begin() as conn:  # keep a few audit rows: they are most of the file and of its restore
        conn.execute(text("DELETE FROM wijziging WHERE id NOT IN (SELECT id FROM wijziging ORDER BY id DESC LIMIT 5)"))


@pytest.fixture(scope="module")
def backup_warehouse(tmp_path_factory):
    folder = tmp_path_factory.mktemp("backup_fuzz")
    template = Template(folder, _small_programme)
    backup_programme(template.engine, folder / "backup.json")
    template.document = json.loads((folder / "backup.json").read_text("utf-8"))
    template.file = folder / "mutated.json"
    yield template
    template.close()


JSON_SCALAR = st.one_of(
    st.none(), st.booleans(), st.integers(-(2 ** 70), 2 ** 70),
    st.sampled_from((2 ** 63, 2 ** 63 - 1, -(2 ** 63) - 1, 2 ** 64, 10 ** 400, 0, -1, 1, 1.5, float("nan"),
                     float("inf"), -float("inf"), 1e308)),
    st.floats(), st.sampled_from(TRICKY_CELLS), st.text(max_size=10),
    st.sampled_from(("2025-02-30", "2025-01-01", "2025-01-01T10:00:00", "2025-01-01T25:00:00", "24:00", "",
                     "2025-01-01T10:00:00+02:00", "2025-W01", "1", "true", "null"))
)
JSON_VALUE = st.one_of(JSON_SCALAR, st.lists(JSON_SCALAR, max_size=3),
                       st.dictionaries(st.text(max_size=5), JSON_SCALAR, max_size=3),
                       st.lists(st.dictionaries(st.text(max_size=5), JSON_SCALAR, max_size=2), max_size=2))
DEEP = st.integers(50, 3000).map(lambda n: json.loads("[" * min(n, 900) + "]" * min(n, 900)))
DOC_MUTATION = st.one_of(
    st.tuples(st.just("set"), POSITION, POSITION, POSITION, st.one_of(JSON_VALUE, DEEP)),
    st.tuples(st.just("set"), POSITION, POSITION, POSITION, JSON_SCALAR),
    st.tuples(st.just("drop_key"), POSITION, POSITION, POSITION),
    st.tuples(st.just("add_key"), POSITION, POSITION, st.text(max_size=8), JSON_VALUE),
    st.tuples(st.just("duplicate_row"), POSITION, POSITION),
    st.tuples(st.just("drop_row"), POSITION, POSITION),
    st.tuples(st.just("table"), POSITION, JSON_VALUE),
    st.tuples(st.just("top"), st.sampled_from(("formaat", "versie", "schema", "gemaakt_op", "tabellen", "extra")),
              st.one_of(JSON_SCALAR, st.just("absent"), st.sampled_from((1, 2, 3, 4, "3", 3.0, True)))),
)


def _pick(sequence, index):
    return sequence[index % len(sequence)] if sequence else None


def apply_doc_mutation(document: dict, mutation: tuple) -> None:
    kind, *args = mutation
    tables = document.get("tabellen")
    if kind == "top":
        name, value = args
        if value == "absent":
            document.pop(name, None)
        else:
            document[name] = value
        return
    if not isinstance(tables, dict) or not tables:
        return
    name = _pick(sorted(tables), args[0])
    rows = tables[name]
    if kind == "table":
        tables[name] = args[1]
        return
    if not isinstance(rows, list) or not rows:
        return
    i = args[1] % len(rows)
    row = rows[i]
    if kind == "duplicate_row":
        rows.insert(i, copy.deepcopy(row))
    elif kind == "drop_row":
        del rows[i]
    elif not isinstance(row, dict) or not row:
        return
    elif kind == "set":
        row[_pick(sorted(row), args[2])] = args[3]
    elif kind == "drop_key":
        row.pop(_pick(sorted(row), args[2]))
    elif kind == "add_key":
        row[args[2]] = args[3]


# JSON text spliced into the file: what json.dumps never writes, but json.loads reads (or refuses its own way)
JSON_INSERTS = (b"9" * 5000, b'"\\ud800"', b'"\\u0000"', b"NaN", b"-Infinity", b"1e999", b"-0", b"1.0", b"true",
                b"null", b"[]", b"{}", b'"\\"', b",", b"}", b"]", b'"', b"\\")
JSON_BYTE_MUTATION = st.one_of(BYTE_MUTATION, st.tuples(st.just("insert"), POSITION, st.sampled_from(JSON_INSERTS)),
                               st.tuples(st.just("value"), POSITION, st.sampled_from(JSON_INSERTS)))
BACKUP_DRAW = st.tuples(st.lists(DOC_MUTATION, min_size=1, max_size=4), st.lists(JSON_BYTE_MUTATION, max_size=2),
                        st.booleans())


def _replace_value(data: bytes, where: int, raw: bytes) -> bytes:
    """The value after the `where`-th `": "` of the file (a row's cell) replaced by `raw`."""
    starts = [m.end() for m in re.finditer(rb'": ?', data)]
    if not starts:
        return data
    start = starts[where % len(starts)]
    end = re.compile(rb'"(?:[^"\\]|\\.)*"|[^,}\]\s]*').match(data, start).end()
    return data[:start] + raw + data[end:]


def _write_backup(template: Template, draw) -> Path:
    doc_mutations, byte_mutations, indent = draw
    document = copy.deepcopy(template.document)
    for mutation in doc_mutations:
        apply_doc_mutation(document, mutation)
    data = json.dumps(document, ensure_ascii=False, indent=1 if indent else None).encode("utf-8")
    for mutation in byte_mutations:
        data = (_replace_value(data, *mutation[1:]) if mutation[0] == "value"
                else apply_byte_mutation(data, mutation))
    template.file.write_bytes(data)
    return template.file


_PYTHON_TYPES = ((Boolean, (bool, int)), (DateTime, (dt.datetime,)), (Date, (dt.date,)), (Integer, (int,)),
                 (Float, (float, int)), (Numeric, (float, int)), (String, (str,)), (Text, (str,)))


def assert_restored_values_fit(engine) -> None:
    """After a successful restore every value is of its column's kind: a number where the schema
    says number (SQLite would store any text in an INTEGER column that PostgreSQL refuses)."""
    with engine.connect() as conn:
        for name in PROGRAMME_TABLES:
            table = Base.metadata.tables[name]
            for row in conn.execute(select(table)).mappings():
                for column in table.columns:
                    value = row[column.name]
                    if value is None:
                        continue
                    kinds = next((k for t, k in _PYTHON_TYPES if isinstance(column.type, t)), None)
                    if kinds is not None:
                        assert isinstance(value, kinds), f"{name}.{column.name} holds {value!r} after a restore"


@FUZZ
@given(draw=BACKUP_DRAW)
def test_a_mutated_backup_restores_or_is_refused_in_dutch_changing_nothing(backup_warehouse, draw):
    path = _write_backup(backup_warehouse, draw)
    engine = backup_warehouse.engine
    before = checksum(engine)
    try:
        with no_warnings():
            restore_programme(engine, path)
    except BackupError as exc:
        assert_dutch([str(exc)])
        assert checksum(engine) == before, str(exc)
        return
    assert_restored_values_fit(engine)
    backup_warehouse.restore()


@CLI_FUZZ
@given(draw=BACKUP_DRAW)
def test_python_m_data_restore_of_a_mutated_backup(backup_warehouse, draw):
    path = _write_backup(backup_warehouse, draw)
    cli_outcome(backup_warehouse, ["restore", str(path), "--db", backup_warehouse.url])


# --- 4. the iJw load -----------------------------------------------------------------------------------

MESSAGES = b.standard_messages()


@pytest.fixture(scope="module")
def ijw_warehouse(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ijw_fuzz")
    (folder / "csv").mkdir()
    (folder / "csv" / "wijken.csv").write_text(b.WIJKEN)
    (folder / "postcodes.csv").write_text(b.POSTCODES)
    template = Template(folder, lambda engine: load_folder(engine, folder / "csv"))
    template.postcodes = folder / "postcodes.csv"
    yield template
    template.close()


IJW_TEXTS = st.one_of(st.sampled_from(TRICKY_CELLS), st.sampled_from((
    "999900006", "999900018", "123456789", "000000000", "99990000", "9999000061", "0406", "98000001",
    "2025-01-01", "2025-02-30", "2025-01-01+01:00", "2025-01-01Z", "20250101", "1", "2", "3", "45", "45A01",
    "36", "ZZZ", "-100", "100", "10000000000000000000000", "1.5", "12:00:00", "25:61:61", "446", "3", "2",
    "1271AA", "1271 aa", "9999ZZ", "Zwanenburgh")), st.text(max_size=8))
NAMESPACES = ("http://www.istandaarden.nl/ijw/3_2/jw301/schema", "http://www.istandaarden.nl/ijw/3_2/basisschema/schema",
              "http://www.istandaarden.nl/ijw/3_1/jw301/schema", "http://www.istandaarden.nl/ijw/9_9/jw999/schema",
              "urn:iets:anders", "")
XML_MUTATION = st.one_of(
    st.tuples(st.just("remove"), POSITION),
    st.tuples(st.just("duplicate"), POSITION),
    st.tuples(st.just("text"), POSITION, IJW_TEXTS),
    st.tuples(st.just("text"), POSITION, IJW_TEXTS),
    st.tuples(st.just("namespace"), POSITION, st.sampled_from(NAMESPACES)),
    st.tuples(st.just("rename"), POSITION, st.sampled_from(("Bericht", "Client", "Bsn", "Onbekend", "Product",
                                                           "Header", "Datum", "Bedrag"))),
    st.tuples(st.just("child"), POSITION, st.sampled_from(("Onbekend", "Bericht", "Client", "Bsn"))),
    st.tuples(st.just("attribute"), POSITION, st.text(max_size=5)),
    st.tuples(st.just("empty"), POSITION),
    st.tuples(st.just("nest"), POSITION, st.sampled_from((2, 100, 300))),
)
XML_INSERTS = (b'<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>', b"&b;", b"&#0;", b"&#xD800;", b"&lt;",
               b"<![CDATA[1]]>", b"<!-- x -->", b"<?pi x?>", b'<?xml version="1.0" encoding="UTF-16"?>',
               b'<?xml version="1.1"?>', b'xmlns="urn:x"', b"</m:Bericht>", b"<m:Bericht>", b"]]>")


def apply_xml_mutation(data: bytes, mutation: tuple) -> bytes:
    try:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return data
    if root is None:
        return data
    elements = [e for e in root.iter() if isinstance(e.tag, str)]
    kind, *args = mutation
    element = elements[args[0] % len(elements)]
    parent = element.getparent()
    if kind == "remove" and parent is not None:
        parent.remove(element)
    elif kind == "duplicate" and parent is not None:
        element.addnext(copy.deepcopy(element))
    elif kind == "text":
        element.text = "".join(c for c in args[1] if c == "\t" or c == "\n" or c == "\r" or " " <= c) \
            .replace("\ud800", "")
    elif kind == "namespace":
        local = etree.QName(element).localname
        element.tag = f"{{{args[1]}}}{local}" if args[1] else local
    elif kind == "rename":
        element.tag = f"{{{etree.QName(element).namespace}}}{args[1]}" if etree.QName(element).namespace else args[1]
    elif kind == "child":
        etree.SubElement(element, f"{{{etree.QName(element).namespace or ''}}}{args[1]}").text = "1"
    elif kind == "attribute":
        element.set("attr", "".join(c for c in args[1] if " " <= c and c not in "\ud800\udfff"))
    elif kind == "nest" and parent is not None:
        outer = inner = etree.Element(element.tag)
        for _ in range(args[1]):
            inner = etree.SubElement(inner, element.tag)
        element.addprevious(outer)
        parent.remove(element)
        inner.append(element)
    elif kind == "empty":
        for child in list(element):
            element.remove(child)
        element.text = None
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")



IJW_MUTATION = st.one_of(st.tuples(st.just("xml"), XML_MUTATION), st.tuples(st.just("xml"), XML_MUTATION),
                         st.tuples(st.just("bytes"), BYTE_MUTATION),
                         st.tuples(st.just("bytes"), st.tuples(st.just("insert"), POSITION, st.sampled_from(XML_INSERTS))))
IJW_DRAW = st.fixed_dictionaries({
    "changed": st.dictionaries(st.sampled_from(sorted(MESSAGES)), st.lists(IJW_MUTATION, min_size=1, max_size=3),
                               min_size=1, max_size=2),
    "postcodes": st.one_of(st.none(), st.none(), st.none(), MUTATIONS),
    "producten": st.one_of(st.none(), st.none(), st.just([]), MUTATIONS),  # []: the valid table
})
PRODUCTEN = b"productcategorie;productcode;hulpvorm;verblijfsvorm\n43;43G01;verblijf;gezinshuis\n45;45A01;ambulant;\n"


def _write_messages(template: Template, tmp_path_factory, draw) -> tuple[Path, Path, Path | None]:
    base = tmp_path_factory.getbasetemp() / "ijw_delivery"
    if base.exists():
        shutil.rmtree(base)
    files = dict(MESSAGES)
    for name, mutations in draw["changed"].items():
        data = files[name]
        for layer, mutation in mutations:
            data = apply_xml_mutation(data, mutation) if layer == "xml" else apply_byte_mutation(data, mutation)
        files[name] = data
    folder = b.write(base / "berichten", files)
    postcodes = template.postcodes
    if draw["postcodes"] is not None:
        postcodes = base / "postcodes.csv"
        postcodes.write_bytes(mutate(b.POSTCODES.encode(), draw["postcodes"]))
    producten = None
    if draw["producten"] is not None:
        producten = base / "producten.csv"
        producten.write_bytes(mutate(PRODUCTEN, draw["producten"]))
    return folder, postcodes, producten


@FUZZ
@given(draw=IJW_DRAW)
def test_a_mutated_ijw_message_loads_or_is_refused_in_dutch_changing_nothing(ijw_warehouse, tmp_path_factory, draw):
    folder, postcodes, producten = _write_messages(ijw_warehouse, tmp_path_factory, draw)
    engine = ijw_warehouse.engine
    result = outcome(engine, ijw_warehouse,
                     lambda: load_ijw_folder(engine, folder, b.KEY, postcodes=postcodes, producten=producten),
                     (LoadError,))
    if not isinstance(result, LoadError):
        for warning in result.load.warnings:
            assert not ENGLISH.search(warning), warning


@CLI_FUZZ
@given(draw=IJW_DRAW)
def test_python_m_data_load_ijw_on_a_mutated_message(ijw_warehouse, tmp_path_factory, draw):
    folder, postcodes, producten = _write_messages(ijw_warehouse, tmp_path_factory, draw)
    argv = ["load-ijw", str(folder), "--postcodes", str(postcodes), "--db", ijw_warehouse.url]
    cli_outcome(ijw_warehouse, argv + (["--producten", str(producten)] if producten else []),
                env={"PSEUDONIEM_SLEUTEL": b.KEY.decode()})
