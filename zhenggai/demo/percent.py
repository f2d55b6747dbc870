"""The demo's measures in progress get completion percentages of their own, reported with progress
by the people who may (the section's staff for the measures their section carries, else the
rectification office), so that the ledger, the problem pages, the exports and the dashboard
show varied 完成进度 rather than 0 everywhere."""

from zhenggai.ledger.models import Measure, State
from zhenggai.ledger.services import may_report, report_progress

# Spread over the measures in turn: a little begun, half way, nearly done.
STEPS = (10, 30, 45, 60, 75, 90, 20, 50, 80, 100)


def _reporter(users: dict, measure: Measure):
    """The section's staff member where their section carries the measure, else the office."""
    for name in ("keshi", "zhenggaiban"):
        user = users.get(name)
        if user is not None and may_report(user, measure.problem, measure):
            return user
    return None


def load_percentages(users: dict, rounds: list) -> int:
    """Report a percentage on every open measure of the rounds' problems in progress (a step
    of STEPS in turn); returns how many were reported."""
    measures = (
        Measure.objects.filter(
            problem__round__in=rounds,
            problem__state=State.IN_PROGRESS,
            withdrawn=False,
            completed_on__isnull=True,
        )
        .select_related("problem", "problem__round")
        .order_by("problem__round_id", "problem__position", "position", "id")
    )
    reported = 0
    for n, measure in enumerate(measures):
        by = _reporter(users, measure)
        if by is None:
            continue
        percent = STEPS[n % len(STEPS)]
        text = (
            "该项措施已全部落实，待统一申请销号。"
            if percent == 100
            else f"按措施推进，已完成约{percent}%，剩余工作按计划推进。"
        )
        report_progress(measure.problem, by=by, text=text, measure=measure, percent=percent)
        reported += 1
    return reported
