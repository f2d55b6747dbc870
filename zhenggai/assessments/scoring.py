"""How an indicator's score follows from its figures, and how totals rank: plain functions."""

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from zhenggai.assessments.values import Metric, TieRule, cents

# Rates are fractions (0.95); counts and volumes are whole numbers.
RATES = {
    Metric.ON_TIME_RATE,
    Metric.RECTIFIED_RATE,
    Metric.ORDERS_ON_TIME,
    Metric.GOOD_RATE,
    Metric.BAD_RECTIFIED_RATE,
    Metric.CALLBACK_RATE,
}
LAPSES = {Metric.OVERDUE}
VOLUMES = {Metric.RATING_COUNT}

NO_DATA = "本月无数据，不扣分"


@dataclass(frozen=True)
class Figure:
    """What a metric came to for a unit: `value` (a rate is numerator / denominator; None when
    the denominator is 0), and the counts it was made from."""

    value: Decimal | None
    numerator: int | None = None
    denominator: int | None = None

    @classmethod
    def rate(cls, numerator: int, denominator: int) -> "Figure":
        value = Decimal(numerator) / Decimal(denominator) if denominator else None
        return cls(value, numerator, denominator)

    @classmethod
    def count(cls, count: int) -> "Figure":
        return cls(Decimal(count), count, None)


def clamp(score: Decimal, floor: Decimal, cap: Decimal) -> Decimal:
    return cents(min(max(score, floor), cap))


def metric_score(indicator, figure: Figure) -> tuple[Decimal, str]:
    """The computed part of a score, before entries, and a note when the metric had no data."""
    points = indicator.points
    if figure.value is None:
        return points, NO_DATA
    value = figure.value
    if indicator.metric in LAPSES:
        per = indicator.deduct_per if indicator.deduct_per is not None else Decimal(1)
        return points - per * value, ""
    target = indicator.target
    if indicator.metric in RATES:
        target = target if target is not None else Decimal(1)
        if indicator.deduct_per is not None:
            shortfall = max(Decimal(0), target - value) * 100
            return points - indicator.deduct_per * shortfall, ""
    if not target:
        return points, ""
    return points * min(Decimal(1), value / target), ""


def indicator_score(indicator, figure: Figure | None, entries_sum: Decimal, imported) -> Decimal:
    """The score: the computed part (or the imported score, or the base of an entered one), plus
    the entries, kept between the floor and the cap."""
    if figure is not None:
        start, _ = metric_score(indicator, figure)
    elif imported is not None:
        start = imported
    else:
        start = indicator.base
    return clamp(start + entries_sum, indicator.floor, indicator.cap)


def ranks(totals: dict[int, Decimal], rule: str) -> dict[int, int]:
    """The place of each unit by total, ties sharing a place as `rule` says."""
    ordered = sorted(totals.items(), key=lambda item: -item[1])
    places: dict[int, int] = {}
    place, distinct, previous = 0, 0, None
    for index, (unit_id, total) in enumerate(ordered, start=1):
        if total != previous:
            distinct += 1
            place = index if rule == TieRule.COMPETITION else distinct
            previous = total
        places[unit_id] = place
    return places


def within_top(totals: dict[int, Decimal], n: int) -> set[int]:
    """Units fewer than `n` others beat, with all tied at the edge; none while all are tied
    (nobody leads a group where everyone scored alike)."""
    ordered = sorted(totals.values())
    if not ordered or ordered[0] == ordered[-1]:
        return set()
    return {u for u, t in totals.items() if len(ordered) - bisect_right(ordered, t) < n}


def within_bottom(totals: dict[int, Decimal], n: int) -> set[int]:
    """Units fewer than `n` others score below, with all tied at the edge; never one that
    nobody beats (a group all tied has no last place), so `n` at or over the group's size
    still leaves the first out."""
    ordered = sorted(totals.values())
    if not ordered:
        return set()
    best = ordered[-1]
    return {u for u, t in totals.items() if bisect_left(ordered, t) < n and t < best}


def lists(totals: dict[int, Decimal], size: int) -> tuple[set[int], set[int]]:
    """The top (红榜) and bottom (黑榜) lists of `size` each; in a small group the lists share
    the units out, so none is on both."""
    size = min(size, len(totals) // 2)
    if size == 0:
        return set(), set()
    top = within_top(totals, size)
    return top, within_bottom(totals, size) - top


def total(scores: Iterable[Decimal]) -> Decimal:
    return cents(sum(scores, Decimal(0)))
