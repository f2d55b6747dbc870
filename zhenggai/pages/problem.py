"""The problem page: the ledger's part, the supervision orders on it, and its disclosure."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from zhenggai.evaluations.models import Rating
from zhenggai.ledger.models import get_problem_for_user
from zhenggai.ledger.pages import problem_page
from zhenggai.reports.services import may_set_disclosure
from zhenggai.rounds.models import InspectionRound
from zhenggai.supervision import services as supervision
from zhenggai.supervision.pages import escalations_for_problem


def problem_context(problem, user, **pages) -> dict:
    return {
        **problem_page(problem, user, **pages),
        "escalations": escalations_for_problem(problem, user),
        "may_escalate": supervision.may_issue(user, problem),
        "may_disclose": may_set_disclosure(user, problem),
        "bad_review": _bad_review(problem),
    }


def _bad_review(problem) -> Rating | None:
    """The 差评 a problem was raised from (only an evaluation round's problem can be)."""
    if problem.round.kind != InspectionRound.Kind.EVALUATION:
        return None
    return Rating.objects.filter(problem=problem).only("id", "level").first()


@login_required
@require_GET
def problem_detail(request, pk):
    problem = get_problem_for_user(request.user, pk)
    pages = {"reports_page": request.GET.get("reports"), "history_page": request.GET.get("history")}
    return render(
        request, "ledger/problem_detail.html", problem_context(problem, request.user, **pages)
    )
