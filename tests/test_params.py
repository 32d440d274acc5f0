"""dashboard.server.params: the typed parsers every URL value and callback input goes through (pure)."""
from __future__ import annotations

import pytest

from dashboard.server import params
from dashboard.server.params import BadInput

YEARS = range(2019, 2027)


@pytest.mark.parametrize("raw", ["²", "٣", "१२", "2025.0", " 2025", "+2025", "-1", "9" * 5000, "1" * 10, "twintig"])
def test_a_number_is_ascii_digits_and_short(raw):
    assert params.whole_number(raw) is None


def test_a_whole_number_within_bounds():
    assert params.whole_number("0042") == 42 and params.whole_number(7) == 7
    assert params.whole_number(True) is None and params.whole_number("12", 13) is None


@pytest.mark.parametrize("raw, expected", [
    (None, (2025, None)), ("", (2025, None)), ("2020", (2020, None)), (["2019", "2021"], (2021, None)),
    ("²", (2025, "Jaar '²' is niet beschikbaar; 2025 wordt getoond.")),
    ("2031", (2025, "Jaar '2031' is niet beschikbaar; 2025 wordt getoond.")),
])
def test_a_year_from_a_link(raw, expected):
    assert params.year(raw, YEARS, 2025) == expected


def test_a_long_bad_value_is_echoed_shortened():
    _year, message = params.year("9" * 5000, YEARS, 2025)
    assert len(message) < 120 and "…" in message


def test_a_repeated_parameter_counts_once_its_last_value():
    assert params.one(["a", "b"]) == "b" and params.one([]) is None and params.one({"a": 1}) is None


@pytest.mark.parametrize("raw, expected", [(None, 1), ("", 1), ("3", 3), ("5", 5), (["2", "4"], 4)])
def test_a_slide_number_stays_within_the_deck(raw, expected):
    assert params.slide_number(raw, 5) == (expected, None)


@pytest.mark.parametrize("raw, expected", [
    ("abc", (1, "Dia 'abc' bestaat niet; de eerste dia wordt getoond.")),
    ("0", (1, "Dia '0' bestaat niet; de eerste dia wordt getoond.")),
    ("-1", (1, "Dia '-1' bestaat niet; de eerste dia wordt getoond.")),
    ("1.5", (1, "Dia '1.5' bestaat niet; de eerste dia wordt getoond.")),
    ("²", (1, "Dia '²' bestaat niet; de eerste dia wordt getoond.")),
    ("999", (5, "Dia '999' bestaat niet; de laatste dia (5) wordt getoond.")),
    ("9" * 5000, (1, "Dia '" + "9" * 40 + "…' bestaat niet; de eerste dia wordt getoond.")),
    (["2", "x"], (1, "Dia 'x' bestaat niet; de eerste dia wordt getoond.")),
])
def test_a_slide_that_does_not_exist_is_named_in_a_message(raw, expected):
    """A bad `dia` shows the nearest slide, and says so (issue: it silently showed slide 1)."""
    assert params.slide_number(raw, 5) == expected


def test_an_option_or_the_default_and_what_was_asked():
    assert params.option("doelstellingen", {"lijnen", "doelstellingen"}, "lijnen") == ("doelstellingen", None)
    assert params.option(["x", "y" * 100], {"lijnen"}, "lijnen") == ("lijnen", "y" * 40 + "…")


@pytest.mark.parametrize("raw", [7, ["tekst"], {"tekst": "x"}, True])
def test_free_text_must_be_text(raw):
    with pytest.raises(BadInput, match="De reden moet tekst zijn."):
        params.text(raw, "De reden", 500)


def test_free_text_has_a_limit_and_a_refusal_says_the_length_and_the_limit():
    """It said only "De reden is te lang (ten hoogste 500 tekens).": not how long the text was."""
    assert params.text(None, "De reden", 5) is None and params.text("kort", "De reden", 5) == "kort"
    with pytest.raises(BadInput) as caught:
        params.text("x" * 6, "De reden", 5)
    assert str(caught.value) == "De reden is te lang: 6 tekens, ten hoogste 5."
    with pytest.raises(BadInput) as caught:
        params.text("x" * 2345, "De titel", 2000)
    assert str(caught.value) == "De titel is te lang: 2.345 tekens, ten hoogste 2.000."


def test_a_typed_texts_length_is_left_to_the_write_path_up_to_what_no_field_sends():
    """A reason of 612 characters passes to the write path, which refuses it with its length while
    the field keeps it; only a text 50 times the limit (no field sends that) is refused here."""
    assert params.typed_text("x" * 612, "De reden", 500) == "x" * 612
    assert params.typed_text("x" * 25_000, "De reden", 500) == "x" * 25_000
    with pytest.raises(BadInput, match=r"^De reden is te lang: 25\.001 tekens, ten hoogste 25\.000\.$"):
        params.typed_text("x" * 25_001, "De reden", 500)
    with pytest.raises(BadInput, match="^De reden moet tekst zijn.$"):
        params.typed_text(["x"], "De reden", 500)


@pytest.mark.parametrize("raw", [{"code": "K11"}, ["K11"], 11, "", "K 11", "../K11", "x" * 61])
def test_a_code_from_the_page(raw):
    with pytest.raises(BadInput, match="Onbekende indicator"):
        params.code(raw, "indicator")


def test_a_select_value_is_one_of_its_options():
    assert params.choice("2025", {"2025"}, "Jaar") == "2025" and params.choice("", {"2025"}, "Jaar") is None
    for raw in (2025, ["2025"], "2099"):
        with pytest.raises(BadInput):
            params.choice(raw, {"2025"}, "Jaar")


def test_ids_clicks_and_searches_from_callbacks():
    assert params.record_id(12, "notitie") == 12
    for raw in (0, -1, 10 ** 30, "9" * 5000, None, [1]):
        with pytest.raises(BadInput):
            params.record_id(raw, "notitie")
    assert params.clicks(3) == 3 and params.clicks("3") == 3 and params.clicks(None) == 0 and params.clicks([1]) == 0
    assert params.search("?jaar=2025") == "?jaar=2025"
    assert params.search(42) == params.search("jaar=2025") == params.search("?" + "x" * 5000) == ""
    assert params.query("?jaar=1&jaar=2&view=") == {"jaar": ["1", "2"], "view": ""}
