from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from zhenggai.ledger import services, workflow
from zhenggai.ledger.filters import ledger_queryset
from zhenggai.ledger.forms import (
    BulkForm,
    DecisionForm,
    MeasureForm,
    NoteForm,
    ProblemForm,
    ReportForm,
    people_in_scope,
)
from zhenggai.ledger.models import (
    Problem,
    get_change_request_for_user,
    get_evidence_for_user,
    get_measure_for_user,
    get_problem_for_user,
)
from zhenggai.ledger.pages import (
    change_request_page,
    ledger_choices,
    ledger_rows,
)
from zhenggai.lib.errors import Conflict, NotAllowed, Refused
from zhenggai.lib.http import as_id, attachment, posted, posted_files
from zhenggai.lib.request_limits import body_limit
from zhenggai.lib.views import refusal, require
from zhenggai.orgs.access import scope_for
from zhenggai.orgs.models import Unit
from zhenggai.rounds.models import get_round_for_user

PAGE_SIZE = 50


class CappedPaginator(Paginator):
    """Counts at most COUNT_CAP rows (`count_capped` says whether there are more)."""

    COUNT_CAP = 1000
    count_capped = False

    @cached_property
    def count(self) -> int:
        found = self.object_list[: self.COUNT_CAP + 1].count()
        self.count_capped = found > self.COUNT_CAP
        return min(found, self.COUNT_CAP)


@login_required
@require_GET
def ledger(request):
    filterset = ledger_queryset(request)
    # A text search counts its matches only up to a cap: the first pages are what people read.
    paginator = CappedPaginator if request.GET.get("q", "").strip() else Paginator
    page = paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filter": filterset,
        "page": page,
        "rows": ledger_rows(page.object_list, request.user),
        "choices": ledger_choices(request, filterset),
    }
    if request.headers.get("HX-Request"):
        # A new unit or round changes the round, section and leader lists: send them along.
        context["oob_filters"] = bool(request.headers.get("X-Ledger-Lists"))
        response = render(request, "ledger/_ledger_table.html", context)
    else:
        response = render(request, "ledger/ledger.html", context)
    # The same URL answers a whole page or the table alone: caches must tell them apart.
    patch_vary_headers(response, ["HX-Request", "X-Ledger-Lists"])
    return response


@login_required
@require_POST
def ledger_bulk(request):
    visible = Problem.objects.visible_to(request.user)
    asked = {as_id(pk) for pk in request.POST.getlist("problems")} - {None}
    if asked and visible.filter(pk__in=asked).count() != len(asked):
        raise Http404("a problem of the bulk change is not visible")
    back = _safe_next(request)
    scope = scope_for(request.user)
    sections = scope.restrict(Unit.objects.filter(kind=Unit.Kind.SECTION), "parent_id")
    form = BulkForm(
        request.POST, problems=visible, sections=sections, people=people_in_scope(scope)
    )
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, "；".join(errors))
        return redirect(back)
    try:
        result = services.bulk_update_measures(
            form.cleaned_data["problems"],
            by=request.user,
            reason=form.cleaned_data["reason"],
            **form.changes(),
        )
    except Refused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            f"已直接调整 {len(result.applied)} 条措施，提交变更申请 {len(result.requests)} 项。",
        )
    return redirect(back)


def _safe_next(request) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("ledger")


@login_required
def problem_create(request, round_pk):
    round = get_round_for_user(request.user, round_pk)
    require(services.may_enter_problems(request.user, round), "may not enter problems")
    form = ProblemForm(posted(request))
    context = {"form": form, "round": round}
    if request.method == "POST" and form.is_valid():
        try:
            problem = services.create_problem(round, by=request.user, **form.cleaned_data)
        except Refused as exc:
            return refusal(request, exc, "ledger/problem_form.html", context)
        messages.success(request, "问题已录入。")
        return redirect(problem_url(problem))
    return render(request, "ledger/problem_form.html", context)


@login_required
def problem_edit(request, pk):
    problem = get_problem_for_user(request.user, pk)
    require(services.may_edit_problem(request.user, problem), "may not edit this problem")
    initial = {
        "number": problem.number,
        "title": problem.title,
        "description": problem.description,
        "path": "\n".join(problem.path),
    }
    form = ProblemForm(posted(request), initial=initial)
    context = {"form": form, "round": problem.round, "problem": problem}
    if request.method == "POST" and form.is_valid():
        try:
            services.update_problem(problem, by=request.user, **form.cleaned_data)
        except Refused as exc:
            return refusal(request, exc, "ledger/problem_form.html", context)
        messages.success(request, "问题已修改。")
        return redirect(problem_url(problem))
    return render(request, "ledger/problem_form.html", context)


@login_required
def problem_transition(request, pk, name):
    problem = get_problem_for_user(request.user, pk)
    transition = workflow.TRANSITIONS.get(name)
    if transition is None:
        raise Http404
    try:
        workflow.check(transition, problem, request.user)
    except NotAllowed as exc:
        if workflow.separation_notice(problem, request.user):  # the role, but not this problem
            messages.error(request, exc.message)
            return redirect(problem_url(problem))
        raise PermissionDenied(exc.reason) from None
    except Refused as exc:
        messages.error(request, exc.message)
        return redirect(problem_url(problem))
    form = NoteForm(posted(request))
    form.fields["note"].label = transition.note_label
    form.fields["note"].required = transition.note_required
    context = {"form": form, "problem": problem, "transition": transition}
    if request.method == "POST" and form.is_valid():
        try:
            workflow.transition(problem, name, by=request.user, note=form.cleaned_data["note"])
        except Refused as exc:
            return refusal(request, exc, "ledger/transition_form.html", context)
        messages.success(request, f"已{transition.label}。")
        return redirect(problem_url(problem))
    return render(request, "ledger/transition_form.html", context)


