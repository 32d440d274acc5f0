"""The demonstration programme in motion: what a year and three quarters of reporting leave behind.

The embedded default's first start loads the Programmaplan (data/programme/plan.py) and then replays
this history through the real write path (data.programme.edits: permissions, audit trail,
versions), each write at the moment it would have happened (`recorded_at`), so the raad's views
show a running programme instead of dashes:
- every maatregel reported a status and a short toelichting for each quarter of 2025 and for
  2026-Q1; most for 2026-Q2, about half for 2026-Q3 (the quarter still open);
- the programmamanager vastgesteld the nulmeting (2024-Q4) at the start and 2025-Q1 … 2026-Q2 some
  weeks after each quarter, so the manual realisaties of 2024, 2025 and of the first half of 2026
  are the raad's to see;
- three dated notes on indicator timelines, and one streefwaarde moved with its reason.
Deterministic per seed; fictional like the rest of the demonstration data.
"""
from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import Engine, select

from data.accounts.schema import Gebruiker
from data.accounts.users import User
from data.programme.edits import add_annotatie, lock_period, recorded_at, set_streefwaarde, set_voortgang
from data.programme.schema import Indicator, Maatregel, MaatregelVoortgang, Streefwaarde

PLAN_START = dt.datetime(2025, 1, 6, 9, 0)  # the demonstration's plan was loaded when it started
QUARTERS = ("2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3")
LOCKED = QUARTERS[:6]            # 2026-Q3 is still open for the trekkers
BASELINE = "2024-Q4"             # the quarter of the nulmeting year's figures
REPORTED_SHARE = {"2026-Q2": 0.9, "2026-Q3": 0.5}  # the rest: every maatregel

TOELICHTING = {
    "nog_niet_gestart": ("Start gepland na de zomer; projectplan in voorbereiding.",
                         "Wacht op de regionale afspraken; nog niet gestart.",
                         "Voorbereiding loopt; eerste overleg met de partners gepland."),
    "op_schema": ("Loopt volgens planning.",
                  "Eerste resultaten binnen; de samenwerking met de scholen loopt goed.",
                  "Op schema; de evaluatie volgt in het volgende kwartaal.",
                  "Uitvoering loopt; de bezetting is rond."),
    "vertraagd": ("Vertraagd door personeelstekort bij de partners.",
                  "Aanbesteding duurt langer dan gepland.",
                  "Vertraging door de regionale besluitvorming; nieuwe planning volgt."),
    "afgerond": ("Afgerond; de werkwijze is opgenomen in de reguliere uitvoering.",
                 "Afgerond en geëvalueerd; de aanbevelingen zijn overgenomen."),
}

NOTES = (  # (indicator, date, text, when written)
    ("K06", dt.date(2025, 3, 1), "Start praktijkondersteuners jeugd bij alle huisartsenpraktijken",
     dt.datetime(2025, 3, 4, 10, 12)),
    ("K14", dt.date(2025, 9, 15), "Twee langdurige residentiële plaatsingen afgerond; de gemiddelde "
                                  "verblijfsduur stijgt daardoor tijdelijk", dt.datetime(2025, 10, 2, 14, 5)),
    ("K18", dt.date(2026, 1, 1), "Nieuwe regionale tarieven jeugdhulp Gooi en Vechtstreek",
     dt.datetime(2026, 1, 12, 9, 30)),
)
MOVED_TARGET = ("K14", 2026, 600, "Bijgesteld: langdurige plaatsingen ronden af, de verblijfsduur daalt pas "
                "vanaf 2027 (evaluatie K3 2025)", dt.datetime(2026, 2, 10, 11, 0))


def _quarter_end(periode: str) -> dt.date:
    year, q = int(periode[:4]), int(periode[-1])
    return dt.date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1) - dt.timedelta(days=1)


def _account(engine: Engine, rol: str) -> User | None:
    """The first active demo account with this role, as the write path wants it."""
    from data.accounts.users import load_user

    with engine.connect() as conn:
        user_id = conn.scalar(select(Gebruiker.id).where(Gebruiker.rol == rol, Gebruiker.actief.is_(True))
                              .order_by(Gebruiker.id).limit(1))
    return load_user(engine, user_id) if user_id is not None else None


def _next_status(rnd: random.Random, status: str, quarter_index: int) -> str:
    if status == "afgerond":
        return status
    if status == "nog_niet_gestart":
        return "op_schema" if rnd.random() < 0.45 else status
    if status == "vertraagd":
        return "op_schema" if rnd.random() < 0.35 else status
    roll = rnd.random()
    if roll < 0.12:
        return "vertraagd"
    if roll < 0.12 + 0.02 * quarter_index:
        return "afgerond"
    return status


def play(engine: Engine, seed: int = 2025) -> bool:
    """Replay the demonstration history once (False when there is nothing to do: no accounts, or
    reports exist already)."""
    manager = _account(engine, "programmamanager")
    trekker = _account(engine, "trekker")
    if manager is None:
        return False
    with engine.connect() as conn:
        if conn.scalar(select(MaatregelVoortgang.id).limit(1)) is not None:
            return False
        maatregelen = conn.execute(select(Maatregel.code, Maatregel.status)
                                   .order_by(Maatregel.lijn_id, Maatregel.nummer)).all()
    rnd = random.Random(seed)
    # the nulmeting (2024's figures) was vastgesteld with the plan: the raad sees the baseline
    with recorded_at(PLAN_START + dt.timedelta(days=1)):
        lock_period(engine, manager, BASELINE)
    status = {m.code: ("nog_niet_gestart" if m.status == "afgerond" else m.status) for m in maatregelen}
    for index, periode in enumerate(QUARTERS):
        end = _quarter_end(periode)
        share = REPORTED_SHARE.get(periode, 1.0)
        for m in maatregelen:
            status[m.code] = _next_status(rnd, status[m.code], index)
            if rnd.random() >= share:
                continue
            who = trekker if trekker and m.code in trekker.maatregelen else manager
            moment = dt.datetime.combine(end + dt.timedelta(days=rnd.randint(3, 15)),
                                         dt.time(rnd.randint(8, 17), rnd.randint(0, 59)))
            with recorded_at(moment):
                set_voortgang(engine, who, m.code, periode, status[m.code],
                              rnd.choice(TOELICHTING[status[m.code]]), None)
        if periode in LOCKED:
            with recorded_at(dt.datetime.combine(end + dt.timedelta(days=24), dt.time(16, 30))):
                lock_period(engine, manager, periode)
        for code, datum, tekst, written in NOTES:
            if _quarter_end(periode) >= written.date() > _quarter_end(periode) - dt.timedelta(days=92):
                with recorded_at(written):
                    add_annotatie(engine, manager, code, datum, tekst)
        code, jaar, waarde, reden, written = MOVED_TARGET
        if _quarter_end(periode) >= written.date() > _quarter_end(periode) - dt.timedelta(days=92):
            with engine.connect() as conn:
                version = conn.scalar(select(Streefwaarde.version)
                                      .join(Indicator, Indicator.id == Streefwaarde.indicator_id)
                                      .where(Indicator.code == code, Streefwaarde.jaar == jaar,
                                             Streefwaarde.soort == "streefwaarde"))
            with recorded_at(written):
                set_streefwaarde(engine, manager, code, jaar, waarde, version, reden)
    return True
