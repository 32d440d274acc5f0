"""An attacker in the test suite: the differencing attack on small numbers (issue 13).

A raadslid (lezer) can see a KPI's total, its breakdowns, every view filtered on one group and
every breakdown of such a view, and download each as CSV. Counting KPIs split a total into groups,
so a hidden group is the total minus the others — unless the others are not known exactly. The
attacker here collects, per count KPI and year, everything a lezer can download through the
explorer's CSV path, turns each published number into the interval of true values it allows
(exact for totals, ± half the rounding base in detailed views, nothing for `<10`), and narrows the
groups of every breakdown by subtraction until nothing changes. A cell is *recovered* when its
interval shrinks to one value and that is the true value.

Against version 1 of the rules (threshold and secondary suppression only) the same attack recovers
cells — so this test can fail; against version 2 (linked requests and rounding) it recovers none.
"""
from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import random

import pytest
from sqlalchemy import insert

from dashboard.pages import verkenner
from dashboard.server import runtime
from data import schema as s
from data.warehouse import codes, summaries
from kpi import CATALOGUE, DIMENSIONS, KpiRequest, privacy, totals
from tests.conftest import empty_all_tables

D = dt.date
YEARS = (2024, 2025)
THRESHOLD, BASE = 10, 5
COUNT_KPIS = [k.id for k in CATALOGUE.values() if k.eenheid == "aantal"]
DIMS = ("wijk", "gemeente", "school", "verwijzer", "hulpvorm", "aanbieder")


# --- a seeded warehouse with many small groups --------------------------------------------------

def seeded_warehouse(engine, seed: int = 13) -> None:
    """Two gemeenten (eight and two wijken), 24 schools, 6 aanbieders, every verwijzer and
    hulpvorm with skewed weights: a few large groups and many small ones, in 2024 and 2025."""
    rnd = random.Random(seed)
    wijken = [dict(wijk_code=f"W{i}", wijk_naam=f"Wijk {i}", gemeente_code="GM1" if i < 8 else "GM2",
                   gemeente_naam="Huizen" if i < 8 else "Blaricum") for i in range(10)]
    scholen = [dict(school_code=f"S{i:02d}", school_naam=f"School {i}", school_soort="bao",
                    wijk_code=f"W{i % 10}") for i in range(24)]
    aanbieders = [dict(aanbieder_code=f"A{i}", aanbieder_naam=f"Aanbieder {i}") for i in range(6)]
    verwijzers = [c.code for c in codes.VERWIJZER.codes]
    hulpvormen = [c.code for c in codes.HULPVORM.codes]
    skew = lambda n: [1 / (i + 1) ** 1.6 for i in range(n)]  # noqa: E731
    trajecten, verblijf = [], []
    for i in range(900):
        start = D(2024, 1, 1) + dt.timedelta(days=rnd.randrange(730))
        end = start + dt.timedelta(days=rnd.randrange(20, 500)) if rnd.random() < 0.7 else None
        hulpvorm = rnd.choices(hulpvormen, skew(len(hulpvormen)))[0]
        trajecten.append(dict(
            traject_id=f"T{i}", jeugdige_id=f"J{rnd.randrange(650)}", geboortejaar=rnd.randrange(2006, 2022),
            wijk_code=f"W{rnd.choices(range(10), skew(10))[0]}",
            school_code=rnd.choice([None] + [f"S{j:02d}" for j in range(24)]),
            verwijzer=rnd.choices(verwijzers, skew(len(verwijzers)))[0], hulpvorm=hulpvorm,
            aanbieder_code=rnd.choices([None] + [f"A{j}" for j in range(6)], skew(7))[0],
            aanmelddatum=start - dt.timedelta(days=rnd.randrange(60)), startdatum=start, einddatum=end,
            reden_einde="volgens_plan" if end else None, doelrealisatie="volledig" if end else None,
            financiering="zin"))
        if codes.HULPVORM_KLASSE.get(hulpvorm) == "verblijf" or rnd.random() < 0.1:
            verblijf.append(dict(verblijf_id=f"V{i}", traject_id=f"T{i}", verblijfsvorm="pleegzorg",
                                 startdatum=start, einddatum=end))
    empty_all_tables(engine)
    with engine.begin() as conn:
        for model, rows in ((s.Wijk, wijken), (s.School, scholen), (s.Aanbieder, aanbieders),
                            (s.Traject, trajecten), (s.Verblijf, verblijf)):
            conn.execute(insert(model), rows)
        summaries.rebuild(conn)
        conn.execute(insert(s.LoadLog).values(geladen_op=dt.datetime(2026, 4, 1), bron="test", bestanden=[],
                                              data_tot=D(2026, 3, 31)))
        totals.rebuild(conn, kpi_ids=COUNT_KPIS)  # the explorer reads stored breakdowns, as after a load


# --- what a lezer can download ------------------------------------------------------------------

