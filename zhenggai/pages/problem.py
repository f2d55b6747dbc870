"""The problem page: the ledger's part, the supervision orders on it, and its disclosure."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from zhenggai.evaluations.models import Rating
from zhenggai.evaluations.services.bad_reviews import CALLBACK_STATES, callback_done, may_call_back
from zhenggai.ledger.models import get_problem_for_user
from zhenggai.ledger.pages import problem_page
from zhenggai.reports.services import may_set_disclosure
from zhenggai.rounds.models import InspectionRound
from zhenggai.supervision import services as supervision
from zhenggai.supervision.pages import escalations_for_problem, label_order_events


def problem_context(problem, user, **pages) -> dict:
    ledger = problem_page(problem, user, **pages)
    escalations = escalations_for_problem(problem, user)
    label_order_events(ledger["events"], escalations)  # history worded by the order's kind
    return {
        **ledger,
        "escalations": escalations,
        "may_escalate": supervision.may_issue(user, problem),
        "may_disclose": may_set_disclosure(user, problem),
        **_bad_review_context(problem, user),
    }


def _bad_review_context(problem, user) -> dict:
    """The 差评 a problem was raised from (only an evaluation round's problem can be), and
    whether the evaluation office still has to call its rater back before it verifies."""
    if problem.round.kind != InspectionRound.Kind.EVALUATION:
        return {"bad_review": None}
    rating = Rating.objects.filter(problem=problem).only("id", "level", "phone", "unit_id").first()
    due = (
        rating is not None
        and problem.state in CALLBACK_STATES
        and may_call_back(user, rating)
        and not callback_done(rating)
    )
    return {"bad_review": rating, "callback_due": due}


@login_required
@require_GET
def problem_detail(request, pk):
    problem = get_problem_for_user(request.user, pk)
    pages = {"reports_page": request.GET.get("reports"), "history_page": request.GET.get("history")}
    return render(
        request, "ledger/problem_detail.html", problem_context(problem, request.user, **pages)
    )
