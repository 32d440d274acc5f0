"""The PDF report's summary sentence agrees in number with its counts ("1 heeft", "2 hebben")."""
from collections import Counter
from types import SimpleNamespace

from dashboard.exports.report_pdf import status_sentence


def report(**counts):
    axis = SimpleNamespace(status_counts=lambda: Counter(counts))
    return SimpleNamespace(assen=[axis], jaar=2025)


def test_one_kpi_of_each_status_is_singular():
    assert status_sentence(report(op_koers=1, aandacht=1, achter=1, geen=1)) == (
        "Van de 4 KPI's is er in 2025 1 op koers, vraagt er 1 aandacht en loopt er 1 achter; "
        "1 heeft geen status (geen streefwaarde of geen waarde).")


def test_several_or_none_are_plural():
    assert status_sentence(report(op_koers=12, aandacht=0, achter=6, geen=2)) == (
        "Van de 20 KPI's zijn er in 2025 12 op koers, vragen er 0 aandacht en lopen er 6 achter; "
        "2 hebben geen status (geen streefwaarde of geen waarde).")
