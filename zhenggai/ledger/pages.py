"""What the ledger's pages show, gathered in a fixed number of queries per page."""

from django.db.models import Prefetch, Q

from zhenggai.ledger import services, workflow
from zhenggai.ledger.models import OPEN_STATES, ChangeRequest, Measure, Problem
from zhenggai.orgs.access import scope_for

_MEASURES = Prefetch(
    "measures",
    queryset=Measure.objects.filter(withdrawn=False)
    .select_related("lead_section", "lead_leader", "owner")
    .prefetch_related("responsible_sections"),
    to_attr="active_measures",
)


def ledger_rows(problems, user) -> list[Problem]:
    """Problems of one ledger page with their active measures attached."""
    problems = list(problems.prefetch_related(_MEASURES))
    for problem in problems:
        for measure in problem.active_measures:
            measure.problem = problem  # the warning needs the problem's state and round
    return problems


def my_task_rows(user) -> list[Measure]:
    """Open measures the user owns, or that a section of theirs leads or carries out."""
    scope = scope_for(user)
    sections = set().union(*scope.sections.values()) if scope.sections else set()
    mine = Q(owner=user) | Q(lead_section_id__in=sections) | Q(responsible_sections__in=sections)
    ids = (
        Measure.objects.visible_to(user)
        .filter(mine, withdrawn=False, problem__state__in=OPEN_STATES)
        .values("id")
    )
    measures = (
        Measure.objects.filter(id__in=ids)
        .select_related("problem", "problem__round", "lead_section", "owner")
        .order_by("problem__due_date", "problem_id", "position")[:500]
    )
    return list(measures)


def problem_page(problem: Problem, user) -> dict:
    measures = list(
        problem.measures.select_related("lead_section", "lead_leader", "owner")
        .prefetch_related("responsible_sections")
        .order_by("withdrawn", "position", "id")
    )
    for measure in measures:
        measure.problem = problem
        measure.may_report = services.may_report(user, problem, measure)
    reports = problem.reports.select_related("created_by", "measure").prefetch_related("evidence")
    events = problem.events.select_related("actor").order_by("-at", "-id")
    pending = problem.change_requests.filter(status=ChangeRequest.Status.PENDING).select_related(
        "measure", "requested_by"
    )
    return {
        "problem": problem,
        "round": problem.round,
        "measures": measures,
        "reports": reports,
        "events": events,
        "flags": problem.flags.select_related("created_by"),
        "pending_requests": [
            (r, services.describe(r.changes, services.current_values(r))) for r in pending
        ],
        "transitions": workflow.available_transitions(problem, user),
        "may_edit": services.may_edit_problem(user, problem),
        "may_plan": services.may_plan(user, problem),
        "may_report": services.may_report(user, problem),
        "may_flag": services.may_flag(user, problem),
        "plan_direct": services.applies_directly(user, problem),
    }
