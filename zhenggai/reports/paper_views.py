"""Downloads of the papers an office files: the three lists (三张清单) of a round or of the
ledger's filtered view, and the close-out forms (销号审批表) of a problem or of a round."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET

from zhenggai.ledger.filters import ledger_queryset
from zhenggai.ledger.models import Problem, get_problem_for_user
from zhenggai.lib.errors import Refused
from zhenggai.lib.http import DOCX, generated_download
from zhenggai.reports import documents
from zhenggai.reports.closeout_form import check_closed_out, closeout_docx
from zhenggai.reports.downloads import workbook_download
from zhenggai.reports.lists_xlsx import write_lists
from zhenggai.reports.titles import ledger_title
from zhenggai.rounds.models import get_round_for_user

log = logging.getLogger(__name__)
PDF = "application/pdf"


@login_required
@require_GET
def round_lists_xlsx(request, pk):
    round = get_round_for_user(request.user, pk)
    problems = Problem.objects.visible_to(request.user).filter(round=round)
    back = reverse("round_detail", args=[round.pk])
    return workbook_download(request, write_lists, problems, f"{round.subject}三张清单", back)


@login_required
@require_GET
def ledger_lists_xlsx(request):
    """The ledger page's view, as filtered, as the three lists."""
    filterset = ledger_queryset(request)
    if filterset.is_bound and not filterset.is_valid():
        messages.error(request, "筛选条件有误，请在台账页面修正后再导出。")
        return redirect("ledger")
    chosen = filterset.form.cleaned_data if filterset.is_bound else {}
    title = ledger_title(request.user, chosen).replace("整改台账", "三张清单")
    return workbook_download(request, write_lists, filterset.qs, title, reverse("ledger"))


def _form_response(request, problems, name: str, pdf: bool, back: str):
    try:
        data = closeout_docx(problems)
        if pdf:
            data = documents.to_pdf(data)
    except Refused as exc:
        messages.error(request, exc.message)
        return redirect(back)
    suffix = ".pdf" if pdf else ".docx"
    return generated_download(data, f"{name[:100]}{suffix}", PDF if pdf else DOCX)


@login_required
@require_GET
def problem_closeout(request, pk, pdf=False):
    problem = get_problem_for_user(request.user, pk)
    back = reverse("problem_detail", args=[problem.pk])
    try:
        check_closed_out(problem)
    except Refused as exc:
        messages.error(request, exc.message)
        return redirect(back)
    name = f"{problem.round.subject}问题{problem.number or problem.pk}销号审批表"
    return _form_response(request, [problem], name, pdf, back)


@login_required
@require_GET
def round_closeout(request, pk, pdf=False):
    round = get_round_for_user(request.user, pk)
    problems = Problem.objects.visible_to(request.user).filter(round=round)
    back = reverse("round_detail", args=[round.pk])
    return _form_response(request, problems, f"{round.subject}销号审批表", pdf, back)
