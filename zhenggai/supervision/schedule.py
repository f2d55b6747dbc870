"""When the worker queues its periodic tasks: the day's reminder run once the reminder time
has passed, retries of failed notifications when they are due, the daily sweep, the daily
backup (when ZHENGGAI_BACKUP_DIR is set), and a second
reading of an import draft whose task died (zhenggai.ledger.import_retries)."""

import logging
from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from zhenggai.ledger.import_retries import requeue_late_readings
from zhenggai.ledger.progress_background import requeue_late_applies
from zhenggai.supervision import tasks
from zhenggai.supervision.models import Notification, ReminderRun

log = logging.getLogger(__name__)

# A task another worker started this recently is taken to be still running.
RUNNING_GRACE = timedelta(minutes=15)


def reminder_time() -> time:
    hours, _, minutes = settings.REMINDER_TIME.partition(":")
    return time(int(hours), int(minutes or 0))


def _queued(task, since: datetime, args: list | None = None) -> bool:
    results = DBTaskResult.objects.filter(task_path=task.module_path)
    if args is not None:
        results = results.filter(args_kwargs__args=args)
    return (
        results.filter(status="READY").exists()
        or results.filter(status="RUNNING", started_at__gte=since).exists()
    )


def queue_due_tasks(now: datetime | None = None) -> list[str]:
    """Queue what is due and not queued already; the tasks themselves are idempotent, so a
    second worker queueing the same task at the same moment does no harm."""
    now = timezone.localtime(now)
    queued = []
    today = now.date()
    since = now - RUNNING_GRACE
    if now.time() >= reminder_time():
        finished = ReminderRun.objects.filter(run_date=today, finished_at__isnull=False).exists()
        if not finished and not _queued(tasks.run_reminders, since, [today.isoformat()]):
            tasks.run_reminders.enqueue(today.isoformat())
            queued.append(f"run_reminders {today}")
    retry_due = Notification.objects.filter(
        status=Notification.Status.RETRYING, next_attempt_at__lte=now
    ).exists()
    if retry_due and not _queued(tasks.send_retries, since):
        tasks.send_retries.enqueue()
        queued.append("send_retries")
    queued += _queue_daily(now, sweep_time(), tasks.sweep_leftovers)
    if settings.BACKUP_DIR:
        queued += _queue_daily(now, _clock(settings.BACKUP_TIME), tasks.daily_backup)
    queued += requeue_late_readings(now)
    queued += requeue_late_applies(now)
    for name in queued:
        log.info("queued %s", name)
    return queued


def sweep_time() -> time:
    return _clock(settings.SWEEP_TIME)


def _clock(value: str) -> time:
    hours, _, minutes = value.partition(":")
    return time(int(hours), int(minutes or 0))


def _queue_daily(now: datetime, at: time, task) -> list[str]:
    """Queue `task` once a day, after `at`."""
    if now.time() < at or _enqueued_since(task, now.date()):
        return []
    task.enqueue()
    return [task.name]


def _enqueued_since(task, day) -> bool:
    """Whether `task` was queued on `day` already (whatever became of it: once a day)."""
    start = timezone.make_aware(datetime.combine(day, time()))
    return DBTaskResult.objects.filter(task_path=task.module_path, enqueued_at__gte=start).exists()
