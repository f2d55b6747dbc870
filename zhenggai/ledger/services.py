"""Actions on the ledger: entering problems and measures, changing them (directly or through a
leader's approval), reporting progress with evidence, flagging, and bulk changes.

Every function takes model objects and plain values, checks the actor's right, runs atomically
and writes history. Views, commands and tests all call these.
"""

import datetime
import logging
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import normalize_newlines

from zhenggai.ledger import search
from zhenggai.ledger.errors import Conflict, NotAllowed, Refused
from zhenggai.ledger.history import record
from zhenggai.ledger.models import (
    MAX_COUNT,
    ChangeRequest,
    DeadlineKind,
    Event,
    Evidence,
    Flag,
    Measure,
    Problem,
    ProgressReport,
    State,
)
from zhenggai.ledger.schedule import refresh_due_date
from zhenggai.ledger.values import describe, label, measure_value, serial
from zhenggai.lib.uploads import CheckedFile, UploadRefused, check_upload
from zhenggai.orgs.access import scope_for
from zhenggai.orgs.models import Role, Unit
from zhenggai.orgs.services import memberships_in
from zhenggai.rounds.models import InspectionRound

log = logging.getLogger(__name__)

PLAN_FIELDS = ("text", "lead_leader", "lead_section", "responsible_sections", "owner")
DEADLINE_FIELDS = ("deadline_kind", "deadline", "deadline_workdays", "deadline_from")
RESULT_FIELDS = (
    "completed_on",
    "rules_made",
    "rules_revised",
    "funds_recovered",
    "people_held_accountable",
)
MEASURE_FIELDS = PLAN_FIELDS + DEADLINE_FIELDS + RESULT_FIELDS
PROBLEM_FIELDS = ("number", "title", "description", "path")

EDITORS = (Role.INSPECTION_OFFICE, Role.RECTIFICATION_OFFICE)
PLANNERS = (Role.LEADER, Role.RECTIFICATION_OFFICE)


# ---------------------------------------------------------------- rights


def require_role(user, unit_id: int, roles: Iterable[str], what_zh: str, what_en: str) -> None:
    if not scope_for(user).has_role(unit_id, *roles):
        raise NotAllowed(f"您没有权限{what_zh}。", f"{user} may not {what_en} in unit {unit_id}")


def _require_open(problem: Problem) -> None:
    if not problem.is_open:
        raise Refused(
            f"该问题已{problem.get_state_display()}，不能再修改；如需修改请先重新打开。",
            f"problem {problem.pk} is {problem.state} and cannot be changed",
        )


def may_enter_problems(user, round: InspectionRound) -> bool:
    return scope_for(user).has_role(round.unit_id, *EDITORS)


def may_edit_problem(user, problem: Problem) -> bool:
    return problem.is_open and scope_for(user).has_role(problem.unit_id, *EDITORS)


def may_plan(user, problem: Problem) -> bool:
    return problem.is_open and scope_for(user).has_role(problem.unit_id, *PLANNERS)


def may_report(user, problem: Problem, measure: Measure | None = None) -> bool:
    """Leader or rectification office, a measure's own 责任人, or staff of a section that leads
    or carries out the measure(s)."""
    if not problem.is_open:
        return False
    scope = scope_for(user)
    if scope.has_role(problem.unit_id, Role.RECTIFICATION_OFFICE, Role.LEADER):
        return True
    if not scope.can_read(problem.unit_id):
        return False
    sections = scope.section_ids(problem.unit_id)
    measures = [measure] if measure else list(problem.measures.filter(withdrawn=False))
    return any(
        m.owner_id == user.pk
        or m.lead_section_id in sections
        or any(s.pk in sections for s in m.responsible_sections.all())
        for m in measures
    )


def may_change_plan(user, problem: Problem, measure: Measure) -> bool:
    """Planners change any measure (directly or by request); section staff ask for changes of
    the measures their section carries."""
    scope = scope_for(user)
    if scope.has_role(problem.unit_id, *PLANNERS):
        return True
    return scope.has_role(problem.unit_id, Role.SECTION_STAFF) and may_report(
        user, problem, measure
    )


def may_flag(user, problem: Problem) -> bool:
    return scope_for(user).has_role(problem.unit_id, Role.DISCIPLINE)


