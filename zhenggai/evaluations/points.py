"""Setting up rating points (评价点): the evaluation office creates and edits the points of the
units it oversees; a point no longer used is made inactive, never deleted (its ratings stay, and
its printed poster answers that it is no longer in use)."""

from django.db import IntegrityError, transaction

from zhenggai.evaluations.models import Rating, RatingPoint
from zhenggai.evaluations.values import Mode
from zhenggai.lib.errors import NotAllowed, Refused
from zhenggai.orgs.access import scope_for
from zhenggai.orgs.models import Role, Unit

NAME_MAX = 200
# Who sees a unit's points and prints their posters: the evaluation office, and the rated
# unit's leader and 整改办, who put the posters up (read-only).
READERS = (Role.EVALUATION_OFFICE, Role.LEADER, Role.RECTIFICATION_OFFICE)


def may_manage_points(user, unit_id: int) -> bool:
    return scope_for(user).has_role(unit_id, Role.EVALUATION_OFFICE)


def may_read_points(user, unit_id: int) -> bool:
    scope = scope_for(user)
    return scope.is_admin or scope.has_role(unit_id, *READERS)


def units_for_points(user, *, manage: bool = False):
    """The units whose points `user` may read (or, with `manage`, set up), by name."""
    scope = scope_for(user)
    units = Unit.objects.filter(kind=Unit.Kind.UNIT)
    if manage:
        return units.filter(pk__in=scope.units_with(Role.EVALUATION_OFFICE)).order_by("name")
    if scope.is_admin:
        return units.order_by("name")
    return units.filter(pk__in=scope.units_with(*READERS)).order_by("name")


def _checked(unit: Unit, section: Unit | None, kind: str, name: str, mode: str) -> dict:
    if unit.kind != Unit.Kind.UNIT:
        raise Refused("评价点只能设在被评价单位。", f"unit {unit.pk} is a {unit.kind}")
    if section is not None and (section.kind != Unit.Kind.SECTION or section.parent_id != unit.pk):
        raise Refused(
            f"所选科室不属于“{unit.name}”。", f"section {section.pk} is not of unit {unit.pk}"
        )
    if kind not in RatingPoint.Kind.values:
        raise Refused("请选择评价对象类型。", f"kind {kind!r}")
    if kind == RatingPoint.Kind.SECTION and section is None:
        raise Refused("评价对象为科室时，请选择科室。", "a section point needs its section")
    if mode not in Mode.values:
        raise Refused("请选择服务方式（现场或网上）。", f"mode {mode!r}")
    name = " ".join((name or "").split())
    if not name:
        raise Refused("请填写评价对象名称。", "a point needs a name")
    if len(name) > NAME_MAX:
        raise Refused(f"评价对象名称最多 {NAME_MAX} 个字。", "name too long")
    if "<" in name or ">" in name:
        raise Refused("评价对象名称中不能含有 < 或 >。", "markup in a point's name")
    return {"section": section, "kind": kind, "name": name, "mode": mode}


def _require_office(by, unit: Unit) -> None:
    if not may_manage_points(by, unit.pk):
        raise NotAllowed(
            "只有评价办可以设置其所辖单位的评价点。", f"{by} is not the evaluation office"
        )


def _saved(point: RatingPoint, update_fields: list[str] | None = None) -> RatingPoint:
    try:
        with transaction.atomic():
            point.save(update_fields=update_fields)
    except IntegrityError:
        raise Refused(
            f"“{point.unit.name}”已有名为“{point.name}”的评价点。", "duplicate point name"
        ) from None
    return point


def create_point(
    *,
    by,
    unit: Unit,
    name: str,
    kind: str,
    mode: str = Mode.ON_SITE,
    section: Unit | None = None,
    active: bool = True,
) -> RatingPoint:
    """A new rating point of `unit` (optionally at one of its sections), with a new public code."""
    _require_office(by, unit)
    fields = _checked(unit, section, kind, name, mode)
    return _saved(RatingPoint(unit=unit, active=active, created_by=by, **fields))


@transaction.atomic
def update_point(
    point: RatingPoint,
    *,
    by,
    name: str,
    kind: str,
    mode: str,
    section: Unit | None = None,
    active: bool = True,
) -> RatingPoint:
    """Change what a point rates. Its unit and code stay (a printed poster stays valid); its
    mode stays once it has ratings, whose dimensions are those of the mode they were given in."""
    point = RatingPoint.objects.select_for_update().select_related("unit").get(pk=point.pk)
    _require_office(by, point.unit)
    fields = _checked(point.unit, section, kind, name, mode)
    if fields["mode"] != point.mode and Rating.objects.filter(point=point).exists():
        raise Refused(
            "该评价点已有评价，不能更改服务方式；如需调整，请停用后新建评价点。",
            f"point {point.code} has ratings in mode {point.mode}",
        )
    for field, value in {**fields, "active": active}.items():
        setattr(point, field, value)
    return _saved(point, ["section", "kind", "name", "mode", "active"])


def deactivate_point(point: RatingPoint, *, by) -> RatingPoint:
    """Stop taking ratings at a point: its page then says it is no longer in use."""
    _require_office(by, point.unit)
    RatingPoint.objects.filter(pk=point.pk).update(active=False)
    point.active = False
    return point
