"""Deadlines on the official calendar, with the days the office has entered itself."""

from datetime import date

from zhenggai.lib.workdays import Calendar
from zhenggai.supervision.models import CalendarDay


def official_calendar() -> Calendar:
    """The official calendar with the office's entered days (one query)."""
    return Calendar(dict(CalendarDay.objects.values_list("day", "is_workday")))


def workdays_after(start: date, workdays: int) -> date:
    """The date `workdays` working days after `start`."""
    return official_calendar().add(start, workdays)
