"""dashboard.programme.history: what the beheer screens read — reporting status per quarter, an indicator's and
a maatregel's history (newest first, in words), annotations, versions and period state."""
from __future__ import annotations

import datetime as dt
from itertools import pairwise

from sqlalchemy import insert, select

from dashboard.programme.history import (
    annotations,
    indicator_edit,
    indicator_history,
    maatregel_histories,
    period_state,
    reporting_status,
    voortgang,
)
from data.accounts.schema import Gebruiker, GebruikerMaatregel
from data.programme.edits import add_annotatie, lock_period, set_realisatie, set_streefwaarde, set_voortgang
from data.programme.schema import Maatregel
from tests.beheer_support import ANNA, MANAGER, programme

__all__ = ["programme"]


def _accounts(engine, rows):
    """Accounts straight into the tables (no login in these tests, so no slow password hash)."""
    with engine.begin() as conn:
        ids = dict(conn.execute(select(Maatregel.code, Maatregel.id)).all())
        for naam, rol, actief, codes in rows:
            user_id = conn.execute(insert(Gebruiker).values(
                gebruikersnaam=naam.split()[0].lower(), naam=naam, rol=rol, actief=actief,
                wachtwoord_hash="scrypt:niet-gebruikt", aangemaakt_op=dt.datetime(2026, 1, 1))
                .returning(Gebruiker.id)).scalar_one()
            for code in codes:
                conn.execute(insert(GebruikerMaatregel).values(gebruiker_id=user_id, maatregel_id=ids[code]))
        return len(ids)


def test_reporting_status(programme):
    total = _accounts(programme, [
        ("Anna de Trekker", "trekker", True, ["L1.1", "L1.4"]),
        ("Bob de Trekker", "trekker", True, ["L2.1"]),
        ("Carla Oud", "trekker", False, ["L3.1"]),      # deactivated: not counted
        ("Dirk Raad", "lezer", True, ["L3.2"]),          # not a trekker (any more): not counted
        ("Eva Manager", "programmamanager", True, []),
    ])
    empty = reporting_status(programme, "2026-Q4")
    assert empty.trekkers == ("Anna de Trekker", "Bob de Trekker") and empty.bijgewerkt == ()
    assert len(empty.niet_bijgewerkt) == total
    assert empty.summary == f"Trekkers met een account die alles hebben bijgewerkt: 0 van 2; maatregelen nog niet bijgewerkt: {total}"

    set_voortgang(programme, ANNA, "L1.1", "2026-Q4", "op_schema", None, None)
    half = reporting_status(programme, "2026-Q4")
    assert half.bijgewerkt == ()  # anna still has L1.4 to do
    set_voortgang(programme, ANNA, "L1.4", "2026-Q4", "vertraagd", "wacht op subsidie", None)
    set_voortgang(programme, MANAGER, "L8.3", "2026-Q4", "afgerond", None, None)
    status = reporting_status(programme, "2026-Q4")
    assert status.bijgewerkt == ("Anna de Trekker",)
    todo = [code for code, _ in status.niet_bijgewerkt]
    assert "L2.1" in todo and not {"L1.1", "L1.4", "L8.3"} & set(todo) and len(todo) == total - 3
    assert todo[:2] == ["L1.2", "L1.3"]  # in the plan's order
    with programme.connect() as conn:
        naam_l21 = conn.scalar(select(Maatregel.naam).where(Maatregel.code == "L2.1"))
    assert ("L2.1", naam_l21) in status.niet_bijgewerkt
    assert status.summary == f"Trekkers met een account die alles hebben bijgewerkt: 1 van 2; maatregelen nog niet bijgewerkt: {total - 3}"
    assert reporting_status(programme, "2027-Q1").bijgewerkt == ()  # another quarter


def test_indicator_history_newest_first_in_words(programme):
    plan = indicator_history(programme, "H01")
    assert {h.wat for h in plan} == {"nulmeting 2024", "streefwaarde 2025", "streefwaarde 2026",
                                     "streefwaarde 2027", "streefwaarde 2028", "realisatie 2024",
                                     "realisatie 2025", "realisatie K1 2026", "realisatie K2 2026",
                                     "realisatie K3 2026"}
    set_streefwaarde(programme, ANNA, "H01", 2026, "520", 1, reden="meer aanmeldingen")
    set_realisatie(programme, ANNA, "H01", "2026-Q4", "12,5", None)
    add_annotatie(programme, MANAGER, "H01", "2026-10-01", "Nieuwe locatie")
    set_realisatie(programme, MANAGER, "H10", "2026-Q4", "3", None)
    history = indicator_history(programme, "H01")
    assert len(history) == len(plan) + 3
    newest = [(h.wat, h.door, h.oud, h.nieuw, h.reden) for h in history[:3]]
    assert newest == [("notitie", "pm", None, "2026-10-01: Nieuwe locatie", None),
                      ("realisatie K4 2026", "anna", None, "12.5", None),
                      ("streefwaarde 2026", "anna", "500", "520", "meer aanmeldingen")]
    assert all(a.op >= b.op for a, b in pairwise(history))
    assert not any(h.wat == "realisatie K4 2026" and h.nieuw == "3" for h in history)  # H10 is not H01
    assert indicator_history(programme, "H1") == []  # no prefix matching
    assert len(indicator_history(programme, "H01", limit=2)) == 2


