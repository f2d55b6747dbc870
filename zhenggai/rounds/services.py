from datetime import date

from django.db import transaction
from django.db.models import Q

from zhenggai.ledger.history import record
from zhenggai.ledger.models import OPEN_STATES, Event, StateSpan
from zhenggai.ledger.schedule import refresh_due_date
from zhenggai.lib.errors import NotAllowed, Refused
from zhenggai.lib.uploads import checked_file, stored_file_fields
from zhenggai.orgs.access import forget_scope, scope_for
from zhenggai.orgs.models import Membership, Role, Unit
from zhenggai.orgs.services import create_unit
from zhenggai.rounds.models import InspectionRound, RoundDocument

ROUND_FIELDS = (
    "kind",
    "title",
    "inspecting_body",
    "unit",
    "period_start",
    "period_end",
    "feedback_date",
    "long_term_report_period",
)


def _require_inspection_office(user, unit_id: int) -> None:
    if not scope_for(user).has_role(unit_id, Role.INSPECTION_OFFICE):
        raise NotAllowed(
            "只有巡察机构可以设立和修改巡察轮次。",
            f"{user} is not the inspection office of unit {unit_id}",
        )


def _shown(value) -> str:
    return "—" if value in (None, "") else str(value)


@transaction.atomic
def create_round(
    *, by, new_unit: str = "", office: Unit | None = None, **fields
) -> InspectionRound:
    """Set up an inspection round of a unit the actor's inspection office covers.

    With `new_unit` (a name) instead of `unit`, the unit is created under `office` first (or the
    office's unit of that name is taken): the same rule then decides, since an office's
    inspection office covers every unit below it, and a refusal undoes the new unit too.
    """
    if new_unit:
        fields["unit"] = _unit_under(office, new_unit, by)
    try:
        _require_inspection_office(by, fields["unit"].pk)
    finally:
        if new_unit:
            forget_scope(by)  # a refused unit is rolled back: not to be kept in the scope
    _check_dates(fields)
    if not (fields.get("title") or "").strip() or not (fields.get("inspecting_body") or "").strip():
        raise Refused("请填写轮次名称和巡察机构。", "a round needs a title and an inspecting body")
    round = InspectionRound.objects.create(created_by=by, **fields)
    record(
        Event.Action.CREATED,
        round,
        by=by,
        problem=None,
        round=round,
        changes={"巡察轮次": ["—", round.title]},
    )
    return round


def _unit_under(office: Unit | None, name: str, by) -> Unit:
    name = " ".join(name.split())[:200]
    if office is None or office.kind != Unit.Kind.OFFICE or not name:
        raise Refused(
            "请填写新单位的名称并选择所属巡察机构。", "a new unit needs a name and an office"
        )
    # Two imports naming the same new unit at once: the second waits here for the first, then
    # finds the unit it created (without the lock it would hit the unique name and answer 500).
    Unit.objects.select_for_update().filter(pk=office.pk).first()
    existing = Unit.objects.filter(parent=office, name=name).first()
    if existing is not None and existing.kind != Unit.Kind.UNIT:
        raise Refused(
            f"“{name}”已是{office.name}下的科室，不能作为被巡察单位。", "name of a section"
        )
    unit = existing or create_unit(name, Unit.Kind.UNIT, office)
    forget_scope(by)  # the actor's scope now reaches the new unit, if their office covers it
    return unit


def offices_for_new_units(user):
    """The offices under which `user` may set up a new unit with its first round: those where
    they hold the inspection office's role (create_round decides, as for any round)."""
    held = Membership.objects.filter(
        user=user, role=Role.INSPECTION_OFFICE, unit__kind=Unit.Kind.OFFICE
    ).values_list("unit__path", flat=True)
    paths = list(held)
    if not paths:
        return Unit.objects.none()
    within = Q()
    for path in paths:
        within |= Q(path__startswith=path)
    return Unit.objects.filter(within, kind=Unit.Kind.OFFICE).order_by("path")


def may_edit_round(user, round: InspectionRound) -> bool:
    """The inspection office above the round's unit sets up and changes its rounds."""
    return scope_for(user).has_role(round.unit_id, Role.INSPECTION_OFFICE)


def may_attach(user, round: InspectionRound) -> bool:
    return scope_for(user).has_role(
        round.unit_id, Role.INSPECTION_OFFICE, Role.RECTIFICATION_OFFICE, Role.LEADER
    )


def may_create_rounds(user) -> bool:
    """Whether `user` is an inspection office over some unit, or over an office a new unit can
    be set up under."""
    scope = scope_for(user)
    if Role.INSPECTION_OFFICE in scope.all_roles():
        return True
    if not scope.subtree_paths:  # no role held over an office at all: nothing to look up
        return False
    return offices_for_new_units(user).exists()


DATE_FIELDS = ("period_start", "period_end", "feedback_date")


