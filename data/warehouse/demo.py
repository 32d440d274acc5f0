"""The demonstration data set: a synthetic Huizen in the import format, loaded by the real loader.

    generate_folder(folder, seed=2025, scale=1)   # writes the CSV files, returns rows per file
    load_demo(engine, seed=2025, scale=1)         # generate into a temp folder and load it

Deterministic per seed (one random.Random per gemeente, no dependence on time or hash order).
`scale=N` adds N−1 fictional gemeenten shaped like Huizen (codes GM9001…), sharing the providers,
for benchmarks: scale 400 gives about 2 million trajecten with their verblijf and kosten. Rows are
streamed to the files; nothing is built up in memory.

kosten.csv is in import format 1.1: every row carries `ontvangen`, the day it was received. The
constants are in demo_huizen.py; what a user of the demo sees:

- Late declarations. Of an old month's final amount about 2–12% is received in the month itself,
  40–80% by the end of the next month, 85–98% within three months and all of it within twelve, but
  for corrections. Verblijf declares fastest (~85% within a month), ambulant slowest (~45%), and
  declaring speeds up slowly (the medians shrink 2% a year). Rows received after DATA_TOT
  (2026-09-30) are not delivered, so the latest months look cheap: September 2026 holds a few
  percent of its costs, August about two thirds. The budget is derived from the true spend, as a
  gemeente budgets for what the care will cost, not for what has been declared.
- Corrections: about 3% of the rows are corrected two weeks to five months after they came in: a
  negative row withdrawing the amount, mostly followed by a replacement, or a partial credit.
- Season: July and August bill less (ambulant −20% and −28%, dagbehandeling more, jeugdbescherming
  and jeugdreclassering a little; verblijf and crisis not: a stay is paid per day). In December a
  quarter of the ambulant and dagbehandeling trajecten (15% of jeugdbescherming and
  jeugdreclassering) send a year-end declaration on top, so December costs more than November.
- Trend: tariffs rise each January, 2–4.5% a year depending on the hulpvorm (verblijf 4%,
  ambulant 2.5%), next to the volumes the mixes drive.
- The break: a new regional contract for verblijf from January 2024 raises the verblijf tariffs by
  12% on top of the yearly rise; the same stay costs ~16% more in January 2024 than in December 2023.

The receipt days, the corrections' details and the year-end declarations come from a random stream
of their own per gemeente, and the main stream draws exactly two numbers a kosten month (the amount's
noise, whether it is corrected): so a seed's trajecten, stays and answers do not depend on how
declarations are modelled.
"""
from __future__ import annotations

import csv
import datetime as dt
import math
import random
import tempfile
from contextlib import ExitStack
from functools import cache
from pathlib import Path
from statistics import NormalDist

from data.warehouse import demo_huizen as H

FILES = {
    "wijken": ("wijk_code", "wijk_naam", "gemeente_code", "gemeente_naam"),
    "scholen": ("school_code", "school_naam", "school_soort", "wijk_code"),
    "aanbieders": ("aanbieder_code", "aanbieder_naam"),
    "trajecten": ("traject_id", "jeugdige_id", "geboortejaar", "wijk_code", "school_code", "verwijzer",
                  "hulpvorm", "aanbieder_code", "aanmelddatum", "startdatum", "einddatum", "reden_einde",
                  "doelrealisatie", "financiering"),
    "verblijf": ("verblijf_id", "traject_id", "verblijfsvorm", "startdatum", "einddatum"),
    "kosten": ("traject_id", "maand", "bedrag", "ontvangen"),  # import format 1.1
    "budget": ("jaar", "gemeente_code", "bedrag"),
    "tevredenheid": ("respons_id", "traject_id", "gemeente_code", "jaar", "respondent", "score"),
    "bevolking": ("jaar", "wijk_code", "aantal_0_17", "aantal_18_22"),
}
DATA_TOT = dt.date(*H.DATA_TOT)


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _blend(start: dict[str, float], end: dict[str, float], year: int) -> dict[str, float]:
    """The mix of `year`: slow change until 2023, faster once the programme runs (2024 on)."""
    t = {2017: 0, 2018: 0, 2019: 0, 2020: 0.05, 2021: 0.1, 2022: 0.15, 2023: 0.2, 2024: 0.45, 2025: 0.75, 2026: 1.0}[year]
    return {k: start[k] * (1 - t) + end[k] * t for k in start}


