"""A composed mail as an `email.message.EmailMessage`: plain text with a simple HTML alternative,
UTF-8, marked as sent automatically (RFC 3834's Auto-Submitted, so out-of-office replies stay away)."""
from __future__ import annotations

import datetime as dt
import re
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from dashboard.mail.content import Content, as_html, as_text


def one_line(text: str) -> str:
    """A header's text on one line: a name or title with a line break must not start a new header."""
    return re.sub(r"[\x00-\x1f\x7f]+", " ", text).strip()


def build_message(content: Content, afzender: Address, aan_naam: str, aan_adres: str,
                  now: dt.datetime | None = None) -> EmailMessage:
    message = EmailMessage()
    local, _, domain = aan_adres.rpartition("@")
    message["From"] = afzender
    message["To"] = Address(display_name=one_line(aan_naam), username=local, domain=domain)
    message["Subject"] = one_line(content.onderwerp)
    message["Date"] = format_datetime((now or dt.datetime.now()).astimezone())
    message["Message-ID"] = make_msgid(domain=afzender.domain)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(as_text(content))
    message.add_alternative(as_html(content), subtype="html")
    return message


def recipient_text(naam: str, adres: str | None) -> str:
    return f"{naam} <{adres}>" if adres else f"{naam} (geen e-mailadres)"


def preview(content: Content, aan: str) -> str:
    """What --dry-run prints for one mail: its recipients, subject and text."""
    return f"Aan: {aan}\nOnderwerp: {one_line(content.onderwerp)}\n\n{as_text(content)}"
