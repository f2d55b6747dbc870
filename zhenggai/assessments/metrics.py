"""What the system computes for each unit and month, as of the month's end.

Each metric is one queryset of the rows it counts (its denominator, or the lapses it counts)
and, for a rate, the condition that puts a row in the numerator. The month's figures
aggregate that queryset per unit; the page behind a figure lists the same queryset for one
unit. So a figure always equals the count of the rows it links to.

The ledger's figures read the problems' state timeline (`StateSpan`), not today's columns:
recomputing March in June gives March's figures. Ratings count as they stand (an appeal
upheld later takes a malicious rating out of its month: that is what the appeal is for).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
)

from zhenggai.assessments.scoring import Figure
from zhenggai.assessments.values import Metric
from zhenggai.evaluations.models import Callback, Rating
from zhenggai.evaluations.values import BAD_LEVELS, Level, Period
from zhenggai.ledger.models import OPEN_STATES, Event, State, StateSpan
from zhenggai.supervision.history import Action as SupervisionAction
from zhenggai.supervision.models import Escalation

RECTIFIED = (State.CLOSED, State.VERIFIED, State.LONG_TERM)
UNFINISHED = (State.PLAN_PENDING, State.IN_PROGRESS, State.SUBMITTED)
GOOD_LEVELS = (Level.VERY_SATISFIED, Level.SATISFIED, Level.BASICALLY_SATISFIED)


@dataclass(frozen=True)
class Window:
    """The month assessed: its first and last day, and the moment it ends (exclusive)."""

    first: date
    last: date
    start: datetime
    end: datetime

    @classmethod
    def of(cls, month: date) -> "Window":
        period = Period(month.replace(day=1), 1)
        start, end = period.bounds()
        return cls(period.start, period.end, start, end)


@dataclass(frozen=True)
class Spec:
    """A metric: what it counts (`kind`: the rows' model, for the page behind a figure), the
    rows for some units in a window, the unit column, and the numerator of a rate."""

    kind: str
    rows: Callable[[Iterable[int], Window, list[str]], QuerySet]
    unit_field: str
    numerator: Q | None = None


def _spans(units, window: Window, kinds: list[str]) -> QuerySet:
    spans = StateSpan.objects.just_before(window.end).filter(unit_id__in=units)
    if kinds:
        spans = spans.filter(round_kind__in=kinds)
    return spans.exclude(state=State.WITHDRAWN)


def _due_or_rectified(units, window: Window, kinds: list[str]) -> QuerySet:
    """Problems rectified in the month, and those still unfinished at its end though due by
    it: the problems that owed rectification by the month's end."""
    rectified = Q(
        state__in=RECTIFIED, rectified_on__gte=window.first, rectified_on__lte=window.last
    )
    owed = Q(state__in=UNFINISHED, due_date__lte=window.last)
    return _spans(units, window, kinds).filter(rectified | owed)


def _overdue(units, window: Window, kinds: list[str]) -> QuerySet:
    return _spans(units, window, kinds).filter(state__in=OPEN_STATES, due_date__lt=window.last)


def _orders(units, window: Window, kinds: list[str]) -> QuerySet:
    """The 督办单 due to be answered in the month; on time when an answer was recorded by
    the day it was due (from the history: an answer later sent back and given again still
    counts where it was first given in time)."""
    orders = Escalation.objects.filter(
        problem__unit_id__in=units, due_on__gte=window.first, due_on__lte=window.last
    )
    if kinds:
        orders = orders.filter(problem__round__kind__in=kinds)
    answered = Event.objects.filter(
        object_type=Escalation._meta.model_name,
        object_id=OuterRef("pk"),
        action=SupervisionAction.ANSWERED,
        at__lt=window.end,
        at__date__lte=OuterRef("due_on"),
    )
    return orders.annotate(on_time=Exists(answered))


def _ratings(units, window: Window, kinds: list[str]) -> QuerySet:
    return Rating.objects.counted().filter(
        unit_id__in=units, rated_at__gte=window.start, rated_at__lt=window.end
    )


def _bad_ratings(units, window: Window, kinds: list[str]) -> QuerySet:
    rectified = StateSpan.objects.just_before(window.end).filter(
        problem_id=OuterRef("problem_id"), state__in=RECTIFIED
    )
    called = Callback.objects.filter(rating_id=OuterRef("pk"), called_at__lt=window.end).exclude(
        outcome=Callback.Outcome.NOT_REACHED
    )
    return (
        _ratings(units, window, kinds)
        .filter(level__in=BAD_LEVELS)
        .annotate(rectified=Exists(rectified), called_back=Exists(called))
    )


SPECS: dict[str, Spec] = {
    Metric.ON_TIME_RATE: Spec(
        "problem", _due_or_rectified, "unit_id", Q(state__in=RECTIFIED, rectified_on_time=True)
    ),
    Metric.RECTIFIED_RATE: Spec("problem", _spans, "unit_id", Q(state__in=RECTIFIED)),
    Metric.OVERDUE: Spec("problem", _overdue, "unit_id"),
    Metric.ORDERS_ON_TIME: Spec("order", _orders, "problem__unit_id", Q(on_time=True)),
    Metric.GOOD_RATE: Spec("rating", _ratings, "unit_id", Q(level__in=GOOD_LEVELS)),
    Metric.RATING_COUNT: Spec("rating", _ratings, "unit_id"),
    Metric.BAD_RECTIFIED_RATE: Spec("rating", _bad_ratings, "unit_id", Q(rectified=True)),
    Metric.CALLBACK_RATE: Spec("rating", _bad_ratings, "unit_id", Q(called_back=True)),
}


def compute(metric: str, units: Iterable[int], month: date, kinds: list[str]) -> dict[int, Figure]:
    """The metric's figure for each of `units` in `month` (a unit without rows gets its zero)."""
    spec = SPECS[metric]
    units = list(units)
    rows = spec.rows(units, Window.of(month), kinds).order_by()
    counts = {"rows": Count("pk")}
    if spec.numerator is not None:
        counts["hits"] = Count("pk", filter=spec.numerator)
    found = {row[spec.unit_field]: row for row in rows.values(spec.unit_field).annotate(**counts)}
    figures = {}
    for unit_id in units:
        row = found.get(unit_id, {"rows": 0, "hits": 0})
        if spec.numerator is None:
            figures[unit_id] = Figure.count(row["rows"])
        else:
            figures[unit_id] = Figure.rate(row["hits"], row["rows"])
    return figures


def behind(metric: str, unit_id: int, month: date, kinds: list[str]) -> QuerySet:
    """The rows behind one unit's figure, each marked `counts` when in the numerator (always,
    for a count)."""
    spec = SPECS[metric]
    rows = spec.rows([unit_id], Window.of(month), kinds)
    condition = spec.numerator if spec.numerator is not None else Q(pk__isnull=False)
    return rows.annotate(counts=ExpressionWrapper(condition, output_field=BooleanField()))
