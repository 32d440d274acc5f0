"""After a refused save the fields keep what the user typed, beside the Dutch refusal (a user's
sweep: the indicator page and /beheer put the stored value back, so the user had to type it
again and might not see what was refused); after a save they show what is stored.

`editing.fields_after` decides it; the pages' `answer` (what their save callbacks return) is
checked on the Programmaplan with a trekker logged in. The browser check is in
tests/test_beheer_browser.py."""
from __future__ import annotations

import datetime as dt

from dashboard.pages import beheer, indicator
from dashboard.ui import components, editing
from data.programme.edits import lock_period
from tests.app_client import indicator_fields
from tests.beheer_support import ANNA, MANAGER, live, logged_in, programme, streefwaarde_row, voortgang_row

__all__ = ["programme", "live"]


def component(tree, component_id):
    """The component with `component_id` in a layout tree (KeyError: not there)."""
    found = []

    def walk(node):
        if isinstance(node, (list, tuple)):
            for item in node:
                walk(item)
            return
        if getattr(node, "id", None) == component_id:
            found.append(node)
        if hasattr(node, "children"):
            walk(node.children)
    walk(tree)
    if not found:
        raise KeyError(component_id)
    return found[0]


def value_of(tree, component_id):
    """The value of the component with `component_id` in a layout tree (KeyError: not there)."""
    return getattr(component(tree, component_id), "value", None)


def store_data(tree, component_id):
    """The data of the dcc.Store with `component_id` in a layout tree."""
    return component(tree, component_id).data


def dom(kind, key):
    return components.dom_id({"type": kind, "key": str(key)})


def test_a_refusal_keeps_what_was_typed_and_a_save_shows_what_is_stored():
    typed = {"indicator-reden": "na de evaluatie", dom(indicator.SW_INPUT, 2026): "abc"}
    assert editing.fields_after(editing.Feedback(False, "'abc' is geen getal"), typed) == typed
    assert editing.fields_after(editing.Feedback(True, "opgeslagen"), typed) == {}


def test_a_save_empties_only_the_fields_it_stored():
    """A user's report: a reason typed for a streefwaarde was emptied when a note was saved, as
    only the saved form's fields were kept. Every field keeps what was typed until its own save."""
    typed = {indicator.REDEN: "na de evaluatie", dom(indicator.SW_INPUT, 2027): "77",
             indicator.NOTE_DATUM: "2026-01-05", indicator.NOTE_TEKST: "start consulenten"}
    saved = (indicator.NOTE_DATUM, indicator.NOTE_TEKST)
    assert editing.fields_after(editing.Feedback(True, "opgeslagen"), typed, saved) == {
        indicator.REDEN: "na de evaluatie", dom(indicator.SW_INPUT, 2027): "77"}
    assert editing.fields_after(editing.Feedback(False, "te lang"), typed, saved) == typed


def test_the_page_sends_every_field_it_shows_with_each_save(live):
    """What every save callback reads (indicator.page_fields) holds every field a user types in on
    the page, a manual indicator's realisaties included; a field added later without it would be
    emptied by the other forms' saves again."""
    with logged_in(ANNA):
        tree = indicator.body("H01")
    fields = set()

    def walk(node):
        if isinstance(node, (list, tuple)):
            for item in node:
                walk(item)
            return
        if type(node).__name__ in ("Input", "Textarea", "Select") and getattr(node, "id", None) is not None:
            fields.add(node.id["type"] if isinstance(node.id, dict) else node.id)
        if hasattr(node, "children"):
            walk(node.children)
    walk(tree)
    assert indicator.RE_NEW_INPUT in fields and indicator.NOTE_TEKST in fields   # the premise: all forms
    assert fields == set(indicator.FIELD_CHECKS)


def test_a_reason_typed_for_a_target_stays_when_a_note_is_saved(live):
    sent = indicator_fields({indicator.REDEN: "bijgesteld na de evaluatie", indicator.NOTE_DATUM: "2026-01-05",
                             indicator.NOTE_TEKST: "start consulenten op vijf scholen",
                             indicator.RE_NEW_PERIODE: "2026-Q1"},
                            {indicator.SW_INPUT: {"2026": "520", "2027": "77"}})
    typed = indicator.typed_on_page(sent)
    with logged_in(ANNA):
        saved = editing.add_note("H01", "2026-01-05", "start consulenten op vijf scholen")
        _message, body = indicator.answer("H01", saved, typed, (indicator.NOTE_DATUM, indicator.NOTE_TEKST))
    assert saved.ok, saved.message
    assert value_of(body, indicator.REDEN) == "bijgesteld na de evaluatie"
    assert value_of(body, {"type": indicator.SW_INPUT, "key": "2026"}) == "520"
    assert value_of(body, {"type": indicator.SW_INPUT, "key": "2027"}) == "77"
    assert value_of(body, indicator.RE_NEW_PERIODE) == "2026-Q1"
    assert value_of(body, indicator.NOTE_TEKST) is None and value_of(body, indicator.NOTE_DATUM) is None
    assert "start consulenten op vijf scholen" in str(body)   # stored: on the timeline


