"""Setting up the assessment: groups of units, schemes per year and group, their versions and
indicators. A draft version is edited freely; once issued it never changes."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from zhenggai.assessments.access import require_runs
from zhenggai.assessments.models import Indicator, Scheme, SchemeVersion, UnitGroup
from zhenggai.assessments.values import IndicatorKind, Metric, MonthState
from zhenggai.lib.errors import Refused
from zhenggai.orgs.models import Unit
from zhenggai.rounds.models import InspectionRound


def units_below(*offices: Unit):
    """The units an office may assess: the units (not sections or offices) below any of
    `offices`."""
    below = Q()
    for office in offices:
        below |= Q(path__startswith=office.path)
    if not below:
        return Unit.objects.none()
    return Unit.objects.filter(below, kind=Unit.Kind.UNIT).exclude(pk__in=[o.pk for o in offices])


@transaction.atomic
def save_group(office: Unit, *, by, name: str, units, group: UnitGroup | None = None) -> UnitGroup:
    """Create or change a group of units ranked together; each unit is in one group of the
    office at most."""
    require_runs(by, office.pk, "设置考核分组")
    name = name.strip()
    if not name:
        raise Refused("请填写分组名称。", "a group needs a name")
    unit_ids = {u.pk for u in units}
    allowed = set(units_below(office).filter(pk__in=unit_ids).values_list("pk", flat=True))
    if unit_ids - allowed:
        raise Refused("只能选择本机构下属的单位。", "unit outside the office")
    others = UnitGroup.objects.filter(office=office).exclude(pk=getattr(group, "pk", None))
    clash = (
        Unit.objects.filter(pk__in=unit_ids, assessment_groups__in=others)
        .values_list("name", "assessment_groups__name")
        .first()
    )
    if clash:
        raise Refused(f"“{clash[0]}”已在“{clash[1]}”分组中。", "unit already grouped")
    if others.filter(name=name).exists():
        raise Refused(f"已有名为“{name}”的分组。", "group name taken")
    if group is None:
        last = UnitGroup.objects.filter(office=office).aggregate(m=Max("position"))["m"] or 0
        group = UnitGroup.objects.create(office=office, name=name, position=last + 1)
    else:
        group.name = name
        group.save(update_fields=["name"])
    group.units.set(unit_ids)
    return group


@transaction.atomic
def create_scheme(group: UnitGroup, *, by, year: int, title: str, **rules) -> Scheme:
    """A scheme for `group` and `year`, with a first draft version in force from January."""
    require_runs(by, group.office_id, "制定考核办法")
    title = title.strip()
    if not title:
        raise Refused("请填写考核办法名称。", "a scheme needs a title")
    if Scheme.objects.filter(group=group, year=year).exists():
        raise Refused(f"“{group.name}”{year}年已有考核办法。", "scheme exists")
    scheme = Scheme.objects.create(
        office_id=group.office_id, group=group, year=year, title=title, created_by=by, **rules
    )
    SchemeVersion.objects.create(scheme=scheme, number=1, effective_from=date(year, 1, 1))
    return scheme


RANKING_RULES = ("tie_rule", "list_size", "bottom_count", "bottom_months")


def update_scheme(scheme: Scheme, *, by, **rules) -> Scheme:
    """Change a scheme's ranking rules, or whether it publishes its lists. The ranking rules
    hold for the year once a month has been reviewed: a later correction re-ranks that month
    by the rules it was ranked by."""
    require_runs(by, scheme.office_id, "修改考核办法")
    ranking = [n for n in RANKING_RULES if n in rules and rules[n] != getattr(scheme, n)]
    if ranking and scheme.months.exclude(state=MonthState.OPEN).exists():
        raise Refused(
            "本年度已有审核或锁定的月份，排名规则不能再改；如需调整，请在下一年度的考核办法中修改。",
            "ranking rules fixed once a month is reviewed",
        )
    for name, value in rules.items():
        setattr(scheme, name, value)
    try:
        scheme.full_clean(exclude=["office", "group", "created_by"])
    except ValidationError as invalid:
        field, errors = next(iter(invalid.message_dict.items()))
        label = Scheme._meta.get_field(field).verbose_name if field != "__all__" else ""
        raise Refused(f"{label}：{errors[0]}", f"invalid scheme rules: {field}") from None
    scheme.save(update_fields=list(rules))
    return scheme


@transaction.atomic
def new_version(scheme: Scheme, *, by, effective_from: date, note: str = "") -> SchemeVersion:
    """A draft amending the scheme from a month on, starting from the latest version's
    indicators."""
    require_runs(by, scheme.office_id, "修订考核办法")
    Scheme.objects.select_for_update().filter(pk=scheme.pk).first()
    effective_from = effective_from.replace(day=1)
    if effective_from.year != scheme.year:
        raise Refused(f"施行月份须在{scheme.year}年内。", "version outside the year")
    if scheme.versions.filter(issued_at__isnull=True).exists():
        raise Refused("已有未发布的修订稿，请先发布或修改它。", "a draft exists")
    if scheme.months.filter(month__gte=effective_from).exclude(state=MonthState.OPEN).exists():
        raise Refused("该月份及以后已有审核或锁定的考核，不能从此月起修订。", "months frozen")
    latest = scheme.versions.order_by("-number").first()
    version = SchemeVersion.objects.create(
        scheme=scheme, number=latest.number + 1, effective_from=effective_from, note=note.strip()
    )
    Indicator.objects.bulk_create(
        Indicator(
            version=version,
            **{
                f.name: getattr(indicator, f.name)
                for f in Indicator._meta.concrete_fields
                if f.name not in ("id", "version")
            },
        )
        for indicator in latest.indicators.all()
    )
    return version


def _require_draft(version: SchemeVersion, by) -> None:
    require_runs(by, version.scheme.office_id, "修改考核指标")
    if not version.is_draft:
        raise Refused("已发布的版本不能修改，请新建修订版本。", "version issued")


def _check_indicator(values: dict) -> None:
    kind = values["kind"]
    if kind == IndicatorKind.COMPUTED and values.get("metric") not in Metric.values:
        raise Refused("系统计算的指标须选择计算指标。", "computed indicator without metric")
    if kind != IndicatorKind.COMPUTED:
        values["metric"] = ""
        values["round_kinds"] = []
    if values.get("metric") == Metric.RATING_COUNT and not values.get("target"):
        raise Refused("评价数量指标须填写目标值（满分所需的评价数）。", "volume without target")
    if values["points"] <= 0:
        raise Refused("分值须大于0。", "points must be positive")
    if values.get("cap") is None:
        values["cap"] = values["points"]
    if values.get("floor") is None:
        values["floor"] = Decimal(0)
    if values["floor"] > values["cap"]:
        raise Refused("最低分不能高于最高分。", "floor above cap")
    kinds = set(values.get("round_kinds") or [])
    if kinds - set(InspectionRound.Kind.values):
        raise Refused("轮次类型无效。", "unknown round kind")


@transaction.atomic
def save_indicator(
    version: SchemeVersion, *, by, indicator: Indicator | None = None, **values
) -> Indicator:
    """Add an indicator to a draft version, or change one of its indicators."""
    _require_draft(version, by)
    _check_indicator(values)
    if indicator is None:
        last = version.indicators.aggregate(m=Max("position"))["m"] or 0
        return Indicator.objects.create(version=version, position=last + 1, **values)
    if indicator.version_id != version.pk:
        raise Refused("该指标不属于此版本。", "indicator of another version")
    for name, value in values.items():
        setattr(indicator, name, value)
    indicator.save()
    return indicator


def remove_indicator(indicator: Indicator, *, by) -> None:
    _require_draft(indicator.version, by)
    indicator.delete()


@transaction.atomic
def issue_version(version: SchemeVersion, *, by) -> SchemeVersion:
    """Issue a draft: from its month on, months are scored by it; it no longer changes."""
    _require_draft(version, by)
    if not version.indicators.exists():
        raise Refused("请先添加考核指标。", "version without indicators")
    version.issued_at = timezone.now()
    version.issued_by = by
    version.save(update_fields=["issued_at", "issued_by"])
    return version
