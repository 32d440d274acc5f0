"""Accounts: create, change password, assign maatregelen, verify a login, rate-limit attempts.

Passwords are stored only as werkzeug's salted scrypt hash; a failed and a successful login take
about the same time (a dummy hash is checked for unknown names), so names cannot be probed by timing.
Login attempts are kept in the database and limited atomically (data/accounts/login_limit.py), so the
limit holds under concurrency and across gunicorn workers.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, delete, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from data.accounts import login_limit
from data.accounts.email_address import InvalidAddress, normalise
from data.accounts.schema import ROLLEN, Gebruiker, GebruikerMaatregel, Sessie
from data.programme.schema import Maatregel, Wijziging

NAAM_PATROON = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MIN_WACHTWOORD = 10
# At most this many failed attempts per name, or per address, in the window; then wait.
MAX_MISLUKT, MAX_MISLUKT_ADRES, VENSTER = login_limit.MAX_PER_NAAM, login_limit.MAX_PER_ADRES, login_limit.VENSTER


def _dummy_hash(conn) -> str:
    """Checked for an unknown name (or a provider account), so that the answer takes as long as
    for a real account: made with the parameters of the accounts' own hashes (a hash begins with
    them, "scrypt:32768:8:1$…"; the newest local account's), werkzeug's default when there is no
    local account yet or its parameters are not ones werkzeug makes."""
    stored = conn.scalar(select(Gebruiker.wachtwoord_hash).where(Gebruiker.oidc_sub.is_(None))
                         .order_by(Gebruiker.id.desc()).limit(1))
    method = stored.split("$", 1)[0] if isinstance(stored, str) and "$" in stored else None
    try:
        return _dummy_hash_made_with(method)
    except ValueError:  # werkzeug refused the parameters
        return _dummy_hash_made_with(None)


@functools.lru_cache(maxsize=8)
def _dummy_hash_made_with(method: str | None) -> str:
    """Made once per set of parameters, on first use (hashing is deliberately slow)."""
    if method is None:
        return generate_password_hash("niet-een-echt-wachtwoord")
    return generate_password_hash("niet-een-echt-wachtwoord", method=method)


class UserError(ValueError):
    """A request about accounts that cannot be carried out; the message (Dutch) says why."""


@dataclass(frozen=True)
class User:
    """Who is logged in: enough to decide what they may see and change."""
    id: int
    gebruikersnaam: str
    naam: str
    rol: str
    maatregelen: frozenset[str]


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def check_wachtwoord(wachtwoord: str) -> None:
    if len(wachtwoord) < MIN_WACHTWOORD:
        raise UserError(f"het wachtwoord moet minstens {MIN_WACHTWOORD} tekens lang zijn")


def _audit(session: Session, gebruikersnaam: str, veld: str, oud, nieuw, door: str) -> None:
    session.add(Wijziging(tabel="gebruiker", sleutel=gebruikersnaam, veld=veld,
                          oude_waarde=oud, nieuwe_waarde=nieuw, door=door, op=_now(), reden=None))


def _get(session: Session, gebruikersnaam: str) -> Gebruiker:
    row = session.scalar(select(Gebruiker).where(Gebruiker.gebruikersnaam == gebruikersnaam))
    if row is None:
        raise UserError(f"gebruiker {gebruikersnaam!r} bestaat niet")
    return row


def check_emailadres(adres: str) -> str:
    """The address as stored (its domain in lower case), or UserError saying what is wrong."""
    try:
        return normalise(adres)
    except InvalidAddress as exc:
        raise UserError(str(exc)) from None


def _local(row: Gebruiker, what: str) -> Gebruiker:
    """`row`, if it is a local account: a provider account's password and role belong to the
    gemeente's inlogdienst (data/accounts/provider_accounts.py)."""
    if row.oidc_sub is not None:
        raise UserError(f"{row.gebruikersnaam} logt in via de inlogdienst van de gemeente (OpenID Connect): "
                        f"{what}")
    return row


