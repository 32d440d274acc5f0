"""Group names that tell groups apart on the screen. Pure (the places are passed in).

The contract labels a wijk or school group by its own name, and names repeat across gemeenten
("Centrum", "De Regenboog"): in a regional or national warehouse a chart would draw two such groups
as one bar and a table would show two identical rows. On the screen a repeated name therefore
gets its gemeente — "Centrum (Blaricum)" — and, should that still repeat, its code as well.
"""
from __future__ import annotations

from collections import Counter
from typing import Callable, Mapping, Sequence

from kpi.result import KpiRow


def distinct_labels(shown: Sequence[KpiRow], all_rows: Sequence[KpiRow],
                    places: Callable[[], Mapping[str, str]]) -> list[KpiRow]:
    """`shown` (a page of `all_rows`) with every label that repeats within `all_rows` made unique.
    `places()` gives {group key: gemeente naam}; it is only called when a name repeats."""
    counts = Counter(row.label for row in all_rows)
    if all(counts[row.label] == 1 for row in shown):
        return list(shown)
    place = places()

    def with_place(row: KpiRow) -> str:
        if counts[row.label] == 1 or row.key is None:
            return row.label
        return f"{row.label} ({place[row.key]})" if row.key in place else f"{row.label} · {row.key}"

    named = Counter(with_place(row) for row in all_rows if counts[row.label] > 1)
    relabelled = []
    for row in shown:
        label = with_place(row)
        if named[label] > 1 and row.key is not None:
            label = f"{label} · {row.key}"  # the same name in the same gemeente
        relabelled.append(row if label == row.label else row._replace(label=label))
    return relabelled
