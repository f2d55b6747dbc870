"""The public's side: opinions sent on a published notice, and the office triaging them."""

import hashlib

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from zhenggai.ledger.history import record
from zhenggai.ledger.services import require_role
from zhenggai.lib import ratelimit
from zhenggai.lib.errors import Refused
from zhenggai.orgs.access import scope_for
from zhenggai.orgs.models import Role
from zhenggai.public import tracking
from zhenggai.public.history import Action
from zhenggai.public.models import Opinion
from zhenggai.reports.models import Notice
from zhenggai.reports.services import AUTHORS, may_write_notice


def sender_hash(address: str) -> str:
    """An address as a keyed hash: one sender can be recognised, not identified."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()


def send_opinion(
    notice: Notice, *, text: str, name: str = "", contact: str = "", sender: str, device: str = ""
):
    """Store an opinion on a published notice. At most OPINION_MAX per device and window (a
    browser without the notice page's device cookie counts as its address's one shared device),
    and OPINION_MAX_PER_ADDRESS from one address, so that the people behind one office or
    carrier address are not one person, and a flood is still bounded per address."""
    if not notice.is_published:
        raise Refused(
            "该通报未发布或已撤回，不能提交意见。", f"notice {notice.pk} is not published"
        )
    text = text.strip()
    if not text:
        raise Refused("请填写意见建议。", "an opinion needs text")
    key = sender_hash(sender)
    window = settings.OPINION_WINDOW_SECONDS
    minutes = max(window // 60, 1)
    per_device = settings.OPINION_MAX_PER_WINDOW
    if not ratelimit.hit("opinion-device", f"{key}|{device}", per_device, window):
        raise Refused(
            f"提交过于频繁：同一设备{minutes}分钟内最多提交{per_device}条意见，"
            "已提交的意见都已收到，不必重复提交；如有补充，请稍后再试。",
            f"device of sender {key[:12]} is over the opinion rate limit",
        )
    per_address = max(settings.OPINION_MAX_PER_ADDRESS, per_device)
    if not ratelimit.hit("opinion-address", key, per_address, window):
        raise Refused(
            f"您所在网络{minutes}分钟内提交的意见已达{per_address}条上限，请稍后再试。",
            f"sender {key[:12]} is over the opinion rate limit of its address",
        )
    return _create_with_code(
        notice=notice, text=text, name=name.strip(), contact=contact.strip(), sender_hash=key
    )


def _create_with_code(**fields) -> Opinion:
    """The opinion with a fresh tracking code; on the rare collision with an existing code,
    another one (a collision of 59 random bits is not expected in the life of the system, but
    the unique index would turn it into a lost opinion)."""
    for attempt in range(5):
        code = tracking.new_code()
        try:
            with transaction.atomic():
                return Opinion.objects.create(tracking_code=code, **fields)
        except IntegrityError:
            if attempt == 4 or not Opinion.objects.filter(tracking_code=code).exists():
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def look_up_reply(code: str, *, sender: str, device: str = "") -> tracking.PublicReply | None:
    """What the sender of the opinion with this tracking code may read of its handling, or None
    for a code that is malformed or unknown alike (no hint whether a code exists). Every lookup
    counts, found or not: at most OPINION_LOOKUP_MAX per device and
    OPINION_LOOKUP_MAX_PER_ADDRESS per address in the window, so codes cannot be tried in bulk."""
    key = sender_hash(sender)
    window = settings.OPINION_WINDOW_SECONDS
    minutes = max(window // 60, 1)
    per_device = settings.OPINION_LOOKUP_MAX
    if not ratelimit.hit("opinion-lookup-device", f"{key}|{device}", per_device, window):
        raise Refused(
            f"查询过于频繁：同一设备{minutes}分钟内最多查询{per_device}次，请稍后再试。",
            f"device of sender {key[:12]} is over the opinion lookup limit",
        )
    per_address = max(settings.OPINION_LOOKUP_MAX_PER_ADDRESS, per_device)
    if not ratelimit.hit("opinion-lookup-address", key, per_address, window):
        raise Refused(
            f"您所在网络{minutes}分钟内的查询已达{per_address}次上限，请稍后再试。",
            f"sender {key[:12]} is over the opinion lookup limit of its address",
        )
    normalised = tracking.normalise(code)
    if not normalised:
        return None
    opinion = (
        Opinion.objects.select_related("notice")
        .only(
            "tracking_code",
            "created_at",
            "status",
            "handling_note",
            "handled_at",
            "notice__state",
            "notice__published_content",
        )
        .filter(tracking_code=normalised)
        .first()
    )
    return tracking.public_reply(opinion) if opinion else None


def may_triage(user, opinion: Opinion) -> bool:
    return may_write_notice(user, opinion.notice.round.unit_id)


@transaction.atomic
def triage_opinion(opinion: Opinion, *, by, status: str, note: str = "") -> Opinion:
    locked = Opinion.objects.select_for_update(of=("self",)).select_related("notice__round")
    locked = locked.get(pk=opinion.pk)
    require_role(by, locked.notice.round.unit_id, AUTHORS, "处理群众意见", "triage opinions")
    if status not in Opinion.Status.values or status == Opinion.Status.NEW:
        raise Refused("请选择处理结果。", f"not a triage status: {status!r}")
    if status == Opinion.Status.DISMISSED and not note.strip():
        raise Refused("不予受理须说明理由。", "dismissing an opinion needs a note")
    note = note.strip()
    diff = {}
    if status != locked.status:
        old = Opinion.Status(locked.status).label
        diff["处理状态"] = [old, Opinion.Status(status).label]
    if note != locked.handling_note:
        diff["处理意见"] = [locked.handling_note or "—", note or "—"]
    if not diff:
        return locked
    locked.status, locked.handling_note = status, note
    locked.handled_by, locked.handled_at = by, timezone.now()
    locked.save(update_fields=["status", "handling_note", "handled_by", "handled_at"])
    record(
        Action.OPINION_HANDLED,
        locked,
        by=by,
        problem=None,
        round=locked.notice.round,
        changes=diff,
    )
    return locked


def may_see_contacts(user, notice: Notice) -> bool:
    """Who wrote an opinion and how to reach them: for those who answer it (the unit's leaders
    and office) and the discipline group, not for everyone who may read the notice."""
    return scope_for(user).has_role(
        notice.round.unit_id, Role.LEADER, Role.RECTIFICATION_OFFICE, Role.DISCIPLINE
    )