def test_a_value_kept_as_typed_keeps_the_version_it_was_typed_against(live):
    """A trekker types 77 for 2027 and saves a note; meanwhile the programmamanager sets 2027 to
    600. The 77 stays in its field (it was not saved), but with the version it was typed against:
    saving it now is refused as a conflict naming the 600, instead of overwriting it unseen (the
    page used to put the newest version beside the old typed value)."""
    from dashboard.programme import history
    from dashboard.programme.progress import read_programme

    typed_against = streefwaarde_row(live, "H01", 2027).version
    with logged_in(ANNA):
        before = indicator.body("H01")
    shown = store_data(before, indicator.SHOWN_VERSIONS)
    assert shown[dom(indicator.SW_INPUT, 2027)] == typed_against   # the premise: the page shows it
    with logged_in(MANAGER):
        assert editing.save_streefwaarde("H01", 2027, "600", typed_against, "nieuwe afspraak").ok
    sent = indicator_fields({indicator.NOTE_DATUM: "2026-01-05", indicator.NOTE_TEKST: "start consulenten",
                             indicator.SHOWN_VERSIONS: shown},
                            {indicator.SW_INPUT: {"2027": "77"}})
    with logged_in(ANNA):
        noted = editing.add_note("H01", "2026-01-05", "start consulenten")
        _message, after = indicator.answer("H01", noted, indicator.typed_on_page(sent),
                                           (indicator.NOTE_DATUM, indicator.NOTE_TEKST), indicator.versions_on_page(sent))
        assert noted.ok
        assert value_of(after, {"type": indicator.SW_INPUT, "key": "2027"}) == "77"
        kept_version = store_data(after, {"type": indicator.SW_VERSION, "key": "2027"})
        assert kept_version == typed_against != streefwaarde_row(live, "H01", 2027).version
        again = editing.save_streefwaarde("H01", 2027, "77", kept_version, "bijgesteld")
    assert not again.ok and "600" in again.message
    edit = history.indicator_edit(live, "H01")
    assert edit.streefwaarden[2027].waarde == 600
    # a row not kept as typed shows the stored version, and a forged entry is left out
    assert store_data(after, {"type": indicator.SW_VERSION, "key": "2026"}) == streefwaarde_row(live, "H01", 2026).version
    assert indicator.versions_on_page([{"id": indicator.SHOWN_VERSIONS, "property": "data",
                                        "value": {"a": "7", "b": True, "c": None, "d": 3}}]) == {"c": None, "d": 3}
    assert read_programme(live).indicators["H01"].streefwaarden[2027] == 600


def test_a_refusal_reads_as_a_sentence_in_its_alert(live):
    """The write rules' refusals start in lower case ("geef een reden …"); the alert gives them
    their capital."""
    version = streefwaarde_row(live, "H01", 2026).version
    with logged_in(ANNA):
        refused = editing.save_streefwaarde("H01", 2026, "600", version, "")
        message, _body = indicator.answer("H01", refused, {})
    assert not refused.ok and refused.message[0].islower()  # the premise
    assert message.children == refused.message[0].upper() + refused.message[1:] + "."   # and its full stop


