"""Two people saving the same value: optimistic concurrency with the version column.

"Sessions" are separate engines (their own connections) on the same database. The sequential
tests model the usual case (both loaded the form, one saves first); the threaded ones force the
race inside a save — both read, then both write — with a barrier just before the write, so the
unique key (insert race) or the version in the UPDATE's WHERE (update race) decides."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import event

from dashboard.programme.history import indicator_edit, voortgang
from data.db import make_engine
from data.programme.edits import StaleEdit, set_realisatie, set_streefwaarde, set_voortgang
from tests import conftest
from tests.beheer_support import (
    ANNA,
    MANAGER,
    audit_since,
    last_audit_id,
    programme,
    realisatie_row,
    streefwaarde_row,
    voortgang_row,
)

__all__ = ["programme"]


def other_engine(engine):
    """A second engine (own pool, own connections) on the same database as `engine`."""
    url = engine.url.render_as_string(hide_password=False)
    if engine.dialect.name == "postgresql":
        return make_engine(url, connect_args={"options": f"-csearch_path={conftest.PG_SCHEMA}"})
    return make_engine(url)


@pytest.fixture
def two_sessions(programme):
    second = other_engine(programme)
    yield programme, second
    second.dispose()


def test_second_save_of_a_target_is_refused_with_the_newer_value(two_sessions):
    a, b = two_sessions
    shown_a = indicator_edit(a, "H01").streefwaarden[2026]
    shown_b = indicator_edit(b, "H01").streefwaarden[2026]
    assert shown_a.version == shown_b.version == 1
    before = last_audit_id(a)
    set_streefwaarde(a, ANNA, "H01", 2026, "520", shown_a.version, reden="eerste")
    with pytest.raises(StaleEdit) as caught:
        set_streefwaarde(b, MANAGER, "H01", 2026, "480", shown_b.version, reden="tweede")
    message = str(caught.value)
    assert "is intussen door anna" in message and "gewijzigd in 520" in message
    assert "niet opgeslagen" in message
    assert (caught.value.waarde, caught.value.door, caught.value.version) == (520, "anna", 2)
    row = streefwaarde_row(b, "H01", 2026)
    assert (row.waarde, row.version, row.gewijzigd_door) == (520, 2, "anna")
    assert [r[3:6] for r in audit_since(a, before)] == [("500", "520", "anna")]
    # With the newer version the second person can save.
    set_streefwaarde(b, MANAGER, "H01", 2026, "480", caught.value.version, reden="tweede")
    assert streefwaarde_row(a, "H01", 2026).waarde == 480


def test_the_same_value_saved_twice_is_no_conflict(two_sessions):
    """A double click on Opslaan sends the form twice with the version it was shown with: the second
    was "intussen door anna … gewijzigd in 520. Uw wijziging is niet opgeslagen", though it was
    hers and saved. With the stored value equal to the one sent there is nothing to lose."""
    a, _b = two_sessions
    shown = indicator_edit(a, "H01").streefwaarden[2026].version
    set_streefwaarde(a, ANNA, "H01", 2026, "520", shown, reden="bijgesteld")
    before = last_audit_id(a)
    again = set_streefwaarde(a, ANNA, "H01", 2026, "520", shown, reden="bijgesteld")
    assert again.message == "De streefwaarde 2026 van H01 was al 520; niets gewijzigd."
    v = indicator_edit(a, "H01").realisaties["2025"].version
    set_realisatie(a, ANNA, "H01", "2025", "470", v)
    assert "was al 470; niets gewijzigd" in set_realisatie(a, ANNA, "H01", "2025", "470", v).message
    assert audit_since(a, before)[-1][3:6] == ("455", "470", "anna")   # the realisatie's one change only
    # another value from the old version is still refused, its moment said as the history says it
    with pytest.raises(StaleEdit, match=r"intussen door anna op \d{1,2} [a-z]+ \d{4} om \d\d:\d\d gewijzigd in 470"):
        set_realisatie(a, ANNA, "H01", "2025", "480", v)


def test_second_save_of_a_realisatie_is_refused(two_sessions):
    a, b = two_sessions
    v = indicator_edit(a, "H01").realisaties["2025"].version
    assert indicator_edit(b, "H01").realisaties["2025"].version == v
    set_realisatie(b, MANAGER, "H01", "2025", "470", v)
    with pytest.raises(StaleEdit, match=r"intussen door pm .* gewijzigd in 470\."):
        set_realisatie(a, ANNA, "H01", "2025", "460", v)
    assert realisatie_row(a, "H01", "2025").waarde == 470


def test_insert_race_both_think_there_is_no_value_yet(two_sessions):
    a, b = two_sessions
    assert "2026-Q4" not in indicator_edit(a, "H01").realisaties
    assert "2026-Q4" not in indicator_edit(b, "H01").realisaties
    set_realisatie(a, ANNA, "H01", "2026-Q4", "12,5", None)
    before = last_audit_id(a)
    # b entered it as new: told it exists, with the value and who entered it
    with pytest.raises(StaleEdit, match=r"bestaat al: 12,5 \(vastgelegd door anna op "):
        set_realisatie(b, MANAGER, "H01", "2026-Q4", "13", None)
    assert realisatie_row(a, "H01", "2026-Q4").waarde == 12.5
    assert audit_since(a, before) == []


def test_a_value_deleted_meanwhile_is_reported(two_sessions):
    a, b = two_sessions
    with pytest.raises(StaleEdit, match="verwijderd"):
        set_realisatie(a, ANNA, "H01", "2026-Q4", "12", 3)  # shown with a version, now gone


def test_second_voortgang_report_is_refused(two_sessions):
    a, b = two_sessions
    assert "L1.1" not in voortgang(a, "2026-Q4") and "L1.1" not in voortgang(b, "2026-Q4")
    set_voortgang(a, ANNA, "L1.1", "2026-Q4", "vertraagd", "eerste", None)
    with pytest.raises(StaleEdit, match="door anna"):
        set_voortgang(b, MANAGER, "L1.1", "2026-Q4", "afgerond", "tweede", None)
    with pytest.raises(StaleEdit):
        set_voortgang(b, MANAGER, "L1.1", "2026-Q4", "afgerond", "tweede", 2)
    row = voortgang_row(a, "L1.1", "2026-Q4")
    assert (row.status, row.toelichting, row.version) == ("vertraagd", "eerste", 1)


# --- real races: two threads, both read before either writes -------------------------------------

def _race(engines, statement_prefix, saves):
    """Run saves[i](engines[i]) in two threads that meet at a barrier just before they execute
    a statement starting with `statement_prefix` (so both have read the old state). Returns
    the outcome of each: the Saved or the exception."""
    barrier = threading.Barrier(len(saves), timeout=15)

    def before_execute(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith(statement_prefix) and getattr(local, "armed", False):
            local.armed = False
            try:
                barrier.wait()
            except threading.BrokenBarrierError:
                return  # the other save did not reach its statement: this one runs alone

    local = threading.local()
    outcomes: list = [None] * len(saves)

    def run(i):
        local.armed = True
        try:
            outcomes[i] = saves[i](engines[i])
        except Exception as exc:  # noqa: BLE001 - the outcome is what we check
            outcomes[i] = exc

    for engine in engines:
        event.listen(engine, "before_cursor_execute", before_execute)
    try:
        threads = [threading.Thread(target=run, args=(i,)) for i in range(len(saves))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", before_execute)
    return outcomes


def _one_wins(outcomes):
    winners = [o for o in outcomes if not isinstance(o, Exception)]
    losers = [o for o in outcomes if isinstance(o, Exception)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    assert isinstance(losers[0], StaleEdit), repr(losers[0])
    return winners[0], losers[0]


def test_update_race_exactly_one_wins(two_sessions):
    a, b = two_sessions
    before = last_audit_id(a)
    outcomes = _race([a, b], "UPDATE STREEFWAARDE", [
        lambda e: set_streefwaarde(e, ANNA, "H01", 2026, "520", 1, reden="anna"),
        lambda e: set_streefwaarde(e, MANAGER, "H01", 2026, "480", 1, reden="pm")])
    winner, loser = _one_wins(outcomes)
    stored = streefwaarde_row(a, "H01", 2026)
    assert stored.version == 2 and stored.oorspronkelijke_waarde == 500
    assert loser.waarde == stored.waarde and loser.door == stored.gewijzigd_door
    assert [r[3:6] for r in audit_since(a, before)] == [("500", f"{stored.waarde:g}", stored.gewijzigd_door)]


def test_insert_race_exactly_one_wins(two_sessions):
    a, b = two_sessions
    before = last_audit_id(a)
    outcomes = _race([a, b], "INSERT INTO REALISATIE", [
        lambda e: set_realisatie(e, ANNA, "H01", "2026-Q4", "12", None),
        lambda e: set_realisatie(e, MANAGER, "H01", "2026-Q4", "13", None)])
    winner, loser = _one_wins(outcomes)
    stored = realisatie_row(a, "H01", "2026-Q4")
    assert stored.version == 1 and loser.waarde == stored.waarde and loser.door == stored.gewijzigd_door
    assert len(audit_since(a, before)) == 1


def test_voortgang_insert_race_exactly_one_wins(two_sessions):
    a, b = two_sessions
    before = last_audit_id(a)
    outcomes = _race([a, b], "INSERT INTO MAATREGEL_VOORTGANG", [
        lambda e: set_voortgang(e, ANNA, "L1.1", "2026-Q4", "vertraagd", None, None),
        lambda e: set_voortgang(e, MANAGER, "L1.1", "2026-Q4", "afgerond", None, None)])
    winner, loser = _one_wins(outcomes)
    stored = voortgang_row(a, "L1.1", "2026-Q4")
    assert loser.waarde == stored.status and len(audit_since(a, before)) == 1


def test_postgresql_two_threads_at_the_same_moment(two_sessions):
    """No hook: two threads released together by a barrier, a few rounds; every round exactly
    one save wins and the other is refused as stale (or finds the value already there)."""
    a, b = two_sessions
    if a.dialect.name != "postgresql":
        pytest.skip("real parallel writers: PostgreSQL only (SQLite serialises writers)")
    for round_ in range(5):
        periode = f"2016-Q{round_ % 4 + 1}" if round_ < 4 else "2017-Q1"
        barrier = threading.Barrier(2, timeout=15)
        outcomes = [None, None]

        # this round's barrier, outcomes and periode bound as defaults, not looked up when run
        def run(i, engine, user, value, barrier=barrier, outcomes=outcomes, periode=periode):
            barrier.wait()
            try:
                outcomes[i] = set_realisatie(engine, user, "H01", periode, value, None)
            except Exception as exc:  # noqa: BLE001
                outcomes[i] = exc

        threads = [threading.Thread(target=run, args=(0, a, ANNA, "1")),
                   threading.Thread(target=run, args=(1, b, MANAGER, "2"))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        winner, loser = _one_wins(outcomes)
        assert realisatie_row(a, "H01", periode).waarde == loser.waarde


# --- locking a quarter while somebody saves in it ------------------------------------------------

def test_two_managers_lock_the_same_quarter_at_once(two_sessions):
    from data.programme.edits import lock_period, locked_quarters

    a, b = two_sessions
    before = last_audit_id(a)
    outcomes = _race([a, b], "INSERT INTO RAPPORTAGEPERIODE", [
        lambda e: lock_period(e, MANAGER, "2026-Q4"), lambda e: lock_period(e, MANAGER, "2026-Q4")])
    assert not any(isinstance(o, Exception) for o in outcomes), outcomes
    assert sorted(o.message for o in outcomes) == ["K4 2026 is vastgesteld.", "K4 2026 was al vastgesteld."]
    assert "2026-Q4" in locked_quarters(a) and len(audit_since(a, before)) == 1


@pytest.mark.parametrize("save", ["realisatie", "voortgang"])
def test_a_lock_that_lands_during_a_save_refuses_the_save(two_sessions, save):
    """The manager locks the quarter after the save checked the lock but before it wrote: the
    save must not end up in the locked quarter."""
    from data.accounts.permissions import PermissionDenied
    from data.programme.edits import lock_period

    a, b = two_sessions
    seen = {"checked": False, "locked": False}

    def before_execute(conn, cursor, statement, parameters, context, executemany):
        if seen["checked"] and not seen["locked"]:
            seen["locked"] = True
            lock_period(b, MANAGER, "2026-Q4")  # commits on its own connection
        if "FROM rapportageperiode" in statement:
            seen["checked"] = True

    event.listen(a, "before_cursor_execute", before_execute)
    try:
        with pytest.raises(PermissionDenied, match="vastgesteld"):
            if save == "realisatie":
                set_realisatie(a, ANNA, "H01", "2026-Q4", "12", None)
            else:
                set_voortgang(a, ANNA, "L1.1", "2026-Q4", "op_schema", None, None)
    finally:
        event.remove(a, "before_cursor_execute", before_execute)
    assert seen["locked"]
    assert realisatie_row(a, "H01", "2026-Q4") is None and voortgang_row(a, "L1.1", "2026-Q4") is None
