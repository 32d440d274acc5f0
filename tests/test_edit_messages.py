"""The refusals of the write path read true and plain (issue 14's testers found four that did not):
no "maatregel None", no 309-digit number, no "het wijzigen van het ontgrendelen", and a value
entered as new that was there all along is not reported as if somebody had just changed it."""
from __future__ import annotations

import re

import pytest

from data.accounts.permissions import PermissionDenied
from data.programme.edits import (
    AlreadyExists,
    EditError,
    StaleEdit,
    add_annotatie,
    lock_period,
    set_realisatie,
    set_streefwaarde,
    set_voortgang,
    unlock_period,
)
from tests.beheer_support import ANNA, MANAGER, audit_since, last_audit_id, programme

__all__ = ["programme"]


def test_a_lijn_indicator_names_no_maatregel(programme):
    """K01 belongs to lijn L1, not to a maatregel: a trekker is told why, not "maatregel None"."""
    with pytest.raises(PermissionDenied) as caught:
        set_streefwaarde(programme, ANNA, "K01", 2026, "100", 1, reden="x")
    message = str(caught.value)
    assert "None" not in message
    assert message == ("Deze indicator hoort bij een strategische lijn, niet bij één maatregel; "
                       "alleen de programmamanager kan hem wijzigen.")


@pytest.mark.parametrize("typed,shown", [("1" + "0" * 308, "een getal van meer dan 15 cijfers"),
                                         ("-1" + "0" * 300, "een negatief getal van meer dan 15 cijfers")])
def test_a_huge_number_is_named_not_written_out(programme, typed, shown):
    with pytest.raises(EditError) as caught:
        set_streefwaarde(programme, ANNA, "H01", 2026, typed, 1, reden="x")
    message = str(caught.value)
    assert not re.search(r"\d{16}", message.replace(".", "")), message
    # "dit getal ligt tussen 0 en …" said of -5 that it lies between 0 and …: the kind of value is named
    assert message == f"{shown} kan niet: een aantal ligt tussen 0 en 1.000.000.000.000"


def test_a_number_just_out_of_range_is_still_shown(programme):
    with pytest.raises(EditError, match=r"^1\.000\.000\.000\.001 kan niet: een aantal ligt tussen"):
        set_streefwaarde(programme, ANNA, "H01", 2026, "1000000000001", 1, reden="x")


def test_unlocking_without_a_reason_says_so_plainly(programme):
    lock_period(programme, MANAGER, "2026-Q1")
    for reden in (None, "  "):
        with pytest.raises(EditError) as caught:
            unlock_period(programme, MANAGER, "2026-Q1", reden)
        assert str(caught.value) == "geef een reden voor het ontgrendelen van een vastgestelde periode"


def test_changing_a_target_without_a_reason_still_says_so(programme):
    with pytest.raises(EditError, match="^geef een reden voor het wijzigen van een streefwaarde$"):
        set_streefwaarde(programme, ANNA, "H01", 2026, "520", 1)


def test_adding_a_period_that_exists_says_it_exists(programme):
    """The plan already has H01's realisatie 2025: adding "2025" again is no race with anybody."""
    before = last_audit_id(programme)
    with pytest.raises(AlreadyExists) as caught:
        set_realisatie(programme, ANNA, "H01", "2025", "1", None)
    message = str(caught.value)
    assert "intussen" not in message and "systeem" not in message
    assert re.fullmatch(r"De realisatie 2025 van H01 bestaat al: [\d.,]+ \(uit het programmaplan\)\. Uw waarde "
                        r"is niet opgeslagen; wijzig de bestaande waarde als die anders moet\.", message), message
    assert isinstance(caught.value, StaleEdit)  # callers that show the newer value keep working
    assert audit_since(programme, before) == []


def test_adding_what_a_colleague_entered_earlier_names_the_colleague(programme):
    set_realisatie(programme, MANAGER, "H01", "2016-Q2", "12", None)
    with pytest.raises(AlreadyExists, match=r"^De realisatie K2 2016 van H01 bestaat al: 12 \(vastgelegd door pm "
                                            r"op \d{1,2} [a-z]+ \d{4} om \d\d:\d\d\)\. Uw waarde is niet opgeslagen"):
        set_realisatie(programme, ANNA, "H01", "2016-Q2", "13", None)
    set_voortgang(programme, MANAGER, "L1.1", "2027-Q2", "op_schema", None, None)
    with pytest.raises(AlreadyExists, match=r"bestaat al: op schema \(vastgelegd door pm"):
        set_voortgang(programme, ANNA, "L1.1", "2027-Q2", "vertraagd", None, None)


