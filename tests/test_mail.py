"""E-mail (dashboard/mail/): the weekly digest and the trekkers' reminders, sent to a real SMTP server
the test starts (aiosmtpd on a free port; tests/smtp_support.py) and read back from what it
received: recipients, subject, the text and the HTML part. The digest's signalen are the overview's
own (same sentences, a hidden value never in a mail), a reminder goes once per quarter, everything is
off by default, and a bad setting, an unreachable or refusing server or a refused recipient ends in
one Dutch line with exit 2. On SQLite and PostgreSQL where the database matters."""
from __future__ import annotations

import datetime as dt
import html
import os
import subprocess
import sys
from pathlib import Path

import pytest
import trustme
from sqlalchemy import func, insert, literal, select

from dashboard.mail import content as mail_content
from dashboard.mail.message import build_message, one_line
from dashboard.mail.schedule import quarter_deadline, reminder_quarter
from dashboard.mail.settings import NAMES, MailSettingError, read_settings
from dashboard.ui import signals_view
from data.accounts.email_address import InvalidAddress, normalise
from data.accounts.schema import Gebruiker
from data.accounts.users import add_user, set_active
from data.programme.edits import lock_period, set_voortgang
from data.programme.schema import Herinnering, Maatregel, Wijziging
from data.warehouse import summaries
from data.warehouse.schema import Traject
from kpi.forecast import signals as sg
from kpi.service import KpiService
from tests import warm_python
from tests.beheer_support import MANAGER, programme
from tests.cli_support import run_main
from tests.conftest import engine_url, shared_demo
from tests.smtp_support import free_port, smtp_server

__all__ = ["programme"]
ROOT = Path(__file__).resolve().parent.parent
BASE = "https://jeugdmonitor.huizen.nl"
SENDER = "Jeugdmonitor Huizen <jeugdmonitor@huizen.nl>"
PASSWORD = "lang-genoeg-wachtwoord"


def mail_env(monkeypatch, server=None, **values) -> None:
    """Only the mail settings given here (and the link and sender every run needs)."""
    for name in NAMES + ("SSL_CERT_FILE", "MIN_CELL_SIZE"):
        monkeypatch.delenv(name, raising=False)
    settings = {"BASIS_URL": BASE, "SMTP_AFZENDER": SENDER}
    if server is not None:
        settings |= {"SMTP_HOST": server.host, "SMTP_PORT": str(server.port), "SMTP_BEVEILIGING": "geen"}
    for name, value in (settings | values).items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)


def mail_main(*args: str) -> subprocess.CompletedProcess:
    from dashboard.mail.cli import main

    return run_main(main, list(args))


def parts(received) -> tuple[str, str]:
    """The text and the HTML of a received message (its lines as written: SMTP carries them with CRLF)."""
    message = received.message
    return tuple(message.get_body((kind,)).get_content().replace("\r\n", "\n") for kind in ("plain", "html"))


def count(engine, table) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(table))


# --- addresses, settings, deadline, content: no server, no database -------------------------------

@pytest.mark.parametrize("raw, stored", [("anna.devries@Huizen.NL", "anna.devries@huizen.nl"),
                                         (" o'brien+jeugd@gemeente-huizen.nl ", "o'brien+jeugd@gemeente-huizen.nl")])
def test_an_address_is_stored_with_its_domain_in_lower_case(raw, stored):
    assert normalise(raw) == stored


@pytest.mark.parametrize("raw", ["", "anna", "anna@", "@huizen.nl", "anna@huizen", "anna@@huizen.nl", "an na@huizen.nl",
                                 "anna@huizen.nl\nBcc: x@y.nl", "anna@huizen..nl", ".anna@huizen.nl", "anna@-huizen.nl",
                                 "anna@huizen.n1", "ánna@huizen.nl", '"anna"@huizen.nl', "anna@[127.0.0.1]",
                                 "a" * 65 + "@huizen.nl", "anna@" + "h" * 250 + ".nl"])
def test_a_bad_address_is_refused_in_dutch(raw):
    with pytest.raises(InvalidAddress, match="e-mailadres|leeg"):
        normalise(raw)


