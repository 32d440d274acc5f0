"""data.programme.edits: every kind of save writes exactly its audit records in the same
transaction; refused and invalid saves write nothing; Dutch validation; locking; the raad's view.
Runs on SQLite and PostgreSQL (the `warehouse` fixture)."""
from __future__ import annotations

import datetime as dt
import logging

import pytest
from sqlalchemy import delete, func, select

from dashboard.programme.history import annotations, indicator_edit
from dashboard.programme.progress import read_programme
from data.accounts.permissions import PermissionDenied
from data.programme import edits as pe
from data.programme.edits import (
    EditError,
    StaleEdit,
    add_annotatie,
    delete_annotatie,
    lock_period,
    parse_number,
    set_realisatie,
    set_streefwaarde,
    set_voortgang,
    unlock_period,
)
from data.programme.schema import Indicator, Streefwaarde
from tests.beheer_support import (
    ANNA,
    BOB,
    MANAGER,
    RAAD,
    audit_since,
    last_audit_id,
    programme,
    realisatie_row,
    snapshot,
    streefwaarde_row,
    voortgang_row,
)

__all__ = ["programme"]  # the fixture


def version_of(engine, code, jaar, soort="streefwaarde"):
    return streefwaarde_row(engine, code, jaar, soort).version


# --- audit records of each kind of save ---------------------------------------------------------

def test_new_streefwaarde_is_audited(programme):
    with programme.begin() as conn:  # a year the plan left open
        conn.execute(delete(Streefwaarde).where(
            Streefwaarde.indicator_id == select(Indicator.id).where(Indicator.code == "H01").scalar_subquery(),
            Streefwaarde.jaar == 2028, Streefwaarde.soort == "streefwaarde"))
    before = last_audit_id(programme)
    saved = set_streefwaarde(programme, ANNA, "H01", 2028, "600", None)
    assert saved.version == 1 and saved.message == "De streefwaarde 2028 van H01 is vastgelegd: 600."
    assert audit_since(programme, before) == [
        ("streefwaarde", "H01/2028/streefwaarde", "waarde", None, "600", "anna", None)]
    row = streefwaarde_row(programme, "H01", 2028)
    assert (row.waarde, row.version, row.oorspronkelijke_waarde, row.gewijzigd_door) == (600, 1, None, "anna")


def test_changed_streefwaarde_keeps_the_original_and_needs_a_reason(programme):
    before = last_audit_id(programme)
    assert streefwaarde_row(programme, "H01", 2026).waarde == 500
    with pytest.raises(EditError, match="geef een reden voor het wijzigen van een streefwaarde"):
        set_streefwaarde(programme, ANNA, "H01", 2026, "520", 1, reden="   ")
    assert audit_since(programme, before) == []

    saved = set_streefwaarde(programme, ANNA, "H01", 2026, "520", 1, reden="meer aanmeldingen")
    assert saved.version == 2 and saved.message == "De streefwaarde 2026 van H01 is gewijzigd van 500 in 520."
    row = streefwaarde_row(programme, "H01", 2026)
    assert (row.waarde, row.oorspronkelijke_waarde, row.version, row.gewijzigd_door) == (520, 500, 2, "anna")

    saved = set_streefwaarde(programme, MANAGER, "H01", 2026, "530", 2, reden="nog eens bijgesteld")
    row = streefwaarde_row(programme, "H01", 2026)
    assert (row.waarde, row.oorspronkelijke_waarde, row.version) == (530, 500, 3)  # original kept
    assert audit_since(programme, before) == [
        ("streefwaarde", "H01/2026/streefwaarde", "waarde", "500", "520", "anna", "meer aanmeldingen"),
        ("streefwaarde", "H01/2026/streefwaarde", "waarde", "520", "530", "pm", "nog eens bijgesteld")]
    view = read_programme(programme).indicators["H01"]
    assert view.streefwaarden[2026] == 530 and view.oorspronkelijke_streefwaarden == {2026: 500}
    edit = indicator_edit(programme, "H01")
    assert edit.streefwaarden[2026].oorspronkelijk == 500 and edit.streefwaarden[2026].version == 3


def test_saving_the_same_value_changes_nothing(programme):
    before = last_audit_id(programme)
    saved = set_streefwaarde(programme, ANNA, "H01", 2026, "500", 1)
    assert saved.version == 1 and "niets gewijzigd" in saved.message
    assert audit_since(programme, before) == []


def test_nulmeting_change_needs_no_reason_and_is_audited(programme):
    before = last_audit_id(programme)
    v = version_of(programme, "H01", 2024, "nulmeting")
    saved = set_streefwaarde(programme, ANNA, "H01", 2024, "425", v, soort="nulmeting")
    assert saved.version == v + 1
    assert audit_since(programme, before) == [
        ("streefwaarde", "H01/2024/nulmeting", "waarde", "420", "425", "anna", None)]
    assert read_programme(programme).indicators["H01"].nulmeting == (2024, 425)