def _months(start: dt.date, end: dt.date):
    month = dt.date(start.year, start.month, 1)
    while month <= end:
        yield month
        month = dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)


# The delivered months: (first day, "YYYY-MM", ordinal of the last day), and per hulpvorm the
# factor of each month on the 2019 tariff (yearly rise, the new contract, the season).
_FIRST_DAY = dt.date(H.FIRST_YEAR, 1, 1)
_MONTHS = [(m, f"{m.year}-{m.month:02d}",
            dt.date(m.year + (m.month == 12), m.month % 12 + 1, 1).toordinal() - 1)
           for m in _months(_FIRST_DAY, DATA_TOT)]
_MONTH_INDEX = {(m.year, m.month): i for i, (m, _, _) in enumerate(_MONTHS)}


def _factor(hulpvorm: str, month: dt.date) -> float:
    factor = (1 + H.TARIEFSTIJGING[hulpvorm]) ** (month.year - H.FIRST_YEAR)
    contract = H.NIEUW_CONTRACT
    if hulpvorm == contract["hulpvorm"] and (month.year, month.month) >= contract["vanaf"]:
        factor *= contract["factor"]
    return factor * H.SEIZOEN.get(hulpvorm, {}).get(month.month, 1.0)


_FACTORS = {h: [_factor(h, m) for m, _, _ in _MONTHS] for h in H.TARIEFSTIJGING}
_LAST_ORDINAL = DATA_TOT.toordinal()
_ISO = {o: dt.date.fromordinal(o).isoformat() for o in range(_FIRST_DAY.toordinal(), _LAST_ORDINAL + 1)}
_TO_MONDAY = (1, 0, 0, 0, 0, 0, 2)  # by ordinal % 7: ordinal 1 (0001-01-01) is a Monday
_LAG_BITS = 11  # a lag table holds 2**11 quantiles


@cache
def _lag_tables() -> dict[tuple[str, int], tuple[int, ...]]:
    """Per hulpvorm and year: 2**_LAG_BITS quantiles of the receipt's lag in days after the care
    month's last day (see H.DECLARATIE), so that a lag costs one random draw."""
    steps = 1 << _LAG_BITS
    low, high = H.DECLARATIE_STAART
    normal = NormalDist()
    tables = {}
    for hulpvorm, (in_month, median, tail) in H.DECLARATIE.items():
        shape = []  # the quantile as a fraction of the median, or a day count for the other parts
        for i in range(steps):
            u = (i + 0.5) / steps
            if u < in_month:
                shape.append(("day", -int(H.IN_DE_MAAND * u / in_month)))
            elif u < 1 - tail:
                z = normal.inv_cdf((u - in_month) / (1 - in_month - tail))
                shape.append(("body", math.exp(H.DECLARATIE_SPREIDING * z)))
            else:
                shape.append(("day", round(high - (high - low) * math.sqrt(1 - (u - 1 + tail) / tail))))
        for year in range(H.FIRST_YEAR, H.LAST_YEAR + 1):
            scaled = median * (1 - H.DECLARATIE_VERSNELLING) ** (year - 2022)
            tables[hulpvorm, year] = tuple(
                value if part == "day" else min(high, max(1, round(scaled * value))) for part, value in shape)
    return tables


