"""Score and rank by month: per group, each unit's total and place over the months a reader may
see (the office: locked and published; a unit's people: published months of its groups), and
per unit, its own line. The same figures feed the chart and the table below it."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from django.http import Http404

from zhenggai.assessments.access import own_unit_ids
from zhenggai.assessments.models import AssessmentMonth, Result, UnitGroup
from zhenggai.assessments.values import FROZEN_STATES, MonthState
from zhenggai.evaluations.offices import read_office_ids
from zhenggai.orgs.access import scope_for
from zhenggai.orgs.models import Unit

MONTHS_SHOWN = 12  # the newest months of a group on its chart


@dataclass
class Cell:
    total: Decimal
    rank: int


@dataclass
class UnitLine:
    unit_id: int
    name: str
    cells: list  # a Cell or None per month of the group


@dataclass
class GroupTrend:
    group: UnitGroup
    months: list[AssessmentMonth]
    lines: list[UnitLine] = field(default_factory=list)

    def chart(self) -> dict:
        return {
            "name": self.group.name,
            "months": [m.label for m in self.months],
            "series": [
                {"name": line.name, "data": [c and float(c.total) for c in line.cells]}
                for line in self.lines
            ],
        }


@dataclass
class Point:
    month: AssessmentMonth
    total: Decimal
    rank: int
    size: int


@dataclass
class UnitTrend:
    unit: Unit
    points: list[Point]

    def chart(self) -> dict:
        return {
            "name": self.unit.name,
            "months": [f"{p.month.label}·{p.month.scheme.group.name}" for p in self.points],
            "totals": [float(p.total) for p in self.points],
            "ranks": [p.rank for p in self.points],
            "sizes": [p.size for p in self.points],
        }


def visible_months(user):
    """The months whose results `user` may follow: the locked and published months of the
    offices they read, and the published months of their units' groups."""
    if scope_for(user).is_admin:
        return AssessmentMonth.objects.filter(state__in=FROZEN_STATES)
    office = Q(scheme__office_id__in=read_office_ids(user), state__in=FROZEN_STATES)
    unit = Q(scheme__group__units__in=own_unit_ids(user), state=MonthState.PUBLISHED)
    return AssessmentMonth.objects.filter(office | unit).distinct()


def visible_groups(user) -> list[UnitGroup]:
    if scope_for(user).is_admin:
        found = UnitGroup.objects.all()
    else:
        found = UnitGroup.objects.filter(
            Q(office_id__in=read_office_ids(user)) | Q(units__in=own_unit_ids(user))
        ).distinct()
    return list(found.select_related("office").order_by("office_id", "position", "id"))


def group_trend(group: UnitGroup, months) -> GroupTrend:
    shown = list(
        months.filter(scheme__group=group)
        .select_related("scheme")
        .order_by("-month")[:MONTHS_SHOWN]
    )
    shown.reverse()
    trend = GroupTrend(group=group, months=shown)
    at = {month.pk: index for index, month in enumerate(shown)}
    lines: dict[int, UnitLine] = {}
    results = Result.objects.filter(month__in=shown).select_related("unit")
    for result in results.order_by("-month__month", "rank", "unit__name"):
        line = lines.get(result.unit_id)
        if line is None:
            line = lines[result.unit_id] = UnitLine(
                result.unit_id, result.unit.name, [None] * len(shown)
            )
        line.cells[at[result.month_id]] = Cell(result.total, result.rank)
    trend.lines = list(lines.values())
    return trend


def unit_for(user, groups: list[UnitGroup], raw: str) -> Unit:
    """A unit of the groups `user` sees, else 404."""
    if not raw.isdigit():
        raise Http404
    unit = Unit.objects.filter(pk=int(raw), assessment_groups__in=groups).distinct().first()
    if unit is None:
        raise Http404
    return unit


def unit_trend(unit: Unit, months) -> UnitTrend:
    results = (
        Result.objects.filter(unit=unit, month__in=months)
        .select_related("month", "month__scheme", "month__scheme__group")
        .order_by("month__month", "month__scheme__group__position", "month_id")
    )
    sizes = dict(
        Result.objects.filter(month__in=results.values("month_id"))
        .values_list("month_id")
        .annotate(n=Count("id"))
    )
    points = [Point(r.month, r.total, r.rank, sizes[r.month_id]) for r in results]
    return UnitTrend(unit=unit, points=points)


def unit_choices(groups: list[UnitGroup]):
    return Unit.objects.filter(assessment_groups__in=groups).distinct().order_by("name")
