"""Dates as the papers write them, and the days a query may ask about.

`cn_date` writes 2026年12月3日 (a datetime in local time). A date asked for in a query (a
filter, the 调度 sheet's day) is taken from FIRST_DAY to LAST_DAY only: beyond them a week, a
month or a deadline's arithmetic would run off Python's calendar (year 1 or 9999) and no
rectification is dated there.
"""

from datetime import date, datetime

from django import forms
from django.utils import timezone

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)
OUT_OF_RANGE = f"日期须在{FIRST_DAY.year}年至{LAST_DAY.year}年之间"


def cn_date(value: date | datetime | None) -> str:
    """2026年12月3日; "" for None. A datetime is written on its local day."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{value.year}年{value.month}月{value.day}日"


def in_range(day: date) -> bool:
    return FIRST_DAY <= day <= LAST_DAY


class BoundedDateField(forms.DateField):
    """A date from FIRST_DAY to LAST_DAY, else invalid with a Chinese message."""

    def clean(self, value):
        day = super().clean(value)
        if day is not None and not in_range(day):
            raise forms.ValidationError(OUT_OF_RANGE, code="out_of_range")
        return day
