"""Built statements kept for reuse, bounded by their size.

Every request of one shape (kpi/query.py `main_query`) runs the same statement object, so
SQLAlchemy reuses its cache key and its compiled SQL instead of traversing and compiling it again;
building a trend of 120 months' branches took longer than running it on small data. Statements
differ a hundredfold in size — a year's view is one SELECT, a ten-year trend per month 120 of them —
so the bound counts SELECT branches (~12 KB each, measured with tracemalloc over a load's stored
totals), not statements: the least recently used go first when the branches kept exceed the budget.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Callable, Hashable

#: at most ~50 MB per process. A load's stored totals of ten years (kpi/totals.py) are ~2,150
#: branches: a second rebuild in one process, and the views beside it, find theirs.
MAX_BRANCHES = 4000


class StatementCache:
    """{shape: statement}, least recently used evicted first once the branches exceed `max_branches`
    (a statement larger than the budget is still returned, and kept until the next one comes)."""

    def __init__(self, max_branches: int = MAX_BRANCHES):
        self.max_branches = max_branches
        self._entries: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._branches = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable, branches: int, build: Callable[[], Any]) -> Any:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
                return entry[0]
        built = build()  # outside the lock: two threads asking one new shape each build it once
        with self._lock:
            if key not in self._entries:
                self._entries[key] = (built, branches)
                self._branches += branches
                while self._branches > self.max_branches and len(self._entries) > 1:
                    _key, (_statement, size) = self._entries.popitem(last=False)
                    self._branches -= size
        return built

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._branches = 0

    @property
    def branches(self) -> int:
        return self._branches

    def __len__(self) -> int:
        return len(self._entries)