def test_new_and_changed_realisatie_are_audited(programme):
    before = last_audit_id(programme)
    saved = set_realisatie(programme, ANNA, "H01", "2026-Q4", "512,5", None, reden="telling december")
    assert saved.message == "De realisatie K4 2026 van H01 is vastgelegd: 512,5."
    saved = set_realisatie(programme, ANNA, "H01", "2026-Q4", "1.020", saved.version)
    assert saved.version == 2
    v = realisatie_row(programme, "H01", "2025").version
    set_realisatie(programme, MANAGER, "H01", "2025", 460, v)
    assert audit_since(programme, before) == [
        ("realisatie", "H01/2026-Q4", "waarde", None, "512.5", "anna", "telling december"),
        ("realisatie", "H01/2026-Q4", "waarde", "512.5", "1020", "anna", None),
        ("realisatie", "H01/2025", "waarde", "455", "460", "pm", None)]
    assert realisatie_row(programme, "H01", "2026-Q4").waarde == 1020


def test_a_quarter_typed_as_the_screens_write_it_is_that_quarter(programme):
    """"K4 2026", as every screen writes a quarter, was refused ("gebruik JJJJ, JJJJ-Qn of JJJJ-MM");
    it is the quarter 2026-Q4, as are "2026-K4" and "k4 2026"."""
    saved = set_realisatie(programme, ANNA, "H01", "K4 2026", "512", None)
    assert saved.message == "De realisatie K4 2026 van H01 is vastgelegd: 512."
    for typed in ("2026-K4", " k4 2026 ", "2026 K4"):
        same = set_realisatie(programme, ANNA, "H01", typed, "512", saved.version)
        assert "niets gewijzigd" in same.message, typed
    assert realisatie_row(programme, "H01", "2026-Q4").waarde == 512
    with pytest.raises(EditError, match="Kn JJJJ"):
        set_realisatie(programme, ANNA, "H01", "K5 2026", "1", None)


def test_a_value_saved_again_as_its_input_shows_it_changes_nothing(programme):
    """The indicator page's input showed 12,3456789 as 12,3457: saving it unchanged rewrote the value
    and wrote a change nobody made to the history. The input now holds every decimal."""
    from dashboard.pages.indicator import number_text

    saved = set_realisatie(programme, ANNA, "H01", "2026-Q4", "12,3456789", None)
    for value in (12.3456789, 1234567.891, -0.5, 1e-05, 99999999999.0):
        assert pe.parse_number(number_text(value)) == value
    before = last_audit_id(programme)
    stored = realisatie_row(programme, "H01", "2026-Q4").waarde
    again = set_realisatie(programme, ANNA, "H01", "2026-Q4", number_text(stored), saved.version)
    assert "niets gewijzigd" in again.message and audit_since(programme, before) == []


def test_the_same_note_sent_twice_is_one_note(programme):
    """A double click on "Notitie toevoegen" gave two identical notes (and two history lines), both
    shown to the raad; the second is now said to be there already."""
    from data.programme.schema import Annotatie

    first = pe.add_annotatie(programme, ANNA, "H01", "2026-09-15", "Start POH-jeugd in praktijk De Kern")
    before = last_audit_id(programme)
    again = pe.add_annotatie(programme, ANNA, "H01", "2026-09-15", " Start POH-jeugd in praktijk De Kern ")
    assert first.message == "De notitie is toegevoegd."
    assert again.message == "Deze notitie staat er al (15 september 2026); niets gewijzigd."
    assert audit_since(programme, before) == []
    with programme.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Annotatie).where(
            Annotatie.tekst == "Start POH-jeugd in praktijk De Kern")) == 1
    other_day = pe.add_annotatie(programme, ANNA, "H01", "2026-09-16", "Start POH-jeugd in praktijk De Kern")
    assert other_day.message == "De notitie is toegevoegd."   # another day: another note


def test_realisaties_are_listed_in_time_not_as_text():
    """The indicator page listed a month realisatie "nov 2026" between 2025 and K1 2026 (text order)."""
    typed = ["2026-Q1", "2025", "2026-11", "2026", "2026-Q4", "2026-12", "2026-Q3"]
    assert sorted(typed, key=pe.period_order) == ["2025", "2026-Q1", "2026-Q3", "2026-11", "2026-12", "2026-Q4", "2026"]


