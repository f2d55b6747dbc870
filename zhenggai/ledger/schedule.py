"""When a problem next owes something, and whether its measures are all assigned: what its
warning light is computed from."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date

from django.db import transaction
from django.db.models import Case, Count, F, IntegerField, Q, Sum, Value, When
from django.utils import timezone

from zhenggai.ledger.models import (
    CLOSED_STATES,
    DeadlineKind,
    Measure,
    Problem,
    ProgressReport,
    State,
)
from zhenggai.ledger.spans import note_span

# The problems noted for a refresh inside `deferred_refresh` (None outside one).
_deferred: ContextVar[dict[int, None] | None] = ContextVar("deferred_refresh", default=None)
REFRESH_CHUNK = 500


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the end of a shorter month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has 28 days")


def next_due_date(problem: Problem) -> date | None:
    """The earliest open measure deadline; for a long-term problem, its next periodic report."""
    if problem.state == State.LONG_TERM:
        last = (
            ProgressReport.objects.filter(problem=problem, created_at__gte=problem.state_changed_at)
            .order_by("-created_at")
            .values_list("created_at", flat=True)
            .first()
        )
        since = timezone.localdate(last or problem.state_changed_at)
        return add_months(since, problem.round.report_period_months)
    if problem.state not in (State.PLAN_PENDING, State.IN_PROGRESS, State.SUBMITTED):
        return None
    feedback = problem.round.feedback_date
    dues = [m.effective_due(feedback) for m in Measure.objects.filter(problem=problem)]
    dues = [d for d in dues if d is not None]
    return min(dues) if dues else None


def _measure_facts(problem: Problem) -> dict:
    """In one query: the problem's active measures, those open and lacking 责任人 or date, and
    the sum of their completion (a completed one counts 100)."""
    return Measure.objects.filter(problem=problem, withdrawn=False).aggregate(
        active=Count("id"),
        gaps=Count(
            "id",
            filter=Q(completed_on__isnull=True)
            & (Q(owner__isnull=True) | Q(deadline_kind=DeadlineKind.DATE, deadline__isnull=True)),
        ),
        done=Sum(
            Case(
                When(completed_on__isnull=False, then=Value(100)),
                default=F("percent"),
                output_field=IntegerField(),
            )
        ),
    )


def is_unassigned(problem: Problem) -> bool:
    """Whether the problem has no active measure, or an open one without 责任人 or date."""
    counts = _measure_facts(problem)
    return not counts["active"] or counts["gaps"] > 0


def percent_of(state: str, rectified: bool, active: int, done: int) -> int:
    """A problem's completion: 100 once closed out or rectified (kept at long term), else the
    mean of its `active` measures' completion (`done` their sum; a completed one counts 100),
    rounded down, so a problem reads 100 only when every measure is done; 0 without measures."""
    if state in CLOSED_STATES or rectified:
        return 100
    return min(done // active, 100) if active else 0


def refresh_due_date(problem: Problem) -> None:
    """Refresh what the problem's light is read from: its next date, and whether a measure
    lacks its 责任人 or date (`unassigned`); and its completion. Called wherever measures or
    the state change, so it notes the problem's state span too, whether or not the date moved.
    Inside `deferred_refresh` it only notes the problem, refreshed when the block ends.

    The problem's row is locked first, so two transactions changing two of its measures at
    once compute its completion one after the other (the second sees the first's measure),
    and the values compared are the row's, not those `problem` was read with."""
    noted = _deferred.get()
    if noted is not None:
        noted[problem.pk] = None
        return
    with transaction.atomic(savepoint=False):
        stored = (
            Problem.objects.select_for_update(of=("self",))
            .values("due_date", "unassigned", "percent")
            .get(pk=problem.pk)
        )
        for name, value in stored.items():
            setattr(problem, name, value)
        _refresh(problem)


def _refresh(problem: Problem) -> None:
    """Refresh a problem whose row this transaction holds locked (`refresh_due_date`)."""
    facts = _measure_facts(problem)
    changed = {
        "due_date": next_due_date(problem),
        "unassigned": not facts["active"] or facts["gaps"] > 0,
        "percent": percent_of(
            problem.state, problem.rectified_on is not None, facts["active"], facts["done"] or 0
        ),
    }
    changed = {name: value for name, value in changed.items() if getattr(problem, name) != value}
    if changed:
        for name, value in changed.items():
            setattr(problem, name, value)
        Problem.objects.filter(pk=problem.pk).update(**changed)
    note_span(problem.pk)


@contextmanager
def deferred_refresh() -> Iterator[None]:
    """Run many changes through the services with each changed problem refreshed once, when
    the block ends, rather than after every change (an import of thousands of measures).

    Inside the block `refresh_due_date(problem)` only notes the problem; on leaving it without
    an error, each noted problem is read again and refreshed, in the order first noted, inside
    the caller's transaction; on an error nothing is refreshed (the caller's transaction rolls
    back). Nothing inside the block may read a problem's due date, light, completion or open
    span, which stay as they were until it ends; the intermediate states a problem passes
    through inside the block get no span of their own (no one outside the transaction could
    have seen them). A block inside another leaves the refreshing to the outer one.
    """
    if _deferred.get() is not None:
        yield
        return
    noted: dict[int, None] = {}
    token = _deferred.set(noted)
    try:
        yield
    finally:
        _deferred.reset(token)
    _refresh_noted(list(noted))


def _refresh_noted(ids: list[int]) -> None:
    """Refresh the noted problems, each read again with its row locked, in the order of their
    ids (as every service locks a problem before its measures: no deadlock between them)."""
    with transaction.atomic(savepoint=False):
        for start in range(0, len(ids), REFRESH_CHUNK):
            chunk = ids[start : start + REFRESH_CHUNK]
            found = (
                Problem.objects.select_for_update(of=("self",))
                .select_related("round")
                .order_by("pk")
                .in_bulk(chunk)
            )
            for pk in chunk:
                if pk in found:
                    _refresh(found[pk])
