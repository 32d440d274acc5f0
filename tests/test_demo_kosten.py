"""The demonstration kosten: late declarations (kosten.ontvangen), corrections, season, the 2024
break in the verblijf tariffs, determinism and scale. Read from the generated files, generated once
per module; the expectations are the ranges data/warehouse/demo.py's docstring states."""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from data.warehouse import demo_huizen as H
from data.warehouse.demo import generate_folder

SEED = 2025
DATA_TOT = dt.date(*H.DATA_TOT)
BILLED = ("ambulant", "dagbehandeling", "verblijf", "crisis", "jeugdbescherming", "jeugdreclassering")
# Share of an old month's final amount received by the end of the month itself and 1, 3 and 12
# months after it (docstring of data/warehouse/demo.py); a correction after a year can take it
# just over 1.
RANGES = {0: (0.005, 0.18), 1: (0.40, 0.80), 3: (0.85, 0.99), 12: (0.99, 1.01)}


def month_key(date: dt.date) -> tuple[int, int]:
    return date.year, date.month


def shift(month: tuple[int, int], months: int) -> tuple[int, int]:
    index = month[0] * 12 + month[1] - 1 + months
    return index // 12, index % 12 + 1


def last_day(month: tuple[int, int]) -> dt.date:
    return dt.date(*shift(month, 1), 1) - dt.timedelta(days=1)


