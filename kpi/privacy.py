"""Disclosure control of small numbers (contract: kpi-definitions.md, "Small numbers", version 2).

Applied inside kpi/ before a result leaves it, so no screen, export, API or frozen stand can bypass
it; only the command line's --no-suppress (direct database access) switches it off. The rules,
per sub-period and in this order:

1. primary: a row whose n is below the threshold T is suppressed;
2. secondary (breakdowns only): when exactly one group is suppressed by rule 1 and another is
   shown, the shown group with the smallest n (ties: the first key, the empty group first) too;
3. linked requests: for every filter D=v, a row is also suppressed when group v is suppressed by
   rules 1–2 in the *linked breakdown* — the same KPI and sub-period by D, with the request's other
   filters and (with a breakdown by B) the row's own group B=b — so a group hidden in a breakdown
   stays hidden when asked for on its own;
4. rounding: in a detailed request (a breakdown, or a filter on anything but gemeente) every shown
   n, and the value of a count KPI (eenheid `aantal`), is rounded to the nearest multiple of the
   base B, so subtracting views never pins a small number exactly.

This module holds the rules on plain rows; the linked breakdowns' counts come from the query layer
(kpi/query.py: `linked_counts`).
"""
from __future__ import annotations

from typing import Hashable, Mapping, Sequence

from kpi.result import KpiRow, key_order

Key = str | None
#: rule 3's verdicts for one sub-period: per filter dimension D, per row key b (None without a
#: breakdown), the groups of D that rules 1–2 hide in the linked breakdown
LinkedHidden = Mapping[str, Mapping[Key, frozenset]]

#: the eenheid of the KPIs whose value is a count of children or trajecten (rule 4 rounds it)
COUNT_UNIT = "aantal"


def hidden_by_rules_1_2(counts: Sequence[tuple[Key, int | None]], threshold: int, breakdown: bool) -> list[bool]:
    """Which of the groups (key, exact n) rules 1 and 2 hide; `counts` in any order."""
    hidden = [n is None or n < threshold for _, n in counts]
    if breakdown and sum(hidden) == 1 and not all(hidden):
        shown = [(n, key_order(key), i) for i, (key, n) in enumerate(counts) if not hidden[i]]
        hidden[min(shown)[2]] = True
    return hidden


def hidden_groups(counts: Mapping[Key, int], threshold: int) -> frozenset:
    """The groups of a linked breakdown that rules 1–2 hide (rule 3 judges it by these only)."""
    items = list(counts.items())
    hidden = hidden_by_rules_1_2(items, threshold, True)
    return frozenset(key for (key, _), hide in zip(items, hidden, strict=True) if hide)


def round_to_base(count: int, base: int) -> int:
    """The nearest multiple of `base`; a remainder below base/2 rounds down, else up (12 → 10 and
    13 → 15 with base 5)."""
    remainder = count % base
    return count - remainder + (base if 2 * remainder >= base else 0)


def suppress(groups: Sequence[KpiRow], threshold: int, breakdown: bool) -> list[KpiRow]:
    """Rules 1–2 on the rows of one sub-period."""
    hidden = hidden_by_rules_1_2([(row.key, row.n) for row in groups], threshold, breakdown)
    return [_withheld(row) if hide else row for row, hide in zip(groups, hidden, strict=True)]


def protect(rows: Sequence[KpiRow], *, threshold: int, base: int, breakdown: bool, detailed: bool,
            where: Sequence[tuple[str, Key]], linked: LinkedHidden, count_value: bool) -> list[KpiRow]:
    """Rules 1–4 on the exact rows of one sub-period (key order). `where`: the request's filters;
    `linked`: rule 3's verdicts for them; `count_value`: the KPI's value is a count (rule 4)."""
    hidden = hidden_by_rules_1_2([(row.key, row.n) for row in rows], threshold, breakdown)
    for dimension, value in where:
        verdicts = linked.get(dimension)
        if verdicts is None:  # a filter whose linked breakdown cannot hide more (see linked_dimensions)
            continue
        for i, row in enumerate(rows):
            if value in verdicts.get(row.key if breakdown else None, frozenset()):
                hidden[i] = True
    out = []
    for row, hide in zip(rows, hidden, strict=True):
        if hide:
            out.append(_withheld(row))
        elif detailed and base > 1:
            value = round_to_base(row.value, base) if count_value and row.value is not None else row.value
            out.append(row._replace(n=round_to_base(row.n, base), value=value))
        else:
            out.append(row)
    return out


