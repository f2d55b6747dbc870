"""Setting up the assessment, for the office's 评价办: groups of units, schemes per year and
group with their ranking rules, and the versions of a scheme with their indicators. The
office's discipline group reads the list and the versions."""

from datetime import date
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from zhenggai.assessments.access import (
    get_office_for_user,
    reads_office,
    reads_scheme_version,
    runs,
)
from zhenggai.assessments.models import Indicator, Scheme, SchemeVersion, UnitGroup
from zhenggai.assessments.scheme_forms import (
    GroupForm,
    IndicatorForm,
    RulesForm,
    SchemeForm,
    VersionForm,
)
from zhenggai.assessments.services import schemes as services
from zhenggai.assessments.wording import number, rule_in_words
from zhenggai.evaluations.offices import read_office_ids
from zhenggai.lib.errors import Refused
from zhenggai.lib.http import posted
from zhenggai.lib.views import refusal, require
from zhenggai.orgs.access import scope_for
from zhenggai.orgs.models import Unit

FULL_MARKS = 100


def _offices(user):
    """The offices whose assessments `user` reads."""
    offices = Unit.objects.filter(kind=Unit.Kind.OFFICE).order_by("path")
    if scope_for(user).is_admin:
        return offices
    return offices.filter(pk__in=read_office_ids(user))


def _group(user, pk) -> UnitGroup:
    group = get_object_or_404(UnitGroup, pk=pk)
    get_office_for_user(user, group.office_id, write=True)
    return group


def _scheme(user, pk) -> Scheme:
    scheme = get_object_or_404(Scheme.objects.select_related("group"), pk=pk)
    get_office_for_user(user, scheme.office_id, write=True)
    return scheme


def _version(user, pk, *, write=True) -> SchemeVersion:
    queryset = SchemeVersion.objects.select_related("scheme", "scheme__group", "issued_by")
    version = get_object_or_404(queryset, pk=pk)
    if write:
        get_office_for_user(user, version.scheme.office_id, write=True)
    elif not reads_scheme_version(user, version):
        raise Http404
    return version


def _indicator(user, pk) -> Indicator:
    indicator = get_object_or_404(Indicator.objects.select_related("version__scheme"), pk=pk)
    get_office_for_user(user, indicator.version.scheme.office_id, write=True)
    return indicator


def in_force(scheme: Scheme, today: date | None = None) -> SchemeVersion | None:
    """The issued version in force this month (or, for another year, at its nearest end), from
    the scheme's prefetched versions."""
    today = today or date.today()
    month = min(max(today.replace(day=1), date(scheme.year, 1, 1)), date(scheme.year, 12, 1))
    return scheme.version_for(month)


@login_required
@require_GET
def scheme_list(request):
    offices = list(_offices(request.user))
    require(bool(offices), "reads no office's assessments")
    groups = UnitGroup.objects.filter(office__in=offices).prefetch_related("units")
    schemes = (
        Scheme.objects.filter(office__in=offices)
        .select_related("group")
        .prefetch_related("versions")
        .order_by("-year", "group__position", "id")
    )
    rows = [
        {
            "office": office,
            "runs": runs(request.user, office.pk),
            "groups": [g for g in groups if g.office_id == office.pk],
            "schemes": [(s, in_force(s)) for s in schemes if s.office_id == office.pk],
        }
        for office in offices
    ]
    return render(request, "assessments/schemes/list.html", {"rows": rows})


@login_required
def group_create(request, office_pk):
    office = get_office_for_user(request.user, office_pk, write=True)
    form = GroupForm(posted(request), office=office)
    context = {"form": form, "office": office}
    if request.method == "POST" and form.is_valid():
        try:
            group = services.save_group(office, by=request.user, **form.cleaned_data)
        except Refused as exc:
            return refusal(request, exc, "assessments/schemes/group_form.html", context)
        messages.success(request, f"考核分组“{group.name}”已建立。")
        return redirect("scheme_list")
    return render(request, "assessments/schemes/group_form.html", context)


@login_required
def group_edit(request, pk):
    group = _group(request.user, pk)
    form = GroupForm(posted(request), office=group.office, group=group)
    context = {"form": form, "office": group.office, "group": group}
    if request.method == "POST" and form.is_valid():
        try:
            services.save_group(group.office, by=request.user, group=group, **form.cleaned_data)
        except Refused as exc:
            return refusal(request, exc, "assessments/schemes/group_form.html", context)
        messages.success(request, f"考核分组“{group.name}”已保存。")
        return redirect("scheme_list")
    return render(request, "assessments/schemes/group_form.html", context)


@login_required
def scheme_create(request, office_pk):
    office = get_office_for_user(request.user, office_pk, write=True)
    form = SchemeForm(posted(request), office=office)
    context = {"form": form, "office": office}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            scheme = services.create_scheme(
                data["group"],
                by=request.user,
                year=data["year"],
                title=data["title"],
                **form.rules(),
            )
        except Refused as exc:
            return refusal(request, exc, "assessments/schemes/scheme_form.html", context)
        messages.success(request, f"考核办法“{scheme.title}”已建立，请添加考核指标。")
        return redirect("scheme_version", scheme.versions.get().pk)
    return render(request, "assessments/schemes/scheme_form.html", context)


