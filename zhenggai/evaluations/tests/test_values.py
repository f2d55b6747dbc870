"""Periods: labels, bounds, and the keys a URL may carry."""

from datetime import date

import pytest

from zhenggai.evaluations.values import Period, parse_period, period_of


def test_a_quarter_has_its_label_end_and_previous():
    period = period_of(date(2026, 12, 3), 3)
    assert period.label == "2026年第四季度" and period.end == date(2026, 12, 31)
    assert period.previous() == Period(date(2026, 7, 1), 3)
    assert parse_period(period.key) == period


@pytest.mark.parametrize(
    "key", ["", "x", "2026-10-02+3", "2026-10-01+5", "0001-01-01+1", "9999-12-01+1", "2026-13-01+1"]
)
def test_keys_naming_no_period_we_hold_give_none(key):
    assert parse_period(key) is None
