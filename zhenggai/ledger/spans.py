"""Keeping each problem's timeline of states (`StateSpan`) up to date."""

from datetime import datetime

from django.db.models import FilteredRelation, Q
from django.utils import timezone

from zhenggai.ledger.models import Problem, StateSpan

# What a span holds of its problem, and the problem's names for them.
KEPT = {
    "state": "state",
    "due_date": "due_date",
    "rectified_on": "rectified_on",
    "rectified_on_time": "rectified_on_time",
    "unit_id": "unit_id",
    "round_kind": "round__kind",
}


def note_span(problem_id: int, at: datetime | None = None) -> None:
    """Start a new span of the problem at `at` (now by default) if its state, next deadline,
    rectification or unit differ from those of its open span; otherwise leave it be.

    Called after whatever may change them: `refresh_due_date` (every transition and measure
    change) and `add_problem`. The problem and its open span are read in one query.
    """
    row = (
        Problem.objects.filter(pk=problem_id)
        .annotate(open=FilteredRelation("spans", condition=Q(spans__ended_at__isnull=True)))
        .values("open__id", *KEPT.values(), *(f"open__{name}" for name in KEPT))
        .first()
    )
    now = {name: row[column] for name, column in KEPT.items()}
    if row["open__id"] is not None and now == {name: row[f"open__{name}"] for name in KEPT}:
        return
    at = at or timezone.now()
    if row["open__id"] is not None:
        # Every open span, not just the one read: heals a second one a race may have left.
        StateSpan.objects.filter(problem_id=problem_id, ended_at__isnull=True).update(ended_at=at)
    StateSpan.objects.create(problem_id=problem_id, started_at=at, **now)