def check_new_account(gebruikersnaam: str, naam: str, rol: str, emailadres: str | None) -> tuple[str, str | None]:
    """A new account's name, role and address checked before anything else (the command line asks
    for the password only then); the name and address as stored."""
    if not NAAM_PATROON.fullmatch(gebruikersnaam or ""):  # fullmatch: "$" alone lets "anna\n" through
        raise UserError("gebruikersnaam: 2–64 tekens, kleine letters, cijfers, '.', '_' of '-'")
    if rol not in ROLLEN:
        raise UserError(f"rol {rol!r} bestaat niet; kies uit {', '.join(ROLLEN)}")
    naam = (naam or "").strip()
    if not naam or len(naam) > 200:
        raise UserError("naam: 1–200 tekens")
    return naam, None if emailadres is None else check_emailadres(emailadres)


def add_user(engine: Engine, gebruikersnaam: str, naam: str, rol: str, wachtwoord: str,
             door: str = "beheer (opdrachtregel)", maatregelen: list[str] | tuple[str, ...] = (),
             emailadres: str | None = None) -> None:
    """A new account; a trekker's maatregelen in the same transaction (all or nothing)."""
    naam, emailadres = check_new_account(gebruikersnaam, naam, rol, emailadres)
    check_wachtwoord(wachtwoord)
    with Session(engine) as session, session.begin():
        if session.scalar(select(Gebruiker.id).where(Gebruiker.gebruikersnaam == gebruikersnaam)):
            raise UserError(f"gebruiker {gebruikersnaam!r} bestaat al")
        user = Gebruiker(gebruikersnaam=gebruikersnaam, naam=naam, rol=rol, actief=True, emailadres=emailadres,
                         wachtwoord_hash=generate_password_hash(wachtwoord), aangemaakt_op=_now())
        session.add(user)
        _audit(session, gebruikersnaam, "rol", None, rol, door)
        if emailadres:
            _audit(session, gebruikersnaam, "emailadres", None, emailadres, door)
        if maatregelen:
            session.flush()
            _assign(session, user, list(maatregelen), False, door)


def _end_sessions(session: Session, user: Gebruiker) -> int:
    """Every login session of the account ends (data/accounts/sessions.py); how many there were."""
    return session.execute(delete(Sessie).where(Sessie.gebruiker_id == user.id)).rowcount


def set_password(engine: Engine, gebruikersnaam: str, wachtwoord: str,
                 door: str = "beheer (opdrachtregel)") -> int:
    """A new password; every session of the account ends (whoever knew the old password is
    logged out). Returns the number of sessions ended."""
    check_wachtwoord(wachtwoord)
    with Session(engine) as session, session.begin():
        row = _local(_get(session, gebruikersnaam), "het account heeft hier geen wachtwoord")
        row.wachtwoord_hash = generate_password_hash(wachtwoord)
        _audit(session, gebruikersnaam, "wachtwoord", None, "(gewijzigd)", door)
        return _end_sessions(session, row)


def set_role(engine: Engine, gebruikersnaam: str, rol: str, door: str = "beheer (opdrachtregel)") -> None:
    if rol not in ROLLEN:
        raise UserError(f"rol {rol!r} bestaat niet; kies uit {', '.join(ROLLEN)}")
    with Session(engine) as session, session.begin():
        row = _local(_get(session, gebruikersnaam), "de rol komt bij elke aanmelding uit de app-rollen "
                                                   "daar; wijzig de app-rol in de inlogdienst")
        if row.rol != rol:
            _audit(session, gebruikersnaam, "rol", row.rol, rol, door)
            row.rol = rol


def set_emailadres(engine: Engine, gebruikersnaam: str, emailadres: str | None,
                   door: str = "beheer (opdrachtregel)") -> str | None:
    """The account's e-mail address (None: none, the account gets no mail); returns it as stored."""
    emailadres = None if emailadres is None else check_emailadres(emailadres)
    with Session(engine) as session, session.begin():
        row = _get(session, gebruikersnaam)
        if row.emailadres != emailadres:
            _audit(session, gebruikersnaam, "emailadres", row.emailadres, emailadres, door)
            row.emailadres = emailadres
    return emailadres