def applies_directly(user, problem: Problem) -> bool:
    """Plan and deadline changes apply at once when a leader makes them, or the rectification
    office while the plan is drafted; otherwise they become a request a leader decides."""
    scope = scope_for(user)
    if scope.has_role(problem.unit_id, Role.LEADER):
        return True
    return problem.state == State.PLAN_PENDING and scope.has_role(
        problem.unit_id, Role.RECTIFICATION_OFFICE
    )


def _assign(measure: Measure, changes: dict) -> None:
    for name, value in changes.items():
        if name == "responsible_sections":
            continue
        field = Measure._meta.get_field(name)
        if field.get_internal_type() == "DateField" and isinstance(value, str):
            value = datetime.date.fromisoformat(value)
        if field.get_internal_type() == "DecimalField" and value is not None:
            value = Decimal(value)
        setattr(measure, field.attname, value)


def _check_people(problem: Problem, changes: dict) -> None:
    """A measure's leader and owner must hold a role in the problem's unit or its sections."""
    ids = {changes[name] for name in ("lead_leader", "owner") if changes.get(name)}
    if not ids:
        return
    valid = set(
        memberships_in([problem.unit_id]).filter(user_id__in=ids).values_list("user_id", flat=True)
    )
    if ids - valid:
        raise Refused(
            "责任领导和责任人须为本单位人员。", f"users {ids - valid} are not of this unit"
        )


def _check_results(changes: dict) -> None:
    """Outcome counts are whole numbers from 0 to MAX_COUNT; funds fit their column."""
    for name in ("rules_made", "rules_revised", "people_held_accountable"):
        value = changes.get(name)
        if value is not None and not 0 <= int(value) <= MAX_COUNT:
            raise Refused(f"“{label(name)}”应在 0 到 {MAX_COUNT} 之间。", f"{name}={value}")
    funds = changes.get("funds_recovered")
    if funds is not None and not 0 <= Decimal(funds) < Decimal(10) ** 12:
        raise Refused("“挽回/追缴资金”数额有误。", f"funds_recovered={funds}")


def _check_deadline(measure: Measure | None, changes: dict, problem: Problem) -> None:
    """Once the plan is approved, a measure "to be done by a date" has that date (else it could
    never turn red); while the plan is drafted the date may still be open (未定)."""
    if problem.state == State.PLAN_PENDING:
        return
    kind = changes.get("deadline_kind", measure.deadline_kind if measure else DeadlineKind.DATE)
    deadline = changes["deadline"] if "deadline" in changes else (measure and measure.deadline)
    if kind == DeadlineKind.DATE and not deadline:
        raise Refused("限期完成的措施须填写完成日期。", "a dated deadline needs its date")


def past_deadline_warning(deadline: datetime.date | str | None) -> str:
    """The words "完成日期早于今天" for a date already behind us ("" when it is not). Such a
    date is accepted (it may be when the measure really was due), but pointed out where shown."""
    if isinstance(deadline, str):
        deadline = datetime.date.fromisoformat(deadline)
    if deadline is None or deadline >= timezone.localdate():
        return ""
    return f"完成日期（{deadline:%Y-%m-%d}）早于今天"


def measure_warnings(measure: Measure) -> list[str]:
    """What to tell whoever just saved a measure, though it was accepted: a date already past
    (it is red at once), and what it still lacks (未定责任人, 未定时限)."""
    warnings = [f"该措施{gap}。" for gap in measure.gaps]
    if measure.deadline_passed:
        passed = past_deadline_warning(measure.deadline)
        warnings.insert(0, f"{passed}，该措施已按逾期显示红灯；如填写有误，请修改。")
    return warnings


def _check_sections(problem: Problem, changes: dict) -> None:
    """A measure's sections must be sections of the problem's own unit."""
    ids = list(changes.get("responsible_sections") or [])
    if changes.get("lead_section"):
        ids.append(changes["lead_section"])
    if not ids:
        return
    valid = set(
        Unit.objects.filter(
            pk__in=ids, parent_id=problem.unit_id, kind=Unit.Kind.SECTION
        ).values_list("pk", flat=True)
    )
    if set(ids) - valid:
        raise Refused("只能选择本单位的科室。", f"sections {set(ids) - valid} are not of this unit")


# ---------------------------------------------------------------- problems


def _check_lengths(model, values: dict) -> None:
    """Refuse text longer than its column, in words a person understands (SQLite would not)."""
    for name, value in values.items():
        limit = getattr(model._meta.get_field(name), "max_length", None)
        if limit and isinstance(value, str) and len(value) > limit:
            label = model._meta.get_field(name).verbose_name
            raise Refused(f"“{label}”最多 {limit} 个字。", f"{name} is longer than {limit}")


