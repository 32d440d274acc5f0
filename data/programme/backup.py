"""Back-up and restore of the programme tables: targets, realisaties, statuses and the audit trail.

The warehouse facts can always be reloaded from the files a municipality delivered; what people
typed into the dashboard cannot, so that is what a back-up holds:

    python -m data backup FILE.json      # write (mode 0600: it holds the password hashes)
    python -m data restore FILE.json     # replace the programme tables with the file's content

A restore checks the file first and runs in one transaction: on any problem nothing changes.
Every value must be of its column's kind (`_value`): a whole number within 64 bits, a finite
number, text (no longer than its column, no NUL, valid Unicode), true/false, an ISO date or time;
only a JSON column takes any JSON. SQLite itself would store text in a number column, and its
driver refuses a list or a too large number with an English error of its own.
"""
from __future__ import annotations

import datetime as dt
import errno
import json
import math
import os
from pathlib import Path

from sqlalchemy import JSON, Boolean, Date, DateTime, Engine, Float, Integer, String, select, text
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, StatementError

from data.cli_errors import os_reason
from data.db import current_revision
from data.programme.stand_store import checksum
from data.schema import Base

FORMAT = "jeugdmonitor-programma-backup"
VERSION = 4
# Parents before children. Version 1 (before accounts and the reporting cycle) had only the first
# eight, version 2 not the plan's own row (`programma`: name, gemeente, years); such a file still
# restores, with the later tables empty (the plan then reads as the default programme file's).
# Version 4 holds each stand's checksum (`controlegetal`): a stand whose content does not match it
# is refused; a stand from an older file gets the checksum of its content.
# Login attempts are not kept.
V1_TABLES = ("strategische_lijn", "doelstelling", "maatregel", "indicator",
             "indicator_doelstelling", "streefwaarde", "realisatie", "wijziging")
V2_TABLES = V1_TABLES + ("gebruiker", "gebruiker_maatregel", "maatregel_voortgang",
                         "rapportageperiode", "annotatie", "stand", "presentatie_dia")
PROGRAMME_TABLES = ("programma",) + V2_TABLES


class BackupError(ValueError):
    """A back-up file that cannot be restored; nothing was changed."""


def _tables():
    return [Base.metadata.tables[name] for name in PROGRAMME_TABLES]


