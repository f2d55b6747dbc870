from django.conf import settings
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

from zhenggai.ledger import imports, services, workflow
from zhenggai.ledger.errors import Conflict, NotAllowed, Refused
from zhenggai.ledger.filters import ledger_queryset
from zhenggai.ledger.forms import (
    BulkForm,
    DecisionForm,
    FlagAnswerForm,
    ImportRowForm,
    ImportRowFormSet,
    ImportUploadForm,
    MeasureForm,
    NewRoundForm,
    NoteForm,
    ProblemForm,
    ReportForm,
    people_in_scope,
)
from zhenggai.ledger.models import (
    Flag,
    Problem,
    get_change_request_for_user,
    get_evidence_for_user,
    get_flag_for_user,
    get_import_draft_for_user,
    get_measure_for_user,
    get_problem_for_user,
)
from zhenggai.ledger.pages import (
    change_request_page,
    ledger_choices,
    ledger_rows,
)
from zhenggai.lib.http import as_id, attachment, posted, posted_files
from zhenggai.lib.request_limits import body_limit
from zhenggai.lib.views import refusal, require
from zhenggai.orgs.access import scope_for
from zhenggai.orgs.models import Unit
from zhenggai.rounds.models import get_new_round_draft_for_user, get_round_for_user
from zhenggai.rounds.services import may_create_rounds

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
    form = ReportForm(posted(request), posted_files(request), problem=problem)
    context = {"form": form, "problem": problem}
    if request.method == "POST" and form.is_valid():
        try:
            services.report_progress(
                problem,
                by=request.user,
                text=form.cleaned_data["text"],
                measure=form.cleaned_data["measure"],
                files=form.cleaned_data["files"],
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
def flag_create(request, pk):
    problem = get_problem_for_user(request.user, pk)
    require(services.may_flag(request.user, problem), "only the discipline group flags")
    form = NoteForm(posted(request))
    form.fields["note"].label, form.fields["note"].required = "监督意见", True
    context = {"form": form, "problem": problem}
    if request.method == "POST" and form.is_valid():
        try:
            services.flag_problem(problem, by=request.user, note=form.cleaned_data["note"])
        except Refused as exc:
            return refusal(request, exc, "ledger/flag_form.html", context)
        messages.success(request, "监督意见已记录。")
        return redirect(problem_url(problem))
    return render(request, "ledger/flag_form.html", context)


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


@body_limit("UPLOAD_MAX_BYTES")
@login_required
def import_upload(request, round_pk):
    round = get_round_for_user(request.user, round_pk)
    require(services.may_enter_problems(request.user, round), "may not import into this round")
    form = ImportUploadForm(posted(request), posted_files(request))
    context = {"form": form, "round": round}
    if request.method == "POST" and form.is_valid():
        try:
            draft = imports.start_import(round, form.cleaned_data["file"], by=request.user)
        except Refused as exc:
            return refusal(request, exc, "ledger/import_upload.html", context)
        return redirect("import_preview", round_pk=round.pk, pk=draft.pk)
    return render(request, "ledger/import_upload.html", context)


@login_required
def import_preview(request, round_pk, pk):
    draft = get_import_draft_for_user(request.user, round_pk, pk)
    require(services.may_enter_problems(request.user, draft.round), "may not import")
    preview = _Preview(request, draft)
    context = {
        **preview.context(),
        "draft": draft,
        "round": draft.round,
        "earlier": imports.draft_was_imported(draft),
        "warnings": [imports.warning_zh(w) for w in draft.parsed.get("warnings", [])],
        "dates_to_fill": imports.dates_to_fill(draft),
    }
    if request.method == "POST" and preview.formset.is_valid():
        try:
            rows = preview.keep()
            if preview.going_to:
                return redirect(preview.url_of(preview.going_to))
            result = imports.confirm_import(
                draft, rows, by=request.user, force=request.POST.get("force") == "1"
            )
        except Refused as exc:
            return refusal(request, exc, "ledger/import_preview.html", context)
        messages.success(request, f"已导入 {len(result.problems)} 个问题。")
        return redirect(reverse("ledger") + f"?round={draft.round_id}")
    return render(request, "ledger/import_preview.html", context)


class _Preview:
    """One page of an import preview: its rows as a formset, and what the person asked for
    (another page, whose rows are kept first, or the import)."""

    def __init__(self, request, draft):
        self.request, self.draft = request, draft
        self.rows = imports.preview_rows(draft, ImportRowForm.initial_rows)
        asked = request.POST.get("page") if request.method == "POST" else request.GET.get("page")
        self.number, self.start, self.pages = imports.preview_page(self.rows, asked)
        shown = self.rows[self.start : self.start + settings.IMPORT_PAGE_SIZE]
        self.formset = ImportRowFormSet(posted(request), initial=shown)
        goto = as_id(request.POST.get("goto")) if request.method == "POST" else None
        self.going_to = goto if goto and 1 <= goto <= self.pages else None

    def keep(self, **also) -> list[dict]:
        """Keep this page's rows (and `also`) on the draft; all rows, as the import takes them."""
        page = list(self.formset.cleaned_data)
        return imports.keep_page(self.draft, self.rows, self.start, page, **also)

    def url_of(self, number: int) -> str:
        return f"{self.request.path}?page={number}"

    def context(self) -> dict:
        return {
            "formset": self.formset,
            "row_count": len(self.rows),
            "page_number": self.number,
            "page_count": self.pages,
            "first_row": self.start + 1,
        }


# ---------------------------------------------------------------- concerns (监督意见)


def _back_or(request, default: str) -> str:
    """Where a form posted from another page (我的任务) sends its user back to, if safe."""
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    return target if target and safe else default


def _flag_not(request, flag, status: str, verb: str):
    """Send a user who opens a concern's form in the wrong state back, told why (else None)."""
    if flag.status == status:
        return None
    messages.error(request, f"该监督意见{flag.get_status_display()}，不能{verb}。")
    return redirect(problem_url(flag.problem) + f"#flag-{flag.pk}")


@login_required
def flag_answer(request, pk):
    flag = get_flag_for_user(request.user, pk)
    require(services.may_answer_flag(request.user, flag), "only the leader or office answers")
    form = FlagAnswerForm(posted(request))
    context = {"form": form, "flag": flag, "problem": flag.problem}
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_flag(flag, by=request.user, answer=form.cleaned_data["answer"])
        except Refused as exc:
            return refusal(request, exc, "ledger/flag_answer.html", context)
        messages.success(request, "监督意见已答复，待纪检监察组办结。")
        return redirect(_back_or(request, problem_url(flag.problem)))
    return _flag_not(request, flag, Flag.Status.OPEN, "答复") or render(
        request, "ledger/flag_answer.html", context
    )


def _flag_decision(request, pk, *, close: bool):
    """The page on which the discipline group closes an answered concern, or sends it back."""
    flag = get_flag_for_user(request.user, pk)
    require(services.may_decide_flag(request.user, flag), "only the discipline group decides")
    form = NoteForm(posted(request))
    form.fields["note"].label = "办结意见" if close else "退回理由"
    form.fields["note"].required = not close
    context = {"form": form, "flag": flag, "problem": flag.problem, "close": close}
    if request.method == "POST" and form.is_valid():
        note = form.cleaned_data["note"]
        try:
            if close:
                services.close_flag(flag, by=request.user, note=note)
            else:
                services.send_back_flag(flag, by=request.user, reason=note)
        except Refused as exc:
            return refusal(request, exc, "ledger/flag_decide.html", context)
        messages.success(request, "监督意见已办结。" if close else "已退回，等待重新答复。")
        return redirect(problem_url(flag.problem) + f"#flag-{flag.pk}")
    return _flag_not(request, flag, Flag.Status.ANSWERED, "办结或退回") or render(
        request, "ledger/flag_decide.html", context
    )


@login_required
def flag_close(request, pk):
    return _flag_decision(request, pk, close=True)


@login_required
def flag_send_back(request, pk):
    return _flag_decision(request, pk, close=False)


# ---------------------------------------------------------------- a new round from a document


@body_limit("UPLOAD_MAX_BYTES")
@login_required
def round_import_upload(request):
    require(may_create_rounds(request.user), "only an inspection office sets up rounds")
    form = ImportUploadForm(posted(request), posted_files(request))
    context = {"form": form, "round": None}
    if request.method == "POST" and form.is_valid():
        try:
            draft = imports.start_new_round_import(form.cleaned_data["file"], by=request.user)
        except Refused as exc:
            return refusal(request, exc, "ledger/import_upload.html", context)
        return redirect("round_import_preview", pk=draft.pk)
    return render(request, "ledger/import_upload.html", context)


@login_required
def round_import_preview(request, pk):
    draft = get_new_round_draft_for_user(request.user, pk)
    require(may_create_rounds(request.user), "only an inspection office sets up rounds")
    # The round as proposed from the document, or as typed before turning a page of problems.
    initial = draft.parsed.get("round_typed") or imports.round_proposal(draft, request.user)
    round_form = NewRoundForm(posted(request), user=request.user, initial=initial, prefix="round")
    preview = _Preview(request, draft)
    context = {
        **preview.context(),
        "draft": draft,
        "round": None,
        "round_form": round_form,
        "earlier": imports.earlier_import(draft, request.user),
        "warnings": [imports.warning_zh(w) for w in draft.parsed.get("warnings", [])],
    }
    if request.method == "POST" and preview.going_to and preview.formset.is_valid():
        typed = {name: round_form[name].value() for name in round_form.fields}
        try:
            preview.keep(round_typed=typed)
        except Refused as exc:
            return refusal(request, exc, "ledger/import_preview.html", context)
        return redirect(preview.url_of(preview.going_to))
    if request.method == "POST" and round_form.is_valid() and preview.formset.is_valid():
        try:
            rows = preview.keep()
            result = imports.confirm_new_round_import(
                draft,
                rows,
                round_form.round_fields(),
                by=request.user,
                force=request.POST.get("force") == "1",
            )
        except Refused as exc:
            return refusal(request, exc, "ledger/import_preview.html", context)
        messages.success(
            request, f"已设立巡察轮次“{result.round.title}”，导入 {len(result.problems)} 个问题。"
        )
        return redirect("round_detail", pk=result.round.pk)
    return render(request, "ledger/import_preview.html", context)
