"""Sending the day's notifications: each is claimed by one sender before it goes out, retried
with backoff when a channel fails, and never sent twice."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from zhenggai.supervision import channels
from zhenggai.supervision.models import Notification

log = logging.getLogger(__name__)

# A message a sender claimed this long ago and never finished is marked unknown, never resent.
STALE_SENDING = timedelta(minutes=30)


def _claim(notification_id: int) -> bool:
    """Take one notification for sending; only one sender ever succeeds."""
    now = timezone.now()
    return bool(
        Notification.objects.filter(pk=notification_id)
        .filter(
            Q(status=Notification.Status.PENDING)
            | Q(status=Notification.Status.RETRYING, next_attempt_at__lte=now)
        )
        .update(status=Notification.Status.SENDING, attempts=F("attempts") + 1, next_attempt_at=now)
    )


def _finish(notification: Notification, error: str | None) -> str:
    """Record how a claimed send went; returns the status written."""
    changes = {"last_error": error or ""}
    if error is None:
        changes.update(status=Notification.Status.SENT, sent_at=timezone.now())
    elif error.startswith(channels.NOT_TO_RETRY):
        changes.update(
            status=Notification.Status.UNKNOWN
            if "timed out" in error
            else Notification.Status.FAILED
        )
    elif notification.attempts >= settings.NOTIFY_MAX_ATTEMPTS:
        changes.update(status=Notification.Status.FAILED)
    else:
        backoff = settings.NOTIFY_RETRY_MINUTES * 2 ** (notification.attempts - 1)
        changes.update(
            status=Notification.Status.RETRYING,
            next_attempt_at=timezone.now() + timedelta(minutes=backoff),
        )
    Notification.objects.filter(pk=notification.pk, status=Notification.Status.SENDING).update(
        **changes
    )
    return changes["status"]


def _give_up_interrupted() -> None:
    """Mark unknown what a sender claimed and never finished (it may have gone out)."""
    stale = timezone.now() - STALE_SENDING
    Notification.objects.filter(
        status=Notification.Status.SENDING, next_attempt_at__lt=stale
    ).update(
        status=Notification.Status.UNKNOWN, last_error="sending was interrupted; not sent again"
    )


def _due_ids(limit: int | None) -> list[int]:
    """The pending notifications and the retries whose time has come (the first `limit`)."""
    now = timezone.now()
    due = Notification.objects.filter(
        Q(status=Notification.Status.PENDING)
        | Q(status=Notification.Status.RETRYING, next_attempt_at__lte=now)
    ).values_list("id", flat=True)
    return list(due[:limit] if limit else due)


def _send_one(notification_id: int) -> str | None:
    """Claim and send one notification; the status written, or None if another sender has it."""
    if not _claim(notification_id):
        return None
    notification = Notification.objects.select_related("channel", "recipient").get(
        pk=notification_id
    )
    error = channels.send(notification)
    if error:
        log.warning("notification %s via %s failed: %s", notification.pk, notification.kind, error)
    return _finish(notification, error)


def send_due(limit: int | None = None) -> dict:
    """Send every pending notification and every retry whose time has come."""
    _give_up_interrupted()
    counts = {"sent": 0, "failed": 0}
    for notification_id in _due_ids(limit):
        status = _send_one(notification_id)
        if status is not None:
            counts["sent" if status == Notification.Status.SENT else "failed"] += 1
    return counts
