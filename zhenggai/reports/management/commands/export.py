from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zhenggai.ledger.models import Problem
from zhenggai.lib.errors import Refused
from zhenggai.lib.xlsx import WriteFailed
from zhenggai.reports import documents, kinds
from zhenggai.reports.ledger_xlsx import TooManyRows, write_ledger
from zhenggai.reports.models import Notice, default_notice
from zhenggai.rounds.models import InspectionRound


class Command(BaseCommand):
    help = (
        "Write a round's Excel ledger (or a unit's, across its rounds), or one of its "
        "documents (its report, its notice): the same files as the web. A document's path "
        "ending in .pdf is converted by LibreOffice."
    )

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["ledger", *kinds.KINDS])
        parser.add_argument("--round", type=int, help="the round's id")
        parser.add_argument("--unit", type=int, help="ledger only: every round of this unit")
        parser.add_argument("--public", action="store_true", help="notice only: public version")
        parser.add_argument("-o", "--output", required=True, help="the file to write")

    def handle(self, *args, what, round=None, unit=None, public=False, output, **options):
        path = Path(output)
        allowed = (".xlsx",) if what == "ledger" else (".docx", ".pdf")
        if path.suffix.lower() not in allowed:
            raise CommandError(f"export {what} writes {' or '.join(allowed)}, not {path.name}")
        if not path.parent.is_dir():
            raise CommandError(f"{path.parent}: no such directory")
        if what == "ledger":
            count = self._ledger(round, unit, path)
            self.stdout.write(f"Wrote {count} problems to {path}.")
            return
        if round is None:
            raise CommandError(f"export {what} needs --round")
        target = self._round(round)
        notice = Notice.objects.filter(round=target).first() or default_notice(target)
        try:
            data = documents.docx(notice, what, public=public and kinds.get(what).public)
            if path.suffix.lower() == ".pdf":
                data = documents.to_pdf(data)
        except Refused as exc:
            raise CommandError(exc.reason) from None
        path.write_bytes(data)
        self.stdout.write(f"Wrote the {what} of round {target.pk} to {path}.")

    def _round(self, round_id: int) -> InspectionRound:
        try:
            return InspectionRound.objects.select_related("unit").get(pk=round_id)
        except InspectionRound.DoesNotExist:
            raise CommandError(f"no round {round_id}") from None

    def _ledger(self, round_id: int | None, unit_id: int | None, path: Path) -> int:
        if (round_id is None) == (unit_id is None):
            raise CommandError("export ledger needs --round or --unit (one of them)")
        if round_id is not None:
            target = self._round(round_id)
            problems, title = Problem.objects.filter(round=target), f"{target.title}整改台账"
        else:
            problems = Problem.objects.filter(unit_id=unit_id).order_by("round_id", "position")
            name = problems.values_list("unit__name", flat=True).first()
            if name is None:
                raise CommandError(f"unit {unit_id} has no problems")
            title = f"{name}整改台账"
        temporary = path.with_name(f".{path.name}.part")
        try:
            count = write_ledger(problems, temporary, title=title)
            temporary.replace(path)  # a half-written file never takes the name
        except (TooManyRows, WriteFailed) as exc:
            raise CommandError(str(exc)) from None
        finally:
            temporary.unlink(missing_ok=True)
        return count