def refresh_search_text(problem: Problem) -> None:
    texts = Measure.objects.filter(problem=problem, withdrawn=False).values_list("text", flat=True)
    text = "\n".join([problem.number, problem.title, problem.description, *problem.path, *texts])
    Problem.objects.filter(pk=problem.pk).update(search_text=text)
    search.index(problem.pk, text)


@transaction.atomic
def create_problem(
    round: InspectionRound,
    *,
    by,
    title: str,
    number: str = "",
    description: str = "",
    path: list[str] | None = None,
) -> Problem:
    """Enter one problem of a round's feedback, at the end of its outline."""
    require_role(by, round.unit_id, EDITORS, "录入问题", "enter problems")
    title = title.strip()
    if not title:
        raise Refused("请填写问题标题。", "a problem needs a title")
    path = [part.strip() for part in (path or []) if part.strip()]
    _check_lengths(Problem, {"number": number.strip(), "title": title})
    last = round.problems.order_by("-position").values_list("position", flat=True).first()
    problem = Problem.objects.create(
        round=round,
        unit_id=round.unit_id,
        number=number.strip(),
        title=title,
        description=normalize_newlines(description).strip(),
        path=path,
        area=path[0] if path else "",
        position=(last or 0) + 1,
    )
    record(
        Event.Action.CREATED,
        problem,
        by=by,
        problem=problem,
        changes={"问题": ["—", problem.title]},
    )
    refresh_search_text(problem)
    return problem


@transaction.atomic
def update_problem(problem: Problem, *, by, **changes) -> Problem:
    locked = Problem.objects.select_for_update(of=("self",)).get(pk=problem.pk)
    require_role(by, locked.unit_id, EDITORS, "修改问题", "edit problems")
    _require_open(locked)
    unknown = set(changes) - set(PROBLEM_FIELDS)
    if unknown:
        raise ValueError(f"not problem fields: {unknown}")
    if "path" in changes:
        changes["path"] = [part.strip() for part in changes["path"] if part.strip()]
    changes = {k: normalize_newlines(v) if isinstance(v, str) else v for k, v in changes.items()}
    diff = {}
    for name, value in changes.items():
        if getattr(locked, name) != value:
            label = str(Problem._meta.get_field(name).verbose_name)
            old = getattr(locked, name)
            diff[label] = [
                " / ".join(old) if name == "path" else old,
                " / ".join(value) if name == "path" else value,
            ]
            setattr(locked, name, value)
    if not diff:
        return locked
    if not locked.title.strip():
        raise Refused("请填写问题标题。", "a problem needs a title")
    _check_lengths(Problem, {"number": locked.number, "title": locked.title})
    locked.area = locked.path[0] if locked.path else ""
    locked.save(update_fields=[*changes, "area", "updated_at"])
    record(Event.Action.CHANGED, locked, by=by, problem=locked, changes=diff)
    refresh_search_text(locked)
    return locked


# ---------------------------------------------------------------- measures


@transaction.atomic
def create_measure(problem: Problem, *, by, text: str, **fields) -> Measure:
    """Add a measure to a problem's plan. After the plan is approved, only a leader adds one
    directly; the rectification office's addition is then a plan change request."""
    problem = (
        Problem.objects.select_for_update(of=("self",)).select_related("round").get(pk=problem.pk)
    )
    require_role(by, problem.unit_id, PLANNERS, "制定整改措施", "plan measures")
    _require_open(problem)
    if not applies_directly(by, problem):
        raise Refused(
            "方案已审定，新增措施须由单位领导添加，或对现有措施提出调整方案申请。",
            f"plan of problem {problem.pk} is approved; only a leader adds measures",
        )
    text = normalize_newlines(text).strip()
    if not text:
        raise Refused("请填写整改措施。", "a measure needs text")
    sections = fields.pop("responsible_sections", [])
    values = {name: serial(value) for name, value in fields.items()}
    values["responsible_sections"] = serial(sections)
    _check_sections(problem, values)
    _check_people(problem, values)
    _check_deadline(None, values, problem)
    _check_results(values)
    last = problem.measures.order_by("-position").values_list("position", flat=True).first()
    measure = Measure(problem=problem, text=text, position=(last or 0) + 1)
    _assign(measure, {k: v for k, v in values.items() if k != "responsible_sections"})
    measure.save()
    measure.responsible_sections.set(values["responsible_sections"])
    record(
        Event.Action.CREATED,
        measure,
        by=by,
        problem=problem,
        changes=describe({"text": text, **values}),
    )
    refresh_due_date(problem)
    refresh_search_text(problem)
    return measure


