"""The evaluation statistics: the units' figures and ranking, one unit's page, the ratings."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from zhenggai.evaluations import statistics_pages as pages


def _no_data(request):
    """Section staff and users outside any evaluation: a page that says so, not an error."""
    return render(request, "evaluations/statistics_none.html", status=200)


@login_required
@require_GET
def evaluation_home(request):
    """评价统计: every unit the user reads, ranked for the chosen period."""
    context = pages.home_page(request.user, request.GET)
    if not context["viewer"].unit_ids:
        return _no_data(request)
    return render(request, "evaluations/statistics_home.html", context)


@login_required
@require_GET
def evaluation_unit(request, pk):
    """One unit's figures, by point and by month (404 outside the user's evaluation scope)."""
    context = pages.unit_page(request.user, pk, request.GET)
    return render(request, "evaluations/unit_statistics.html", context)


@login_required
@require_GET
def rating_list(request):
    """评价记录: the ratings of the user's units, filtered."""
    context = pages.rating_list_page(request.user, request.GET)
    if not context["viewer"].unit_ids:
        return _no_data(request)
    return render(request, "evaluations/rating_list.html", context)
