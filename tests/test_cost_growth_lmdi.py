"""The arithmetic of kostengroei (kpi/lmdi.py), without a database: each effect alone where the answer
is known by hand, the rules for zeros, and rounding to cents that adds up (hypothesis)."""
import math
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpi.lmdi import Effects, RoundingError, controlled_rounding, group_effects, largest_remainder, summed

ZERO = Decimal(0)


def test_a_pure_volume_change_is_only_volume():
    # twice the jeugdigen, the same share of them in the group, the same kosten per jeugdige
    e = group_effects((100_000, 200_000), (10, 20), (50, 100))
    assert e == Effects(volume=Decimal(100_000), mix=ZERO, intensiteit=ZERO)


def test_a_pure_shift_is_only_mix():
    # as many jeugdigen, the group's share from 10/50 to 15/50, the same kosten per jeugdige
    e = group_effects((100_000, 150_000), (10, 15), (50, 50))
    assert (e.volume, e.intensiteit) == (ZERO, ZERO)
    assert e.mix == Decimal(50_000)


def test_a_pure_price_change_is_only_intensity():
    e = group_effects((100_000, 130_000), (10, 10), (50, 50))
    assert (e.volume, e.mix, e.intensiteit) == (ZERO, ZERO, Decimal(30_000))


def test_lmdi_by_hand():
    # L(150000, 100000) = 50000 / ln 1.5; volume ln(55/50), mix ln((12/55)/(10/50)), intensity ln(12500/10000)
    e = group_effects((100_000, 150_000), (10, 12), (50, 55))
    weight = 50_000 / math.log(1.5)
    assert float(e.volume) == pytest.approx(weight * math.log(55 / 50), rel=1e-13)
    assert float(e.mix) == pytest.approx(weight * math.log((12 / 55) / (10 / 50)), rel=1e-13)
    assert float(e.intensiteit) == pytest.approx(weight * math.log(12_500 / 10_000), rel=1e-13)
    assert abs(sum(e.as_tuple()) - 50_000) < Decimal("1e-30")


def test_equal_kosten_weigh_with_the_kosten_themselves():
    # L(a, a) = a: more jeugdigen, each cheaper, the same kosten — the effects cancel out
    e = group_effects((100_000, 100_000), (10, 20), (50, 100))
    assert float(e.volume) == pytest.approx(100_000 * math.log(2), rel=1e-13)
    assert e.mix == ZERO
    assert float(e.intensiteit) == pytest.approx(-100_000 * math.log(2), rel=1e-13)


@pytest.mark.parametrize("kosten, jeugdigen, totaal, expected", [
    ((0, 50_000), (0, 5), (40, 45), Effects(mix=Decimal(50_000))),          # the group appears
    ((70_000, 0), (7, 0), (40, 45), Effects(mix=Decimal(-70_000))),         # the group vanishes
    ((0, 50_000), (0, 5), (0, 5), Effects(volume=Decimal(50_000))),         # nobody had kosten before
    ((70_000, 0), (7, 0), (7, 0), Effects(volume=Decimal(-70_000))),        # nobody has kosten after
    ((-2_000, 50_000), (3, 5), (40, 45), Effects(intensiteit=Decimal(52_000))),  # corrections exceed declarations
    ((0, 50_000), (3, 5), (40, 45), Effects(intensiteit=Decimal(50_000))),  # corrections cancel out
    ((50_000, -100), (3, 1), (40, 45), Effects(intensiteit=Decimal(-50_100))),
])
def test_zeros_give_the_whole_change_to_the_factor_that_becomes_zero(kosten, jeugdigen, totaal, expected):
    assert group_effects(kosten, jeugdigen, totaal) == expected


def test_the_rule_for_an_appearing_group_is_the_limit_of_lmdi():
    """Ang & Liu (2007): a group whose share goes to zero — its change goes to mix."""
    tiny = group_effects((1, 50_000), (1, 5), (10**9, 45))  # share 1e-9 before, kosten per jeugdige 1 cent
    assert float(tiny.mix) / 50_000 > 0.99


def test_largest_remainder_by_hand():
    assert largest_remainder(10, [Decimal("3.4"), Decimal("3.3"), Decimal("3.3")]) == [4, 3, 3]
    assert largest_remainder(0, [Decimal("-0.5"), Decimal("0.25"), Decimal("0.25")]) == [0, 0, 0]
    assert largest_remainder(1, [Decimal("0.5"), Decimal("0.5"), Decimal(0)]) == [1, 0, 0]  # tie: the first
    # a sum a hair off its whole number (the last digits of 50): the cents are still right
    assert largest_remainder(3, [Decimal("1.0000000000000000000000001"), Decimal(1), Decimal(1)]) == [1, 1, 1]
    assert largest_remainder(3, [Decimal("0.9999999999999999999999999"), Decimal(1), Decimal(1)]) == [1, 1, 1]


def test_controlled_rounding_by_hand():
    table = [[Decimal("0.5"), Decimal("0.5"), ZERO],
             [Decimal("0.3"), Decimal("0.3"), Decimal("0.4")],
             [Decimal("-2.2"), Decimal("1.1"), Decimal("1.1")]]
    columns = largest_remainder(2, [sum(row[k] for row in table) for k in range(3)])
    assert columns == [-1, 2, 1]  # -1.4, 1.9, 1.5
    out = controlled_rounding(table, [1, 1, 0], columns)
    assert [sum(r) for r in out] == [1, 1, 0]
    assert [sum(r[k] for r in out) for k in range(3)] == columns
    assert out[2][0] in (-3, -2) and out[0][2] == 0  # a whole number stays


def test_controlled_rounding_refuses_margins_that_do_not_belong_to_the_table():
    with pytest.raises(RoundingError):
        controlled_rounding([[Decimal("0.5"), Decimal("0.5"), ZERO]], [1], [0, 0, 1])


CENTS = st.integers(-10**9, 10**9)
COUNT = st.integers(0, 400)


@st.composite
def groups(draw):
    """Random groups in two periods (kosten zero or negative included), with totals that hold them."""
    rows = []
    for _ in range(draw(st.integers(1, 12))):
        g0, g1 = draw(COUNT), draw(COUNT)
        c0 = 0 if g0 == 0 else draw(CENTS)
        c1 = 0 if g1 == 0 else draw(CENTS)
        rows.append(((c0, c1), (g0, g1)))
    totals = tuple(max([g[i] for _, g in rows]) + draw(st.integers(0, 300)) for i in (0, 1))
    return rows, totals


@settings(max_examples=300, deadline=None)
@given(groups())
def test_the_effects_add_up_to_the_change_to_the_cent(drawn):
    rows, totals = drawn
    exact = [group_effects(c, g, totals) for c, g in rows]
    changes = [c[1] - c[0] for c, _ in rows]
    for e, change in zip(exact, changes, strict=True):
        assert summed([Effects(volume=x) for x in e.as_tuple()]).volume == change  # exactly
    change = sum(changes)
    columns = summed(exact).as_tuple()
    effects = largest_remainder(change, columns)
    assert sum(effects) == change
    assert all(abs(cents - x) < 1 for cents, x in zip(effects, columns, strict=True))
    cells = controlled_rounding([e.as_tuple() for e in exact], changes, effects)
    assert [sum(r) for r in cells] == changes
    assert [sum(r[k] for r in cells) for k in range(3)] == effects
    for row, e in zip(cells, exact, strict=True):
        assert all(abs(cents - x) < 1 for cents, x in zip(row, e.as_tuple(), strict=True))
