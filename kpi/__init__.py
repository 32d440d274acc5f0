"""The KPI catalogue and the query layer (no Dash here).

    from kpi import KpiRequest, compute
    result = compute(engine, KpiRequest("instroom", van, tot, by="wijk"))
"""
from kpi.catalogue import AXES, AXIS_NAMES, CATALOGUE, KPIS, RICHTING_NAMEN, Kpi, kpis_shown
from kpi.computation import compute
from kpi.dimensions import DIMENSIONS
from kpi.request import KpiRequest, KpiRequestError
from kpi.result import KpiResult, KpiRow

__all__ = ["AXES", "AXIS_NAMES", "CATALOGUE", "DIMENSIONS", "KPIS", "RICHTING_NAMEN", "Kpi", "kpis_shown", "KpiRequest",
           "KpiRequestError", "KpiResult", "KpiRow", "compute"]