def _to_json(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def backup_programme(engine: Engine, path: Path | str) -> dict[str, int]:
    content = {}
    with engine.connect() as conn:
        for table in _tables():
            order = list(table.primary_key.columns)
            rows = conn.execute(select(table).order_by(*order)).mappings().all()
            content[table.name] = [{k: _to_json(v) for k, v in row.items()} for row in rows]
    document = {"formaat": FORMAT, "versie": VERSION, "schema": current_revision(engine),
                "gemaakt_op": dt.datetime.now().isoformat(timespec="seconds"), "tabellen": content}
    write_private(Path(path), json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8"))
    return {name: len(rows) for name, rows in content.items()}


def write_private(path: Path, data: bytes) -> None:
    """Write `data` to `path` readable by the owner only (mode 0600): a back-up holds the accounts'
    password hashes. Written to a new file made 0600 from the start and renamed over `path`, so an
    existing file with wider rights is replaced, not reused, and no reader ever sees half a file."""
    if path.is_dir():  # the new file would be made beside the folder and could not replace it
        raise IsADirectoryError(errno.EISDIR, "is a directory", str(path))
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            os.fchmod(out.fileno(), 0o600)  # whatever the umask
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


_MAX_INTEGER = 2 ** 63 - 1  # BIGINT; SQLite's integers are 64 bits as well


def _value(kind, value):
    """`value` as column type `kind` stores it, or ValueError when it is not of that kind."""
    if isinstance(kind, JSON):
        return value
    if isinstance(kind, DateTime):
        moment = dt.datetime.fromisoformat(value)  # TypeError for anything but text
        # the tables keep the server's local time without an offset: a moment given with one (a
        # back-up edited by hand or made elsewhere) is that moment in local time, on both backends
        # (SQLite would drop the offset, PostgreSQL convert it in the session's time zone)
        return moment if moment.tzinfo is None else moment.astimezone().replace(tzinfo=None)
    if isinstance(kind, Date):
        return dt.date.fromisoformat(value)
    if isinstance(kind, Boolean):
        if isinstance(value, bool):
            return value
        if type(value) is int and value in (0, 1):
            return bool(value)
        raise ValueError
    if isinstance(kind, Integer):  # bool is an int to Python, not to the file
        if type(value) is int and -_MAX_INTEGER - 1 <= value <= _MAX_INTEGER:
            return value
        raise ValueError
    if isinstance(kind, Float):
        if type(value) in (int, float) and math.isfinite(float(value)):  # float(10 ** 400): OverflowError
            return value
        raise ValueError
    if isinstance(kind, String):  # also Text (no length)
        if not isinstance(value, str) or "\x00" in value:
            raise ValueError
        value.encode("utf-8")  # a lone surrogate (\ud800 in the JSON): UnicodeEncodeError, a ValueError
        if kind.length is not None and len(value) > kind.length:
            raise ValueError
        return value
    return value


def _required(column) -> bool:
    """A column every row must give: not nullable, no default, and not a generated id. (An older
    back-up lacks the columns added since; those are nullable or have a default.)"""
    if column.nullable or column.default is not None or column.server_default is not None:
        return False
    return not (column.primary_key and column.autoincrement in (True, "auto")
                and len(column.table.primary_key.columns) == 1)


def _shown_value(value) -> str:
    if isinstance(value, int) and abs(value) >= 10 ** 40:  # repr() refuses more than 4300 digits
        return "(een getal van meer dan 40 cijfers)"
    text = repr(value)
    return text if len(text) <= 60 else text[:60] + "…"


def _from_json(table, row: dict, where: str) -> dict:
    if not isinstance(row, dict):
        raise BackupError(f"{where}: een rij moet een object met kolommen zijn")
    out = {}
    columns = {c.name: c for c in table.columns}
    unknown = set(row) - set(columns)
    if unknown:
        raise BackupError(f"{where}: onbekende kolom(men) {', '.join(sorted(unknown))}")
    missing = [c.name for c in table.columns if c.name not in row and _required(c)]
    if missing:  # SQLAlchemy would warn in English about a key column without a value
        raise BackupError(f"{where}: kolom(men) {', '.join(missing)} ontbreken")
    for name, value in row.items():
        kind = columns[name].type
        try:
            out[name] = None if value is None else _value(kind, value)
        except (TypeError, ValueError, OverflowError):
            raise BackupError(f"{where}: kolom {name}: ongeldige waarde {_shown_value(value)}") from None
    return out


def _check_stand(row: dict, version: int, where: str) -> None:
    """A stand's content is an object and, from version 4 on, the one its checksum was taken of."""
    if not isinstance(row.get("inhoud"), dict):
        raise BackupError(f"{where}: kolom inhoud: de inhoud van een stand moet een object zijn")
    if version < 4:
        row["controlegetal"] = checksum(row["inhoud"])
    elif row.get("controlegetal") != checksum(row["inhoud"]):
        raise BackupError(f"{where}: de inhoud klopt niet met het controlegetal van de stand (beschadigd of "
                          "met de hand gewijzigd); niets hersteld")


def read_backup(path: Path | str) -> dict:
    """The checked document of a back-up file, or BackupError with a Dutch message (never the
    decoder's or the system's English). A byte-order mark is allowed: an editor may add one."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise BackupError(f"{path}: bestand niet gevonden") from None
    except OSError as exc:
        raise BackupError(f"{path}: het bestand is niet te lezen ({os_reason(exc)})") from None
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise BackupError(f"{path}: geen leesbare back-up (geen UTF-8-tekst)") from None
    except json.JSONDecodeError as exc:
        raise BackupError(f"{path}: geen leesbare back-up (geen geldige JSON op regel {exc.lineno}, "
                          f"kolom {exc.colno}; afgebroken of met de hand gewijzigd?)") from None
    except RecursionError:
        raise BackupError(f"{path}: geen leesbare back-up (de JSON is te diep genest)") from None
    except ValueError:  # Python reads no integer of more than 4300 digits (int_max_str_digits)
        raise BackupError(f"{path}: geen leesbare back-up (een te lang getal)") from None
    if not isinstance(document, dict) or document.get("formaat") != FORMAT:
        raise BackupError(f"{path}: dit is geen back-up van de Jeugdmonitor")
    expected = {1: V1_TABLES, 2: V2_TABLES, 3: PROGRAMME_TABLES, VERSION: PROGRAMME_TABLES}.get(document.get("versie"))
    if expected is None:
        raise BackupError(f"{path}: back-upversie {document.get('versie')!r} wordt niet ondersteund")
    tables = document.get("tabellen")
    if not isinstance(tables, dict) or set(tables) != set(expected):
        raise BackupError(f"{path}: de back-up moet precies de tabellen {', '.join(expected)} bevatten")
    for name in PROGRAMME_TABLES:
        tables.setdefault(name, [])
    return document


def restore_programme(engine: Engine, path: Path | str) -> dict[str, int]:
    document = read_backup(path)
    prepared = {}
    for table in _tables():
        rows = document["tabellen"][table.name]
        if not isinstance(rows, list):
            raise BackupError(f"{path}: {table.name}: een lijst van rijen verwacht")
        prepared[table.name] = [_from_json(table, row, f"{path}: {table.name} rij {i + 1}")
                                for i, row in enumerate(rows)]
    for i, row in enumerate(prepared["stand"]):
        _check_stand(row, document["versie"], f"{path}: stand rij {i + 1}")
    try:
        with engine.begin() as conn:
            for table in reversed(_tables()):
                conn.execute(table.delete())
            for table in _tables():
                if prepared[table.name]:
                    conn.execute(table.insert(), prepared[table.name])
            if conn.dialect.name == "postgresql":  # ids were inserted explicitly: move the sequences on
                for table in _tables():
                    if "id" in table.c:
                        conn.execute(text(
                            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                            f"COALESCE((SELECT MAX(id) FROM {table.name}), 1), "
                            f"(SELECT MAX(id) FROM {table.name}) IS NOT NULL)"))
    except (IntegrityError, DataError, StatementError) as exc:  # the file does not hang together
        if isinstance(exc, DBAPIError) and not isinstance(exc, (IntegrityError, DataError)):
            raise  # the database, not the file (unreachable, a table missing): the command line says so, exit 1
        what = ("een sleutel of verwijzing klopt niet" if isinstance(exc, IntegrityError)
                else "een waarde past niet in haar kolom")
        raise BackupError(f"{path}: de back-up is niet consistent ({what}); niets hersteld") from None
    return {name: len(rows) for name, rows in prepared.items()}
