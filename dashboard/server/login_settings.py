"""How people log in, from the settings: local accounts (name and password) and/or the gemeente's
OpenID Connect provider (Entra ID or another). Pure: read and checked once at start by
app.create_app, which refuses to start on a LoginSettingError (one Dutch line).

    OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET   all three, or none (no single sign-on)
    OIDC_ROL_CLAIM             the claim with the app roles (default "roles", as Entra ID names it)
    OIDC_ROL_PROGRAMMAMANAGER  the app role's value per role (default jeugdmonitor.programmamanager,
    OIDC_ROL_TREKKER           jeugdmonitor.trekker, jeugdmonitor.lezer)
    OIDC_ROL_LEZER
    OIDC_REDIRECT_URI          the callback's full address, when the request's own cannot be trusted
                               (else derived from the request; behind a proxy with BEHIND_PROXY=1)
    OIDC_NAAM                  the button reads "Inloggen met <OIDC_NAAM>" (default gemeente-account)
    LOKALE_ACCOUNTS            aan (default) or uit: uit leaves only the provider's login
"""
from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from dashboard.server.switches import SettingValueError, switch

ROLE_SETTINGS = (("programmamanager", "OIDC_ROL_PROGRAMMAMANAGER"), ("trekker", "OIDC_ROL_TREKKER"),
                 ("lezer", "OIDC_ROL_LEZER"))  # highest first: several app roles give the highest
REQUIRED = ("OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET")
SETTING_NAMES = (*REQUIRED, "OIDC_ROL_CLAIM", *(name for _, name in ROLE_SETTINGS), "OIDC_REDIRECT_URI",
                 "OIDC_NAAM", "LOKALE_ACCOUNTS")
CALLBACK_PATH = "/inloggen/oidc/terug"  # the redirect URI's path, registered at the provider
DEFAULT_CLAIM = "roles"
DEFAULT_LABEL = "gemeente-account"
MAX_URL = 300  # gebruiker.oidc_issuer's length
TOKEN = re.compile(r"[A-Za-z0-9_.:/~-]{1,120}")  # a claim name or an app role's value: no spaces, no commas


class LoginSettingError(ValueError):
    """A login setting the app refuses to start with; the message (Dutch) names it."""


@dataclass(frozen=True)
class OidcSettings:
    issuer: str
    client_id: str
    client_secret: str = field(repr=False)
    role_claim: str = DEFAULT_CLAIM
    #: (role, the provider's app role value), highest role first
    app_roles: tuple[tuple[str, str], ...] = tuple((rol, f"jeugdmonitor.{rol}") for rol, _ in ROLE_SETTINGS)
    redirect_uri: str | None = None
    label: str = DEFAULT_LABEL

    @property
    def discovery_url(self) -> str:
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"

    @property
    def issuer_origin(self) -> str:
        return origin(self.issuer)


@dataclass(frozen=True)
class LoginSettings:
    local_accounts: bool = True
    oidc: OidcSettings | None = None


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _value(settings: dict, name: str) -> str:
    value = settings.get(name)
    return value.strip() if isinstance(value, str) else ""


def loopback(host: str | None) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host or "").is_loopback
    except ValueError:
        return False


def check_url(name: str, value: str, example: str) -> str:
    """An absolute https URL (http only on this machine: 127.0.0.1, localhost), without a query,
    a fragment or a password in it."""
    problem = f"{name}={value[:80]!r}: geef een volledige https-URL, bijvoorbeeld {example}"
    if len(value) > MAX_URL or any(ch.isspace() for ch in value):
        raise LoginSettingError(problem)
    try:
        parts = urlsplit(value)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a port that is no number
    except ValueError:
        raise LoginSettingError(problem) from None
    if not host or parts.query or parts.fragment or parts.username or parts.password:
        raise LoginSettingError(problem)
    if parts.scheme != "https" and not (parts.scheme == "http" and loopback(host)):
        raise LoginSettingError(problem + " (http alleen voor een inlogdienst op deze machine)")
    return value


def _switch(settings: dict) -> bool:
    try:
        return switch("LOKALE_ACCOUNTS", _value(settings, "LOKALE_ACCOUNTS"), default=True)
    except SettingValueError:
        raise LoginSettingError(f"LOKALE_ACCOUNTS={settings.get('LOKALE_ACCOUNTS')[:40]!r}: geef aan of uit") from None


