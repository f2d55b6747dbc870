from decimal import Decimal

from zhenggai.assessments import scoring
from zhenggai.assessments.values import TieRule

D = Decimal


def test_ties_share_a_place_as_the_scheme_says():
    totals = {1: D(98), 2: D(95), 3: D(95), 4: D(90)}
    assert scoring.ranks(totals, TieRule.COMPETITION) == {1: 1, 2: 2, 3: 2, 4: 4}
    assert scoring.ranks(totals, TieRule.DENSE) == {1: 1, 2: 2, 3: 2, 4: 3}


def test_units_tied_at_the_edge_of_a_list_are_all_on_it():
    totals = {1: D(98), 2: D(95), 3: D(90), 4: D(90)}
    assert scoring.within_bottom(totals, 1) == {3, 4}
    assert scoring.lists(totals, 1) == ({1}, {3, 4})


def test_a_group_all_tied_has_no_lists_and_no_last_place():
    totals = dict.fromkeys(range(1, 5), D(100))
    assert scoring.lists(totals, 1) == (set(), set())
    assert scoring.within_bottom(totals, 1) == set()


def test_a_bottom_as_large_as_the_group_leaves_the_first_out():
    totals = {1: D(98), 2: D(95), 3: D(90)}
    assert scoring.within_bottom(totals, 5) == {2, 3}
