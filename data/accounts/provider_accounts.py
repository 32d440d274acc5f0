"""Accounts of the gemeente's OpenID Connect provider (Entra ID or another): made or updated at
each login through the provider (dashboard/server/oidc_login.py).

- An account is found by the provider's issuer and the user's `sub` there, never by an e-mail
  address or a name: those can change, or pass to someone else.
- The role comes from the provider's app roles at every login, so a role changed there takes
  effect at the next login here (audited in `wijziging`, as a change on the command line is).
  The maatregelen a trekker edits stay here (`python -m data users assign`), kept through role
  changes as for a local account.
- The name shown is updated at every login; the gebruikersnaam (the audit trail's "door", the
  name for the command line) is chosen once, at the first login, from the provider's
  preferred_username, and stays.
- Such an account has no password: local login refuses it (users.authenticate). Deactivating it
  (`python -m data users deactivate`) refuses its next login through the provider too.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data.accounts.email_address import InvalidAddress, normalise
from data.accounts.schema import PROVIDER_ACCOUNT_HASH, ROLLEN, Gebruiker
from data.accounts.users import User, UserError, load_user
from data.programme.schema import Wijziging

DOOR = "inlogdienst (OpenID Connect)"  # who changed a role, in the audit trail
MAX_ISSUER, MAX_SUB, MAX_NAAM = 300, 255, 200


class AccountBlocked(UserError):
    """The provider's user has an account here, but it was deactivated."""


@dataclass(frozen=True)
class ProviderIdentity:
    """Who the provider says logged in: its issuer, the user's `sub`, and the names it gave."""
    issuer: str
    sub: str
    naam: str | None = None
    preferred_username: str | None = None
    #: the `email` claim: the digest's address of an account that has none yet
    email: str | None = None


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def display_name(identity: ProviderIdentity) -> str:
    """The name shown in the menu and the history: `name`, else `preferred_username`, else the
    `sub`; without control characters, at most 200 characters."""
    for candidate in (identity.naam, identity.preferred_username, identity.sub):
        text = "".join(ch for ch in (candidate or "") if unicodedata.category(ch)[0] != "C")
        text = " ".join(text.split())[:MAX_NAAM]
        if text:
            return text
    return "onbekend"


def username_base(identity: ProviderIdentity) -> str:
    """A gebruikersnaam in the local accounts' pattern (users.NAAM_PATROON) from the provider's
    preferred_username: the part before an @, lowercase, other characters as '-'; 'sso' if
    nothing usable is left."""
    raw = (identity.preferred_username or identity.naam or "").split("@", 1)[0]
    ascii_text = unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode("ascii").lower()
    cleaned = re.sub(r"[^a-z0-9._-]+", "-", ascii_text).strip("._-")[:56]
    return cleaned if len(cleaned) >= 2 else "sso"


def _free_username(session: Session, base: str) -> str:
    """`base`, or `base-2`, `base-3`, …: a name no account (local or provider) has."""
    taken = set(session.scalars(select(Gebruiker.gebruikersnaam).where(Gebruiker.gebruikersnaam.like(f"{base}%"))))
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def check_identity(identity: ProviderIdentity) -> None:
    if not isinstance(identity.issuer, str) or not 0 < len(identity.issuer) <= MAX_ISSUER:
        raise UserError("de inlogdienst gaf een ongeldige uitgever (issuer)")
    if not isinstance(identity.sub, str) or not 0 < len(identity.sub) <= MAX_SUB:
        raise UserError("de inlogdienst gaf geen geldige gebruikerscode (sub)")


def sign_in(engine: Engine, identity: ProviderIdentity, rol: str) -> User:
    """The account of this provider user, made at the first login, with the role and name of
    this login. Raises AccountBlocked for a deactivated account."""
    check_identity(identity)
    if rol not in ROLLEN:
        raise UserError(f"rol {rol!r} bestaat niet")
    try:
        return _sign_in(engine, identity, rol)
    except IntegrityError:
        # the same user's first login in two requests at once: the other made the account
        return _sign_in(engine, identity, rol)


def _sign_in(engine: Engine, identity: ProviderIdentity, rol: str) -> User:
    naam = display_name(identity)
    with Session(engine) as session, session.begin():
        row = session.scalar(select(Gebruiker).where(Gebruiker.oidc_issuer == identity.issuer,
                                                     Gebruiker.oidc_sub == identity.sub))
        if row is None:
            row = Gebruiker(gebruikersnaam=_free_username(session, username_base(identity)), naam=naam, rol=rol,
                            wachtwoord_hash=PROVIDER_ACCOUNT_HASH, actief=True, aangemaakt_op=_now(),
                            oidc_issuer=identity.issuer, oidc_sub=identity.sub,
                            emailadres=_usable_address(identity.email))
            session.add(row)
            _audit(session, row.gebruikersnaam, None, rol)
        elif not row.actief:
            raise AccountBlocked("Dit account is geblokkeerd in de Jeugdmonitor. Vraag de programmamanager "
                                 "om het weer toe te laten.")
        else:
            if row.rol != rol:
                _audit(session, row.gebruikersnaam, row.rol, rol)
                row.rol = rol
            row.naam = naam
        if row.emailadres is None:
            row.emailadres = _usable_address(identity.email)
        session.flush()
        user_id = row.id
    return load_user(engine, user_id)


def _usable_address(claim: str | None) -> str | None:
    """The provider's address as stored, or None for none or one that is not an address: the account
    still logs in (an address set with `python -m data users email` is never replaced)."""
    try:
        return normalise(claim) if claim else None
    except InvalidAddress:
        return None


def _audit(session: Session, gebruikersnaam: str, oud: str | None, nieuw: str) -> None:
    session.add(Wijziging(tabel="gebruiker", sleutel=gebruikersnaam, veld="rol", oude_waarde=oud,
                          nieuwe_waarde=nieuw, door=DOOR, op=_now(), reden="app-rol bij aanmelding"))


def provider_usernames(engine: Engine) -> frozenset[str]:
    """The gebruikersnamen of the provider's accounts (for `python -m data users list`)."""
    with engine.connect() as conn:
        return frozenset(conn.scalars(select(Gebruiker.gebruikersnaam).where(Gebruiker.oidc_sub.is_not(None))))
