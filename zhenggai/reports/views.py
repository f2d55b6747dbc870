"""Exports of the ledger, and the round's report and notice: editing, files, publication."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from zhenggai.ledger.filters import ledger_queryset
from zhenggai.ledger.models import Problem, get_problem_for_user
from zhenggai.lib.errors import Refused
from zhenggai.lib.http import DOCX, generated_download, posted, posted_files
from zhenggai.lib.request_limits import body_limit
from zhenggai.lib.views import refusal, require
from zhenggai.reports import content, documents, kinds, services
from zhenggai.reports.downloads import workbook_download
from zhenggai.reports.forms import DisclosureForm, TemplateUploadForm, UnpublishForm
from zhenggai.reports.kinds import PUBLISHED
from zhenggai.reports.ledger_xlsx import write_ledger
from zhenggai.reports.models import get_notice_for_user
from zhenggai.reports.titles import ledger_title
from zhenggai.rounds.models import get_round_for_user

log = logging.getLogger(__name__)
# name in the URL → (kind, version, PDF); the published version is the stored public text
DOCUMENTS = kinds.DOWNLOADS


@login_required
@require_GET
def round_ledger_xlsx(request, pk):
    round = get_round_for_user(request.user, pk)
    problems = Problem.objects.visible_to(request.user).filter(round=round)
    back = reverse("round_detail", args=[round.pk])
    return workbook_download(request, write_ledger, problems, f"{round.subject}整改台账", back)


@login_required
@require_GET
def ledger_xlsx(request):
    """The ledger page's view, as filtered, as a sheet (a unit across rounds is `?unit=`)."""
    filterset = ledger_queryset(request)
    if filterset.is_bound and not filterset.is_valid():
        messages.error(request, "筛选条件有误，请在台账页面修正后再导出。")
        return redirect("ledger")
    title = ledger_title(request.user, filterset.form.cleaned_data if filterset.is_bound else {})
    return workbook_download(request, write_ledger, filterset.qs, title, reverse("ledger"))


@login_required
@require_GET
def notice_download(request, round_pk, name):
    if name not in DOCUMENTS:
        raise Http404("no such document")
    kind, version, pdf = DOCUMENTS[name]
    notice = get_notice_for_user(request.user, round_pk)
    if version == PUBLISHED and not notice.published_content:
        raise Http404("the notice was never published")
    try:
        data = documents.version_docx(notice, kind, version)
        if pdf:
            data = documents.to_pdf(data)
    except Refused as exc:
        messages.error(request, exc.message)  # the plan is offered on the round's page
        back = "round_detail" if kind == kinds.PLAN.code else "notice_edit"
        return redirect(back, notice.round.pk)
    suffix = ".pdf" if pdf else ".docx"
    filename = documents.file_name(notice, kind, version=version, suffix=suffix)
    return generated_download(data, filename, "application/pdf" if pdf else DOCX)


@login_required
def notice_publish(request, round_pk):
    """A page that says what will be public, then publishes on its button."""
    notice = get_notice_for_user(request.user, round_pk)
    require(services.may_write_notice(request.user, notice.round.unit_id), "may not publish")
    if request.method == "POST":
        try:
            services.publish_notice(notice, by=request.user)
        except Refused as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "通报已发布，公众可在公开页面查看。")
        return redirect("notice_edit", round_pk)
    preview = content.build(notice, content.NOTICE, public=True).as_json()
    context = {"notice": notice, "round": notice.round, "totals": preview["totals"]}
    return render(request, "reports/publish.html", context)


@login_required
def notice_unpublish(request, round_pk):
    notice = get_notice_for_user(request.user, round_pk)
    require(services.may_write_notice(request.user, notice.round.unit_id), "may not unpublish")
    form = UnpublishForm(posted(request))
    context = {"form": form, "notice": notice, "round": notice.round}
    if request.method == "POST" and form.is_valid():
        try:
            services.unpublish_notice(notice, by=request.user, reason=form.cleaned_data["reason"])
        except Refused as exc:
            return refusal(request, exc, "reports/unpublish.html", context)
        messages.success(request, "通报已撤回，公开页面不再显示。")
        return redirect("notice_edit", round_pk)
    return render(request, "reports/unpublish.html", context)


@login_required
@require_GET
def template_download(request, round_pk, kind):
    round = get_round_for_user(request.user, round_pk)
    if kind not in kinds.KINDS:
        raise Http404("no such template")
    try:
        data = documents.template_bytes(round.unit_id, kind)
    except Refused as exc:
        messages.error(request, exc.message)
        return redirect("notice_edit", round.pk)
    label = kinds.get(kind).title
    return generated_download(data, f"{round.unit.name}{label}模板.docx", DOCX)


@body_limit("UPLOAD_MAX_BYTES")
@login_required
@require_POST
def template_upload(request, round_pk, kind):
    round = get_round_for_user(request.user, round_pk)
    require(services.may_write_notice(request.user, round.unit_id), "may not replace templates")
    form = TemplateUploadForm(posted(request), posted_files(request))
    if not form.is_valid():
        messages.error(request, "请选择要上传的模板文件。")
    else:
        try:
            services.upload_template(
                round.unit_id, kind, form.cleaned_data["file"], by=request.user
            )
        except Refused as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "模板已更换，此后生成的文书将使用新模板。")
    return redirect("notice_edit", round_pk)


@login_required
@require_POST
def template_reset(request, round_pk, kind):
    round = get_round_for_user(request.user, round_pk)
    require(services.may_write_notice(request.user, round.unit_id), "may not replace templates")
    try:
        services.reset_template(round.unit_id, kind, by=request.user)
    except Refused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已恢复为系统内置模板。")
    return redirect("notice_edit", round_pk)


@login_required
def problem_disclosure(request, pk):
    problem = get_problem_for_user(request.user, pk)
    require(services.may_set_disclosure(request.user, problem), "may not set disclosure")
    initial = {"disclose": "1" if problem.disclose else "0", "reason": problem.withheld_reason}
    form = DisclosureForm(posted(request), initial=initial)
    context = {"form": form, "problem": problem}
    if request.method == "POST" and form.is_valid():
        try:
            services.set_disclosure(problem, by=request.user, **form.cleaned_data)
        except Refused as exc:
            return refusal(request, exc, "reports/disclosure_form.html", context)
        messages.success(request, "公开设置已保存。")
        return redirect("problem_detail", problem.pk)
    return render(request, "reports/disclosure_form.html", context)
