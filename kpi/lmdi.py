"""The arithmetic of "kostengroei verklaard": an additive LMDI-I decomposition of a change in costs
into a volume, a mix and an intensity effect, and rounding to cents that still adds up.

Per group i (a hulpvorm, by default) and period t (0 the earlier, 1 the later):

    C_i = N · (N_i / N) · (C_i / N_i)

with C_i the group's kosten, N_i its jeugdigen with kosten and N all jeugdigen with kosten (distinct;
a jeugdige in two groups counts in both, so the shares N_i / N may add up to more than 1 — the
identity holds per group all the same). LMDI-I (Ang 2004, "Decomposition analysis for policymaking
in energy") gives each group's change C_i¹ − C_i⁰ as the sum of

    volume      = L(C_i¹, C_i⁰) · ln(N¹ / N⁰)
    mix         = L(C_i¹, C_i⁰) · ln(s_i¹ / s_i⁰)           s_i = N_i / N
    intensiteit = L(C_i¹, C_i⁰) · ln(I_i¹ / I_i⁰)           I_i = C_i / N_i

with the logarithmic mean L(a, b) = (a − b) / (ln a − ln b), L(a, a) = a. The three logarithms add up
to ln(C_i¹ / C_i⁰), so the effects add up to the change exactly (no residual term).

The logarithms need positive numbers. Where a factor is zero the effect is its limit as that
factor goes to zero (Ang & Liu 2007, "Handling zero values in the LMDI decomposition approach"):
the whole change goes to the factor that becomes zero.
- No jeugdigen with kosten at all in one period (N = 0): every group's change is **volume**.
- A group without jeugdigen in one period (it appears or vanishes, N_i = 0): its change is **mix** —
  a shift into or out of that group.
- A group whose kosten in one period are zero or negative while it has jeugdigen (corrections that
  cancel or exceed the declarations): its change is **intensiteit**, the kosten per jeugdige being
  what is zero or below it. (For a negative amount LMDI has no limit to take; this keeps the rule.)

Everything is computed in Decimal at 50 significant digits from exact ratios and kept to 10⁻³⁰ cent;
a ratio that is exactly 1 has a logarithm of exactly 0, and the effect with the largest logarithm
is what the other two leave of the change: the three add up to it exactly, and a pure volume change
is exactly the change in volume and nothing else.
Rounding: the three totals by largest remainder to whole cents that add up to the change; the
table of groups × effects by controlled rounding (each cell to the cent below or above it) so that
every row adds up to its group's change and every column to its total.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal, localcontext
from fractions import Fraction
from typing import Iterable, Sequence

PRECISION = 50
#: effects are kept to 10⁻³⁰ cent: amounts below 10¹⁶ cents then fit the precision whole, so sums of
#: effects are exact
QUANTUM = Decimal("1e-30")
ZERO = Decimal(0)
#: an exact effect lies within this many cents of a whole number only through the precision's
#: last digits (amounts of at most 10¹⁵ cents at 50 digits): it is that whole number
SNAP = Decimal("1e-12")


def _precise(function):
    """Run in a decimal context of PRECISION digits (the default, 28, rounds sums of large amounts
    at 10⁻¹³ cents)."""
    @functools.wraps(function)
    def run(*args, **kwargs):
        with localcontext() as ctx:
            ctx.prec = PRECISION
            return function(*args, **kwargs)
    return run


@dataclass(frozen=True)
class Effects:
    """One group's (or a sum of groups') effects in cents, unrounded."""
    volume: Decimal = ZERO
    mix: Decimal = ZERO
    intensiteit: Decimal = ZERO

    @_precise
    def __add__(self, other: "Effects") -> "Effects":
        return Effects(self.volume + other.volume, self.mix + other.mix, self.intensiteit + other.intensiteit)

    def as_tuple(self) -> tuple[Decimal, Decimal, Decimal]:
        return (self.volume, self.mix, self.intensiteit)


def _ln(ratio: Fraction) -> Decimal:
    """ln of a positive ratio; exactly 0 for a ratio of exactly 1."""
    if ratio == 1:
        return ZERO
    return (Decimal(ratio.numerator) / Decimal(ratio.denominator)).ln()


@_precise
def group_effects(kosten: tuple[int, int], jeugdigen: tuple[int, int], totaal: tuple[int, int]) -> Effects:
    """The effects of one group: its kosten in cents, its jeugdigen and all jeugdigen, each as
    (earlier, later)."""
    (c0, c1), (g0, g1), (n0, n1) = kosten, jeugdigen, totaal
    change = Decimal(c1 - c0)
    if n0 == 0 or n1 == 0:
        return Effects(volume=change)
    if g0 == 0 or g1 == 0:
        return Effects(mix=change)
    if c0 <= 0 or c1 <= 0:
        return Effects(intensiteit=change)
    weight = Decimal(c0) if c0 == c1 else change / _ln(Fraction(c1, c0))
    logs = [_ln(Fraction(n1, n0)), _ln(Fraction(g1 * n0, g0 * n1)), _ln(Fraction(c1 * g0, c0 * g1))]
    # Kept to QUANTUM, the effect of the largest logarithm being what the other two leave of the
    # change: they add up exactly (and so do sums of groups, all within the precision), and an
    # effect whose ratio is exactly 1 stays exactly 0 (one factor's change alone is all its effect).
    effects = [(weight * log).quantize(QUANTUM) for log in logs]
    largest = max(range(3), key=lambda k: abs(logs[k]))
    effects[largest] = change - sum(e for k, e in enumerate(effects) if k != largest)
    return Effects(*effects)


@_precise
def summed(effects: Iterable[Effects]) -> Effects:
    """The sum of several groups' effects."""
    out = Effects()
    for e in effects:
        out = out + e
    return out