def test_everything_is_off_by_default():
    settings = read_settings({})
    assert (settings.digest, settings.herinnering, settings.herinnering_dagen) == (False, False, 7)
    assert (settings.beveiliging, settings.port, settings.host, settings.afzender) == ("starttls", 587, None, None)
    assert read_settings({"SMTP_BEVEILIGING": "SSL"}).port == 465
    assert read_settings({"SMTP_BEVEILIGING": "geen"}).port == 25
    sender = read_settings({"SMTP_AFZENDER": SENDER}).afzender
    assert (sender.display_name, sender.addr_spec) == ("Jeugdmonitor Huizen", "jeugdmonitor@huizen.nl")
    assert read_settings({"BASIS_URL": BASE + "/"}).link("/beheer") == BASE + "/beheer"
    assert "geheim" not in repr(read_settings({"SMTP_GEBRUIKER": "u", "SMTP_WACHTWOORD": "geheim"}))


@pytest.mark.parametrize("env, message", [
    ({"SMTP_PORT": "99999"}, "SMTP_PORT='99999': de poort van de mailserver is een geheel getal van 1 tot en met 65535"),
    ({"SMTP_PORT": "²"}, "SMTP_PORT='²'"),
    ({"SMTP_BEVEILIGING": "tls"}, "SMTP_BEVEILIGING='tls': kies starttls, ssl of geen"),
    ({"SMTP_HOST": "smtp://mail.huizen.nl"}, "SMTP_HOST='smtp://mail.huizen.nl': geef de naam"),
    ({"SMTP_AFZENDER": "jeugdmonitor"}, "SMTP_AFZENDER: e-mailadres 'jeugdmonitor': een e-mailadres heeft precies één '@'"),
    ({"SMTP_AFZENDER": 'Jeugd "monitor" <j@huizen.nl>'}, "SMTP_AFZENDER="),
    ({"SMTP_GEBRUIKER": "jeugdmonitor"}, "SMTP_GEBRUIKER is ingesteld zonder wachtwoord"),
    ({"SMTP_WACHTWOORD": "geheim"}, "er is een SMTP-wachtwoord ingesteld zonder SMTP_GEBRUIKER"),
    ({"SMTP_GEBRUIKER": "u", "SMTP_WACHTWOORD": "p", "SMTP_BEVEILIGING": "geen"}, "onversleuteld"),
    ({"SMTP_WACHTWOORD": "p", "SMTP_WACHTWOORD_FILE": "/x"}, "allebei ingesteld"),
    ({"SMTP_GEBRUIKER": "u", "SMTP_WACHTWOORD_FILE": "/bestaat/niet"}, "het bestand bestaat niet"),
    ({"BASIS_URL": "jeugdmonitor.huizen.nl"}, "BASIS_URL='jeugdmonitor.huizen.nl': begin met https://"),
    ({"BASIS_URL": "https://jeugdmonitor.huizen.nl/?x=1"}, "geen inloggegevens, '?' of '#'"),
    ({"BASIS_URL": "https://jeugdmonitor.huizen.nl:99999"}, "ongeldige poort"),
    ({"DIGEST": "ja graag"}, "DIGEST='ja graag': gebruik 1 (aan) of 0 (uit)"),
    ({"HERINNERING": "2"}, "HERINNERING='2'"),
    ({"HERINNERING_DAGEN": "0"}, "HERINNERING_DAGEN='0': het aantal dagen is een geheel getal van 1 tot en met 60"),
    ({"HERINNERING_DAGEN": "7 dagen"}, "HERINNERING_DAGEN='7 dagen'"),
])
def test_a_bad_setting_is_named_in_dutch(env, message):
    with pytest.raises(MailSettingError) as refused:
        read_settings(env)
    assert message in str(refused.value)


def test_the_password_file_is_read_and_must_not_be_readable_by_others(tmp_path):
    secret = tmp_path / "smtp-wachtwoord"
    secret.write_text("geheim wachtwoord\n")
    secret.chmod(0o600)
    env = {"SMTP_GEBRUIKER": "jeugdmonitor", "SMTP_WACHTWOORD_FILE": str(secret)}
    assert read_settings(env).wachtwoord == "geheim wachtwoord"
    secret.chmod(0o644)
    with pytest.raises(MailSettingError, match="rechten 600"):
        read_settings(env)


