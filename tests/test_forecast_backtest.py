"""The backtest (kpi/forecast/backtest.py) on a synthetic warehouse: the same figures from the
warehouse on SQLite and PostgreSQL as from the cells built in Python, one origin checked by hand
(outcome, both baselines, and the model's forecast equal to a live forecast made with only the
declarations received by then), MAPE and coverage as the means of the origins. The figures are
printed (run with -s to see them)."""
import datetime as dt
from functools import lru_cache

import pandas as pd
import pytest

from kpi.forecast.backtest import backtest, backtest_cells
from kpi.forecast.output import backtest_text
from kpi.forecast.year_forecast import forecast
from tests import forecast_warehouse as fw
from tests.conftest import loaded_warehouse

D = dt.date
PATTERN = [0.1, 0.5, 0.2, 0.1, 0.05, 0.05]
UNTIL = D(2025, 12, 31)
AMOUNTS = {
    ("GM1", "ambulant"): fw.seasonal_series(D(2019, 1, 1), D(2025, 12, 1), 40_000_000, seed=1,
                                            shift_at=D(2024, 1, 1), shift=0.08),
    ("GM1", "verblijf"): fw.seasonal_series(D(2019, 1, 1), D(2025, 12, 1), 25_000_000, seed=2, growth=0.002),
}


def _load(engine):
    fw.fill(engine, AMOUNTS, PATTERN, until=UNTIL)


@pytest.fixture
def synthetic(request, backend):
    return loaded_warehouse(request, "prognose_backtest", _load)


@lru_cache(maxsize=1)
def pure():
    """The backtest on the cells built in Python (no database)."""
    return backtest_cells(fw.cells_of(AMOUNTS, PATTERN, UNTIL), pd.Period("2025-12", "M"), pd.Period("2019-01", "M"),
                          True)


def test_the_backtest_from_the_warehouse_equals_the_pure_computation(synthetic, backend):
    found = backtest(synthetic, peildatum=UNTIL)
    print(f"\nBacktest op de synthetische gegevens ({backend}):")
    print("\n".join(backtest_text(found)))
    expected = pure()
    assert found.jaren == (2022, 2023, 2024)  # 2025 is not yet fully declared
    assert len(found.oorsprongen) == 36
    for got, want in zip(found.oorsprongen, expected.oorsprongen, strict=True):
        assert (got.jaar, got.maand, got.binnen_interval) == (want.jaar, want.maand, want.binnen_interval)
        assert (got.uitkomst, got.prognose, got.laag, got.hoog, got.runrate, got.vorig_jaar) == pytest.approx(
            (want.uitkomst, want.prognose, want.laag, want.hoog, want.runrate, want.vorig_jaar), abs=0.01)


def _euros(year: int, months: range, received_by: pd.Period) -> float:
    """Σ declared for `months` of `year`, received by the end of `received_by`, by hand."""
    total = 0
    for months_of in AMOUNTS.values():
        for month in months:
            cents = months_of[D(year, month, 1)]
            for age in range(len(PATTERN)):
                if pd.Period(f"{year}-{month:02d}", "M") + age <= received_by:
                    total += sum(fw.split_by(youth, PATTERN)[age] for youth in fw.split(cents, fw.YOUTHS))
    return total / 100


def test_one_origin_by_hand(synthetic):
    """End of June 2024: what the backtest says, recomputed from the amounts and the pattern."""
    origin = next(o for o in pure().oorsprongen if (o.jaar, o.maand) == (2024, 6))
    outcome = sum(c for months in AMOUNTS.values() for m, c in months.items() if m.year == 2024) / 100
    so_far = _euros(2024, range(1, 7), pd.Period("2024-06", "M"))
    share = _euros(2023, range(1, 7), pd.Period("2023-06", "M")) / _euros(2023, range(1, 13), pd.Period("2025-12", "M"))
    assert origin.uitkomst == pytest.approx(outcome, abs=0.01)
    assert origin.runrate == pytest.approx(so_far * 12 / 6, abs=0.01)
    assert origin.vorig_jaar == pytest.approx(so_far / share, abs=0.01)
    assert origin.fout_runrate == pytest.approx(abs(so_far * 2 - outcome) / outcome * 100, abs=0.001)
    assert origin.fout_vorig_jaar == pytest.approx(abs(so_far / share - outcome) / outcome * 100, abs=0.001)
    # only what was known then: the live forecast made at that peildatum gives the same point
    live = forecast(synthetic, 2024, peildatum=D(2024, 6, 30)).totaal
    assert live.verwacht_totaal == pytest.approx(origin.prognose, abs=0.01)
    assert origin.fout == pytest.approx(abs(origin.prognose - outcome) / outcome * 100, abs=0.001)
    print(f"\neind juni 2024: uitkomst {outcome:,.0f}, prognose {origin.prognose:,.0f} ({origin.fout:.2f}%), "
          f"doortrekken {origin.runrate:,.0f} ({origin.fout_runrate:.2f}%), "
          f"aandeel vorig jaar {origin.vorig_jaar:,.0f} ({origin.fout_vorig_jaar:.2f}%)")


def test_mape_and_coverage_are_the_means_of_the_origins():
    b = pure()
    for month in b.per_maand:
        these = [o for o in b.oorsprongen if o.maand == month.maand]
        assert month.aantal == 3
        assert month.mape == pytest.approx(sum(o.fout for o in these) / 3, abs=0.001)
        assert month.mape_runrate == pytest.approx(sum(o.fout_runrate for o in these) / 3, abs=0.001)
        assert month.dekking == pytest.approx(100 * sum(o.binnen_interval for o in these) / 3, abs=0.05)
    assert b.mape == pytest.approx(sum(o.fout for o in b.oorsprongen) / 36, abs=0.001)
    assert b.dekking == pytest.approx(100 * sum(o.binnen_interval for o in b.oorsprongen) / 36, abs=0.05)
    assert [d.gehaald for d in b.doelen[:3]] == [b.per_maand[m - 1].mape <= limit for m, limit in ((3, 10), (6, 5), (9, 3))]
    # the run-rate on late declarations is far too low early in the year: the reason for the forecast
    assert b.per_maand[0].mape_runrate > 50 > b.per_maand[0].mape