def test_voortgang_writes_one_record_per_changed_field(programme):
    before = last_audit_id(programme)
    saved = set_voortgang(programme, ANNA, "L1.1", "2026-Q4", "op_schema", "  Tweede locatie open.  ", None)
    assert saved.version == 1
    saved = set_voortgang(programme, ANNA, "L1.1", "2026-Q4", "vertraagd", "Tweede locatie open.", 1)
    assert saved.version == 2
    saved = set_voortgang(programme, ANNA, "L1.1", "2026-Q4", "vertraagd", "", 2)
    assert saved.version == 3
    same = set_voortgang(programme, ANNA, "L1.1", "2026-Q4", "vertraagd", None, 3)
    assert same.version == 3 and "niets gewijzigd" in same.message
    assert audit_since(programme, before) == [
        ("maatregel_voortgang", "L1.1/2026-Q4", "status", None, "op_schema", "anna", None),
        ("maatregel_voortgang", "L1.1/2026-Q4", "toelichting", None, "Tweede locatie open.", "anna", None),
        ("maatregel_voortgang", "L1.1/2026-Q4", "status", "op_schema", "vertraagd", "anna", None),
        ("maatregel_voortgang", "L1.1/2026-Q4", "toelichting", "Tweede locatie open.", None, "anna", None)]
    row = voortgang_row(programme, "L1.1", "2026-Q4")
    assert (row.status, row.toelichting, row.version) == ("vertraagd", None, 3)


def test_lock_and_unlock_are_audited(programme):
    before = last_audit_id(programme)
    assert lock_period(programme, MANAGER, "2026-Q3").version == 1
    again = lock_period(programme, MANAGER, "2026-Q3")
    assert "was al vastgesteld" in again.message
    with pytest.raises(EditError, match="geef een reden"):
        unlock_period(programme, MANAGER, "2026-Q3", "")
    assert unlock_period(programme, MANAGER, "2026-Q3", "correctie aanmeldingen").version == 2
    assert lock_period(programme, MANAGER, "2026-Q3").version == 3
    assert audit_since(programme, before) == [
        ("rapportageperiode", "2026-Q3", "vastgesteld", "nee", "ja", "pm", None),
        ("rapportageperiode", "2026-Q3", "vastgesteld", "ja", "nee", "pm", "correctie aanmeldingen"),
        ("rapportageperiode", "2026-Q3", "vastgesteld", "nee", "ja", "pm", None)]


def test_annotation_add_and_delete_are_audited(programme):
    before = last_audit_id(programme)
    add_annotatie(programme, ANNA, "H01", "2026-03-01", "  Tweede locatie geopend ")
    add_annotatie(programme, MANAGER, "H01", dt.date(2025, 9, 1), "Zomerdip")
    notes = annotations(programme, "H01")
    assert [(n.datum, n.tekst, n.door) for n in notes] == [
        (dt.date(2025, 9, 1), "Zomerdip", "pm"), (dt.date(2026, 3, 1), "Tweede locatie geopend", "anna")]
    first = notes[1].id
    delete_annotatie(programme, ANNA, first)
    assert [n.tekst for n in annotations(programme, "H01")] == ["Zomerdip"]
    assert audit_since(programme, before) == [
        ("annotatie", f"H01/{first}", "tekst", None, "2026-03-01: Tweede locatie geopend", "anna", None),
        ("annotatie", f"H01/{notes[0].id}", "tekst", None, "2025-09-01: Zomerdip", "pm", None),
        ("annotatie", f"H01/{first}", "tekst", "2026-03-01: Tweede locatie geopend", None, "anna", None)]
    with pytest.raises(EditError, match="bestaat niet"):
        delete_annotatie(programme, ANNA, first)


# --- refused and invalid saves write nothing ----------------------------------------------------

REFUSED = [
    # (who, call) → PermissionDenied
    ("bob edits anna's target", lambda e: set_streefwaarde(e, BOB, "H01", 2026, "1", 1, reden="x")),
    ("trekker edits a lijn-level target", lambda e: set_streefwaarde(e, ANNA, "H10", 2026, "1", 1, reden="x")),
    ("lezer edits a target", lambda e: set_streefwaarde(e, RAAD, "H01", 2026, "1", 1, reden="x")),
    ("visitor edits a target", lambda e: set_streefwaarde(e, None, "H01", 2026, "1", 1, reden="x")),
    ("bob enters anna's realisatie", lambda e: set_realisatie(e, BOB, "H01", "2026-Q4", "1", None)),
    ("visitor enters a realisatie", lambda e: set_realisatie(e, None, "H01", "2026-Q4", "1", None)),
    ("lezer reports voortgang", lambda e: set_voortgang(e, RAAD, "L1.1", "2026-Q4", "op_schema", None, None)),
    ("bob reports anna's voortgang", lambda e: set_voortgang(e, BOB, "L1.1", "2026-Q4", "op_schema", None, None)),
    ("trekker locks", lambda e: lock_period(e, ANNA, "2026-Q4")),
    ("visitor locks", lambda e: lock_period(e, None, "2026-Q4")),
    ("trekker unlocks", lambda e: unlock_period(e, ANNA, "2026-Q4", "reden")),
    ("bob annotates anna's indicator", lambda e: add_annotatie(e, BOB, "H01", "2026-01-01", "x")),
    ("lezer annotates", lambda e: add_annotatie(e, RAAD, "H01", "2026-01-01", "x")),
]