def test_the_deadline_is_the_quarters_last_day_and_the_reminder_window_ends_there():
    assert [quarter_deadline(f"2026-Q{q}") for q in (1, 2, 3, 4)] == [
        dt.date(2026, 3, 31), dt.date(2026, 6, 30), dt.date(2026, 9, 30), dt.date(2026, 12, 31)]
    assert reminder_quarter(dt.date(2026, 9, 22), 7) is None
    assert reminder_quarter(dt.date(2026, 9, 23), 7) == "2026-Q3"
    assert reminder_quarter(dt.date(2026, 9, 30), 7) == "2026-Q3"
    assert reminder_quarter(dt.date(2026, 10, 1), 7) is None  # the next quarter's deadline is far
    assert reminder_quarter(dt.date(2026, 3, 1), 30) == "2026-Q1"  # 30 days before 31 March
    assert reminder_quarter(dt.date(2026, 2, 28), 30) is None


def test_text_and_html_say_the_same_and_the_html_escapes_every_text():
    content = mail_content.Content("Weekoverzicht <Huizen>", (
        mail_content.Heading("Signalen & meer"),
        mail_content.paragraph("Zie ", mail_content.Link("het overzicht", BASE + "/?a=1&b=2"), "."),
        mail_content.Items((("<script>alert(1)</script>",), ("Anna: L1.1",))),
    ))
    assert mail_content.as_text(content) == (
        "Signalen & meer\n---------------\n\nZie het overzicht <https://jeugdmonitor.huizen.nl/?a=1&b=2>.\n\n"
        "- <script>alert(1)</script>\n- Anna: L1.1\n")
    page = mail_content.as_html(content)
    assert '<html lang="nl">' in page and "<title>Weekoverzicht &lt;Huizen&gt;</title>" in page
    assert '<a href="https://jeugdmonitor.huizen.nl/?a=1&amp;b=2">het overzicht</a>' in page
    assert "&lt;script&gt;" in page and "<script>" not in page


def test_a_name_or_title_with_a_line_break_stays_one_header():
    settings = read_settings({"SMTP_AFZENDER": SENDER})
    message = build_message(mail_content.Content("Onderwerp\r\nBcc: x@y.nl", ()), settings.afzender,
                            "Anna\nBcc: x@y.nl", "anna@huizen.nl")
    assert message["Subject"] == "Onderwerp Bcc: x@y.nl" and message["Bcc"] is None
    assert message["To"].addresses[0].addr_spec == "anna@huizen.nl" and message["Auto-Submitted"] == "auto-generated"
    assert one_line("a\x00b\tc") == "a b c"


# --- the e-mail address of an account ---------------------------------------------------------------