def linked_dimensions(by: str | None, where: Sequence[tuple[str, Key]]) -> list[str]:
    """The filter dimensions whose linked breakdown rule 3 must consult. A filter on the
    breakdown's own dimension is left out: its linked breakdown, restricted to the row's own group,
    holds that one group with the row's own n, so rules 1–2 there say exactly what rule 1 said."""
    return [dimension for dimension, _ in where if dimension != by]


def _withheld(row: KpiRow) -> KpiRow:
    return row._replace(value=None, n=None, suppressed=True)


def verdicts_by_period(counts: Mapping[tuple[int, Key], Mapping[Hashable, int]], threshold: int
                       ) -> dict[int, dict[Key, frozenset]]:
    """{sub-period index: {row key b: hidden groups}} from the linked breakdown's exact counts
    {(index, b): {group: n}}."""
    out: dict[int, dict[Key, frozenset]] = {}
    for (idx, outer), groups in counts.items():
        out.setdefault(idx, {})[outer] = hidden_groups(groups, threshold)
    return out


# --- the rules in words (screens, exports, reports: one wording everywhere) ---------------------

def small_numbers_line(threshold: int, with_manual: bool = True) -> str:
    """The small-number line in one sentence, as every screen, export, report, slide and frozen
    stand prints it: what `<T` covers — the KPIs, computed here from the warehouse — and that the
    programme's manual figures (entered by a trekker, vastgesteld by the programmamanager; they
    never pass through this layer) are shown as entered, however small. `<T` means fewer than T
    jeugdigen or answers, also beside a mean or a rapportcijfer (a "<10" there is no mark).
    `with_manual=False`: a view that shows KPIs only (explorer, cost growth, forecast,
    berichtenverkeer) has no manual figure to speak of, so the line stops after the KPIs."""
    kpis = (f"Cijfers die de Jeugdmonitor berekent uit de jeugdhulpregistratie (de KPI's) staan als "
            f"<{threshold} wanneer ze op minder dan {threshold} jeugdigen of antwoorden rusten")
    if not with_manual:
        return kpis + "."
    return (kpis + "; cijfers die het programma zelf invoert en vaststelt (handmatige indicatoren) staan "
            f"zoals ze zijn ingevoerd, ook als ze kleiner zijn dan {threshold}.")


#: the line in a few words, for a page footer
SMALL_NUMBERS_TAG = "kleine aantallen in de KPI's afgeschermd"


def suppressed_meaning(threshold: int) -> str:
    """What `<T` beside a value means (a screen's tooltip on it): the people it rests on, not the
    value — a rapportcijfer shown as <10 is no mark under 10."""
    return f"afgeschermd: rust op minder dan {threshold} jeugdigen of antwoorden"


def explain_suppression(threshold: int, with_manual: bool = False) -> str:
    """The line and why (the screens' note); `with_manual` for a view that shows manual figures."""
    return (small_numbers_line(threshold, with_manual) + " Ook een KPI-waarde waaruit zo'n waarde terug te rekenen "
            "is, tonen we niet, zodat geen kind of gezin herkenbaar wordt. Deze drempel is een keuze van "
            "de gemeente, geen landelijke norm.")


def multiples(base: int) -> str:
    return {5: "vijftallen", 10: "tientallen"}.get(base, f"veelvouden van {base}")


def explain_rounding(base: int) -> str:
    """Rule 4 in one sentence (empty when the base is 1: nothing is rounded)."""
    if base <= 1:
        return ""
    return (f"Aantallen in een uitsplitsing of met een filter zijn afgerond op {multiples(base)}, zodat "
            "niemand een afgeschermd aantal kan terugrekenen door weergaven van elkaar af te trekken; "
            "percentages, gemiddelden, bedragen en dagen zijn exact berekend.")
