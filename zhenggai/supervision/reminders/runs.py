"""A day's run: planned once (its messages written with the mark that it is planned), then sent."""

import logging
from datetime import date

from django.db import transaction
from django.utils import timezone

from zhenggai.supervision import urging
from zhenggai.supervision.deadlines import official_calendar
from zhenggai.supervision.models import Notification, NotificationPart, ReminderRun
from zhenggai.supervision.reminders.messages import Messages
from zhenggai.supervision.reminders.planner import Planner
from zhenggai.supervision.reminders.sending import send_due

log = logging.getLogger(__name__)


def plan_run(run_date: date) -> ReminderRun:
    """Write the day's messages as pending notifications; planning twice adds nothing.

    The day's items are read first; then, in one transaction, the planner that marks the run
    planned issues the day's 催办单 (`urging`), adds them to the digests and writes the
    messages. One that finds the run already marked (another worker got there first) does
    nothing of this."""
    run, _ = ReminderRun.objects.get_or_create(run_date=run_date)
    if run.planned_at:
        return run
    calendar = official_calendar()
    planner = Planner(run_date, calendar)
    planner.plan()
    written = _write(run, planner, calendar)
    run.refresh_from_db()
    if written is not None:
        log.info("reminder run %s planned: %s notifications", run_date, written)
    return run


def _write(run: ReminderRun, planner: Planner, calendar) -> int | None:
    """Mark the run planned, issue the day's 催办单 and write its messages, in one transaction;
    the number of messages, or None, writing nothing, when another planner marked it first."""
    with transaction.atomic():
        claimed = ReminderRun.objects.filter(pk=run.pk, planned_at__isnull=True).update(
            planned_at=timezone.now()
        )
        if not claimed:
            return None
        urged = urging.issue_due_urgings(run.run_date, calendar)
        if urged:
            log.info("reminder run %s issued %s 催办单", run.run_date, len(urged))
            planner.escalations(only=[order.pk for order in urged])
        digests = planner.digests
        messages = Messages(run, digests, calendar)
        rows = messages.build()
        ReminderRun.objects.filter(pk=run.pk).update(
            items=sum(len(d.items) for d in digests.values()),
            recipients=len({user for user, _ in digests}),
        )
        Notification.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
        _write_parts(run, messages.parts)
    return len(rows)


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
