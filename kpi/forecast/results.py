"""What the forecast hands to screens, exports and the command line: frozen, picklable dataclasses
(they are cached in Redis through `KpiService.memo`). Fields users see carry the Dutch word the
screens use; amounts are euros (floats: estimates, not booked cents), months are the first day of
the month.

- `Maand`: one month of a series on the monthly chart (realised, completed, forecast, interval).
- `Prognose`: one series' year-end forecast — the total, a gemeente or a hulpvorm — with its
  80% interval, budget, the month the budget runs out and the expected overshoot.
- `PrognoseResultaat`: every series of one year at one peildatum.
- `Backtest` with `BacktestOorsprong` (one origin) and `BacktestMaand` (one origin month over the
  years): the published accuracy, and the goals (`Doel`) with whether they are met.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

#: the kinds of month on the chart
GEREALISEERD, AANGEVULD, PROGNOSE = "gerealiseerd", "aangevuld", "prognose"


@dataclass(frozen=True)
class Maand:
    """One month of the year of a series.

    `gerealiseerd`: what has been declared for it by the peildatum. `verwacht`: the expected final
    amount (= gerealiseerd for a complete month; realised plus what is still to come for a month
    being completed; the model's forecast for a month still to come). `laag`/`hoog`: its 80%
    interval (equal to `verwacht` for a complete month). `soort`: which of the three it is.
    `volledigheid`: the share of the final amount already declared (1 for a complete month, 0 for
    a month still to come; None when the warehouse has no receipt dates). `gerealiseerd` and
    `volledigheid` are None for a month the small-number rules withhold (kpi/forecast/disclosure.py)."""
    maand: dt.date
    soort: str
    gerealiseerd: float | None
    verwacht: float
    laag: float
    hoog: float
    volledigheid: float | None


@dataclass(frozen=True)
class Prognose:
    """The year-end forecast of totale_kosten for one series.

    `reeks` is "totaal", "gemeente" or "hulpvorm"; `sleutel` the gemeente code or hulpvorm (None for
    the total); `naam` its label. The year total is `gerealiseerd` (declared so far for the year's
    months) + `nog_te_verwachten` (the completion of months already past) + `prognose_rest` (the
    months still to come) = `verwacht_totaal`, with `totaal_laag`–`totaal_hoog` its 80% prediction
    interval. `budget` (None: no budget row), `budget_op` (the month in which, at the current
    course, the budget is used up; None: not within the year), `overschrijding` (expected total −
    budget; negative = onderschrijding) with its 80% interval. `afgeschermd`: hidden by the
    small-number rules (no figures are given then). `model`: the model that made the forecast,
    in words; `terugval`: why a simpler model was used (None when the first choice fitted);
    `kalibratie`: the factor the model's interval was widened (or narrowed) by after its earlier
    forecasts on this warehouse (1: the model's own interval)."""
    reeks: str
    sleutel: str | None
    naam: str
    jaar: int
    gerealiseerd: float
    nog_te_verwachten: float
    prognose_rest: float
    verwacht_totaal: float
    totaal_laag: float
    totaal_hoog: float
    budget: float | None
    budget_op: dt.date | None
    overschrijding: float | None
    overschrijding_laag: float | None
    overschrijding_hoog: float | None
    maanden: tuple[Maand, ...]
    model: str
    terugval: str | None = None
    kalibratie: float = 1.0
    afgeschermd: bool = False


@dataclass(frozen=True)
class PrognoseResultaat:
    """Every series of one year's forecast at one peildatum.

    `peildatum`: the last day whose declarations are used (the end of the last complete receipt
    month). `gecorrigeerd`: whether late declarations were completed; False when the warehouse has
    no receipt dates (`ontvangen`), and then `mogelijk_onvolledig` is True: the latest months are
    shown as delivered and may still grow ("mogelijk onvolledig")."""
    jaar: int
    peildatum: dt.date
    gecorrigeerd: bool
    mogelijk_onvolledig: bool
    totaal: Prognose
    per_gemeente: tuple[Prognose, ...]
    per_hulpvorm: tuple[Prognose, ...]
    drempel: int | None  # the small-number threshold applied to the breakdowns


@dataclass(frozen=True)
class BacktestOorsprong:
    """One origin of the backtest: the forecast of `jaar`'s total made at the end of month
    `maand` (1–12) with only the declarations received by then (`peildatum`), against the
    `uitkomst` (the year's total as known now). `fout` values are absolute percentage errors."""
    jaar: int
    maand: int
    peildatum: dt.date
    uitkomst: float
    prognose: float
    laag: float
    hoog: float
    binnen_interval: bool
    fout: float
    runrate: float
    fout_runrate: float
    vorig_jaar: float | None
    fout_vorig_jaar: float | None


@dataclass(frozen=True)
class BacktestMaand:
    """The origins at the end of one month (1 = end of January), over the backtest's years."""
    maand: int
    mape: float
    mape_runrate: float
    mape_vorig_jaar: float | None
    dekking: float  # share of these origins whose outcome lies in the 80% interval
    aantal: int


@dataclass(frozen=True)
class Doel:
    """A goal of the backtest and whether it is met (`waarde` is the measured figure)."""
    omschrijving: str
    waarde: float | None
    gehaald: bool


@dataclass(frozen=True)
class Backtest:
    """The rolling-origin backtest of the total's year-end forecast, over `jaren`."""
    jaren: tuple[int, ...]
    peildatum: dt.date
    gecorrigeerd: bool
    oorsprongen: tuple[BacktestOorsprong, ...]
    per_maand: tuple[BacktestMaand, ...]
    mape: float
    mape_runrate: float
    mape_vorig_jaar: float | None
    dekking: float
    doelen: tuple[Doel, ...]
