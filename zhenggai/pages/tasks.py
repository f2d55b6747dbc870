"""我的任务: a person's open measures, what was returned to them, and what waits for them in
every app (sign-offs, concerns, supervision orders, opinions of the public)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from zhenggai.evaluations.handling_pages import awaiting as evaluations_awaiting
from zhenggai.ledger import pages as ledger
from zhenggai.ledger.progress_import import progress_rounds
from zhenggai.orgs.access import scope_for
from zhenggai.orgs.models import Role
from zhenggai.public.pages import opinions_waiting
from zhenggai.supervision.pages import escalations_awaiting

PAGE_SIZE = 50


def waiting_for(user) -> dict:
    answering = scope_for(user).units_with(Role.LEADER, Role.RECTIFICATION_OFFICE)
    return {
        **ledger.awaiting_decision(user),
        "opinions_waiting": opinions_waiting(answering),
        **escalations_awaiting(user),
        **evaluations_awaiting(user),
    }


@login_required
@require_GET
def my_tasks(request):
    page = Paginator(ledger.my_tasks(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    returned = ledger.returned_to(request.user)
    context = {
        "page": page,
        "rows": page.object_list,
        "returned": returned,
        "returned_ids": {p.pk for p in returned},
        "progress_rounds": progress_rounds(request.user),
        **waiting_for(request.user),
    }
    return render(request, "ledger/my_tasks.html", context)
