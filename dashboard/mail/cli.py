"""`python -m dashboard.mail`: the weekly digest and the trekkers' reminders, for cron or a systemd
timer (README, "E-mail"):

    python -m dashboard.mail digest [--db URL] [--dry-run] [--peildatum JJJJ-MM-DD]
    python -m dashboard.mail herinnering [--db URL] [--dry-run] [--peildatum JJJJ-MM-DD]
    python -m dashboard.mail controleer        # settings and the mail server's login; sends nothing

Settings: dashboard/mail/settings.py. Exit status 0; 2 for a bad setting or argument, a mail server
that cannot be reached or refuses, or any recipient not reached (the line names them, and says who
did get it); 1 for anything else (the database unreachable). One Dutch line `fout: …`, never a
traceback (data/cli_errors.py). A mail that is off (DIGEST, HERINNERING) is not sent: the command
says so and exits 0, so a crontab line can stay while the gemeente has not switched it on."""
from __future__ import annotations

import datetime as dt
import sys
from typing import Sequence

from data.cli_errors import EXIT_BAD_INPUT, CommandError, DutchArgumentParser, iso_date, url_argument

PROG = "python -m dashboard.mail"


class MailUsageError(ValueError):
    """A bad argument (a date)."""


def build_parser() -> DutchArgumentParser:
    parser = DutchArgumentParser(prog=PROG, description="E-mail van de Jeugdmonitor: het weekoverzicht voor de "
                                                        "programmamanager en de herinneringen voor de trekkers.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMANDO")
    for name, text in (("digest", "het weekoverzicht naar de programmamanagers sturen (DIGEST=1)"),
                       ("herinnering", "de trekkers herinneren aan de rapportage van het kwartaal (HERINNERING=1)")):
        sub = commands.add_parser(name, help=text)
        sub.add_argument("--db", metavar="URL", type=url_argument, help="database-URL (standaard: DATABASE_URL of de ingebouwde SQLite)")
        sub.add_argument("--dry-run", action="store_true",
                         help="niets versturen: de e-mails tonen (ook als ze uit staan)")
        sub.add_argument("--peildatum", metavar="JJJJ-MM-DD",
                         help="doen alsof het die dag is (standaard vandaag): bepaalt het kwartaal")
    commands.add_parser("controleer", help="de instellingen en de aanmelding bij de mailserver controleren; "
                                           "verstuurt niets")
    return parser


def _today(args) -> dt.date:
    return dt.date.today() if args.peildatum is None else iso_date(args.peildatum, "peildatum", MailUsageError)


def _engine(args):
    from data.bootstrap import ensure_warehouse
    from kpi import totals

    return ensure_warehouse(args.db, derive=totals.after_load, reads_only=True)


def _finish(outcome) -> int:
    for line in outcome.lines:
        print(line)
    for warning in outcome.warnings:
        print(f"waarschuwing: {warning}", file=sys.stderr)
    if outcome.failed:
        failed = "; ".join(f"{d.adres} ({d.fout})" for d in outcome.failed)
        raise CommandError(f"niet verzonden aan {failed}", code=EXIT_BAD_INPUT)
    return 0


def _work(args) -> int:
    from dashboard.mail import jobs
    from dashboard.mail.settings import read_settings
    from kpi.settings import check_disclosure_settings

    settings = read_settings()
    if args.command == "controleer":
        settings.require_sending()
        return _finish(jobs.run_check(settings))
    today = _today(args)
    check_disclosure_settings()
    switched_on = settings.digest if args.command == "digest" else settings.herinnering
    if not switched_on and not args.dry_run:
        what, name = (("Het weekoverzicht staat", "DIGEST") if args.command == "digest" else
                      ("De herinneringen staan", "HERINNERING"))
        print(f"{what} uit: er is niets verzonden (zet {name}=1 om te versturen; --dry-run toont de e-mails).")
        return 0
    settings.require_base_url()
    if not args.dry_run:
        settings.require_sending()
    engine = _engine(args)
    try:
        if args.command == "digest":
            from kpi.service import KpiService

            return _finish(jobs.run_digest(engine, KpiService(engine), settings, today, args.dry_run))
        return _finish(jobs.run_reminders(engine, settings, today, args.dry_run))
    finally:
        engine.dispose()


def main(argv: Sequence[str] | None = None) -> int:
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")
    from dashboard.mail.settings import MailSettingError
    from dashboard.mail.smtp import MailError
    from data.cli_errors import run_command
    from data.db import DatabaseUrlError
    from kpi.settings import SettingError

    args = build_parser().parse_args(argv)  # bad arguments: one Dutch line, exit 2
    return run_command(lambda: _work(args),
                       bad_input=(MailSettingError, MailError, MailUsageError, SettingError, DatabaseUrlError))
