"""The accounts' tables: users with their role and maatregelen, login attempts, server-side sessions."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from data.base import Base

# --- accounts -----------------------------------------------------------------------------------

ROLLEN = ("programmamanager", "trekker", "lezer")


class Gebruiker(Base):
    """An account. Passwords are stored only as a salted, slow hash (werkzeug scrypt).

    An account of the gemeente's OpenID Connect provider (data/accounts/provider_accounts.py) is
    known by the provider's issuer and the user's `sub` there, which never change (an e-mail
    address or a name can); it has no password (PROVIDER_ACCOUNT_HASH, which matches none). Both
    columns are NULL for a local account."""
    __tablename__ = "gebruiker"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    gebruikersnaam: Mapped[str] = mapped_column(String(64), unique=True)
    naam: Mapped[str] = mapped_column(String(200))
    rol: Mapped[str] = mapped_column(String(32))
    wachtwoord_hash: Mapped[str] = mapped_column(String(300))
    actief: Mapped[bool] = mapped_column(Boolean, default=True)
    aangemaakt_op: Mapped[dt.datetime] = mapped_column(DateTime)
    #: where the weekly digest and the trekkers' reminders go (dashboard/mail/); none: no e-mail
    emailadres: Mapped[str | None] = mapped_column(String(254), nullable=True)
    oidc_issuer: Mapped[str | None] = mapped_column(String(300), nullable=True)
    oidc_sub: Mapped[str | None] = mapped_column(String(255), nullable=True)
    __table_args__ = (
        CheckConstraint("rol IN (" + ", ".join(f"'{r}'" for r in ROLLEN) + ")", name="rol"),
        # a unique index, not a constraint: SQLite adds it without rebuilding the table
        Index("ix_gebruiker_oidc", "oidc_issuer", "oidc_sub", unique=True),
    )


#: The password hash of a provider account: not a werkzeug hash, so no password ever matches it.
PROVIDER_ACCOUNT_HASH = "!openid-connect"


class GebruikerMaatregel(Base):
    """Which maatregelen a trekker may edit."""
    __tablename__ = "gebruiker_maatregel"
    gebruiker_id: Mapped[int] = mapped_column(ForeignKey("gebruiker.id", ondelete="CASCADE"),
                                              primary_key=True)
    maatregel_id: Mapped[int] = mapped_column(ForeignKey("maatregel.id"), primary_key=True)


class Inlogpoging(Base):
    """Login attempts, for rate limiting across workers (no passwords, ever)."""
    __tablename__ = "inlogpoging"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    gebruikersnaam: Mapped[str] = mapped_column(String(64))
    adres: Mapped[str] = mapped_column(String(64))
    op: Mapped[dt.datetime] = mapped_column(DateTime)
    gelukt: Mapped[bool] = mapped_column(Boolean)
    __table_args__ = (Index("ix_inlogpoging_naam_op", "gebruikersnaam", "op"),
                      Index("ix_inlogpoging_adres_op", "adres", "op"))


class Sessie(Base):
    """A login session, kept on the server so it can be ended: logging out deletes it, a new
    password or deactivation deletes all of the account's. The cookie holds a random token; only
    its SHA-256 is stored, so a copy of this table opens no session."""
    __tablename__ = "sessie"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    gebruiker_id: Mapped[int] = mapped_column(ForeignKey("gebruiker.id", ondelete="CASCADE"), index=True)
    aangemaakt_op: Mapped[dt.datetime] = mapped_column(DateTime)
    laatst_actief_op: Mapped[dt.datetime] = mapped_column(DateTime)