def _apply(measure: Measure, changes: dict, *, by, note: str = "") -> dict:
    """Write `changes` (stored values) to a locked measure, bump its version, record history."""
    before = {name: measure_value(measure, name) for name in changes}
    changes = {k: v for k, v in changes.items() if before[k] != v}
    if not changes:
        return {}
    _assign(measure, changes)
    measure.version += 1
    scalar = [Measure._meta.get_field(n).attname for n in changes if n != "responsible_sections"]
    measure.save(update_fields=[*scalar, "version", "updated_at"])
    if "responsible_sections" in changes:
        measure.responsible_sections.set(changes["responsible_sections"])
    record(
        Event.Action.CHANGED,
        measure,
        by=by,
        problem=measure.problem,
        changes=describe(changes, before),
        note=note,
    )
    refresh_due_date(measure.problem)
    if "text" in changes:
        refresh_search_text(measure.problem)
    return changes


def _lock_measure(measure: Measure, base_version: int | None) -> Measure:
    locked = (
        Measure.objects.select_for_update(of=("self",))
        .select_related("problem", "problem__round")
        .get(pk=measure.pk)
    )
    if base_version is not None and locked.version != base_version:
        raise Conflict(
            "该措施在您打开后已被他人修改。请查看最新内容后重新提交，您的修改未保存。",
            f"measure {locked.pk} is at version {locked.version}, edit was based on {base_version}",
        )
    return locked


class MeasureUpdate:
    """What `update_measure` did: fields applied at once and change requests opened."""

    def __init__(self, applied: dict, requests: list[ChangeRequest]):
        self.applied = applied
        self.requests = requests


def update_measure(
    measure: Measure, *, by, base_version: int | None, reason: str = "", **fields
) -> MeasureUpdate:
    """Change a measure. Results (completion, outcomes) apply at once for whoever may report on
    it; plan and deadline changes apply at once only while the plan is drafted or when a
    leader makes them, and otherwise open change requests that a leader decides."""
    unknown = set(fields) - set(MEASURE_FIELDS)
    if unknown:
        raise ValueError(f"not measure fields: {unknown}")
    values = {name: serial(value) for name, value in fields.items()}
    with transaction.atomic():
        locked = _lock_measure(measure, base_version)
        problem = locked.problem
        _require_open(problem)
        if locked.withdrawn:
            raise Refused("该措施已撤销。", f"measure {locked.pk} is withdrawn")
        _check_sections(problem, values)
        _check_people(problem, values)
        _check_deadline(locked, values, problem)
        _check_results(values)
        current = {name: measure_value(locked, name) for name in values}
        changed = {k: v for k, v in values.items() if current[k] != v}
        results = {k: v for k, v in changed.items() if k in RESULT_FIELDS}
        plan = {k: v for k, v in changed.items() if k in PLAN_FIELDS}
        deadline = {k: v for k, v in changed.items() if k in DEADLINE_FIELDS}
        if results and not may_report(by, problem, locked):
            raise NotAllowed(
                "您没有权限填报该措施的完成情况。", f"{by} may not report on measure {locked.pk}"
            )
        if (plan or deadline) and not may_change_plan(by, problem, locked):
            raise NotAllowed(
                "只能对本科室承担的措施提出调整申请。",
                f"{by} may not change the plan of measure {locked.pk}",
            )
        direct = applies_directly(by, problem)
        applied = _apply(
            locked, {**results, **((plan | deadline) if direct else {})}, by=by, note=reason
        )
        requests = []
        if not direct:
            for kind, part in (
                (ChangeRequest.Kind.PLAN, plan),
                (ChangeRequest.Kind.DEADLINE, deadline),
            ):
                if part:
                    requests.append(_open_request(locked, kind, part, by=by, reason=reason))
    return MeasureUpdate(applied, requests)


