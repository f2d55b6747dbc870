"""The unit's appeal against a 差评 (申诉复核) and the evaluation office's decision."""

from django.db import transaction
from django.utils import timezone

from zhenggai.evaluations.history import Action
from zhenggai.evaluations.models import Appeal, Rating
from zhenggai.evaluations.services.ratings import refresh_tally
from zhenggai.ledger import workflow
from zhenggai.ledger.history import record
from zhenggai.ledger.models import OPEN_STATES, Problem
from zhenggai.lib.errors import NotAllowed, Refused
from zhenggai.lib.uploads import checked_file, stored_file_fields
from zhenggai.orgs.access import scope_for
from zhenggai.orgs.models import Role

APPELLANTS = (Role.LEADER, Role.RECTIFICATION_OFFICE)
STATEMENT_MAX = 2000


def may_appeal(user, rating: Rating) -> bool:
    return scope_for(user).has_role(rating.unit_id, *APPELLANTS)


def is_open_to_appeal(rating: Rating) -> bool:
    """A 差评 is appealed while it is being handled: not once its problem is closed out."""
    if rating.problem_id is None:
        return True
    return Problem.objects.filter(pk=rating.problem_id, state__in=OPEN_STATES).exists()


def may_decide(user, rating: Rating) -> bool:
    return scope_for(user).has_role(rating.unit_id, Role.EVALUATION_OFFICE)


def _history(appeal: Appeal, action: str, *, by, changes: dict, note: str) -> None:
    problem = Problem.objects.filter(pk=appeal.rating.problem_id).select_related("round").first()
    if problem is not None:
        record(action, appeal, by=by, problem=problem, changes=changes, note=note)


def file_appeal(rating: Rating, *, by, ground: str, statement: str, evidence=None) -> Appeal:
    """The unit's leader or 整改办 appeals a 差评 as mistaken or malicious, once, with its
    reasons and (optionally) an uploaded file of evidence, checked by its content."""
    info = checked_file(evidence) if evidence is not None else None
    stored: list = []  # the file is outside the transaction: removed by hand if it fails
    try:
        return _file_appeal(rating, by, ground, statement, evidence, info, stored)
    except BaseException:
        for file in stored:
            file.storage.delete(file.name)
        raise


@transaction.atomic
def _file_appeal(rating, by, ground, statement, evidence, info, stored) -> Appeal:
    if not may_appeal(by, rating):
        raise NotAllowed("只有被评价单位的领导或整改办可以提出申诉。", f"{by} may not appeal")
    rating = Rating.objects.select_for_update().get(pk=rating.pk)
    if not rating.is_bad:
        raise Refused("只能对差评提出申诉。", f"rating {rating.pk} is not bad")
    if not is_open_to_appeal(rating):
        raise Refused(
            "该差评的整改问题已办结，不能再申诉。", f"rating {rating.pk}'s problem is done"
        )
    if Appeal.objects.filter(rating=rating).exists():
        raise Refused("该差评已提出过申诉，每条差评只能申诉一次。", f"rating {rating.pk} appealed")
    if ground not in Appeal.Ground.values:
        raise Refused("请选择申诉理由。", f"ground {ground!r}")
    statement = statement.replace("\r\n", "\n").strip()
    if not statement:
        raise Refused("请写明申诉说明。", "an appeal needs a statement")
    if len(statement) > STATEMENT_MAX:
        raise Refused(f"申诉说明最多 {STATEMENT_MAX} 个字。", "statement too long")
    appeal = Appeal(rating=rating, ground=ground, statement=statement, filed_by=by)
    if evidence is not None:
        fields = stored_file_fields(evidence, info)
        appeal.evidence_name, appeal.evidence_type = fields["original_name"], info.content_type
        appeal.evidence.save(f"{info.sha256[:16]}.bin", evidence, save=False)
        stored.append(appeal.evidence)
    appeal.save()
    changes = {"申诉": ["—", appeal.get_ground_display()]}
    _history(appeal, Action.APPEALED, by=by, changes=changes, note=statement)
    return appeal


@transaction.atomic
def decide_appeal(appeal: Appeal, *, by, uphold: bool, reason: str) -> Appeal:
    """The evaluation office upholds an appeal (the rating leaves the statistics, and its open
    problem is withdrawn, both kept with their history) or rejects it, giving its reason."""
    appeal = Appeal.objects.select_for_update().select_related("rating__point").get(pk=appeal.pk)
    rating = appeal.rating
    if not may_decide(by, rating):
        raise NotAllowed("只有评价办可以复核申诉。", f"{by} may not decide appeal {appeal.pk}")
    if appeal.status != Appeal.Status.OPEN:
        raise Refused("该申诉已复核。", f"appeal {appeal.pk} is {appeal.status}")
    reason = reason.replace("\r\n", "\n").strip()
    if not reason:
        raise Refused("请填写复核意见。", "a decision needs a reason")
    appeal.status = Appeal.Status.UPHELD if uphold else Appeal.Status.REJECTED
    appeal.decided_by, appeal.decided_at, appeal.decision_reason = by, timezone.now(), reason
    appeal.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    changes = {"申诉": [Appeal.Status.OPEN.label, appeal.get_status_display()]}
    _history(appeal, Action.APPEAL_DECIDED, by=by, changes=changes, note=reason)
    if uphold:
        Rating.objects.filter(pk=rating.pk).update(excluded=True)
        refresh_tally(rating.point, timezone.localtime(rating.rated_at).date())
        problem = Problem.objects.filter(pk=rating.problem_id).first()
        if problem is not None and problem.state in OPEN_STATES:
            workflow.withdraw(problem, by=by, reason=f"差评申诉成立：{reason}")
    return appeal
