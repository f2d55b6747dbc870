"""lib.dates: the one way the papers write a date, and the days a query may ask about."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings

from zhenggai.lib.dates import BoundedDateField, cn_date


def test_a_date_is_written_in_chinese():
    assert cn_date(date(2026, 12, 3)) == "2026年12月3日"
    assert cn_date(None) == ""


@override_settings(TIME_ZONE="Asia/Shanghai")
def test_a_moment_is_written_on_its_local_day():
    late_in_utc = datetime(2026, 12, 3, 20, 0, tzinfo=ZoneInfo("UTC"))  # 4 December in Beijing
    assert cn_date(late_in_utc) == "2026年12月4日"
    assert cn_date(datetime(2026, 12, 3, 20, 0)) == "2026年12月3日"


@pytest.mark.parametrize("typed", ["0001-01-01", "1899-12-31", "3000-01-01", "9999-12-31"])
def test_a_day_beyond_1900_to_2999_is_refused_in_chinese(typed):
    from django import forms

    with pytest.raises(forms.ValidationError) as refused:
        BoundedDateField().clean(typed)
    assert refused.value.messages == ["日期须在1900年至2999年之间"]


def test_the_first_and_last_days_and_no_day_are_taken():
    field = BoundedDateField(required=False)
    assert field.clean("1900-01-01") == date(1900, 1, 1)
    assert field.clean("2999-12-31") == date(2999, 12, 31)
    assert field.clean("") is None
