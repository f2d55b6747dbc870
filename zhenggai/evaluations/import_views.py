"""Importing 好差评 data exported by a provincial platform: upload, preview, confirm or discard,
the list of imports, and the template of the columns read."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models.fields.json import KT
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from zhenggai.evaluations import imports, platform
from zhenggai.evaluations.import_forms import RatingImportForm
from zhenggai.evaluations.models import RatingImport
from zhenggai.evaluations.offices import evaluation_offices, reads_office_records, works_in
from zhenggai.evaluations.platform.columns import COUNT_COLUMNS, DIMENSION_COLUMNS, RATING_COLUMNS
from zhenggai.evaluations.platform.template import template_workbook
from zhenggai.lib.errors import Refused
from zhenggai.lib.http import posted, posted_files
from zhenggai.lib.request_limits import body_limit
from zhenggai.lib.views import refusal, require

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What the upload page lists as read: each field's first names.
COLUMNS_READ = {
    platform.RATINGS: [(names[0], names[1:4]) for names in RATING_COLUMNS.values()],
    platform.SERVICE_COUNTS: [(names[0], names[1:4]) for names in COUNT_COLUMNS.values()],
}
DIMENSIONS_READ = [names[0] for names in DIMENSION_COLUMNS.values()]


@login_required
@require_GET
def rating_import_list(request):
    require(reads_office_records(request.user), "only evaluation offices read imports")
    drafts = (
        RatingImport.objects.visible_to(request.user)
        .select_related("office", "created_by")
        .defer("parsed")
        .annotate(kind=KT("parsed__kind"))
    )
    page = Paginator(drafts, 20).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "kinds": platform.KINDS,
        "may_upload": evaluation_offices(request.user).exists(),
    }
    return render(request, "evaluations/import_list.html", context)


@body_limit("UPLOAD_MAX_BYTES")
@login_required
def rating_import_upload(request):
    offices = evaluation_offices(request.user)
    require(offices.exists(), "only an evaluation office imports ratings")
    form = RatingImportForm(posted(request), posted_files(request), offices=offices)
    context = {"form": form, "columns": COLUMNS_READ, "dimensions": DIMENSIONS_READ}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            draft = imports.start_import(
                data["file"], by=request.user, office=data["office"], kind=data["kind"]
            )
        except Refused as exc:
            return refusal(request, exc, "evaluations/import_upload.html", context)
        return redirect("rating_import_preview", pk=draft.pk)
    return render(request, "evaluations/import_upload.html", context)


@login_required
@require_GET
def rating_import_preview(request, pk):
    draft = imports.get_import_for_user(request.user, pk)
    discarded = draft.status == RatingImport.Status.DISCARDED
    plan = None if discarded else imports.preview(draft)
    context = {
        "draft": draft,
        "kind": imports.kind_of(draft),
        "kinds": platform.KINDS,
        "may_import": works_in(request.user, draft.office),
        **(_pages(request, plan) if plan else {}),
    }
    return render(request, "evaluations/import_preview.html", context)


def _pages(request, plan: imports.Preview) -> dict:
    """The preview's table (all rows or those of one state) and the list of rows that will
    not be imported, each a page at a time."""
    shown = request.GET.get("show", "")
    rows = [row for row in plan.rows if row.state == shown] if shown else plan.rows
    left_out = [row for row in plan.rows if row.state in (imports.UNMAPPED, imports.UNREADABLE)]
    counts = plan.counts
    return {
        "plan": plan,
        "counts": counts,
        "show": shown if shown in imports.STATE_LABELS else "",
        "tabs": [
            (state, label, counts[state])
            for state, label in imports.STATE_LABELS.items()
            if counts[state]
        ],
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "left_out": Paginator(left_out, PAGE_SIZE).get_page(request.GET.get("upage")),
    }


@login_required
@require_POST
def rating_import_confirm(request, pk):
    draft = imports.get_import_for_user(request.user, pk)
    require(works_in(request.user, draft.office), "only the evaluation office imports")
    try:
        result = imports.confirm_import(draft, by=request.user)
    except Refused as exc:
        messages.error(request, exc.message)
        return redirect("rating_import_preview", pk=draft.pk)
    messages.success(request, imports.result_text(imports.kind_of(draft), result))
    return redirect("rating_import_preview", pk=draft.pk)


@login_required
@require_POST
def rating_import_discard(request, pk):
    draft = imports.get_import_for_user(request.user, pk)
    require(works_in(request.user, draft.office), "only the evaluation office imports")
    try:
        imports.discard_import(draft, by=request.user)
    except Refused as exc:
        messages.error(request, exc.message)
        return redirect("rating_import_preview", pk=draft.pk)
    messages.success(request, f"已放弃导入“{draft.original_name}”，未导入任何记录。")
    return redirect("rating_import_list")


@login_required
@require_GET
def rating_import_template(request):
    require(evaluation_offices(request.user).exists(), "only evaluation offices import")
    kind = request.GET.get("kind", platform.RATINGS)
    kind = kind if kind in platform.KINDS else platform.RATINGS
    name = "好差评数据导入模板.xlsx" if kind == platform.RATINGS else "办件量导入模板.xlsx"
    data = io.BytesIO(template_workbook(kind))
    return FileResponse(data, as_attachment=True, filename=name, content_type=XLSX)
