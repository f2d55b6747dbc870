"""The states of a problem and the transitions between them, with who may take each.

    plan_pending ─approve_plan→ in_progress ─submit_for_close_out→ submitted ─close_out→ closed
                                     ↑                                 │  │                 │
                                     └────────── return_close_out ─────┘  └mark_long_term→ long_term
    closed ─verify_close_out→ verified; reopen brings closed, verified or long-term problems back
    to in_progress; withdraw takes an open problem out of the ledger (never deleted) and restore
    puts it back at plan_pending, so its plan is approved afresh.

Every transition runs in one transaction on the locked row and writes a history event.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from zhenggai.ledger.history import record
from zhenggai.ledger.models import (
    OPEN_STATES,
    DeadlineKind,
    Event,
    Measure,
    Problem,
    ProgressReport,
    State,
)
from zhenggai.ledger.schedule import refresh_due_date
from zhenggai.ledger.services import supersede_requests
from zhenggai.lib.errors import NotAllowed, Refused
from zhenggai.orgs.access import scope_for
from zhenggai.orgs.models import Role
from zhenggai.rounds.models import InspectionRound


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple[str, ...]
    target: str
    roles: tuple[str, ...]
    note_required: bool = False
    note_label: str = "说明"
    # The history's word for it: a return is told apart, so that the section it goes back to
    # can be shown why (我的任务) without guessing from the states.
    action: str = Event.Action.TRANSITION
    # Rules beyond the roles, each raising NotAllowed with its reason (see the guards below).
    guards: tuple[Callable[[Problem, object], None], ...] = ()


def worked_on_by(problem: Problem, user) -> bool:
    """Whether `user` is staff of a section that leads or carries out one of the measures."""
    own_sections = scope_for(user).section_ids(problem.unit_id)
    if not own_sections:
        return False
    measures = problem.measures.filter(withdrawn=False)
    return measures.filter(Measure.carried_by(own_sections)).exists()


# Guards: the rules a transition checks beyond the roles in its row of the table. Each raises
# NotAllowed with the Chinese reason, or passes.


def carried_by_own_section(problem: Problem, user) -> None:
    """The 整改办 submits any problem; section staff only one their section works on."""
    if scope_for(user).has_role(problem.unit_id, Role.RECTIFICATION_OFFICE):
        return
    if not worked_on_by(problem, user):
        raise NotAllowed(
            "只有承担该问题整改措施的科室才能申请销号。",
            f"{user} is staff of no section with a measure on problem {problem.pk}",
        )


OVERSEEING_ROLES = (Role.INSPECTION_OFFICE, Role.EVALUATION_OFFICE)


def overseeing_roles(problem: Problem) -> tuple[str, ...]:
    """The offices that oversee a problem's round: for an evaluation (its 差评 and low ranks)
    the evaluation office, or the inspection office that set the round up; for every other kind
    the inspection office only."""
    if problem.round.kind == InspectionRound.Kind.EVALUATION:
        return OVERSEEING_ROLES
    return (Role.INSPECTION_OFFICE,)


def by_the_overseeing_office(problem: Problem, user) -> None:
    """The evaluation office acts only on evaluations; the inspection office on every round."""
    if not scope_for(user).has_role(problem.unit_id, *overseeing_roles(problem)):
        raise NotAllowed(
            f"该问题来自{problem.round.get_kind_display()}，由巡察办办理。",
            f"{user} is not an overseeing office of round {problem.round_id}",
        )


def closed_only_by_inspection(problem: Problem, user) -> None:
    """A problem already closed out is returned only by the overseeing office, verifying it."""
    if problem.state == State.CLOSED and not scope_for(user).has_role(
        problem.unit_id, *overseeing_roles(problem)
    ):
        raise NotAllowed(
            "已销号的问题只能由巡察机构（评价问题由评价办）在核验时退回。",
            "only the overseeing office returns a problem that is closed out",
        )


def by_the_leader_or_overseeing_office(problem: Problem, user) -> None:
    """The unit's leader, or of the two overseeing offices the one of the problem's round."""
    if not scope_for(user).has_role(problem.unit_id, Role.LEADER):
        by_the_overseeing_office(problem, user)


def not_by_who_did_the_work(problem: Problem, user) -> None:
    """Separation of duties: whoever took part in the work does not sign it off."""
    part = part_in_the_work(problem, user)
    if part:
        raise NotAllowed(
            _separation_message(part),
            f"{user} took part in the work on problem {problem.pk} and cannot sign it off",
        )


def _separation_message(part: str) -> str:
    return f"您{part}，按照职责分离的要求，不能审核或核验本问题的销号，请由其他领导办理。"


TRANSITIONS = {
    t.name: t
    for t in [
        Transition(
            "approve_plan", "审定方案", (State.PLAN_PENDING,), State.IN_PROGRESS, (Role.LEADER,)
        ),
        Transition(
            "submit_for_close_out",
            "申请销号",
            (State.IN_PROGRESS, State.LONG_TERM),
            State.SUBMITTED,
            (Role.RECTIFICATION_OFFICE, Role.SECTION_STAFF),
            note_required=True,
            note_label="整改完成情况",
            guards=(carried_by_own_section,),
        ),
        Transition(
            "close_out",
            "同意销号",
            (State.SUBMITTED,),
            State.CLOSED,
            (Role.LEADER,),
            guards=(not_by_who_did_the_work,),
        ),
        Transition(
            "mark_long_term",
            "认定已整改·长期坚持",
            (State.SUBMITTED,),
            State.LONG_TERM,
            (Role.LEADER,),
            guards=(not_by_who_did_the_work,),
        ),
        Transition(
            "return_close_out",
            "退回",
            (State.SUBMITTED, State.CLOSED),
            State.IN_PROGRESS,
            (Role.LEADER, *OVERSEEING_ROLES),
            note_required=True,
            note_label="退回理由",
            action=Event.Action.RETURNED,
            guards=(by_the_leader_or_overseeing_office, closed_only_by_inspection),
        ),
        Transition(
            "verify_close_out",
            "核验通过",
            (State.CLOSED,),
            State.VERIFIED,
            OVERSEEING_ROLES,
            guards=(by_the_overseeing_office, not_by_who_did_the_work),
        ),
        Transition(
            "reopen",
            "重新打开",
            (State.CLOSED, State.VERIFIED, State.LONG_TERM),
            State.IN_PROGRESS,
            (Role.LEADER, *OVERSEEING_ROLES),
            note_required=True,
            note_label="重新打开的理由",
            guards=(by_the_leader_or_overseeing_office,),
        ),
        Transition(
            "restore",
            "恢复问题",
            (State.WITHDRAWN,),
            State.PLAN_PENDING,
            OVERSEEING_ROLES,
            note_required=True,
            note_label="恢复的理由",
            guards=(by_the_overseeing_office,),
        ),
        Transition(
            "withdraw",
            "撤销问题",
            (State.PLAN_PENDING, State.IN_PROGRESS, State.SUBMITTED, State.LONG_TERM),
            State.WITHDRAWN,
            OVERSEEING_ROLES,
            note_required=True,
            note_label="撤销理由",
            guards=(by_the_overseeing_office,),
        ),
    ]
}


# Guards that apps above the ledger add to a transition (`add_guard`, at start-up): the rules
# of their own records, which the ledger cannot know (a 差评's call back before verifying).
_ADDED_GUARDS: dict[str, list[Callable[[Problem, object], None]]] = {}


def add_guard(name: str, guard: Callable[[Problem, object], None]) -> None:
    """Make `guard` a rule of transition `name` too; it raises NotAllowed or Refused, or passes."""
    if name not in TRANSITIONS:
        raise ValueError(f"unknown transition {name!r}")
    guards = _ADDED_GUARDS.setdefault(name, [])
    if guard not in guards:
        guards.append(guard)


def _check_actor(t: Transition, problem: Problem, user) -> None:
    if not scope_for(user).has_role(problem.unit_id, *t.roles):
        raise NotAllowed(
            f"您没有权限对该问题执行“{t.label}”。",
            f"{user} holds none of {', '.join(t.roles)} on unit {problem.unit_id}",
        )
    for guard in (*t.guards, *_ADDED_GUARDS.get(t.name, ())):
        guard(problem, user)


def part_in_the_work(problem: Problem, user) -> str:
    """How `user` took part in rectifying `problem`, in Chinese ("申请了本问题的销号"), or "":
    submitted it, owns one of its measures, reported progress on it, or is staff of a section
    that leads or carries out a measure."""
    if problem.submitted_by_id == user.pk:
        return "申请了本问题的销号"
    if Measure.objects.filter(problem=problem, withdrawn=False, owner_id=user.pk).exists():
        return "是本问题整改措施的责任人"
    if ProgressReport.objects.filter(problem=problem, created_by_id=user.pk).exists():
        return "报告过本问题的整改进展"
    if worked_on_by(problem, user):
        return "所在科室承担本问题的整改措施"
    return ""


def separation_notice(problem: Problem, user) -> str:
    """Why a sign-off the user's role would allow here is not offered to them, or ""."""
    scope = scope_for(user)
    for t in TRANSITIONS.values():
        if not_by_who_did_the_work not in t.guards or problem.state not in t.sources:
            continue
        if scope.has_role(problem.unit_id, *t.roles):
            part = part_in_the_work(problem, user)
            return _separation_message(part) if part else ""
    return ""


