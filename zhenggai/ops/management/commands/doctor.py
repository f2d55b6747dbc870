import json
import socket

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from zhenggai.ops import doctor


class Command(BaseCommand):
    help = (
        "Check a running installation (settings, database, file storage, worker heartbeat, "
        "official calendar, LibreOffice and fonts, backups, sign-in) and say in Chinese what is "
        "wrong and what to do. Exits non-zero when a check fails (✗); warnings (!) do not."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print the findings as JSON")
        parser.add_argument(
            "--only",
            nargs="+",
            choices=list(doctor.AREAS),
            metavar="AREA",
            help=f"check only these areas ({', '.join(doctor.AREAS)})",
        )

    def handle(self, *args, json: bool, only: list[str] | None, **options):
        results = doctor.run_checks(only)
        counts = {status: sum(r.status == status for r in results) for status in doctor.MARKS}
        if json:
            self._print_json(results, counts)
        else:
            self._print_text(results, counts)
        if counts[doctor.FAIL]:
            raise CommandError(f"{counts[doctor.FAIL]} check(s) failed")

    def _print_json(self, results: list[doctor.Result], counts: dict[str, int]) -> None:
        report = {
            "ok": counts[doctor.FAIL] == 0,
            "host": socket.gethostname(),
            "checked_at": timezone.now().isoformat(),
            "counts": counts,
            "results": [r.as_dict() for r in results],
        }
        self.stdout.write(_dumps(report))

    def _print_text(self, results: list[doctor.Result], counts: dict[str, int]) -> None:
        now = timezone.localtime()
        self.stdout.write(f"整改系统运行检查 · {socket.gethostname()} · {now:%Y-%m-%d %H:%M}")
        area = None
        for result in results:
            if result.area != area:
                area = result.area
                self.stdout.write("")
                self.stdout.write(doctor.AREAS[area][0])
            self.stdout.write(f"  {doctor.MARKS[result.status]} {result.message}")
            if result.hint and result.status != doctor.OK:
                self.stdout.write(f"      处理：{result.hint}")
        self.stdout.write("")
        self.stdout.write(
            f"共 {len(results)} 项：{counts[doctor.FAIL]} 项有错（✗），"
            f"{counts[doctor.WARN]} 项提醒（!），{counts[doctor.OK]} 项正常（✓）。"
        )


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)
