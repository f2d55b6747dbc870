"""约谈 pages (the list, one interview, opening, scheduling and recording it) and the clues
handed to the discipline group (the list, handing one, signing for it)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from zhenggai.assessments.access import (
    get_month_for_user,
    interviews_visible_to,
    reads_interviews,
    reads_office,
    runs,
)
from zhenggai.assessments.interview_forms import (
    ClueForm,
    CommitmentFormSet,
    InterviewCreateForm,
    RecordForm,
    ScheduleForm,
    commitments_from,
)
from zhenggai.assessments.models import Clue, Interview
from zhenggai.assessments.services import interviews
from zhenggai.assessments.services.schemes import units_below
from zhenggai.evaluations.offices import evaluation_offices, reads_office_records
from zhenggai.lib.errors import NotAllowed, Refused
from zhenggai.lib.http import as_id, posted
from zhenggai.lib.views import refusal, require
from zhenggai.orgs.models import Membership, Role


def get_interview_for_user(user, pk) -> Interview:
    related = ("office", "unit", "month__scheme__group", "created_by")
    return get_object_or_404(interviews_visible_to(user).select_related(*related), pk=pk)


def _get_run_interview(user, pk) -> Interview:
    interview = get_interview_for_user(user, pk)
    require(runs(user, interview.office_id), "only the office runs its interviews")
    return interview


@login_required
@require_GET
def interview_list(request):
    require(reads_interviews(request.user), "neither the office nor an assessed unit")
    found = interviews_visible_to(request.user).select_related("unit", "month", "month__scheme")
    state = request.GET.get("state", "")
    if state in Interview.State.values:
        found = found.filter(state=state)
    context = {
        "page": Paginator(found, 30).get_page(request.GET.get("page")),
        "state": state,
        "states": Interview.State.choices,
        "may_open": evaluation_offices(request.user).exists(),
        "here": "interviews",
    }
    return render(request, "assessments/interviews/list.html", context)


@login_required
@require_GET
def interview_detail(request, pk):
    interview = get_interview_for_user(request.user, pk)
    commitments = interview.commitments.select_related("problem")
    context = {
        "interview": interview,
        "commitments": commitments,
        # Clues are for the office and its discipline group, never for the unit they are about.
        "clues": (
            interview.clues.select_related("handed_by", "received_by")
            if reads_office(request.user, interview.office_id)
            else None
        ),
        "may_run": runs(request.user, interview.office_id),
        "here": "interviews",
    }
    return render(request, "assessments/interviews/detail.html", context)


@login_required
def interview_create(request):
    offices = evaluation_offices(request.user)
    require(offices.exists(), "only an evaluation office opens interviews")
    form = InterviewCreateForm(posted(request), offices=offices)
    context = {"form": form, "here": "interviews"}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            interview = interviews.open_interview(
                data["office"], data["unit"], by=request.user, reason=data["reason"]
            )
        except Refused as exc:
            return refusal(request, exc, "assessments/interviews/create.html", context)
        messages.success(request, f"已启动对“{interview.unit.name}”的约谈，请安排约谈时间和人员。")
        return redirect("interview_schedule", interview.pk)
    return render(request, "assessments/interviews/create.html", context)


@login_required
def interview_schedule(request, pk):
    interview = _get_run_interview(request.user, pk)
    form = ScheduleForm.for_interview(interview, posted(request))
    context = {"form": form, "interview": interview, "here": "interviews"}
    if interview.state == Interview.State.HELD and request.method == "GET":
        messages.info(request, "该约谈已经进行，安排不能再修改。")
    if request.method == "POST" and form.is_valid():
        try:
            interviews.schedule_interview(interview, by=request.user, **form.cleaned_data)
        except Refused as exc:
            return refusal(request, exc, "assessments/interviews/schedule.html", context)
        messages.success(request, "约谈安排已保存。")
        return redirect("interview_detail", interview.pk)
    return render(request, "assessments/interviews/schedule.html", context)


@login_required
def interview_record(request, pk):
    interview = _get_run_interview(request.user, pk)
    # The day it was planned for, once that has come; else today (a held interview is never
    # dated in the future).
    today = timezone.localdate()
    planned = interview.scheduled_on
    form = RecordForm(posted(request), initial={"held_on": min(planned or today, today)})
    rows = CommitmentFormSet(posted(request), prefix="c")
    context = {"form": form, "rows": rows, "interview": interview, "here": "interviews"}
    if request.method == "POST" and form.is_valid() and rows.is_valid():
        try:
            interviews.record_interview(
                interview, by=request.user, commitments=commitments_from(rows), **form.cleaned_data
            )
        except Refused as exc:
            return refusal(request, exc, "assessments/interviews/record.html", context)
        messages.success(request, "约谈情况已登记，整改承诺已转为整改问题。")
        return redirect("interview_detail", interview.pk)
    return render(request, "assessments/interviews/record.html", context)


@login_required
@require_GET
def clue_list(request):
    require(reads_office_records(request.user), "only the office and its discipline group")
    clues = Clue.objects.visible_to(request.user).select_related(
        "unit", "month__scheme__group", "interview", "handed_by", "received_by"
    )
    receiving = set(
        Membership.objects.filter(user_id=request.user.pk, role=Role.DISCIPLINE).values_list(
            "unit_id", flat=True
        )
    )
    context = {
        "page": Paginator(clues, 30).get_page(request.GET.get("page")),
        "receiving": receiving,
        "here": "clues",
    }
    return render(request, "assessments/interviews/clue_list.html", context)


def _clue_source(request):
    """The interview or month a clue is handed from (?interview= or ?month=), its office and the
    units it may be about."""
    interview_id, month_id = as_id(request.GET.get("interview")), as_id(request.GET.get("month"))
    if interview_id:
        interview = get_interview_for_user(request.user, interview_id)
        return (
            {"interview": interview},
            interview.office,
            units_below(interview.office).filter(pk=interview.unit_id),
        )
    if month_id:
        month = get_month_for_user(request.user, month_id)
        return {"month": month}, month.scheme.office, month.scheme.group.units.all()
    raise Http404


@login_required
def clue_create(request):
    source, office, units = _clue_source(request)
    require(runs(request.user, office.pk), "only the office hands clues")
    form = ClueForm(posted(request), units=units, initial={"unit": units.first()})
    context = {"form": form, **source, "here": "clues"}
    if request.method == "POST" and form.is_valid():
        try:
            interviews.hand_clue(office, by=request.user, **form.cleaned_data, **source)
        except Refused as exc:
            return refusal(request, exc, "assessments/interviews/clue_form.html", context)
        messages.success(request, "线索已移交纪检监察组。")
        return redirect("clue_list")
    return render(request, "assessments/interviews/clue_form.html", context)


@login_required
@require_POST
def clue_receive(request, pk):
    clue = get_object_or_404(Clue.objects.visible_to(request.user), pk=pk)
    try:
        interviews.receive_clue(clue, by=request.user)
    except NotAllowed as exc:
        raise PermissionDenied(exc.reason) from None
    except Refused as exc:
        messages.error(request, exc.message)
        return redirect("clue_list")
    messages.success(request, "线索已签收。")
    return redirect("clue_list")
