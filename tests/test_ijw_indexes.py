"""The iJw KPIs read their own partial indexes (data/warehouse/schema.py): in a warehouse loaded from
CSV files no traject has a verzoek or an ingangsdatum, and a request of such a KPI must then be
answered from an empty index instead of by a scan of the period's trajecten."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import insert

from data.warehouse.schema import Traject, Wijk
from kpi import CATALOGUE, KpiRequest
from kpi.query import main_query, plan_for
from kpi.request import resolve

IJW_KPIS = sorted(kpi.id for kpi in CATALOGUE.values() if kpi.alleen_berichtenverkeer)
INDEX = {"gem_doorlooptijd_verzoek": "ix_trajecten_verzoek", "pct_toewijzing_binnen_norm": "ix_trajecten_verzoek",
         "gem_doorlooptijd_start": "ix_trajecten_ingang"}


def test_every_ijw_kpi_has_its_index():
    assert sorted(INDEX) == IJW_KPIS


def _plan(conn, request: KpiRequest) -> str:
    resolved = resolve(request)
    statement, _names, parameters = main_query(resolved, plan_for(conn, resolved))
    compiled = statement.compile(dialect=conn.dialect)
    values = compiled.construct_params(parameters)
    return "\n".join(row[0] for row in conn.exec_driver_sql("EXPLAIN " + str(compiled), values))


@pytest.mark.parametrize("by", [None, "wijk"])
def test_without_the_berichtenverkeer_an_ijw_kpi_reads_its_empty_index(warehouse, by):
    """On PostgreSQL, which knows the index is empty. (SQLite, the embedded default of one
    gemeente, has the index too, but its planner does not weigh a partial index's size.)"""
    if warehouse.dialect.name == "sqlite":
        pytest.skip("SQLite's planner does not weigh a partial index's size; the national scale is PostgreSQL's")
    start = dt.date(2019, 1, 1)
    with warehouse.begin() as conn:
        conn.execute(insert(Wijk), [{"wijk_code": f"WK{i}", "wijk_naam": f"Wijk {i}", "gemeente_code": "GM0406",
                                     "gemeente_naam": "Huizen"} for i in range(20)])
        conn.execute(insert(Traject), [
            {"traject_id": f"T{i}", "jeugdige_id": f"J{i // 2}", "geboortejaar": 2012, "wijk_code": f"WK{i % 20}",
             "verwijzer": "huisarts", "hulpvorm": "ambulant", "startdatum": start + dt.timedelta(days=i % 2500)}
            for i in range(20_000)])
        conn.exec_driver_sql("ANALYZE trajecten, wijken")  # these two: a bare ANALYZE reads every schema in the database
    with warehouse.connect() as conn:
        for kpi_id in IJW_KPIS:
            plan = _plan(conn, KpiRequest(kpi_id, dt.date(2025, 1, 1), dt.date(2025, 12, 31), by=by))
            assert INDEX[kpi_id] in plan, f"{kpi_id}:\n{plan}"
