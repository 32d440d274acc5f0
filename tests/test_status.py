"""Status against a streefwaarde, both directions."""
from dashboard.programme.status import status


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


def test_judged_on_the_value_as_shown():
    # rapportcijfer 7,47 is shown as 7,5 beside a streefwaarde of 7,5: op koers, not "achter"
    assert code(7.47, 7.5, "hoger_beter", nulmeting=7.3) == "achter"
    assert code(7.47, 7.5, "hoger_beter", nulmeting=7.3, eenheid="cijfer") == "op_koers"
    # 12,34% (shown 12,3%) against 12,3% lower-is-better: reached as shown
    assert code(12.34, 12.3, "lager_beter", eenheid="%") == "op_koers"
    assert code(12.36, 12.3, "lager_beter", eenheid="%") != "op_koers"  # shown 12,4%
    # counts and euros are shown whole: € 14.500.000,40 is € 14.500.000
    assert code(14_500_000.4, 14_500_000, "lager_beter", eenheid="€") == "op_koers"


def test_the_reason_without_a_status_is_true():
    from dashboard.programme.status import reason

    assert reason(has_target=False, has_value=True) == "geen streefwaarde"
    assert reason(has_target=True, has_value=False) == "geen realisatie"
    assert reason(has_target=True, has_value=False, not_vastgesteld=True) == "nog niet vastgesteld"
    assert reason(has_target=True, has_value=False, suppressed=True, threshold=10) == "afgeschermd (<10)"
    assert reason(has_target=True, has_value=True, waits_for_year=True) == "oordeel na afloop van het jaar"


def test_a_running_year_is_named_by_its_last_month():
    import datetime as dt

    from dashboard.programme.progress import running_year

    assert running_year(dt.date(2026, 9, 30)) == (2026, "t/m september")
    assert running_year(dt.date(2026, 9, 14)) == (2026, "t/m 14 september")
    assert running_year(dt.date(2025, 12, 31)) is None
    assert running_year(None) is None


def test_the_nulmeting_year_is_the_point_of_departure_not_a_missing_target():
    from dashboard.programme.status import reason

    assert reason(has_target=False, has_value=True, nulmeting_year=True) == "nulmeting: het vertrekpunt"
    assert reason(has_target=False, has_value=True) == "geen streefwaarde"