def email_addresses(engine: Engine) -> dict[str, str]:
    """gebruikersnaam → e-mail address of every account that has one."""
    with engine.connect() as conn:
        return dict(conn.execute(select(Gebruiker.gebruikersnaam, Gebruiker.emailadres)
                                 .where(Gebruiker.emailadres.is_not(None))).all())


@dataclass(frozen=True)
class MailAccount:
    gebruikersnaam: str
    naam: str
    emailadres: str | None


def active_accounts_of_role(engine: Engine, rol: str) -> list[MailAccount]:
    """The active accounts of a role with their e-mail address (None: none), by name: who a
    mail to that role goes to, and who it cannot reach."""
    with engine.connect() as conn:
        rows = conn.execute(select(Gebruiker.gebruikersnaam, Gebruiker.naam, Gebruiker.emailadres)
                            .where(Gebruiker.actief.is_(True), Gebruiker.rol == rol)
                            .order_by(Gebruiker.naam, Gebruiker.gebruikersnaam)).all()
    return [MailAccount(*row) for row in rows]


def set_active(engine: Engine, gebruikersnaam: str, actief: bool,
               door: str = "beheer (opdrachtregel)") -> int:
    """(De)activate an account; deactivating ends every session of it (activating again opens
    none). Returns the number of sessions ended."""
    with Session(engine) as session, session.begin():
        row = _get(session, gebruikersnaam)
        if row.actief != actief:
            _audit(session, gebruikersnaam, "actief", str(row.actief).lower(), str(actief).lower(), door)
            row.actief = actief
        return 0 if actief else _end_sessions(session, row)


def assign(engine: Engine, gebruikersnaam: str, maatregel_codes: list[str], *, remove: bool = False,
           door: str = "beheer (opdrachtregel)") -> None:
    """Give (or take away) the right to edit these maatregelen."""
    with Session(engine) as session, session.begin():
        _assign(session, _get(session, gebruikersnaam), maatregel_codes, remove, door)


def _assign(session: Session, user: Gebruiker, maatregel_codes: list[str], remove: bool, door: str) -> None:
    if user.rol != "trekker" and not remove:
        raise UserError(f"{user.gebruikersnaam} is {user.rol}: alleen een trekker krijgt maatregelen toegewezen")
    codes = list(dict.fromkeys(maatregel_codes))  # a code named twice counts once
    ids = dict(session.execute(select(Maatregel.code, Maatregel.id).where(Maatregel.code.in_(codes))).all())
    unknown = [c for c in codes if c not in ids]
    if unknown:
        raise UserError("onbekende maatregel(en): " + ", ".join(unknown))
    have = set(session.scalars(select(GebruikerMaatregel.maatregel_id)
                               .where(GebruikerMaatregel.gebruiker_id == user.id)))
    for code in codes:
        if remove and ids[code] in have:
            session.execute(delete(GebruikerMaatregel).where(
                GebruikerMaatregel.gebruiker_id == user.id, GebruikerMaatregel.maatregel_id == ids[code]))
            _audit(session, user.gebruikersnaam, "maatregel", code, None, door)
        elif not remove and ids[code] not in have:
            session.add(GebruikerMaatregel(gebruiker_id=user.id, maatregel_id=ids[code]))
            _audit(session, user.gebruikersnaam, "maatregel", None, code, door)


def load_user(engine: Engine, user_id: int) -> User | None:
    """The active account with this id, with its maatregelen; None when gone or deactivated."""
    with engine.connect() as conn:
        return read_user(conn, user_id)