def test_a_refused_target_stays_in_its_field_with_the_reason(live):
    version = streefwaarde_row(live, "H01", 2026).version
    typed = {dom(indicator.SW_INPUT, 2026): "abc", dom(indicator.SW_INPUT, 2027): "77",
             indicator.REDEN: "bijgesteld na de evaluatie"}
    with logged_in(ANNA):
        refused = editing.save_streefwaarde("H01", 2026, "abc", version, "bijgesteld na de evaluatie")
        message, body = indicator.answer("H01", refused, typed)
    assert not refused.ok and "'abc' is geen getal" in message.children
    assert value_of(body, {"type": indicator.SW_INPUT, "key": "2026"}) == "abc"
    assert value_of(body, {"type": indicator.SW_INPUT, "key": "2027"}) == "77"   # the other rows too
    assert value_of(body, indicator.REDEN) == "bijgesteld na de evaluatie"

    typed[dom(indicator.SW_INPUT, 2026)] = "512,5"
    with logged_in(ANNA):
        saved = editing.save_streefwaarde("H01", 2026, "512,5", version, "bijgesteld na de evaluatie")
        message, body = indicator.answer("H01", saved, typed, (dom(indicator.SW_INPUT, 2026), indicator.REDEN))
    assert saved.ok, saved.message
    assert value_of(body, {"type": indicator.SW_INPUT, "key": "2026"}) == "512,5"   # as stored, the Dutch way
    assert value_of(body, indicator.REDEN) is None                                  # used by the save
    assert value_of(body, {"type": indicator.SW_INPUT, "key": "2027"}) == "77"     # not saved: kept


def test_a_realisatie_for_a_period_not_begun_stays_in_the_new_row(live):
    later = f"{dt.date.today().year + 1}-Q1"   # the plan runs to 2028
    typed = {indicator.RE_NEW_PERIODE: later, indicator.RE_NEW_INPUT: "12", indicator.REDEN: None}
    with logged_in(ANNA):
        refused = editing.save_realisatie("H01", later, "12", None)
        message, body = indicator.answer("H01", refused, typed)
    assert not refused.ok and "nog niet begonnen" in message.children
    assert value_of(body, indicator.RE_NEW_PERIODE) == later and value_of(body, indicator.RE_NEW_INPUT) == "12"

    with logged_in(ANNA):
        saved = editing.save_realisatie("H01", "2016-Q2", "12", None)
        _message, body = indicator.answer("H01", saved, {**typed, indicator.RE_NEW_PERIODE: "2016-Q2"})
    assert saved.ok, saved.message
    assert value_of(body, indicator.RE_NEW_PERIODE) is None and value_of(body, indicator.RE_NEW_INPUT) is None
    assert value_of(body, {"type": indicator.RE_INPUT, "key": "2016-Q2"}) == "12"


def test_a_refused_note_keeps_its_text(live):
    typed = {indicator.NOTE_DATUM: None, indicator.NOTE_TEKST: "start consulenten op vijf scholen"}
    with logged_in(ANNA):
        refused = editing.add_note("H01", None, "start consulenten op vijf scholen")
        _message, body = indicator.answer("H01", refused, typed)
    assert not refused.ok
    assert value_of(body, indicator.NOTE_TEKST) == "start consulenten op vijf scholen"


def test_beheer_keeps_a_refused_voortgang_in_its_fields(live):
    periode = beheer.quarters()[0]
    typed = {dom(beheer.VG_STATUS, "L1.1"): "vertraagd",
             dom(beheer.VG_TEKST, "L1.1"): "de aanbesteding loopt uit; nieuwe planning volgt"}
    with logged_in(ANNA):
        refused = editing.save_voortgang("L1.1", periode, "vertraagd", "de aanbesteding loopt uit; nieuwe planning volgt",
                                         99)   # a version the page never showed: somebody saved in between
        message, body = beheer.answer(periode, refused, typed)
    assert not refused.ok and "niet opgeslagen" in message.children
    assert value_of(body, {"type": beheer.VG_STATUS, "key": "L1.1"}) == "vertraagd"
    assert value_of(body, {"type": beheer.VG_TEKST, "key": "L1.1"}) == "de aanbesteding loopt uit; nieuwe planning volgt"

    with logged_in(ANNA):
        saved = editing.save_voortgang("L1.1", periode, "op_schema", "loopt", None)
        _message, body = beheer.answer(periode, saved, typed)
    assert saved.ok, saved.message
    assert value_of(body, {"type": beheer.VG_STATUS, "key": "L1.1"}) == "op_schema"
    assert value_of(body, {"type": beheer.VG_TEKST, "key": "L1.1"}) == "loopt"


