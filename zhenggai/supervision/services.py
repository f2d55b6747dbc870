"""Supervision actions: orders (督办单) issued, answered and closed, and a round's milestones
recorded. Each runs in one transaction and writes the ledger's history."""

from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from zhenggai.ledger.history import record
from zhenggai.ledger.models import Event, Measure, Problem
from zhenggai.lib.errors import NotAllowed, Refused
from zhenggai.lib.uploads import checked_file, stored_file_fields
from zhenggai.orgs.access import scope_for
from zhenggai.orgs.models import Role
from zhenggai.rounds.models import InspectionRound
from zhenggai.supervision import numbering
from zhenggai.supervision.history import Action
from zhenggai.supervision.models import (
    Escalation,
    EscalationAttachment,
    Milestone,
    RoundMilestone,
)

ISSUERS = (Role.INSPECTION_OFFICE, Role.RECTIFICATION_OFFICE)
# The overseeing offices: the inspection office, and for an evaluation's problems (its 差评 and
# low ranks) the evaluation office, which supervises those as the inspection office does others.
OVERSEERS = (Role.INSPECTION_OFFICE, Role.EVALUATION_OFFICE)
MILESTONE_KEEPERS = (Role.INSPECTION_OFFICE, Role.RECTIFICATION_OFFICE, Role.LEADER)
MAX_DEMAND = 4000
MAX_ATTACHMENTS = 10


# ---------------------------------------------------------------- rights


def issuing_roles(problem: Problem) -> tuple[str, ...]:
    if problem.round.kind == InspectionRound.Kind.EVALUATION:
        return (Role.EVALUATION_OFFICE, *ISSUERS)
    return ISSUERS


def overseeing_roles(problem: Problem) -> tuple[str, ...]:
    if problem.round.kind == InspectionRound.Kind.EVALUATION:
        return OVERSEERS
    return (Role.INSPECTION_OFFICE,)


def may_issue(user, problem: Problem) -> bool:
    return problem.is_open and scope_for(user).has_role(problem.unit_id, *issuing_roles(problem))


def may_answer(user, escalation: Escalation) -> bool:
    """The owner of the measure (or of any open measure of the problem, for an order on the
    problem), and the unit's rectification office; never the person who issued it."""
    if escalation.status != Escalation.Status.OPEN or user.pk == escalation.issued_by_id:
        return False
    problem = escalation.problem
    from_unit = escalation.issued_as == Role.RECTIFICATION_OFFICE
    if not from_unit and scope_for(user).has_role(problem.unit_id, Role.RECTIFICATION_OFFICE):
        return True
    if escalation.measure_id:
        return escalation.measure.owner_id == user.pk
    return Measure.objects.filter(problem=problem, withdrawn=False, owner=user).exists()


def may_decide(user, escalation: Escalation) -> bool:
    """The issuer, or the inspection office; the unit's rectification office and leaders too
    when the order came from inside the unit. Never whoever answered it."""
    if escalation.status != Escalation.Status.ANSWERED or user.pk == escalation.answered_by_id:
        return False
    unit_id = escalation.problem.unit_id
    scope = scope_for(user)
    overseers = overseeing_roles(escalation.problem)
    if user.pk == escalation.issued_by_id or scope.has_role(unit_id, *overseers):
        return True
    from_office = escalation.issued_as in OVERSEERS
    return not from_office and scope.has_role(unit_id, Role.RECTIFICATION_OFFICE, Role.LEADER)


def may_keep_milestones(user, round: InspectionRound) -> bool:
    return scope_for(user).has_role(round.unit_id, *MILESTONE_KEEPERS)


# ---------------------------------------------------------------- orders


def refresh_escalation_level(problem: Problem) -> None:
    """Copy the highest level of the problem's supervision orders not yet closed onto the
    problem (a 催办单 is a reminder, not a level of supervision)."""
    level = (
        Escalation.objects.filter(problem=problem, kind=Escalation.Kind.SUPERVISE)
        .exclude(status=Escalation.Status.CLOSED)
        .aggregate(top=Max("level"))["top"]
        or 0
    )
    if level != problem.escalation_level:
        problem.escalation_level = level
        Problem.objects.filter(pk=problem.pk).update(escalation_level=level)


