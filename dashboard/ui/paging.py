"""One page of a long breakdown. Pure.

At one gemeente a breakdown has a few dozen groups; at regional or national scale a breakdown by
wijk or school has thousands. Drawing a bar and a table row for each made a page heavy to build
(seconds on the server) and unreadable on screen, so such a breakdown is shown a page at a time —
the chart and the table show the same groups — and the CSV/Excel download holds all of them.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Sequence, TypeVar

from dashboard.ui.group_labels import distinct_labels
from kpi import format as fmt

PAGE_SIZE = 40  # more than any breakdown of one gemeente (Huizen: 14 wijken, ~25 scholen)

T = TypeVar("T")


@dataclass(frozen=True)
class Page:
    rows: tuple
    number: int        # 1-based, after clamping
    count: int         # number of pages (≥ 1)
    first: int         # 1-based position of the first row shown (0 when there are no rows)
    last: int          # position of the last row shown
    total: int         # rows in the whole breakdown
    asked: int         # the page the URL asked for

    @property
    def paged(self) -> bool:
        return self.count > 1

    @property
    def clamped(self) -> bool:
        return self.asked != self.number


def paginate(rows: Sequence[T], asked: int, size: int = PAGE_SIZE) -> Page:
    """The `asked` page of `rows` (already in display order); a page past the end shows the last."""
    total = len(rows)
    count = max(1, -(-total // size))
    number = min(max(1, asked), count)
    start = (number - 1) * size
    shown = tuple(rows[start:start + size])
    return Page(shown, number, count, start + 1 if shown else 0, start + len(shown), total, asked)


def breakdown_page(rows: Sequence, asked: int) -> Page:
    """A breakdown's groups in display order (largest value first, shielded groups last), paged."""
    return paginate(sorted(rows, key=lambda r: (r.suppressed, -(r.value or 0))), asked)


def shown_page(rows: Sequence, asked: int, places) -> Page:
    """The breakdown's page as it is shown: `breakdown_page`, its names told apart
    (dashboard.ui.group_labels; `places()` gives the gemeente of a wijk or school)."""
    page = breakdown_page(rows, asked)
    return replace(page, rows=tuple(distinct_labels(page.rows, rows, places)))


def range_text(page: Page) -> str:
    """' (41–80 van 5.600, hoogste eerst)' for a paged breakdown, '' when it fits one page."""
    if not page.paged:
        return ""
    return f" ({fmt.number(page.first)}–{fmt.number(page.last)} van {fmt.number(page.total)}, hoogste eerst)"
