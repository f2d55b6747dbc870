"""A round's page: its overview, its milestones and the opinions of the public on its notice."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from zhenggai.public.pages import new_opinions
from zhenggai.reports.documents import soffice
from zhenggai.rounds.models import get_round_for_user
from zhenggai.rounds.pages import round_overview
from zhenggai.supervision.milestones import milestones_for
from zhenggai.supervision.services import may_keep_milestones


@login_required
@require_GET
def round_detail(request, pk):
    round = get_round_for_user(request.user, pk)
    context = {
        **round_overview(round, request.user),
        "milestones": milestones_for(round),
        "new_opinions": new_opinions(round),
        "may_keep_milestones": may_keep_milestones(request.user, round),
        "pdf_available": soffice() is not None,  # the papers' PDF links
    }
    return render(request, "rounds/round_detail.html", context)
