"""The dashboard's addresses the mails link to (relative; MailSettings.link makes them absolute)."""
from __future__ import annotations

from urllib.parse import urlencode

OVERVIEW = "/"


def beheer(periode: str) -> str:
    """/beheer on a reporting quarter (the page's own `periode=` parameter)."""
    return "/beheer?" + urlencode({"periode": periode})
