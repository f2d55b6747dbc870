"""The figures a notice states, computed from the ledger in a fixed number of queries."""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils import timezone

from zhenggai.ledger.models import CLOSED_STATES, OPEN_STATES, Measure, State


@dataclass(frozen=True)
class Figures:
    problems: int = 0
    areas: int = 0
    plan_pending: int = 0
    in_progress: int = 0
    submitted: int = 0
    long_term: int = 0
    closed: int = 0
    overdue: int = 0
    due_soon: int = 0
    withdrawn: int = 0
    measures: int = 0
    outcomes: dict = field(default_factory=dict)

    @property
    def rectified(self) -> int:
        """Closed out, plus rectified problems that must be kept at long term."""
        return self.closed + self.long_term

    @property
    def completion_rate(self) -> float:
        return round(100 * self.rectified / self.problems, 1) if self.problems else 0.0

    @property
    def close_out_rate(self) -> float:
        return round(100 * self.closed / self.problems, 1) if self.problems else 0.0


def figures_for(problems) -> Figures:
    """Figures over a queryset of problems (one round, one unit, or a filtered ledger)."""
    today = timezone.localdate()
    soon = today + timedelta(days=settings.WARNING_DUE_SOON_DAYS)
    is_open = Q(state__in=OPEN_STATES)
    counts = problems.aggregate(
        problems=Count("id", filter=~Q(state=State.WITHDRAWN)),
        areas=Count("area", distinct=True, filter=~Q(area="") & ~Q(state=State.WITHDRAWN)),
        plan_pending=Count("id", filter=Q(state=State.PLAN_PENDING)),
        in_progress=Count("id", filter=Q(state=State.IN_PROGRESS)),
        submitted=Count("id", filter=Q(state=State.SUBMITTED)),
        long_term=Count("id", filter=Q(state=State.LONG_TERM)),
        closed=Count("id", filter=Q(state__in=CLOSED_STATES)),
        overdue=Count("id", filter=is_open & Q(due_date__lt=today)),
        due_soon=Count("id", filter=is_open & Q(due_date__gte=today, due_date__lte=soon)),
        withdrawn=Count("id", filter=Q(state=State.WITHDRAWN)),
    )
    outcomes = Measure.objects.filter(
        problem__in=problems.exclude(state=State.WITHDRAWN).values("id"), withdrawn=False
    ).aggregate(
        measures=Count("id"),
        rules_made=Sum("rules_made"),
        rules_revised=Sum("rules_revised"),
        funds_recovered=Sum("funds_recovered"),
        people_held_accountable=Sum("people_held_accountable"),
    )
    measures = outcomes.pop("measures")
    outcomes = {k: v or (Decimal(0) if k == "funds_recovered" else 0) for k, v in outcomes.items()}
    return Figures(**counts, measures=measures, outcomes=outcomes)
