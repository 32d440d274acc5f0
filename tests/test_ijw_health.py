"""The health of the berichtenverkeer (data/warehouse/ijw/health.py, kpi/berichtenverkeer.py,
/berichtenverkeer): which records are signalled, how the counts are protected, and the page."""
from __future__ import annotations

import datetime as dt

import flask
import pytest
from flask import g
from sqlalchemy import insert, select

from dashboard.pages import berichtenverkeer as page
from dashboard.server import runtime
from data.accounts.users import User
from data.warehouse.ijw.schema import IjwSignaal
from kpi import berichtenverkeer as health
from tests import ijw_builder as b
from tests.conftest import empty_all_tables
from tests.test_ijw_load import load, prepare

D = dt.date
PEILDATUM = "2025-09-30"  # the latest dagtekening below


def signals(engine) -> list[tuple]:
    s = IjwSignaal.__table__.c
    with engine.connect() as conn:
        return sorted(tuple(r) for r in conn.execute(select(s.soort, s.aanbieder_code, s.maand, s.retourcode)))


def test_the_signals_of_the_messages(warehouse, tmp_path):
    files = {
        **b.standard_messages(),  # anna stopped; bram runs on; P3 rejected (9307)
        # bram's second toewijzing from 1 June: no start by the peildatum (more than 30 days)
        "020.xml": b.jw301("T3", "2025-06-01", "bram", "1003", "2025-06-01"),
        # anna's third, from 15 September: not yet 30 days, no signal
        "021.xml": b.jw301("T4", "2025-09-15", "anna", "1004", "2025-09-15"),
        # bram's fifth ended on 31 July by its toewijzing, started, never stopped
        "022.xml": b.jw301("T5", "2025-05-01", "bram", "1005", "2025-05-01", "2025-07-31"),
        "023.xml": b.jw305("S5", "2025-05-02", "bram", "1005", "2025-05-01"),
        # a line for a toewijzing that does not exist, rejected (9338)
        "024.xml": b.jw323("DC9", "2025-08-04", "DN9", "2025-07", [("bram", "P9", "4242", 1234, "D")]),
        "025.xml": b.jw325("DA9", PEILDATUM, "DN9", 0, rejected=[("bram", "P9", "9338")]),
    }
    load(warehouse, tmp_path, prepare(warehouse, tmp_path, files))
    assert signals(warehouse) == [
        ("afgewezen", b.AANBIEDER, D(2025, 2, 1), "9307"),
        ("afgewezen", b.AANBIEDER, D(2025, 7, 1), "9338"),
        ("zonder_start", b.AANBIEDER, D(2025, 6, 1), None),
        ("zonder_stop", b.AANBIEDER, D(2025, 7, 1), None),
        ("zonder_toewijzing", b.AANBIEDER, D(2025, 7, 1), None),
    ]


def _signal_rows(engine, rows: list[tuple[str, str, int, int]]) -> None:
    """(soort, aanbieder, month of 2025, how many) as signals."""
    out = [{"soort": soort, "aanbieder_code": code, "maand": D(2025, month, 1), "retourcode": "9307"}
           for soort, code, month, n in rows for _ in range(n)]
    with engine.begin() as conn:
        conn.execute(insert(IjwSignaal), out)


def _cells(table: health.Table) -> dict[str, list]:
    return {r.label: [c.n if not c.empty else "–" for c in (*r.cells[:2], r.total)] for r in (*table.rows, table.totals)}


def test_the_counts_follow_the_small_number_rules(sqlite_warehouse):
    # January: A 12, B 3, C 23; February: A 30 only; B nothing more
    _signal_rows(sqlite_warehouse, [("afgewezen", "A", 1, 12), ("afgewezen", "B", 1, 3), ("afgewezen", "C", 1, 23),
                                    ("afgewezen", "A", 2, 30)])
    result = health.health(sqlite_warehouse, 2025, threshold=10, base=5)
    per_provider = next(t for t in result.tables if t.soort == "afgewezen" and t.kolom == "Aanbieder")
    # January: rule 1 hides B (3), rule 2 then the smallest shown, A (12); C rounds 23 → 25.
    # The year: A 42, B 3, C 23: B hidden, then C as the smallest shown; A rounds 42 → 40.
    assert _cells(per_provider) == {
        "A": [None, 30, 40], "B": [None, "–", None], "C": [25, "–", None],
        "Totaal": [38, 30, 68],  # all providers together: exact
    }
    assert result.jaren == (2025,)


def test_a_month_total_below_the_threshold_is_hidden(sqlite_warehouse):
    _signal_rows(sqlite_warehouse, [("zonder_start", "A", 3, 4)])
    table = next(t for t in health.health(sqlite_warehouse, 2025, 10, 5).tables if t.soort == "zonder_start")
    assert [c.suppressed for c in table.totals.cells[2:3]] == [True] and table.totals.total.suppressed


@pytest.fixture
def sqlite_warehouse(_sqlite_engine):
    empty_all_tables(_sqlite_engine)
    return _sqlite_engine


def render(engine, rol: str | None, **query):
    runtime.configure(engine)
    app = flask.Flask(__name__)
    app.secret_key = "test"
    try:
        with app.test_request_context(page.PATH):
            g.jm_user = None if rol is None else User(1, "x", "Test", rol, frozenset())
            return page.layout(**query)
    finally:
        runtime.reset()


