"""The PDF report's summary sentence agrees in number with its counts ("1 heeft", "2 hebben"), and
names the year before the counts (not "zijn er in 2025 13 op koers": two numbers side by side), and
says why KPIs have no status in the words of the table under it: most of them do have a value and a
streefwaarde (the year still runs, the follow-up period, a hidden value)."""
from types import SimpleNamespace

from dashboard.exports.report_content import AxisSummary, KpiLine
from dashboard.exports.report_pdf import status_sentence

LABELS = {"op_koers": "Op koers", "aandacht": "Aandacht", "achter": "Achter"}


def report(*statuses: tuple[str, str]):
    """A report of one axis with a KPI per (status code, status label)."""
    kpis = tuple(KpiLine(f"k{i}", f"KPI {i}", "1", "2", label, code, "")
                 for i, (code, label) in enumerate(statuses))
    return SimpleNamespace(assen=[AxisSummary("Kwaliteit", kpis)], jaar=2025)


def judged(code: str, n: int = 1) -> list[tuple[str, str]]:
    return [(code, LABELS[code])] * n


def test_one_kpi_of_each_status_is_singular():
    r = report(*judged("op_koers"), *judged("aandacht"), *judged("achter"), ("geen", "volgperiode loopt nog"))
    assert status_sentence(r) == (
        "In 2025 is er van de 4 KPI's 1 op koers, vraagt er 1 aandacht en loopt er 1 achter; "
        "1 heeft geen status: volgperiode loopt nog.")


def test_several_or_none_are_plural():
    r = report(*judged("op_koers", 12), *judged("achter", 6), ("geen", "geen streefwaarde"), ("geen", "geen streefwaarde"))
    assert status_sentence(r) == (
        "In 2025 zijn er van de 20 KPI's 12 op koers, vraagt er geen aandacht en lopen er 6 achter; "
        "2 hebben geen status: geen streefwaarde.")


def test_the_reasons_are_those_of_the_table_most_first():
    # a running year: KPIs with a value and a streefwaarde still have no status, and the sentence
    # must not say they lack either
    r = report(*judged("op_koers", 6), *judged("achter", 3),
               *[("geen", "oordeel na afloop van het jaar")] * 7, *[("geen", "afgeschermd (<10)")] * 2,
               *[("geen", "volgperiode loopt nog")] * 2)
    sentence = status_sentence(r)
    assert sentence.endswith("; 11 hebben geen status: oordeel na afloop van het jaar bij 7, "
                             "afgeschermd (<10) bij 2, volgperiode loopt nog bij 2.")
    assert "geen streefwaarde of geen waarde" not in sentence


def test_every_kpi_judged_needs_no_clause():
    assert status_sentence(report(*judged("op_koers", 2))) == (
        "In 2025 zijn er van de 2 KPI's 2 op koers, vraagt er geen aandacht en loopt er geen achter.")


def test_a_lijn_counts_its_regional_maatregelen_only_when_there_are():
    """"5 maatregelen (0 regionaal)" read as a count to look for; a lijn without regional ones says
    nothing of them, and one maatregel is singular."""
    from dashboard.programme.progress import maatregelen_count_text

    def lijn(*regional: bool):
        return [SimpleNamespace(regionaal=r) for r in regional]

    assert maatregelen_count_text(lijn(False, False, False, False, False)) == "5 maatregelen"
    assert maatregelen_count_text(lijn(True, False, True)) == "3 maatregelen (waarvan 2 regionaal)"
    assert maatregelen_count_text(lijn(True)) == "1 maatregel (waarvan 1 regionaal)"
    assert maatregelen_count_text(lijn(False)) == "1 maatregel"
