"""The known-device cookie: which names logged in successfully from this browser before.

It lets a colleague past the login limit of a shared address (data/accounts/login_limit.py): when a
stranger's failures have blocked the town hall's address, a browser that has this cookie for the
name being typed still gets its password checked (the name's own limit still applies). Signed with
the app's secret key, so it cannot be made up; it names at most MAX_NAMES accounts (a shared
laptop), lives LIFETIME, and is sent only to the login page.
"""
from __future__ import annotations

import datetime as dt

from flask import Response, current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE = "jm_apparaat"
LIFETIME = dt.timedelta(days=180)
MAX_NAMES = 5
_SALT = "jeugdmonitor-bekend-apparaat"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=_SALT)


def names(cookie: str | None) -> list[str]:
    """The names this browser logged in as (newest first); none for a missing, forged or old cookie."""
    if not cookie:
        return []
    try:
        value = _serializer().loads(cookie, max_age=int(LIFETIME.total_seconds()))
    except BadSignature:  # also an expired one (SignatureExpired is a BadSignature)
        return []
    return [n for n in value if isinstance(n, str)] if isinstance(value, list) else []


def remember(response: Response, cookie: str | None, name: str) -> None:
    """After a successful login: this browser is a known device for `name` (from now on)."""
    known = [name] + [n for n in names(cookie) if n != name]
    response.set_cookie(COOKIE, _serializer().dumps(known[:MAX_NAMES]), max_age=int(LIFETIME.total_seconds()),
                        path="/inloggen", httponly=True, samesite="Strict",
                        secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
