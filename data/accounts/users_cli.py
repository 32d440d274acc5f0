"""`python -m data users …`: manage accounts from the command line.

    python -m data users add NAAM --naam "Volledige naam" --rol trekker [--maatregel L3.4 ...]
    python -m data users passwd NAAM          # ends every session of the account
    python -m data users assign NAAM L3.4 L3.6 [--remove]
    python -m data users role NAAM programmamanager|trekker|lezer
    python -m data users deactivate NAAM | activate NAAM   # deactivate ends every session
    python -m data users email NAAM ADRES | --geen          # where the digest and reminders go
    python -m data users list

A password is asked twice at the terminal, or read from the first line of standard input with
--wachtwoord-stdin (for scripts) — never taken from the command line, where `ps` would show it.
"""
from __future__ import annotations

import getpass
import sys

from data.accounts.schema import ROLLEN


def add_parser(commands, with_db) -> None:
    users = commands.add_parser("users", help="accounts beheren (toevoegen, wachtwoord, rol, maatregelen)")
    sub = users.add_subparsers(dest="users_command", required=True, metavar="ACTIE")
    add = with_db(sub.add_parser("add", help="een account toevoegen"))
    add.add_argument("gebruikersnaam")
    add.add_argument("--naam", required=True, help="volledige naam, zoals getoond in de historie")
    add.add_argument("--rol", required=True, choices=ROLLEN)
    add.add_argument("--maatregel", action="append", default=[], metavar="CODE",
                     help="maatregel die deze trekker bijwerkt (herhaalbaar)")
    add.add_argument("--email", metavar="ADRES", help="e-mailadres voor de wekelijkse samenvatting of herinneringen")
    add.add_argument("--wachtwoord-stdin", action="store_true", help="wachtwoord van standaardinvoer lezen")
    passwd = with_db(sub.add_parser("passwd", help="een nieuw wachtwoord instellen"))
    passwd.add_argument("gebruikersnaam")
    passwd.add_argument("--wachtwoord-stdin", action="store_true")
    assign = with_db(sub.add_parser("assign", help="maatregelen toewijzen aan een trekker"))
    assign.add_argument("gebruikersnaam")
    assign.add_argument("maatregelen", nargs="+", metavar="CODE")
    assign.add_argument("--remove", action="store_true", help="toewijzing intrekken")
    role = with_db(sub.add_parser("role", help="de rol wijzigen"))
    role.add_argument("gebruikersnaam")
    role.add_argument("rol", choices=ROLLEN)
    for name, text in (("deactivate", "een account blokkeren"), ("activate", "een account weer toelaten")):
        with_db(sub.add_parser(name, help=text)).add_argument("gebruikersnaam")
    email = with_db(sub.add_parser("email", help="het e-mailadres instellen of weghalen"))
    email.add_argument("gebruikersnaam")
    target = email.add_mutually_exclusive_group(required=True)
    target.add_argument("adres", nargs="?", metavar="ADRES", help="bijvoorbeeld anna.devries@huizen.nl")
    target.add_argument("--geen", action="store_true", help="het e-mailadres weghalen: geen e-mail meer")
    with_db(sub.add_parser("list", help="alle accounts tonen"))


def _password(args) -> str:
    from data.accounts.users import UserError

    if args.wachtwoord_stdin:
        line = sys.stdin.readline()
        if not line:
            raise UserError("geen wachtwoord op de standaardinvoer (--wachtwoord-stdin leest één regel)")
        return line.rstrip("\n")
    if not sys.stdin.isatty():  # getpass would warn in English and read nothing
        raise UserError("er is geen terminal om het wachtwoord te vragen; geef het op de standaardinvoer "
                        "met --wachtwoord-stdin")
    try:
        first = getpass.getpass("Wachtwoord: ")
        again = getpass.getpass("Nogmaals: ")
    except EOFError:  # Ctrl-D at the prompt
        raise UserError("geen wachtwoord gegeven") from None
    if again != first:
        raise UserError("de twee wachtwoorden zijn niet gelijk")
    return first


def _ended(count: int) -> str:
    """What the operator should know: who was logged in is logged out."""
    if not count:
        return ""
    return f" {count} open {'sessie' if count == 1 else 'sessies'} beëindigd."


def run(args, engine) -> int:
    from data.accounts import users

    name = getattr(args, "gebruikersnaam", None)
    match args.users_command:
        case "add":
            users.check_new_account(name, args.naam, args.rol, args.email)  # before the password is asked
            users.check_wachtwoord(password := _password(args))
            users.add_user(engine, name, args.naam, args.rol, password, maatregelen=args.maatregel,
                           emailadres=args.email)
            print(f"Account {name} ({args.rol}) aangemaakt.")
        case "passwd":
            ended = users.set_password(engine, name, _password(args))
            print(f"Wachtwoord van {name} gewijzigd.{_ended(ended)}")
        case "assign":
            users.assign(engine, name, args.maatregelen, remove=args.remove)
            print(f"{name}: maatregelen {'ingetrokken' if args.remove else 'toegewezen'}: {', '.join(args.maatregelen)}.")
        case "role":
            users.set_role(engine, name, args.rol)
            print(f"{name} is nu {args.rol}.")
        case "deactivate" | "activate":
            ended = users.set_active(engine, name, args.users_command == "activate")
            print(f"{name} is {'weer actief' if args.users_command == 'activate' else 'geblokkeerd'}.{_ended(ended)}")
        case "email":
            stored = users.set_emailadres(engine, name, None if args.geen else args.adres)
            print(f"{name}: e-mailadres {stored}." if stored else f"{name}: geen e-mailadres meer.")
        case "list":
            from data.accounts.provider_accounts import provider_usernames

            addresses = users.email_addresses(engine)
            via_provider = provider_usernames(engine)
            for user, actief in users.list_users(engine):
                maatregelen = ", ".join(sorted(user.maatregelen)) or "–"
                bron = " · via de inlogdienst" if user.gebruikersnaam in via_provider else ""
                print(f"{user.gebruikersnaam:<24} {user.rol:<17} {'actief' if actief else 'geblokkeerd':<11} "
                      f"{user.naam} · maatregelen: {maatregelen} · e-mail: {addresses.get(user.gebruikersnaam, '–')}{bron}")
    return 0
