"""Units with ratings for a 通报's tests: daily tallies written directly, as the ranking reads
them (the rating page's own path is tested elsewhere)."""

from datetime import date

from zhenggai.evaluations.models import MonthlyTally, RatingPoint
from zhenggai.evaluations.values import BAD_LEVELS, Period
from zhenggai.orgs.models import Unit
from zhenggai.orgs.services import create_unit

# The third quarter of 2026, over before the tests' dates.
Q3 = Period(date(2026, 7, 1), 3)
DAY = date(2026, 8, 14)
ON_SITE = ("service_efficiency", "service_level", "service_attitude")


def rate(unit: Unit, levels: dict[int, int], *, day: date = DAY, **dimensions) -> None:
    """Tally `levels` ({level: how many}) for `unit` on `day`, at its one rating point; the
    on-site dimensions are rated like the overall level unless `dimensions` gives a level
    for all of them ({field: level})."""
    point, _ = RatingPoint.objects.get_or_create(
        unit=unit, name=f"{unit.name}服务窗口", defaults={"kind": RatingPoint.Kind.WINDOW}
    )
    count = sum(levels.values())
    level_sum = sum(level * n for level, n in levels.items())
    bad = sum(n for level, n in levels.items() if level in BAD_LEVELS)
    sums = {}
    for name in ON_SITE:
        given = dimensions.get(name)
        sums[f"{name}_sum"] = given * count if given else level_sum
        sums[f"{name}_n"] = count
    MonthlyTally.objects.create(
        point=point,
        unit=unit,
        month=day.replace(day=1),
        count=count,
        level_sum=level_sum,
        good=count - bad,
        bad=bad,
        very_satisfied=levels.get(5, 0),
        **sums,
    )


def rated_unit(office: Unit, name: str, levels: dict[int, int], **dimensions) -> Unit:
    unit = create_unit(name, Unit.Kind.UNIT, office)
    rate(unit, levels, **dimensions)
    return unit