def test_users_email_sets_checks_and_removes_an_address(programme):
    from data.__main__ import main

    db = ("--db", engine_url(programme))
    add_user(programme, "anna", "Anna de Trekker", "trekker", PASSWORD, maatregelen=["L1.1"])
    assert run_main(main, ["users", "email", "anna", "Anna@Huizen.NL", *db]).stdout == "anna: e-mailadres Anna@huizen.nl.\n"
    bad = run_main(main, ["users", "email", "anna", "anna@huizen", *db])
    assert (bad.returncode, bad.stdout) == (2, "")
    assert bad.stderr == "fout: e-mailadres 'anna@huizen': het domein na de '@' is ongeldig (bijvoorbeeld huizen.nl)\n"
    assert "· e-mail: Anna@huizen.nl" in run_main(main, ["users", "list", *db]).stdout
    assert run_main(main, ["users", "email", "anna", *db]).stderr.startswith(
        "fout: geef een van deze argumenten: ADRES --geen (zie:")
    assert run_main(main, ["users", "email", "anna", "a@huizen.nl", "--geen", *db]).stderr.startswith(
        "fout: --geen gaat niet samen met ADRES (zie:")
    assert run_main(main, ["users", "email", "anna", "--geen", *db]).stdout == "anna: geen e-mailadres meer.\n"
    added = run_main(main, ["users", "add", "bob", "--naam", "Bob", "--rol", "trekker", "--email", "bob@huizen.nl",
                            "--wachtwoord-stdin", *db], stdin=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    with programme.connect() as conn:
        audit = conn.execute(select(Wijziging.sleutel, Wijziging.oude_waarde, Wijziging.nieuwe_waarde)
                             .where(Wijziging.veld == "emailadres").order_by(Wijziging.id)).all()
    assert [tuple(r) for r in audit] == [("anna", None, "Anna@huizen.nl"), ("anna", "Anna@huizen.nl", None),
                                         ("bob", None, "bob@huizen.nl")]


def test_a_restore_takes_the_reminders_with_the_accounts(programme, tmp_path):
    """`herinnering` is not in the back-up: restoring the accounts removes their reminders with them."""
    from data.programme.backup import backup_programme, restore_programme
    from data.programme.reminders import claim

    add_user(programme, "anna", "Anna de Trekker", "trekker", PASSWORD, maatregelen=["L1.1"], emailadres="anna@huizen.nl")
    backup_programme(programme, tmp_path / "backup.json")
    with programme.connect() as conn:
        anna = conn.scalar(select(Gebruiker.id).where(Gebruiker.gebruikersnaam == "anna"))
    now = dt.datetime(2026, 12, 30, 7, 30)
    assert claim(programme, anna, "2026-Q4", now) and not claim(programme, anna, "2026-Q4", now)
    restore_programme(programme, tmp_path / "backup.json")
    assert count(programme, Herinnering) == 0 and count(programme, Gebruiker) == 1


# --- the digest -------------------------------------------------------------------------------------

@pytest.fixture
def demo(request, backend):
    """The demonstration data with the Programmaplan (shared; put back after each test)."""
    return shared_demo(request)


def spike_in_september(engine) -> None:
    """Every traject that started in September 2026 once more (new ids): that month's instroom
    doubles, and the overview's signalen say so."""
    t = Traject.__table__
    with engine.begin() as conn:
        copy = select(*[(literal("x") + c).label(c.name) if c.name == "traject_id" else c for c in t.c]).where(
            t.c.startdatum.between(dt.date(2026, 9, 1), dt.date(2026, 9, 30)))
        conn.execute(insert(t).from_select([c.name for c in t.c], copy))
        summaries.rebuild(conn)


def page_sentences(service: KpiService) -> list[str]:
    """The signalen as the overview's block shows them (a service of the page's own, not the mail's)."""
    found = []

    def walk(node):
        if isinstance(node, (list, tuple)):
            for child in node:
                walk(child)
        elif getattr(node, "className", None) in ("signaal-gunstig", "signaal-ongunstig"):
            found.append(node.children)
        elif hasattr(node, "children"):
            walk(node.children)
    walk(signals_view.signals_block(sg.cached(service)))
    return found


def test_the_digest_goes_to_the_programmamanagers_with_the_overviews_signalen(demo, monkeypatch):
    spike_in_september(demo)
    add_user(demo, "petra", "Petra Manager", "programmamanager", PASSWORD, emailadres="petra@huizen.nl")
    add_user(demo, "piet", "Piet Zonder Adres", "programmamanager", PASSWORD)
    add_user(demo, "anna", "Anna de Trekker", "trekker", PASSWORD, maatregelen=["L3.6", "L1.1"], emailadres="anna@huizen.nl")
    add_user(demo, "bob", "Bob de Trekker", "trekker", PASSWORD, maatregelen=["L2.1"])
    set_voortgang(demo, MANAGER, "L2.1", "2026-Q4", "op_schema", "Loopt.", None)  # Bob is done
    with smtp_server() as server:
        mail_env(monkeypatch, server, DIGEST="1")
        done = mail_main("digest", "--db", engine_url(demo), "--peildatum", "2026-12-01")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "Weekoverzicht verzonden aan petra@huizen.nl.\n"
    assert done.stderr == ("waarschuwing: programmamanager Piet Zonder Adres (piet) heeft geen e-mailadres: "
                           "python -m data users email piet ADRES\n")
    [mail] = server.received
    assert mail.rcpt_tos == ["petra@huizen.nl"] and mail.mail_from == "jeugdmonitor@huizen.nl"
    assert mail.message["To"] == "Petra Manager <petra@huizen.nl>" and mail.message["From"] == SENDER
    page_service = KpiService(demo)  # computes the signals once for the page's sentences and its hidden KPIs
    sentences = page_sentences(page_service)
    assert any(s.startswith("Instroom (gestarte trajecten) september 2026: ") and "hoger dan verwacht" in s
               for s in sentences)
    assert mail.message["Subject"] == (f"Jeugdmonitor Huizen: weekoverzicht 1 december 2026 — {len(sentences)} "
                                       f"signa{'al' if len(sentences) == 1 else 'len'}, 1 trekker nog niet gerapporteerd")
    text, page = parts(mail)
    # the overview's sentences, and no others: the same numbers, and a hidden month never in a mail
    assert [line.split(" · ")[0][2:] for line in text.splitlines() if "dan verwacht (verwacht" in line] == sentences
    assert all(html.escape(s, quote=False) in page for s in sentences)
    hidden = [b.naam for b in sg.cached(page_service).beoordelingen if b.reden == sg.ONDERDRUKT]
    assert hidden and not any(naam in text for naam in hidden)
    assert f"Bekijk per maand <{BASE}/verkenner?kpi=instroom&jaar=2026&by=&per=maand>" in text
    # the reporting of the quarter, as /beheer counts it
    assert "Rapportage K4 2026 (deadline 31 december 2026)" in text
    assert "Trekkers met een account die alles hebben bijgewerkt: 1 van 2; maatregelen nog niet bijgewerkt: 44." in text
    assert "- Anna de Trekker: L1.1, L3.6\n" in text and "Bob" not in text
    assert f"Naar de rapportage K4 2026 <{BASE}/beheer?periode=2026-Q4>" in text
    assert f"Naar het overzicht <{BASE}/>" in text and f'<a href="{BASE}/">Naar het overzicht</a>' in page
    assert "geen gegevens van jeugdigen" in text and '<html lang="nl">' in page


def test_a_hidden_month_gives_no_signal_in_the_mail(demo, monkeypatch):
    """The same spike under a threshold that hides every monthly value: the page and the mail both
    show no signal and no judged month (dry run: nothing is sent, and no server is needed)."""
    spike_in_september(demo)
    add_user(demo, "petra", "Petra Manager", "programmamanager", PASSWORD, emailadres="petra@huizen.nl")
    mail_env(monkeypatch, MIN_CELL_SIZE="1000000")
    shown = mail_main("digest", "--db", engine_url(demo), "--dry-run", "--peildatum", "2026-12-01")
    assert shown.returncode == 0, shown.stderr
    assert page_sentences(KpiService(demo)) == [] and "dan verwacht" not in shown.stdout
    assert "Er is nog geen complete maand om te beoordelen.\n\nGeen signalen" in shown.stdout
    assert shown.stdout.startswith("Niet verzonden (--dry-run).\n" + "-" * 72 + "\nAan: Petra Manager <petra@huizen.nl>\n"
                                   "Onderwerp: Jeugdmonitor Huizen: weekoverzicht 1 december 2026 — 0 signalen")


def test_the_digest_without_a_programmamanager_with_an_address_sends_nothing(programme, monkeypatch):
    with smtp_server() as server:
        mail_env(monkeypatch, server, DIGEST="1")
        done = mail_main("digest", "--db", engine_url(programme))
    assert (done.returncode, done.stdout, server.received) == (2, "", [])
    assert done.stderr == ("fout: geen actieve programmamanager met een e-mailadres; stel er een in met "
                           "python -m data users email NAAM ADRES\n")


def test_mail_is_off_by_default_and_the_real_command_says_so(programme, monkeypatch):
    with smtp_server() as server:
        mail_env(monkeypatch, server)
        digest = warm_python.run([sys.executable, "-m", "dashboard.mail", "digest", "--db", engine_url(programme)],
                                 capture_output=True, text=True, cwd=ROOT, env=dict(os.environ), timeout=120)
        reminder = mail_main("herinnering", "--db", engine_url(programme), "--peildatum", "2026-12-30")
    assert (digest.returncode, digest.stderr) == (0, "")
    assert digest.stdout == ("Het weekoverzicht staat uit: er is niets verzonden (zet DIGEST=1 om te versturen; "
                             "--dry-run toont de e-mails).\n")
    assert (reminder.returncode, reminder.stdout) == (0, "De herinneringen staan uit: er is niets verzonden "
                                                         "(zet HERINNERING=1 om te versturen; --dry-run toont de e-mails).\n")
    assert server.received == [] and count(programme, Herinnering) == 0


# --- the reminders -----------------------------------------------------------------------------------

def trekkers(engine) -> None:
    """Anna (L1.1, L1.4) and Erik (L3.6) have open maatregelen in 2026-Q4; Bob reported his; Carla
    has no address; Dirk is deactivated."""
    add_user(engine, "anna", "Anna de Trekker", "trekker", PASSWORD, maatregelen=["L1.4", "L1.1"], emailadres="anna@huizen.nl")
    add_user(engine, "erik", "Erik de Trekker", "trekker", PASSWORD, maatregelen=["L3.6"], emailadres="erik@huizen.nl")
    add_user(engine, "bob", "Bob de Trekker", "trekker", PASSWORD, maatregelen=["L2.1"], emailadres="bob@huizen.nl")
    add_user(engine, "carla", "Carla Zonder Adres", "trekker", PASSWORD, maatregelen=["L4.1"])
    add_user(engine, "dirk", "Dirk Geblokkeerd", "trekker", PASSWORD, maatregelen=["L5.1"], emailadres="dirk@huizen.nl")
    set_active(engine, "dirk", False)
    set_voortgang(engine, MANAGER, "L2.1", "2026-Q4", "op_schema", None, None)


def test_a_trekker_is_reminded_once_before_the_deadline_over_starttls_with_a_login(programme, monkeypatch, tmp_path):
    trekkers(programme)
    ca = trustme.CA()
    ca.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    db = ("--db", engine_url(programme))
    with smtp_server(certificate=ca.issue_cert("127.0.0.1"), login=("jeugdmonitor", "smtp-geheim")) as server:
        mail_env(monkeypatch, server, HERINNERING="1", SMTP_BEVEILIGING="starttls", SMTP_GEBRUIKER="jeugdmonitor",
                 SMTP_WACHTWOORD="smtp-geheim", SSL_CERT_FILE=str(tmp_path / "ca.pem"))
        early = mail_main("herinnering", *db, "--peildatum", "2026-12-23")
        first = mail_main("herinnering", *db, "--peildatum", "2026-12-24")
        again = mail_main("herinnering", *db, "--peildatum", "2026-12-31")
    assert (early.returncode, early.stdout) == (0, "Geen herinneringen: de deadline van K4 2026 (31 december 2026) "
                                                   "is meer dan 7 dagen weg (HERINNERING_DAGEN).\n")
    assert first.returncode == 0, first.stderr
    assert first.stdout == ("Herinnering over K4 2026 verzonden aan anna@huizen.nl, erik@huizen.nl.\n"
                            "Niet herinnerd over K4 2026: 1 zonder e-mailadres.\n")
    assert first.stderr == ("waarschuwing: trekker Carla Zonder Adres (carla) heeft geen e-mailadres en krijgt geen "
                            "herinnering: python -m data users email carla ADRES\n")
    assert (again.returncode, again.stdout) == (0, "Niet herinnerd over K4 2026: 2 al herinnerd, 1 zonder e-mailadres.\n")
    assert [m.rcpt_tos for m in server.received] == [["anna@huizen.nl"], ["erik@huizen.nl"]]
    anna = server.received[0].message
    assert anna["To"] == "Anna de Trekker <anna@huizen.nl>"
    assert anna["Subject"] == "Herinnering: rapportage K4 2026 vóór 31 december 2026"
    text, page = parts(server.received[0])
    assert text.startswith("Beste Anna de Trekker,\n\nDe rapportage over K4 2026 sluit op 31 december 2026 (over 7 dagen).")
    with programme.connect() as conn:
        names = dict(conn.execute(select(Maatregel.code, Maatregel.naam).where(Maatregel.code.in_(["L1.1", "L1.4"]))).all())
    assert [line for line in text.splitlines() if line.startswith("- ")] == [f"- L1.1 {names['L1.1']}",
                                                                            f"- L1.4 {names['L1.4']}"]
    assert f"<{BASE}/beheer?periode=2026-Q4>" in text and f'href="{BASE}/beheer?periode=2026-Q4"' in page
    assert count(programme, Herinnering) == 2


def test_no_reminder_for_a_vastgesteld_quarter(programme, monkeypatch):
    trekkers(programme)
    lock_period(programme, MANAGER, "2026-Q4")
    with smtp_server() as server:
        mail_env(monkeypatch, server, HERINNERING="1")
        done = mail_main("herinnering", "--db", engine_url(programme), "--peildatum", "2026-12-30")
    assert (done.returncode, done.stdout, server.received) == (0, "Geen herinneringen: K4 2026 is al vastgesteld.\n", [])


def test_an_unreachable_server_is_one_line_and_the_reminders_wait_for_the_next_run(programme, monkeypatch):
    trekkers(programme)
    db = ("--db", engine_url(programme), "--peildatum", "2026-12-30")
    port = free_port()
    mail_env(monkeypatch, HERINNERING="1", SMTP_HOST="127.0.0.1", SMTP_PORT=str(port), SMTP_BEVEILIGING="geen")
    down = mail_main("herinnering", *db)
    assert (down.returncode, down.stdout) == (2, "")
    assert down.stderr.splitlines()[-1] == (f"fout: de mailserver 127.0.0.1:{port} weigert de verbinding "
                                            "(draait er een mailserver op die poort?)")
    assert count(programme, Herinnering) == 0  # the claims were taken back
    with smtp_server() as server:
        mail_env(monkeypatch, server, HERINNERING="1")
        up = mail_main("herinnering", *db)
    assert up.returncode == 0 and len(server.received) == 2


def test_a_refused_recipient_is_named_and_tried_again_alone(programme, monkeypatch):
    trekkers(programme)
    db = ("--db", engine_url(programme), "--peildatum", "2026-12-30")
    with smtp_server() as server:
        mail_env(monkeypatch, server, HERINNERING="1")
        server.handler.refuse.add("erik@huizen.nl")
        partial = mail_main("herinnering", *db)
        server.handler.refuse.clear()
        retry = mail_main("herinnering", *db)
    assert partial.returncode == 2
    assert partial.stdout.startswith("Herinnering over K4 2026 verzonden aan anna@huizen.nl.\n")
    assert partial.stderr.splitlines()[-1] == ("fout: niet verzonden aan erik@huizen.nl (de mailserver weigert dit "
                                               "adres (550 5.1.1 Mailbox unavailable))")
    assert retry.returncode == 0 and retry.stdout.startswith("Herinnering over K4 2026 verzonden aan erik@huizen.nl.\n")
    assert [m.rcpt_tos for m in server.received] == [["anna@huizen.nl"], ["erik@huizen.nl"]]


def test_the_dry_run_shows_the_reminders_and_remembers_nothing(programme, monkeypatch):
    trekkers(programme)
    mail_env(monkeypatch)  # no mail server: a dry run needs none
    shown = mail_main("herinnering", "--db", engine_url(programme), "--peildatum", "2026-12-31", "--dry-run")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("Niet verzonden (--dry-run): 2 herinnering(en) over K4 2026.\n")
    assert "Aan: Anna de Trekker <anna@huizen.nl>\nOnderwerp: Herinnering: rapportage K4 2026 vóór 31 december 2026\n" \
        in shown.stdout and "(vandaag)" in shown.stdout
    assert count(programme, Herinnering) == 0


# --- the mail server: TLS, login, refusals -------------------------------------------------------------

@pytest.fixture(scope="module")
def ca():
    return trustme.CA()


def check(monkeypatch, server, **values) -> subprocess.CompletedProcess:
    mail_env(monkeypatch, server, **values)
    return mail_main("controleer")


def test_check_logs_in_over_starttls_and_over_tls(ca, monkeypatch, tmp_path):
    ca.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    login = {"SMTP_GEBRUIKER": "jeugdmonitor", "SMTP_WACHTWOORD": "smtp-geheim", "SSL_CERT_FILE": str(tmp_path / "ca.pem")}
    with smtp_server(certificate=ca.issue_cert("127.0.0.1"), login=("jeugdmonitor", "smtp-geheim")) as server:
        ok = check(monkeypatch, server, SMTP_BEVEILIGING="starttls", **login)
        one_day = check(monkeypatch, server, SMTP_BEVEILIGING="starttls", HERINNERING_DAGEN="1", **login)
        wrong = check(monkeypatch, server, SMTP_BEVEILIGING="starttls", **(login | {"SMTP_WACHTWOORD": "fout"}))
        untrusted = check(monkeypatch, server, SMTP_BEVEILIGING="starttls", **(login | {"SSL_CERT_FILE": None}))
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith(f"Mailserver 127.0.0.1:{server.port} (starttls, aangemeld als jeugdmonitor) in orde; "
                                "er is niets verzonden.")
    assert "dagen voor de deadline)" in ok.stdout and "(HERINNERING, 1 dag voor de deadline)" in one_day.stdout
    assert wrong.returncode == 2 and wrong.stderr.startswith(
        f"fout: de mailserver 127.0.0.1:{server.port} weigert de aanmelding van SMTP_GEBRUIKER 'jeugdmonitor' (535")
    assert untrusted.returncode == 2 and "is niet te vertrouwen" in untrusted.stderr
    with smtp_server(certificate=ca.issue_cert("127.0.0.1"), implicit_tls=True, login=("jeugdmonitor", "smtp-geheim")) as server:
        tls = check(monkeypatch, server, SMTP_BEVEILIGING="ssl", **login)
    assert tls.returncode == 0 and "(ssl, aangemeld als jeugdmonitor) in orde" in tls.stdout, tls.stderr
    assert server.received == []


def test_starttls_against_a_server_without_it_is_refused(monkeypatch):
    with smtp_server() as server:
        plain = check(monkeypatch, server, SMTP_BEVEILIGING="starttls")
    assert plain.returncode == 2 and plain.stdout == ""
    assert plain.stderr == (f"fout: de mailserver 127.0.0.1:{server.port} biedt geen STARTTLS aan; zet SMTP_BEVEILIGING=ssl "
                            "(versleuteld vanaf het begin, meestal poort 465), of alleen binnen het eigen netwerk: geen\n")


@pytest.mark.parametrize("args, env, message", [
    (("controleer",), {"SMTP_HOST": None}, "fout: SMTP_HOST is niet ingesteld: zonder mailserver en afzender kan er "
                                           "niets verzonden worden"),
    (("digest",), {"DIGEST": "1", "SMTP_PORT": "0"}, "fout: SMTP_PORT='0': de poort van de mailserver is een geheel "
                                                     "getal van 1 tot en met 65535"),
    (("digest",), {"DIGEST": "1", "BASIS_URL": None}, "fout: BASIS_URL is niet ingesteld: de e-mails linken naar het "
                                                      "dashboard (bijvoorbeeld BASIS_URL=https://jeugdmonitor.huizen.nl)"),
    (("herinnering", "--peildatum", "2026-02-30"), {"HERINNERING": "1"},
     "fout: --peildatum: ongeldige datum '2026-02-30'; gebruik JJJJ-MM-DD"),
    (("herinnering", "--dry-run"), {"MIN_CELL_SIZE": "nul"}, "fout: MIN_CELL_SIZE (de drempel voor kleine aantallen) "
                                                              "moet een geheel getal"),
    (("verstuur",), {}, "fout: onbekende opdracht 'verstuur'; kies uit: digest, herinnering, controleer"),
])
def test_a_bad_setting_or_argument_is_one_dutch_line_and_exit_2(args, env, message, monkeypatch):
    mail_env(monkeypatch, **({"SMTP_HOST": "127.0.0.1"} | env))
    refused = mail_main(*args)
    assert (refused.returncode, refused.stdout) == (2, "")
    assert refused.stderr.startswith(message) and refused.stderr.count("\n") == 1, refused.stderr
