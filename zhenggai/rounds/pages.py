"""What a round's own page shows: the figures a notice states, its areas, its documents."""

from django.db.models import Count, Min, Q

from zhenggai.ledger.figures import figures_for
from zhenggai.ledger.models import CLOSED_STATES, State
from zhenggai.ledger.services import may_enter_problems
from zhenggai.rounds import services
from zhenggai.rounds.models import InspectionRound


def round_overview(round: InspectionRound, user) -> dict:
    problems = round.problems.all()
    areas = (
        problems.exclude(state=State.WITHDRAWN)
        .values("area")
        .annotate(
            total=Count("id"),
            done=Count("id", filter=Q(state__in=[*CLOSED_STATES, State.LONG_TERM])),
            first=Min("position"),
        )
        .order_by("first")
    )
    return {
        "round": round,
        "figures": figures_for(problems),
        "areas": areas,
        "documents": round.documents.select_related("uploaded_by"),
        "may_edit": services.may_edit_round(user, round),
        "may_enter": may_enter_problems(user, round),
        "may_attach": services.may_attach(user, round),
    }