def _token(settings: dict, name: str, default: str) -> str:
    value = _value(settings, name) or default
    if not TOKEN.fullmatch(value):
        raise LoginSettingError(f"{name}={value[:80]!r}: 1 tot 120 tekens zonder spaties of komma's "
                                "(letters, cijfers en . _ - : / ~)")
    return value


def _oidc(settings: dict) -> OidcSettings | None:
    given = [name for name in REQUIRED if _value(settings, name)]
    if not given:
        extra = [name for name in SETTING_NAMES if name != "LOKALE_ACCOUNTS" and _value(settings, name)]
        if extra:
            raise LoginSettingError(f"{', '.join(extra)} is gezet, maar OpenID Connect staat uit: geef ook "
                                    "OIDC_ISSUER, OIDC_CLIENT_ID en OIDC_CLIENT_SECRET")
        return None
    missing = [name for name in REQUIRED if name not in given]
    if missing:
        raise LoginSettingError(f"OpenID Connect is half ingesteld: {' en '.join(missing)} {'ontbreekt' if len(missing) == 1 else 'ontbreken'} "
                                "(geef OIDC_ISSUER, OIDC_CLIENT_ID en OIDC_CLIENT_SECRET alle drie)")
    issuer = check_url("OIDC_ISSUER", _value(settings, "OIDC_ISSUER"),
                       "https://login.microsoftonline.com/<tenant-id>/v2.0")
    client_id = _value(settings, "OIDC_CLIENT_ID")
    if len(client_id) > 255 or any(ch.isspace() or not ch.isprintable() for ch in client_id):
        raise LoginSettingError(f"OIDC_CLIENT_ID={client_id[:80]!r}: geef de client-ID (applicatie-ID) van de "
                                "registratie bij de inlogdienst, zonder spaties")
    secret = _value(settings, "OIDC_CLIENT_SECRET")
    if len(secret) > 1000 or not secret.isprintable():
        raise LoginSettingError("OIDC_CLIENT_SECRET: geef het clientgeheim van de registratie (één regel)")
    app_roles = tuple((rol, _token(settings, name, f"jeugdmonitor.{rol}")) for rol, name in ROLE_SETTINGS)
    values = [value for _, value in app_roles]
    if len(set(values)) < len(values):
        raise LoginSettingError("OIDC_ROL_PROGRAMMAMANAGER, OIDC_ROL_TREKKER en OIDC_ROL_LEZER moeten drie "
                                f"verschillende app-rollen zijn, niet {', '.join(values)}")
    redirect_uri = _value(settings, "OIDC_REDIRECT_URI") or None
    if redirect_uri is not None:
        example = f"https://jeugdmonitor.gemeente.nl{CALLBACK_PATH}"
        if urlsplit(check_url("OIDC_REDIRECT_URI", redirect_uri, example)).path != CALLBACK_PATH:
            raise LoginSettingError(f"OIDC_REDIRECT_URI={redirect_uri[:80]!r}: het pad moet {CALLBACK_PATH} "
                                    f"zijn, bijvoorbeeld {example}")
    label = " ".join((_value(settings, "OIDC_NAAM") or DEFAULT_LABEL).split())
    if len(label) > 60 or not label.isprintable():
        raise LoginSettingError(f"OIDC_NAAM={label[:80]!r}: een korte naam van hooguit 60 tekens, bijvoorbeeld "
                                "'Huizen-account'")
    return OidcSettings(issuer=issuer, client_id=client_id, client_secret=secret,
                        role_claim=_token(settings, "OIDC_ROL_CLAIM", DEFAULT_CLAIM), app_roles=app_roles,
                        redirect_uri=redirect_uri, label=label)


def login_settings(settings: dict) -> LoginSettings:
    """The login settings of `settings` (app.settings_from_env's dict); LoginSettingError for an
    incomplete or invalid combination."""
    oidc = _oidc(settings)
    local = _switch(settings)
    if not local and oidc is None:
        raise LoginSettingError("LOKALE_ACCOUNTS=uit zonder OpenID Connect: dan kan niemand inloggen; geef "
                                "OIDC_ISSUER, OIDC_CLIENT_ID en OIDC_CLIENT_SECRET, of zet LOKALE_ACCOUNTS=aan")
    return LoginSettings(local_accounts=local, oidc=oidc)
