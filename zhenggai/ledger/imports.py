"""Saving a parsed document (zhenggai.intake) into a round's ledger: one atomic import.

The problems keep the document's outline and order; their descriptions, measures, sections and
deadlines come along; sections named in the document that the unit lacks are created; the source
file is kept with the round, and the same file is not imported into a round twice. The dates the
document gives fill a round's empty ones; a document can also set up a new round (and unit).
"""

import re
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.files import File
from django.db import transaction

from zhenggai.intake import IntakeError, parse_file
from zhenggai.intake.ledger import CONTINUATION
from zhenggai.intake.model import Deadline, ParsedDocument, ParsedMeasure, ParsedProblem
from zhenggai.ledger import services
from zhenggai.ledger.errors import NotAllowed, Refused
from zhenggai.ledger.history import record
from zhenggai.ledger.models import DeadlineKind, Event, ImportDraft, Measure, Problem
from zhenggai.ledger.schedule import refresh_due_date
from zhenggai.lib.names import full_name, normalize_name
from zhenggai.lib.uploads import EXTENSIONS, UploadRefused, check_upload
from zhenggai.orgs.models import Unit
from zhenggai.orgs.services import get_or_create_unit, people_in
from zhenggai.rounds.forms import units_user_may_inspect
from zhenggai.rounds.models import InspectionRound, NewRoundDraft, RoundDocument
from zhenggai.rounds.services import (
    create_round,
    empty_dates_to_fill,
    fill_empty_dates,
    may_create_rounds,
    offices_for_new_units,
    store_document,
)

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


def round_kind(document: ParsedDocument, text: str = "") -> str:
    """The kind of round a document speaks of."""
    return round_kind_of(document.title or "", text)


def round_kind_of(title: str, text: str = "") -> str:
    """The kind of round a document's title (and opening text) speaks of."""
    head = " ".join([title, text[:400]])
    for word, kind in (
        ("背靠背", "evaluation"),
        ("评价", "evaluation"),
        ("审计", "audit"),
        ("专项巡察", "special"),
        ("巡视", "xunshi"),
        ("督查", "supervision"),
    ):
        if word in head:
            return kind
    return InspectionRound.Kind.XUNCHA


def _section(unit: Unit, name: str) -> Unit | None:
    name = name.strip()[:200]
    if not name or COLLECTIVE.search(name):
        return None
    return get_or_create_unit(name, Unit.Kind.SECTION, unit)


class _People:
    """People of a unit found by the name a ledger gives them: a name shared by two people, or
    held by nobody with a role on the unit or its sections, names no one."""

    def __init__(self, unit: Unit):
        self.unit = unit
        self._by_name: dict[str, list] | None = None

    def find(self, name: str):
        name = normalize_name(name)
        if not name:
            return None
        if self._by_name is None:
            self._by_name = {}
            for user in people_in([self.unit.pk]):
                for key in {full_name(user.first_name, user.last_name), user.username}:
                    if key:
                        self._by_name.setdefault(key, []).append(user)
        found = self._by_name.get(name, [])
        return found[0] if len(found) == 1 else None


def _already_imported(round: InspectionRound, sha256: str) -> RoundDocument | None:
    return round.documents.filter(sha256=sha256).first()


