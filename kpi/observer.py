"""What a KpiService tells about its cache and its computations, for whoever watches.

kpi/ knows nothing of the dashboard or of Prometheus: the dashboard's metrics
(dashboard/server/metrics.py) subclass `ServiceObserver` and hand an instance to the service.
The default observer ignores everything.

`kind` is "result" (a KPI result; `name` is the KPI id) or "memo" (a value derived from results,
`KpiService.memo`; `name` is the memo's name, one of a few fixed names in the code). Both are
bounded, so they can be labels.
"""
from __future__ import annotations


class ServiceObserver:
    def looked_up(self, kind: str, name: str, hits: int, misses: int) -> None:
        """The cache was asked for `hits + misses` entries of one kind and name."""

    def computed(self, kind: str, name: str, seconds: float) -> None:
        """A miss was computed (a result: its query; a memo: its build, with the results it asked)."""


SILENT = ServiceObserver()
