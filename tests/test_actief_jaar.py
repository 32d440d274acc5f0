"""`jeugdigen_actief_jaar` and `jeugdigen_per_jaar` (data/warehouse/summaries.py): the jeugdigen with a
running traject per calendar year, and their number per year and group. Exact after a load and a
migration, on SQLite and PostgreSQL; the KPIs that read them give the same answers as over the
trajecten; years they do not cover, partial years and other KPIs read the trajecten."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import insert, select

from data import schema as s
from data.warehouse import summaries
from data.warehouse.schema import JEUGDIGEN_ACTIEF_JAAR, JEUGDIGEN_PER_JAAR, Traject
from kpi import KpiRequest, compute
from kpi.query import compiled_sql
from tests.conftest import shared_demo

COLUMNS = ("jeugdige_id", "geboortejaar", "wijk_code", "school_code", "verwijzer", "hulpvorm", "aanbieder_code")


def summary_rows(engine) -> list[tuple]:
    with engine.connect() as conn:
        return sorted((tuple(r) for r in conn.execute(select(JEUGDIGEN_ACTIEF_JAAR))), key=repr)


def from_the_facts(engine) -> list[tuple]:
    """The summary computed in Python from the trajecten (independent of SQL)."""
    with engine.connect() as conn:
        trajecten = conn.execute(select(Traject.__table__)).all()
    if not trajecten:
        return []
    first = min(t.startdatum for t in trajecten).year
    last = max(max(t.startdatum.year, t.einddatum.year if t.einddatum else 0) for t in trajecten)
    rows = {(jaar, *(getattr(t, c) for c in COLUMNS))
            for t in trajecten for jaar in range(first, last + 1)
            if t.startdatum <= dt.date(jaar, 12, 31) and (t.einddatum is None or t.einddatum >= dt.date(jaar, 1, 1))}
    return sorted(rows, key=repr)


def counts(engine) -> list[tuple]:
    with engine.connect() as conn:
        return sorted((tuple(r) for r in conn.execute(select(JEUGDIGEN_PER_JAAR))), key=repr)


def counts_from_the_facts(engine) -> list[tuple]:
    """`jeugdigen_per_jaar` computed in Python from the trajecten and wijken."""
    with engine.connect() as conn:
        gemeente = dict(conn.execute(select(s.Wijk.wijk_code, s.Wijk.gemeente_code)).all())
    groups: dict[tuple, set] = {}
    for jaar, jeugdige, _geboren, wijk, school, verwijzer, hulpvorm, aanbieder in from_the_facts(engine):
        for key in [("totaal", None), ("wijk", wijk), ("gemeente", gemeente[wijk]), ("school", school),
                    ("verwijzer", verwijzer), ("hulpvorm", hulpvorm), ("aanbieder", aanbieder)]:
            groups.setdefault((jaar, *key), set()).add(jeugdige)
    return sorted(((*key, len(ids)) for key, ids in groups.items()), key=repr)


def test_the_demo_data_summary_equals_the_facts(request, backend):
    # any seed will do: the run's demonstration data, which other modules load as well
    warehouse = shared_demo(request)
    rows = summary_rows(warehouse)
    assert rows == from_the_facts(warehouse) and len(rows) > 1000
    assert {r[0] for r in rows} == set(range(2017, 2027))  # the demo's burn-in starts in 2017
    assert counts(warehouse) == counts_from_the_facts(warehouse)


def test_migration_fills_it_from_a_warehouse_without_it(tmp_path, backend_url, monkeypatch):
    from tests.test_migrations import demo_upgraded_from_first_release

    engine = demo_upgraded_from_first_release(backend_url, tmp_path / "demo", monkeypatch)
    assert summary_rows(engine) == from_the_facts(engine) != []
    assert counts(engine) == counts_from_the_facts(engine)
    engine.dispose()


def over_the_facts(engine, request, monkeypatch=None):
    """The same request computed over the trajecten alone (no derived table)."""
    return compute(engine, request, sources=())


REQUESTS = [
    KpiRequest("jeugdigen_met_jeugdhulp", dt.date(2019, 1, 1), dt.date(2025, 12, 31), per="jaar"),
    KpiRequest("jeugdigen_met_jeugdhulp", dt.date(2023, 1, 1), dt.date(2025, 12, 31)),  # three whole years
    KpiRequest.for_year("pct_jeugdigen_met_jeugdhulp", 2024, by="wijk"),
    KpiRequest.for_year("pct_jeugdigen_met_jeugdhulp", 2025, where={"gemeente": "GM0406"}, suppress=False),
] + [KpiRequest.for_year("jeugdigen_met_jeugdhulp", 2025, by=by, suppress=False)
     for by in ("wijk", "gemeente", "school", "verwijzer", "hulpvorm", "aanbieder")] + [
    KpiRequest.for_year("jeugdigen_met_jeugdhulp", 2024, by="school", where={"verwijzer": "huisarts", "hulpvorm": "ambulant"}),
    KpiRequest.for_year("jeugdigen_met_jeugdhulp", 2024, by="hulpvorm", where={"aanbieder": ""}),
    # one gemeente (a region's dashboard): its count, and breakdowns within it
    KpiRequest("jeugdigen_met_jeugdhulp", dt.date(2019, 1, 1), dt.date(2025, 12, 31), per="jaar",
               where={"gemeente": "GM0406"}, suppress=False),
] + [KpiRequest.for_year("jeugdigen_met_jeugdhulp", 2025, by=by, where={"gemeente": gemeente}, suppress=False)
     for by in (None, "gemeente", "wijk", "school") for gemeente in ("GM0406", "GM9999")]


@pytest.fixture
def demo(request, backend):
    """The run's demonstration data (any seed will do; a seed of this module's own was a load of
    its own, ~5 s per backend, where the run has the default one loaded already)."""
    return shared_demo(request)


def test_kpis_read_it_and_answer_as_over_the_trajecten(demo, monkeypatch):
    for request in REQUESTS:
        sql = compiled_sql(demo, request)
        assert "jeugdigen_actief_jaar" in sql or "jeugdigen_per_jaar" in sql
        assert compute(demo, request).rows == over_the_facts(demo, request, monkeypatch).rows, request


@pytest.mark.parametrize("where", [{"wijk": "WK040601"}, {"school": ""}, {"verwijzer": "huisarts", "school": "V02"}])
def test_within_one_wijk_or_school_it_counts_over_the_trajecten(demo, where, monkeypatch):
    request = KpiRequest.for_year("jeugdigen_met_jeugdhulp", 2024, by="hulpvorm", where=where, suppress=False)
    sql = compiled_sql(demo, request)
    assert "jeugdigen_actief_jaar" not in sql and "jeugdigen_per_jaar" not in sql and "trajecten" in sql
    rows = compute(demo, request).rows
    assert rows == over_the_facts(demo, request, monkeypatch).rows and sum(row.n or 0 for row in rows) > 0


@pytest.mark.parametrize("by", [None, "wijk", "gemeente", "school", "verwijzer", "hulpvorm", "aanbieder"])
def test_an_unfiltered_year_reads_the_counts(demo, by):
    request = KpiRequest.for_year("jeugdigen_met_jeugdhulp", 2025, by=by)
    sql = compiled_sql(demo, request)
    assert "jeugdigen_per_jaar" in sql and "jeugdigen_actief_jaar" not in sql and "trajecten" not in sql


@pytest.mark.parametrize("by", [None, "gemeente"])
def test_a_year_within_one_gemeente_reads_its_count(demo, by):
    request = KpiRequest.for_year("jeugdigen_met_jeugdhulp", 2025, by=by, where={"gemeente": "GM0406"})
    sql = compiled_sql(demo, request)
    assert "jeugdigen_per_jaar" in sql and "jeugdigen_actief_jaar" not in sql and "trajecten" not in sql
    assert compute(demo, request).rows[0].n > 100


@pytest.mark.parametrize("by", ["wijk", "school"])
def test_a_breakdown_within_one_gemeente_counts_over_the_running_trajecten(demo, by):
    sql = compiled_sql(demo, KpiRequest.for_year("jeugdigen_met_jeugdhulp", 2025, by=by, where={"gemeente": "GM0406"}))
    assert "jeugdigen_actief_jaar" in sql and "jeugdigen_per_jaar" not in sql


def test_a_trend_mixes_counts_summary_and_facts_and_stays_exact(demo, monkeypatch):
    request = KpiRequest("jeugdigen_met_jeugdhulp", dt.date(2024, 1, 1), dt.date(2027, 6, 30), per="jaar",
                         by="school", suppress=False)   # 2024–2026 counted at load, 2027 from the facts
    sql = compiled_sql(demo, request)
    assert "jeugdigen_per_jaar" in sql and "FROM trajecten" in sql
    assert compute(demo, request).rows == over_the_facts(demo, request, monkeypatch).rows


@pytest.mark.parametrize("request_", [
    KpiRequest("jeugdigen_met_jeugdhulp", dt.date(2025, 1, 1), dt.date(2025, 12, 31), per="kwartaal", by="wijk"),
    KpiRequest("jeugdigen_met_jeugdhulp", dt.date(2025, 3, 1), dt.date(2025, 12, 31)),
    KpiRequest.for_year("jeugdigen_met_jeugdhulp", 2030, by="wijk"),        # after the last year it covers
    KpiRequest.for_year("instroom", 2025, by="wijk"),                         # counts trajecten, not jeugdigen
    KpiRequest.for_year("gem_trajectduur", 2025),
], ids=["kwartalen", "deel-van-jaar", "na-dekking", "instroom", "trajectduur"])
def test_other_periods_and_kpis_read_the_trajecten(demo, request_):
    sql = compiled_sql(demo, request_)
    assert "jeugdigen_actief_jaar" not in sql and "trajecten" in sql


def test_a_year_after_the_last_traject_date_counts_the_open_trajecten(warehouse):
    with warehouse.begin() as conn:
        conn.execute(insert(s.Wijk).values(wijk_code="WK01", wijk_naam="Centrum", gemeente_code="GM0406",
                                           gemeente_naam="Huizen"))
        for i, (start, end) in enumerate([(dt.date(2024, 3, 1), None), (dt.date(2024, 5, 1), dt.date(2025, 2, 1)),
                                          (dt.date(2025, 6, 1), None)]):
            conn.execute(insert(s.Traject).values(traject_id=f"T{i}", jeugdige_id=f"J{i}", geboortejaar=2012,
                                                  wijk_code="WK01", verwijzer="huisarts", hulpvorm="ambulant",
                                                  startdatum=start, einddatum=end,
                                                  reden_einde="volgens_plan" if end else None))
        summaries.rebuild(conn)  # as the loader does
    assert {r[0] for r in summary_rows(warehouse)} == {2024, 2025}
    value = lambda jaar: compute(warehouse, KpiRequest.for_year("jeugdigen_met_jeugdhulp", jaar, suppress=False)).rows[0].value
    assert [value(2023), value(2024), value(2025), value(2026), value(2030)] == [0, 2, 3, 2, 2]