def test_beheer_keeps_another_maatregels_typed_toelichting_after_a_save_with_its_version(live):
    """A trekker types a toelichting for L1.4, then saves L1.1: the page was rebuilt from the
    database and the typed text was gone. Now it stays, with the version it was typed against: the
    programmamanager saved L1.4 in between, so saving the typed text is refused as a conflict."""
    periode = beheer.quarters()[0]
    with logged_in(MANAGER):
        assert editing.save_voortgang("L1.4", periode, "op_schema", "gestart", None).ok
    shown = voortgang_row(live, "L1.4", periode).version
    typed = {dom(beheer.VG_STATUS, "L1.1"): "op_schema", dom(beheer.VG_TEKST, "L1.1"): "loopt",
             dom(beheer.VG_STATUS, "L1.4"): "vertraagd", dom(beheer.VG_TEKST, "L1.4"): "wacht op de scholen"}
    with logged_in(MANAGER):
        assert editing.save_voortgang("L1.4", periode, "afgerond", "de planning schuift", shown).ok
    with logged_in(ANNA):
        saved = editing.save_voortgang("L1.1", periode, "op_schema", "loopt", None)
        _message, body = beheer.answer(periode, saved, typed, "L1.1", {"L1.1": None, "L1.4": shown})
        assert saved.ok, saved.message
        assert value_of(body, {"type": beheer.VG_TEKST, "key": "L1.4"}) == "wacht op de scholen"
        assert value_of(body, {"type": beheer.VG_STATUS, "key": "L1.4"}) == "vertraagd"
        kept = store_data(body, {"type": beheer.VG_VERSION, "key": "L1.4"})
        assert kept == shown != voortgang_row(live, "L1.4", periode).version
        assert store_data(body, {"type": beheer.VG_VERSION, "key": "L1.1"}) == voortgang_row(live, "L1.1", periode).version
        again = editing.save_voortgang("L1.4", periode, "vertraagd", "wacht op de scholen", kept)
    assert not again.ok and "niet opgeslagen" in again.message
    assert voortgang_row(live, "L1.4", periode).toelichting == "de planning schuift"


def test_beheer_keeps_a_refused_reason_to_unlock(live):
    periode = beheer.quarters()[1]
    lock_period(live, MANAGER, periode)
    with logged_in(MANAGER):
        refused = editing.unlock(periode, "  ")
        message, body = beheer.answer(periode, refused, {beheer.UNLOCK_REDEN: "  "})
    assert not refused.ok and "Geef een reden" in message.children
    assert value_of(body, beheer.UNLOCK_REDEN) == "  "


def test_a_toelichting_over_the_limit_is_refused_with_its_length_and_stays_whole_in_its_field(live):
    """It was cut at 2,000 characters without a word: the field's maxLength cut a longer paste in
    the browser. Now nothing cuts it: the save is refused, saying how long it is and the limit,
    and the field keeps all of it to be shortened."""
    periode = beheer.quarters()[0]
    long_text = "De aanbesteding loopt uit. " * 90   # 2,430 characters
    field = {"type": beheer.VG_TEKST, "key": "L1.1"}
    typed = {dom(beheer.VG_STATUS, "L1.1"): "vertraagd", dom(beheer.VG_TEKST, "L1.1"): long_text}
    with logged_in(ANNA):
        refused = editing.save_voortgang("L1.1", periode, "vertraagd", long_text, None)
        message, body = beheer.answer(periode, refused, typed)
    assert not refused.ok
    assert message.children == ("De toelichting bij maatregel L1.1 is te lang: 2.429 tekens, ten hoogste 2.000. "
                                "Maak haar korter; er is niets opgeslagen.")   # stripped: 2,429
    assert value_of(body, field) == long_text
    assert getattr(component(body, field), "maxLength", None) is None   # the browser cuts nothing off
    with logged_in(ANNA):
        assert editing.save_voortgang("L1.1", periode, "vertraagd", long_text[:2000], None).ok  # the limit itself


# The reasons and the note: their fields' maxLength (500, 300) cut a longer paste in the browser
# without a word, so what was saved was not what the user wrote, or was refused without its length.
# Now no field cuts: its label names the limit, the save is refused with the text's length and the
# limit, and the field keeps all of it to be shortened.
LONG_REASON = "Na de evaluatie van het eerste kwartaal bijgesteld, zie het verslag. " * 9   # 620 after strip
TOO_LONG_REASON = ("De reden is te lang: 620 tekens, ten hoogste 500. Maak haar korter; er is niets opgeslagen.")


