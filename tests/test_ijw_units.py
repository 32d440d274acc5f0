"""The iJw loader's small parts: the pseudonym, the BSN elfproef, the secret, postcodes."""
import pytest

from data.warehouse.ijw.demo_messages import bsn
from data.warehouse.ijw.postcodes import normalised
from data.warehouse.ijw.pseudonym import KeyProblem, key_from_environment, pseudonym, valid_bsn


def test_the_pseudonym_is_keyed_stable_and_hides_the_bsn():
    key = b"k" * 40
    assert pseudonym(key, "999900006") == pseudonym(key, "999900006")
    assert pseudonym(key, "999900006") != pseudonym(b"l" * 40, "999900006")
    assert pseudonym(key, "999900006") != pseudonym(key, "999900018")
    assert len(pseudonym(key, "999900006")) == 64 and "999900006" not in pseudonym(key, "999900006")


@pytest.mark.parametrize("value, valid", [
    ("999900006", True), ("999900018", True), ("111222333", True), ("999900007", False),
    ("12345678", False), ("9999000061", False), ("99990000a", False), ("000000000", False), ("٩٩٩٩٠٠٠٠٦", False)])
def test_the_elfproef(value, valid):
    assert valid_bsn(value) is valid


def test_the_demo_bsns_pass_the_elfproef_and_differ():
    numbers = [bsn(i) for i in range(1, 2000)]
    assert all(valid_bsn(n) and n.startswith("99") for n in numbers)
    assert len(set(numbers)) == len(numbers)


def test_the_secret_is_required_and_long_enough():
    with pytest.raises(KeyProblem, match="PSEUDONIEM_SLEUTEL is niet ingesteld"):
        key_from_environment({})
    with pytest.raises(KeyProblem, match="te kort"):
        key_from_environment({"PSEUDONIEM_SLEUTEL": "kort"})
    assert key_from_environment({"PSEUDONIEM_SLEUTEL": " " + "s" * 32 + "\n"}) == b"s" * 32


@pytest.mark.parametrize("raw, expected", [
    ("1271AB", "1271AB"), ("1271 ab", "1271AB"), (" 1271ab ", "1271AB"), ("1271", "1271"),
    ("0271AB", None), ("1271A", None), ("127", None), ("1271-AB", None), ("", None)])
def test_postcodes(raw, expected):
    assert normalised(raw) == expected
