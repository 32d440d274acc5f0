"""The demonstration data set: a synthetic Huizen in the import format, loaded by the real loader.

    generate_folder(folder, seed=2025, scale=1)   # writes the CSV files, returns rows per file
    load_demo(engine, seed=2025, scale=1)         # generate into a temp folder and load it

Deterministic per seed (one random.Random per gemeente, no dependence on time or hash order).
`scale=N` adds N−1 fictional gemeenten shaped like Huizen (codes GM9001…), sharing the providers,
for benchmarks: scale 400 gives about 2 million trajecten with their verblijf and kosten. Rows are
streamed to the files; nothing is built up in memory.
"""
from __future__ import annotations

import csv
import datetime as dt
import math
import random
import tempfile
from contextlib import ExitStack
from pathlib import Path

from data.warehouse import demo_huizen as H

FILES = {
    "wijken": ("wijk_code", "wijk_naam", "gemeente_code", "gemeente_naam"),
    "scholen": ("school_code", "school_naam", "school_soort", "wijk_code"),
    "aanbieders": ("aanbieder_code", "aanbieder_naam"),
    "trajecten": ("traject_id", "jeugdige_id", "geboortejaar", "wijk_code", "school_code", "verwijzer",
                  "hulpvorm", "aanbieder_code", "aanmelddatum", "startdatum", "einddatum", "reden_einde",
                  "doelrealisatie", "financiering"),
    "verblijf": ("verblijf_id", "traject_id", "verblijfsvorm", "startdatum", "einddatum"),
    "kosten": ("traject_id", "maand", "bedrag"),  # format 1.0 style: no ontvangen (stored NULL)
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
    spend_by_year: dict[int, float] = {}
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
            if hulpvorm in ("lokaal_team", "poh_jeugd"):
                continue
            tariff = H.VERBLIJF_TARIEF[vorm] if hulpvorm == "verblijf" else H.MAANDTARIEF[hulpvorm]
            if vorm and hulpvorm == "jeugdbescherming":
                tariff += H.VERBLIJF_TARIEF["pleegzorg"]
            for month in _months(max(start, dt.date(H.FIRST_YEAR, 1, 1)), last_cost_day):
                amount = tariff * (1 + H.PRIJSSTIJGING) ** (month.year - 2019) * rng.uniform(0.85, 1.15)
                writers["kosten"].writerow((traject_id, f"{month.year}-{month.month:02d}", f"{amount:.2f}"))
                counts["kosten"] += 1
                spend_by_year[month.year] = spend_by_year.get(month.year, 0) + amount
                if rng.random() < 0.004:  # an invoice corrected later
                    writers["kosten"].writerow((traject_id, f"{month.year}-{month.month:02d}", f"{-amount * 0.2:.2f}"))
                    counts["kosten"] += 1
                    spend_by_year[month.year] -= amount * 0.2

    for year in range(H.FIRST_YEAR, H.LAST_YEAR + 1):
        expected = spend_by_year.get(year, 0) * (365 / (DATA_TOT - dt.date(year, 1, 1)).days if year == H.LAST_YEAR else 1)
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


def load_demo(engine, seed: int = 2025, scale: int = 1, derive=None):
    """Generate the data set into a temporary folder, load it with the real loader (`derive`: see
    data.warehouse.loader.load_folder), and add the Programmaplan (Huizen) when the programme tables are
    still empty."""
    from data.programme.plan import load_programme, programme_is_loaded
    from data.warehouse.loader import load_folder

    with tempfile.TemporaryDirectory(prefix="jeugdmonitor-demo-") as tmp:
        generate_folder(tmp, seed=seed, scale=scale)
        report = load_folder(engine, tmp, bron=f"demonstratiegegevens (synthetisch, startgetal {seed})",
                             derive=derive)
    if not programme_is_loaded(engine):
        load_programme(engine)
    return report
