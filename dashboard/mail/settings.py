"""The e-mail settings, read from the environment by `python -m dashboard.mail` at each run and
checked whole before anything is read or sent: a bad value is one Dutch `fout: …` line, exit 2.

| variable | meaning | default |
| SMTP_HOST | the gemeente's mail server | – (required to send) |
| SMTP_PORT | its port | 587 (starttls), 465 (ssl), 25 (geen) |
| SMTP_BEVEILIGING | starttls, ssl or geen | starttls |
| SMTP_GEBRUIKER | account on the mail server (with a password) | – (no login) |
| SMTP_WACHTWOORD / SMTP_WACHTWOORD_FILE | its password, or a file holding it (not readable by others) | – |
| SMTP_AFZENDER | the From address, `adres` or `Naam <adres>` | – (required to send) |
| BASIS_URL | the dashboard's public address, for the links in the mails | – (required) |
| DIGEST | 1: send the weekly digest to the programmamanagers | off |
| HERINNERING | 1: send the trekkers' reminders | off |
| HERINNERING_DAGEN | remind this many days before the quarter's deadline (1–60) | 7 |
"""
from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from email.headerregistry import Address
from pathlib import Path
from urllib.parse import urlsplit

from data.accounts.email_address import InvalidAddress, normalise
from data.cli_errors import os_reason

BEVEILIGINGEN = ("starttls", "ssl", "geen")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "geen": 25}
DEFAULT_HERINNERING_DAGEN = 7
MAX_HERINNERING_DAGEN = 60  # within the quarter: a reminder two months ahead is no reminder
ON, OFF = ("1", "true", "ja", "yes", "on"), ("", "0", "false", "nee", "no", "off")
_HOST = re.compile(r"[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\[[0-9A-Fa-f:.]{2,45}\]")
_DISPLAY_NAME = re.compile(r"[^\x00-\x1f\x7f<>\"@]{1,100}")
NAMES = ("SMTP_HOST", "SMTP_PORT", "SMTP_BEVEILIGING", "SMTP_GEBRUIKER", "SMTP_WACHTWOORD", "SMTP_WACHTWOORD_FILE",
         "SMTP_AFZENDER", "BASIS_URL", "DIGEST", "HERINNERING", "HERINNERING_DAGEN")


class MailSettingError(ValueError):
    """A mail setting with a value that cannot be used; the message (Dutch) names it."""


@dataclass(frozen=True)
class MailSettings:
    host: str | None
    port: int
    beveiliging: str
    gebruiker: str | None
    wachtwoord: str | None = None
    afzender: Address | None = None
    basis_url: str | None = None
    digest: bool = False
    herinnering: bool = False
    herinnering_dagen: int = DEFAULT_HERINNERING_DAGEN

    def __repr__(self) -> str:  # never the password, not even in a log
        return f"MailSettings(host={self.host!r}, port={self.port}, beveiliging={self.beveiliging!r}, ...)"

    def require_sending(self) -> None:
        """To send, the mail server and the sender are needed."""
        missing = [name for name, value in (("SMTP_HOST", self.host), ("SMTP_AFZENDER", self.afzender))
                   if value is None]
        if missing:
            raise MailSettingError(f"{' en '.join(missing)} {'is' if len(missing) == 1 else 'zijn'} niet ingesteld: "
                                   "zonder mailserver en afzender kan er niets verzonden worden")

    def require_base_url(self) -> None:
        """Every mail links to the dashboard."""
        if self.basis_url is None:
            raise MailSettingError("BASIS_URL is niet ingesteld: de e-mails linken naar het dashboard "
                                   "(bijvoorbeeld BASIS_URL=https://jeugdmonitor.huizen.nl)")

    def link(self, path: str) -> str:
        """An absolute link to a path of the dashboard ('/beheer?periode=2026-Q4')."""
        return (self.basis_url or "") + path


def _shown(raw: str) -> str:
    return repr(raw if len(raw) <= 40 else raw[:40] + "…")


def switch(name: str, raw: str | None) -> bool:
    """An on/off setting: 1/true/ja/yes/on or 0/false/nee/no/off (any case); anything else refused
    (a typo must not silently leave the mail off, or on)."""
    value = (raw or "").strip().lower()
    if value in ON:
        return True
    if value in OFF:
        return False
    raise MailSettingError(f"{name}={_shown(raw)}: gebruik 1 (aan) of 0 (uit)")


def _whole(name: str, raw: str, low: int, high: int, meaning: str) -> int:
    value = raw.strip()
    if not re.fullmatch(r"[0-9]{1,6}", value) or not low <= int(value) <= high:
        raise MailSettingError(f"{name}={_shown(raw)}: {meaning} is een geheel getal van {low} tot en met {high}")
    return int(value)


def _host(raw: str | None) -> str | None:
    if raw is None or not raw.strip():
        return None
    value = raw.strip()
    if not _HOST.fullmatch(value):
        raise MailSettingError(f"SMTP_HOST={_shown(raw)}: geef de naam of het IP-adres van de mailserver, "
                               "zonder poort of protocol (bijvoorbeeld smtp.huizen.nl)")
    return value