def read_user(conn: Connection, user_id: int) -> User | None:
    """load_user on the caller's connection."""
    row = conn.execute(select(Gebruiker.id, Gebruiker.gebruikersnaam, Gebruiker.naam,
                              Gebruiker.rol, Gebruiker.actief)
                       .where(Gebruiker.id == user_id)).first()
    if row is None or not row.actief:
        return None
    codes = conn.scalars(select(Maatregel.code).join(
        GebruikerMaatregel, GebruikerMaatregel.maatregel_id == Maatregel.id)
        .where(GebruikerMaatregel.gebruiker_id == user_id)).all()
    return User(row.id, row.gebruikersnaam, row.naam, row.rol, frozenset(codes))


def list_users(engine: Engine) -> list[tuple[User, bool]]:
    """Every account (with its maatregelen) and whether it is active, by name."""
    with engine.connect() as conn:
        rows = conn.execute(select(Gebruiker.id, Gebruiker.gebruikersnaam, Gebruiker.naam,
                                   Gebruiker.rol, Gebruiker.actief)
                            .order_by(Gebruiker.gebruikersnaam)).all()
        links = conn.execute(select(GebruikerMaatregel.gebruiker_id, Maatregel.code).join(
            Maatregel, Maatregel.id == GebruikerMaatregel.maatregel_id)).all()
    codes: dict[int, set[str]] = {}
    for user_id, code in links:
        codes.setdefault(user_id, set()).add(code)
    return [(User(r.id, r.gebruikersnaam, r.naam, r.rol, frozenset(codes.get(r.id, ()))), bool(r.actief))
            for r in rows]


class TooManyAttempts(UserError):
    """Too many failed logins for this name or address in the window; try again later."""


def authenticate(engine: Engine, gebruikersnaam: str, wachtwoord: str, adres: str,
                 now: dt.datetime | None = None, known_device: bool = False) -> User:
    """The user for a correct name and password. Raises TooManyAttempts when the name has had
    MAX_MISLUKT failures within VENSTER, or the address MAX_MISLUKT_ADRES (unless this browser
    is a known device for this name: data/accounts/login_limit.py), else UserError with one message for a
    wrong name or password or an account of the provider (no hint which). Every checked attempt is
    recorded; a refused one is not (nor is its password checked)."""
    now = now or _now()
    gebruikersnaam = typed_name(gebruikersnaam)
    adres = (adres or "onbekend")[:64]
    attempt = login_limit.reserve(engine, gebruikersnaam, adres, now, known_device)
    if attempt is None:
        raise TooManyAttempts(f"Te veel mislukte pogingen. Probeer het over "
                              f"{int(VENSTER.total_seconds() // 60)} minuten opnieuw.")
    with engine.connect() as conn:
        row = conn.execute(select(Gebruiker.id, Gebruiker.wachtwoord_hash, Gebruiker.actief, Gebruiker.oidc_sub)
                           .where(Gebruiker.gebruikersnaam == gebruikersnaam)).first()
        # a provider account has no password: its marker is no hash, so check the dummy for the time
        local = row is not None and row.oidc_sub is None
        checked = row.wachtwoord_hash if local else _dummy_hash(conn)
    ok = check_password_hash(checked, wachtwoord or "")
    if not (ok and local and row.actief):
        raise UserError("Gebruikersnaam of wachtwoord klopt niet.")
    login_limit.succeeded(engine, attempt)
    return load_user(engine, row.id)


def typed_name(typed: str | None) -> str:
    """A name as typed at the login, as it is looked up and counted: trimmed, any case, at most 64
    characters, and without control characters (no account has one, and PostgreSQL refuses a NUL
    in text: the attempt must still be counted as a failure, not end in a database error)."""
    return "".join(ch for ch in (typed or "") if ch.isprintable()).strip().lower()[:64]


def known_account_name(engine: Engine, typed: str) -> str | None:
    """The account name `typed` denotes (as authenticate reads it), or None."""
    name = typed_name(typed)
    if not name:
        return None
    with engine.connect() as conn:
        return conn.scalar(select(Gebruiker.gebruikersnaam).where(Gebruiker.gebruikersnaam == name))
