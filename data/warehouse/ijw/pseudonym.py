"""The jeugdige's pseudonym: a keyed hash (HMAC-SHA-256) of the BSN with the gemeente's secret.

The secret (`PSEUDONIEM_SLEUTEL`) is held by the gemeente and never stored in the database: with
it the same BSN gives the same pseudonym in every load, without it a pseudonym cannot be traced
back by hashing all nine-digit numbers (there are only a billion). The BSN itself goes no further
than the function below.
"""
from __future__ import annotations

import hashlib
import hmac
import os

ENV_KEY = "PSEUDONIEM_SLEUTEL"
MIN_KEY_LENGTH = 32  # characters; `python -c "import secrets; print(secrets.token_hex(32))"` gives 64


class KeyProblem(ValueError):
    """The secret is missing or too short; the message is Dutch and names the setting."""


def key_from_environment(environ=os.environ) -> bytes:
    raw = environ.get(ENV_KEY, "")
    if not raw.strip():
        raise KeyProblem(
            f"{ENV_KEY} is niet ingesteld: de sleutel waarmee het BSN tot een pseudoniem wordt "
            "versleuteld is verplicht (bewaar hem buiten de database; maak er een met "
            "python -c \"import secrets; print(secrets.token_hex(32))\")")
    if len(raw.strip()) < MIN_KEY_LENGTH:
        raise KeyProblem(f"{ENV_KEY} is te kort: gebruik minstens {MIN_KEY_LENGTH} tekens")
    return raw.strip().encode("utf-8")


def pseudonym(key: bytes, bsn: str) -> str:
    """64 hexadecimal characters; the same for the same key and BSN."""
    return hmac.new(key, bsn.encode("ascii"), hashlib.sha256).hexdigest()


def valid_bsn(bsn: str) -> bool:
    """Nine digits passing the BSN elfproef (iJw LDT_BurgerServicenummer)."""
    if len(bsn) != 9 or not bsn.isascii() or not bsn.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(bsn[:8], range(9, 1, -1), strict=True)) - int(bsn[8])
    return total % 11 == 0 and bsn != "000000000"