def texts(component) -> list[str]:
    out = []

    def walk(node):
        if isinstance(node, str):
            out.append(node)
        elif isinstance(node, (list, tuple)):
            for child in node:
                walk(child)
        elif hasattr(node, "children"):
            walk(node.children)
    walk(component)
    return out


def test_the_page_for_the_programmamanager_only(sqlite_warehouse, tmp_path):
    load(sqlite_warehouse, tmp_path, prepare(sqlite_warehouse, tmp_path, b.standard_messages()))
    shown = " ".join(texts(render(sqlite_warehouse, "programmamanager")))
    assert "Gezondheid van het berichtenverkeer 2025" in shown
    assert "op peildatum 2 juni 2025" in shown  # the latest dagtekening: anna's stop message
    assert "Afgewezen declaratieregels per retourcode" in shown and "9307 begindatum buiten de toewijzing" in shown
    for rol, expected in (("lezer", "Deze pagina is voor de programmamanager."),
                          ("trekker", "Deze pagina is voor de programmamanager."),
                          (None, "Log in als programmamanager om het berichtenverkeer te bekijken. ")):
        assert expected in texts(render(sqlite_warehouse, rol)), rol


def test_a_bad_year_says_so_and_without_messages_the_page_says_how_to_load_them(sqlite_warehouse, tmp_path):
    assert texts(render(sqlite_warehouse, "programmamanager"))[1].startswith("Er zijn nog geen iJw-berichten geladen")
    load(sqlite_warehouse, tmp_path, prepare(sqlite_warehouse, tmp_path, b.standard_messages()))
    shown = texts(render(sqlite_warehouse, "programmamanager", jaar="twintig"))
    assert "Jaar 'twintig' is niet beschikbaar; 2025 wordt getoond." in shown


def test_each_rejected_table_explains_its_own_grouping(sqlite_warehouse):
    """The rejected lines come twice: per provider and per retourcode. Each table's explanation names
    its own grouping; the provider table once said 'per aanbieder en per retourcode', which it is not."""
    _signal_rows(sqlite_warehouse, [("afgewezen", "A", 1, 12)])
    rejected = [t for t in health.health(sqlite_warehouse, 2025, 10, 5).tables if t.soort == "afgewezen"]
    per_provider, per_code = (next(t for t in rejected if t.kolom == kolom) for kolom in ("Aanbieder", "Retourcode"))
    assert "per aanbieder" in per_provider.uitleg and "retourcode" not in per_provider.uitleg
    assert "per retourcode" in per_code.uitleg and "aanbieder" not in per_code.uitleg
    assert per_code.titel == "Afgewezen declaratieregels per retourcode"


def _month_cells(component, tag) -> list[list[str]]:
    """The texts of the twelve month cells of every row in the page's `tag` (Tbody/Tfoot) sections."""
    out = []

    def walk(node, inside=False):
        if isinstance(node, (list, tuple)):
            for child in node:
                walk(child, inside)
        elif hasattr(node, "children"):
            if inside and type(node).__name__ == "Tr":
                cells = [c.children for c in node.children]
                out.append(cells[1:13])
                return
            walk(node.children, inside or type(node).__name__ == tag)
    walk(component)
    return out


def test_months_after_the_peildatum_are_empty_not_without_problems(sqlite_warehouse, tmp_path):
    """The messages reach 2 June 2025: July to December cannot have signals yet. A '–' there read as
    'no problems' in months that had not happened; they are left empty, and the page says why."""
    load(sqlite_warehouse, tmp_path, prepare(sqlite_warehouse, tmp_path, b.standard_messages()))
    shown = render(sqlite_warehouse, "programmamanager")
    totals = _month_cells(shown, "Tfoot")
    assert totals and all(row[6:] == [""] * 6 for row in totals)  # jul–dec
    assert all(cell != "" for row in totals for cell in row[:6])  # jan–jun: a count, <10 or –
    assert "De maanden na juni zijn leeg: daarover zijn nog geen berichten." in " ".join(texts(shown))
    assert page.months_reported(2024, dt.date(2025, 6, 2)) == 12
    assert page.months_reported(2026, dt.date(2025, 6, 2)) == 0


def test_the_page_states_its_own_small_number_rules(sqlite_warehouse, tmp_path):
    """The page counts toewijzingen and declaratieregels: its note said "cijfers … (de KPI's) … op
    minder dan 10 jeugdigen of antwoorden" and "percentages, gemiddelden, bedragen en dagen zijn
    exact", of which the page shows none. It now says what its own cells follow (kpi.berichtenverkeer)."""
    load(sqlite_warehouse, tmp_path, prepare(sqlite_warehouse, tmp_path, b.standard_messages()))
    shown = " ".join(texts(render(sqlite_warehouse, "programmamanager")))
    assert "Een aantal onder de 10 staat als <10: een toewijzing of declaratieregel hoort bij één kind." in shown
    assert "De aantallen per aanbieder of retourcode zijn afgerond op vijftallen; de totalen per maand en " \
           "over het jaar zijn exact." in shown
    assert "jeugdigen of antwoorden" not in shown and "percentages, gemiddelden" not in shown
    assert "afgerond" not in health.privacy_note(10, 1)   # nothing rounded: not said