def csv_download(kpi: str, jaar: int, by: str | None, where: dict) -> dict:
    """The explorer's CSV of a view, parsed: {key: (value, n)} for the year; value None = `<10`."""
    search = f"?kpi={kpi}&jaar={jaar}&by={by or ''}&per=jaar" + "".join(f"&f={d}:{v or ''}" for d, v in where.items())
    sent = verkenner.export_file(search, "csv")
    text = base64.b64decode(sent["content"]).decode("utf-8-sig")
    rows = [r for r in csv.reader(io.StringIO(text), delimiter=";") if r and not r[0].startswith("#")]
    header, data = rows[0], rows[1:]
    out = {}
    for row in data:
        cells = dict(zip(header, row, strict=True))
        if by is None and cells.get("Periode") != str(jaar):
            continue  # a view without breakdown downloads its trend per year
        key = group_key(by, cells) if by else None
        value = cells[header[-2]]
        out[key] = (None if value.startswith("<") else int(value), None if not cells["n"] else int(cells["n"]))
    return out


def group_key(by: str, cells: dict) -> str | None:
    """The group of a downloaded row: its code, or for a code list (the Code cell empty) its label's code."""
    if DIMENSIONS[by].code_list is None:
        return cells["Code"] or None
    code_list = DIMENSIONS[by].code_list
    return {code_list.label(code): code for code in code_list.values}.get(cells[DIMENSIONS[by].naam])


def exact(service, kpi: str, jaar: int, by: str | None, where: dict) -> dict:
    result = service.compute(KpiRequest.for_year(kpi, jaar, by=by, where=where, suppress=False))
    return {r.key: r for r in result.rows}


def version_1(service, kpi: str, jaar: int, by: str | None, where: dict) -> dict:
    """What version 1 of the rules published: rules 1–2 on the exact rows, nothing rounded."""
    rows = list(exact(service, kpi, jaar, by, where).values())
    return {r.key: (r.value, r.n) for r in privacy.suppress(rows, THRESHOLD, breakdown=by is not None)}


# --- the attack ---------------------------------------------------------------------------------

def interval(value: int | None, detailed: bool, rounded: bool) -> tuple[float, float] | None:
    """The true values a published number allows."""
    if value is None:
        return None
    if detailed and rounded:
        return (value - BASE // 2, value + (BASE + 1) // 2 - 1)
    return (value, value)


def narrow(bounds: dict, key, found: tuple[float, float] | None) -> None:
    """The group's [low, high] within what `found` allows as well."""
    if found is not None:
        bounds[key][0], bounds[key][1] = max(bounds[key][0], found[0]), min(bounds[key][1], found[1])


def attack(publish, service, kpi: str, jaar: int, rounded: bool) -> list[tuple]:
    """Every cell hidden in some breakdown that the published views pin to its true value."""
    total = publish(kpi, jaar, None, {})[None][0]
    if total is None:
        return []
    recovered = []
    for dim in DIMS:
        truth = {key: row.value for key, row in exact(service, kpi, jaar, dim, {}).items()}
        shown = publish(kpi, jaar, dim, {})
        bounds = {key: [0, total] for key in truth}
        for key in truth:
            narrow(bounds, key, interval(shown.get(key, (None,))[0], True, rounded))
            alone = publish(kpi, jaar, None, {dim: key or ""})[None][0]
            narrow(bounds, key, interval(alone, dim != "gemeente", rounded))
            for other in DIMS:  # the group's own breakdowns: their sum bounds it
                if other == dim:
                    continue
                inner = [interval(v, True, rounded) for v, _n in publish(kpi, jaar, other, {dim: key or ""}).values()]
                low = sum(b[0] for b in inner if b)
                high = sum(b[1] for b in inner) if all(inner) else total
                narrow(bounds, key, (low, high))
        for _ in range(len(bounds)):  # subtraction: each group is the total minus the others
            for key in bounds:
                others = [b for k, b in bounds.items() if k != key]
                narrow(bounds, key, (total - sum(b[1] for b in others), total - sum(b[0] for b in others)))
        for key, (low, high) in bounds.items():
            if shown.get(key, (None,))[0] is None and low == high == truth[key]:
                recovered.append((kpi, jaar, dim, key, truth[key]))
    return recovered


@pytest.fixture
def warehouse_with_small_groups(warehouse, monkeypatch):
    monkeypatch.setenv("MIN_CELL_SIZE", str(THRESHOLD))
    monkeypatch.setenv("AFRONDING", str(BASE))
    seeded_warehouse(warehouse)
    runtime.configure(warehouse)
    yield warehouse
    runtime.reset()


def test_version_1_leaks_and_version_2_does_not(warehouse_with_small_groups):
    service = runtime.service()
    leaked, kept = [], []
    for kpi in ("instroom", "uitstroom"):  # version 1's leak, as found: the partitioning counts
        for jaar in YEARS:
            leaked += attack(lambda *a: version_1(service, *a), service, kpi, jaar, rounded=False)
    assert leaked, "the attack should recover cells from version 1's output"
    for kpi in COUNT_KPIS:
        for jaar in YEARS:
            kept += attack(csv_download, service, kpi, jaar, rounded=True)
    assert kept == []
