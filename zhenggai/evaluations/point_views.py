"""Rating points for the evaluation office (set up, edit, deactivate) and their posters, which
the rated unit's leader and 整改办 print too."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from zhenggai.evaluations import points as services
from zhenggai.evaluations.models import RatingPoint, get_point_for_user
from zhenggai.evaluations.point_forms import PointForm
from zhenggai.evaluations.posters import poster_pdf, rating_url
from zhenggai.evaluations.values import Channel
from zhenggai.lib.errors import Refused
from zhenggai.lib.http import as_id, posted
from zhenggai.lib.views import refusal, require
from zhenggai.orgs.access import scope_for
from zhenggai.orgs.models import Role, Unit


def _list_url(unit_id) -> str:
    return f"{reverse('point_list')}?unit={unit_id}"


@login_required
@require_GET
def point_list(request):
    units = list(services.units_for_points(request.user))
    require(bool(units), "neither the evaluation office nor a rated unit's leadership")
    unit_id = as_id(request.GET.get("unit"))
    unit_id = unit_id if unit_id in {unit.pk for unit in units} else None
    found = RatingPoint.objects.filter(unit_id__in=[unit_id] if unit_id else [u.pk for u in units])
    status = request.GET.get("status", "active")
    if status in ("active", "inactive"):
        found = found.filter(active=status == "active")
    found = found.select_related("unit", "section").order_by("unit__name", "kind", "name", "id")
    scope = scope_for(request.user)
    context = {
        "page": Paginator(found, 50).get_page(request.GET.get("page")),
        "units": units,
        "unit_id": unit_id,
        "status": status,
        "managed": set(scope.units_with(Role.EVALUATION_OFFICE)),
    }
    return render(request, "evaluations/point_list.html", context)


@login_required
def point_create(request):
    require(services.units_for_points(request.user, manage=True).exists(), "not an office")
    unit_id = as_id(request.GET.get("unit"))
    form = PointForm(posted(request), user=request.user, unit_id=unit_id)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        try:
            point = services.create_point(by=request.user, **form.cleaned_data)
        except Refused as exc:
            return refusal(request, exc, "evaluations/point_form.html", context)
        messages.success(request, f"评价点“{point.name}”已设立，评价码 {point.code}。")
        return redirect(_list_url(point.unit_id))
    return render(request, "evaluations/point_form.html", context)


@login_required
def point_edit(request, pk):
    point = get_point_for_user(request.user, pk)
    require(services.may_manage_points(request.user, point.unit_id), "not the evaluation office")
    form = PointForm(posted(request), user=request.user, point=point)
    links = [(label, rating_url(point, channel)) for channel, label in Channel.choices]
    context = {"form": form, "point": point, "links": links}
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "unit"}
        try:
            services.update_point(point, by=request.user, **fields)
        except Refused as exc:
            return refusal(request, exc, "evaluations/point_form.html", context)
        messages.success(request, "评价点已保存。")
        return redirect(_list_url(point.unit_id))
    return render(request, "evaluations/point_form.html", context)


@login_required
@require_POST
def point_deactivate(request, pk):
    point = get_point_for_user(request.user, pk)
    require(services.may_manage_points(request.user, point.unit_id), "not the evaluation office")
    services.deactivate_point(point, by=request.user)
    messages.success(request, f"评价点“{point.name}”已停用，已有评价保留。")
    return redirect(_list_url(point.unit_id))


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
@require_GET
def point_poster(request, pk):
    point = get_point_for_user(request.user, pk)
    require(services.may_read_points(request.user, point.unit_id), "may not print posters")
    if not point.active:
        messages.error(request, "该评价点已停用，不能打印海报。")
        return redirect(_list_url(point.unit_id))
    return _pdf(poster_pdf([point], title=point.name), f"评价二维码-{point.name}.pdf")


@login_required
@require_GET
def unit_posters(request, unit_pk):
    if not services.may_read_points(request.user, unit_pk):
        raise Http404("not a unit whose points this user reads")
    unit = get_object_or_404(Unit, pk=unit_pk, kind=Unit.Kind.UNIT)
    points = RatingPoint.objects.active().filter(unit=unit).select_related("unit", "section")
    points = list(points.order_by("kind", "name", "id"))
    if not points:
        messages.error(request, "该单位没有启用的评价点。")
        return redirect(_list_url(unit.pk))
    return _pdf(poster_pdf(points, title=unit.name), f"评价二维码-{unit.name}.pdf")
