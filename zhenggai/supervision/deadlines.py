"""Deadlines on the official calendar, with the days the office has entered itself (kept here,
as 节假日调整; `lib.workdays` reads them through `entered_days`, set at start-up)."""

from datetime import date

from zhenggai.lib.workdays import official_calendar, workdays_after
from zhenggai.supervision.models import CalendarDay

__all__ = ["entered_days", "official_calendar", "workdays_after"]


def entered_days() -> dict[date, bool]:
    """The days the office has entered (one query)."""
    return dict(CalendarDay.objects.values_list("day", "is_workday"))