@login_required
def measure_create(request, pk):
    problem = get_problem_for_user(request.user, pk)
    require(services.may_plan(request.user, problem), "may not plan measures")
    if not services.applies_directly(request.user, problem):
        messages.error(request, "方案已审定，新增措施须由单位领导添加，或对现有措施提出调整申请。")
        return redirect(problem_url(problem))
    form = MeasureForm(
        posted(request), unit_id=problem.unit_id, feedback_date=problem.round.feedback_date
    )
    context = {"form": form, "problem": problem}
    if request.method == "POST" and form.is_valid():
        try:
            services.create_measure(problem, by=request.user, **form.measure_fields())
        except Refused as exc:
            return refusal(request, exc, "ledger/measure_form.html", context)
        messages.success(request, "整改措施已添加。")
        return redirect(problem_url(problem))
    return render(request, "ledger/measure_form.html", context)


@login_required
def measure_edit(request, pk):
    measure = get_measure_for_user(request.user, pk)
    problem = measure.problem
    require(
        services.may_change_plan(request.user, problem, measure)
        or services.may_report(request.user, problem, measure),
        "may not change this measure",
    )
    form = MeasureForm(
        posted(request),
        unit_id=problem.unit_id,
        feedback_date=problem.round.feedback_date,
        initial=MeasureForm.initial_for(measure),
    )
    context = {
        "form": form,
        "problem": problem,
        "measure": measure,
        "direct": services.applies_directly(request.user, problem),
    }
    if request.method == "POST" and form.is_valid():
        try:
            result = services.update_measure(
                measure,
                by=request.user,
                base_version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
                **form.measure_fields(),
            )
        except Refused as exc:
            if isinstance(exc, Conflict):
                measure.refresh_from_db()
                context["current"] = measure
            return refusal(request, exc, "ledger/measure_form.html", context)
        if result.requests:
            messages.info(request, "时限或方案的调整已提交单位领导审批，批准后生效。")
        messages.success(request, "已保存。" if result.applied else "没有需要直接保存的修改。")
        return redirect(problem_url(problem))
    return render(request, "ledger/measure_form.html", context)


@login_required
def measure_withdraw(request, pk):
    measure = get_measure_for_user(request.user, pk)
    require(
        services.may_plan(request.user, measure.problem)
        and services.applies_directly(request.user, measure.problem),
        "may not withdraw this measure",
    )
    form = NoteForm(posted(request))
    form.fields["note"].label, form.fields["note"].required = "撤销理由", True
    context = {"form": form, "problem": measure.problem, "measure": measure}
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw_measure(
                measure,
                by=request.user,
                reason=form.cleaned_data["note"],
                base_version=as_id(request.POST.get("version")),
            )
        except Refused as exc:
            return refusal(request, exc, "ledger/measure_withdraw.html", context)
        messages.success(request, "措施已撤销（保留在历史记录中）。")
        return redirect(problem_url(measure.problem))
    return render(request, "ledger/measure_withdraw.html", context)


@body_limit("UPLOAD_MAX_BYTES")
@login_required
def report_create(request, pk):
    problem = get_problem_for_user(request.user, pk)
    require(services.may_report(request.user, problem), "may not report on this problem")
    form = ReportForm(
        posted(request),
        posted_files(request),
        problem=problem,
        user=request.user,
        chosen=request.GET.get("measure"),
    )
    context = {"form": form, "problem": problem}
    if request.method == "POST" and form.is_valid():
        try:
            services.report_progress(
                problem,
                by=request.user,
                text=form.cleaned_data["text"],
                measure=form.cleaned_data["measure"],
                files=form.cleaned_data["files"],
                percent=form.cleaned_data["percent"],
            )
        except Refused as exc:
            return refusal(request, exc, "ledger/report_form.html", context)
        messages.success(request, "整改进展已报告。")
        return redirect(problem_url(problem))
    return render(request, "ledger/report_form.html", context)


@login_required
@require_GET
def evidence_download(request, pk):
    evidence = get_evidence_for_user(request.user, pk)
    return attachment(evidence.file, evidence.original_name, evidence.content_type)


@login_required
@require_GET
def change_requests(request):
    return render(request, "ledger/change_requests.html", change_request_page(request.user))


@login_required
@require_POST
def change_request_decide(request, pk):
    change = get_change_request_for_user(request.user, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("无效的审批。")
    try:
        services.decide_change_request(change, by=request.user, **form.cleaned_data)
    except Refused as exc:
        if isinstance(exc, NotAllowed):
            raise PermissionDenied(exc.reason) from None
        messages.error(request, exc.message)
    else:
        approved = form.cleaned_data["approve"]
        messages.success(request, "已批准，变更已生效。" if approved else "已不予批准。")
        passed = services.past_deadline_warning(change.changes.get("deadline"))
        if approved and passed:
            messages.warning(request, f"{passed}，该措施已按逾期显示红灯；如有误，请再调整。")
    return redirect("change_requests")


def problem_url(problem: Problem) -> str:
    return reverse("problem_detail", args=[problem.pk])