@pytest.mark.parametrize("case", REFUSED, ids=[c[0] for c in REFUSED])
def test_refused_saves_write_nothing_and_are_logged(programme, case, caplog):
    before = snapshot(programme)
    with caplog.at_level(logging.WARNING, logger="jeugdmonitor.security"):
        with pytest.raises(PermissionDenied):
            case[1](programme)
    assert snapshot(programme) == before
    refusals = [r for r in caplog.records if r.name == "jeugdmonitor.security"]
    assert len(refusals) == 1 and refusals[0].getMessage().startswith("geweigerd: ")


def test_refused_delete_of_an_annotation_writes_nothing(programme):
    add_annotatie(programme, ANNA, "H01", "2026-01-01", "notitie van anna")
    note = annotations(programme, "H01")[0]
    before = snapshot(programme)
    for who in (BOB, RAAD, None):
        with pytest.raises(PermissionDenied):
            delete_annotatie(programme, who, note.id)
    assert snapshot(programme) == before


INVALID = [
    (lambda e: set_streefwaarde(e, ANNA, "H01", 2026, "abc", 1, reden="x"), "'abc' is geen getal"),
    (lambda e: set_streefwaarde(e, ANNA, "H01", 2026, "", 1, reden="x"), "vul een getal in"),
    (lambda e: set_streefwaarde(e, ANNA, "H01", 2026, "1,2,3", 1, reden="x"), "'1,2,3' is geen getal"),
    (lambda e: set_streefwaarde(e, ANNA, "H01", 2026, "4,5.3", 1, reden="x"), "'4,5.3' is geen getal"),
    (lambda e: set_streefwaarde(e, ANNA, "H01", 2026, "1_000", 1, reden="x"), "'1_000' is geen getal"),
    (lambda e: set_streefwaarde(e, ANNA, "H01", 2026, "٣", 1, reden="x"), "'٣' is geen getal"),
    (lambda e: add_annotatie(e, ANNA, "H01", None, "x"), "vul een datum in (JJJJ-MM-DD)"),
    (lambda e: add_annotatie(e, ANNA, "H01", "  ", "x"), "vul een datum in (JJJJ-MM-DD)"),
    (lambda e: set_streefwaarde(e, ANNA, "H01", 2026, "nan", 1, reden="x"), "'nan' is geen getal"),
    # float() reads "1e5" as 100000: a Dutch user did not mean that, and is told what to type
    (lambda e: set_streefwaarde(e, ANNA, "H01", 2026, "1e5", 1, reden="x"),
     "'1e5' is geen getal: schrijf het voluit in cijfers, zonder e (bijvoorbeeld 100000 in plaats van 1e5)"),
    (lambda e: set_realisatie(e, ANNA, "H01", "2026-Q4", "2,5E3", None), "'2,5E3' is geen getal: schrijf het voluit"),
    (lambda e: set_streefwaarde(e, ANNA, "H03", 2026, "101", 1, reden="x"),
     "101 kan niet: een percentage ligt tussen 0 en 100"),
    (lambda e: set_streefwaarde(e, ANNA, "H03", 2026, "100,5", 1, reden="x"), "een percentage ligt tussen"),
    (lambda e: set_streefwaarde(e, ANNA, "K11", 2026, "11", 1, reden="x"),
     "11 kan niet: een rapportcijfer ligt tussen 1 en 10"),
    (lambda e: set_streefwaarde(e, ANNA, "K11", 2026, "0,5", 1, reden="x"), "een rapportcijfer ligt tussen"),
    (lambda e: set_realisatie(e, ANNA, "H01", "2026-Q4", "-1", None), "-1 kan niet: een aantal ligt tussen 0 en"),
    (lambda e: set_realisatie(e, MANAGER, "H10", "2026-Q4", "-5", None), "-5 kan niet"),
    (lambda e: set_realisatie(e, MANAGER, "H10", "2026-Q4", "1.500", None), "1.500 kan niet"),
    (lambda e: set_streefwaarde(e, ANNA, "H01", 2024, "1", None, reden="x"),
     "jaar 2024: een streefwaarde hoort bij 2025–2028"),
    (lambda e: set_streefwaarde(e, ANNA, "H01", 2029, "1", None, reden="x"), "hoort bij 2025–2028"),
    (lambda e: set_streefwaarde(e, ANNA, "H01", "twintig", "1", None), "jaar 'twintig' is geen jaartal"),
    (lambda e: set_streefwaarde(e, ANNA, "H01", 2014, "1", None, soort="nulmeting"),
     "jaar 2014: een nulmeting hoort bij 2015–2028"),
    (lambda e: set_streefwaarde(e, ANNA, "H01", 2026, "1", 1, soort="doel"), "soort moet"),
    (lambda e: set_realisatie(e, ANNA, "H01", "2026-Q5", "1", None), "periode '2026-Q5': gebruik JJJJ (jaar), Kn JJJJ (kwartaal) of JJJJ-MM (maand)"),
    (lambda e: set_realisatie(e, ANNA, "H01", "2026-13", "1", None), "gebruik JJJJ (jaar), Kn JJJJ (kwartaal) of JJJJ-MM (maand)"),
    (lambda e: set_realisatie(e, ANNA, "H01", "26", "1", None), "gebruik JJJJ (jaar), Kn JJJJ (kwartaal) of JJJJ-MM (maand)"),
    (lambda e: set_realisatie(e, ANNA, "H01", "", "1", None), "vul een periode in (gebruik JJJJ (jaar), Kn JJJJ (kwartaal) of JJJJ-MM (maand))"),
    (lambda e: set_realisatie(e, ANNA, "H01", " ", "1", None), "vul een periode in (gebruik JJJJ (jaar), Kn JJJJ (kwartaal) of JJJJ-MM (maand))"),
    (lambda e: set_realisatie(e, ANNA, "H01", "2026-Q4\n", "1", None), "gebruik JJJJ (jaar), Kn JJJJ (kwartaal) of JJJJ-MM (maand)"),
    (lambda e: set_realisatie(e, ANNA, "H01", "2031", "1", None), "het jaar ligt buiten 2015–2028"),
    (lambda e: set_realisatie(e, ANNA, "H01", "2029-Q1", "1", None), "het jaar ligt buiten 2015–2028"),
    (lambda e: set_realisatie(e, ANNA, "H01", "2099-12", "1", None), "het jaar ligt buiten 2015–2028"),
    (lambda e: set_realisatie(e, ANNA, "K11", "2026", "7", None), "wordt berekend uit de KPI"),
    (lambda e: set_realisatie(e, ANNA, "H99", "2026", "7", None), "indicator 'H99' bestaat niet"),
    (lambda e: set_realisatie(e, ANNA, "H01", "2026-Q4", "1", None, reden="x" * 501), "de reden is te lang"),
    (lambda e: set_voortgang(e, ANNA, "L1.1", "2026", "op_schema", None, None), "gebruik JJJJ-Qn"),
    (lambda e: set_voortgang(e, ANNA, "L1.1", "2026-Q4\n", "op_schema", None, None), "gebruik JJJJ-Qn"),
    (lambda e: set_voortgang(e, ANNA, "L1.1", "2026-Q4", "klaar", None, None), "kies een status"),
    (lambda e: set_voortgang(e, ANNA, "L1.1", "2099-Q1", "op_schema", None, None),
     "periode 2099-Q1: het jaar ligt buiten 2015–2030"),
    (lambda e: set_voortgang(e, ANNA, "L1.1", "1999-Q4", "op_schema", None, None), "het jaar ligt buiten"),
    (lambda e: lock_period(e, MANAGER, "2099-Q1"), "periode 2099-Q1: het jaar ligt buiten 2015–2030"),
    (lambda e: set_voortgang(e, ANNA, "L1.1", "2026-Q4", "op_schema", "x" * 2001, None),
     "de toelichting bij maatregel L1.1 is te lang: 2.001 tekens, ten hoogste 2.000. Maak haar korter"),
    (lambda e: set_voortgang(e, ANNA, "L9.9", "2026-Q4", "op_schema", None, None), "maatregel 'L9.9' bestaat niet"),
    (lambda e: lock_period(e, MANAGER, "2026"), "gebruik JJJJ-Qn"),
    (lambda e: lock_period(e, MANAGER, "2026-Q4\n"), "gebruik JJJJ-Qn"),
    (lambda e: unlock_period(e, MANAGER, "2026-Q4", "x" * 501), "de reden is te lang"),
    (lambda e: add_annotatie(e, ANNA, "H01", "1-3-2026", "x"), "gebruik JJJJ-MM-DD"),
    (lambda e: add_annotatie(e, ANNA, "H01", "2031-01-01", "x"), "ligt buiten 2015–2030"),
    (lambda e: add_annotatie(e, ANNA, "H01", "2026-01-01", "   "), "schrijf een korte notitie"),
    (lambda e: add_annotatie(e, ANNA, "H01", "2026-01-01", "x" * 301), "de notitie is te lang: 301 tekens, ten hoogste 300. Maak haar korter"),
]


