"""Background work of supervision, run by `zhenggai worker` through django-tasks' database
backend."""

from datetime import date

from django_tasks import task

from zhenggai.lib import sweep
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
