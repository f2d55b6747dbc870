from django.db import transaction

from zhenggai.ledger.errors import NotAllowed, Refused
from zhenggai.ledger.history import record
from zhenggai.ledger.models import OPEN_STATES, Event
from zhenggai.ledger.schedule import refresh_due_date
from zhenggai.ledger.services import checked_file, stored_file_fields
from zhenggai.orgs.access import scope_for
from zhenggai.orgs.models import Role
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
def create_round(*, by, **fields) -> InspectionRound:
    """Set up an inspection round of a unit the actor's inspection office covers."""
    _require_inspection_office(by, fields["unit"].pk)
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
