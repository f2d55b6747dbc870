"""Signs that a point's ratings may have been steered (诱导、强制评价, which the national rules
forbid): for the evaluation office to look into, never a verdict. Each sign names the point and
the ratings behind it.

The thresholds are module constants, not settings: they are the office's rules of thumb, to be
tuned here when experience says so.
"""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, DateTimeField, Func

from zhenggai.evaluations import stats
from zhenggai.evaluations.models import Rating, RatingPoint
from zhenggai.evaluations.values import Channel, Mode, Period

# Near-100% good: at least this share of 好评 ...
NEAR_ALL_GOOD_RATE = 0.995
# ... over at least this many counted ratings of one point in the period (below it, a small
# point's all-good record is no sign of anything).
NEAR_ALL_GOOD_SAMPLE = 200
# An on-site point rated outside office hours this many times in the period (one or two are a
# client rating from home that evening).
OUTSIDE_HOURS_MIN = 5
# This many ratings of one point in the period from one client address (its keyed hash). Ratings
# from a hall's rating device (评价器) are left out: a hall's tablets share one address.
SAME_CLIENT_MIN = 20
# At most this many signs of one kind are listed, the strongest first.
LIST_MAX = 50


class _Unindexed(Func):
    """`+column` (SQLite): the same value, which the database will not look up by an index."""

    template = "+%(expressions)s"
    output_field = DateTimeField()


class Sign:
    NEAR_ALL_GOOD = "near_all_good"
    BURST = "burst"
    OUTSIDE_HOURS = "outside_hours"
    SAME_CLIENT = "same_client"


LABELS = {
    Sign.NEAR_ALL_GOOD: "好评率接近100%",
    Sign.BURST: "短时集中评价",
    Sign.OUTSIDE_HOURS: "现场评价点非办公时间评价",
    Sign.SAME_CLIENT: "同一来源多次评价",
}


@dataclass
class SteeringSign:
    """One sign at one point: what it is, how strong (`count` ratings), and which ratings
    (`filters`, the ratings list's query parameters that show them)."""

    kind: str
    unit_id: int
    point_id: int
    point_name: str
    count: int
    detail: str
    filters: dict

    @property
    def label(self) -> str:
        return LABELS[self.kind]


def _sign(kind: str, point: RatingPoint, count: int, detail: str, filters: dict) -> SteeringSign:
    return SteeringSign(kind, point.unit_id, point.pk, point.name, count, detail, filters)


def _percent(rate: float) -> str:
    return f"{rate * 100:.1f}%"


def _from_tallies(period: Period, figures: dict, points: dict) -> list[SteeringSign]:
    found = []
    base = {"period": period.key}
    for point_id, f in figures.items():
        point = points.get(point_id)
        if point is None:
            continue
        where = {**base, "point": point_id}
        if f.count >= NEAR_ALL_GOOD_SAMPLE and (f.good_rate or 0) >= NEAR_ALL_GOOD_RATE:
            detail = f"{f.count} 条评价中好评 {f.good} 条（{_percent(f.good_rate)}）"
            found.append(_sign(Sign.NEAR_ALL_GOOD, point, f.count, detail, where))
        if f.burst:
            detail = f"{f.burst} 条评价属短时集中评价"
            found.append(_sign(Sign.BURST, point, f.burst, detail, {**where, "burst": "true"}))
        if point.mode == Mode.ON_SITE and f.outside_hours >= OUTSIDE_HOURS_MIN:
            detail = f"{f.outside_hours} 条评价在非办公时间提交"
            filters = {**where, "outside_hours": "true"}
            found.append(_sign(Sign.OUTSIDE_HOURS, point, f.outside_hours, detail, filters))
    return found


def _same_client(period: Period, unit_ids, points: dict) -> list[SteeringSign]:
    start, end = period.bounds()
    in_period = Rating.objects.filter(rated_at__gte=start, rated_at__lt=end).exclude(client_hash="")
    # First the addresses with SAME_CLIENT_MIN ratings in the period anywhere, read from the
    # (client_hash, rated_at) index alone; only their ratings are then grouped by point.
    frequent = Rating.objects.exclude(client_hash="")
    if connection.vendor == "sqlite":
        # SQLite would rather read the period's rows through the (unit, time) index, every one
        # from the table; kept from that index, it reads the covering one, ten times faster.
        frequent = frequent.alias(at=_Unindexed("rated_at"))
        frequent = frequent.filter(at__gte=start, at__lt=end)
    else:
        frequent = frequent.filter(rated_at__gte=start, rated_at__lt=end)
    frequent = (
        frequent.values("client_hash")
        .order_by()
        .annotate(n=Count("id"))
        .filter(n__gte=SAME_CLIENT_MIN)
        .values("client_hash")
    )
    ratings = in_period.filter(client_hash__in=frequent, excluded=False, superseded=False)
    if unit_ids is not None:
        ratings = ratings.filter(unit_id__in=unit_ids)
    rows = (
        ratings.exclude(channel=Channel.DEVICE)
        .values("point_id", "client_hash")
        .order_by()
        .annotate(n=Count("id"))
        .filter(n__gte=SAME_CLIENT_MIN)
        .order_by("-n")[:LIST_MAX]
    )
    found = []
    for row in rows:
        point = points.get(row["point_id"])
        if point is None:
            continue
        detail = f"同一来源提交 {row['n']} 条评价"
        filters = {"period": period.key, "point": point.pk, "client": row["client_hash"]}
        found.append(_sign(Sign.SAME_CLIENT, point, row["n"], detail, filters))
    return found


def steering_signs(
    period: Period, unit_ids=None, *, figures: dict | None = None, points: dict | None = None
) -> list[SteeringSign]:
    """The signs of steered ratings at the points of `unit_ids` (all when None) in `period`:
    grouped by kind, the strongest first in each. Three queries, whatever the number of points
    and ratings; one when the caller has the points' `figures` (by point id) and the `points`
    (by id) already."""
    if figures is None:
        figures = stats.tally_figures(period, "point_id", unit_ids)
    if points is None:
        points = points_of(unit_ids)
    found = _from_tallies(period, figures, points) + _same_client(period, unit_ids, points)
    order = list(LABELS)
    found.sort(key=lambda s: (order.index(s.kind), -s.count, s.point_id))
    kept, per_kind = [], {}
    for sign in found:
        per_kind[sign.kind] = per_kind.get(sign.kind, 0) + 1
        if per_kind[sign.kind] <= LIST_MAX:
            kept.append(sign)
    return kept


def points_of(unit_ids=None) -> dict[int, RatingPoint]:
    """The rating points of `unit_ids` (all when None) by id, with what the signs name."""
    points = RatingPoint.objects.all()
    if unit_ids is not None:
        points = points.filter(unit_id__in=unit_ids)
    return {p.pk: p for p in points.only("id", "unit_id", "name", "mode")}