def maatregel_history(programme, code, vastgesteld_only=False):
    return maatregel_histories(programme, [code], vastgesteld_only)[code]


def test_maatregel_history(programme):
    set_voortgang(programme, ANNA, "L1.1", "2026-Q3", "op_schema", "loopt", None)
    set_voortgang(programme, ANNA, "L1.1", "2026-Q3", "vertraagd", "loopt", 1)
    set_voortgang(programme, ANNA, "L1.4", "2026-Q3", "afgerond", None, None)
    history = maatregel_history(programme, "L1.1")
    assert [(h.wat, h.oud, h.nieuw) for h in history] == [
        ("status K3 2026", "op_schema", "vertraagd"), ("toelichting K3 2026", None, "loopt"),
        ("status K3 2026", None, "op_schema")]


def test_annotations_versions_and_period_state(programme):
    add_annotatie(programme, ANNA, "H01", "2026-05-01", "B")
    add_annotatie(programme, ANNA, "H01", "2026-02-01", "A")
    add_annotatie(programme, ANNA, "H03", "2026-02-01", "elders")
    assert [(n.datum, n.tekst, n.door) for n in annotations(programme, "H01")] == [
        (dt.date(2026, 2, 1), "A", "anna"), (dt.date(2026, 5, 1), "B", "anna")]
    assert annotations(programme, "H99") == []

    edit = indicator_edit(programme, "H01")
    assert edit.nulmeting[0] == 2024 and edit.nulmeting[1].waarde == 420
    assert set(edit.streefwaarden) == {2025, 2026, 2027, 2028}
    assert edit.realisaties["2025"].waarde == 455 and edit.realisaties["2025"].version == 1
    set_realisatie(programme, ANNA, "H01", "2025", "456", 1)
    assert indicator_edit(programme, "H01").realisaties["2025"].version == 2
    assert indicator_edit(programme, "H99") is None

    set_voortgang(programme, ANNA, "L1.1", "2026-Q3", "vertraagd", "x", None)
    assert voortgang(programme, "2026-Q3")["L1.1"].version == 1 and voortgang(programme, "2026-Q2") == {}

    assert period_state(programme, "2026-Q3").vastgesteld is False
    lock_period(programme, MANAGER, "2026-Q3")
    state = period_state(programme, "2026-Q3")
    assert state.vastgesteld and state.door == "pm" and state.op is not None


def test_the_raad_sees_history_of_vastgestelde_periods_only(programme):
    """A lezer's history holds realisaties and statuses of vastgestelde periods only, exactly as
    the figures; trekkers and the programmamanager see everything, marked."""
    set_realisatie(programme, ANNA, "H01", "2026-Q4", "12,5", None)       # open quarter
    set_voortgang(programme, ANNA, "L1.1", "2026-Q4", "vertraagd", "wacht", None)
    set_realisatie(programme, ANNA, "H01", "2026-Q3", "11", 1)           # … about to be locked
    set_streefwaarde(programme, ANNA, "H01", 2027, "480", 1, reden="bijgesteld")
    lock_period(programme, MANAGER, "2026-Q3")

    raad = indicator_history(programme, "H01", vastgesteld_only=True)
    everything = indicator_history(programme, "H01")
    assert not any(h.wat == "realisatie K4 2026" for h in raad)
    assert [h.nieuw for h in raad if h.wat == "realisatie K3 2026"][0] == "11"
    assert ("streefwaarde 2027", "480") in [(h.wat, h.nieuw) for h in raad]  # a target is no period figure
    marks = {h.wat: h.stand for h in everything if h.wat in ("realisatie K4 2026", "realisatie K3 2026",
                                                            "streefwaarde 2027")}
    assert marks == {"realisatie K4 2026": "voorlopig", "realisatie K3 2026": "vastgesteld", "streefwaarde 2027": ""}
    # a year's realisatie belongs to its fourth quarter: open here
    assert all(h.wat != "realisatie 2026" for h in raad)
    assert maatregel_history(programme, "L1.1", vastgesteld_only=True) == []
    assert [h.stand for h in maatregel_history(programme, "L1.1")] == ["voorlopig", "voorlopig"]
