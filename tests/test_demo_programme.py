"""The demonstration programme in motion (issue 15): after the first start the raad sees a running
programme — vastgestelde quarters with manual realisaties and statuses, notes, a moved target —
written through the real write path, deterministic per seed."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from dashboard.programme.history import indicator_history
from dashboard.programme.progress import read_programme
from data.accounts.users import add_user
from data.programme import demo_programme
from data.programme.schema import Annotatie, MaatregelVoortgang, Rapportageperiode, Wijziging
from tests.beheer_support import programme

__all__ = ["programme"]


def _with_accounts(engine):
    add_user(engine, "programmamanager", "Programmamanager Jeugd (demo)", "programmamanager", "wachtwoord-123456")
    return engine


def _state(engine):
    with engine.connect() as conn:
        return (conn.execute(select(MaatregelVoortgang.periode, MaatregelVoortgang.status, MaatregelVoortgang.toelichting)
                             .order_by(MaatregelVoortgang.id)).all(),
                conn.execute(select(Rapportageperiode.periode, Rapportageperiode.vastgesteld_op)
                             .order_by(Rapportageperiode.periode)).all())


def test_the_raad_sees_a_running_programme(programme):
    engine = _with_accounts(programme)
    before = read_programme(engine, vastgesteld_only=True)
    assert sum(len(i.realisaties) for i in before.indicators.values()) == 0  # nothing vastgesteld yet
    assert demo_programme.play(engine, seed=7)

    raad = read_programme(engine, vastgesteld_only=True)
    manual = [i for i in raad.indicators.values() if not i.is_kpi and i.realisaties]
    assert len(manual) >= 10 and sum("2025" in i.realisaties for i in manual) >= 10
    # the open quarter stays the trekkers': reported, not yet the raad's
    everyone = read_programme(engine)
    assert any("2026-Q3" in i.realisaties for i in everyone.indicators.values())
    assert not any("2026-Q3" in i.realisaties for i in raad.indicators.values())
    assert any("2026-Q3" in i.niet_vastgesteld for i in raad.indicators.values())
    with engine.connect() as conn:
        locked = dict(conn.execute(select(Rapportageperiode.periode, Rapportageperiode.vastgesteld)).all())
        reported = dict(conn.execute(select(MaatregelVoortgang.periode, func.count())
                                     .group_by(MaatregelVoortgang.periode)).all())
        notes = conn.scalar(select(func.count()).select_from(Annotatie))
        audit_times = conn.scalars(select(Wijziging.op).where(Wijziging.door == "programmamanager")).all()
    assert {p for p, v in locked.items() if v} == set(demo_programme.LOCKED) | {"2024-Q4"}
    assert "2026-Q3" not in locked
    assert sum("2024" in i.realisaties for i in manual) >= 10  # the nulmeting is the raad's too
    assert reported["2025-Q1"] == reported["2026-Q1"] == 45 and 0 < reported["2026-Q3"] < 45
    assert notes == len(demo_programme.NOTES)
    # the history happened in 2025–2026, not at the moment the demo was loaded
    assert min(audit_times) >= dt.datetime(2025, 1, 1) and max(audit_times) < dt.datetime(2026, 10, 31)
    moved = [h for h in indicator_history(engine, "K14") if h.wat == "streefwaarde 2026" and h.door == "programmamanager"]
    assert moved and moved[0].nieuw == "600" and moved[0].oud == "507"
    assert raad.indicators["K14"].oorspronkelijke_streefwaarden[2026] == 507
    # a maatregel's status for the raad is its newest vastgestelde report, not the plan's
    statuses = {m.status for lijn in raad.lijnen for m in lijn.maatregelen}
    assert {"op_schema", "vertraagd"} <= statuses


def test_deterministic_per_seed_and_played_once(programme):
    engine = _with_accounts(programme)
    assert demo_programme.play(engine, seed=7)
    first = _state(engine)
    assert not demo_programme.play(engine, seed=7)  # reports exist: nothing is replayed
    assert _state(engine) == first


def test_a_plan_loaded_as_of_its_start_records_no_realisatie_before_its_period_ended(warehouse):
    """The demonstration loads the plan as of its start (6 January 2025); the raad's history then
    read "6 januari 2025: realisatie K2 2026 – 290". A realisatie of the file is recorded the day
    after its period, never before its period ended, never after the present."""
    from data.programme.demo_programme import PLAN_START
    from data.programme.plan import load_programme
    from data.programme.schema import Realisatie

    assert PLAN_START < dt.datetime(2025, 2, 1)   # the premise: the plan starts before its reports
    load_programme(warehouse, op=PLAN_START)
    with warehouse.connect() as conn:
        audits = conn.execute(select(Wijziging.sleutel, Wijziging.op).where(Wijziging.tabel == "realisatie")).all()
        stored = dict(conn.execute(select(Realisatie.periode, Realisatie.gewijzigd_op)).all())
    assert len(audits) > 5
    for sleutel, op in audits:
        periode = sleutel.split("/")[1]
        year, _, part = periode.partition("-")
        last = 12 if not part else int(part[1]) * 3 if part.startswith("Q") else int(part)
        ended = dt.datetime(int(year) + (last == 12), last % 12 + 1, 1)
        assert op == PLAN_START if ended <= PLAN_START else op >= ended, (sleutel, op)
        assert op <= dt.datetime.now() and stored[periode] <= dt.datetime.now()
    assert any(op > PLAN_START for _, op in audits)   # K1 and K2 2026 of H01, among others
