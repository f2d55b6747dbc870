"""Statistics of ratings per unit and point over a period, read from the monthly tallies, and the
ranking a 通报 publishes. Rates are fractions (0–1) or None when there is nothing to divide by."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from zhenggai.evaluations.models import Callback, MonthlyTally, PeriodRound, ServiceCount
from zhenggai.evaluations.values import BAD_LEVELS, DIMENSION_FIELDS, Period, period_of, score
from zhenggai.ledger.models import CLOSED_STATES, Problem, State

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
    # Per dimension: (sum of levels, ratings that gave one), to add figures up (`roll_up`).
    dimension_totals: dict[str, tuple[int, int]] = field(default_factory=dict, repr=False)

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
    rows = MonthlyTally.objects.filter(month__gte=period.start, month__lte=period.end)
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=unit_ids)
    sums = {name: Sum(name) for name in TALLY_FIELDS}
    return rows.values(by).order_by().annotate(**sums)


def _figures(row: dict) -> Figures:
    figures = Figures(**{name: row[name] or 0 for name in TALLY_FIELDS[:7]})
    for name in DIMENSION_FIELDS:
        figures.dimension_totals[name] = (row[f"{name}_sum"] or 0, row[f"{name}_n"] or 0)
    return _average_dimensions(figures)


def _average_dimensions(figures: Figures) -> Figures:
    for name in DIMENSION_FIELDS:
        total, n = figures.dimension_totals.get(name, (0, 0))
        figures.dimensions[name] = round(total / n, 2) if n else None
    return figures


ADDED = (*TALLY_FIELDS[:7], "bad_rectified", "bad_with_phone", "called_back")


def roll_up(by_point: dict[int, Figures], unit_of: dict[int, int], period=None, unit_ids=None):
    """The figures of points added up per unit (`unit_of`: point id → unit id): what
    `figures_by(period, "unit_id")` gives, from one query over the tallies instead of two when a
    page needs both. With `period`, the units' service counts (办件量) are read as well."""
    units: dict[int, Figures] = {}
    for point_id, f in by_point.items():
        unit = units.setdefault(unit_of[point_id], Figures())
        for name in ADDED:
            setattr(unit, name, getattr(unit, name) + getattr(f, name))
        for name, (total, n) in f.dimension_totals.items():
            before = unit.dimension_totals.get(name, (0, 0))
            unit.dimension_totals[name] = (before[0] + total, before[1] + n)
    for unit in units.values():
        _average_dimensions(unit)
    if period is not None:
        for key, n in _services(period, unit_ids).items():
            units.setdefault(key, Figures()).services = n
    return units


def tally_figures(period: Period, by: str = "unit_id", unit_ids=None) -> dict[int, Figures]:
    """What the monthly tallies alone tell of every unit (or point) in `period`: counts, levels,
    flags and dimensions, without the 差评 follow-up that `figures_by` adds. One query."""
    return {row[by]: _figures(row) for row in _tallies(period, by, unit_ids)}


def _bad_rows(period: Period, by: str, unit_ids=None):
    """(rating id, its unit or point, its phone, its problem's state) of the period's counted
    差评 of the units `unit_ids` (all when None).

    Every 差评 is a problem of its unit's evaluation round for the period it was given in (the
    rating page and the import both raise one at once), so they are read from those rounds'
    problems, each joined to its rating by the rating's unique `problem` index: a few thousand
    rows, where a scan of the ratings would read every rating of the period to find the few
    bad ones."""
    start, end = period.bounds()
    # A round's period (at most a year) holds the day its 差评 were given: the rounds of the
    # ratings of `period` are those whose period overlaps it.
    rounds = PeriodRound.objects.filter(
        purpose=PeriodRound.Purpose.BAD_REVIEWS,
        period_start__lte=period.end,
        period_start__gt=period.start - timedelta(days=366),
    )
    if unit_ids is not None:
        rounds = rounds.filter(unit_id__in=unit_ids)
    return Problem.objects.filter(
        round_id__in=rounds.values("round_id"),
        bad_review__level__in=BAD_LEVELS,
        bad_review__excluded=False,
        bad_review__superseded=False,
        bad_review__rated_at__gte=start,
        bad_review__rated_at__lt=end,
    ).values_list("bad_review__id", f"bad_review__{by}", "bad_review__phone", "state")


def _bad_reviews(period: Period, by: str, unit_ids=None) -> dict:
    """Per unit (or point): the period's counted 差评, how many were rectified, how many left a
    phone number, and of those how many raters were reached. Two queries: the 差评 (a few
    thousand rows a quarter, added up here), and the call backs that reached a rater (a small
    table, read by its own rows rather than through the 差评 again)."""
    start, end = period.bounds()
    found: dict = {}
    with_phone = {}
    rows = _bad_rows(period, by, unit_ids)
    for rating_id, key, phone, state in rows:
        row = found.setdefault(key, {"rectified": 0, "with_phone": 0, "reached": 0})
        row["rectified"] += state in RECTIFIED
        if phone:
            row["with_phone"] += 1
            with_phone[rating_id] = key
    reached = (
        Callback.objects.filter(rating__rated_at__gte=start, rating__rated_at__lt=end)
        .exclude(outcome=Callback.Outcome.NOT_REACHED)
        .values_list("rating_id", flat=True)
        .distinct()
    )
    for rating_id in reached:
        if rating_id in with_phone:
            found[with_phone[rating_id]]["reached"] += 1
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
        figures.called_back = row["reached"]
    if by == "unit_id":
        for key, n in _services(period, unit_ids).items():
            result.setdefault(key, Figures()).services = n
    return result


@dataclass
class Ranked:
    unit_id: int
    figures: Figures
    rank: int | None  # None: fewer ratings than the minimum sample, so not ranked


def ranking(
    period: Period, unit_ids, min_sample: int | None = None, figures: dict | None = None
) -> list[Ranked]:
    """The units of `unit_ids` by score, best first; those under `min_sample` ratings follow,
    unranked. Ties share a rank (1, 2, 2, 4). `figures`, when the caller has them already (as
    `roll_up` makes them), saves reading them again."""
    min_sample = settings.RANKING_MIN_SAMPLE if min_sample is None else min_sample
    if figures is None:
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
        MonthlyTally.objects.filter(unit_id=unit_id, month__gte=whole.start, month__lte=whole.end)
        .values("month")
        .order_by()
        .annotate(**{name: Sum(name) for name in TALLY_FIELDS})
    )
    by_month = {row["month"]: _figures(row) for row in rows}
    return [(p, by_month.get(p.start, Figures())) for p in periods]