@pytest.mark.parametrize("call,message", INVALID, ids=[m for _, m in INVALID])
def test_invalid_saves_say_why_in_dutch_and_write_nothing(programme, call, message):
    before = snapshot(programme)
    with pytest.raises(EditError) as caught:
        call(programme)
    assert message in str(caught.value)
    assert not isinstance(caught.value, StaleEdit)
    assert snapshot(programme) == before


# What a forged callback may send instead of text or a number: refused in Dutch, never a crash.
WRONG_KIND = [
    (lambda e: set_realisatie(e, ANNA, "H01", "2026-Q4", "1", None, reden=5), "de reden moet tekst zijn"),
    (lambda e: set_realisatie(e, ANNA, "H01", "2026-Q4", "1", None, reden=["x"]), "de reden moet tekst zijn"),
    (lambda e: unlock_period(e, MANAGER, "2026-Q4", {"reden": "x"}), "de reden moet tekst zijn"),
    (lambda e: set_voortgang(e, ANNA, "L1.1", "2026-Q4", "op_schema", 12, None), "de toelichting moet tekst zijn"),
    (lambda e: set_voortgang(e, ANNA, "L1.1", ["2026-Q4"], "op_schema", None, None), "gebruik JJJJ-Qn"),
    (lambda e: add_annotatie(e, ANNA, "H01", "2026-01-01", 42), "de notitie moet tekst zijn"),
    (lambda e: add_annotatie(e, ANNA, "H01", "2026-01-01", {"tekst": "x"}), "de notitie moet tekst zijn"),
    (lambda e: set_realisatie(e, ANNA, "H01", 2026, "1", None), "gebruik JJJJ (jaar), Kn JJJJ (kwartaal) of JJJJ-MM (maand)"),
    (lambda e: set_realisatie(e, ANNA, "H01", "2026-Q4", ["1"], None), "vul een getal in"),
    (lambda e: set_realisatie(e, ANNA, "H01", "2026-Q4", 10 ** 400, None), "vul een gewoon getal in"),
    (lambda e: set_streefwaarde(e, ANNA, "H01", float("inf"), "1", None, soort="nulmeting"), "is geen jaartal"),
    (lambda e: lock_period(e, MANAGER, 202604), "gebruik JJJJ-Qn"),
    (lambda e: delete_annotatie(e, ANNA, 10 ** 30), "deze notitie bestaat niet"),
]


