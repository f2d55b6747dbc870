"""Importing a month's third-party scores (三方考评) from Excel: the template, the upload, the
preview and the confirmation. The cells read are kept in the session, never in the page, and
are checked again against the month on confirm."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from zhenggai.assessments import score_imports
from zhenggai.assessments.access import get_month_for_user, runs
from zhenggai.assessments.import_forms import ScoreConfirmForm, ScoreUploadForm
from zhenggai.lib.errors import Refused
from zhenggai.lib.http import posted, posted_files
from zhenggai.lib.request_limits import body_limit
from zhenggai.lib.views import refusal, require


def _run_month(user, pk):
    month = get_month_for_user(user, pk)
    require(runs(user, month.scheme.office_id), "only the office imports scores")
    return month


def _key(month) -> str:
    return f"assessment_score_import_{month.pk}"


def _kept(request, month) -> tuple[str, score_imports.Sheet] | None:
    kept = request.session.get(_key(month))
    if not kept:
        return None
    return kept["name"], score_imports.Sheet.from_data(kept["sheet"])


@login_required
@require_GET
def score_import_template(request, pk):
    month = _run_month(request.user, pk)
    data = io.BytesIO(score_imports.template_workbook(month))
    name = f"{month.scheme.group.name}{month.label}三方考评导入模板.xlsx"
    return FileResponse(data, as_attachment=True, filename=name, content_type=score_imports.XLSX)


@body_limit("UPLOAD_MAX_BYTES")
@login_required
def score_import_upload(request, pk):
    month = _run_month(request.user, pk)
    form = ScoreUploadForm(posted(request), posted_files(request))
    indicators = score_imports.imported_indicators(month)
    context = {
        "form": form,
        "month": month,
        "indicators": indicators,
    }
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            sheet = score_imports.read_sheet(upload)
        except Refused as exc:
            return refusal(request, exc, "assessments/imports/upload.html", context)
        request.session[_key(month)] = {"name": upload.name[:200], "sheet": sheet.as_data()}
        return redirect("score_import_preview", month.pk)
    return render(request, "assessments/imports/upload.html", context)


@login_required
@require_GET
def score_import_preview(request, pk):
    month = _run_month(request.user, pk)
    kept = _kept(request, month)
    if kept is None:
        messages.info(request, "请先上传评分表。")
        return redirect("score_import_upload", month.pk)
    name, sheet = kept
    return render(request, "assessments/imports/preview.html", _preview(month, name, sheet))


def _preview(month, name, sheet, form=None) -> dict:
    return {
        "month": month,
        "name": name,
        "plan": score_imports.check(month, sheet),
        "form": form or ScoreConfirmForm(frozen=month.is_frozen),
    }


@login_required
@require_POST
def score_import_confirm(request, pk):
    month = _run_month(request.user, pk)
    kept = _kept(request, month)
    if kept is None:
        messages.error(request, "没有待确认的导入，请重新上传评分表。")
        return redirect("score_import_upload", month.pk)
    name, sheet = kept
    form = ScoreConfirmForm(request.POST, frozen=month.is_frozen)
    context = _preview(month, name, sheet, form)
    if not form.is_valid():
        return render(request, "assessments/imports/preview.html", context, status=400)
    try:
        changed = score_imports.apply(
            month, sheet, by=request.user, source=name, **form.cleaned_data
        )
    except Refused as exc:
        return refusal(request, exc, "assessments/imports/preview.html", context)
    del request.session[_key(month)]
    messages.success(
        request,
        f"已导入“{name}”：{changed} 项得分有变化。"
        if changed
        else "导入完成：得分与系统中相同，没有变化。",
    )
    return redirect("month_detail", month.pk)
