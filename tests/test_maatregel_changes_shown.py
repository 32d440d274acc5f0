"""A maatregel's history is shown where people look at it, in words: who changed its status or
toelichting, when (a Dutch date), from what to what (a status by its label, never "op_schema"),
newest first. The raad (lezers) sees the changes of vastgestelde quarters only, as its figures;
the programmamanager and the trekkers see every change, marked vastgesteld or voorlopig. The
reasons for locking and unlocking a quarter, stored all along, are shown on /beheer.

The builders are pure (dashboard/ui/maatregel_history_view.py): these tests read the component
tree they return, cell by cell."""
from __future__ import annotations

import datetime as dt

from dash import html

from dashboard.pages import beheer, programma_lijn
from dashboard.programme import history
from dashboard.programme.progress import read_programme
from dashboard.ui.maatregel_history_view import lock_history_block, maatregel_history_block
from data.programme.edits import lock_period, recorded_at, set_voortgang, unlock_period
from tests.beheer_support import ANNA, MANAGER, RAAD, live, logged_in, programme
from tests.test_standen import texts

__all__ = ["programme", "live"]


def report(engine) -> None:
    """L1.1: K1 2026 op schema, then vertraagd with a toelichting (K1 vastgesteld afterwards);
    K2 2026 afgerond (open). L1.4: one report, K2 2026."""
    with recorded_at(dt.datetime(2026, 4, 3, 14, 5)):
        set_voortgang(engine, ANNA, "L1.1", "2026-Q1", "op_schema", None, None)
    with recorded_at(dt.datetime(2026, 4, 9, 9, 30)):
        set_voortgang(engine, ANNA, "L1.1", "2026-Q1", "vertraagd", "Aanbesteding loopt uit.", 1)
    with recorded_at(dt.datetime(2026, 4, 15, 16, 0)):
        lock_period(engine, MANAGER, "2026-Q1")
    with recorded_at(dt.datetime(2026, 7, 2, 11, 0)):
        set_voortgang(engine, ANNA, "L1.1", "2026-Q2", "afgerond", "Klaar.", None)
        set_voortgang(engine, ANNA, "L1.4", "2026-Q2", "op_schema", None, None)


def rows_of(block) -> list[list[str]]:
    """The body rows of the block's table, each as the texts of its cells."""
    [table] = [c for c in block.children if isinstance(c, html.Table)]
    [body] = [c for c in table.children if isinstance(c, html.Tbody)]
    return [[" ".join(texts(cell)) for cell in row.children] for row in body.children]


def find_all(node, kind) -> list:
    found = []

    def walk(n):
        if isinstance(n, (list, tuple)):
            for item in n:
                walk(item)
            return
        if isinstance(n, kind):
            found.append(n)
        if hasattr(n, "children"):
            walk(n.children)
    walk(node)
    return found


def test_the_history_reads_in_words_newest_first_with_dutch_dates(programme):
    report(programme)
    block = maatregel_history_block("L1.1", history.maatregel_histories(programme, ["L1.1"])["L1.1"], provisional=True)
    assert rows_of(block) == [
        ["2 juli 2026, 11:00", "anna", "K2 2026", "Toelichting", "–", "Klaar.", "voorlopig"],
        ["2 juli 2026, 11:00", "anna", "K2 2026", "Status", "–", "Afgerond", "voorlopig"],
        ["9 april 2026, 09:30", "anna", "K1 2026", "Toelichting", "–", "Aanbesteding loopt uit.", "vastgesteld"],
        ["9 april 2026, 09:30", "anna", "K1 2026", "Status", "Op schema", "Vertraagd", "vastgesteld"],
        ["3 april 2026, 14:05", "anna", "K1 2026", "Status", "–", "Op schema", "vastgesteld"],
    ]
    words = texts(block)
    assert not [w for w in words if "_" in w], words   # no raw code ("op_schema") anywhere
    assert "Wijzigingen in status en toelichting (5)" in words
    assert maatregel_history_block("L1.1", [], provisional=True) is None   # nothing reported, nothing shown


def test_the_raad_sees_only_the_changes_of_vastgestelde_quarters_on_the_lijn_page(live):
    report(live)
    with logged_in(RAAD):
        changes = programma_lijn.maatregel_changes(["L1.1", "L1.4"])
        view = read_programme(live, vastgesteld_only=True)
        parts = programma_lijn.maatregel_progress(view.lijn("L1").maatregelen[0], 2026, changes["L1.1"], False)
    assert changes["L1.4"] == []                       # its only report is of the open K2 2026
    [block] = [p for p in parts if isinstance(p, html.Details) and "Wijzigingen" in " ".join(texts(p.children[0]))]
    shown = rows_of(block)
    assert [row[2] for row in shown] == ["K1 2026"] * 3 and all(len(row) == 6 for row in shown)  # no Stand column
    assert "Klaar." not in texts(parts) and "Afgerond" not in [c for row in shown for c in row]
    assert "(alleen van vastgestelde kwartalen)" in " ".join(texts(block))

    with logged_in(ANNA):
        staff = programma_lijn.maatregel_changes(["L1.1", "L1.4"])
    assert len(staff["L1.1"]) == 5 and [e.nieuw for e in staff["L1.4"]] == ["op_schema"]


def test_beheer_shows_each_maatregels_history_under_its_form_and_who_locked_the_quarter_and_why(live):
    report(live)
    with recorded_at(dt.datetime(2026, 4, 20, 10, 15)):
        unlock_period(live, MANAGER, "2026-Q1", "Correctie na gesprek met de trekker")
    with logged_in(ANNA):
        body = beheer.body("2026-Q1")
    [form] = [d for d in find_all(body, html.Div) if d.className and "maatregel-form" in d.className
              and "L1.1" in " ".join(texts(d.children[0]))]
    [block] = [d for d in find_all(form, html.Details) if "Wijzigingen" in " ".join(texts(d.children[0]))]
    assert rows_of(block)[0][:6] == ["2 juli 2026, 11:00", "anna", "K2 2026", "Toelichting", "–", "Klaar."]
    [locks] = [d for d in find_all(body, html.Details) if "Vastgesteld en ontgrendeld" in " ".join(texts(d.children[0]))]
    assert [" ".join(texts(li)) for li in find_all(locks, html.Li)] == [
        "20 april 2026, 10:15: ontgrendeld door pm. Reden: Correctie na gesprek met de trekker",
        "15 april 2026, 16:00: vastgesteld door pm"]


def test_a_quarter_never_locked_has_no_lock_history(programme):
    assert history.period_lock_history(programme, "2026-Q3") == []
    assert lock_history_block("2026-Q3", []) is None
