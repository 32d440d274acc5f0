"""The key that signs the session cookie: one key for every worker.

SECRET_KEY from the environment when given (production requires it; app.py checks). Without it,
outside production, a key is generated once and kept in a file beside the embedded SQLite
database (`instance/secret_key`, or SECRET_KEY_FILE), mode 0600. gunicorn starts its workers at
the same moment and each builds the app: the file is written under a temporary name and hard-linked
into place, which fails for all but the first, so every worker reads the same key. (A random key
per worker sent two of three requests of a logged-in user back to the login page.)
"""
from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from data.cli_errors import os_reason

FILE_NAME = "secret_key"
MIN_LENGTH = 32


class SecretKeyError(RuntimeError):
    """The key file cannot be used; the message (Dutch) says what to do."""


def default_path() -> Path:
    """Beside the embedded default database (read at call time, so a moved default moves it too)."""
    from data import db

    return db.DEFAULT_SQLITE_PATH.parent / FILE_NAME


def shared_key(path: Path | str | None = None) -> str:
    """The key kept in `path` (default: instance/secret_key), made first if there is none."""
    path = Path(path) if path else default_path()
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    try:
        _make(path)
    except OSError as exc:  # no such folder, read-only, not ours, a disk that is full
        raise SecretKeyError(f"kan geen sleutel bewaren in {path} ({os_reason(exc)}); "
                             "zet SECRET_KEY in de omgeving of SECRET_KEY_FILE op een schrijfbare plek") from None
    return _read(path)


def _make(path: Path) -> None:
    """Write a new key to `path` unless another process was first (then its key stands)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as out:
            os.fchmod(out.fileno(), 0o600)  # whatever the umask
            out.write(secrets.token_urlsafe(48) + "\n")
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(tmp, path)  # atomic; refuses when another worker was first
        except FileExistsError:
            pass
    finally:
        tmp.unlink(missing_ok=True)


def _read(path: Path) -> str:
    """The key in `path`; FileNotFoundError when there is none yet."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise
    except OSError as exc:  # a part of the path is a file, or a folder we may not enter
        raise SecretKeyError(f"kan {path} niet gebruiken ({os_reason(exc)}); zet SECRET_KEY_FILE op een "
                             "bestand in een map die de app mag lezen") from None
    if stat.S_ISDIR(info.st_mode):
        raise SecretKeyError(f"{path} is een map: geef in SECRET_KEY_FILE de naam van een bestand")
    mode = stat.S_IMODE(info.st_mode)
    if mode & 0o077:
        raise SecretKeyError(f"{path} is leesbaar voor anderen (rechten {mode:o}): zet de rechten op 600 "
                             f"(chmod 600 {path}), of verwijder het bestand zodat een nieuwe sleutel "
                             "wordt gemaakt")
    try:
        key = path.read_text(encoding="ascii").strip()
    except OSError as exc:
        raise SecretKeyError(f"kan {path} niet lezen ({os_reason(exc)}); zet SECRET_KEY in de omgeving") from None
    except UnicodeDecodeError:
        key = ""  # not a key this app wrote
    if len(key) < MIN_LENGTH:
        raise SecretKeyError(f"{path} bevat geen bruikbare sleutel; verwijder het bestand zodat een "
                             "nieuwe wordt gemaakt")
    return key