@pytest.mark.parametrize("call,message", WRONG_KIND, ids=[f"{i}: {m}" for i, (_, m) in enumerate(WRONG_KIND)])
def test_values_of_the_wrong_kind_are_refused_in_dutch_and_write_nothing(programme, call, message):
    before = snapshot(programme)
    with pytest.raises(EditError) as caught:
        call(programme)
    assert message in str(caught.value)
    assert snapshot(programme) == before


@pytest.mark.parametrize("text,value", [
    ("12,5", 12.5), ("1.234", 1234), ("1.234,5", 1234.5), ("12.5", 12.5), (" 1.234.567 ", 1234567),
    ("€ 1.234,50", 1234.5), ("45%", 45), ("-3", -3), ("0,75", 0.75), ("1.5", 1.5), ("1\u00a0234", 1234),
    (7, 7.0), (2.5, 2.5)])
def test_dutch_number_parsing(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["abc", "", "   ", None, "1,2,3", "12,5,", "1..2", "inf", "NaN", True,
                                  # what float() accepts and a Dutch user does not type as a number
                                  "1e5", "1E5", "-1e3", "1.5e3", "1e-3", "12,5e2", "1e308", "-inf", "Infinity",
                                  "+nan", "1_000", "0x10", "\uff11\uff12", "\u0663", "\u00b2"])
def test_not_a_number(text):
    with pytest.raises(EditError):
        parse_number(text)


@pytest.mark.parametrize("value,text", [(12.5, "12,5"), (1234.5, "1.234,5"), (1234567.0, "1.234.567"),
                                        (0.125, "0,125"), (2.00001, "2"), (-3.0, "-3"), ("op_schema", "op_schema")])
def test_format_plain(value, text):
    assert pe.format_plain(value) == text


# --- one transaction: a save whose audit record fails leaves nothing behind ----------------------

