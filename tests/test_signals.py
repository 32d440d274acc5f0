"""Signalen (kpi/forecast/signals.py, dashboard/ui/signals_view.py): hand-made series where the
answer is known (a flat series with a spike, a flat series, a partial month, a hidden month, the
direction's wording), the kosten month from a known declaration pattern on both backends, the
overview block's component tree, the role rule, and the demonstration data once."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from dashboard.ui import signals_view
from data.accounts.permissions import sees_signals
from data.accounts.users import User
from kpi import CATALOGUE
from kpi.forecast import signals as sg
from kpi.request import KpiRequest, resolve
from kpi.result import KpiResult, KpiRow
from tests import forecast_warehouse as fw

D = dt.date
INSTROOM, UITSTROOM = CATALOGUE["instroom"], CATALOGUE["uitstroom"]


def _series(values, last="2026-08") -> pd.Series:
    index = pd.period_range(end=pd.Period(last, freq="M"), periods=len(values), freq="M")
    return pd.Series(np.asarray(values, dtype=float), index=index)


def _seasonal(months: int, seed: int = 7) -> np.ndarray:
    """Level 100, a yearly cycle of ±10 and noise of sd 2: an ordinary monthly KPI."""
    rng = np.random.default_rng(seed)
    i = np.arange(months)
    return 100 + 10 * np.sin(2 * np.pi * i / 12) + rng.normal(0, 2, months)


# --- one series, by hand ------------------------------------------------------------------------


def test_a_flat_series_with_a_spike_signals_the_spike():
    values = _series([80] * 36 + [112])
    b = sg.judge(INSTROOM, values, pd.Period("2026-08", freq="M"))
    assert b.signaal == sg.HOGER and b.gunstig is False
    assert (b.band.laag, b.band.hoog, b.waarde) == (80, 80, 112)
    assert sg.sentence(b) == ("Instroom (gestarte trajecten) augustus 2026: 112, hoger dan verwacht "
                              "(verwacht 80–80) — ongunstig")


def test_a_flat_series_gives_no_signal():
    b = sg.judge(INSTROOM, _series([80] * 37), pd.Period("2026-08", freq="M"))
    assert b.signaal is None and b.reden is None and b.band.verwacht == 80


def test_a_seasonal_series_signals_a_spike_but_not_its_own_pattern():
    """The ETS path: an ordinary month of a seasonal series is inside the 99% band, the same
    month 40 higher is outside it; so is one 40 lower, and that reads the other way round."""
    values = _seasonal(48)
    ordinary = sg.judge(INSTROOM, _series(values), pd.Period("2026-08", freq="M"))
    assert ordinary.signaal is None and ordinary.band.model.startswith("ETS(A,N,A)")
    assert ordinary.band.laag < values[-1] < ordinary.band.hoog
    up = sg.judge(INSTROOM, _series(np.r_[values[:-1], values[-1] + 40]), pd.Period("2026-08", freq="M"))
    assert up.signaal == sg.HOGER and up.band == ordinary.band
    down = sg.judge(UITSTROOM, _series(np.r_[values[:-1], values[-1] - 40]), pd.Period("2026-08", freq="M"))
    assert down.signaal == sg.LAGER and down.gunstig is False  # uitstroom: hoger is beter
    assert "lager dan verwacht" in sg.sentence(down) and sg.sentence(down).endswith("— ongunstig")


def test_the_direction_decides_gunstig():
    """lager_beter (instroom): higher is ongunstig, lower gunstig; hoger_beter (uitstroom) the reverse."""
    flat = [50] * 30
    month = pd.Period("2026-08", freq="M")
    assert sg.judge(INSTROOM, _series(flat + [70]), month).gunstig is False
    assert sg.judge(INSTROOM, _series(flat + [30]), month).gunstig is True
    assert sg.judge(UITSTROOM, _series(flat + [70]), month).gunstig is True
    assert sg.sentence(sg.judge(INSTROOM, _series(flat + [30]), month)).endswith("lager dan verwacht (verwacht 50–50) — gunstig")


def test_a_hidden_month_is_never_judged_and_breaks_the_history():
    month = pd.Period("2026-08", freq="M")
    hidden_last = sg.judge(INSTROOM, _series([80] * 36 + [np.nan]), month)
    assert hidden_last.signaal is None and hidden_last.waarde is None and hidden_last.reden == sg.ONDERDRUKT
    # a hidden month 10 months back: only the 9 shown months after it are history, too few
    short = sg.judge(INSTROOM, _series([80] * 26 + [np.nan] + [80] * 9 + [500]), month)
    assert short.signaal is None and short.band is None and short.reden == sg.TE_WEINIG


def test_the_latest_complete_month():
    assert sg.last_complete_month(D(2026, 9, 30)) == pd.Period("2026-09", freq="M")
    assert sg.last_complete_month(D(2026, 9, 29)) == pd.Period("2026-08", freq="M")
    assert sg.last_complete_month(D(2026, 3, 1)) == pd.Period("2026-02", freq="M")
    # herinstroom: the follow-up of 365 days after the month's end must have passed
    assert sg.last_complete_month(D(2026, 9, 30), 365) == pd.Period("2025-09", freq="M")
    assert sg.last_complete_month(D(2026, 9, 29), 365) == pd.Period("2025-08", freq="M")


# --- a whole warehouse through a compute function (no database) ---------------------------------


def _fake_compute(values_for):
    """A compute that answers every monthly KPI request with `values_for(kpi_id, periode)`
    (None: hidden)."""
    def compute(request: KpiRequest) -> KpiResult:
        resolved = resolve(request)
        rows = []
        for sub in resolved.sub_periods:
            value = values_for(request.kpi, sub.label)
            rows.append(KpiRow(sub.label, None, "Totaal", value, None if value is None else 100, value is None))
        return KpiResult(resolved, tuple(rows))
    return compute


def _spike_in(month: str, kpi: str = "instroom"):
    return lambda kpi_id, periode: 112.0 if (kpi_id, periode) == (kpi, month) else 80.0


def test_no_alarm_for_a_partial_month():
    """September has the spike; with data t/m 15 September it is partial and August (flat) is judged."""
    compute = _fake_compute(_spike_in("2026-09"))
    partial = sg.assess(compute, D(2026, 9, 15), pd.Period("2026-05", freq="M"))
    assert partial.signalen == ()
    instroom = next(b for b in partial.beoordelingen if b.kpi == "instroom")
    assert instroom.periode == "2026-08" and instroom.signaal is None
    complete = sg.assess(compute, D(2026, 9, 30), pd.Period("2026-05", freq="M"))
    assert [(b.kpi, b.periode, b.signaal) for b in complete.signalen] == [("instroom", "2026-09", sg.HOGER)]


def test_kosten_are_judged_at_their_complete_month_or_not_at_all():
    compute = _fake_compute(_spike_in("2026-09", "totale_kosten"))
    at_may = sg.assess(compute, D(2026, 9, 30), pd.Period("2026-05", freq="M"))
    kosten = {b.kpi: b for b in at_may.beoordelingen if b.kpi in ("totale_kosten", "kosten_per_jeugdige")}
    assert {b.periode for b in kosten.values()} == {"2026-05"} and at_may.signalen == ()
    unknown = sg.assess(compute, D(2026, 9, 30), None)
    assert all(b.periode is None and b.reden == sg.GEEN_ONTVANGST for b in unknown.beoordelingen
               if b.kpi in kosten)
    assert {b.kpi for b in unknown.beoordelingen} == {k.id for k in sg.monthly_kpis()}
    assert "pct_budget_besteed" not in {k.id for k in sg.monthly_kpis()}
    assert "gem_tevredenheid" not in {k.id for k in sg.monthly_kpis()}


def test_a_hidden_latest_month_gives_no_signal_through_the_engine_rows():
    compute = _fake_compute(lambda kpi_id, periode: None if periode == "2026-09" else 80.0)
    result = sg.assess(compute, D(2026, 9, 30), pd.Period("2026-05", freq="M"))
    traject = [b for b in result.beoordelingen if b.periode == "2026-09"]
    assert traject and all(b.reden == sg.ONDERDRUKT and b.waarde is None for b in traject)
    assert result.signalen == ()


def test_the_backtest_flags_only_the_spike():
    values = _series([80] * 40 + [112] + [80] * 11, last="2026-08")
    row = sg.backtest_series(INSTROOM, values, pd.Period("2026-08", freq="M"), months=12)
    # the spike's month is flagged; the month after it is judged with the spike in its history
    assert row.beoordeeld == 12 and "2025-09" in row.maanden


# --- the kosten month from the declaration pattern, on both backends ----------------------------


def test_the_kosten_month_follows_the_declaration_pattern(warehouse):
    """Declared 50%, 30%, 15%, 5% in the care month and the three after it: 95% is in at age 2. The
    latest receipt is 15 June 2025, so the completion stands at the end of May (a receipt month
    that has not ended waits, as in the forecast) and March is the latest kosten month judged."""
    amounts = {("GM1", "ambulant"): fw.monthly(D(2023, 1, 1), D(2025, 6, 1), lambda m, i: 120_000_00)}
    fw.fill(warehouse, amounts, [0.5, 0.3, 0.15, 0.05], until=D(2025, 6, 30))
    with warehouse.connect() as conn:
        assert sg.read_kosten_month(conn) == pd.Period("2025-03", freq="M")


def test_without_receipt_dates_the_kosten_month_is_unknown(warehouse):
    amounts = {("GM1", "ambulant"): fw.monthly(D(2024, 1, 1), D(2025, 6, 1), lambda m, i: 120_000_00)}
    fw.fill(warehouse, amounts, None)
    with warehouse.connect() as conn:
        assert sg.read_kosten_month(conn) is None


# --- the overview block and the role rule -------------------------------------------------------


def _texts(component) -> list[str]:
    out = []
    if isinstance(component, str):
        return [component]
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children]:
        if child is not None:
            out.extend(_texts(child))
    return out


def _links(component) -> list[str]:
    found = [component.href] if getattr(component, "href", None) else []
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children]:
        if child is not None and not isinstance(child, str):
            found.extend(_links(child))
    return found


def _judged(signal: bool) -> sg.Signalen:
    values = _series([80] * 36 + [112 if signal else 80], last="2026-08")
    b = sg.judge(INSTROOM, values, pd.Period("2026-08", freq="M"))
    return sg.Signalen(D(2026, 8, 31), None, (b,))


def test_the_block_lists_a_signal_with_its_explorer_link():
    block = signals_view.signals_block(_judged(True), gemeente="GM0402")
    text = " ".join(_texts(block))
    assert "Signalen" in text and "Beoordeeld is de laatste complete maand: augustus 2026." in text
    assert "Instroom (gestarte trajecten) augustus 2026: 112, hoger dan verwacht (verwacht 80–80) — ongunstig" in text
    assert "Geen signalen" not in text and "hoe berekend?" in text
    assert "/verkenner?kpi=instroom&jaar=2026&by=&per=maand&gemeente=GM0402" in _links(block)


def test_the_block_says_geen_signalen():
    text = " ".join(_texts(signals_view.signals_block(_judged(False))))
    assert "Geen signalen" in text and "hoger dan verwacht" not in text


def test_the_block_is_for_the_programmamanager_only():
    def user(rol):
        return User(1, "u", "U", rol, frozenset())
    assert sees_signals(user("programmamanager"))
    assert not any(sees_signals(u) for u in (user("trekker"), user("lezer"), None))
    assert signals_view.overview_signals(False, service=None) == []  # nothing computed for others


# --- the demonstration data, once --------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_signals(request, tmp_path_factory):
    from data.db import make_engine, migrate
    from data.warehouse.demo import load_demo
    from kpi.service import KpiService

    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('signalen')}/demo.db")
    migrate(engine)
    load_demo(engine)
    service = KpiService(engine)
    yield service, sg.cached(service)
    engine.dispose()


def test_the_demo_is_judged_at_its_complete_months(demo_signals):
    service, result = demo_signals
    months = {b.kpi: b.periode for b in result.beoordelingen}
    assert result.data_tot == D(2026, 9, 30)
    assert months["instroom"] == "2026-09" and months["pct_herinstroom"] == "2025-09"
    assert months["totale_kosten"] < "2026-09"  # late declarations: the latest months wait
    assert next(b for b in result.beoordelingen if b.kpi == "gem_verblijfsduur").reden == sg.ONDERDRUKT
    assert sg.cached(service) == result
    shown = signals_view.signals_block(result)
    assert " ".join(_texts(shown)).count("dan verwacht (verwacht") == len(result.signalen)
    print("\nSignalen op de demonstratiegegevens:",
          *(sg.sentence(b) for b in result.beoordelingen if b.band is not None), sep="\n  ")


def test_months_judged_name_their_kpis_so_that_three_months_read_as_one_rule():
    """The KPIs' last complete months differ (kosten come in late): each month says for which."""
    months = {"2026-08": 5, "2026-05": 2, "2025-09": 1}
    judged = []
    for month, count in months.items():
        for i in range(count):
            b = sg.judge(INSTROOM, _series([80] * 36 + [80], last=month), pd.Period(month, freq="M"))
            judged.append(replace(b, naam=f"KPI {month} {i}"))
    intro = signals_view.judged_intro(sg.Signalen(D(2026, 8, 31), None, tuple(judged)))
    assert intro == ("Beoordeeld is per KPI de laatste complete maand: augustus 2026 (5 KPI's), mei 2026 "
                     "(KPI 2026-05 0, KPI 2026-05 1), september 2025 (KPI 2025-09 0).")
    assert "statsmodels" not in " ".join(_texts(signals_view.signals_help()))

