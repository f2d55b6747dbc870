"""Change requests: a leader decides them; a later change makes them stale."""

import logging

from django.db import transaction

from zhenggai.ledger.models import (
    ChangeRequest,
)
from zhenggai.ledger.services.measures import _apply, _decided, _lock_measure
from zhenggai.ledger.services.rights import require_role
from zhenggai.ledger.values import measure_value
from zhenggai.lib.errors import Conflict, NotAllowed, Refused
from zhenggai.orgs.models import Role

log = logging.getLogger(__name__)


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