def _check_state(t: Transition, problem: Problem) -> None:
    if problem.state not in t.sources:
        raise Refused(
            f"该问题当前为“{problem.get_state_display()}”，不能执行“{t.label}”。",
            f"problem {problem.pk} is {problem.state}; {t.name} needs {'/'.join(t.sources)}",
        )
    if t.name == "approve_plan":
        measures = problem.measures.filter(withdrawn=False)
        if not measures.exists():
            raise Refused(
                "请先为该问题制定至少一条整改措施，再审定方案。",
                f"problem {problem.pk} has no measures to approve",
            )
        if measures.filter(deadline_kind=DeadlineKind.DATE, deadline__isnull=True).exists():
            raise Refused(
                "还有整改措施未定整改时限，请补充后再审定方案。",
                f"problem {problem.pk} has measures without a deadline",
            )


def check(t: Transition, problem: Problem, user) -> None:
    """Raise NotAllowed if `user` may never take `t` here, Refused if not in this state."""
    _check_actor(t, problem, user)
    _check_state(t, problem)


def can_take(t: Transition, problem: Problem, user) -> bool:
    try:
        check(t, problem, user)
    except Refused:
        return False
    return True


def available_transitions(problem: Problem, user) -> list[Transition]:
    """The transitions `user` may take on `problem` now, for showing as buttons."""
    return [t for t in TRANSITIONS.values() if can_take(t, problem, user)]


