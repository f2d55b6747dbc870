"""Working days on China's official calendar: public holidays and make-up working days (调休).

The State Council publishes each year's holidays and the weekends worked in exchange in
November or December of the year before. `chinese_calendar` carries those notices (2004 to the
last year it knows); for a later year the statutory holidays still follow from their rules
(`holidays`' China calendar computes the lunar dates), but which weekends are worked is not
known, so such a year is *provisional*: holidays and weekends are rest days, and the interface
says so. Days an office enters from a newer notice (`overrides`) win over both.
"""

from collections.abc import Callable, Mapping
from datetime import date, timedelta
from functools import cache

import chinese_calendar
import holidays

OFFICIAL_FIRST_YEAR = min(chinese_calendar.holidays).year
OFFICIAL_LAST_YEAR = max(chinese_calendar.holidays).year
# No deadline is set further out than this: a longer count is a typo, and it bounds the loop.
MAX_WORKDAYS = 2000


@cache
def _statutory_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.China(years=year, categories=(holidays.PUBLIC,)))


class Calendar:
    """The official calendar, with days an office has set itself (`overrides`: day → is a
    working day)."""

    def __init__(self, overrides: Mapping[date, bool] | None = None):
        self.overrides = dict(overrides or {})

    def is_workday(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        if OFFICIAL_FIRST_YEAR <= day.year <= OFFICIAL_LAST_YEAR:
            return chinese_calendar.is_workday(day)
        return day.weekday() < 5 and day not in _statutory_holidays(day.year)

    def is_provisional(self, day: date) -> bool:
        """Whether `day`'s year has no published calendar here, so make-up days are unknown."""
        if OFFICIAL_FIRST_YEAR <= day.year <= OFFICIAL_LAST_YEAR:
            return False
        return not any(d.year == day.year for d in self.overrides)

    def add(self, start: date, workdays: int) -> date:
        """The `workdays`-th working day after `start` (`start` itself not counted); 0 gives
        `start` itself, or the next working day when `start` is a rest day."""
        if not 0 <= workdays <= MAX_WORKDAYS:
            raise ValueError(f"workdays must be between 0 and {MAX_WORKDAYS}, not {workdays}")
        day = start
        if workdays == 0:
            while not self.is_workday(day):
                day += timedelta(days=1)
            return day
        while workdays:
            day += timedelta(days=1)
            if self.is_workday(day):
                workdays -= 1
        return day

    def between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (negative when `end` is
        earlier): how many working days late a deadline of `start` is on `end`."""
        if end < start:
            return -self.between(end, start)
        return sum(
            1 for n in range(1, (end - start).days + 1) if self.is_workday(start + timedelta(n))
        )


# Where the days an office has entered come from: set by the app that keeps them (supervision,
# at start-up), so that any app can count working days without importing it.
_entered_days: Callable[[], Mapping[date, bool]] = dict


def use_entered_days(source: Callable[[], Mapping[date, bool]]) -> None:
    global _entered_days
    _entered_days = source


def official_calendar() -> Calendar:
    """The official calendar with the days the office has entered."""
    return Calendar(_entered_days())


def workdays_after(start: date, workdays: int) -> date:
    """The date `workdays` working days after `start`, on the official calendar."""
    return official_calendar().add(start, workdays)
