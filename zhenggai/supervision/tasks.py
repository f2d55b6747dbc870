"""Background work of supervision, run by `zhenggai worker` through django-tasks' database
backend."""

from datetime import date

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django_tasks import task

from zhenggai.lib import backup, sweep
from zhenggai.supervision import reminders


@task()
def run_reminders(run_date: str) -> dict:
    """The day's reminder run (planned once, each digest sent at most once)."""
    return reminders.run_reminders(date.fromisoformat(run_date))


@task()
def send_retries() -> dict:
    """Send the notifications whose retry time has come."""
    return reminders.send_due()


@task()
def sweep_leftovers() -> dict:
    """Remove what work cut short left behind (lib/sweep.py), once a day."""
    swept = sweep.sweep()
    return {
        "temp_dirs": len(swept.temp_dirs),
        "files": len(swept.files),
        "processes": len(swept.processes),
    }


@task()
def daily_backup() -> dict:
    """The day's backup into BACKUP_DIR, keeping the last BACKUP_KEEP (lib/backup.py)."""
    written, removed = backup.scheduled_backup(
        settings.BACKUP_DIR,
        keep=settings.BACKUP_KEEP,
        connection=connection,
        storage=default_storage,
    )
    return {
        "archive": written.path.name,
        "files": written.files,
        "bytes": written.archive_bytes,
        "seconds": round(written.seconds, 1),
        "removed": removed,
    }
