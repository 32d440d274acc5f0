"""What `python -m dashboard.mail` does, one function per command, on a warehouse and the mail
settings: compose (dashboard/mail/digest.py, reminder.py), then print (--dry-run) or send
(dashboard/mail/smtp.py). Each returns an `Outcome`: the lines for the terminal, the warnings and the
recipients that could not be reached; the command line turns those into its exit status."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from dashboard.mail.digest import digest_content
from dashboard.mail.message import build_message, preview, recipient_text
from dashboard.mail.reminder import reminder_content
from dashboard.mail.schedule import quarter_deadline, reminder_quarter
from dashboard.mail.settings import MailSettings
from dashboard.mail.smtp import Delivery, MailError, connect, send_all
from dashboard.programme.history import reporting_status
from data.accounts.users import active_accounts_of_role
from data.programme import reminders
from data.programme.edits import current_quarter
from data.programme.plan import read_plan
from kpi import format as fmt
from kpi.forecast import signals as sg

SEPARATOR = "-" * 72


@dataclass
class Outcome:
    lines: list[str] = field(default_factory=list)      # stdout
    warnings: list[str] = field(default_factory=list)   # stderr, "waarschuwing: …"
    failed: list[Delivery] = field(default_factory=list)


class NothingToSend(MailError):
    """A run that cannot reach anyone (no programmamanager with an e-mail address)."""


def _sent_to(deliveries: list[Delivery]) -> str:
    return ", ".join(d.adres for d in deliveries if d.fout is None)


def run_digest(engine, service, settings: MailSettings, today: dt.date, dry_run: bool) -> Outcome:
    """The weekly digest to every active programmamanager with an e-mail address."""
    plan = read_plan(engine)
    status = reporting_status(engine, current_quarter(today))
    content = digest_content(plan, sg.cached(service), status, today, settings.link)
    managers = active_accounts_of_role(engine, "programmamanager")
    out = Outcome(warnings=[f"programmamanager {a.naam} ({a.gebruikersnaam}) heeft geen e-mailadres: "
                            f"python -m data users email {a.gebruikersnaam} ADRES" for a in managers if not a.emailadres])
    if dry_run:
        names = ", ".join(recipient_text(a.naam, a.emailadres) for a in managers) or "(geen programmamanager)"
        out.lines += ["Niet verzonden (--dry-run).", SEPARATOR, preview(content, names)]
        return out
    reachable = [a for a in managers if a.emailadres]
    if not reachable:
        raise NothingToSend("geen actieve programmamanager met een e-mailadres; stel er een in met "
                            "python -m data users email NAAM ADRES")
    deliveries = send_all(settings, [build_message(content, settings.afzender, a.naam, a.emailadres)
                                     for a in reachable])
    out.failed = [d for d in deliveries if d.fout is not None]
    if len(out.failed) < len(deliveries):
        out.lines.append(f"Weekoverzicht verzonden aan {_sent_to(deliveries)}.")
    return out


def run_reminders(engine, settings: MailSettings, today: dt.date, dry_run: bool,
                  now: dt.datetime | None = None) -> Outcome:
    """A reminder to every active trekker with a maatregel without status for the current quarter,
    from HERINNERING_DAGEN days before its deadline, once per quarter."""
    out = Outcome()
    periode = reminder_quarter(today, settings.herinnering_dagen)
    if periode is None:
        current = current_quarter(today)
        out.lines.append(f"Geen herinneringen: de deadline van {fmt.periode_label(current)} "
                         f"({fmt.datum(quarter_deadline(current))}) is meer dan {settings.herinnering_dagen} "
                         "dagen weg (HERINNERING_DAGEN).")
        return out
    label = fmt.periode_label(periode)
    quarter = reminders.open_trekkers(engine, periode)
    if quarter.vastgesteld:
        out.lines.append(f"Geen herinneringen: {label} is al vastgesteld.")
        return out
    due = [t for t in quarter.trekkers if not t.herinnerd]
    already = len(quarter.trekkers) - len(due)  # reminded of this quarter by an earlier run
    out.warnings += [f"trekker {t.naam} ({t.gebruikersnaam}) heeft geen e-mailadres en krijgt geen herinnering: "
                     f"python -m data users email {t.gebruikersnaam} ADRES" for t in due if not t.emailadres]
    plan = read_plan(engine)
    composed = [(t, reminder_content(plan, t, periode, today, settings.link)) for t in due if t.emailadres]
    if dry_run:
        out.lines.append(f"Niet verzonden (--dry-run): {len(composed)} herinnering(en) over {label}.")
        for trekker, content in composed:
            out.lines += [SEPARATOR, preview(content, recipient_text(trekker.naam, trekker.emailadres))]
        return out
    moment = now or dt.datetime.now()
    claimed = [(t, c) for t, c in composed if reminders.claim(engine, t.gebruiker_id, periode, moment)]
    try:
        deliveries = send_all(settings, [build_message(c, settings.afzender, t.naam, t.emailadres)
                                         for t, c in claimed]) if claimed else []
    except MailError:
        for trekker, _ in claimed:  # nothing went out: the next run tries again
            reminders.release(engine, trekker.gebruiker_id, periode)
        raise
    for (trekker, _), delivery in zip(claimed, deliveries, strict=True):
        if delivery.fout is not None:
            reminders.release(engine, trekker.gebruiker_id, periode)
    out.failed = [d for d in deliveries if d.fout is not None]
    if _sent_to(deliveries):
        out.lines.append(f"Herinnering over {label} verzonden aan {_sent_to(deliveries)}.")
    reminded = already + len(composed) - len(claimed)  # a claim refused: another run was first
    no_address = len(due) - len(composed)
    skipped = ([f"{reminded} al herinnerd"] if reminded else []) + \
        ([f"{no_address} zonder e-mailadres"] if no_address else [])
    if not quarter.trekkers:
        out.lines.append(f"Geen herinneringen over {label}: alle trekkers hebben gerapporteerd.")
    elif skipped:
        out.lines.append(f"Niet herinnerd over {label}: {', '.join(skipped)}.")
    return out


def run_check(settings: MailSettings) -> Outcome:
    """Connect, encrypt and log in as configured, then hang up: nothing is sent."""
    server = connect(settings)
    try:
        server.quit()
    except OSError:
        server.close()
    login = f", aangemeld als {settings.gebruiker}" if settings.gebruiker else ", zonder aanmelding"
    state = (f"weekoverzicht {'aan' if settings.digest else 'uit'} (DIGEST), "
             f"herinneringen {'aan' if settings.herinnering else 'uit'} (HERINNERING, "
             f"{settings.herinnering_dagen} {'dag' if settings.herinnering_dagen == 1 else 'dagen'} voor de deadline)")
    return Outcome(lines=[f"Mailserver {settings.host}:{settings.port} ({settings.beveiliging}{login}) in orde; "
                          f"er is niets verzonden. {state}."])
