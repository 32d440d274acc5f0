"""The weekly digest for the programmamanager: the signalen exactly as the overview shows them
(dashboard/ui/signals_view.py: the same sentences from kpi/forecast/signals.py, so the same numbers,
and a hidden value never gives a signal), the trekkers who have not yet reported on the current
quarter with their maatregelen (dashboard/programme/history.py: what /beheer counts), and links to
the overview and the reporting. Only the programme's aggregate figures; no data of any jeugdige."""
from __future__ import annotations

import datetime as dt
from typing import Callable

from dashboard.mail import links
from dashboard.mail.content import Content, Heading, Items, Link, paragraph
from dashboard.mail.schedule import quarter_deadline
from dashboard.programme.history import ReportingStatus
from dashboard.ui.signals_view import NO_SIGNALS, judged_intro, signal_href
from data.programme.plan import Plan
from kpi import format as fmt
from kpi.forecast import signals as sg

PRIVACY = ("Deze e-mail bevat alleen cijfers over het programma als geheel, afgeschermd zoals in het dashboard "
           "(kleine aantallen worden niet getoond), en geen gegevens van jeugdigen.")


def _count(n: int, one: str, more: str) -> str:
    return f"{n} {one if n == 1 else more}"


def digest_subject(plan: Plan, signalen: sg.Signalen, status: ReportingStatus, today: dt.date) -> str:
    return (f"Jeugdmonitor {plan.gemeente}: weekoverzicht {fmt.datum(today)} — "
            f"{_count(len(signalen.signalen), 'signaal', 'signalen')}, "
            f"{_count(len(status.open_per_trekker), 'trekker', 'trekkers')} nog niet gerapporteerd")


def digest_content(plan: Plan, signalen: sg.Signalen, status: ReportingStatus, today: dt.date,
                   link: Callable[[str], str]) -> Content:
    """The digest of `today`; `link` makes a dashboard path absolute (MailSettings.link)."""
    data = f" De gegevens lopen t/m {fmt.datum(signalen.data_tot)}." if signalen.data_tot else ""
    blocks = [Heading(f"Weekoverzicht {plan.naam}", level=1),
              paragraph(f"Gemeente {plan.gemeente}, stand op {fmt.datum(today)}.{data}"),
              Heading("Signalen"),
              paragraph(judged_intro(signalen))]
    if signalen.signalen:
        blocks.append(Items(tuple((sg.sentence(b), " · ", Link("Bekijk per maand", link(signal_href(b))))
                                  for b in signalen.signalen)))
    else:
        blocks.append(paragraph(NO_SIGNALS))
    blocks.append(paragraph("Een signaal is een reden om te kijken, geen conclusie; één maand kan toeval zijn. "
                            "Hoe de signalen berekend worden staat onder 'Signalen: hoe berekend?' op het overzicht."))
    periode = status.periode
    blocks += [Heading(f"Rapportage {fmt.periode_label(periode)} (deadline {fmt.datum(quarter_deadline(periode))})"),
               paragraph(status.summary + ".")]
    if status.open_per_trekker:
        blocks += [paragraph("Nog niet gerapporteerd (trekker: maatregelen zonder status voor dit kwartaal):"),
                   Items(tuple((f"{naam}: {', '.join(codes)}",) for naam, codes in status.open_per_trekker))]
    elif status.trekkers:
        blocks.append(paragraph("Alle trekkers hebben hun maatregelen voor dit kwartaal bijgewerkt."))
    else:
        blocks.append(paragraph("Er zijn nog geen trekkers aan maatregelen gekoppeld."))
    blocks += [paragraph(Link(f"Naar de rapportage {fmt.periode_label(periode)}", link(links.beheer(periode)))),
               paragraph(Link("Naar het overzicht", link(links.OVERVIEW))),
               paragraph(PRIVACY + " U ontvangt dit weekoverzicht als programmamanager van de Jeugdmonitor.")]
    return Content(digest_subject(plan, signalen, status, today), tuple(blocks))
