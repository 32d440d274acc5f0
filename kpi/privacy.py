"""Suppression of small numbers (contract: kpi-definitions.md, "Small numbers").

Always applied before a result leaves kpi/, so no screen, export or API can bypass it; only the
command line's --no-suppress (direct database access) switches it off.
"""
from __future__ import annotations

from typing import Sequence

from kpi.result import KpiRow, key_order


def suppress(groups: Sequence[KpiRow], threshold: int, breakdown: bool) -> list[KpiRow]:
    """Apply the primary and secondary rule to the rows of one sub-period.

    Primary: n below the threshold. Secondary (breakdowns only): when exactly one group is
    suppressed by the primary rule and at least one other group is shown, the shown group with
    the smallest n (ties: the first key in key order, the empty group first) is hidden too, so
    the hidden value cannot be recovered from the total.
    """
    hidden = [row.n is None or row.n < threshold for row in groups]
    if breakdown and sum(hidden) == 1 and not all(hidden):
        shown = [(row.n, key_order(row.key), i) for i, row in enumerate(groups) if not hidden[i]]
        hidden[min(shown)[2]] = True
    return [row._replace(value=None, n=None, suppressed=True) if hide else row
            for row, hide in zip(groups, hidden)]
