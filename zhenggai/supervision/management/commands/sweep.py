from django.core.management.base import BaseCommand

from zhenggai.lib.sweep import DAY, sweep


class Command(BaseCommand):
    help = (
        "Remove what work cut short left behind: temporary directories, stored files no row "
        "refers to, stray LibreOffice conversions. Only what is older than --hours (24)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=float, default=DAY / 3600)

    def handle(self, *args, hours, **options):
        swept = sweep(age=hours * 3600)
        self.stdout.write(
            f"swept {len(swept.temp_dirs)} temporary entries, {len(swept.files)} orphaned "
            f"files, {len(swept.processes)} stray conversions"
        )