class _Declarations:
    """A gemeente's kosten rows, each with the day it was received; rows received after DATA_TOT
    are not written. `spend` holds the true spend per delivered month, received or not (the
    budget's base)."""

    def __init__(self, writer, counts: dict[str, int], rng: random.Random):
        self.writer, self.counts, self.rng = writer, counts, rng
        tables = _lag_tables()
        # per hulpvorm, the lag table of each delivered month (one look-up a row)
        self.lags = {h: [tables[h, m.year] for m, _, _ in _MONTHS] for h in H.DECLARATIE}
        self.spend = [0.0] * len(_MONTHS)

    def declare(self, traject_id: str, lags: list, month: int, amount: float, corrected: bool,
                cost_start: int) -> None:
        """Write the row of `amount` for `month` (an index in _MONTHS) and, when `corrected`, its
        correction; `lags` is self.lags of the traject's hulpvorm, `cost_start` the ordinal of
        its first billed day (no receipt before it)."""
        _, maand, last_ordinal = _MONTHS[month]
        rng = self.rng
        received = last_ordinal + lags[month][rng.getrandbits(_LAG_BITS)]
        if received < cost_start:
            received = cost_start
        received += _TO_MONDAY[received % 7]
        if received <= _LAST_ORDINAL:
            self.writer.writerow((traject_id, maand, f"{amount:.2f}", _ISO[received]))
            self.counts["kosten"] += 1
        if not corrected:
            self.spend[month] += amount
            return
        at = received + rng.randint(*H.CORRECTIE_NA)
        at += _TO_MONDAY[at % 7]
        kind = rng.random()
        if kind < H.CORRECTIE_VERVANGEN + H.CORRECTIE_INTREKKEN:
            self._row(traject_id, maand, -amount, at)
            if kind < H.CORRECTIE_VERVANGEN:
                replacement = amount * rng.uniform(*H.VERVANGING)
                at += rng.randint(0, 21)
                self._row(traject_id, maand, replacement, at + _TO_MONDAY[at % 7])
                self.spend[month] += replacement
        else:
            credit = amount * rng.uniform(*H.DEELCREDIT)
            self._row(traject_id, maand, -credit, at)
            self.spend[month] += amount - credit

    def _row(self, traject_id: str, maand: str, amount: float, received: int) -> None:
        if received <= _LAST_ORDINAL:
            self.writer.writerow((traject_id, maand, f"{amount:.2f}", _ISO[received]))
            self.counts["kosten"] += 1

    def spend_in(self, year: int) -> float:
        return sum(spend for (m, _, _), spend in zip(_MONTHS, self.spend, strict=True) if m.year == year)


class _Gemeente:
    """One gemeente's wijken, schools and people; Huizen itself or a fictional copy."""

    def __init__(self, index: int):
        self.index = index
        if index == 0:
            self.code, self.naam = H.GEMEENTE
            self.wijk_prefix = "WK0406"
            self.school_prefix = ""
        else:
            self.code, self.naam = f"GM{9000 + index}", f"Voorbeeldgemeente {index}"
            self.wijk_prefix = f"WK{9000 + index}"
            self.school_prefix = f"G{index}-"
        self.wijken = [(self.wijk_prefix + suffix, naam, share) for suffix, naam, share in H.WIJKEN]
        self.scholen = [(self.school_prefix + code, naam if index == 0 else f"{naam} ({self.naam})",
                         soort, self.wijk_prefix + wijk) for code, naam, soort, wijk in H.SCHOLEN]
        self.id_prefix = f"{index:03d}" if index else ""


def _write_dimensions(writers, gemeenten: list[_Gemeente]) -> None:
    for g in gemeenten:
        for code, naam, _ in g.wijken:
            writers["wijken"].writerow((code, naam, g.code, g.naam))
        for row in g.scholen:
            writers["scholen"].writerow(row)
    for code, naam, _ in H.AANBIEDERS:
        writers["aanbieders"].writerow((code, naam))


