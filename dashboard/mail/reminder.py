"""The reminder to a trekker before a quarter's deadline: which of their maatregelen have no status
for the quarter yet, the deadline, and the link to /beheer on that quarter. Names the trekker and
the maatregelen only; no figures at all."""
from __future__ import annotations

import datetime as dt
from typing import Callable

from dashboard.mail import links
from dashboard.mail.content import Content, Items, Link, paragraph
from dashboard.mail.schedule import quarter_deadline
from data.programme.plan import Plan
from data.programme.reminders import OpenTrekker
from kpi import format as fmt


def _days(n: int) -> str:
    return "vandaag" if n == 0 else "morgen" if n == 1 else f"over {n} dagen"


def reminder_content(plan: Plan, trekker: OpenTrekker, periode: str, today: dt.date,
                     link: Callable[[str], str]) -> Content:
    deadline = quarter_deadline(periode)
    label = fmt.periode_label(periode)
    return Content(f"Herinnering: rapportage {label} vóór {fmt.datum(deadline)}", (
        paragraph(f"Beste {trekker.naam},"),
        paragraph(f"De rapportage over {label} sluit op {fmt.datum(deadline)} ({_days((deadline - today).days)}). "
                  "Voor deze maatregelen staat nog geen status voor dit kwartaal:"),
        Items(tuple((f"{code} {naam}",) for code, naam in trekker.maatregelen)),
        paragraph("Geef per maatregel de status en een korte toelichting op ",
                  Link(f"de beheerpagina voor {label}", link(links.beheer(periode))), "."),
        paragraph("Met vriendelijke groet,"),
        paragraph(f"Jeugdmonitor {plan.gemeente} — {plan.naam}"),
        paragraph("U ontvangt deze herinnering één keer per kwartaal als trekker in de Jeugdmonitor."),
    ))