def empty_dates_to_fill(round: InspectionRound, found: dict) -> dict:
    """The dates a document gives (`found`: ISO strings or dates by field name) for those of
    `round`'s period and feedback date that are still empty, when they agree with its other
    dates. A document whose feedback date is not the round's speaks of another feedback, and a
    set of dates that contradicts itself or the round's: both give nothing."""
    found = {
        name: value if isinstance(value, date) else date.fromisoformat(value)
        for name, value in found.items()
        if name in DATE_FIELDS and value
    }
    feedback = found.get("feedback_date")
    if round.feedback_date and feedback and feedback != round.feedback_date:
        return {}
    fill = {name: value for name, value in found.items() if getattr(round, name) is None}
    if not fill:
        return {}
    try:
        _check_dates({**{n: getattr(round, n) for n in DATE_FIELDS}, **fill})
    except Refused:
        return {}
    return fill


@transaction.atomic
def fill_empty_dates(round: InspectionRound, found: dict, *, by, note: str = "") -> dict:
    """Set the dates a document gives where `round` has none (see empty_dates_to_fill): a date
    already set is never changed here. The caller has checked that `by` may import into the
    round; the change is recorded, and due dates that count from the feedback follow."""
    locked = InspectionRound.objects.select_for_update(of=("self",)).get(pk=round.pk)
    fill = empty_dates_to_fill(locked, found)
    if not fill:
        return {}
    diff = {}
    for name, value in fill.items():
        label = str(InspectionRound._meta.get_field(name).verbose_name)
        diff[label] = [_shown(None), _shown(value)]
        setattr(locked, name, value)
        setattr(round, name, value)
    locked.save(update_fields=list(fill))
    record(Event.Action.CHANGED, locked, by=by, problem=None, round=locked, changes=diff, note=note)
    if "feedback_date" in fill:
        for problem in locked.problems.filter(state__in=OPEN_STATES).select_related("round"):
            refresh_due_date(problem)
    return fill


@transaction.atomic
def update_round(round: InspectionRound, *, by, **fields) -> InspectionRound:
    locked = InspectionRound.objects.select_for_update(of=("self",)).get(pk=round.pk)
    _require_inspection_office(by, locked.unit_id)
    if fields.get("unit") and fields["unit"].pk != locked.unit_id:
        raise Refused("巡察轮次的被巡察单位不能更改。", "a round's unit never changes")
    fields.pop("unit", None)
    _check_dates({**{n: getattr(locked, n) for n in ROUND_FIELDS if n != "unit"}, **fields})
    changed = [name for name, value in fields.items() if getattr(locked, name) != value]
    if not changed:
        return locked
    diff = {}
    for name in changed:
        label = str(InspectionRound._meta.get_field(name).verbose_name)
        diff[label] = [_shown(getattr(locked, name)), _shown(fields[name])]
        setattr(locked, name, fields[name])
    locked.save(update_fields=changed)
    record(Event.Action.CHANGED, locked, by=by, problem=None, round=locked, changes=diff)
    if "kind" in changed:
        # A kind is what the round is, not a state it passes through: a corrected kind holds
        # for its problems' whole timeline.
        StateSpan.objects.filter(problem__round=locked).update(round_kind=locked.kind)
    if {"feedback_date", "long_term_report_period"} & set(changed):
        # Both move due dates: 立行立改 counts from feedback, long-term reports by period.
        for problem in locked.problems.filter(state__in=OPEN_STATES).select_related("round"):
            refresh_due_date(problem)
    return locked


def _check_dates(fields: dict) -> None:
    start, end, feedback = (fields.get(n) for n in ("period_start", "period_end", "feedback_date"))
    if start and end and end < start:
        raise Refused("巡察结束日期不能早于开始日期。", "the period ends before it starts")
    if feedback and (end or start) and feedback < (end or start):
        raise Refused("反馈日期不能早于巡察期间。", "feedback is dated before the inspection")


def attach_document(round: InspectionRound, upload, *, by) -> RoundDocument:
    scope = scope_for(by)
    if not scope.has_role(
        round.unit_id, Role.INSPECTION_OFFICE, Role.RECTIFICATION_OFFICE, Role.LEADER
    ):
        raise NotAllowed("您没有权限上传轮次文件。", f"{by} may not attach documents")
    info = checked_file(upload)
    with transaction.atomic():
        return store_document(round, upload, info, by=by)


def store_document(round: InspectionRound, upload, info, *, by, label: str = "轮次文件"):
    """Keep a checked file with the round, outside any web root, and record it."""
    document = RoundDocument(round=round, uploaded_by=by, **stored_file_fields(upload, info))
    document.file.save(f"{info.sha256[:16]}.bin", upload, save=False)
    document.save()
    record(
        Event.Action.CREATED,
        document,
        by=by,
        problem=None,
        round=round,
        changes={label: ["—", document.original_name]},
    )
    return document