def issue_escalation(
    problem: Problem,
    *,
    by,
    level: int,
    demand: str,
    due_on: date,
    measure: Measure | None = None,
    kind: str = Escalation.Kind.SUPERVISE,
) -> Escalation:
    """Issue a supervision order (or a 催办单, `kind`) on an open problem (or one of its
    measures), numbered in the same transaction (`numbering`)."""
    demand = demand.strip()
    if kind == Escalation.Kind.URGE:
        level = Escalation.Level.SUPERVISE  # a 催办单 has no level: the lowest, never shown
    if not may_issue(by, problem):
        raise NotAllowed("您没有权限对该问题下发督办单。", f"{by} may not escalate {problem.pk}")
    if level not in Escalation.Level.values:
        raise Refused("请选择督办级别。", f"unknown escalation level {level!r}")
    if kind not in Escalation.Kind.values:
        raise Refused("请选择督办单或催办单。", f"unknown order kind {kind!r}")
    if not demand or len(demand) > MAX_DEMAND:
        raise Refused(
            f"请填写督办要求（不超过{MAX_DEMAND}字）。", "an order needs a demand of sane length"
        )
    if due_on < timezone.localdate():
        raise Refused("答复期限不能早于今天。", f"answer date {due_on} is in the past")
    if measure is not None and (measure.problem_id != problem.pk or measure.withdrawn):
        raise Refused("所选措施不属于该问题或已撤销。", "measure is not an active one of problem")
    with transaction.atomic():
        locked = Problem.objects.select_for_update(of=("self",)).get(pk=problem.pk)
        scope = scope_for(by)
        issued_as = next(r for r in issuing_roles(problem) if scope.has_role(problem.unit_id, r))
        office = numbering.issuing_office(by, locked, issued_as)
        year = timezone.localdate().year
        escalation = Escalation.objects.create(
            problem=locked,
            measure=measure,
            kind=kind,
            office=office,
            year=year,
            serial=numbering.next_serial(office, kind, year),
            level=level,
            demand=demand,
            due_on=due_on,
            issued_by=by,
            issued_as=issued_as,
        )
        record(
            Action.ESCALATED,
            escalation,
            by=by,
            problem=locked,
            changes={
                "编号": ["", f"{escalation.get_kind_display()}{escalation.number}"],
                **(
                    {} if escalation.is_urge else {"督办级别": ["", escalation.get_level_display()]}
                ),
                "答复期限": ["", str(due_on)],
            },
            note=demand,
        )
        refresh_escalation_level(locked)
    problem.escalation_level = locked.escalation_level
    return escalation


def _locked(escalation: Escalation) -> Escalation:
    return (
        Escalation.objects.select_for_update(of=("self",))
        .select_related("problem", "measure", "issued_by")
        .get(pk=escalation.pk)
    )


def answer_escalation(escalation: Escalation, *, by, answer: str, files=()) -> Escalation:
    """The owner's answer: what was done about the demand, with files checked by content
    (a signed scan, minutes); all or nothing, so a refused answer leaves no file behind."""
    answer = answer.strip()
    if not answer or len(answer) > MAX_DEMAND:
        raise Refused(f"请填写答复内容（不超过{MAX_DEMAND}字）。", "an answer needs text")
    if len(files) > MAX_ATTACHMENTS:
        raise Refused(
            f"一次答复最多上传{MAX_ATTACHMENTS}个附件。", f"{len(files)} attachments at once"
        )
    checked = [(upload, checked_file(upload)) for upload in files]
    stored: list = []  # files are outside the transaction: removed by hand if it fails
    try:
        return _answer(escalation, by, answer, checked, stored)
    except BaseException:
        for file in stored:
            file.storage.delete(file.name)
        raise


