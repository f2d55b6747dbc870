"""When a problem next owes something: the date its warning light is computed from."""

from datetime import date

from django.utils import timezone

from zhenggai.ledger.models import Measure, Problem, ProgressReport, State


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


def refresh_due_date(problem: Problem) -> None:
    due = next_due_date(problem)
    if due != problem.due_date:
        problem.due_date = due
        Problem.objects.filter(pk=problem.pk).update(due_date=due)