def _open_request(measure: Measure, kind: str, changes: dict, *, by, reason: str) -> ChangeRequest:
    reason = reason.strip()
    if not reason:
        raise Refused(
            "方案已审定，调整时限或方案须说明理由，报单位领导审批。",
            "a change request needs a reason",
        )
    current = {name: measure_value(measure, name) for name in changes}
    request = ChangeRequest.objects.create(
        measure=measure,
        problem=measure.problem,
        kind=kind,
        changes=changes,
        before=current,
        reason=reason,
        requested_by=by,
    )
    record(
        Event.Action.REQUESTED,
        request,
        by=by,
        problem=measure.problem,
        changes=describe(changes, current),
        note=reason,
    )
    return request


@transaction.atomic
def withdraw_measure(measure: Measure, *, by, reason: str, base_version: int | None) -> Measure:
    locked = _lock_measure(measure, base_version)
    require_role(by, locked.problem.unit_id, PLANNERS, "撤销整改措施", "withdraw measures")
    _require_open(locked.problem)
    if not applies_directly(by, locked.problem):
        raise Refused(
            "方案已审定，撤销措施须由单位领导操作。",
            "only a leader withdraws a measure of an approved plan",
        )
    if not reason.strip():
        raise Refused("请填写撤销理由。", "withdrawing a measure needs a reason")
    locked.withdrawn = True
    locked.version += 1
    locked.save(update_fields=["withdrawn", "version", "updated_at"])
    supersede_requests(locked.change_requests.all(), by=by, note="措施已撤销，申请自动失效。")
    record(
        Event.Action.WITHDRAWN,
        locked,
        by=by,
        problem=locked.problem,
        changes={"整改措施": [locked.text, "已撤销"]},
        note=reason.strip(),
    )
    refresh_due_date(locked.problem)
    refresh_search_text(locked.problem)
    return locked


# ---------------------------------------------------------------- change requests


def supersede_requests(requests, *, by, note: str) -> None:
    """Close pending requests that no longer apply (their problem closed, their measure gone)."""
    for request in requests.filter(status=ChangeRequest.Status.PENDING).select_for_update(
        of=("self",)
    ):
        request.status = ChangeRequest.Status.SUPERSEDED
        _decided(request, decided_by=None, by=by, note=note)


def _decided(request: ChangeRequest, *, decided_by, by, note: str) -> None:
    """Save a request's new status and who decided it (None: it lapsed), as done by `by`."""
    request.decided_by, request.decided_at, request.decision_note = decided_by, timezone.now(), note
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    record(
        Event.Action.DECIDED,
        request,
        by=by,
        problem=request.problem,
        changes={"变更申请": ["待审批", request.get_status_display()]},
        note=note,
    )


def current_values(request: ChangeRequest) -> dict:
    """The measure's values now, for the fields a change request would change."""
    return {name: measure_value(request.measure, name) for name in request.changes}


def decide_change_request(
    request: ChangeRequest, *, by, approve: bool, note: str = ""
) -> ChangeRequest:
    """A leader approves (the change applies) or rejects a pending change request."""
    with transaction.atomic():
        locked = (
            ChangeRequest.objects.select_for_update(of=("self",))
            .select_related("problem")
            .get(pk=request.pk)
        )
        require_role(by, locked.problem.unit_id, (Role.LEADER,), "审批变更申请", "decide requests")
        if locked.status != ChangeRequest.Status.PENDING:
            raise Refused("该申请已处理。", f"request {locked.pk} is {locked.status}")
        if locked.requested_by_id == by.pk:
            raise NotAllowed("不能审批本人提出的申请。", "nobody decides their own request")
        if not approve and not note.strip():
            raise Refused("不批准时请填写意见。", "a rejection needs a note")
        measure = _lock_measure(locked.measure, None)
        stale = current_values(locked) != locked.before
        if approve and stale:
            locked.status = ChangeRequest.Status.SUPERSEDED
        elif approve:
            _apply(measure, locked.changes, by=by, note=f"批准变更申请：{locked.reason}")
            locked.status = ChangeRequest.Status.APPROVED
        else:
            locked.status = ChangeRequest.Status.REJECTED
        _decided(locked, decided_by=by, by=by, note=note.strip())
    if locked.status == ChangeRequest.Status.SUPERSEDED:
        raise Conflict(
            "措施在申请提出后已被修改，该申请已失效，请重新提出。",
            f"measure changed since request {locked.pk}; marked superseded",
        )
    return locked


# ---------------------------------------------------------------- progress and evidence


