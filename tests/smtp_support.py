"""A real SMTP server for the mail tests (aiosmtpd, on 127.0.0.1 and a free port, in a thread of the
test process): it keeps every message it accepted, parsed, and can refuse chosen recipients; with a
certificate from a test CA (trustme) it offers STARTTLS or speaks TLS from the start, and with a
login it requires AUTH (only over TLS, as a real server does)."""
from __future__ import annotations

import email
import email.policy
import socket
import ssl
from contextlib import contextmanager
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port() -> int:
    """A port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: email.message.EmailMessage


@dataclass
class Handler:
    refuse: set[str] = field(default_factory=set)   # recipients answered with 550
    received: list[Received] = field(default_factory=list)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"


@dataclass
class LocalSmtp:
    host: str
    port: int
    handler: Handler

    @property
    def received(self) -> list[Received]:
        return self.handler.received


class _Login:
    def __init__(self, user: str, password: str):
        self.user, self.password = user.encode(), password.encode()

    def __call__(self, server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (self.user, self.password)
        return AuthResult(success=ok, handled=False)


@contextmanager
def smtp_server(*, certificate=None, implicit_tls: bool = False, login: tuple[str, str] | None = None):
    """A running server; `certificate` is a trustme LeafCert (STARTTLS, or TLS from the start with
    `implicit_tls`), `login` the (user, password) it requires."""
    handler = Handler()
    context = None
    if certificate is not None:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        certificate.configure_cert(context)
    options = {}
    if login is not None:
        # AUTH required, and only once the connection is encrypted; aiosmtpd counts only STARTTLS as
        # such, so a server that speaks TLS from the start offers it at once (without requiring it:
        # aiosmtpd warns about requiring AUTH where it does not see TLS)
        options.update(authenticator=_Login(*login), auth_required=not implicit_tls, auth_require_tls=not implicit_tls)
    if context is not None and not implicit_tls:
        options["tls_context"] = context
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(),
                            ssl_context=context if implicit_tls else None, **options)
    controller.start()
    try:
        yield LocalSmtp("127.0.0.1", controller.port, handler)
    finally:
        controller.stop()
