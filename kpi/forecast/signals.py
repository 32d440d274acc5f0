"""Early warning ("signalen", issue 17 item 4; docs/prognose.md, "Signalen"): per KPI whether the
latest complete month lies outside the band the month's own history expected.

For every KPI that can be asked per month (`per_toegestaan` holds "maand", not
`alleen_kalenderjaar`): its monthly values from the KPI engine (per calendar year, the very
requests the explorer asks per maand, so they are cached and shared, and suppressed exactly as
there), the months before the latest complete month as history, and the forecast's own model
(kpi/forecast/model.py: ETS with seasonality from two years of history, its fallbacks, warnings
caught) one month ahead. Its simulated values give the band: the central BAND share of them. A
value outside it is a signal, "hoger" or "lager dan verwacht", gunstig or ongunstig by the KPI's
`richting`.

The latest complete month:
- a month whose last day is after the data's "t/m" date is partial: never judged;
- a KPI that needs a follow-up (`volgperiode_dagen`: herinstroom within 365 days) is judged for the
  latest month whose follow-up has passed;
- kosten months fill up with late declarations: judged only once the declaration pattern of the
  forecast's completion (kpi/forecast/completion.py) says at least KOSTEN_COMPLETE of the month's
  final amount is in. Without receipt dates that is unknown, and kosten are not judged.

A month whose value is hidden (small numbers) is never judged, and the history is the unbroken run
of shown months before it: a signal shows only a value the explorer shows, and its band is made
only of values the explorer shows.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

from kpi import format as fmt
from kpi import measures
from kpi.catalogue import CATALOGUE, KPIS, Kpi, kpis_shown
from kpi.forecast import model
from kpi.request import KpiRequest
from kpi.result import KpiResult

Compute = Callable[[KpiRequest], KpiResult]

#: the band's coverage: a month outside the central 99% of the model's one-month-ahead values is a
#: signal. 95% gave an alarm in about one of ten KPI-months on the demonstration history (where
#: nothing unusual was put in but the 2024 tariff break), too many to read every month; see the
#: backtest in docs/prognose.md
BAND = 0.99
#: simulated values of the next month: the 0.5% tails rest on 20 draws each
REPETITIONS = 4000
#: two years of shown months before a month is judged: the model's seasonal pattern needs them, and
#: without it every summer dip would be a signal
MIN_HISTORY = model.MIN_SEASONAL
#: a kosten month is judged once this share of its final amount is declared (by the completion's
#: pattern); below it a month looks cheap only because declarations are still coming in
KOSTEN_COMPLETE = 0.95
#: months judged per KPI by the backtest (`backtest`)
BACKTEST_MONTHS = 36

HOGER, LAGER = "hoger", "lager"
#: reasons a KPI is not judged this month (shown in "Hoe berekend?" and the command line)
ONDERDRUKT = "waarde afgeschermd: kleine aantallen"
TE_WEINIG = f"minder dan {MIN_HISTORY} getoonde maanden historie"
GEEN_ONTVANGST = "kosten zonder ontvangstdatums: niet te zien of de maand compleet is"
GEEN_MAAND = "nog geen complete maand"


def monthly_kpis(shown: Iterable[Kpi] = KPIS) -> tuple[Kpi, ...]:
    """The KPIs that are judged: those of `shown` (the screens' list, kpis_shown) that can be asked
    per month over any period."""
    return tuple(k for k in shown if "maand" in k.per_toegestaan and not k.alleen_kalenderjaar)


def is_kosten(kpi: Kpi) -> bool:
    return kpi.bron is measures.KOSTEN_IN_PERIODE


def last_complete_month(data_tot: dt.date, volgperiode_dagen: int = 0) -> pd.Period:
    """The latest month whose last day (plus the follow-up) is on or before `data_tot`."""
    month = pd.Period(data_tot, freq="M")
    while month.end_time.date() + dt.timedelta(days=volgperiode_dagen) > data_tot:
        month -= 1
    return month


@dataclass(frozen=True)
class Band:
    """The expected value of one month and its band (from the months before it)."""
    verwacht: float
    laag: float
    hoog: float
    model: str


@dataclass(frozen=True)
class Beoordeling:
    """One KPI's latest complete month: its value, band and signal (HOGER, LAGER or None), or the
    reason it is not judged (`reden`)."""
    kpi: str
    naam: str
    eenheid: str
    richting: str
    periode: str | None           # '2026-09'
    waarde: float | None
    band: Band | None
    signaal: str | None
    reden: str | None = None

    @property
    def gunstig(self) -> bool | None:
        if self.signaal is None:
            return None
        return (self.signaal == HOGER) == (self.richting == "hoger_beter")

    @property
    def jaar(self) -> int | None:
        return None if self.periode is None else int(self.periode[:4])


@dataclass(frozen=True)
class Signalen:
    """Every judged KPI of one warehouse (or one gemeente) at `data_tot`."""
    data_tot: dt.date | None
    gemeente: str | None
    beoordelingen: tuple[Beoordeling, ...]
    band: float = BAND

    @property
    def signalen(self) -> tuple[Beoordeling, ...]:
        return tuple(b for b in self.beoordelingen if b.signaal is not None)


def month_name(periode: str) -> str:
    """'2026-08' → 'augustus 2026'."""
    year, month = periode.split("-")
    return f"{fmt.MAANDEN[int(month) - 1]} {year}"


def band_text(b: Beoordeling) -> str:
    """'80–105', '6,9–7,6%', '€ 998.181 – € 1.155.644', '277–486 dagen': the unit said once where
    it follows the number."""
    low, high = _shown_band(b.band, b.eenheid)
    u = fmt.unit(b.eenheid)
    if u.prefix:
        return f"{fmt.value(low, b.eenheid)} – {fmt.value(high, b.eenheid)}"
    return f"{fmt.number(low, u.decimals)}–{fmt.value(high, b.eenheid)}"


def sentence(b: Beoordeling) -> str:
    """'Instroom (gestarte trajecten) augustus 2026: 112, hoger dan verwacht (verwacht 80–105) — ongunstig'."""
    head = f"{b.naam} {month_name(b.periode)}: {fmt.value(b.waarde, b.eenheid)}"
    if b.signaal is None:
        return f"{head}, binnen de verwachting ({band_text(b)})"
    return (f"{head}, {b.signaal} dan verwacht (verwacht {band_text(b)}) — "
            f"{'gunstig' if b.gunstig else 'ongunstig'}")


# --- the judgement of one series (pure) ----------------------------------------------------------


def expected_band(history: pd.Series, level: float = BAND, repetitions: int = REPETITIONS) -> Band:
    """The next month's expected value and band after `history` (monthly PeriodIndex, no gaps)."""
    fit = model.forecast(history, 1, repetitions=repetitions)
    draws = fit.paths[0]
    tail = (1 - level) / 2
    return Band(float(fit.mean[0]), float(np.quantile(draws, tail)), float(np.quantile(draws, 1 - tail)),
                fit.model)


def _shown_band(band: Band, eenheid: str) -> tuple[float, float]:
    """The band rounded outward to the decimals the unit is shown with, so the sentence and the
    judgement agree (a count of 105 is inside "80–105")."""
    factor = 10 ** fmt.unit(eenheid).decimals
    low, high = float(np.floor(band.laag * factor) / factor), float(np.ceil(band.hoog * factor) / factor)
    ceiling = 100.0 if eenheid == "%" else np.inf  # no KPI is negative, no percentage above 100
    return max(low, 0.0), min(high, ceiling)


def shown_history(values: pd.Series, target: pd.Period) -> pd.Series:
    """The unbroken run of shown (non-NaN) months right before `target`, at most the model's
    FIT_MONTHS."""
    before = values[values.index < target].sort_index()
    expected = pd.period_range(end=target - 1, periods=len(before), freq="M") if len(before) else before.index
    if len(before) and not before.index.equals(expected):
        before = before.reindex(pd.period_range(before.index.min(), target - 1, freq="M"))
    shown = before.notna().to_numpy()
    start = len(shown)
    while start > 0 and shown[start - 1]:
        start -= 1
    return before.iloc[start:].iloc[-model.FIT_MONTHS:].astype(float)


def judge(kpi: Kpi, values: pd.Series, target: pd.Period, level: float = BAND,
          repetitions: int = REPETITIONS) -> Beoordeling:
    """Judge month `target` of a KPI's monthly values (PeriodIndex; NaN = hidden)."""
    def result(waarde=None, band=None, signaal=None, reden=None):
        return Beoordeling(kpi.id, kpi.naam, kpi.eenheid, kpi.richting, str(target), waarde, band, signaal, reden)

    value = values.get(target, np.nan)
    if value is None or not np.isfinite(value):
        return result(reden=ONDERDRUKT)
    history = shown_history(values, target)
    if len(history) < MIN_HISTORY:
        return result(waarde=float(value), reden=TE_WEINIG)
    band = expected_band(history, level, repetitions)
    low, high = _shown_band(band, kpi.eenheid)
    shown = round(float(value), fmt.unit(kpi.eenheid).decimals)
    signaal = HOGER if shown > high else LAGER if shown < low else None
    return result(float(value), band, signaal)


# --- reading and judging a warehouse ------------------------------------------------------------


def monthly_values(compute: Compute, kpi: Kpi, first: pd.Period, last: pd.Period,
                   gemeente: str | None = None) -> pd.Series:
    """The KPI's value per month from `first` to `last` (NaN where hidden), one request per
    calendar year, as the explorer asks it per maand."""
    where = {"gemeente": gemeente} if gemeente else {}
    out: dict[pd.Period, float] = {}
    for year in range(first.year, last.year + 1):
        result = compute(KpiRequest(kpi.id, dt.date(year, 1, 1), dt.date(year, 12, 31), per="maand", where=where))
        for row in result.rows:
            period = pd.Period(row.periode, freq="M")
            if first <= period <= last:
                out[period] = np.nan if row.suppressed or row.value is None else float(row.value)
    index = pd.period_range(first, last, freq="M")
    return pd.Series([out.get(p, np.nan) for p in index], index=index, dtype=float)


def targets(data_tot: dt.date, kosten_month: pd.Period | None,
            shown: Iterable[Kpi] = KPIS) -> dict[str, pd.Period | None]:
    """Per judged KPI its latest complete month (None: none)."""
    out = {}
    for kpi in monthly_kpis(shown):
        month = last_complete_month(data_tot, kpi.volgperiode_dagen)
        if is_kosten(kpi):
            month = None if kosten_month is None or month is None else min(month, kosten_month)
        out[kpi.id] = month
    return out


def assess(compute: Compute, data_tot: dt.date | None, kosten_month: pd.Period | None,
           gemeente: str | None = None, level: float = BAND, shown: Iterable[Kpi] = KPIS) -> Signalen:
    """Every monthly KPI's latest complete month, judged; of `shown` only (the KPIs the screens
    list: no iJw doorlooptijd without iJw data, no KPI of a table without rows)."""
    if data_tot is None:
        return Signalen(None, gemeente, (), level)
    judged = []
    for kpi_id, target in targets(data_tot, kosten_month, shown).items():
        kpi = CATALOGUE[kpi_id]
        if target is None:
            reden = GEEN_ONTVANGST if is_kosten(kpi) and kosten_month is None else GEEN_MAAND
            judged.append(Beoordeling(kpi.id, kpi.naam, kpi.eenheid, kpi.richting, None, None, None, None, reden))
            continue
        values = monthly_values(compute, kpi, target - model.FIT_MONTHS, target, gemeente)
        judged.append(judge(kpi, values, target, level))
    return Signalen(data_tot, gemeente, tuple(judged), level)


def kosten_complete_month(cells: pd.DataFrame, current: pd.Period, corrected: bool,
                          share: float = KOSTEN_COMPLETE) -> pd.Period | None:
    """The latest care month at least `share` declared at the end of month `current`, by the
    completion's patterns per hulpvorm weighted by their amounts over the last twelve months; None
    without receipt dates."""
    from kpi.forecast.year_end import patterns_at

    if not corrected or cells.empty:
        return None
    patterns = patterns_at(cells, current)
    recent = cells[cells["maand"] > current - 12].groupby("hulpvorm")["bedrag_cent"].sum()
    weights = np.array([max(float(recent.get(key, 0)), 0.0) for key in patterns])
    if weights.sum() <= 0:
        weights = np.ones(len(patterns))
    declared = sum(w * p.shares for w, p in zip(weights / weights.sum(), patterns.values(), strict=True))
    below = np.nonzero(declared < share - 1e-9)[0]  # exactly the share counts, whatever the rounding
    age = int(below.max()) + 1 if len(below) else 0
    return current - age


def read_kosten_month(conn) -> pd.Period | None:
    """`kosten_complete_month` of the warehouse at its latest receipt date."""
    from kpi.forecast.basis import read_basis
    from kpi.forecast.errors import ForecastError

    try:
        basis = read_basis(conn)
    except ForecastError:  # no kosten at all
        return None
    return kosten_complete_month(basis.cells, basis.current, basis.corrected)


def cached(service, gemeente: str | None = None) -> Signalen:
    """The signals of the live warehouse through the service's cache (memo, per load: they rest on
    the facts alone)."""
    status = service.data_status()
    data_tot = status.data_tot

    def build():
        with service.engine.connect() as conn:
            kosten_month = read_kosten_month(conn)
        return assess(service.compute, data_tot, kosten_month, gemeente,
                      shown=kpis_shown(status.berichtenverkeer, status.leeg))
    return service.memo("signalen", (gemeente, data_tot, service.threshold), build, facts_only=True)


# --- the backtest: how often the band raises an alarm on the warehouse's own history -------------


@dataclass(frozen=True)
class BacktestRegel:
    kpi: str
    beoordeeld: int
    signalen: int
    maanden: tuple[str, ...]   # the months with a signal


def backtest_series(kpi: Kpi, values: pd.Series, last: pd.Period, months: int = BACKTEST_MONTHS,
                    level: float = BAND, repetitions: int = REPETITIONS) -> BacktestRegel:
    """Judge each of the `months` months up to `last` as if it were the latest (history: the months
    before it, as known now)."""
    judged, flagged = 0, []
    for target in pd.period_range(end=last, periods=months, freq="M"):
        b = judge(kpi, values, target, level, repetitions)
        if b.band is None:
            continue
        judged += 1
        if b.signaal is not None:
            flagged.append(str(target))
    return BacktestRegel(kpi.id, judged, len(flagged), tuple(flagged))


def backtest(compute: Compute, data_tot: dt.date, kosten_month: pd.Period | None, levels=(0.95, BAND),
             months: int = BACKTEST_MONTHS) -> dict[float, tuple[BacktestRegel, ...]]:
    """Per band level, per KPI: how many of its last `months` complete months would have been a
    signal."""
    out: dict[float, list[BacktestRegel]] = {level: [] for level in levels}
    for kpi_id, target in targets(data_tot, kosten_month).items():
        if target is None:
            continue
        kpi = CATALOGUE[kpi_id]
        values = monthly_values(compute, kpi, target - months - model.FIT_MONTHS, target)
        for level in levels:
            out[level].append(backtest_series(kpi, values, target, months, level))
    return {level: tuple(rows) for level, rows in out.items()}