def transition(problem: Problem, name: str, *, by, note: str = "") -> Problem:
    """Take transition `name` on `problem` as `by`, or raise Refused/NotAllowed saying why."""
    t = TRANSITIONS.get(name)
    if t is None:
        raise Refused("未知的操作。", f"unknown transition {name!r}")
    note = note.strip()
    if t.note_required and not note:
        raise Refused(f"请填写{t.note_label}。", f"{name} requires a note")
    with transaction.atomic():
        locked = (
            Problem.objects.select_for_update(of=("self",))
            .select_related("round")
            .get(pk=problem.pk)
        )
        _check_state(t, locked)
        _check_actor(t, locked, by)
        before = locked.state
        locked.state = t.target
        locked.state_changed_at = timezone.now()
        fields = ["state", "state_changed_at", "updated_at"]
        if t.target == State.SUBMITTED:
            locked.submitted_by = by
            fields.append("submitted_by")
        fields += _mark_rectified(locked, t)
        locked.save(update_fields=fields)
        record(
            t.action,
            locked,
            by=by,
            problem=locked,
            changes={"状态": [State(before).label, State(t.target).label]},
            note=note,
        )
        if t.target not in OPEN_STATES:
            supersede_requests(
                locked.change_requests.all(),
                by=by,
                note=f"问题已{State(t.target).label}，申请自动失效。",
            )
        refresh_due_date(locked)
    return locked


RECTIFIED_STATES = (State.CLOSED, State.VERIFIED, State.LONG_TERM)


def _mark_rectified(problem: Problem, t: Transition) -> list[str]:
    """Date a problem found rectified, and whether by its deadline; clear it when it goes back.

    Verification keeps the day it was closed out. `due_date` is still the deadline the problem
    had (it is refreshed after the transition).
    """
    if t.target in RECTIFIED_STATES and problem.rectified_on is None:
        today = timezone.localdate()
        problem.rectified_on = today
        problem.rectified_on_time = problem.due_date is None or today <= problem.due_date
    elif t.target not in RECTIFIED_STATES and problem.rectified_on is not None:
        problem.rectified_on = None
        problem.rectified_on_time = None
    else:
        return []
    return ["rectified_on", "rectified_on_time"]


def approve_plan(problem: Problem, *, by, note: str = "") -> Problem:
    return transition(problem, "approve_plan", by=by, note=note)


def submit_for_close_out(problem: Problem, *, by, note: str) -> Problem:
    return transition(problem, "submit_for_close_out", by=by, note=note)


def close_out(problem: Problem, *, by, note: str = "") -> Problem:
    return transition(problem, "close_out", by=by, note=note)


def mark_long_term(problem: Problem, *, by, note: str = "") -> Problem:
    return transition(problem, "mark_long_term", by=by, note=note)


def return_close_out(problem: Problem, *, by, reason: str) -> Problem:
    return transition(problem, "return_close_out", by=by, note=reason)


def verify_close_out(problem: Problem, *, by, note: str = "") -> Problem:
    return transition(problem, "verify_close_out", by=by, note=note)


def reopen(problem: Problem, *, by, reason: str) -> Problem:
    return transition(problem, "reopen", by=by, note=reason)


def withdraw(problem: Problem, *, by, reason: str) -> Problem:
    return transition(problem, "withdraw", by=by, note=reason)


def restore(problem: Problem, *, by, reason: str) -> Problem:
    return transition(problem, "restore", by=by, note=reason)