ATOMIC = [
    ("new realisatie", lambda e: set_realisatie(e, ANNA, "H01", "2026-Q4", "5", None)),
    ("changed realisatie", lambda e: set_realisatie(e, ANNA, "H01", "2025", "5", 1)),
    ("new nulmeting", lambda e: set_streefwaarde(e, ANNA, "H01", 2023, "5", None, soort="nulmeting")),
    ("changed streefwaarde", lambda e: set_streefwaarde(e, ANNA, "H01", 2026, "5", 1, reden="x")),
    ("new voortgang", lambda e: set_voortgang(e, ANNA, "L1.1", "2026-Q4", "op_schema", "tekst", None)),
    ("lock", lambda e: lock_period(e, MANAGER, "2026-Q4")),
    ("annotation", lambda e: add_annotatie(e, ANNA, "H01", "2026-01-01", "notitie")),
]


@pytest.mark.parametrize("call", [c[1] for c in ATOMIC], ids=[c[0] for c in ATOMIC])
def test_a_save_and_its_audit_record_are_one_transaction(programme, call, monkeypatch):
    def failing_audit(*args, **kwargs):
        raise RuntimeError("schijf vol")

    before = snapshot(programme)
    monkeypatch.setattr(pe, "_audit", failing_audit)
    with pytest.raises(RuntimeError, match="schijf vol"):
        call(programme)
    assert snapshot(programme) == before


# --- locking ------------------------------------------------------------------------------------

def test_a_locked_quarter_refuses_realisatie_and_voortgang_for_everyone(programme):
    set_voortgang(programme, ANNA, "L1.1", "2026-Q4", "op_schema", None, None)
    lock_period(programme, MANAGER, "2026-Q4")
    before = snapshot(programme)
    # the trekker is told who can unlock it; the programmamanager, that she can (not to ask herself)
    for user, says in ((ANNA, "alleen de programmamanager kan haar ontgrendelen"),
                       (MANAGER, "ontgrendel haar eerst op de pagina Beheer")):
        for periode in ("2026-Q4", "2026-11", "2026"):  # the quarter, a month in it, its year
            with pytest.raises(PermissionDenied, match=f"vastgesteld; {says}"):
                set_realisatie(programme, user, "H01", periode, "7", None)
        with pytest.raises(PermissionDenied, match="vastgesteld"):
            set_voortgang(programme, user, "L1.1", "2026-Q4", "afgerond", None, 1)
    assert snapshot(programme) == before
    # Other quarters stay open; a year's targets close with its last quarter.
    set_realisatie(programme, ANNA, "H01", "2016-Q1", "7", None)
    set_voortgang(programme, ANNA, "L1.1", "2027-Q1", "afgerond", None, None)
    for user in (ANNA, MANAGER):
        with pytest.raises(PermissionDenied, match="vastgesteld"):
            set_streefwaarde(programme, user, "H01", 2026, "510", 1, reden="bijgesteld")

    with pytest.raises(PermissionDenied):
        unlock_period(programme, ANNA, "2026-Q4", "mag niet")
    unlock_period(programme, MANAGER, "2026-Q4", "telling gecorrigeerd")
    set_streefwaarde(programme, ANNA, "H01", 2026, "510", 1, reden="bijgesteld")
    set_realisatie(programme, ANNA, "H01", "2026", "7", None)
    set_voortgang(programme, ANNA, "L1.1", "2026-Q4", "afgerond", None, 1)


def test_the_raad_sees_only_locked_realisaties_and_status(programme):
    # H01 has realisaties 2024, 2025, 2026-Q1..Q3 from the plan.
    plan = {m.code: m.status for l in read_programme(programme).lijnen for m in l.maatregelen}
    assert plan["L1.1"] == plan["L1.4"] == "op_schema"
    set_voortgang(programme, ANNA, "L1.1", "2025-Q4", "vertraagd", None, None)
    set_voortgang(programme, ANNA, "L1.1", "2026-Q1", "afgerond", None, None)
    set_voortgang(programme, ANNA, "L1.1", "2026-Q2", "nog_niet_gestart", None, None)
    set_voortgang(programme, ANNA, "L1.4", "2026-Q2", "afgerond", None, None)
    lock_period(programme, MANAGER, "2025-Q4")
    lock_period(programme, MANAGER, "2026-Q1")

    raad = read_programme(programme, vastgesteld_only=True)
    h01 = raad.indicators["H01"]
    assert h01.realisaties == {"2025": 455, "2026-Q1": 150}  # "2025" is locked with 2025-Q4
    assert h01.vastgesteld == {"2025", "2026-Q1"}
    assert raad.indicators["H03"].realisaties == {}  # only 2024, not locked
    status = {m.code: m.latest().status for l in raad.lijnen for m in l.maatregelen}
    assert status["L1.1"] == "afgerond"  # the newest locked quarter
    assert status["L1.4"] == "op_schema"  # only an unlocked report: the plan's status
    assert status == {**plan, "L1.1": "afgerond"}
    l11 = next(m for l in raad.lijnen for m in l.maatregelen if m.code == "L1.1")
    assert (l11.stand(2025).status, l11.stand(2026).status) == ("vertraagd", "afgerond")  # a year's own

    everyone = read_programme(programme)
    assert everyone.indicators["H01"].realisaties == {"2024": 420, "2025": 455, "2026-Q1": 150,
                                                      "2026-Q2": 290, "2026-Q3": 410}
    assert everyone.indicators["H01"].vastgesteld == {"2025", "2026-Q1"}
    status = {m.code: m.latest().status for l in everyone.lijnen for m in l.maatregelen}
    assert status == {**plan, "L1.1": "nog_niet_gestart", "L1.4": "afgerond"}  # the newest report

    unlock_period(programme, MANAGER, "2026-Q1", "correctie")
    raad = read_programme(programme, vastgesteld_only=True)
    assert raad.indicators["H01"].realisaties == {"2025": 455}
    assert {m.code: m.latest().status for l in raad.lijnen for m in l.maatregelen}["L1.1"] == "vertraagd"


