import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from zhenggai.supervision.reminders import run_reminders


def iso_date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--date must be a date like 2026-11-23, not {text!r}") from None


class Command(BaseCommand):
    help = (
        "Run the reminder run of a day now (today by default) in this process: plan the "
        "digests once, send what is pending. Nothing already sent is sent again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", type=iso_date, help="the day to run (YYYY-MM-DD)")

    def handle(self, *args, date=None, **options):
        result = run_reminders(date or timezone.localdate())
        self.stdout.write(
            f"reminders {result['date']}: {result['items']} items, "
            f"{result['sent']} sent, {result['failed']} failed"
        )