def test_a_second_tab_refused_on_a_voortgang_reads_the_stored_one_in_words(programme):
    """Two tabs report the same quarter: the second is told what the first saved, status and
    toelichting in words (it said "bestaat al: op_schema", a raw code, without the toelichting)."""
    set_voortgang(programme, ANNA, "L1.1", "2027-Q3", "op_schema", "tab 1: " + "loopt " * 30, None)
    before = last_audit_id(programme)
    with pytest.raises(AlreadyExists) as caught:
        set_voortgang(programme, ANNA, "L1.1", "2027-Q3", "vertraagd", "tab 2", None)
    message = str(caught.value)
    assert "_" not in message and len(message) < 300, message
    assert message.startswith("De voortgang K3 2027 van maatregel L1.1 bestaat al: op schema, toelichting "
                              "‘tab 1: loopt loopt"), message
    assert "…’ (vastgelegd door anna op" in message
    saved = set_voortgang(programme, ANNA, "L1.1", "2027-Q3", "afgerond", "", 1)
    with pytest.raises(StaleEdit, match=r"is intussen door anna op .* gewijzigd in afgerond\. Uw wijziging"):
        set_voortgang(programme, ANNA, "L1.1", "2027-Q3", "vertraagd", "tab 2", 1)
    assert saved.version == 2 and len(audit_since(programme, before)) == 2


def test_a_real_race_is_still_reported_as_a_change_meanwhile(programme):
    set_realisatie(programme, MANAGER, "H01", "2016-Q3", "12", None)
    with pytest.raises(StaleEdit) as caught:  # shown version 1, but saved meanwhile: version 2
        set_realisatie(programme, MANAGER, "H01", "2016-Q3", "14", 1)
        set_realisatie(programme, ANNA, "H01", "2016-Q3", "13", 1)
    assert not isinstance(caught.value, AlreadyExists)
    assert "is intussen door pm" in str(caught.value)


# A typed text over its limit: the fields no longer cut a paste at the limit (their maxLength cut
# it without a word), so the refusal says how long the text is, the limit, and that nothing was
# saved. It said only "de reden is te lang (ten hoogste 500 tekens)", and of a note its length in
# brackets without the rest.
REDEN_612 = "De bijstelling volgt uit de evaluatie van het eerste kwartaal. " * 9 + "x" * 45   # 612 after strip


@pytest.mark.parametrize("save", [
    lambda e: unlock_period(e, MANAGER, "2026-Q1", REDEN_612),
    lambda e: set_streefwaarde(e, ANNA, "H01", 2026, "520", 1, reden=REDEN_612),
    lambda e: set_realisatie(e, ANNA, "H01", "2016-Q4", "12", None, reden=REDEN_612),
], ids=["unlock", "streefwaarde", "realisatie"])
def test_a_reason_over_the_limit_is_refused_with_its_length_and_the_limit(programme, save):
    lock_period(programme, MANAGER, "2026-Q1")
    before = last_audit_id(programme)
    assert len(REDEN_612.strip()) == 612   # the premise
    with pytest.raises(EditError) as caught:
        save(programme)
    assert str(caught.value) == ("de reden is te lang: 612 tekens, ten hoogste 500. "
                                 "Maak haar korter; er is niets opgeslagen")
    assert audit_since(programme, before) == []


def test_a_note_over_the_limit_is_refused_with_its_length_and_the_limit(programme):
    before = last_audit_id(programme)
    with pytest.raises(EditError) as caught:
        add_annotatie(programme, ANNA, "H01", "2026-01-05", "Start consulenten op vijf basisscholen. " * 9)
    assert str(caught.value) == ("de notitie is te lang: 359 tekens, ten hoogste 300. "
                                 "Maak haar korter; er is niets opgeslagen")   # stripped: 359
    assert audit_since(programme, before) == []
    assert add_annotatie(programme, ANNA, "H01", "2026-01-05", "x" * 300).message   # the limit itself


def test_a_targets_import_reason_over_the_limit_is_refused_with_its_length_and_the_limit(programme):
    from dashboard.programme.targets_csv import export_targets, import_targets

    before = last_audit_id(programme)
    with pytest.raises(EditError) as caught:
        import_targets(programme, MANAGER, export_targets(programme), "streefwaarden.csv", REDEN_612)
    assert str(caught.value) == ("de reden is te lang: 612 tekens, ten hoogste 500. "
                                 "Maak haar korter; er is niets opgeslagen")
    assert audit_since(programme, before) == []


def test_an_alert_is_a_sentence_with_its_capital_and_its_full_stop():
    """"Vul een getal in", "… Maak haar korter; er is niets opgeslagen": the write rules' refusals
    follow a colon, so they have no full stop of their own; the alert gives them one."""
    from dashboard.ui.editing import Feedback

    assert Feedback(False, "vul een getal in").sentence == "Vul een getal in."
    assert Feedback(True, "De notitie is toegevoegd.").sentence == "De notitie is toegevoegd."
    assert Feedback(False, "geef een reden (ten hoogste 500 tekens)").sentence.endswith("tekens).")
