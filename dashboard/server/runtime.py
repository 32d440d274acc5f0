"""What pages need at request time, set once by app.create_app(): the KPI service.

Kept in one small module instead of globals scattered over pages; tests call `configure()` with a
warehouse of their own and `reset()` afterwards.
"""
from __future__ import annotations

from dataclasses import dataclass

from data.programme.plan import Plan, read_plan
from kpi.service import DataStatus, KpiService


@dataclass
class Runtime:
    engine: object  # the warehouse's SQLAlchemy Engine, handed to data/ and kpi/: the dashboard runs no SQL
    service: KpiService
    public_read: bool = False  # PUBLIC_READ: visitors may read without an account


_current: Runtime | None = None


def configure(engine, store=None, public_read: bool = False, observer=None) -> Runtime:
    """`store`: where KPI results are cached (kpi.cache_store); in the process by default.
    `observer`: told of the service's cache lookups and computations (kpi/observer.py; the metrics)."""
    global _current
    _current = Runtime(engine, KpiService(engine, store=store, observer=observer), public_read)
    return _current


def current() -> Runtime:
    if _current is None:
        raise RuntimeError("dashboard.server.runtime is not configured: call app.create_app() first")
    return _current


def reset() -> None:
    global _current
    _current = None


def service() -> KpiService:
    return current().service


def plan() -> Plan:
    """The programme's plan (name, gemeente, years) for what has no programme at hand (the frame
    around every page): read from the warehouse once per generation — loading a changed programme
    file audits the change, which moves the generation on."""
    return service().memo("plan", (), lambda: read_plan(current().engine))


def data_status(kpi_service: KpiService | None = None) -> DataStatus:
    """The data status of the configured service, read once per request (kept in flask.g): the
    year controls, the checks of the year asked and the page's own notes read one status, however
    often a request asks. Outside a request (a command line, the cache warmer) or for another
    service, that service's own answer."""
    from flask import g, has_request_context

    live = service() if kpi_service is None else kpi_service
    if not has_request_context() or _current is None or live is not _current.service:
        return live.data_status()
    if "jeugdmonitor_data_status" not in g:
        g.jeugdmonitor_data_status = live.data_status()
    return g.jeugdmonitor_data_status


def years_available(kpi_service: KpiService | None = None) -> tuple[range, int]:
    """The years the data covers, and the default: the last complete year of data (of the
    configured service, or of the one given, e.g. by a command-line tool)."""
    from dashboard.ui.state import years_with_data

    return years_with_data(data_status(kpi_service).data_tot)
