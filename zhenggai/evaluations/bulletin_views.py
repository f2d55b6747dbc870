"""The periodic 通报: the office's bulletins, the preview and 签发 of a new one, a bulletin as
issued, and its Word and Excel files. Read by the evaluation office and the discipline group
of the office; a ranked unit learns of it through the round opened for it."""

from io import BytesIO

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from zhenggai.evaluations import bulletins
from zhenggai.evaluations.bulletin_docx import bulletin_docx
from zhenggai.evaluations.bulletin_forms import RankingOptionsForm
from zhenggai.evaluations.bulletin_xlsx import write_bulletin
from zhenggai.evaluations.models import Bulletin
from zhenggai.evaluations.offices import evaluation_offices, reads_office_records
from zhenggai.lib.errors import Refused
from zhenggai.lib.http import DOCX, XLSX, generated_download
from zhenggai.lib.views import refusal, require


def _bulletin_for_user(user, pk) -> Bulletin:
    """A bulletin the user may read; a missing and a forbidden one answer 404."""
    found = Bulletin.objects.visible_to(user).select_related("office", "created_by")
    return get_object_or_404(found, pk=pk)


@login_required
@require_GET
def bulletin_list(request):
    require(reads_office_records(request.user), "only evaluation offices read bulletins")
    found = (
        Bulletin.objects.visible_to(request.user)
        .select_related("office", "created_by")
        .defer("rows")
        .order_by("-period_start", "-created_at", "-id")
    )
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    may_issue = evaluation_offices(request.user).exists()
    return render(request, "evaluations/bulletin_list.html", {"page": page, "may_issue": may_issue})


@login_required
def bulletin_new(request):
    offices = evaluation_offices(request.user)
    require(offices.exists(), "only an evaluation office issues bulletins")
    form = RankingOptionsForm(offices, request.POST if request.method == "POST" else request.GET)
    context = {"form": form, "ranking": None, "issued": None}
    if not form.is_valid():
        return render(request, "evaluations/bulletin_new.html", context, status=400)
    options = form.options()
    context.update(bulletins.preview_page(**options))
    if request.method == "POST":
        if request.POST.get("confirm") != "on":  # issued, it stands: a deliberate click only
            messages.error(request, "请勾选“已核对排名”后再签发。")
            return render(request, "evaluations/bulletin_new.html", context, status=400)
        try:
            bulletin = bulletins.issue_bulletin(**options, by=request.user)
        except Refused as exc:
            return refusal(request, exc, "evaluations/bulletin_new.html", context)
        asked = sum(row["bottom"] for row in bulletin.rows)
        messages.success(request, f"通报已签发；已为 {asked} 个排名靠后单位开设整改轮次。")
        return redirect("bulletin_detail", bulletin.pk)
    return render(request, "evaluations/bulletin_new.html", context)


@login_required
@require_GET
def bulletin_detail(request, pk):
    bulletin = _bulletin_for_user(request.user, pk)
    ranking = bulletins.issued(bulletin)
    context = {"bulletin": bulletin, "ranking": ranking, "due": bulletins.plan_due(bulletin)}
    return render(request, "evaluations/bulletin_detail.html", context)


@login_required
@require_GET
def bulletin_docx_download(request, pk):
    bulletin = _bulletin_for_user(request.user, pk)
    data = bulletin_docx(
        bulletins.issued(bulletin),
        title=bulletin.title,
        issued_on=bulletins.issued_on(bulletin),
        due=bulletins.plan_due(bulletin),
    )
    return generated_download(data, f"{bulletin.title}.docx", DOCX)


@login_required
@require_GET
def bulletin_xlsx_download(request, pk):
    bulletin = _bulletin_for_user(request.user, pk)
    out = BytesIO()
    write_bulletin(
        bulletins.issued(bulletin),
        out,
        title=bulletin.title,
        issued_on=bulletins.issued_on(bulletin),
    )
    return generated_download(out.getvalue(), f"{bulletin.title}.xlsx", XLSX)
