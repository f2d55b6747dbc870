"""Who may do what on the ledger, and the checks every change of a measure passes."""

import datetime
import logging
from collections.abc import Iterable
from decimal import Decimal

from django.utils import timezone

from zhenggai.ledger.models import (
    MAX_COUNT,
    DeadlineKind,
    Measure,
    Problem,
    State,
)
from zhenggai.ledger.values import label
from zhenggai.lib.errors import NotAllowed, Refused
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


def require_role(user, unit_id: int, roles: Iterable[str], what_zh: str, what_en: str) -> None:
    if not scope_for(user).has_role(unit_id, *roles):
        raise NotAllowed(f"您没有权限{what_zh}。", f"{user} may not {what_en} in unit {unit_id}")


def require_open(problem: Problem) -> None:
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
    return any(m.owner_id == user.pk or m.is_carried_by(sections) for m in measures)


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


def assign_values(measure: Measure, changes: dict) -> None:
    for name, value in changes.items():
        if name == "responsible_sections":
            continue
        field = Measure._meta.get_field(name)
        if field.get_internal_type() == "DateField" and isinstance(value, str):
            value = datetime.date.fromisoformat(value)
        if field.get_internal_type() == "DecimalField" and value is not None:
            value = Decimal(value)
        setattr(measure, field.attname, value)


def check_people(problem: Problem, changes: dict) -> None:
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


def check_results(changes: dict) -> None:
    """Outcome counts are whole numbers from 0 to MAX_COUNT; funds fit their column; a
    measure is not completed on a day still to come."""
    done = changes.get("completed_on")
    if isinstance(done, str):
        done = datetime.date.fromisoformat(done)
    if done and done > timezone.localdate():
        raise Refused(
            f"实际完成日期（{done:%Y-%m-%d}）不能晚于今天。",
            f"completed_on {done} is in the future",
        )
    for name in ("rules_made", "rules_revised", "people_held_accountable"):
        value = changes.get(name)
        if value is not None and not 0 <= int(value) <= MAX_COUNT:
            raise Refused(f"“{label(name)}”应在 0 到 {MAX_COUNT} 之间。", f"{name}={value}")
    funds = changes.get("funds_recovered")
    if funds is not None and not 0 <= Decimal(funds) < Decimal(10) ** 12:
        raise Refused("“挽回/追缴资金”数额有误。", f"funds_recovered={funds}")


def check_deadline(measure: Measure | None, changes: dict, problem: Problem) -> None:
    """Once the plan is approved, a measure "to be done by a date" has that date (else it could
    never turn red); while the plan is drafted the date may still be open (未定)."""
    if problem.state == State.PLAN_PENDING:
        return
    kind = changes.get("deadline_kind", measure.deadline_kind if measure else DeadlineKind.DATE)
    deadline = changes["deadline"] if "deadline" in changes else (measure and measure.deadline)
    if kind == DeadlineKind.DATE and not deadline:
        raise Refused("限期完成的措施须填写完成日期。", "a dated deadline needs its date")


def past_deadline_warning(deadline: datetime.date | str | None) -> str:
    """The words "整改时限早于今天" for a date already behind us ("" when it is not). Such a
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


def check_sections(problem: Problem, changes: dict) -> None:
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
