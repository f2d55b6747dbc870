from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from zhenggai.ledger.models import get_problem_for_user
from zhenggai.lib.errors import Refused
from zhenggai.lib.http import DOCX, attachment, generated_download, posted, posted_files
from zhenggai.lib.request_limits import body_limit
from zhenggai.lib.views import refusal, require
from zhenggai.rounds.models import get_round_for_user
from zhenggai.supervision import order_document, services
from zhenggai.supervision.dashboard import dashboard_page
from zhenggai.supervision.forms import (
    AnswerForm,
    EscalationDecisionForm,
    EscalationForm,
    MilestoneForm,
    PreferenceForm,
)
from zhenggai.supervision.milestones import milestones_for
from zhenggai.supervision.models import (
    Escalation,
    EscalationAttachment,
    Milestone,
    Preference,
    RoundMilestone,
    get_escalation_for_user,
)
from zhenggai.supervision.pages import escalation_page, notification_page

PDF = "application/pdf"

# Dashboards


@login_required
@require_GET
def dashboard(request):
    """督办看板: the figures of the units the user sees, narrowed by `unit` and `round`."""
    return render(request, "supervision/dashboard.html", dashboard_page(request.user, request.GET))


# Supervision orders


@login_required
def escalation_create(request, pk):
    problem = get_problem_for_user(request.user, pk)
    require(services.may_issue(request.user, problem), "may not issue supervision orders here")
    measures = list(problem.measures.filter(withdrawn=False).order_by("position", "id"))
    kind = request.GET.get("kind")  # the problem page's 下发督办单 / 下发催办单
    initial = {"kind": kind} if kind in Escalation.Kind.values else {}
    form = EscalationForm(posted(request), measures=measures, initial=initial)
    context = {"form": form, "problem": problem}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        measure = next((m for m in measures if m.pk == data["measure"]), None)
        try:
            order = services.issue_escalation(
                problem,
                by=request.user,
                level=data["level"],
                demand=data["demand"],
                due_on=data["due_on"],
                measure=measure,
                kind=data["kind"],
            )
        except Refused as exc:
            return refusal(request, exc, "supervision/escalation_form.html", context)
        messages.success(request, f"{order.reference}已下发。")
        return redirect("problem_detail", problem.pk)
    return render(request, "supervision/escalation_form.html", context)


@body_limit("UPLOAD_MAX_BYTES")
@login_required
def escalation_answer(request, pk):
    escalation = get_escalation_for_user(request.user, pk)
    require(services.may_answer(request.user, escalation), "may not answer this order")
    form = AnswerForm(posted(request), posted_files(request))
    context = {"form": form, "escalation": escalation, "problem": escalation.problem}
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_escalation(escalation, by=request.user, **form.cleaned_data)
        except Refused as exc:
            return refusal(request, exc, "supervision/escalation_answer.html", context)
        messages.success(request, "督办答复已提交。")
        return redirect("problem_detail", escalation.problem_id)
    return render(request, "supervision/escalation_answer.html", context)


@login_required
def escalation_decide(request, pk):
    escalation = get_escalation_for_user(request.user, pk)
    require(services.may_decide(request.user, escalation), "may not decide this order")
    form = EscalationDecisionForm(posted(request))
    context = {"form": form, "escalation": escalation, "problem": escalation.problem}
    if request.method == "POST" and form.is_valid():
        try:
            services.decide_escalation(escalation, by=request.user, **form.cleaned_data)
        except Refused as exc:
            return refusal(request, exc, "supervision/escalation_decide.html", context)
        accepted = form.cleaned_data["accept"]
        messages.success(request, "督办单已办结。" if accepted else "已退回，等待重新答复。")
        return redirect("problem_detail", escalation.problem_id)
    return render(request, "supervision/escalation_decide.html", context)


@login_required
@require_GET
def order_print(request, pk, format):
    """The order on one A4 page (Word or PDF), made from the stored order and its answer."""
    escalation = get_escalation_for_user(request.user, pk)
    if format == "pdf":
        try:
            data = order_document.order_pdf(escalation)
        except Refused as exc:
            messages.error(request, exc.message)
            return redirect(
                f"{reverse('problem_detail', args=[escalation.problem_id])}#escalations"
            )
        return generated_download(data, order_document.file_name(escalation, ".pdf"), PDF)
    data = order_document.order_docx(escalation)
    return generated_download(data, order_document.file_name(escalation, ".docx"), DOCX)


@login_required
@require_GET
def order_attachment(request, pk):
    """A file of an order's answer, to whoever may read the order."""
    item = get_object_or_404(EscalationAttachment.objects.visible_to(request.user), pk=pk)
    return attachment(item.file, item.original_name, item.content_type)


@login_required
@require_GET
def escalation_list(request):
    """督办事项: the orders in the user's scope, open ones first."""
    return render(
        request, "supervision/escalations.html", escalation_page(request.user, request.GET)
    )


# Milestones


@login_required
def milestone_edit(request, round_pk, milestone):
    round = get_round_for_user(request.user, round_pk)
    require(services.may_keep_milestones(request.user, round), "may not keep milestones")
    if milestone not in Milestone.values:
        raise Http404("unknown milestone")
    entry = RoundMilestone.objects.filter(round=round, milestone=milestone).first()
    initial = (
        {"done_on": entry.done_on, "due_on": entry.due_on, "note": entry.note} if entry else {}
    )
    form = MilestoneForm(posted(request), initial=initial)
    view = next(m for m in milestones_for(round) if m.milestone == milestone)
    context = {"form": form, "round": round, "milestone": view}
    if request.method == "POST" and form.is_valid():
        try:
            services.record_milestone(round, milestone, by=request.user, **form.cleaned_data)
        except Refused as exc:
            return refusal(request, exc, "supervision/milestone_form.html", context)
        messages.success(request, f"“{view.label}”已更新。")
        return redirect("round_detail", round.pk)
    return render(request, "supervision/milestone_form.html", context)


# Reminders


@login_required
def reminder_settings(request):
    preference = Preference.objects.filter(user=request.user).first() or Preference(
        user=request.user
    )
    form = PreferenceForm(posted(request), instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "提醒设置已保存。")
        return redirect("reminder_settings")
    context = {"form": form, "email_enabled": settings.EMAIL_ENABLED}
    return render(request, "supervision/reminder_settings.html", context)


@login_required
@require_GET
def notification_list(request):
    """提醒记录: what was sent to whom and how it went, failing channels first."""
    page = notification_page(request.user, request.GET)
    return render(request, "supervision/notifications.html", page)
