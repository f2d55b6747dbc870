"""A day's run: planned once (its messages written with the mark that it is planned), then sent."""

import logging
from datetime import date

from django.db import transaction
from django.utils import timezone

from zhenggai.supervision.deadlines import official_calendar
from zhenggai.supervision.models import Notification, NotificationPart, ReminderRun
from zhenggai.supervision.reminders.digests import Digest
from zhenggai.supervision.reminders.messages import Messages
from zhenggai.supervision.reminders.planner import Planner
from zhenggai.supervision.reminders.sending import send_due

log = logging.getLogger(__name__)


def plan_run(run_date: date) -> ReminderRun:
    """Write the day's messages as pending notifications; planning twice adds nothing.

    The planner that marks the run planned writes its messages in the same transaction; one
    that finds it already marked (another worker got there first) writes nothing."""
    run, _ = ReminderRun.objects.get_or_create(run_date=run_date)
    if run.planned_at:
        return run
    calendar = official_calendar()
    digests = Planner(run_date, calendar).plan()
    messages = Messages(run, digests, calendar)
    rows = messages.build()
    claimed = _write(run, digests, rows, messages.parts)
    run.refresh_from_db()
    if claimed:
        log.info("reminder run %s planned: %s notifications", run_date, len(rows))
    return run


def _write(
    run: ReminderRun,
    digests: dict[tuple[int, int], Digest],
    rows: list[Notification],
    parts: dict[str, list[NotificationPart]],
) -> bool:
    """Mark the run planned and write its messages, in one transaction; False, writing nothing,
    when another planner marked it first."""
    with transaction.atomic():
        claimed = ReminderRun.objects.filter(pk=run.pk, planned_at__isnull=True).update(
            planned_at=timezone.now(),
            items=sum(len(d.items) for d in digests.values()),
            recipients=len({user for user, _ in digests}),
        )
        if claimed:
            Notification.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
            _write_parts(run, parts)
    return bool(claimed)


def _write_parts(run: ReminderRun, parts: dict[str, list[NotificationPart]]) -> None:
    """Each message's parts by unit, tied to the message by its key."""
    ids = dict(Notification.objects.filter(run=run).values_list("key", "id"))
    rows = []
    for key, unit_parts in parts.items():
        for part in unit_parts:
            part.notification_id = ids[key]
            rows.append(part)
    NotificationPart.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)


def run_reminders(run_date: date) -> dict:
    """Plan the day's messages (once) and send them."""
    run = plan_run(run_date)
    counts = send_due()
    if not Notification.objects.filter(
        run=run, status__in=[Notification.Status.PENDING, Notification.Status.SENDING]
    ).exists():
        ReminderRun.objects.filter(pk=run.pk, finished_at__isnull=True).update(
            finished_at=timezone.now()
        )
    return {"date": run_date.isoformat(), "items": run.items, **counts}