def _write_gemeente(writers, g: _Gemeente, seed: int, counts: dict[str, int]) -> None:
    rng = random.Random(seed * 10_007 + g.index)
    krng = random.Random(f"kosten {seed} {g.index}")  # a str seed is hashed with SHA-512: stable
    declared = _Declarations(writers["kosten"], counts, krng)
    wijk_weights = [share for _, _, share in g.wijken]
    schools_by_soort: dict[str, list] = {}
    for code, _, soort, wijk in g.scholen:
        schools_by_soort.setdefault(soort, []).append((code, wijk))
    providers = {hv: [code for code, _, forms in H.AANBIEDERS if hv in forms]
                 for hv in H.HULPVORM_2019}

    # bevolking: slowly varying per wijk
    for year in range(H.FIRST_YEAR, H.LAST_YEAR + 1):
        drift = 1 + 0.004 * (year - 2019)
        for code, _, share in g.wijken:
            n_young = round(H.YOUTH_0_17 * share * drift * rng.uniform(0.985, 1.015))
            n_old = round(H.YOUTH_18_22 * share * rng.uniform(0.97, 1.03))
            writers["bevolking"].writerow((year, code, n_young, n_old))
            counts["bevolking"] += 1

    people: list[tuple[str, int, str]] = []  # (jeugdige_id, geboortejaar, wijk) for re-instroom
    trajecten_by_year: dict[int, list[str]] = {}
    n_traject = n_verblijf = 0
    for year in range(H.SIMULATION_START, H.LAST_YEAR + 1):
        mix = _blend(H.HULPVORM_2019, H.HULPVORM_2026, year)
        stays_mix = _blend(H.VERBLIJF_2019, H.VERBLIJF_2026, year)
        last_day = DATA_TOT if year == H.LAST_YEAR else dt.date(year, 12, 31)
        span = (last_day - dt.date(year, 1, 1)).days
        starts = round(H.STARTS_PER_YEAR * (1 + 0.012 * (year - 2019)) * (span + 1) / 365 * rng.uniform(0.97, 1.03))
        for _ in range(starts):
            n_traject += 1
            traject_id = f"T{g.id_prefix}{n_traject:06d}"
            hulpvorm = _pick(rng, mix)
            start = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, span))
            if people and rng.random() < 0.22:  # someone who had help before
                jeugdige_id, birth, wijk = people[rng.randrange(len(people))]
            else:
                jeugdige_id = f"J{g.id_prefix}{len(people) + 1:06d}"
                age = min(22, max(0, int(rng.triangular(0, 21, 11))))
                birth = year - age
                wijk = g.wijken[rng.choices(range(len(g.wijken)), weights=wijk_weights)[0]][0]
                people.append((jeugdige_id, birth, wijk))
            if hulpvorm == "jeugdreclassering" and year - birth < 12:
                hulpvorm = "ambulant"
            age = year - birth
            school = None
            if rng.random() < 0.88:
                if 4 <= age <= 12:
                    soort = "sbo" if rng.random() < 0.06 else "so" if rng.random() < 0.04 else "bao"
                elif 12 < age <= 18:
                    soort = "vso" if rng.random() < 0.08 else "vo"
                else:
                    soort = None
                if soort:
                    options = schools_by_soort[soort]
                    near = [code for code, w in options if w == wijk]
                    school = rng.choice(near) if near and rng.random() < 0.7 else rng.choice(options)[0]
            verwijzer = _pick(rng, H.VERWIJZER_MIX[hulpvorm])
            if hulpvorm == "ambulant" and year >= 2024 and verwijzer == "huisarts" and rng.random() < 0.12 * (year - 2023):
                verwijzer = "gemeente"  # POH-jeugd and the lokaal team catch part of it first
            aanbieder = rng.choice(providers[hulpvorm]) if providers[hulpvorm] else None
            wait = rng.expovariate(1 / H.WACHTTIJD[year])
            aanmeld = None if rng.random() < 0.1 else start - dt.timedelta(days=int(wait))
            mean = H.DUUR_BASIS[hulpvorm] * H.DUUR_TREND[year]
            duration = int(rng.lognormvariate(math.log(mean) - 0.18, 0.6))
            end = start + dt.timedelta(days=duration)
            ended = end <= DATA_TOT
            reden = _pick(rng, H.REDEN_EINDE) if ended else None
            doel = _pick(rng, H.DOELREALISATIE) if ended and rng.random() < 0.9 else None
            financiering = "pgb" if hulpvorm in ("ambulant", "dagbehandeling") and rng.random() < 0.06 else "zin"
            writers["trajecten"].writerow((
                traject_id, jeugdige_id, birth, wijk, school or "", verwijzer, hulpvorm, aanbieder or "",
                aanmeld.isoformat() if aanmeld else "", start.isoformat(),
                end.isoformat() if ended else "", reden or "", doel or "", financiering))
            counts["trajecten"] += 1
            trajecten_by_year.setdefault(year, []).append(traject_id)
            last_cost_day = end if ended else DATA_TOT

            # a stay for verblijf trajecten, and pleegzorg for part of jeugdbescherming
            vorm = None
            if hulpvorm == "verblijf":
                vorm = _pick(rng, stays_mix)
            elif hulpvorm == "jeugdbescherming" and rng.random() < 0.25:
                vorm = "pleegzorg"
            if vorm:
                n_verblijf += 1
                stay_start = min(start + dt.timedelta(days=rng.randint(0, 14)), last_cost_day)
                stay_end = end if ended else None
                writers["verblijf"].writerow((f"V{g.id_prefix}{n_verblijf:06d}", traject_id, vorm,
                                              stay_start.isoformat(), stay_end.isoformat() if stay_end else ""))
                counts["verblijf"] += 1

            # monthly kosten for specialised help (light help is subsidised, not billed per traject)
            if hulpvorm in ("lokaal_team", "poh_jeugd") or last_cost_day < _FIRST_DAY:
                continue
            tariff = H.VERBLIJF_TARIEF[vorm] if hulpvorm == "verblijf" else H.MAANDTARIEF[hulpvorm]
            if vorm and hulpvorm == "jeugdbescherming":
                tariff += H.VERBLIJF_TARIEF["pleegzorg"]
            cost_start = max(start, _FIRST_DAY)
            first_ordinal = cost_start.toordinal()
            factors, lags = _FACTORS[hulpvorm], declared.lags[hulpvorm]
            slot = H.SLOTDECLARATIE.get(hulpvorm)
            for i in range(_MONTH_INDEX[cost_start.year, cost_start.month],
                           _MONTH_INDEX[last_cost_day.year, last_cost_day.month] + 1):
                # The main stream draws the noise and whether the row is corrected, two draws a
                # month as it always did, so that trajecten drawn after it stay the same; the rest
                # of a declaration comes from the kosten stream.
                amount = tariff * factors[i] * rng.uniform(0.85, 1.15)
                declared.declare(traject_id, lags, i, amount, rng.random() < H.CORRECTIE_KANS, first_ordinal)
                if slot and _MONTHS[i][0].month == 12 and krng.random() < slot[0]:
                    extra = amount * krng.uniform(slot[1], slot[2])
                    declared.declare(traject_id, lags, i, extra, krng.random() < H.CORRECTIE_KANS, first_ordinal)

    for year in range(H.FIRST_YEAR, H.LAST_YEAR + 1):
        spend = declared.spend_in(year)  # the true spend, also what has not been received yet
        expected = spend * (365 / (DATA_TOT - dt.date(year, 1, 1)).days if year == H.LAST_YEAR else 1)
        budget = round(expected / H.BUDGET_FACTOR[year], -3)
        writers["budget"].writerow((year, g.code, f"{budget:.2f}"))
        counts["budget"] += 1

    n_answer = 0
    for year, mean in H.TEVREDENHEID_GEMIDDELD.items():
        candidates = trajecten_by_year.get(year, []) + trajecten_by_year.get(year - 1, [])
        for _ in range(round(H.TEVREDENHEID_ANTWOORDEN * rng.uniform(0.9, 1.1))):
            n_answer += 1
            linked = candidates and rng.random() < 0.85
            score = min(10, max(1, round(rng.gauss(mean, 1.5))))
            writers["tevredenheid"].writerow((
                f"R{g.id_prefix}{n_answer:06d}", rng.choice(candidates) if linked else "", g.code, year,
                "ouder" if rng.random() < 0.6 else "jongere", score))
            counts["tevredenheid"] += 1


