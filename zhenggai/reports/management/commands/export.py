from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zhenggai.ledger.models import Problem
from zhenggai.lib.errors import Refused
from zhenggai.lib.xlsx import WriteFailed
from zhenggai.reports import documents, kinds
from zhenggai.reports.ledger_xlsx import TooManyRows
from zhenggai.reports.models import Notice, default_notice
from zhenggai.rounds.models import InspectionRound

# The sheets: the ledger and the three lists (三张清单), of a round or of a unit's rounds.
SHEETS = ("ledger", "lists")
CLOSEOUT = "closeout"


class Command(BaseCommand):
    help = (
        "Write a round's Excel ledger or its three lists (or a unit's, across its rounds), or "
        "one of its documents (its report, its notice, its rectification plan, the close-out "
        "forms of its closed-out problems): the same files as the web. A document's path ending "
        "in .pdf is converted by LibreOffice. The file is written whole or not at all."
    )

    def add_arguments(self, parser):
        parser.add_argument("what", choices=[*SHEETS, *kinds.KINDS, CLOSEOUT])
        parser.add_argument("--round", type=int, help="the round's id")
        parser.add_argument("--unit", type=int, help="ledger and lists: every round of this unit")
        parser.add_argument("--public", action="store_true", help="notice only: public version")
        parser.add_argument("-o", "--output", required=True, help="the file to write")

    def handle(self, *args, what, round=None, unit=None, public=False, output, **options):
        path = Path(output)
        allowed = (".xlsx",) if what in SHEETS else (".docx", ".pdf")
        if path.suffix.lower() not in allowed:
            raise CommandError(f"export {what} writes {' or '.join(allowed)}, not {path.name}")
        if not path.parent.is_dir():
            raise CommandError(f"{path.parent}: no such directory")
        if what in SHEETS:
            count = self._sheets(what, round, unit, path)
            self.stdout.write(f"Wrote {count} problems to {path}.")
            return
        if round is None:
            raise CommandError(f"export {what} needs --round")
        target = self._round(round)
        try:
            data = self._document(what, target, public=public)
            if path.suffix.lower() == ".pdf":
                data = documents.to_pdf(data)
        except Refused as exc:
            raise CommandError(exc.reason) from None
        _write(path, lambda part: part.write_bytes(data))
        self.stdout.write(f"Wrote the {what} of round {target.pk} to {path}.")

    def _round(self, round_id: int) -> InspectionRound:
        try:
            return InspectionRound.objects.select_related("unit").get(pk=round_id)
        except InspectionRound.DoesNotExist:
            raise CommandError(f"no round {round_id}") from None

    def _document(self, what: str, target: InspectionRound, *, public: bool) -> bytes:
        if what == CLOSEOUT:
            from zhenggai.reports.closeout_form import closeout_docx  # another area's module

            return closeout_docx(Problem.objects.filter(round=target).order_by("position", "id"))
        notice = Notice.objects.filter(round=target).first() or default_notice(target)
        return documents.docx(notice, what, public=public and kinds.get(what).public)

    def _sheets(self, what: str, round_id: int | None, unit_id: int | None, path: Path) -> int:
        if (round_id is None) == (unit_id is None):
            raise CommandError(f"export {what} needs --round or --unit (one of them)")
        if round_id is not None:
            target = self._round(round_id)
            problems = Problem.objects.filter(round=target)
            subject = {"ledger": target.title, "lists": target.subject}[what]  # as the web's
        else:
            problems = Problem.objects.filter(unit_id=unit_id).order_by("round_id", "position")
            subject = problems.values_list("unit__name", flat=True).first()
            if subject is None:
                raise CommandError(f"unit {unit_id} has no problems")
        if what == "lists":
            from zhenggai.reports.lists_xlsx import write_lists  # another area's module

            writer, title = write_lists, f"{subject}三张清单"
        else:
            from zhenggai.reports.ledger_xlsx import write_ledger

            writer, title = write_ledger, f"{subject}整改台账"
        try:
            return _write(path, lambda part: writer(problems, part, title=title))
        except (TooManyRows, WriteFailed) as exc:
            raise CommandError(str(exc)) from None


def _write(path: Path, write):
    """Run `write(part)` on a hidden file beside `path`, then give it the name: a half-written
    file never takes the name, and a failure leaves nothing behind."""
    part = path.with_name(f".{path.name}.part")
    try:
        result = write(part)
        part.replace(path)
        return result
    finally:
        part.unlink(missing_ok=True)
