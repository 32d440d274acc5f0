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
        except OSError as exc:
            raise SecretKeyError(f"kan geen sleutel bewaren in {path} ({os_reason(exc)}); "
                                 "zet SECRET_KEY in de omgeving") from None
    finally:
        tmp.unlink(missing_ok=True)
    return _read(path)


def _read(path: Path) -> str:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise SecretKeyError(f"{path} is leesbaar voor anderen (rechten {mode:o}): zet de rechten op 600 "
                             f"(chmod 600 {path}), of verwijder het bestand zodat een nieuwe sleutel "
                             "wordt gemaakt")
    key = path.read_text(encoding="ascii").strip()
    if len(key) < MIN_LENGTH:
        raise SecretKeyError(f"{path} bevat geen bruikbare sleutel; verwijder het bestand zodat een "
                             "nieuwe wordt gemaakt")
    return key
