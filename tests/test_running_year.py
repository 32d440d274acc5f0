"""A running year is not judged as if it were complete (issue 15): the demonstration data end on
30 September 2026. The overview of 2026 compares January–September with the same months of 2025,
labels the value "t/m september", leaves cumulative KPIs (counts, sums, budget share) without a
status until the year is complete, and still judges rates and means."""
from __future__ import annotations

import datetime as dt

import pytest

from dashboard.programme.overview import overview_cards
from dashboard.programme.progress import indicator_values, read_programme
from kpi import CATALOGUE, KpiRequest, compute
from kpi.service import KpiService
from tests.conftest import shared_demo


@pytest.fixture
def demo(request, backend):
    return shared_demo(request)


def test_the_overview_of_a_running_year(demo):
    service = KpiService(demo)
    assert service.data_status().data_tot == dt.date(2026, 9, 30)
    cards = {c.kpi.id: c for band in overview_cards(service, 2026, read_programme(demo)).values() for c in band}

    kosten = cards["totale_kosten"]
    assert kosten.deeljaar == "t/m september"
    assert kosten.status is None and kosten.reden == "oordeel na afloop van het jaar"
    same_months = compute(demo, KpiRequest("totale_kosten", dt.date(2025, 1, 1), dt.date(2025, 9, 30))).rows[0].value
    assert kosten.previous == same_months  # not the whole of 2025
    assert "dan t/m september 2025" in kosten.change_text
    # the latest months' declarations are still coming in: lower is no gain yet, and it says so
    for kpi_id in ("totale_kosten", "kosten_per_jeugdige"):
        text = cards[kpi_id].change_text
        assert "gunstig" not in text and text.endswith("; nog niet alle declaraties zijn binnen"), text
    assert cards["instroom"].change_text.endswith(("(gunstig)", "(ongunstig)"))  # no declarations: judged
    assert kosten.trend_labels[-1] == "2026 (t/m september)"

    for kpi_id in ("instroom", "pct_budget_besteed", "jeugdigen_met_jeugdhulp"):
        assert cards[kpi_id].status is None and cards[kpi_id].reden == "oordeel na afloop van het jaar", kpi_id
    assert "geen vergelijking met t/m september 2025" == cards["pct_budget_besteed"].change_text

    judged = [c for c in cards.values() if not c.kpi.cumulatief and not c.kpi.volgperiode_dagen
              and c.target is not None and c.value is not None]
    assert judged and all(c.status is not None for c in judged)
    # herinstroom within 12 months of an end in 2026 cannot be seen yet: no status, and why
    assert cards["pct_herinstroom"].status is None
    assert cards["pct_herinstroom"].reden == "volgperiode loopt nog"

    # a complete year is judged as before, against the whole previous year
    complete = {c.kpi.id: c for band in overview_cards(service, 2025, read_programme(demo)).values() for c in band}
    assert complete["totale_kosten"].deeljaar is None and "dan 2024" in complete["totale_kosten"].change_text
    assert complete["totale_kosten"].status is not None
    # … but an end in late 2025 has its 12 months of follow-up only by the end of 2026
    assert complete["pct_herinstroom"].status is None and "volgperiode" in complete["pct_herinstroom"].reden
    # … and a rate that still moves is not called better or worse than last year's
    for herinstroom in (cards["pct_herinstroom"], complete["pct_herinstroom"]):
        assert herinstroom.change_text.endswith("; de volgperiode loopt nog"), herinstroom.change_text
        assert "gunstig" not in herinstroom.change_text
    older = {c.kpi.id: c for band in overview_cards(service, 2024, read_programme(demo)).values() for c in band}
    assert older["pct_herinstroom"].reden == "geen streefwaarde"  # judgeable: only the target is missing


def test_programme_indicators_of_a_running_year(demo):
    service = KpiService(demo)
    programme = read_programme(demo)
    for ind in programme.indicators.values():
        if not ind.is_kpi:
            continue
        current = indicator_values(service, ind, range(2025, 2027))[-1]
        assert current.deeljaar == "t/m september"
        if CATALOGUE[ind.kpi_id].cumulatief and current.streefwaarde is not None:
            assert current.status is None and current.reden == "oordeel na afloop van het jaar", ind.code