@dataclass
class Demo:
    """The generated files, read once: kosten rows and what trajecten.csv says of each traject."""
    folder: Path
    kosten: list[tuple[str, tuple[int, int], int, dt.date]] = field(default_factory=list)  # cents
    hulpvorm: dict[str, str] = field(default_factory=dict)
    billed_months: dict[str, tuple[dt.date, dt.date]] = field(default_factory=dict)

    @classmethod
    def read(cls, folder: Path) -> Demo:
        demo = cls(folder)
        with open(folder / "trajecten.csv", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                demo.hulpvorm[row["traject_id"]] = row["hulpvorm"]
                if row["hulpvorm"] in BILLED:
                    end = dt.date.fromisoformat(row["einddatum"]) if row["einddatum"] else DATA_TOT
                    demo.billed_months[row["traject_id"]] = (dt.date.fromisoformat(row["startdatum"]), end)
        with open(folder / "kosten.csv", encoding="utf-8") as handle:
            rows = csv.reader(handle)
            assert next(rows) == ["traject_id", "maand", "bedrag", "ontvangen"]
            for traject_id, maand, bedrag, ontvangen in rows:
                year, month = maand.split("-")
                demo.kosten.append((traject_id, (int(year), int(month)), round(float(bedrag) * 100),
                                    dt.date.fromisoformat(ontvangen)))
        return demo

    def totals(self, hulpvormen=BILLED) -> dict[tuple[int, int], int]:
        """Cents per care month, every written row."""
        totals: dict[tuple[int, int], int] = defaultdict(int)
        for traject_id, month, cents, _ in self.kosten:
            if self.hulpvorm[traject_id] in hulpvormen:
                totals[month] += cents
        return totals


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Demo:
    folder = tmp_path_factory.mktemp("demo")
    generate_folder(folder, seed=SEED)
    return Demo.read(folder)


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.csv"))}


def test_every_row_was_received_in_or_after_its_month_on_a_weekday_and_by_data_tot(demo):
    assert len(demo.kosten) > 40_000
    for traject_id, month, _, received in demo.kosten:
        assert dt.date(*month, 1) <= received <= DATA_TOT, (traject_id, month, received)
        assert received.weekday() < 5, (traject_id, month, received)  # booked on a working day
        start, _ = demo.billed_months[traject_id]
        assert received >= start, (traject_id, month, received)  # no declaration before the care


def received_shares(demo: Demo, years, hulpvormen=BILLED) -> dict[tuple[int, int], dict[int, float]]:
    """Per care month of `years`: the share of its final amount (all its rows) received by the end
    of the month itself (0) and of the 1st, 3rd and 12th month after it."""
    total: dict[tuple[int, int], int] = defaultdict(int)
    by: dict[tuple[tuple[int, int], int], int] = defaultdict(int)
    for traject_id, month, cents, received in demo.kosten:
        if month[0] in years and demo.hulpvorm[traject_id] in hulpvormen:
            total[month] += cents
            for after in RANGES:
                if received <= last_day(shift(month, after)):
                    by[month, after] += cents
    return {month: {after: by[month, after] / cents for after in RANGES} for month, cents in total.items()}


def test_an_old_month_comes_in_as_stated(demo):
    # 2021–2023 are complete by DATA_TOT: the last receipt (a correction of a row from the tail)
    # comes at most about a year and a half after its month.
    shares = received_shares(demo, (2021, 2022, 2023))
    assert len(shares) == 36
    for month, share in shares.items():
        for after, (low, high) in RANGES.items():
            assert low <= share[after] <= high, (month, after, share[after])
        assert share[0] < share[1] < share[3] <= share[12]


def yearly_share(demo: Demo, year: int, after: int, hulpvormen=BILLED) -> float:
    shares = received_shares(demo, (year,), hulpvormen)
    return statistics.fmean(share[after] for share in shares.values())


def test_verblijf_declares_faster_than_ambulant_and_declaring_speeds_up_a_little(demo):
    for year in range(2019, 2026):
        assert yearly_share(demo, year, 1, ("verblijf",)) > yearly_share(demo, year, 1, ("ambulant",)) + 0.25
    # A slow drift, small enough for a completion from earlier years' pattern (chain ladder). Within
    # one hulpvorm: the total's pattern also moves with the mix of hulpvormen.
    first, last = (yearly_share(demo, year, 1, ("ambulant",)) for year in (2019, 2025))
    assert 0.03 < last - first < 0.12
    three = [yearly_share(demo, year, 3) for year in range(2019, 2026)]
    assert max(three) - min(three) < 0.05


def test_the_latest_months_are_visibly_incomplete(demo):
    # Every month a traject is billed has a row once its original declaration has come in: all of
    # them for months more than a year back, ever fewer towards DATA_TOT.
    billed: dict[tuple[int, int], set[str]] = defaultdict(set)
    for traject_id, (start, end) in demo.billed_months.items():
        month = month_key(max(start, dt.date(H.FIRST_YEAR, 1, 1)))
        while month <= month_key(end):
            billed[month].add(traject_id)
            month = shift(month, 1)
    written: dict[tuple[int, int], set[str]] = defaultdict(set)
    for traject_id, month, _, _ in demo.kosten:
        written[month].add(traject_id)
    assert set(written) == set(billed)
    for month in billed:
        assert written[month] <= billed[month]
        if month <= (2025, 6):
            assert written[month] == billed[month], month
    complete = {m: len(written[m]) / len(billed[m]) for m in [(2026, 6), (2026, 7), (2026, 8), (2026, 9)]}
    assert complete[2026, 9] < 0.2 < complete[2026, 8] < 0.8 < complete[2026, 7] < complete[2026, 6] <= 1
    totals = demo.totals()
    assert totals[2026, 9] < 0.2 * totals[2025, 9]
    assert totals[2026, 8] < 0.9 * totals[2025, 8]


def test_summer_dips_and_december_declares_more(demo):
    everything, sessions = demo.totals(), demo.totals(("ambulant", "dagbehandeling"))

    def mean(totals, year, months):
        return statistics.fmean(totals[year, m] for m in months)

    usual = (5, 6, 9, 10)
    for year in range(2019, 2026):
        assert mean(everything, year, (7, 8)) < 0.96 * mean(everything, year, usual), year
        assert mean(sessions, year, (7, 8)) < 0.85 * mean(sessions, year, usual), year
        assert sessions[year, 12] > 1.04 * mean(sessions, year, (10, 11)), year


def test_verblijf_tariffs_jump_in_january_2024(demo):
    # The same stay from December to January: the yearly rise, and in 2024 the new contract on top.
    per_month: dict[tuple[str, tuple[int, int]], int] = defaultdict(int)
    for traject_id, month, cents, _ in demo.kosten:
        if demo.hulpvorm[traject_id] == "verblijf":
            per_month[traject_id, month] += cents
    ratios: dict[int, list[float]] = defaultdict(list)
    for (traject_id, month), cents in per_month.items():
        december = per_month.get((traject_id, shift(month, -1)), 0)
        if month[1] == 1 and cents > 0 and december > 0:
            ratios[month[0]].append(cents / december)
    assert len(ratios[2024]) >= 15
    other = [r for year, values in ratios.items() if year != 2024 for r in values]
    assert statistics.median(ratios[2024]) > 1.09
    assert statistics.median(other) < 1.07


def test_corrections_come_weeks_to_months_after_the_row_they_correct(demo):
    rows: dict[tuple[str, tuple[int, int]], list[tuple[dt.date, int]]] = defaultdict(list)
    for traject_id, month, cents, received in demo.kosten:
        rows[traject_id, month].append((received, cents))
    negative = replaced = 0
    for found in rows.values():
        found.sort()
        for i, (received, cents) in enumerate(found):
            if cents < 0:
                negative += 1
                earlier = [c for r, c in found[:i] if r <= received - dt.timedelta(days=14)]
                assert any(c >= -cents for c in earlier), found
                replaced += any(c > 0 for _, c in found[i + 1:])
    assert 0.015 * len(demo.kosten) < negative < 0.05 * len(demo.kosten)
    assert 0.3 * negative < replaced < 0.8 * negative


def test_budget_follows_the_true_spend_not_what_has_come_in(demo):
    with open(demo.folder / "budget.csv", encoding="utf-8") as handle:
        budget = {int(r["jaar"]): float(r["bedrag"]) for r in csv.DictReader(handle)}
    totals = demo.totals()
    written = {year: sum(totals[year, m] for m in range(1, 13)) / 100 for year in budget}
    for year in range(H.FIRST_YEAR, H.LAST_YEAR):  # complete years: what came in is nearly all
        assert 0.9 < written[year] / budget[year] < 1.1, year
    # 2026: a budget for the whole year, while only part of January–September has come in
    months_in = (DATA_TOT - dt.date(H.LAST_YEAR, 1, 1)).days / 365
    assert written[H.LAST_YEAR] / budget[H.LAST_YEAR] < 0.97 * months_in


def test_same_seed_same_files_other_seed_other_kosten(demo, tmp_path):
    generate_folder(tmp_path / "again", seed=SEED)
    generate_folder(tmp_path / "other", seed=SEED + 1)
    assert digest(tmp_path / "again") == digest(demo.folder)
    assert digest(tmp_path / "other")["kosten.csv"] != digest(demo.folder)["kosten.csv"]


def test_scale_2_adds_a_gemeente_declaring_the_same_way(demo, tmp_path):
    counts = generate_folder(tmp_path / "twee", seed=SEED, scale=2)
    two = Demo.read(tmp_path / "twee")
    assert len(two.kosten) == counts["kosten"]
    # Huizen comes first and is as at scale 1; the copy's rows follow the same rules
    assert two.kosten[:len(demo.kosten)] == demo.kosten
    copy = two.kosten[len(demo.kosten):]
    assert all(traject_id.startswith("T001") for traject_id, *_ in copy)
    assert 0.8 * len(demo.kosten) < len(copy) < 1.2 * len(demo.kosten)
    assert all(dt.date(*month, 1) <= received <= DATA_TOT for _, month, _, received in copy)
    copy_only = Demo(two.folder, copy, two.hulpvorm, two.billed_months)
    for month, share in received_shares(copy_only, (2022,)).items():
        for after, (low, high) in RANGES.items():
            assert low <= share[after] <= high, (month, after, share[after])
