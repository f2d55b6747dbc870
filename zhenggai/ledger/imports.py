"""Saving a parsed document (zhenggai.intake) into a round's ledger: one atomic import.

The problems keep the document's outline and order; their descriptions, measures, sections and
deadlines come along; sections named in the document that the unit lacks are created; the source
file is kept with the round, and the same file is not imported into a round twice. The dates the
document gives fill a round's empty ones; a document can also set up a new round (and unit).

The web's steps before the import live next to this module: the upload and its draft
(import_drafts), the preview (import_preview), the round a document speaks of (import_rounds) and
the warnings in Chinese (import_warnings); their names stay importable from here.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from zhenggai.intake.model import ParsedDocument, ParsedMeasure, ParsedProblem
from zhenggai.ledger import services
from zhenggai.ledger.import_background import remove_page_images
from zhenggai.ledger.import_drafts import (  # noqa: F401
    ACCEPT,
    FORMATS_ZH,
    IMAGE_ZH,
    IMPORTABLE,
    NOT_IMPORTABLE_ZH,
    REFUSED_TYPE_ZH,
    UPLOAD_HELP_ZH,
    check_import_upload,
    lock_open,
    require_may_import,
    start_import,
    start_new_round_import,
    unfinished_drafts,
)
from zhenggai.ledger.import_preview import (  # noqa: F401
    PATH_SEPARATOR,
    keep_page,
    preview_page,
    preview_rows,
    rows_to_document,
)
from zhenggai.ledger.import_rounds import (  # noqa: F401
    PARSED_DATES,
    dates_found,
    dates_to_fill,
    earlier_import,
    round_kind,
    round_kind_of,
    round_proposal,
    unit_name_of,
)
from zhenggai.ledger.import_warnings import WARNINGS_ZH, warning_zh  # noqa: F401
from zhenggai.ledger.models import DeadlineKind, ImportDraft, Problem
from zhenggai.ledger.schedule import refresh_due_date
from zhenggai.lib.errors import Refused
from zhenggai.lib.names import full_name, normalize_name
from zhenggai.lib.uploads import UploadRefused, check_upload
from zhenggai.orgs.models import Unit
from zhenggai.orgs.services import get_or_create_unit, people_in
from zhenggai.rounds.models import InspectionRound, NewRoundDraft, RoundDocument
from zhenggai.rounds.services import create_round, fill_empty_dates, store_document

# Names that stand for many sections at once ("各科室", "直属事业单位"), not one to create.
COLLECTIVE = re.compile(r"^(各|全体|相关|有关)|直属|所属")
DEADLINE_KINDS = {
    "date": DeadlineKind.DATE,
    "immediate": DeadlineKind.IMMEDIATE,
    "ongoing": DeadlineKind.ONGOING,
}


@dataclass
class ImportResult:
    round: InspectionRound
    problems: list[Problem]
    document: RoundDocument | None


class _Names:
    """The sections and people of a unit that a document names, each looked up once for the
    whole import. A section the unit lacks is created; a name shared by two people, or held by
    nobody with a role on the unit or its sections, names no one."""

    def __init__(self, unit: Unit):
        self.unit = unit
        self._sections: dict[str, Unit | None] = {}
        self._people: dict[str, list] | None = None

    def section(self, name: str) -> Unit | None:
        name = name.strip()[:200]
        if not name or COLLECTIVE.search(name):
            return None
        if name not in self._sections:
            self._sections[name] = get_or_create_unit(name, Unit.Kind.SECTION, self.unit)
        return self._sections[name]

    def sections(self, names: list[str]) -> list[Unit]:
        return [s for s in map(self.section, names) if s]

    def first_section(self, names: list[str]) -> Unit | None:
        """The first of `names` that is one section (those after it are not looked up)."""
        return next((s for s in map(self.section, names) if s), None)

    def person(self, name: str):
        name = normalize_name(name)
        if not name:
            return None
        if self._people is None:
            self._people = {}
            for user in people_in([self.unit.pk]):
                for key in {full_name(user.first_name, user.last_name), user.username}:
                    if key:
                        self._people.setdefault(key, []).append(user)
        found = self._people.get(name, [])
        return found[0] if len(found) == 1 else None


def _already_imported(round: InspectionRound, sha256: str) -> RoundDocument | None:
    return round.documents.filter(sha256=sha256).first()


def draft_was_imported(draft: ImportDraft) -> RoundDocument | None:
    return _already_imported(draft.round, draft.sha256)


@transaction.atomic
def import_document(
    document: ParsedDocument, round: InspectionRound, *, by, upload=None, force: bool = False
) -> ImportResult:
    """Add `document`'s problems to `round`, after its existing ones; all or nothing.

    `by` is the user importing (checked: inspection office or rectification office), or None for
    the server's own command line. `upload` is the source file, kept with the round; importing
    the same file into the round again is refused unless `force`.
    """
    if by is not None:
        require_may_import(by, round)
    if not document.problems:
        raise Refused("文件中没有识别出问题，未导入。", f"{document.file}: no problems found")
    kept = None if upload is None else _keep_source(round, upload, by=by, force=force)
    last = round.problems.order_by("-position").values_list("position", flat=True).first() or 0
    names = _Names(round.unit)
    note = f"导入自 {document.file.rsplit('/', 1)[-1]}" if document.file else "导入"
    try:
        created = [
            _import_problem(parsed, round, position=last + n, by=by, note=note, names=names)
            for n, parsed in enumerate(document.problems, start=1)
        ]
    except BaseException:
        if kept is not None:  # the file is outside the transaction that is rolling back
            kept.file.delete(save=False)
        raise
    return ImportResult(round=round, problems=created, document=kept)


def _keep_source(round: InspectionRound, upload, *, by, force: bool) -> RoundDocument:
    """The source file kept with the round; the same file a second time only when `force`."""
    try:
        info = check_upload(upload, settings.EVIDENCE_MAX_BYTES, allow_text=True)
    except UploadRefused as exc:
        raise Refused(f"“{upload.name}”：{exc.message}", f"{upload.name}: {exc}") from None
    earlier = _already_imported(round, info.sha256)
    if earlier is not None and not force:
        raise Refused(
            f"该文件已于 {timezone.localtime(earlier.uploaded_at):%Y-%m-%d %H:%M} 导入本轮次，未重复导入。",
            f"{upload.name} was imported into round {round.pk} already",
        )
    return store_document(round, upload, info, by=by, label="导入文件")


def _import_problem(
    parsed: ParsedProblem, round: InspectionRound, *, position: int, by, note: str, names
) -> Problem:
    """One problem of the document with its measures. Its search text and due date are
    refreshed once, after its last measure."""
    values = _problem_values(parsed)
    if not values["title"]:
        raise Refused(f"第 {position} 个问题没有标题。", f"problem {position} has no title")
    problem = services.add_problem(round, by=by, position=position, note=note, **values)
    for order, item in enumerate(parsed.measures, start=1):
        values = _measure_values(parsed, item, names)
        # A document brings many measures: their history names each by its text alone.
        history = {"整改措施": ["—", values["text"][:200]]}
        services.add_measure(problem, by=by, position=order, note=note, history=history, **values)
    services.refresh_search_text(problem)
    refresh_due_date(problem)
    return problem


def _problem_values(parsed: ParsedProblem) -> dict:
    """A parsed problem's values, cut to their columns (a document is not refused for a long
    title, as a form is)."""
    return {
        "number": parsed.number.strip()[:20],
        "title": parsed.title.strip()[:500],
        "description": parsed.text.strip(),
        "path": [part.strip()[:300] for part in parsed.path if part.strip()],
    }


def _pk(found) -> int | None:
    return found.pk if found is not None else None


def _measure_values(parsed: ParsedProblem, item: ParsedMeasure, names: _Names) -> dict:
    """A parsed measure's values: its own sections, owners and deadline, else its problem's."""
    lead_units = parsed.lead_units if item.lead_units is None else item.lead_units
    responsible = (
        parsed.responsible_units if item.responsible_units is None else (item.responsible_units)
    )
    deadline = item.deadline or parsed.deadline
    return {
        "text": item.text.strip(),
        "lead_section": _pk(names.first_section(lead_units)),
        "responsible_sections": [section.pk for section in names.sections(responsible)],
        "lead_leader": _pk(names.person(item.leader)),
        "owner": _pk(names.person(item.owner)),
        "deadline_kind": DeadlineKind.DATE if deadline is None else DEADLINE_KINDS[deadline.kind],
        "deadline": None if deadline is None else deadline.date,
    }


# ---------------------------------------------------------------- confirming a draft


def confirm_import(
    draft: ImportDraft, rows: list[dict], *, by, force: bool = False
) -> ImportResult:
    """Import the checked outline of a draft into its round, atomically, and close the draft."""
    with transaction.atomic():
        locked = lock_open(draft)
        document = rows_to_document(locked, rows)
        with locked.file.open("rb") as handle:
            upload = File(handle, name=locked.original_name)
            result = import_document(document, locked.round, by=by, force=force, upload=upload)
        fill_empty_dates(
            locked.round,
            dates_found(locked.parsed),
            by=by,
            note=f"按导入文件“{locked.original_name}”填写",
        )
        locked.status = ImportDraft.Status.IMPORTED
        locked.save(update_fields=["status"])
        transaction.on_commit(lambda: remove_page_images(locked))
    return result


def confirm_new_round_import(
    draft: NewRoundDraft, rows: list[dict], round_fields: dict, *, by, force: bool = False
) -> ImportResult:
    """Set up the round (and its unit, if new) as the user checked it, and import the checked
    outline into it: all at once or nothing. `round_fields` are create_round's, which decides
    whether `by` may. A file imported into another round before is refused unless `force`."""
    with transaction.atomic():
        locked = lock_open(draft)
        earlier = None if force else earlier_import(locked, by)
        if earlier is not None:
            raise Refused(
                f"该文件已于 {timezone.localtime(earlier.uploaded_at):%Y-%m-%d %H:%M} 导入轮次“{earlier.round}”，"
                "未重复导入。如确需再次导入，请勾选“仍然导入”。",
                f"{locked.original_name} was imported into round {earlier.round_id} already",
            )
        document = rows_to_document(locked, rows)
        round = create_round(by=by, **round_fields)
        with locked.file.open("rb") as handle:
            upload = File(handle, name=locked.original_name)
            result = import_document(document, round, by=by, upload=upload)
        locked.status = NewRoundDraft.Status.IMPORTED
        locked.round = round
        locked.save(update_fields=["status", "round"])
        transaction.on_commit(lambda: remove_page_images(locked))
    return result
