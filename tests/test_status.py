"""Status against a streefwaarde, both directions."""
from kpi.status import status


def code(*args, **kw):
    found = status(*args, **kw)
    return found.code if found else None


def test_lower_is_better():
    # nulmeting 400 → streef 360: planned improvement 40, tolerance 4
    assert code(350, 360, "lager_beter", nulmeting=400) == "op_koers"
    assert code(360, 360, "lager_beter", nulmeting=400) == "op_koers"
    assert code(364, 360, "lager_beter", nulmeting=400) == "aandacht"
    assert code(365, 360, "lager_beter", nulmeting=400) == "achter"


def test_higher_is_better():
    # nulmeting 60 → streef 70: tolerance 1
    assert code(71, 70, "hoger_beter", nulmeting=60) == "op_koers"
    assert code(69, 70, "hoger_beter", nulmeting=60) == "aandacht"
    assert code(68.9, 70, "hoger_beter", nulmeting=60) == "achter"


def test_without_nulmeting_or_values():
    assert code(102, 100, "lager_beter") == "aandacht"   # within 5% of the target
    assert code(106, 100, "lager_beter") == "achter"
    assert code(None, 100, "lager_beter") is None
    assert code(5, None, "lager_beter") is None