def label_of(tree, component_id) -> str:
    """The text of the label that names `component_id` (its html_for), without hidden parts."""
    target = components.dom_id(component_id)

    def text_of(node) -> str:
        if isinstance(node, str):
            return node
        if isinstance(node, (list, tuple)):
            return "".join(text_of(n) for n in node)
        if "visually-hidden" in (getattr(node, "className", None) or ""):
            return ""
        return text_of(getattr(node, "children", None) or "")

    def walk(node):
        if isinstance(node, (list, tuple)):
            for item in node:
                yield from walk(item)
            return
        if getattr(node, "html_for", None) == target:
            yield text_of(node.children)
        if hasattr(node, "children"):
            yield from walk(node.children)
    for found in walk(tree):
        return found
    raise KeyError(component_id)


def cuts_nothing(tree, component_id) -> bool:
    return getattr(component(tree, component_id), "maxLength", None) is None


def test_a_reason_over_the_limit_on_the_indicator_page_is_refused_and_stays_whole(live):
    version = streefwaarde_row(live, "H01", 2026).version
    typed = {dom(indicator.SW_INPUT, 2026): "520", indicator.REDEN: LONG_REASON}
    with logged_in(ANNA):
        refused = editing.save_streefwaarde("H01", 2026, "520", version, LONG_REASON)
        message, body = indicator.answer("H01", refused, typed)
    assert not refused.ok and message.children == TOO_LONG_REASON
    assert value_of(body, indicator.REDEN) == LONG_REASON
    assert value_of(body, {"type": indicator.SW_INPUT, "key": "2026"}) == "520"
    assert cuts_nothing(body, indicator.REDEN)
    assert "ten hoogste 500 tekens" in label_of(body, indicator.REDEN)
    with logged_in(ANNA):
        assert editing.save_streefwaarde("H01", 2026, "520", version, "x" * 500).ok   # the limit itself


def test_a_note_over_the_limit_is_refused_and_stays_whole(live):
    note = "Start consulenten op vijf basisscholen, eerst in Huizen-Oost. " * 6   # 371 after strip
    typed = {indicator.NOTE_DATUM: "2026-01-05", indicator.NOTE_TEKST: note}
    with logged_in(ANNA):
        refused = editing.add_note("H01", "2026-01-05", note)
        message, body = indicator.answer("H01", refused, typed)
    assert not refused.ok
    assert message.children == ("De notitie is te lang: 371 tekens, ten hoogste 300. Maak haar korter; "
                                "er is niets opgeslagen.")
    assert value_of(body, indicator.NOTE_TEKST) == note
    assert cuts_nothing(body, indicator.NOTE_TEKST)
    assert "ten hoogste 300 tekens" in label_of(body, indicator.NOTE_TEKST)


def test_a_reason_to_unlock_over_the_limit_is_refused_and_stays_whole(live):
    periode = beheer.quarters()[1]
    lock_period(live, MANAGER, periode)
    with logged_in(MANAGER):
        refused = editing.unlock(periode, LONG_REASON)
        message, body = beheer.answer(periode, refused, {beheer.UNLOCK_REDEN: LONG_REASON})
    assert not refused.ok and message.children == TOO_LONG_REASON
    assert value_of(body, beheer.UNLOCK_REDEN) == LONG_REASON
    assert cuts_nothing(body, beheer.UNLOCK_REDEN)
    assert "ten hoogste 500 tekens" in label_of(body, beheer.UNLOCK_REDEN)
    # the targets upload's reason, in the same panel: its answer is drawn beside the form, which
    # keeps what was typed; the answer itself is tests/test_targets_upload.py's
    assert cuts_nothing(body, beheer.UPLOAD_REDEN)
    assert "ten hoogste 500 tekens" in label_of(body, beheer.UPLOAD_REDEN)
    with logged_in(MANAGER):
        assert editing.unlock(periode, "x" * 500).ok   # the limit itself


def test_the_reasons_are_textareas_that_show_a_long_reason_whole(live):
    """A reason may hold 500 characters; a one-line field showed only its start. The unlock reason,
    the targets upload's reason and the indicator page's reason are textareas of a few rows, and
    still cut nothing (no maxLength)."""
    import dash_bootstrap_components as dbc

    periode = beheer.quarters()[1]
    lock_period(live, MANAGER, periode)   # the unlock form shows for a vastgestelde period
    with logged_in(MANAGER):
        panel, page = beheer.body(periode, {}), indicator.body("H01")
    for tree, field in ((panel, beheer.UNLOCK_REDEN), (panel, beheer.UPLOAD_REDEN), (page, indicator.REDEN)):
        reason = component(tree, field)
        assert isinstance(reason, dbc.Textarea) and 2 <= reason.rows <= 3, field
        assert cuts_nothing(tree, field) and "ten hoogste 500 tekens" in label_of(tree, field)
