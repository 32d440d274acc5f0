"""The suppression rules on plain rows (the engine-level tests are in test_kpi_suppression.py)."""
from kpi.privacy import suppress
from kpi.result import KpiRow


def rows(*pairs):
    return [KpiRow(None, key, key or "leeg", float(n), n) for key, n in pairs]


def hidden(result):
    return [r.key for r in result if r.suppressed]


def test_primary_only_in_a_total():
    assert hidden(suppress(rows((None, 9)), 10, breakdown=False)) == [None]
    assert hidden(suppress(rows((None, 10)), 10, breakdown=False)) == []


def test_secondary_hides_the_smallest_other_group():
    result = suppress(rows(("a", 50), ("b", 3), ("c", 12), ("d", 40)), 10, breakdown=True)
    assert hidden(result) == ["b", "c"]
    assert all(r.value is None and r.n is None for r in result if r.suppressed)


def test_secondary_tie_takes_the_first_key_and_the_empty_group_first():
    assert hidden(suppress(rows(("a", 3), ("c", 12), ("b", 12)), 10, True)) == ["a", "b"]
    assert hidden(suppress(rows((None, 12), ("a", 3), ("b", 12)), 10, True)) == [None, "a"]


def test_no_secondary_when_two_are_primary_or_nothing_else_is_shown():
    assert hidden(suppress(rows(("a", 3), ("b", 4), ("c", 30)), 10, True)) == ["a", "b"]
    assert hidden(suppress(rows(("a", 3)), 10, True)) == ["a"]
    assert hidden(suppress(rows(("a", 30), ("b", 40)), 10, True)) == []