def _password(plain: str | None, file: str | None) -> str | None:
    if plain and file:
        raise MailSettingError("SMTP_WACHTWOORD en SMTP_WACHTWOORD_FILE zijn allebei ingesteld: kies er één")
    if not file:
        return plain or None
    path = Path(file)
    try:
        mode = path.stat().st_mode
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise MailSettingError(f"SMTP_WACHTWOORD_FILE={_shown(file)}: het bestand bestaat niet") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise MailSettingError(f"SMTP_WACHTWOORD_FILE={_shown(file)}: niet te lezen "
                               f"({os_reason(exc) if isinstance(exc, OSError) else 'geen UTF-8-tekst'})") from None
    if not stat.S_ISREG(mode):
        raise MailSettingError(f"SMTP_WACHTWOORD_FILE={_shown(file)}: dat is geen gewoon bestand")
    if mode & (stat.S_IROTH | stat.S_IWOTH):
        raise MailSettingError(f"SMTP_WACHTWOORD_FILE={_shown(file)}: iedereen op deze machine kan het wachtwoord "
                               "lezen of wijzigen; geef het bestand rechten 600 (chmod 600)")
    value = text.splitlines()[0] if text else ""
    if not value:
        raise MailSettingError(f"SMTP_WACHTWOORD_FILE={_shown(file)}: de eerste regel (het wachtwoord) is leeg")
    return value


def _sender(raw: str | None) -> Address | None:
    """`adres` or `Naam <adres>`."""
    if raw is None or not raw.strip():
        return None
    value = raw.strip()
    named = re.fullmatch(r"(.*?)\s*<([^<>]*)>", value)
    name, address = (named.group(1).strip(), named.group(2)) if named else ("", value)
    if name and not _DISPLAY_NAME.fullmatch(name):
        raise MailSettingError(f"SMTP_AFZENDER={_shown(raw)}: de naam vóór <adres> mag geen aanhalingstekens, "
                               "'@', '<', '>' of regeleinden bevatten en hoogstens 100 tekens lang zijn")
    try:
        address = normalise(address)
    except InvalidAddress as exc:
        raise MailSettingError(f"SMTP_AFZENDER: {exc}") from None
    local, _, domain = address.rpartition("@")
    return Address(display_name=name, username=local, domain=domain)


def _base_url(raw: str | None) -> str | None:
    if raw is None or not raw.strip():
        return None
    value = raw.strip()
    example = "bijvoorbeeld https://jeugdmonitor.huizen.nl"
    if not value.isascii() or not value.isprintable() or " " in value:
        raise MailSettingError(f"BASIS_URL={_shown(raw)}: een adres zonder spaties of bijzondere tekens ({example})")
    parts = urlsplit(value)
    try:
        parts.port  # noqa: B018 - reading it checks it
    except ValueError:
        raise MailSettingError(f"BASIS_URL={_shown(raw)}: ongeldige poort ({example})") from None
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise MailSettingError(f"BASIS_URL={_shown(raw)}: begin met https:// en een servernaam ({example})")
    if parts.username or parts.password or parts.query or parts.fragment:
        raise MailSettingError(f"BASIS_URL={_shown(raw)}: alleen protocol, server, poort en pad; geen "
                               f"inloggegevens, '?' of '#' ({example})")
    return value.rstrip("/")


def read_settings(environ=None) -> MailSettings:
    """Every mail setting, checked; MailSettingError (Dutch) on the first bad one."""
    env = os.environ if environ is None else environ
    beveiliging = (env.get("SMTP_BEVEILIGING") or "starttls").strip().lower()
    if beveiliging not in BEVEILIGINGEN:
        raise MailSettingError(f"SMTP_BEVEILIGING={_shown(env.get('SMTP_BEVEILIGING'))}: kies starttls, ssl of geen")
    port_raw = env.get("SMTP_PORT")
    port = (DEFAULT_PORTS[beveiliging] if port_raw is None or not port_raw.strip()
            else _whole("SMTP_PORT", port_raw, 1, 65535, "de poort van de mailserver"))
    gebruiker = (env.get("SMTP_GEBRUIKER") or "").strip() or None
    if gebruiker is not None and (len(gebruiker) > 254 or not gebruiker.isprintable()):
        raise MailSettingError(f"SMTP_GEBRUIKER={_shown(gebruiker)}: hoogstens 254 tekens, zonder regeleinden")
    wachtwoord = _password(env.get("SMTP_WACHTWOORD"), env.get("SMTP_WACHTWOORD_FILE"))
    if gebruiker and not wachtwoord:
        raise MailSettingError("SMTP_GEBRUIKER is ingesteld zonder wachtwoord: zet SMTP_WACHTWOORD of "
                               "SMTP_WACHTWOORD_FILE")
    if wachtwoord and not gebruiker:
        raise MailSettingError("er is een SMTP-wachtwoord ingesteld zonder SMTP_GEBRUIKER")
    if gebruiker and beveiliging == "geen":
        raise MailSettingError("SMTP_BEVEILIGING=geen zou het wachtwoord van SMTP_GEBRUIKER onversleuteld "
                               "versturen: gebruik starttls of ssl")
    dagen_raw = env.get("HERINNERING_DAGEN")
    dagen = (DEFAULT_HERINNERING_DAGEN if dagen_raw is None or not dagen_raw.strip()
             else _whole("HERINNERING_DAGEN", dagen_raw, 1, MAX_HERINNERING_DAGEN, "het aantal dagen"))
    return MailSettings(host=_host(env.get("SMTP_HOST")), port=port, beveiliging=beveiliging, gebruiker=gebruiker,
                        wachtwoord=wachtwoord, afzender=_sender(env.get("SMTP_AFZENDER")),
                        basis_url=_base_url(env.get("BASIS_URL")), digest=switch("DIGEST", env.get("DIGEST")),
                        herinnering=switch("HERINNERING", env.get("HERINNERING")), herinnering_dagen=dagen)