@transaction.atomic
def import_document(
    document: ParsedDocument, round: InspectionRound, *, by, upload=None, force: bool = False
) -> ImportResult:
    """Add `document`'s problems to `round`, after its existing ones; all or nothing.

    `by` is the user importing (checked: inspection office or rectification office), or None for
    the server's own command line. `upload` is the source file, kept with the round; importing
    the same file into the round again is refused unless `force`.
    """
    if by is not None and not services.may_enter_problems(by, round):
        raise NotAllowed(
            "您没有权限向该轮次导入问题。", f"{by} may not import into round {round.pk}"
        )
    if not document.problems:
        raise Refused("文件中没有识别出问题，未导入。", f"{document.file}: no problems found")
    kept = None
    if upload is not None:
        try:
            info = check_upload(upload, settings.EVIDENCE_MAX_BYTES, allow_text=True)
        except UploadRefused as exc:
            raise Refused(f"“{upload.name}”：{exc.message}", f"{upload.name}: {exc}") from None
        earlier = _already_imported(round, info.sha256)
        if earlier is not None and not force:
            raise Refused(
                f"该文件已于 {earlier.uploaded_at:%Y-%m-%d %H:%M} 导入本轮次，未重复导入。",
                f"{upload.name} was imported into round {round.pk} already",
            )
        kept = store_document(round, upload, info, by=by, label="导入文件")
    last = round.problems.order_by("-position").values_list("position", flat=True).first() or 0
    people = _People(round.unit)  # looked up once for the whole import
    try:
        created = [
            _import_problem(
                parsed, round, position=last + n, by=by, source=document.file, people=people
            )
            for n, parsed in enumerate(document.problems, start=1)
        ]
    except BaseException:
        if kept is not None:  # the file is outside the transaction that is rolling back
            kept.file.delete(save=False)
        raise
    return ImportResult(round=round, problems=created, document=kept)


def _import_problem(
    parsed: ParsedProblem, round: InspectionRound, *, position: int, by, source: str, people
) -> Problem:
    values = {"number": parsed.number.strip()[:20], "title": parsed.title.strip()[:500]}
    if not values["title"]:
        raise Refused(f"第 {position} 个问题没有标题。", f"problem {position} has no title")
    path = [part.strip()[:300] for part in parsed.path if part.strip()]
    problem = Problem.objects.create(
        round=round,
        unit_id=round.unit_id,
        description=parsed.text.strip(),
        path=path,
        area=path[0] if path else "",
        position=position,
        **values,
    )
    note = f"导入自 {source.rsplit('/', 1)[-1]}" if source else "导入"
    record(
        Event.Action.CREATED,
        problem,
        by=by,
        problem=problem,
        changes={"问题": ["—", problem.title]},
        note=note,
    )
    for order, item in enumerate(parsed.measures, start=1):
        lead_units = parsed.lead_units if item.lead_units is None else item.lead_units
        responsible_units = (
            parsed.responsible_units if item.responsible_units is None else item.responsible_units
        )
        deadline = item.deadline or parsed.deadline
        kind, due = DeadlineKind.DATE, None
        if deadline is not None:
            kind, due = DEADLINE_KINDS[deadline.kind], deadline.date
        measure = Measure.objects.create(
            problem=problem,
            position=order,
            text=item.text.strip(),
            lead_section=next(
                (s for s in (_section(round.unit, n) for n in lead_units) if s), None
            ),
            lead_leader=people.find(item.leader),
            owner=people.find(item.owner),
            deadline_kind=kind,
            deadline=due,
        )
        measure.responsible_sections.set(
            [s for s in (_section(round.unit, n) for n in responsible_units) if s]
        )
        record(
            Event.Action.CREATED,
            measure,
            by=by,
            problem=problem,
            changes={"整改措施": ["—", measure.text[:200]]},
            note=note,
        )
    services.refresh_search_text(problem)
    refresh_due_date(problem)
    return problem


# ---------------------------------------------------------------- the web flow: upload, check, confirm

# As the preview writes a path: "方面 / 类别" (a bare "/" may belong to a heading: “1+1/N”).
PATH_SEPARATOR = re.compile(r"\s+/\s+|\s*›\s*")