@login_required
def scheme_edit(request, pk):
    scheme = _scheme(request.user, pk)
    form = RulesForm(posted(request), scheme=scheme)
    context = {"form": form, "scheme": scheme, "office": scheme.office}
    if request.method == "POST" and form.is_valid():
        try:
            services.update_scheme(scheme, by=request.user, **form.rules())
        except Refused as exc:
            return refusal(request, exc, "assessments/schemes/scheme_form.html", context)
        messages.success(request, "排名规则已保存。")
        return redirect("scheme_list")
    return render(request, "assessments/schemes/scheme_form.html", context)


def sections(indicators) -> list[dict]:
    """The indicators under their 指标类别, in the order of each category's first indicator,
    with each indicator's rule in words and the category's points."""
    order = {}
    for indicator in indicators:
        order.setdefault(indicator.section, len(order))
    ordered = sorted(indicators, key=lambda i: order[i.section])
    found = []
    for name, members in groupby(ordered, key=lambda i: i.section):
        members = list(members)
        found.append(
            {
                "name": name,
                "rows": [(i, rule_in_words(i)) for i in members],
                "points": sum(i.points for i in members),
            }
        )
    return found


@login_required
@require_GET
def scheme_version(request, pk):
    version = _version(request.user, pk, write=False)
    scheme = version.scheme
    indicators = list(version.indicators.all())
    total = sum((i.points for i in indicators), 0)
    versions = list(scheme.versions.all())
    may_run = runs(request.user, scheme.office_id)
    context = {
        "version": version,
        "scheme": scheme,
        "versions": versions,
        "sections": sections(indicators),
        "total": number(total),
        "off_total": bool(indicators) and total != FULL_MARKS,
        "reads_office": reads_office(request.user, scheme.office_id),
        "may_edit": may_run and version.is_draft,
        "may_amend": may_run and not any(v.is_draft for v in versions),
        "version_form": VersionForm(scheme=scheme),
    }
    return render(request, "assessments/schemes/version.html", context)


def _indicator_context(version, form, indicator=None) -> dict:
    used = sorted(set(version.indicators.values_list("section", flat=True)))
    return {"form": form, "version": version, "indicator": indicator, "sections_used": used}


def _issued(request, version):
    """Send the form of an issued version back to its page, saying why."""
    messages.error(request, "已发布的版本不能修改，请新建修订版本。")
    return redirect("scheme_version", version.pk)


@login_required
def indicator_create(request, pk):
    version = _version(request.user, pk)
    if not version.is_draft:
        return _issued(request, version)
    form = IndicatorForm(posted(request))
    context = _indicator_context(version, form)
    if request.method == "POST" and form.is_valid():
        try:
            indicator = services.save_indicator(version, by=request.user, **form.values())
        except Refused as exc:
            return refusal(request, exc, "assessments/schemes/indicator_form.html", context)
        messages.success(request, f"指标“{indicator.name}”已添加。")
        return redirect("scheme_version", version.pk)
    return render(request, "assessments/schemes/indicator_form.html", context)


@login_required
def indicator_edit(request, pk):
    indicator = _indicator(request.user, pk)
    version = indicator.version
    if not version.is_draft:
        return _issued(request, version)
    form = IndicatorForm(posted(request), indicator=indicator)
    context = _indicator_context(version, form, indicator)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_indicator(version, by=request.user, indicator=indicator, **form.values())
        except Refused as exc:
            return refusal(request, exc, "assessments/schemes/indicator_form.html", context)
        messages.success(request, f"指标“{indicator.name}”已保存。")
        return redirect("scheme_version", version.pk)
    return render(request, "assessments/schemes/indicator_form.html", context)


@login_required
@require_POST
def indicator_delete(request, pk):
    indicator = _indicator(request.user, pk)
    try:
        services.remove_indicator(indicator, by=request.user)
    except Refused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"指标“{indicator.name}”已删除。")
    return redirect("scheme_version", indicator.version_id)


@login_required
@require_POST
def version_issue(request, pk):
    version = _version(request.user, pk)
    try:
        services.issue_version(version, by=request.user)
    except Refused as exc:
        messages.error(request, exc.message)
    else:
        start = version.effective_from
        messages.success(
            request, f"第{version.number}版已发布，自{start.year}年{start.month}月起施行。"
        )
    return redirect("scheme_version", version.pk)


@login_required
def version_new(request, pk):
    scheme = _scheme(request.user, pk)
    form = VersionForm(posted(request), scheme=scheme)
    context = {"form": form, "scheme": scheme}
    if request.method == "POST" and form.is_valid():
        try:
            version = services.new_version(
                scheme,
                by=request.user,
                effective_from=form.effective_from(),
                note=form.cleaned_data["note"],
            )
        except Refused as exc:
            return refusal(request, exc, "assessments/schemes/version_form.html", context)
        messages.success(request, f"已建立第{version.number}版修订稿，修改指标后请发布。")
        return redirect("scheme_version", version.pk)
    return render(request, "assessments/schemes/version_form.html", context)
