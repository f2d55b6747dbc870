"""Statistics of ratings per unit and point over a period, read from the daily tallies, and the
ranking a 通报 publishes. Rates are fractions (0–1) or None when there is nothing to divide by."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from zhenggai.evaluations.models import Callback, DailyTally, Rating, ServiceCount
from zhenggai.evaluations.values import DIMENSION_FIELDS, Period, period_of, score
from zhenggai.ledger.models import CLOSED_STATES, State

RECTIFIED = (*CLOSED_STATES, State.LONG_TERM)
TALLY_FIELDS = (
    "count",
    "level_sum",
    "good",
    "bad",
    "very_satisfied",
    "burst",
    "outside_hours",
    *(f"{name}_{part}" for name in DIMENSION_FIELDS for part in ("sum", "n")),
)


def _rate(part: int | None, whole: int | None) -> float | None:
    return round(part / whole, 4) if whole and part is not None else None


@dataclass
class Figures:
    """One unit's (or point's) figures for a period."""

    count: int = 0
    level_sum: int = 0
    good: int = 0
    bad: int = 0
    very_satisfied: int = 0
    burst: int = 0
    outside_hours: int = 0
    bad_rectified: int = 0
    bad_with_phone: int = 0
    called_back: int = 0
    services: int | None = None
    dimensions: dict[str, float | None] = field(default_factory=dict)

    @property
    def score(self) -> float | None:
        return score(self.level_sum, self.count)

    @property
    def good_rate(self) -> float | None:
        return _rate(self.good, self.count)

    @property
    def bad_rate(self) -> float | None:
        return _rate(self.bad, self.count)

    @property
    def rectified_rate(self) -> float | None:
        """差评整改率: of the period's counted 差评, the share rectified."""
        return _rate(self.bad_rectified, self.bad)

    @property
    def callback_rate(self) -> float | None:
        """回访率: of the 差评 that left a phone number, the share whose rater was reached."""
        return _rate(self.called_back, self.bad_with_phone)

    @property
    def rated_share(self) -> float | None:
        """主动评价率: ratings over the cases handled (办件量), when those were imported."""
        return _rate(self.count, self.services)


def _tallies(period: Period, by: str, unit_ids=None):
    rows = DailyTally.objects.filter(day__gte=period.start, day__lte=period.end)
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=unit_ids)
    sums = {name: Sum(name) for name in TALLY_FIELDS}
    return rows.values(by).order_by().annotate(**sums)


def _figures(row: dict) -> Figures:
    figures = Figures(**{name: row[name] or 0 for name in TALLY_FIELDS[:7]})
    for name in DIMENSION_FIELDS:
        n = row[f"{name}_n"] or 0
        figures.dimensions[name] = round(row[f"{name}_sum"] / n, 2) if n else None
    return figures


def tally_figures(period: Period, by: str = "unit_id", unit_ids=None) -> dict[int, Figures]:
    """What the daily tallies alone tell of every unit (or point) in `period`: counts, levels,
    flags and dimensions, without the 差评 follow-up that `figures_by` adds. One query."""
    return {row[by]: _figures(row) for row in _tallies(period, by, unit_ids)}


def period_bounds(period: Period) -> tuple[datetime, datetime]:
    """The period as aware datetimes: from its first day's midnight to the next period's."""
    start = timezone.make_aware(datetime.combine(period.start, time.min))
    end = timezone.make_aware(datetime.combine(period.end + timedelta(days=1), time.min))
    return start, end


def _bad_reviews(period: Period, by: str, unit_ids=None) -> dict:
    """Per unit (or point): the period's counted 差评, how many were rectified, how many left a
    phone number, and of those how many raters were reached."""
    start, end = period_bounds(period)
    bad = Rating.objects.counted().bad().filter(rated_at__gte=start, rated_at__lt=end)
    if unit_ids is not None:
        bad = bad.filter(unit_id__in=unit_ids)
    found = {
        row[by]: row
        for row in bad.values(by)
        .order_by()
        .annotate(
            rectified=Count("id", filter=Q(problem__state__in=RECTIFIED)),
            with_phone=Count("id", filter=~Q(phone="")),
        )
    }
    reached = (
        Callback.objects.filter(rating__in=bad.exclude(phone=""))
        .exclude(outcome=Callback.Outcome.NOT_REACHED)
        .values(f"rating__{by}")
        .order_by()
        .annotate(n=Count("rating", distinct=True))
    )
    for row in reached:
        found[row[f"rating__{by}"]]["reached"] = row["n"]
    return found


def _services(period: Period, unit_ids=None) -> dict[int, int]:
    counts = ServiceCount.objects.filter(month__gte=period.start, month__lte=period.end)
    if unit_ids is not None:
        counts = counts.filter(unit_id__in=unit_ids)
    return dict(
        counts.values("unit_id").order_by().annotate(n=Sum("count")).values_list("unit_id", "n")
    )


def figures_by(period: Period, by: str = "unit_id", unit_ids=None) -> dict[int, Figures]:
    """The figures of every unit (`by="unit_id"`) or point (`by="point_id"`) rated in `period`,
    of the units `unit_ids` (all when None). Three grouped queries, whatever the number."""
    result = tally_figures(period, by, unit_ids)
    for key, row in _bad_reviews(period, by, unit_ids).items():
        figures = result.setdefault(key, Figures())
        figures.bad_rectified = row["rectified"]
        figures.bad_with_phone = row["with_phone"]
        figures.called_back = row.get("reached", 0)
    if by == "unit_id":
        for key, n in _services(period, unit_ids).items():
            result.setdefault(key, Figures()).services = n
    return result


@dataclass
class Ranked:
    unit_id: int
    figures: Figures
    rank: int | None  # None: fewer ratings than the minimum sample, so not ranked


def ranking(period: Period, unit_ids, min_sample: int | None = None) -> list[Ranked]:
    """The units of `unit_ids` by score, best first; those under `min_sample` ratings follow,
    unranked. Ties share a rank (1, 2, 2, 4)."""
    min_sample = settings.RANKING_MIN_SAMPLE if min_sample is None else min_sample
    figures = figures_by(period, "unit_id", unit_ids)
    ranked = [(u, figures.get(u, Figures())) for u in unit_ids]
    eligible = sorted(
        ((u, f) for u, f in ranked if f.count >= max(min_sample, 1)),
        key=lambda pair: (-pair[1].score, -pair[1].count, pair[0]),
    )
    rows, previous = [], None
    for position, (unit_id, f) in enumerate(eligible, start=1):
        rank = rows[-1].rank if previous == f.score else position
        rows.append(Ranked(unit_id, f, rank))
        previous = f.score
    below = sorted(
        (pair for pair in ranked if pair[1].count < max(min_sample, 1)), key=lambda p: p[0]
    )
    return rows + [Ranked(u, f, None) for u, f in below]


def monthly_trend(
    unit_id: int, months: int = 12, today: date | None = None
) -> list[tuple[Period, Figures]]:
    """A unit's figures month by month, the last `months` up to today's month."""
    today = today or timezone.localdate()
    period = period_of(today, 1)
    periods = []
    for _ in range(months):
        periods.append(period)
        period = period.previous()
    periods.reverse()
    whole = Period(periods[0].start, months)
    rows = (
        DailyTally.objects.filter(unit_id=unit_id, day__gte=whole.start, day__lte=whole.end)
        .annotate(month=TruncMonth("day"))
        .values("month")
        .order_by()
        .annotate(**{name: Sum(name) for name in TALLY_FIELDS})
    )
    by_month = {row["month"]: _figures(row) for row in rows}
    return [(p, by_month.get(p.start, Figures())) for p in periods]
