"""The year-end forecast (kpi/forecast/year_forecast.py, model.py, budget): a flat series gives a
flat forecast, the budget month and overshoot by hand, no receipt dates gives the flag and the raw
figures, statsmodels' warnings never escape, the fallbacks say why."""
import datetime as dt
import warnings

import numpy as np
import pandas as pd
import pytest

from kpi.forecast import model, texts
from kpi.forecast.output import text
from kpi.forecast.year_forecast import forecast
from tests import forecast_warehouse as fw

D = dt.date
LEVEL = 120_000_00  # cents a month, per hulpvorm


def _flat(engine, pattern, budget_months: float | None = None):
    amounts = {("GM1", hulpvorm): fw.monthly(D(2021, 1, 1), D(2025, 6, 1), lambda m, i: LEVEL)
               for hulpvorm in ("ambulant", "verblijf")}
    budgets = None if budget_months is None else {(2025, "GM1"): int(budget_months * 2 * LEVEL)}
    fw.fill(engine, amounts, pattern, budgets, until=D(2025, 6, 30))


def test_a_flat_series_gives_a_flat_forecast(warehouse):
    """Two hulpvormen at € 120.000 a month each, declared 60/40 over two months: the year ends at
    12 × € 240.000, with no spread; the budget of 5,5 months is used up in June."""
    _flat(warehouse, [0.6, 0.4], budget_months=5.5)
    result = forecast(warehouse, 2025, peildatum=D(2025, 6, 30))
    total = result.totaal
    level = 2 * LEVEL / 100
    assert total.verwacht_totaal == pytest.approx(12 * level, abs=0.05)
    assert total.totaal_hoog - total.totaal_laag < 1.0
    assert [m.verwacht for m in total.maanden] == pytest.approx([level] * 12, abs=0.01)
    assert total.gerealiseerd == pytest.approx(5 * level + 0.6 * level, abs=0.01)
    assert total.nog_te_verwachten == pytest.approx(0.4 * level, abs=0.01)
    assert total.prognose_rest == pytest.approx(6 * level, abs=0.01)
    assert [m.soort for m in total.maanden] == ["gerealiseerd"] * 5 + ["aangevuld"] + ["prognose"] * 6
    assert total.budget == pytest.approx(5.5 * level)
    assert total.budget_op == D(2025, 6, 1)
    assert total.overschrijding == pytest.approx(6.5 * level, abs=0.05)
    assert texts.overschrijding_zin(total).startswith("verwachte overschrijding € 1.560.000 (80%: € 1.560.000")
    assert [p.verwacht_totaal for p in result.per_hulpvorm] == pytest.approx([6 * level] * 2, abs=0.05)
    assert [p.naam for p in result.per_gemeente] == ["Huizen"]
    assert result.per_gemeente[0].verwacht_totaal == total.verwacht_totaal


def test_without_receipt_dates_the_raw_figures_are_flagged(warehouse):
    _flat(warehouse, None)
    result = forecast(warehouse, 2025)
    assert not result.gecorrigeerd and result.mogelijk_onvolledig
    assert result.peildatum == D(2025, 6, 30)  # the last care month's end
    total = result.totaal
    level = 2 * LEVEL / 100
    assert total.nog_te_verwachten == 0
    assert total.gerealiseerd == pytest.approx(6 * level)
    assert all(m.volledigheid is None for m in total.maanden)
    assert [m.gerealiseerd for m in total.maanden[:6]] == pytest.approx([level] * 6)
    assert texts.MOGELIJK_ONVOLLEDIG in text(result)


def test_a_year_below_its_budget_says_onderschrijding(warehouse):
    _flat(warehouse, [0.6, 0.4], budget_months=14)
    total = forecast(warehouse, 2025, peildatum=D(2025, 6, 30)).totaal
    assert total.budget_op is None
    assert total.overschrijding == pytest.approx(-2 * 2 * LEVEL / 100, abs=0.05)
    assert texts.overschrijding_zin(total).startswith("verwachte onderschrijding € 480.000")
    assert texts.budget_op_zin(total) == "begroting naar verwachting niet op in 2025"


