"""Load a folder of iJw 3.2 messages into the warehouse: all or nothing, in one transaction.

    report = load_ijw_folder(engine, folder, postcodes=path, key=key)  # -> IjwLoadReport
    # raises LoadError (data/warehouse/loader.py); its problems read FILE:XPATH: message

How a load runs (docs/ijw.md):
1. read every *.xml file under the folder (sorted by path; other files are ignored with a
   warning) and the postcode table, check them and turn BSN, birth date and postcode into
   pseudonym, year and wijk (data/warehouse/ijw/messages.py); any problem: stop, nothing written;
2. in one transaction: add the messages the warehouse does not have yet (data/warehouse/ijw/store.py);
3. derive trajecten, verblijf, kosten and aanbieders from every stored message
   (data/warehouse/ijw/derive.py) and load them through the CSV loader's checks, summaries and
   load log as if they were files (data/warehouse/loader.load_tables); a problem there is
   reported at the message that gave the row;
4. the caller's `derive` (the KPI layer's totals) and the commit.
Reloading the same folder adds no message and gives the same tables; a folder with next month's
messages adds them to the stream.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from sqlalchemy import Connection, Engine, bindparam, select

from data.cli_errors import os_reason
from data.warehouse import load_runs
from data.warehouse.ijw.derive import DERIVED_TABLES, DerivedFile, derive
from data.warehouse.ijw.health import replace_signals
from data.warehouse.ijw.messages import IjwProblem, Message, read_message
from data.warehouse.ijw.postcodes import PostcodeTable, read_postcodes
from data.warehouse.ijw.products import read_products, replace_products
from data.warehouse.ijw.store import Stored, add_messages
from data.warehouse.ijw.xsd import SchemaProblem, SchemaSet
from data.warehouse.loader import LoadError, LoadReport, Problem, load_tables, refresh_statistics, sums_that_fit
from data.warehouse.schema import Traject, Wijk

MAX_KEPT = 100_000


@dataclass
class IjwLoadReport:
    load: LoadReport
    stored: Stored
    messages: int  # message files read


def find_message_files(folder: Path) -> tuple[list[Path], list[str]]:
    def fail(message: str) -> LoadError:
        return LoadError([Problem(str(folder), 0, "map", message)])

    if not folder.exists():
        raise fail("de map bestaat niet")
    if not folder.is_dir():
        raise fail("dit is geen map; geef de map met de iJw-berichten (XML)")
    try:
        entries = sorted(p for p in folder.rglob("*") if p.is_file()
                         and not any(part.startswith(".") for part in p.relative_to(folder).parts))
    except OSError as exc:
        raise fail(f"de map is niet te lezen ({os_reason(exc)})") from None
    files = [p for p in entries if p.suffix.lower() == ".xml"]
    warnings = []
    for other in (p for p in entries if p.suffix.lower() != ".xml"):
        hint = ("; CSV-bestanden laadt u met python -m data load" if other.suffix.lower() == ".csv" else "")
        warnings.append(f"{other.relative_to(folder)}: geen iJw-bericht (.xml), wordt genegeerd{hint}")
    if not files:
        raise fail("geen iJw-berichten (.xml) in deze map")
    return files, warnings


def read_messages(folder: Path, files: list[Path], key: bytes, postcodes: PostcodeTable | None,
                  problems: list, warnings: list[str], schemas: SchemaSet | None = None) -> list[Message]:
    messages = []
    for path in files:
        name = str(path.relative_to(folder))
        try:
            content = path.read_bytes()
        except OSError as exc:
            problems.append(IjwProblem(name, "/", f"het bestand is niet te lezen ({os_reason(exc)})"))
            continue
        message = read_message(name, content, key, postcodes, problems, warnings, schemas)
        if message is not None:
            messages.append(message)
    return messages


def load_ijw_folder(engine: Engine, folder: Path | str, key: bytes, postcodes: Path | str | None = None,
                    bron: str | None = None, derive_totals: Callable[[Connection], Any] | None = None,
                    timings: dict[str, float] | None = None, xsd: Path | str | None = None,
                    producten: Path | str | None = None) -> IjwLoadReport:
    """`xsd`: a folder with the official iJw XSDs to validate against as well (data/warehouse/ijw/xsd.py);
    `timings`, when given, receives the seconds of each step (bench/ijw_bench.py). The run is
    recorded in `laadrun` as kind "ijw" (data/warehouse/load_runs.py), whatever its outcome."""
    with load_runs.recorded(engine, "ijw"):
        return _load(engine, folder, key, postcodes, bron, derive_totals, timings, xsd, producten)


def _load(engine: Engine, folder: Path | str, key: bytes, postcodes: Path | str | None, bron: str | None,
          derive_totals: Callable[[Connection], Any] | None, timings: dict[str, float] | None,
          xsd: Path | str | None, producten: Path | str | None) -> IjwLoadReport:
    clock = _Clock(timings)
    folder = Path(folder)
    files, warnings = find_message_files(folder)
    problems: list = []
    schemas = _schemas(Path(xsd)) if xsd is not None else None
    table = _postcode_table(Path(postcodes), problems) if postcodes is not None else None
    if table is not None and problems and not table.wijk_of:
        _stop_on(problems)  # an unusable table: its own problem, not one more for every message
    products = _products(Path(producten), problems) if producten is not None else None
    messages = read_messages(folder, files, key, table, problems, warnings, schemas)
    _stop_on(problems)
    clock.lap("lezen en controleren")
    # the declared amounts (kosten) are the only sums; a message folder is the delivery to check
    with sums_that_fit(str(folder), 0), engine.begin() as conn:
        if table is not None:
            _check_wijken(conn, table, problems)
        if products is not None:
            replace_products(conn, products)
        stored = add_messages(conn, messages, problems, warnings)
        _stop_on(problems)
        clock.lap("berichten opslaan")
        derived = derive(conn, problems)
        _stop_on(problems)
        clock.lap("afleiden")
        names = {t: Path(f"iJw-berichten ({t})") for t in DERIVED_TABLES}
        try:
            report = load_tables(conn, names, warnings, bron or str(folder.resolve()), sources=derived.files)
        except LoadError as exc:
            raise _located(exc, derived.files) from None
        _store_dates(conn, derived.dates)
        replace_signals(conn, derived.signals)
        clock.lap("laden (controles, samenvattingen)")
        if derive_totals is not None:
            derive_totals(conn)
            clock.lap("KPI-totalen")
    clock.lap("commit")
    refresh_statistics(engine, report, derived=derive_totals is not None)
    clock.lap("statistieken")
    return IjwLoadReport(report, stored, len(files))


class _Clock:
    def __init__(self, timings: dict[str, float] | None) -> None:
        self.timings = timings
        self.last = time.perf_counter()

    def lap(self, name: str) -> None:
        if self.timings is not None:
            now = time.perf_counter()
            self.timings[name] = now - self.last
            self.last = now


def _store_dates(conn: Connection, dates: dict) -> None:
    """The trajecten columns only iJw fills (verzoekdatum, toewijzingsdatum, ingangsdatum)."""
    if not dates:
        return
    t = Traject.__table__
    conn.execute(t.update().where(t.c.traject_id == bindparam("b_traject"))
                 .values(verzoekdatum=bindparam("b_verzoek"), toewijzingsdatum=bindparam("b_toewijzing"),
                         ingangsdatum=bindparam("b_ingang")),
                 [{"b_traject": tid, "b_verzoek": v, "b_toewijzing": w, "b_ingang": i}
                  for tid, (v, w, i) in sorted(dates.items())])


def _schemas(folder: Path) -> SchemaSet:
    try:
        return SchemaSet(folder)
    except SchemaProblem as exc:
        raise LoadError([Problem(str(folder), 0, "xsd", str(exc))]) from None


def _stop_on(problems: list) -> None:
    if problems:
        raise LoadError(problems[:MAX_KEPT], len(problems))


def _postcode_table(path: Path, problems: list) -> PostcodeTable:
    if not path.is_file():
        problems.append(Problem(str(path), 0, "bestand", "de postcodetabel bestaat niet of is geen bestand"))
        return PostcodeTable(path.name)
    return read_postcodes(path, lambda line, column, message: problems.append(
        Problem(path.name, line, column, message)))


def _products(path: Path, problems: list) -> list[dict]:
    if not path.is_file():
        problems.append(Problem(str(path), 0, "bestand", "de producttabel bestaat niet of is geen bestand"))
        return []
    return read_products(path, lambda line, column, message: problems.append(
        Problem(path.name, line, column, message)))


def _check_wijken(conn: Connection, table: PostcodeTable, problems: list) -> None:
    known = set(conn.execute(select(Wijk.wijk_code)).scalars())
    for wijk, line in sorted(table.line_of.items(), key=lambda item: item[1]):
        if wijk not in known:
            problems.append(Problem(table.file, line, "wijk_code",
                                    f"{wijk!r} komt niet voor als wijk_code in het warehouse "
                                    "(laad eerst wijken.csv met python -m data load)"))


def _located(error: LoadError, derived: dict[str, DerivedFile]) -> LoadError:
    """The CSV checks' problems, at the message line each derived row came from."""
    by_file = {f"{name}.csv": file for name, file in derived.items()}
    located = []
    for problem in error.problems:
        source = by_file.get(getattr(problem, "file", None))
        place = source.location(problem.line) if source is not None else None
        if place is None:
            located.append(problem if source is None else
                           IjwProblem(f"iJw-berichten ({source.name})", "/", f"{problem.column}: {problem.message}"))
        else:
            located.append(IjwProblem(place[0], place[1], f"{problem.column}: {problem.message}"))
    return LoadError(located, error.total)
