"""Planning measures and changing them: directly, or through a leader's approval."""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.text import normalize_newlines

from zhenggai.ledger.history import record
from zhenggai.ledger.models import (
    ChangeRequest,
    Event,
    Measure,
    Problem,
)
from zhenggai.ledger.schedule import refresh_due_date
from zhenggai.ledger.services.problems import refresh_search_text
from zhenggai.ledger.services.rights import (
    DEADLINE_FIELDS,
    MEASURE_FIELDS,
    PLAN_FIELDS,
    PLANNERS,
    RESULT_FIELDS,
    applies_directly,
    assign_values,
    check_deadline,
    check_people,
    check_results,
    check_sections,
    may_change_plan,
    may_report,
    require_open,
    require_role,
)
from zhenggai.ledger.values import describe, measure_value, serial
from zhenggai.lib.errors import Conflict, NotAllowed, Refused

log = logging.getLogger(__name__)


@transaction.atomic
def create_measure(problem: Problem, *, by, text: str, **fields) -> Measure:
    """Add a measure to a problem's plan. After the plan is approved, only a leader adds one
    directly; the rectification office's addition is then a plan change request."""
    problem = (
        Problem.objects.select_for_update(of=("self",)).select_related("round").get(pk=problem.pk)
    )
    require_role(by, problem.unit_id, PLANNERS, "制定整改措施", "plan measures")
    require_open(problem)
    if not applies_directly(by, problem):
        raise Refused(
            "方案已审定，新增措施须由单位领导添加，或对现有措施提出调整方案申请。",
            f"plan of problem {problem.pk} is approved; only a leader adds measures",
        )
    sections = fields.pop("responsible_sections", [])
    values = {name: serial(value) for name, value in fields.items()}
    values["responsible_sections"] = serial(sections)
    check_sections(problem, values)
    check_people(problem, values)
    check_deadline(None, values, problem)
    check_results(values)
    measure = add_measure(problem, by=by, text=text, **values)
    refresh_due_date(problem)
    refresh_search_text(problem)
    return measure


def add_measure(
    problem: Problem,
    *,
    by,
    text: str,
    position: int | None = None,
    note: str = "",
    history: dict | None = None,
    **values,
) -> Measure:
    """Store one measure of `problem` with its `values` as stored (ids, ISO dates) and its
    history row: `history` as given, else every value described. At `position`, else after the
    problem's last measure. Whether `by` may, and whether the values are the unit's, is the
    caller's to check, and so are the problem's due date and search text (an import refreshes
    them once a problem, not once a measure)."""
    text = normalize_newlines(text).strip()
    if not text:
        raise Refused("请填写整改措施。", "a measure needs text")
    sections = values.pop("responsible_sections", [])
    if position is None:
        last = problem.measures.order_by("-position").values_list("position", flat=True).first()
        position = (last or 0) + 1
    measure = Measure(problem=problem, text=text, position=position)
    assign_values(measure, values)
    measure.save()
    measure.responsible_sections.set(sections)
    if history is None:
        history = describe({"text": text, **values, "responsible_sections": sections})
    record(Event.Action.CREATED, measure, by=by, problem=problem, changes=history, note=note)
    return measure


def _apply(measure: Measure, changes: dict, *, by, note: str = "") -> dict:
    """Write `changes` (stored values) to a locked measure, bump its version, record history."""
    before = {name: measure_value(measure, name) for name in changes}
    changes = {k: v for k, v in changes.items() if before[k] != v}
    if not changes:
        return {}
    assign_values(measure, changes)
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
    """The measure, locked, with its problem locked first: every service locks a problem before
    its measures (as `report_progress` does), so two of them never wait on each other."""
    problem = (
        Problem.objects.select_for_update(of=("self",))
        .select_related("round")
        .get(pk=measure.problem_id)
    )
    locked = Measure.objects.select_for_update().get(pk=measure.pk)
    locked.problem = problem
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
        require_open(problem)
        if locked.withdrawn:
            raise Refused("该措施已撤销。", f"measure {locked.pk} is withdrawn")
        check_sections(problem, values)
        check_people(problem, values)
        check_deadline(locked, values, problem)
        check_results(values)
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
    require_open(locked.problem)
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
