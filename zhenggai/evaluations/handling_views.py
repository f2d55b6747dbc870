"""A rating's page and what follows a 差评: the call back, the appeal and its decision."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from zhenggai.evaluations.handling_forms import AppealDecisionForm, AppealForm, CallbackForm
from zhenggai.evaluations.handling_pages import rating_page
from zhenggai.evaluations.models import Appeal, get_rating_for_user
from zhenggai.evaluations.services import appeals
from zhenggai.evaluations.services.bad_reviews import may_call_back, record_callback
from zhenggai.lib.errors import Refused
from zhenggai.lib.http import attachment, posted, posted_files
from zhenggai.lib.request_limits import body_limit
from zhenggai.lib.views import refusal, require


@login_required
@require_GET
def rating_detail(request, pk):
    rating = get_rating_for_user(request.user, pk)
    return render(request, "evaluations/rating_detail.html", rating_page(rating, request.user))


@login_required
def callback_create(request, pk):
    rating = get_rating_for_user(request.user, pk)
    require(may_call_back(request.user, rating), "only the evaluation office calls back")
    form = CallbackForm.for_user(request.user, posted(request))
    context = {"form": form, "rating": rating}
    if request.method == "POST" and form.is_valid():
        try:
            record_callback(rating, by=request.user, **form.cleaned_data)
        except Refused as exc:
            return refusal(request, exc, "evaluations/callback_form.html", context)
        messages.success(request, "回访已登记。")
        return redirect("rating_detail", rating.pk)
    return render(request, "evaluations/callback_form.html", context)


@login_required
@body_limit("UPLOAD_MAX_BYTES")
def appeal_create(request, pk):
    rating = get_rating_for_user(request.user, pk)
    require(appeals.may_appeal(request.user, rating), "only the rated unit appeals")
    if Appeal.objects.filter(rating=rating).exists():
        messages.error(request, "该差评已提出过申诉，每条差评只能申诉一次。")
        return redirect("rating_detail", rating.pk)
    form = AppealForm(posted(request), posted_files(request))
    context = {"form": form, "rating": rating}
    if request.method == "POST" and form.is_valid():
        try:
            appeals.file_appeal(rating, by=request.user, **form.cleaned_data)
        except Refused as exc:
            return refusal(request, exc, "evaluations/appeal_form.html", context)
        messages.success(request, "申诉已提交，待评价办复核。")
        return redirect("rating_detail", rating.pk)
    return render(request, "evaluations/appeal_form.html", context)


def _appeal_for_user(user, pk) -> Appeal:
    return get_object_or_404(Appeal.objects.visible_to(user).select_related("rating"), pk=pk)


@login_required
def appeal_decide(request, pk):
    appeal = _appeal_for_user(request.user, pk)
    require(appeals.may_decide(request.user, appeal.rating), "only the evaluation office decides")
    form = AppealDecisionForm(posted(request))
    context = {"form": form, "appeal": appeal, "rating": appeal.rating}
    if request.method == "POST" and form.is_valid():
        uphold = form.cleaned_data["decision"] == "uphold"
        try:
            appeals.decide_appeal(
                appeal, by=request.user, uphold=uphold, reason=form.cleaned_data["reason"]
            )
        except Refused as exc:
            return refusal(request, exc, "evaluations/appeal_decide.html", context)
        messages.success(request, "申诉成立，该评价已不计入统计。" if uphold else "已驳回申诉。")
        return redirect("rating_detail", appeal.rating_id)
    return render(request, "evaluations/appeal_decide.html", context)


@login_required
@require_GET
def appeal_evidence(request, pk):
    appeal = _appeal_for_user(request.user, pk)
    if not appeal.evidence:
        raise Http404
    return attachment(appeal.evidence, appeal.evidence_name, appeal.evidence_type)


@login_required
@require_GET
def appeal_list(request):
    status = request.GET.get("status", Appeal.Status.OPEN)
    found = Appeal.objects.visible_to(request.user).select_related(
        "rating__point", "rating__unit", "filed_by"
    )
    if status in Appeal.Status.values:
        found = found.filter(status=status)
    page = Paginator(found.order_by("-filed_at", "-id"), 50).get_page(request.GET.get("page"))
    context = {"page": page, "status": status, "statuses": Appeal.Status.choices}
    return render(request, "evaluations/appeal_list.html", context)