def checked_file(upload) -> CheckedFile:
    """An uploaded file checked by content and size, or Refused naming it."""
    try:
        return check_upload(upload, settings.EVIDENCE_MAX_BYTES)
    except UploadRefused as exc:
        log.warning("upload %r refused: %s", upload.name, exc)
        raise Refused(f"“{upload.name}”：{exc.message}", f"{upload.name}: {exc}") from None


def stored_file_fields(upload, info: CheckedFile) -> dict:
    """The columns every stored file keeps (evidence and round documents alike)."""
    return {
        "original_name": upload.name[:255],
        "content_type": info.content_type,
        "size": info.size,
        "sha256": info.sha256,
    }


def _store_evidence(report: ProgressReport, upload, info, stored: list) -> str:
    evidence = Evidence(report=report, **stored_file_fields(upload, info))
    evidence.file.save(f"{info.sha256[:16]}.bin", upload, save=False)
    stored.append(evidence.file)
    evidence.save()
    return evidence.original_name


def report_progress(
    problem: Problem, *, by, text: str, files=(), measure: Measure | None = None
) -> ProgressReport:
    """Record what was done, with evidence files checked by content; all or nothing."""
    text = text.strip()
    if not text:
        raise Refused("请填写整改进展。", "a progress report needs text")
    checked = [(upload, checked_file(upload)) for upload in files]
    stored: list = []  # files are outside the transaction: removed by hand if it fails
    try:
        return _report(problem, by, text, measure, checked, stored)
    except BaseException:
        for file in stored:
            file.storage.delete(file.name)
        raise


@transaction.atomic
def _report(problem, by, text, measure, checked, stored) -> ProgressReport:
    problem = (
        Problem.objects.select_for_update(of=("self",)).select_related("round").get(pk=problem.pk)
    )
    if measure is not None and measure.problem_id != problem.pk:
        raise Refused("措施不属于该问题。", "measure of another problem")
    if measure is not None and measure.withdrawn:
        raise Refused("该措施已撤销，不能再报告进展。", f"measure {measure.pk} is withdrawn")
    if not may_report(by, problem, measure):
        raise NotAllowed(
            "您没有权限报告该问题的整改进展。", f"{by} may not report on problem {problem.pk}"
        )
    report = ProgressReport.objects.create(
        problem=problem, measure=measure, text=text, created_by=by
    )
    names = [_store_evidence(report, upload, info, stored) for upload, info in checked]
    record(
        Event.Action.REPORTED,
        report,
        by=by,
        problem=problem,
        changes={"佐证材料": ["—", "、".join(names)]} if names else {},
        note=text,
    )
    refresh_due_date(problem)
    return report


# ---------------------------------------------------------------- concerns (监督意见)

FLAG_ANSWERERS = (Role.LEADER, Role.RECTIFICATION_OFFICE)
MAX_FLAG_TEXT = 4000


def may_answer_flag(user, flag: Flag) -> bool:
    """The unit's leaders and rectification office answer the discipline group's concerns."""
    return scope_for(user).has_role(flag.problem.unit_id, *FLAG_ANSWERERS)


def may_decide_flag(user, flag: Flag) -> bool:
    """The discipline group closes a concern or sends it back (whoever of it raised it)."""
    return may_flag(user, flag.problem)


def refresh_concern(problem: Problem) -> None:
    """Copy the most pressing state of the problem's concerns onto it, for the ledger."""
    statuses = set(Flag.objects.filter(problem=problem).values_list("status", flat=True))
    concern = next((s for s in Flag.Status.values if s in statuses), "")
    if concern != problem.concern:
        problem.concern = concern
        Problem.objects.filter(pk=problem.pk).update(concern=concern)


def _flag_text(text: str, what: str) -> str:
    text = text.strip()
    if not text or len(text) > MAX_FLAG_TEXT:
        raise Refused(f"请填写{what}（不超过{MAX_FLAG_TEXT}字）。", f"{what} needs sane text")
    return text


@transaction.atomic
def flag_problem(problem: Problem, *, by, note: str) -> Flag:
    """The discipline group raises a concern on a problem; it waits for the unit's answer."""
    if not may_flag(by, problem):
        raise NotAllowed("只有纪检监察组可以提出监督意见。", f"{by} may not flag")
    note = _flag_text(note, "监督意见")
    problem = Problem.objects.select_for_update(of=("self",)).get(pk=problem.pk)
    flag = Flag.objects.create(problem=problem, note=note, created_by=by)
    record(Event.Action.FLAGGED, flag, by=by, problem=problem, note=flag.note)
    refresh_concern(problem)
    return flag