def generate_folder(folder: Path | str, seed: int = 2025, scale: int = 1) -> dict[str, int]:
    """Write the demonstration data set as CSV files in the import format."""
    if scale < 1:
        raise ValueError("scale moet 1 of meer zijn")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    counts = {name: 0 for name in FILES}
    gemeenten = [_Gemeente(i) for i in range(scale)]
    with ExitStack() as stack:
        writers = {}
        for name, columns in FILES.items():
            handle = stack.enter_context(open(folder / f"{name}.csv", "w", newline="", encoding="utf-8"))
            writers[name] = csv.writer(handle, lineterminator="\n")
            writers[name].writerow(columns)
        _write_dimensions(writers, gemeenten)
        counts["wijken"] = sum(len(g.wijken) for g in gemeenten)
        counts["scholen"] = sum(len(g.scholen) for g in gemeenten)
        counts["aanbieders"] = len(H.AANBIEDERS)
        for g in gemeenten:
            _write_gemeente(writers, g, seed, counts)
    return counts


#: the load log's `bron` of the demonstration data: the screens and exports call such figures synthetic
DEMO_BRON_PREFIX = "demonstratiegegevens"


def is_demo_source(bron: str | None) -> bool:
    """Whether a load log's `bron` is the demonstration data set (and nothing a gemeente loaded)."""
    return bool(bron) and bron.startswith(DEMO_BRON_PREFIX)


def load_demo(engine, seed: int = 2025, scale: int = 1, derive=None):
    """Generate the data set into a temporary folder, load it with the real loader (`derive`: see
    data.warehouse.loader.load_folder), and add the Programmaplan (Huizen) when the programme tables are
    still empty."""
    from data.programme.plan import load_programme, programme_is_loaded
    from data.warehouse.loader import load_folder

    with tempfile.TemporaryDirectory(prefix="jeugdmonitor-demo-") as tmp:
        generate_folder(tmp, seed=seed, scale=scale)
        report = load_folder(engine, tmp, bron=f"{DEMO_BRON_PREFIX} (synthetisch, startgetal {seed})",
                             derive=derive, soort="demo")
    if not programme_is_loaded(engine):
        load_programme(engine)
    return report