def _snapped(value: Decimal) -> Decimal:
    whole = value.to_integral_value()
    return whole if abs(value - whole) < SNAP else value


def _floor(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_FLOOR))


@_precise
def largest_remainder(total: int, parts: Sequence[Decimal]) -> list[int]:
    """Whole numbers, each the one just below or above its part, adding up to `total` (the parts'
    exact sum): the cents left over go to the largest remainders (ties: the first part)."""
    parts = [_snapped(p) for p in parts]
    out = [_floor(p) for p in parts]
    missing = total - sum(out)
    order = sorted(range(len(parts)), key=lambda i: (-(parts[i] - out[i]), i))
    if missing < 0:  # only from a sum a hair above `total`: take back from the smallest remainders
        order.reverse()
    for j in range(abs(missing)):
        out[order[j % len(order)]] += 1 if missing > 0 else -1
    return out


class RoundingError(ArithmeticError):
    """No controlled rounding exists (the margins do not belong to the table)."""


@_precise
def controlled_rounding(table: Sequence[Sequence[Decimal]], row_totals: Sequence[int],
                        column_totals: Sequence[int]) -> list[list[int]]:
    """Every cell to the whole number just below or above it (a whole number stays), so that row j
    adds up to `row_totals[j]` and column k to `column_totals[k]`. The row totals are the rows'
    exact sums, the column totals the largest-remainder rounding of the columns' sums.

    For three columns such a rounding always exists. It is a transportation problem: row j must
    place d_j = Σ_k f_jk units (f: the cells' fractions) in its cells with a fraction, column k must
    receive e_k, its sum of fractions φ_k rounded down or up. By Gale's theorem it is feasible when
    every set K of columns asks at most M(K) = Σ_j min(d_j, #{k ∈ K: f_jk > 0}) units. The fractions
    themselves give Σ_K φ_k ≤ M(K), an integer, so it suffices that Σ_K e_k ≤ ⌈Σ_K φ_k⌉. Largest
    remainder rounds up u = Σ_k frac(φ_k) ∈ {0, 1, 2} columns, those with the largest fractions:
    K holding one of them has Σ_K frac(φ_k) > 0; K holding both (u = 2: the three fractions add up
    to 2) has Σ_K frac(φ_k) ≥ 4/3 > 1. (With four columns it can fail: four halves.)

    A flow: each row takes its missing units (row total − Σ floors) from its cells with a fraction,
    greedily the largest fractions first; then a column with a unit too many passes one to a column
    with too few along a path of rows, each giving up a unit in one column for one in another
    (breadth-first over the columns), until every column is right."""
    cells = [[_snapped(x) for x in row] for row in table]
    floors = [[_floor(x) for x in row] for row in cells]
    fraction = [[x - f for x, f in zip(row, frow, strict=True)] for row, frow in zip(cells, floors, strict=True)]
    width = len(column_totals)
    chosen = []
    for j, (row, frow) in enumerate(zip(fraction, floors, strict=True)):
        need = row_totals[j] - sum(frow)
        open_cells = sorted((k for k in range(width) if row[k] > 0), key=lambda k: (-row[k], k))
        if not 0 <= need <= len(open_cells):
            raise RoundingError(f"rij {j}: {need} eenheden voor {len(open_cells)} cellen")
        chosen.append(set(open_cells[:need]))
    surplus = [sum(k in c for c in chosen) + sum(frow[k] for frow in floors) - column_totals[k] for k in range(width)]
    while any(s > 0 for s in surplus):
        path = _transfer_path(fraction, chosen, surplus, width)
        if path is None:
            raise RoundingError(f"geen afronding met kolomtotalen {list(column_totals)}")
        for row, give, take in path:
            chosen[row].remove(give)
            chosen[row].add(take)
        surplus[path[0][1]] -= 1
        surplus[path[-1][2]] += 1
    return [[f + (k in c) for k, f in enumerate(frow)] for frow, c in zip(floors, chosen, strict=True)]


def _transfer_path(fraction, chosen, surplus, width) -> list[tuple[int, int, int]] | None:
    """(row, column given up, column taken) steps from a column with a surplus to one short of
    units, or None. Each step uses the row that loses the least fraction doing so."""
    start = [k for k in range(width) if surplus[k] > 0]
    came_from: dict[int, tuple[int, int, int] | None] = {k: None for k in start}
    queue = list(start)
    while queue:
        here = queue.pop(0)
        for there in range(width):
            if there in came_from:
                continue
            movable = [j for j, c in enumerate(chosen)
                       if here in c and there not in c and fraction[j][there] > 0]
            if not movable:
                continue
            row = min(movable, key=lambda j: (fraction[j][here] - fraction[j][there], j))
            came_from[there] = (row, here, there)
            if surplus[there] < 0:
                path = []
                step = came_from[there]
                while step is not None:
                    path.append(step)
                    step = came_from[step[1]]
                return path[::-1]
            queue.append(there)
    return None
