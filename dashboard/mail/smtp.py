"""Sending through the gemeente's SMTP server with smtplib: STARTTLS (the default), implicit TLS
("ssl") or, inside the gemeente's own network only, neither ("geen"); the server's certificate is
checked against the system's CAs (SSL_CERT_FILE points OpenSSL at a gemeente's own CA bundle).

Every failure is one Dutch sentence: the whole run (`MailError`: server unreachable or silent, TLS
refused, login refused, sender refused) or one recipient (`Delivery.fout`), so the command says which
recipients failed and which were sent. No exception reaches the terminal."""
from __future__ import annotations

import smtplib
import socket
import ssl
from dataclasses import dataclass
from email.message import EmailMessage

from dashboard.mail.settings import MailSettings
from data.cli_errors import os_reason

#: seconds to wait for the server to answer any one step
TIMEOUT = 30


class MailError(Exception):
    """Nothing could be sent; the message (Dutch) says why."""


@dataclass(frozen=True)
class Delivery:
    adres: str
    fout: str | None  # None: accepted by the server


def _server(settings: MailSettings) -> str:
    return f"{settings.host}:{settings.port}"


def _reply(exc: smtplib.SMTPResponseException) -> str:
    text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
    return f"{exc.smtp_code} {' '.join(text.split())}"[:200]


def _connection_problem(exc: BaseException, settings: MailSettings) -> str:
    """A failure to reach or talk to the server, in words."""
    server = _server(settings)
    if isinstance(exc, ssl.SSLCertVerificationError):
        return (f"het certificaat van de mailserver {server} is niet te vertrouwen ({exc.verify_message}); "
                "een eigen CA van de gemeente: wijs SSL_CERT_FILE naar die CA")
    if isinstance(exc, ssl.SSLError):
        hint = "; gebruikt de server STARTTLS op deze poort? Zet dan SMTP_BEVEILIGING=starttls" \
            if settings.beveiliging == "ssl" else ""
        return f"de versleutelde verbinding met de mailserver {server} mislukte ({exc.reason or exc}){hint}"
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return f"de mailserver {server} antwoordt niet (na {TIMEOUT} seconden)"
    if isinstance(exc, socket.gaierror):
        return f"de mailserver {settings.host} is onbekend (de naam is niet te vinden)"
    if isinstance(exc, ConnectionRefusedError):
        return f"de mailserver {server} weigert de verbinding (draait er een mailserver op die poort?)"
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return f"de mailserver {server} verbrak de verbinding"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"de mailserver {server} antwoordt met een fout: {_reply(exc)}"
    if isinstance(exc, OSError):
        return f"de mailserver {server} is niet bereikbaar ({os_reason(exc)})"
    return f"de mailserver {server} gaf een onverwachte fout ({type(exc).__name__})"


def connect(settings: MailSettings) -> smtplib.SMTP:
    """A connection, encrypted and logged in as configured; MailError otherwise."""
    context = ssl.create_default_context()
    server = None
    try:
        if settings.beveiliging == "ssl":
            server = smtplib.SMTP_SSL(settings.host, settings.port, timeout=TIMEOUT, context=context)
        else:
            server = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT)
        server.ehlo()
        if settings.beveiliging == "starttls":
            if not server.has_extn("starttls"):
                raise MailError(f"de mailserver {_server(settings)} biedt geen STARTTLS aan; zet SMTP_BEVEILIGING=ssl "
                                "(versleuteld vanaf het begin, meestal poort 465), of alleen binnen het eigen "
                                "netwerk: geen")
            server.starttls(context=context)
            server.ehlo()
        if settings.gebruiker:
            server.login(settings.gebruiker, settings.wachtwoord)
        return server
    except MailError:
        _close(server)
        raise
    except smtplib.SMTPAuthenticationError as exc:
        _close(server)
        raise MailError(f"de mailserver {_server(settings)} weigert de aanmelding van SMTP_GEBRUIKER "
                        f"{settings.gebruiker!r} ({_reply(exc)})") from None
    except smtplib.SMTPNotSupportedError:
        _close(server)
        raise MailError(f"de mailserver {_server(settings)} biedt geen aanmelding (AUTH) aan; laat SMTP_GEBRUIKER "
                        "weg als hij zonder aanmelding verstuurt") from None
    except (OSError, smtplib.SMTPException) as exc:
        _close(server)
        raise MailError(_connection_problem(exc, settings)) from None


def _close(server: smtplib.SMTP | None) -> None:
    if server is None:
        return
    try:
        server.quit()
    except (OSError, smtplib.SMTPException):
        server.close()


def _failed(messages: list[EmailMessage], reason: str) -> list[Delivery]:
    return [Delivery(m["To"].addresses[0].addr_spec, reason) for m in messages]


def send_all(settings: MailSettings, messages: list[EmailMessage]) -> list[Delivery]:
    """Send every message over one connection; per message whether the server accepted it. A
    message the server refuses fails alone; a connection lost halfway, or a refused sender, fails
    the rest. MailError only when nothing could be sent (`connect`)."""
    server = connect(settings)
    out: list[Delivery] = []
    try:
        for i, message in enumerate(messages):
            adres = message["To"].addresses[0].addr_spec
            try:
                refused = server.send_message(message)
            except smtplib.SMTPRecipientsRefused as exc:
                code, text = next(iter(exc.recipients.values()))
                out.append(Delivery(adres, f"de mailserver weigert dit adres "
                                           f"({_reply(smtplib.SMTPResponseException(code, text))})"))
                continue
            except smtplib.SMTPSenderRefused as exc:  # it will refuse the rest too
                return out + _failed(messages[i:], f"de mailserver weigert afzender {exc.sender!r} ({_reply(exc)}); "
                                                   "controleer SMTP_AFZENDER")
            except smtplib.SMTPResponseException as exc:
                out.append(Delivery(adres, f"de mailserver weigert het bericht ({_reply(exc)})"))
                continue
            except (OSError, smtplib.SMTPException) as exc:  # the connection is gone: so is the rest
                return out + _failed(messages[i:], _connection_problem(exc, settings))
            out.append(Delivery(adres, None if not refused else "de mailserver weigert dit adres"))
        return out
    finally:
        _close(server)