def test_a_closed_year_is_said_as_known_not_as_a_forecast(warehouse):
    """/prognose?jaar=2025 long after 2025: no 'verwachte', no 80% interval of zero width."""
    _flat(warehouse, [0.6, 0.4], budget_months=5.5)
    total = forecast(warehouse, 2025, peildatum=D(2026, 6, 30)).totaal
    assert total.prognose_rest == 0 and total.nog_te_verwachten == 0 and texts.bekend(total)
    assert texts.jaarkosten_zin(total) == f"jaarkosten {texts.euro(total.verwacht_totaal)}"
    assert texts.overschrijding_zin(total) == f"overschrijding {texts.euro(total.overschrijding)}"
    assert texts.budget_op_zin(total) == "begroting op in juni 2025"
    running = forecast(warehouse, 2025, peildatum=D(2025, 6, 30)).totaal
    assert not texts.bekend(running) and texts.jaarkosten_zin(running).startswith("verwachte jaarkosten")


def _series(values) -> pd.Series:
    return pd.Series(values, index=pd.period_range("2020-01", periods=len(values), freq="M"))


def test_a_flat_noisy_series_forecasts_its_level():
    rng = np.random.default_rng(3)
    fit = model.forecast(_series(1e6 * rng.normal(1, 0.01, 48)), 12)
    assert fit.model == model.SEASONAL and fit.terugval is None
    assert fit.mean.sum() == pytest.approx(12e6, rel=0.02)
    low, high = np.quantile(fit.paths.sum(axis=0), [0.1, 0.9])
    assert low < 12e6 < high and (high - low) / 12e6 < 0.1


def test_a_fit_is_kept_under_its_arguments_and_cannot_be_changed():
    rng = np.random.default_rng(4)
    amounts = 1e6 * rng.normal(1, 0.05, 36)
    first = model.forecast(_series(amounts), 6)
    assert model.forecast(_series(amounts.copy()), 6) is first  # the same arguments: kept
    assert model.forecast(_series(amounts), 7) is not first  # another horizon
    assert model.forecast(_series(amounts), 6, seed=model.SEED + 1) is not first
    assert model.forecast(_series(amounts * 1.01), 6).mean.sum() > first.mean.sum()
    with pytest.raises(ValueError, match="read-only"):
        first.paths[0, 0] = 0.0


@pytest.mark.parametrize("values, expected", [
    (list(np.linspace(1e5, 2e5, 8)), model.MEAN),           # eight months: too short for ETS
    ([1e5 * (1 + 0.1 * (i % 3)) for i in range(18)], model.TREND_ONLY),  # 18 months: no seasonality
])
def test_short_histories_fall_back_and_say_why(values, expected):
    fit = model.forecast(_series(values), 6)
    assert fit.model == expected and fit.terugval


def test_a_model_that_does_not_fit_is_named_in_words_in_the_fallback(monkeypatch):
    """The reason read "ETS(A,N,A) op de logaritme paste niet" on /prognose."""
    ets = model._ets
    monkeypatch.setattr(model, "_ets", lambda series, spec, *args: None if spec.get("seasonal") else ets(series, spec, *args))
    rng = np.random.default_rng(5)
    fit = model.forecast(_series(1e6 * rng.normal(1, 0.02, 40)), 6)
    assert fit.model == model.TREND_ONLY
    assert fit.terugval == "exponentiële afvlakking van niveau en seizoenspatroon paste niet"


def test_statsmodels_warnings_never_escape():
    """Series that make the optimiser struggle (a jump, zeros and a negative correction, a
    near-constant tail): whatever statsmodels warns is caught inside the model."""
    rng = np.random.default_rng(1)
    odd = [_series(np.r_[np.full(30, 1e5), np.full(18, 9e5)] * rng.normal(1, 0.001, 48)),
           _series(np.r_[rng.normal(1e5, 3e4, 40), 0.0, -5e3, 0.0, 1e5]),
           _series(np.r_[rng.normal(1e5, 1e4, 30), np.full(14, 1e5)])]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fits = [model.forecast(series, 12) for series in odd]
    assert [str(w.message) for w in caught] == []
    assert all(np.isfinite(f.mean).all() and np.isfinite(f.paths).all() for f in fits)
    assert "op de logaritme" not in fits[1].model  # zero and negative amounts: no logarithm
