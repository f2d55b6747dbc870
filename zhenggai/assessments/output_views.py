"""The assessment's outputs: a month's 考核通报 (Word) and ranking (Excel), the trend of scores
and ranks by month, and the public 红黑榜 of the schemes that publish it."""

from io import BytesIO

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from zhenggai.assessments import trends
from zhenggai.assessments.access import get_month_for_user, reads_ranking
from zhenggai.assessments.bulletin_docx import bulletin_title, month_bulletin_docx
from zhenggai.assessments.models import AssessmentMonth, Result, Scheme
from zhenggai.assessments.ranking_xlsx import ranking_title, write_ranking
from zhenggai.assessments.standings import standing
from zhenggai.assessments.values import FROZEN_STATES, MonthState
from zhenggai.lib.http import DOCX, XLSX, generated_download


def _ranking_for_user(user, pk) -> AssessmentMonth:
    month = get_month_for_user(user, pk)
    if not reads_ranking(user, month):
        raise Http404
    return month


def _bulletin_months(user, month: AssessmentMonth) -> list[AssessmentMonth]:
    """The office's months of the same calendar month, one per group, that `user` may read in
    a 通报 (locked or published; published only, for a unit's people)."""
    siblings = AssessmentMonth.objects.filter(
        scheme__office_id=month.scheme.office_id, month=month.month, state__in=FROZEN_STATES
    ).select_related("scheme", "scheme__group", "version")
    found = [m for m in siblings if reads_ranking(user, m)]
    return sorted(found, key=lambda m: (m.scheme.group.position, m.scheme.group_id))


@login_required
@require_GET
def month_bulletin_docx_download(request, pk):
    month = _ranking_for_user(request.user, pk)
    if not month.is_frozen:
        raise Http404
    standings = [standing(m) for m in _bulletin_months(request.user, month)]
    issued = month.published_at or month.locked_at
    data = month_bulletin_docx(
        standings, office=month.scheme.office, issued_on=timezone.localdate(issued)
    )
    return generated_download(data, f"{bulletin_title(standings)}.docx", DOCX)


@login_required
@require_GET
def month_ranking_xlsx_download(request, pk):
    month = _ranking_for_user(request.user, pk)
    found = standing(month)
    out = BytesIO()
    write_ranking(found, out)
    return generated_download(out.getvalue(), f"{ranking_title(found)}.xlsx", XLSX)


@login_required
@require_GET
def assessment_trends(request):
    groups = trends.visible_groups(request.user)
    if not groups:
        raise Http404
    months = trends.visible_months(request.user)
    context = {"here": "trends", "units": trends.unit_choices(groups), "unit_trend": None}
    raw = request.GET.get("unit", "")
    if raw:
        unit = trends.unit_for(request.user, groups, raw)
        context["unit_trend"] = found = trends.unit_trend(unit, months)
        context["chart"] = {"unit": found.chart()}
    else:
        context["group_trends"] = found = [trends.group_trend(g, months) for g in groups]
        context["chart"] = {"groups": [t.chart() for t in found]}
    return render(request, "assessments/outputs/trends.html", context)


@require_GET
def public_lists_index(request):
    """The schemes that publish their 红黑榜, with their latest published month."""
    schemes = (
        Scheme.objects.filter(public_lists=True, months__state=MonthState.PUBLISHED)
        .select_related("group", "office")
        .distinct()
        .order_by("-year", "office__name", "group__position")
    )
    return render(request, "assessments/outputs/public_index.html", {"schemes": schemes})


@require_GET
def public_lists(request, pk):
    scheme = get_object_or_404(
        Scheme.objects.select_related("group", "office"), pk=pk, public_lists=True
    )
    months = list(scheme.months.filter(state=MonthState.PUBLISHED).order_by("-month"))
    listed = Result.objects.filter(month__in=months, on_top_list=True) | Result.objects.filter(
        month__in=months, on_bottom_list=True
    )
    by_month = {m.pk: {"month": m, "top": [], "bottom": []} for m in months}
    for result in listed.select_related("unit").order_by("rank", "unit__name"):
        part = by_month[result.month_id]
        part["top" if result.on_top_list else "bottom"].append(result)
    context = {"scheme": scheme, "months": list(by_month.values())}
    return render(request, "assessments/outputs/public_lists.html", context)
