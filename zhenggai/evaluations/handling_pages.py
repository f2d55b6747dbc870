"""What the rating page shows a user: the rating, what of the rater they may see, its problem,
call backs and appeal, and what they may do."""

from django.db.models import Count, Q

from zhenggai.evaluations.models import Appeal, Rating
from zhenggai.evaluations.services import appeals
from zhenggai.evaluations.services.bad_reviews import (
    CALLBACK_ATTEMPTS,
    CALLBACK_STATES,
    callback_done,
    may_call_back,
)
from zhenggai.ledger.models import Problem
from zhenggai.orgs.access import scope_for
from zhenggai.orgs.models import Role


def may_see_rater(user, rating: Rating) -> bool:
    """What a rater gave (case number, phone) and the keyed hashes: the evaluation office's
    alone, never the rated unit's (背靠背)."""
    return may_call_back(user, rating)


def rating_page(rating: Rating, user) -> dict:
    problem = (
        Problem.objects.visible_to(user)
        .filter(pk=rating.problem_id)
        .select_related("round")
        .first()
    )
    appeal = Appeal.objects.filter(rating=rating).select_related("filed_by", "decided_by").first()
    office = may_see_rater(user, rating)
    return {
        "rating": rating,
        "dimensions": rating.dimension_values(),
        "sees_rater": office,
        "problem": problem,
        "callbacks": list(rating.callbacks.select_related("recorded_by")),
        "callback_done": callback_done(rating),
        "may_call_back": office and problem is not None and problem.state in CALLBACK_STATES,
        "appeal": appeal,
        "may_appeal": appeal is None
        and rating.is_bad
        and appeals.may_appeal(user, rating)
        and (problem is None or problem.is_open),
        "may_decide": appeal is not None
        and appeal.status == Appeal.Status.OPEN
        and appeals.may_decide(user, rating),
        "follow_up": getattr(rating, "follow_up", None),
    }


def awaiting(user) -> dict:
    """What waits for the evaluation office in 我的任务: raters to call back (their 差评 reported
    rectified, the rater not yet reached) and appeals to review."""
    units = scope_for(user).units_with(Role.EVALUATION_OFFICE)
    if not units:
        return {"callbacks_due": [], "appeals_to_decide": []}
    due = (
        Rating.objects.filter(unit_id__in=units, problem__state__in=CALLBACK_STATES)
        .exclude(phone="")
        .annotate(reached=Count("callbacks", filter=~Q(callbacks__outcome="not_reached")))
        .annotate(tries=Count("callbacks"))
        .filter(reached=0, tries__lt=CALLBACK_ATTEMPTS)
        .select_related("point", "unit", "problem")
        .order_by("problem__state_changed_at")
    )
    appeals = (
        Appeal.objects.filter(rating__unit_id__in=units, status=Appeal.Status.OPEN)
        .select_related("rating__point", "rating__unit")
        .order_by("filed_at")
    )
    return {"callbacks_due": list(due[:50]), "appeals_to_decide": list(appeals[:50])}