def test_a_year_realisatie_is_not_locked_by_an_earlier_quarter(programme):
    lock_period(programme, MANAGER, "2025-Q3")
    assert read_programme(programme, vastgesteld_only=True).indicators["H01"].realisaties == {}
    set_realisatie(programme, ANNA, "H01", "2025", "456", 1)  # 2025 belongs to 2025-Q4: open


def test_budget_share_may_pass_a_hundred_percent(programme):
    """K20 (% budget besteed) has targets above 100% in the plan: they can be set, others not."""
    from data.programme.edits import set_streefwaarde

    edit = indicator_edit(programme, "K20")
    saved = set_streefwaarde(programme, MANAGER, "K20", 2026, "112,5", edit.streefwaarden[2026].version,
                             "overschrijding verwacht", eenheid="%")
    assert "112,5" in saved.message
    with pytest.raises(EditError, match="percentage"):
        set_streefwaarde(programme, MANAGER, "K12", 2026, "112,5", None, "x", eenheid="%")


def test_an_upper_bound_is_declared_by_the_programme_not_by_the_code(warehouse, tmp_path):
    """Which indicator may pass its unit's range is the plan's word (an indicator's `bovengrens`):
    here H03 (a manual %) may reach 150 and K20 (% budget besteed) has lost its allowance."""
    from tests.other_plan import load_other_plan, other_plan

    doc = other_plan()
    by_code = {ind["code"]: ind for ind in doc["indicatoren"]}
    del by_code["K20"]["bovengrens"]
    by_code["H03"]["bovengrens"] = 150
    load_other_plan(warehouse, tmp_path, doc)
    assert "120" in set_realisatie(warehouse, ANNA, "H03", "2025", "120", None).message
    with pytest.raises(EditError, match="tussen 0 en 150"):
        set_realisatie(warehouse, ANNA, "H03", "2026", "151", None)
    with pytest.raises(EditError, match="een percentage ligt tussen 0 en 100"):
        set_streefwaarde(warehouse, MANAGER, "K20", 2027, "108", None, "x", eenheid="%")


def test_the_years_of_a_streefwaarde_are_the_plans(warehouse, tmp_path):
    """Another plan (2023–2027, nulmeting 2022): its years are the ones a value may be set for."""
    from tests.other_plan import load_other_plan

    load_other_plan(warehouse, tmp_path)
    assert set_streefwaarde(warehouse, MANAGER, "H01", 2027, "600", None).version == 1
    with pytest.raises(EditError, match="jaar 2028: een streefwaarde hoort bij 2023–2027"):
        set_streefwaarde(warehouse, MANAGER, "H01", 2028, "600", None)
    with pytest.raises(EditError, match="jaar 2028: een nulmeting hoort bij 2015–2027"):
        set_streefwaarde(warehouse, MANAGER, "H05", 2028, "600", None, soort="nulmeting")


def test_a_realisatie_waits_for_its_period_to_begin(programme):
    """Today is the write's moment: a period that has not begun gets a Dutch refusal, the running
    one is accepted (its value so far)."""
    before = snapshot(programme)
    with pe.recorded_at(dt.datetime(2026, 12, 6, 10, 0)):
        for periode, label in (("2027", "2027"), ("2027-Q1", "K1 2027"), ("2028-Q4", "K4 2028"), ("2027-01", "januari 2027")):
            with pytest.raises(EditError, match=f"^periode {label} is nog niet begonnen; een realisatie kan vanaf "
                                                "het begin van de periode worden ingevuld$"):
                set_realisatie(programme, ANNA, "H01", periode, "3", None)
        assert snapshot(programme) == before
        # a month by its name, as the history shows it (the message said "De realisatie 2026-12 …")
        assert set_realisatie(programme, ANNA, "H01", "2026-12", "3", None).message == \
            "De realisatie december 2026 van H01 is vastgelegd: 3."
