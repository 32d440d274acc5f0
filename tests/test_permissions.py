"""data.accounts.permissions: the pure rules, for every role, own/other maatregel, lijn-level indicators
(maatregel None), locked/unlocked periods and visitors (None)."""
from __future__ import annotations

import pytest

from data.accounts.permissions import (
    PermissionDenied,
    is_manager,
    may_edit_maatregel,
    may_read,
    require_edit,
    require_manager,
    sees_unlocked_periods,
)
from tests.beheer_support import ANNA, BOB, MANAGER, RAAD

OWN, OTHER, LIJN = "L1.1", "L2.1", None  # ANNA's maatregel, BOB's, a lijn-level indicator

# (user, maatregel) → may edit while the period is open
EXPECTED = {
    ("manager", OWN): True, ("manager", OTHER): True, ("manager", LIJN): True,
    ("trekker", OWN): True, ("trekker", OTHER): False, ("trekker", LIJN): False,
    ("lezer", OWN): False, ("lezer", OTHER): False, ("lezer", LIJN): False,
    ("visitor", OWN): False, ("visitor", OTHER): False, ("visitor", LIJN): False,
}
USERS = {"manager": MANAGER, "trekker": ANNA, "lezer": RAAD, "visitor": None}


@pytest.mark.parametrize("who,maatregel", list(EXPECTED))
def test_may_edit_maatregel(who, maatregel):
    assert may_edit_maatregel(USERS[who], maatregel) is EXPECTED[(who, maatregel)]


@pytest.mark.parametrize("locked", [False, True])
@pytest.mark.parametrize("who,maatregel", list(EXPECTED))
def test_require_edit(who, maatregel, locked):
    user = USERS[who]
    allowed = EXPECTED[(who, maatregel)] and not locked  # a locked period: nobody, not even the manager
    if allowed:
        assert require_edit(user, maatregel, locked=locked) is None
        return
    with pytest.raises(PermissionDenied) as caught:
        require_edit(user, maatregel, locked=locked)
    message = str(caught.value)
    if user is None:
        assert message == "Log eerst in om iets te wijzigen."
    elif not EXPECTED[(who, maatregel)] and maatregel is None:  # a lijn's indicator: no "maatregel None"
        assert "hoort bij een strategische lijn" in message and "None" not in message
    elif not EXPECTED[(who, maatregel)]:
        assert f"geen trekker van maatregel {maatregel}" in message
    elif who == "manager":  # she can unlock it herself: told where, not to ask the programmamanager
        assert message == "Deze periode is vastgesteld; ontgrendel haar eerst op de pagina Beheer (met een reden)."
    else:
        assert "vastgesteld" in message and "alleen de programmamanager kan haar ontgrendelen" in message


def test_a_trekker_of_one_maatregel_is_not_trekker_of_another():
    assert may_edit_maatregel(BOB, "L2.1") and not may_edit_maatregel(BOB, "L1.1")
    assert not may_edit_maatregel(BOB, "L2.10")  # no prefix matching


def test_maatregelen_of_a_non_trekker_give_no_right():
    # A lezer who still has assignments (e.g. after a role change) may not edit them.
    from data.accounts.users import User

    former = User(9, "oud", "Oud-trekker", "lezer", frozenset({"L1.1"}))
    assert not may_edit_maatregel(former, "L1.1")
    with pytest.raises(PermissionDenied):
        require_edit(former, "L1.1")


@pytest.mark.parametrize("who,expected", [("manager", True), ("trekker", False), ("lezer", False),
                                          ("visitor", False)])
def test_manager_only(who, expected):
    user = USERS[who]
    assert is_manager(user) is expected
    if expected:
        assert require_manager(user) is None
    else:
        with pytest.raises(PermissionDenied, match="Log eerst in" if user is None else "Alleen de programmamanager"):
            require_manager(user)


@pytest.mark.parametrize("who", list(USERS))
@pytest.mark.parametrize("public_read", [False, True])
def test_may_read(who, public_read):
    assert may_read(USERS[who], public_read) is (who != "visitor" or public_read)


@pytest.mark.parametrize("who,expected", [("manager", True), ("trekker", True), ("lezer", False),
                                          ("visitor", False)])
def test_only_editors_see_unlocked_periods(who, expected):
    assert sees_unlocked_periods(USERS[who]) is expected
