"""An e-mail address as the product accepts it: an account's (`python -m data users email`) and the
digest's sender (SMTP_AFZENDER).

Deliberately narrower than RFC 5321/5322: one `@`, a local part of letters, digits and
``!#$%&'*+/=?^_`{|}~-`` in dot-separated runs, and a domain name of at least two labels (letters,
digits, inner hyphens) ending in a top-level domain of letters. No quoted local parts, no comments,
no IP literals, no spaces and no non-ASCII characters: nothing a gemeente's mail server needs, and
each of them has been used to slip a second recipient or a header into a message. The domain is
compared case-insensitively, so it is stored in lower case.
"""
from __future__ import annotations

import re

MAX_LENGTH = 254  # RFC 5321's limit on a path, less the angle brackets
_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_LABEL = re.compile(r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
_TOP = re.compile(r"[A-Za-z]{2,63}")


class InvalidAddress(ValueError):
    """Not an address the product accepts; the message (Dutch) says why."""


def normalise(raw: str) -> str:
    """The address with its domain in lower case; InvalidAddress when it is not one."""
    text = str(raw).strip()
    shown = text if len(text) <= 60 else text[:60] + "…"
    if not text:
        raise InvalidAddress("een e-mailadres mag niet leeg zijn")
    if len(text) > MAX_LENGTH:
        raise InvalidAddress(f"e-mailadres {shown!r}: langer dan {MAX_LENGTH} tekens")
    if not text.isascii() or not text.isprintable():
        raise InvalidAddress(f"e-mailadres {shown!r}: alleen gewone letters, cijfers en leestekens, "
                             "zonder spaties of letters met accenten")
    local, at, domain = text.rpartition("@")
    if not at or "@" in local:
        raise InvalidAddress(f"e-mailadres {shown!r}: een e-mailadres heeft precies één '@'")
    if not local or len(local) > 64 or not _LOCAL.fullmatch(local):
        raise InvalidAddress(f"e-mailadres {shown!r}: het deel vóór de '@' is ongeldig")
    labels = domain.split(".")
    if len(labels) < 2 or not all(_LABEL.fullmatch(label) for label in labels) or not _TOP.fullmatch(labels[-1]):
        raise InvalidAddress(f"e-mailadres {shown!r}: het domein na de '@' is ongeldig (bijvoorbeeld huizen.nl)")
    return f"{local}@{domain.lower()}"
