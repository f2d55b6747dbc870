"""Concerns of the discipline group (监督意见): raised, answered by the unit, closed or sent back."""

import logging

from django.db import transaction
from django.utils import timezone

from zhenggai.ledger.history import record
from zhenggai.ledger.models import (
    Event,
    Flag,
    Problem,
)
from zhenggai.ledger.services.rights import may_flag
from zhenggai.lib.errors import NotAllowed, Refused
from zhenggai.orgs.access import scope_for
from zhenggai.orgs.models import Role

log = logging.getLogger(__name__)


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
