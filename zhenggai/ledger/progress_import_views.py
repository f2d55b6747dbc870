"""Progress by Excel: a round's progress sheet to download, its upload, the preview of what it
would change, confirming or discarding it, and the round's record of such imports."""

import io

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from zhenggai.ledger import progress_background, progress_sheet
from zhenggai.ledger import progress_import as imports
from zhenggai.lib.errors import Refused
from zhenggai.lib.http import XLSX, generated_download
from zhenggai.lib.request_limits import body_limit
from zhenggai.lib.views import refusal
from zhenggai.rounds.models import get_round_for_user

PAGE_SIZE = 100


class ProgressUploadForm(forms.Form):
    file = forms.FileField(label="填好的进度填报表", help_text="Excel（.xlsx），从本页下载后填写。")


def _round(user, pk: int):
    """The round, for those who may import progress into it; 404 for everyone else."""
    round = get_round_for_user(user, pk)
    if not imports.may_import_progress(user, round):
        raise Http404
    return round


@login_required
@require_GET
def progress_sheet_download(request, round_pk):
    round = _round(request.user, round_pk)
    out = io.BytesIO()
    subtitle = f"{round.unit.name} · 轮次编号 {round.pk}"
    progress_sheet.write_sheet(out, round, imports.sheet_measures(request.user, round), subtitle)
    return generated_download(out.getvalue(), imports.sheet_name(round), XLSX)


def _list_context(request, round, form) -> dict:
    page = Paginator(imports.imports_of(request.user, round), 20)
    return {"round": round, "form": form, "page": page.get_page(request.GET.get("page"))}


@login_required
@require_GET
def progress_import_list(request, round_pk):
    round = _round(request.user, round_pk)
    context = _list_context(request, round, ProgressUploadForm())
    return render(request, "ledger/progress_imports.html", context)


@body_limit("UPLOAD_MAX_BYTES")
@login_required
@require_POST
def progress_import_upload(request, round_pk):
    round = _round(request.user, round_pk)
    form = ProgressUploadForm(request.POST, request.FILES)
    context = _list_context(request, round, form)
    if not form.is_valid():
        return render(request, "ledger/progress_imports.html", context, status=400)
    try:
        imp = imports.start_progress_import(round, form.cleaned_data["file"], by=request.user)
    except Refused as exc:
        return refusal(request, exc, "ledger/progress_imports.html", context)
    return redirect("progress_import_detail", pk=imp.pk)


def _changes(imp, shown: str) -> list[tuple[dict, dict]]:
    return [
        (row, change)
        for row in imp.rows
        for change in row.get("changes", ())
        if not shown or change["outcome"] == shown
    ]


@login_required
@require_GET
def progress_import_detail(request, pk):
    imp = imports.get_progress_import_for_user(request.user, pk)
    shown = request.GET.get("show", "")
    shown = shown if shown in imports.OUTCOMES else ""
    left_out = [row for row in imp.rows if row["status"] in (imports.UNMATCHED, imports.SKIPPED)]
    counts = imp.outcome.get("applied") or imp.outcome.get("preview", {})
    context = {
        "imp": imp,
        "round": imp.round,
        "counts": counts,
        "show": shown,
        "tabs": [(key, label, counts.get(key, 0)) for key, label in imports.OUTCOMES.items()],
        "page": Paginator(_changes(imp, shown), PAGE_SIZE).get_page(request.GET.get("page")),
        "left_out": Paginator(left_out, PAGE_SIZE).get_page(request.GET.get("upage")),
        "may_confirm": imp.status == imp.Status.PREVIEW and imp.created_by_id == request.user.pk,
        "may_discard": imp.status == imp.Status.PREVIEW,
        "in_background": imports.rows_to_apply(imp) > settings.PROGRESS_IMPORT_INLINE_ROWS,
        **_applying_context(imp),
    }
    return render(request, "ledger/progress_import.html", context)


@login_required
@require_POST
def progress_import_confirm(request, pk):
    imp = imports.get_progress_import_for_user(request.user, pk)
    try:
        imp = imports.confirm_progress_import(imp, by=request.user)
    except Refused as exc:
        messages.error(request, f"未导入任何修改：{exc.message}")
        return redirect("progress_import_detail", pk=imp.pk)
    if imp.status == imp.Status.APPLYING:
        messages.success(
            request,
            f"已确认，{imports.rows_to_apply(imp)} 行正在后台导入；完成后本页显示结果，"
            "可以先离开本页。",
        )
        return redirect("progress_import_detail", pk=imp.pk)
    done = imp.outcome["applied"]
    messages.success(
        request,
        f"已导入：{done[imports.APPLY]} 项直接生效，{done[imports.REQUEST]} 项已提交领导审批；"
        f"{done[imports.REFUSED]} 项不予导入，{done[imports.SKIPPED]} 行因预览后被修改而跳过。",
    )
    return redirect("progress_import_detail", pk=imp.pk)


def _applying_context(imp) -> dict:
    return {"imp": imp, "late": progress_background.is_late(imp)}


@login_required
@require_GET
def progress_import_status(request, pk):
    """What the import page polls while the worker applies an import; once it is applied (or
    not), the whole page reloads to show what became of it."""
    imp = imports.get_progress_import_for_user(request.user, pk, rows=False)
    response = render(request, "ledger/_progress_applying.html", _applying_context(imp))
    if imp.status != imp.Status.APPLYING:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def progress_import_discard(request, pk):
    imp = imports.get_progress_import_for_user(request.user, pk)
    try:
        imports.discard_progress_import(imp, by=request.user)
    except Refused as exc:
        messages.error(request, exc.message)
        return redirect("progress_import_detail", pk=imp.pk)
    messages.success(request, f"已放弃导入“{imp.original_name}”，未做任何修改。")
    return redirect("progress_import_list", round_pk=imp.round_id)