# What the readers of zhenggai.intake read, by the type the file's bytes show.
IMPORTABLE = {
    "text/plain",
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMATS_ZH = "文本（.txt）、Word（.docx）、PDF（有文字层）或 Excel（.xlsx）"
# The file input's hint to the browser's picker (the server still goes by the bytes).
ACCEPT = ".txt,.docx,.pdf,.xlsx"
NOT_IMPORTABLE_ZH = {
    "application/msword": "这是 Word 97-2003 文档（.doc），无法识别；请在 Word 或 WPS 中另存为 .docx 后再导入。",
    "application/vnd.ms-excel": "这是 Excel 97-2003 表格（.xls），无法识别；请另存为 .xlsx 后再导入。",
}
IMAGE_ZH = "这是图片，系统不做文字识别；请提供 Word、文本或有文字层的 PDF 版本。"
REFUSED_TYPE_ZH = (
    f"只能导入{FORMATS_ZH}文件（按文件内容识别，不看扩展名）；"
    ".doc、.xls、.wps 请先另存为 .docx 或 .xlsx。"
)


def check_import_upload(upload):
    """The checked file (type, size, hash) of an upload to import, or Refused saying, in
    Chinese, why it cannot be read."""
    try:
        info = check_upload(upload, settings.EVIDENCE_MAX_BYTES, allow_text=True)
    except UploadRefused as exc:
        # A type refused outright is answered with what an import accepts, not evidence's list.
        wrong_type = "not accepted" in str(exc) or "neither" in str(exc)
        message = REFUSED_TYPE_ZH if wrong_type else exc.message
        raise Refused(f"“{upload.name}”：{message}", f"{upload.name}: {exc}") from None
    if info.content_type not in IMPORTABLE:
        message = NOT_IMPORTABLE_ZH.get(info.content_type, IMAGE_ZH)
        raise Refused(f"“{upload.name}”：{message}", f"{upload.name}: {info.content_type}")
    return info


@transaction.atomic
def start_import(round: InspectionRound, upload, *, by) -> ImportDraft:
    """Keep an uploaded document and its parsed outline as a draft for the user to check."""
    if not services.may_enter_problems(by, round):
        raise NotAllowed(
            "您没有权限向该轮次导入问题。", f"{by} may not import into round {round.pk}"
        )
    info = check_import_upload(upload)
    draft = ImportDraft(
        round=round, original_name=upload.name[:255], sha256=info.sha256, created_by=by, parsed={}
    )
    return _keep_parsed(draft, upload, info)


@transaction.atomic
def start_new_round_import(upload, *, by) -> NewRoundDraft:
    """Keep a document to set up a new round from, and its parsed outline, as a draft for its
    uploader (an inspection office) to check."""
    if not may_create_rounds(by):
        raise NotAllowed("只有巡察机构（巡察办）可以设立巡察轮次。", f"{by} may not set up rounds")
    info = check_import_upload(upload)
    draft = NewRoundDraft(
        original_name=upload.name[:255], sha256=info.sha256, created_by=by, parsed={}
    )
    return _keep_parsed(draft, upload, info)


def _keep_parsed(draft, upload, info):
    """Store the upload with `draft` and parse it; a file that cannot be read is not kept."""
    draft.file.save(
        f"{info.sha256[:16]}{EXTENSIONS.get(info.content_type, '')}", upload, save=False
    )
    try:
        document = parse_file(draft.file.path)
    except IntakeError as exc:
        draft.file.delete(save=False)
        raise Refused(f"无法识别“{upload.name}”的内容：{_reason_zh(str(exc))}", str(exc)) from None
    except BaseException:
        draft.file.delete(save=False)
        raise
    if not document.problems:
        draft.file.delete(save=False)
        raise Refused(f"“{upload.name}”中没有识别出问题，请检查文件内容。", "no problems found")
    if len(document.problems) > settings.IMPORT_MAX_PROBLEMS:
        draft.file.delete(save=False)
        raise Refused(
            f"“{upload.name}”中识别出 {len(document.problems)} 个问题，超过单次导入上限"
            f" {settings.IMPORT_MAX_PROBLEMS} 个。请将文件拆分后分批导入。",
            f"{len(document.problems)} problems exceed IMPORT_MAX_PROBLEMS",
        )
    document.file = draft.original_name  # the name it was uploaded by, not where it is kept
    draft.parsed = document.as_json()
    draft.save()
    return draft


def _reason_zh(reason: str) -> str:
    for english, chinese in (
        (
            "OCR is not supported",
            "这是扫描件（没有文字层），暂不支持文字识别，请提供 Word 或文本版本。",
        ),
        ("zip bomb", "文件解压后异常庞大，已拒绝。"),
        ("not a supported document", f"不是能识别的格式：只能导入{FORMATS_ZH}文件。"),
        ("damaged", "文件已损坏。"),
        ("no header row", "Excel 中没有找到“序号、问题、整改措施”等表头。"),
        ("neither UTF-8", "文本编码无法识别（支持 UTF-8、UTF-16、GB18030/GBK）。"),
    ):
        if english in reason:
            return chinese
    return "文件无法读取。"


def _measure(text: str, facts: dict) -> ParsedMeasure:
    """A measure line of the preview, with the owners and deadline its source gave it when the
    line is unchanged and the user kept the parsed lead section."""
    source = facts.get(text)
    if not source:
        return ParsedMeasure(text)
    deadline = source.get("deadline")
    return ParsedMeasure(
        text,
        lead_units=source.get("lead_units"),
        responsible_units=source.get("responsible_units"),
        deadline=Deadline(**deadline) if deadline else None,
        leader=source.get("leader", ""),
        owner=source.get("owner", ""),
    )


# The importer's warnings (English, for the command line) as the preview says them.
WARNINGS_ZH = [
    (
        re.compile(r"the document declares (\d+) problems but (\d+) were parsed"),
        "文件中写明有 {0} 个问题，但识别出 {1} 个，请逐条核对。",
    ),
    (
        re.compile(r"the document declares (\d+) areas but (\d+) were parsed"),
        "文件中写明有 {0} 个方面，但识别出 {1} 个，请核对所属方面。",
    ),
    (re.compile(r"traditional Chinese"), "文件为繁体中文，已按简体识别和导入。"),
    (
        re.compile(r"a date lost characters in the source \((.+?)\)"),
        "原文日期“{0}”缺字，未从中读取日期，请手工核对。",
    ),
    (
        re.compile(r"no section speaks of problems"),
        "文件中没有“问题”字样的标题，已把每个标题当作一个问题。",
    ),
    (
        re.compile(r"the sheet holds (\d+) rounds"),
        "表格包含 {0} 个轮次（【…】标题），将全部导入当前轮次。",
    ),
]


def warning_zh(warning: str) -> str:
    for pattern, chinese in WARNINGS_ZH:
        match = pattern.search(warning)
        if match:
            return chinese.format(*match.groups())
    return "识别时有异常，请逐条核对。"


def draft_was_imported(draft: ImportDraft) -> RoundDocument | None:
    return _already_imported(draft.round, draft.sha256)


# ---------------------------------------------------------------- the preview, page by page


def preview_rows(draft: ImportDraft | NewRoundDraft, initial_rows) -> list[dict]:
    """Every row of a draft's preview: as the user left them on the pages they saved, else as
    parsed (`initial_rows(parsed)`)."""
    return draft.parsed.get("rows") or initial_rows(draft.parsed)


def preview_page(rows: list[dict], number) -> tuple[int, int, int]:
    """(page number, first row, page count) of page `number` (clamped) of the preview."""
    size = settings.IMPORT_PAGE_SIZE
    pages = max(1, -(-len(rows) // size))
    try:
        number = min(max(int(number), 1), pages)
    except (TypeError, ValueError):
        number = 1
    return number, (number - 1) * size, pages


def keep_page(
    draft: ImportDraft | NewRoundDraft, rows: list[dict], start: int, page: list[dict], **also
) -> list[dict]:
    """Keep the rows of one preview page, as the user left them, on the open draft (with
    `also`: what else the page holds, e.g. the new round's fields as typed)."""
    with transaction.atomic():
        locked = type(draft).objects.select_for_update().get(pk=draft.pk)
        if locked.status != type(draft).Status.OPEN:
            raise Refused("该草稿已处理。", f"draft {locked.pk} is {locked.status}")
        if len(page) != len(rows[start : start + len(page)]):
            raise Refused("该页内容已变化，请重新打开核对页面。", "preview page out of range")
        rows = [*rows[:start], *page, *rows[start + len(page) :]]
        locked.parsed = {**locked.parsed, **also, "rows": rows}
        locked.save(update_fields=["parsed"])
    draft.parsed = locked.parsed
    return rows


def _pieces(row: dict) -> list[tuple[str, str, list[str]]]:
    """(number, title, measures) of a preview row, split where a line starts with #; a line
    indented by a space continues the measure above it."""
    pieces = [(row.get("number", ""), row.get("title", "").strip(), [])]
    for line in row.get("measures", "").splitlines():
        if not line.strip():
            continue
        if CONTINUATION.match(line) and pieces[-1][2]:
            pieces[-1][2][-1] += "\n" + line[1:].rstrip()
        elif line.strip().startswith("#"):
            pieces.append(("", line.strip().lstrip("#").strip(), []))
        else:
            pieces[-1][2].append(line.strip())
    return pieces


def rows_to_document(draft: ImportDraft | NewRoundDraft, rows: list[dict]) -> ParsedDocument:
    """The outline as the user left it: rows left out, merged into the one above, retitled,
    described, moved to another level, given a lead section, or split where a measure line
    starts with #."""
    original = draft.parsed.get("problems", [])
    problems: list[ParsedProblem] = []
    for row in rows:
        if not row.get("include"):
            continue
        index = row.get("source")
        source = original[index] if index is not None and 0 <= index < len(original) else {}
        path = [p for p in PATH_SEPARATOR.split(row.get("path", "")) if p]
        pieces = _pieces(row)
        deadline = source.get("deadline")
        lead_kept = row.get("lead", "").strip() == (source.get("lead_units") or [""])[0]
        facts = {m["text"]: m for m in source.get("measures", [])} if lead_kept else {}
        # The description as the preview shows it (a row from before it did: the parsed one).
        described = row["description"] if "description" in row else source.get("text", "")
        described = described.strip()
        for n, (number, title, measures) in enumerate(pieces):
            if n == 0 and row.get("merge") and problems:
                previous = problems[-1]
                previous.measures += [_measure(m, facts) for m in measures]
                previous.text = "\n".join(t for t in (previous.text, title, described) if t)
                lead = row.get("lead", "").strip()
                if lead and lead not in previous.lead_units:
                    previous.lead_units.append(lead)
                continue
            problems.append(
                ParsedProblem(
                    number=number,
                    title=title,
                    path=path,
                    text=described if n == 0 else "",
                    measures=[_measure(m, facts) for m in measures],
                    lead_units=[row["lead"].strip()] if row.get("lead", "").strip() else [],
                    responsible_units=source.get("responsible_units", []),
                    deadline=Deadline(**deadline) if deadline else None,
                )
            )
    untitled = [n for n, p in enumerate(problems, start=1) if not p.title]
    if untitled:
        raise Refused(
            f"导入的第 {untitled[0]} 个问题没有标题，请填写或不导入该行。", "untitled problem"
        )
    return ParsedDocument(
        file=draft.original_name,
        kind=draft.parsed.get("kind", "report"),
        org=draft.parsed.get("org"),
        problems=problems,
    )


def confirm_import(
    draft: ImportDraft, rows: list[dict], *, by, force: bool = False
) -> ImportResult:
    """Import the checked outline of a draft into its round, atomically, and close the draft."""
    with transaction.atomic():
        locked = ImportDraft.objects.select_for_update(of=("self",)).get(pk=draft.pk)
        if locked.status != ImportDraft.Status.OPEN:
            raise Refused("该草稿已处理。", f"draft {locked.pk} is {locked.status}")
        document = rows_to_document(locked, rows)
        with locked.file.open("rb") as handle:
            result = import_document(
                document,
                locked.round,
                by=by,
                force=force,
                upload=File(handle, name=locked.original_name),
            )
        fill_empty_dates(
            locked.round,
            dates_found(locked.parsed),
            by=by,
            note=f"按导入文件“{locked.original_name}”填写",
        )
        locked.status = ImportDraft.Status.IMPORTED
        locked.save(update_fields=["status"])
    return result


# ---------------------------------------------------------------- a new round from a document

# The dates a parsed document gives, as the round's fields they set.
PARSED_DATES = {
    "inspection_start": "period_start",
    "inspection_end": "period_end",
    "feedback": "feedback_date",
}


def dates_found(parsed: dict) -> dict[str, date]:
    """The round's dates a parsed document gives, by field name."""
    found = parsed.get("dates") or {}
    return {
        field: date.fromisoformat(found[key])
        for key, field in PARSED_DATES.items()
        if found.get(key)
    }


def dates_to_fill(draft: ImportDraft) -> dict[str, date]:
    """The dates confirming `draft` will set on its round, whose own are empty."""
    return empty_dates_to_fill(draft.round, dates_found(draft.parsed))


def unit_name_of(org: str | None) -> str:
    """The unit an issuing body's name speaks for: 中共某局党组 → 某局."""
    name = re.sub(r"^中共", "", (org or "").strip())
    return re.sub(r"(党组|党委|党总支|党支部)$", "", name).strip()


def round_proposal(draft: NewRoundDraft, user) -> dict:
    """The round `draft`'s document describes, as the preview first shows it: its title, kind,
    inspecting body and dates, and its unit among those the user inspects (else a new unit of
    that name under their office)."""
    parsed = draft.parsed
    kind = round_kind_of(parsed.get("title") or "")
    name = unit_name_of(parsed.get("org"))
    offices = list(offices_for_new_units(user)[:2])
    unit = units_user_may_inspect(user).filter(name=name).first() if name else None
    proposal = {
        "kind": kind,
        "title": parsed.get("title")
        or (f"{name}{InspectionRound.Kind(kind).label}整改" if name else ""),
        "inspecting_body": parsed.get("inspector") or (offices[0].name if offices else ""),
        "unit": unit.pk if unit else None,
        "new_unit": "" if unit else name,
        "office": offices[0].pk if len(offices) == 1 else None,
        **dates_found(parsed),
    }
    proposal["title"] = proposal["title"][:300]
    return proposal


def earlier_import(draft: NewRoundDraft, user) -> RoundDocument | None:
    """The same file as imported into a round the user sees, if it was."""
    visible = InspectionRound.objects.visible_to(user)
    return (
        RoundDocument.objects.filter(sha256=draft.sha256, round__in=visible)
        .select_related("round")
        .first()
    )


def confirm_new_round_import(
    draft: NewRoundDraft, rows: list[dict], round_fields: dict, *, by, force: bool = False
) -> ImportResult:
    """Set up the round (and its unit, if new) as the user checked it, and import the checked
    outline into it: all at once or nothing. `round_fields` are create_round's, which decides
    whether `by` may. A file imported into another round before is refused unless `force`."""
    with transaction.atomic():
        locked = NewRoundDraft.objects.select_for_update(of=("self",)).get(pk=draft.pk)
        if locked.status != NewRoundDraft.Status.OPEN:
            raise Refused("该草稿已处理。", f"new round draft {locked.pk} is {locked.status}")
        earlier = None if force else earlier_import(locked, by)
        if earlier is not None:
            raise Refused(
                f"该文件已于 {earlier.uploaded_at:%Y-%m-%d %H:%M} 导入轮次“{earlier.round}”，"
                "未重复导入。如确需再次导入，请勾选“仍然导入”。",
                f"{locked.original_name} was imported into round {earlier.round_id} already",
            )
        document = rows_to_document(locked, rows)
        round = create_round(by=by, **round_fields)
        with locked.file.open("rb") as handle:
            result = import_document(
                document, round, by=by, upload=File(handle, name=locked.original_name)
            )
        locked.status = NewRoundDraft.Status.IMPORTED
        locked.round = round
        locked.save(update_fields=["status", "round"])
    return result
