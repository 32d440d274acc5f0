"""The forecast and the backtest through a KpiService's cache, for screens and exports:

    prognose(service, 2026)   # PrognoseResultaat
    backtest(service)         # Backtest

Cached with `KpiService.memo` under the warehouse's load (`facts_only`: they rest on the facts
alone, so a programme edit leaves them cached and the next load makes them fresh); in Redis when
the service uses it (the results are frozen dataclasses of plain values, picklable). The rolling-origin forecasts — the expensive part, twelve model fits a year — are
cached once and shared by the backtest and by every year's forecast (its interval calibration),
and the small-number checks go through the service's cached KPI results.
"""
from __future__ import annotations

import datetime as dt

from kpi.forecast.backtest import backtest_cells
from kpi.forecast.basis import Basis, read_basis
from kpi.forecast.origins import CALIBRATION_YEARS, YEARS, Origin, origins_for
from kpi.forecast.results import Backtest, PrognoseResultaat
from kpi.forecast.year_forecast import forecast


def _basis(service, peildatum: dt.date | None, first_year: int | None = None) -> Basis:
    with service.engine.connect() as conn:
        return read_basis(conn, first_year=first_year, peildatum=peildatum, years_back=YEARS + CALIBRATION_YEARS + 1)


def origins(service, peildatum: dt.date | None = None) -> tuple[Origin, ...]:
    def build():
        basis = _basis(service, peildatum)
        return origins_for(basis.cells, basis.current, basis.first_month, basis.corrected)
    return service.memo("prognose-oorsprongen", (peildatum,), build, facts_only=True)


def prognose(service, jaar: int, peildatum: dt.date | None = None) -> PrognoseResultaat:
    """The year-end forecast of `jaar` (raises ForecastError in Dutch for a year without data)."""
    def build():
        with service.engine.connect() as conn:
            return forecast(conn, jaar, peildatum, compute=service.compute, history=origins(service, peildatum))
    return service.memo("prognose", (jaar, peildatum, service.threshold), build, facts_only=True)


def backtest(service, peildatum: dt.date | None = None) -> Backtest:
    def build():
        basis = _basis(service, peildatum)
        return backtest_cells(basis.cells, basis.current, basis.first_month, basis.corrected,
                              history=origins(service, peildatum))
    return service.memo("prognose-backtest", (peildatum,), build, facts_only=True)
