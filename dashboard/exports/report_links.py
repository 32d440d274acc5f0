"""The progress report's address and download name. No Flask here: a screen's link to the report
(dashboard.ui.components.report_link) and the route that serves it (dashboard.server.report_route)
both read them, and a UI block must not import server code."""
from __future__ import annotations

PATH = "/export/rapport.pdf"


def report_href(jaar: int | str | None = None) -> str:
    return f"{PATH}?jaar={jaar}" if jaar else PATH


def report_filename(jaar: int) -> str:
    return f"voortgangsrapportage_jeugd_{jaar}.pdf"
