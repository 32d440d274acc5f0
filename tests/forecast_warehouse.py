"""Hand-made warehouses for the forecast tests, where the answer is known by construction.

`fill(engine, amounts, pattern, budgets)` writes, per (gemeente, hulpvorm) and care month, the
given amount spread evenly over YOUTHS trajecten (so the small-number rules show every group), and
each traject's amount spread over the receipt ages by `pattern` (shares of the final amount
received 0, 1, 2, … months after the care month; None: no receipt dates, as a format-1.0 file).
Amounts are cents; choose them divisible by YOUTHS × the pattern's denominators for exact sums.
"""
from __future__ import annotations

import datetime as dt
import math
import random

from sqlalchemy import insert

from data import schema as s
from data.warehouse import summaries

YOUTHS = 12
GEMEENTEN = {"GM1": "Huizen", "GM2": "Laren"}


def month_start(year: int, month: int) -> dt.date:
    return dt.date(year, month, 1)


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def fill(engine, amounts: dict[tuple[str, str], dict[dt.date, int]], pattern: list[float] | None,
         budgets: dict[tuple[int, str], int] | None = None, receipt_day: int = 15,
         until: dt.date | None = None) -> None:
    """See the module docstring. `until`: declarations received later are not delivered (yet)."""
    wijken = [dict(wijk_code=f"W{code}", wijk_naam=f"Wijk {naam}", gemeente_code=code, gemeente_naam=naam)
              for code, naam in GEMEENTEN.items()]
    trajecten, kosten = [], []
    regel = 1
    for (gemeente, hulpvorm), months in amounts.items():
        first = min(months)
        ids = []
        for y in range(YOUTHS):
            traject_id = f"T-{gemeente}-{hulpvorm}-{y}"
            ids.append(traject_id)
            trajecten.append(dict(traject_id=traject_id, jeugdige_id=f"J-{gemeente}-{hulpvorm}-{y}",
                                  geboortejaar=2012, wijk_code=f"W{gemeente}", school_code=None,
                                  verwijzer="huisarts", hulpvorm=hulpvorm, aanbieder_code=None,
                                  aanmelddatum=None, startdatum=first, einddatum=None, reden_einde=None,
                                  doelrealisatie=None, financiering="zin"))
        for maand, cents in sorted(months.items()):
            shares = pattern
            per_youth = split(cents, YOUTHS)
            for traject_id, youth_cents in zip(ids, per_youth, strict=True):
                parts = [youth_cents] if shares is None else split_by(youth_cents, shares)
                for age, part in enumerate(parts):
                    if part == 0 and shares is not None:
                        continue
                    ontvangen = None if shares is None else add_months(maand, age).replace(day=receipt_day)
                    if until is not None and ontvangen is not None and ontvangen > until:
                        continue
                    kosten.append(dict(regel=regel, traject_id=traject_id, maand=maand, bedrag_cent=part,
                                       ontvangen=ontvangen))
                    regel += 1
    with engine.begin() as conn:
        conn.execute(insert(s.Wijk), wijken)
        conn.execute(insert(s.Traject), trajecten)
        for start in range(0, len(kosten), 5000):
            conn.execute(insert(s.Kosten), kosten[start:start + 5000])
        if budgets:
            conn.execute(insert(s.Budget), [dict(jaar=jaar, gemeente_code=code, bedrag_cent=cents)
                                            for (jaar, code), cents in budgets.items()])
        summaries.rebuild(conn)


def split(cents: int, parts: int) -> list[int]:
    base, rest = divmod(cents, parts)
    return [base + (1 if i < rest else 0) for i in range(parts)]


def split_by(cents: int, shares: list[float]) -> list[int]:
    out = [int(round(cents * share)) for share in shares[:-1]]
    return out + [cents - sum(out)]


def monthly(first: dt.date, last: dt.date, value) -> dict[dt.date, int]:
    """{care month: cents} from `first` to `last`; `value(month, index)` gives the cents."""
    out, month, i = {}, first, 0
    while month <= last:
        out[month] = int(value(month, i))
        month, i = add_months(month, 1), i + 1
    return out


def seasonal_series(first: dt.date, last: dt.date, level: int, seed: int, growth: float = 0.004,
                    season: float = 0.08, noise: float = 0.03, shift_at: dt.date | None = None,
                    shift: float = 0.0) -> dict[dt.date, int]:
    """A cost series with trend, a yearly cycle (summer dip, December peak), an optional level
    shift and multiplicative noise: the kind of series the backtest is about, not a fitted copy
    of any demonstration data."""
    rng = random.Random(seed)

    def value(month: dt.date, i: int) -> float:
        cycle = 1 + season * (math.cos(2 * math.pi * (month.month - 1.5) / 12) * 0.5
                              - (0.8 if month.month in (7, 8) else 0) + (0.6 if month.month == 12 else 0))
        jump = 1 + (shift if shift_at and month >= shift_at else 0)
        return level * (1 + growth) ** i * cycle * jump * rng.gauss(1, noise)
    return monthly(first, last, value)


def cells_of(amounts: dict[tuple[str, str], dict[dt.date, int]], pattern: list[float], until: dt.date):
    """The cells `kpi.forecast.reads.receipt_cells` should give for what `fill` writes (amounts
    whose cents divide exactly), built in Python: the expected answer of the SQL."""
    import pandas as pd

    rows = []
    for (gemeente, hulpvorm), months in amounts.items():
        for maand, cents in months.items():
            for age in range(len(pattern)):
                if add_months(maand, age) > until:
                    continue
                part = sum(split_by(youth, pattern)[age] for youth in split(cents, YOUTHS))
                if part:
                    rows.append((gemeente, hulpvorm, pd.Period(maand, "M"), age, part, YOUTHS))
    return pd.DataFrame(rows, columns=["gemeente", "hulpvorm", "maand", "leeftijd", "bedrag_cent", "gedateerd"])