def _answer(escalation: Escalation, by, answer: str, checked: list, stored: list) -> Escalation:
    with transaction.atomic():
        locked = _locked(escalation)
        if not may_answer(by, locked):
            raise NotAllowed(
                "该督办单已答复或办结，或您不是责任人。", f"{by} may not answer {locked.pk}"
            )
        locked.status = Escalation.Status.ANSWERED
        locked.answer, locked.answered_by, locked.answered_at = answer, by, timezone.now()
        locked.save(update_fields=["status", "answer", "answered_by", "answered_at"])
        names = [_attach(locked, upload, info, by, stored) for upload, info in checked]
        changes = {"督办单": ["待答复", "已答复"]}
        if names:
            changes["附件"] = ["—", "、".join(names)]
        record(Action.ANSWERED, locked, by=by, problem=locked.problem, changes=changes, note=answer)
    return locked


def _attach(escalation: Escalation, upload, info, by, stored: list) -> str:
    attachment = EscalationAttachment(
        escalation=escalation, uploaded_by=by, **stored_file_fields(upload, info)
    )
    attachment.file.save(f"{info.sha256[:16]}.bin", upload, save=False)
    stored.append(attachment.file)
    attachment.save()
    return attachment.original_name


def decide_escalation(escalation: Escalation, *, by, accept: bool, note: str = "") -> Escalation:
    """Close an answered order, or send it back to be answered again (a reason required)."""
    note = note.strip()
    if not accept and not note:
        raise Refused("退回督办答复须说明理由。", "sending an answer back needs a reason")
    with transaction.atomic():
        locked = _locked(escalation)
        if not may_decide(by, locked):
            raise NotAllowed("您不能办结或退回该督办单。", f"{by} may not decide {locked.pk}")
        target = Escalation.Status.CLOSED if accept else Escalation.Status.OPEN
        locked.status, locked.decision_note = target, note
        locked.decided_by, locked.decided_at = by, timezone.now()
        locked.save(update_fields=["status", "decision_note", "decided_by", "decided_at"])
        record(
            Action.ESCALATION_DECIDED,
            locked,
            by=by,
            problem=locked.problem,
            changes={"督办单": ["已答复", Escalation.Status(target).label]},
            note=note,
        )
        refresh_escalation_level(locked.problem)
    return locked


# ---------------------------------------------------------------- milestones


def record_milestone(
    round: InspectionRound,
    milestone: str,
    *,
    by,
    done_on: date | None,
    due_on: date | None,
    note: str = "",
) -> RoundMilestone:
    """Record the day a milestone was met and/or a date set for it by hand."""
    if not may_keep_milestones(by, round):
        raise NotAllowed("您没有权限维护该轮次的整改节点。", f"{by} may not keep milestones")
    if milestone not in Milestone.values:
        raise Refused("未知的整改节点。", f"unknown milestone {milestone!r}")
    if done_on and done_on > timezone.localdate():
        raise Refused("完成日期不能晚于今天。", f"done date {done_on} is in the future")
    if done_on and round.feedback_date and done_on < round.feedback_date:
        raise Refused("完成日期不能早于反馈日期。", "done date before the feedback")
    with transaction.atomic():
        entry, _ = RoundMilestone.objects.select_for_update().get_or_create(
            round=round, milestone=milestone
        )
        if due_on != entry.due_on and not scope_for(by).has_role(
            round.unit_id, Role.INSPECTION_OFFICE
        ):
            raise NotAllowed(
                "期限由巡察机构确定，单位只能登记完成情况。", f"{by} may not move a milestone"
            )
        before = {"完成日期": entry.done_on, "另定期限": entry.due_on, "说明": entry.note}
        after = {"完成日期": done_on, "另定期限": due_on, "说明": note}
        changes = {
            f"{Milestone(milestone).label}·{k}": [str(before[k] or "—"), str(v or "—")]
            for k, v in after.items()
            if before[k] != v
        }
        if not changes:  # saved unchanged: the record and its "updated by" stay as they were
            return entry
        entry.done_on, entry.due_on, entry.note, entry.updated_by = done_on, due_on, note, by
        entry.save()
        record(Event.Action.CHANGED, entry, by=by, problem=None, round=round, changes=changes)
    return entry