def _lock_flag(flag: Flag) -> Flag:
    """Lock the concern, and its problem first: two concerns of one problem decided at once
    must not each copy a stale view of the other onto the problem's marker."""
    problem = Problem.objects.select_for_update(of=("self",)).get(pk=flag.problem_id)
    locked = Flag.objects.select_for_update(of=("self",)).get(pk=flag.pk)
    locked.problem = problem
    return locked


def _require_status(flag: Flag, status: str, verb: str) -> None:
    if flag.status != status:
        raise Refused(
            f"该监督意见{flag.get_status_display()}，不能{verb}。",
            f"flag {flag.pk} is {flag.status}, not {status}",
        )


def answer_flag(flag: Flag, *, by, answer: str) -> Flag:
    """The unit's leader or rectification office answers an open concern."""
    answer = _flag_text(answer, "答复内容")
    with transaction.atomic():
        locked = _lock_flag(flag)
        if not may_answer_flag(by, locked):
            raise NotAllowed(
                "只有本单位领导或整改办可以答复监督意见。", f"{by} may not answer flag {locked.pk}"
            )
        _require_status(locked, Flag.Status.OPEN, "答复")
        locked.status = Flag.Status.ANSWERED
        locked.answer, locked.answered_by, locked.answered_at = answer, by, timezone.now()
        locked.save(update_fields=["status", "answer", "answered_by", "answered_at"])
        record(
            Event.Action.FLAG_ANSWERED,
            locked,
            by=by,
            problem=locked.problem,
            changes={"监督意见": [Flag.Status.OPEN.label, Flag.Status.ANSWERED.label]},
            note=answer,
        )
        refresh_concern(locked.problem)
    return locked


# What deciding an answered concern leads to: the history's action, and the verb it is told by.
_FLAG_DECISIONS = {
    Flag.Status.CLOSED: (Event.Action.FLAG_CLOSED, "办结"),
    Flag.Status.OPEN: (Event.Action.FLAG_SENT_BACK, "退回"),
}


def _decide_flag(flag: Flag, *, by, target: str, note: str) -> Flag:
    action, verb = _FLAG_DECISIONS[target]
    with transaction.atomic():
        locked = _lock_flag(flag)
        if not may_decide_flag(by, locked):
            raise NotAllowed(
                f"只有纪检监察组可以{verb}监督意见。", f"{by} may not decide flag {locked.pk}"
            )
        _require_status(locked, Flag.Status.ANSWERED, verb)
        if locked.answered_by_id == by.pk:
            raise NotAllowed("不能办结或退回本人的答复。", "nobody decides their own answer")
        locked.status, locked.decision_note = target, note
        locked.decided_by, locked.decided_at = by, timezone.now()
        locked.save(update_fields=["status", "decision_note", "decided_by", "decided_at"])
        record(
            action,
            locked,
            by=by,
            problem=locked.problem,
            changes={"监督意见": [Flag.Status.ANSWERED.label, Flag.Status(target).label]},
            note=note,
        )
        refresh_concern(locked.problem)
    return locked


def close_flag(flag: Flag, *, by, note: str = "") -> Flag:
    """The discipline group accepts the answer: the concern is closed (办结)."""
    note = note.strip()[:MAX_FLAG_TEXT]
    return _decide_flag(flag, by=by, target=Flag.Status.CLOSED, note=note)


def send_back_flag(flag: Flag, *, by, reason: str) -> Flag:
    """The discipline group finds the answer wanting: the concern is open again, with why."""
    reason = _flag_text(reason, "退回理由")
    return _decide_flag(flag, by=by, target=Flag.Status.OPEN, note=reason)


# ---------------------------------------------------------------- bulk changes


def bulk_update_measures(
    problems: Iterable[Problem], *, by, reason: str, **fields
) -> MeasureUpdate:
    """Apply the same change to every active measure of `problems`, all or nothing."""
    applied: dict = {}
    requests: list[ChangeRequest] = []
    with transaction.atomic():
        for problem in problems:
            for measure in Measure.objects.filter(problem=problem, withdrawn=False):
                result = update_measure(measure, by=by, base_version=None, reason=reason, **fields)
                if result.applied:
                    applied[measure.pk] = result.applied
                requests.extend(result.requests)
    return MeasureUpdate(applied, requests)
