"""Built PDF reports, kept for a few minutes: the same report is built once, however many ask.

A report takes seconds to build. When raadsleden click "Rapport (PDF)" together (before a
meeting, from the same e-mail), the second request waits for the first build and gets its PDF
instead of building it again. The key holds what the report depends on — the warehouse
generation (any load or edit moves it), the year, the stand — so a kept PDF is never stale; the
time limit only bounds memory. One cache per app (report_route keeps it on the Flask app), so per
process: gunicorn's workers each keep their own.
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Callable, Hashable

TTL_SECONDS = 600.0
MAX_REPORTS = 8  # ~0.4 MB each


class ReportCache:
    def __init__(self, ttl: float = TTL_SECONDS, size: int = MAX_REPORTS,
                 clock: Callable[[], float] = time.monotonic):
        self.ttl, self.size, self.clock = ttl, size, clock
        self._guard = threading.Lock()
        self._kept: OrderedDict[Hashable, tuple[float, bytes]] = OrderedDict()
        self._building: dict[Hashable, list] = {}  # key → [lock, number of requests using it]

    def get(self, key: Hashable, build: Callable[[], bytes]) -> bytes:
        """The kept PDF of `key`, or the one `build()` makes — one build per key at a time."""
        with self._guard:
            entry = self._building.setdefault(key, [threading.Lock(), 0])
            entry[1] += 1
        try:
            with entry[0]:  # a second request for the key waits here for the first build
                pdf = self._fresh(key)
                if pdf is None:
                    pdf = build()
                    self._keep(key, pdf)
                return pdf
        finally:
            with self._guard:
                entry[1] -= 1
                if entry[1] == 0:
                    del self._building[key]

    def _fresh(self, key: Hashable) -> bytes | None:
        with self._guard:
            found = self._kept.get(key)
            if found is None:
                return None
            if self.clock() - found[0] > self.ttl:
                del self._kept[key]
                return None
            return found[1]

    def _keep(self, key: Hashable, pdf: bytes) -> None:
        with self._guard:
            now = self.clock()
            self._kept[key] = (now, pdf)
            self._kept.move_to_end(key)
            for old in [k for k, (made, _) in self._kept.items() if now - made > self.ttl]:
                del self._kept[old]
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)

