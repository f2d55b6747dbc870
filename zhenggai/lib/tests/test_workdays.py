from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhenggai.lib.workdays import MAX_WORKDAYS, Calendar

calendar = Calendar()


def test_spring_festival_2026_is_skipped_and_its_make_up_saturdays_are_worked():
    # 国办发明电〔2025〕7号: 2月15日至23日放假，2月14日（星期六）、2月28日（星期六）上班。
    assert calendar.is_workday(date(2026, 2, 14))
    assert calendar.is_workday(date(2026, 2, 28))
    assert not any(calendar.is_workday(date(2026, 2, d)) for d in range(15, 24))
    assert calendar.add(date(2026, 2, 13), 1) == date(2026, 2, 14)
    assert calendar.add(date(2026, 2, 13), 2) == date(2026, 2, 24)
    # Five working days from the Friday before: Sat 14, then 24, 25, 26, 27.
    assert calendar.add(date(2026, 2, 13), 5) == date(2026, 2, 27)


def test_national_day_2025_is_skipped_and_its_make_up_weekend_days_are_worked():
    # 10月1日至8日放假，9月28日（星期日）、10月11日（星期六）上班。
    assert calendar.is_workday(date(2025, 9, 28))
    assert calendar.is_workday(date(2025, 10, 11))
    assert calendar.add(date(2025, 9, 26), 1) == date(2025, 9, 28)
    assert calendar.add(date(2025, 9, 30), 1) == date(2025, 10, 9)
    assert calendar.add(date(2025, 9, 30), 3) == date(2025, 10, 11)


def test_twenty_working_days_across_national_day_2026():
    # 2026: 中秋节9月25日放假; 国庆节10月1日至7日放假，9月20日（星期日）、10月10日（星期六）上班.
    start = date(2026, 9, 18)
    assert not calendar.is_workday(date(2026, 9, 25))
    assert calendar.add(start, 20) == date(2026, 10, 22)
    assert calendar.between(start, date(2026, 10, 22)) == 20


def test_zero_working_days_from_a_holiday_is_the_next_working_day():
    assert calendar.add(date(2026, 10, 1), 0) == date(2026, 10, 8)
    assert calendar.add(date(2026, 10, 9), 0) == date(2026, 10, 9)


def test_a_year_without_a_published_calendar_is_provisional_and_keeps_statutory_holidays():
    assert not calendar.is_provisional(date(2026, 12, 31))
    assert calendar.is_provisional(date(2027, 3, 1))
    # 2027 National Day by rule: 1–3 October, the two days falling on the weekend made up on
    # Monday and Tuesday; without the notice no weekend is worked.
    assert not calendar.is_workday(date(2027, 10, 1))
    assert calendar.add(date(2027, 9, 30), 1) == date(2027, 10, 6)


def test_days_an_office_enters_override_the_calendar_and_end_the_provisional_state():
    entered = Calendar({date(2027, 9, 26): True, date(2027, 10, 6): False})
    assert entered.is_workday(date(2027, 9, 26))
    assert not entered.is_workday(date(2027, 10, 6))
    assert not entered.is_provisional(date(2027, 3, 1))


def test_counts_outside_the_bounds_are_refused():
    with pytest.raises(ValueError):
        calendar.add(date(2026, 1, 1), -1)
    with pytest.raises(ValueError):
        calendar.add(date(2026, 1, 1), MAX_WORKDAYS + 1)


@given(st.dates(date(2005, 1, 1), date(2028, 12, 31)), st.integers(0, 60))
def test_adding_then_counting_gives_back_the_working_days(start, n):
    end = calendar.add(start, n)
    assert calendar.is_workday(end)
    if n:
        assert calendar.between(start, end) == n
        assert calendar.between(start, end - timedelta(days=1)) == n - 1
