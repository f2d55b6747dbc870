"""The first step of an import on the web: an uploaded document is checked, kept and parsed into a
draft (into a round's ledger, or to set up a new round) that its uploader checks before it is
imported. A scan (OCR) or a legacy .doc/.wps/.xls/.et (LibreOffice) takes seconds to minutes: it
is kept as a draft being read, and the worker reads it (import_background)."""

import logging

from django.conf import settings
from django.db import transaction

from zhenggai.intake import IntakeError, parse_file
from zhenggai.intake.readers import needs_background
from zhenggai.ledger import services
from zhenggai.ledger.models import ImportDraft
from zhenggai.lib.errors import NotAllowed, Refused
from zhenggai.lib.storage import local_copy
from zhenggai.lib.uploads import EXTENSIONS, UploadRefused, check_upload
from zhenggai.rounds.models import InspectionRound, NewRoundDraft
from zhenggai.rounds.services import may_create_rounds

log = logging.getLogger(__name__)

WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXCEL = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What the readers of zhenggai.intake read, by the type the file's bytes show: WPS 文字 and
# WPS 表格 files are compound files as Word 97-2003 and Excel 97-2003 ones are.
IMPORTABLE = {
    "text/plain",
    "application/pdf",
    WORD,
    EXCEL,
    "application/msword",
    "application/vnd.ms-excel",
    "image/jpeg",
    "image/png",
}
FORMATS_ZH = (
    "文本（.txt）、Word（.docx、.doc）、WPS 文字（.wps）、PDF（含扫描件）、"
    "Excel（.xlsx、.xls）、WPS 表格（.et）或 JPG、PNG 图片"
)
# The file input's hint to the browser's picker (the server still goes by the bytes).
ACCEPT = ".txt,.docx,.doc,.wps,.pdf,.xlsx,.xls,.et,.jpg,.jpeg,.png"
UPLOAD_HELP_ZH = (
    f"反馈意见、整改方案、整改报告或整改台账：{FORMATS_ZH}。"
    "扫描件、照片和 .doc、.wps、.xls、.et 文件在后台识别，需要稍等片刻。"
)
IMAGE_ZH = "只能识别 JPG 或 PNG 格式的图片，请另存为 JPG 或 PNG 后再导入。"
# Types evidence accepts that an import does not, and what to do instead.
NOT_IMPORTABLE_ZH = {"image/gif": IMAGE_ZH, "image/webp": IMAGE_ZH}
REFUSED_TYPE_ZH = f"只能导入{FORMATS_ZH}文件（按文件内容识别，不看扩展名）。"
# A legacy file is kept under the extension it was uploaded with when its bytes allow it, so
# that the reader can say it was converted from WPS (the bytes are Word's or Excel's).
LEGACY_EXTENSIONS = {
    "application/msword": (".doc", ".wps"),
    "application/vnd.ms-excel": (".xls", ".et"),
}
# Why a file could not be read (the reader's English reason) in Chinese, first match wins.
REASONS_ZH = (
    (
        "LibreOffice is not installed",
        "服务器未安装 LibreOffice，无法读取 .doc、.wps、.xls、.et 文件；请另存为 .docx 或 .xlsx 后再导入。",
    ),
    ("conversion timed out", "文件转换超时（文件可能过大），请另存为 .docx 或 .xlsx 后再导入。"),
    (
        "conversion failed",
        "文件转换失败（文件可能已损坏），请在 Word、Excel 或 WPS 中打开后另存为 .docx 或 .xlsx 再导入。",
    ),
    # Scans read by OCR (intake/readers/ocr.py).
    ("too many pages for OCR", "扫描件页数过多，超出文字识别的上限，请拆分后分批导入。"),
    (
        "too many pixels",
        "图片像素过多（可能是异常文件），已拒绝；请以 300 dpi 以下的分辨率重新扫描。",
    ),
    ("too many drawing objects", "PDF 页面内容异常复杂，无法识别，已拒绝。"),
    ("OCR took longer than", "文字识别超时，已停止；请拆分文件后分批导入，或提供 Word、文本版本。"),
    ("OCR found no text", "这份扫描件中没有识别出文字，请检查文件，或提供 Word、文本版本。"),
    (
        "OCR is not available",
        "服务器的文字识别组件无法加载，暂时不能识别扫描件和照片；请联系系统管理员，或提供 Word、文本版本。",
    ),
    ("zip bomb", "文件解压后异常庞大，已拒绝。"),
    ("too many lines", "文件行数过多，超出单次导入的上限，请拆分后分批导入。"),
    ("too many rows", "表格行数过多，超出单次导入的上限，请拆分后分批导入。"),
    ("too many problems", "文件中的问题过多，超出单次导入的上限，请拆分后分批导入。"),
    ("not a supported document", f"不是能识别的格式：只能导入{FORMATS_ZH}文件。"),
    ("damaged", "文件已损坏。"),
    ("no header row", "Excel 中没有找到“序号、问题、整改措施”等表头。"),
    ("neither UTF-8", "文本编码无法识别（支持 UTF-8、UTF-16、GB18030/GBK）。"),
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
        message = NOT_IMPORTABLE_ZH.get(info.content_type, REFUSED_TYPE_ZH)
        raise Refused(f"“{upload.name}”：{message}", f"{upload.name}: {info.content_type}")
    return info


def require_may_import(by, round: InspectionRound) -> None:
    if not services.may_enter_problems(by, round):
        raise NotAllowed(
            "您没有权限向该轮次导入问题。", f"{by} may not import into round {round.pk}"
        )


def start_import(round: InspectionRound, upload, *, by) -> ImportDraft:
    """Keep an uploaded document and its parsed outline as a draft for the user to check."""
    require_may_import(by, round)
    info = check_import_upload(upload)
    draft = ImportDraft(
        round=round, original_name=upload.name[:255], sha256=info.sha256, created_by=by, parsed={}
    )
    return _keep(draft, upload, info)


def start_new_round_import(upload, *, by) -> NewRoundDraft:
    """Keep a document to set up a new round from, and its parsed outline, as a draft for its
    uploader (an inspection office) to check."""
    if not may_create_rounds(by):
        raise NotAllowed("只有巡察机构（巡察办）可以设立巡察轮次。", f"{by} may not set up rounds")
    info = check_import_upload(upload)
    draft = NewRoundDraft(
        original_name=upload.name[:255], sha256=info.sha256, created_by=by, parsed={}
    )
    return _keep(draft, upload, info)


def _keep(draft, upload, info):
    """Store the upload with `draft` and parse it, or leave it to the worker when reading it
    takes long; a file that cannot be read in the request is not kept. No transaction is open
    while it parses: on SQLite one would hold the write lock."""
    name = f"{info.sha256[:16]}{extension_of(upload.name, info.content_type)}"
    draft.file.save(name, upload, save=False)
    try:
        with local_copy(draft.file) as path:  # a temporary copy when the store is S3
            background = _read_in_background(path)
            document = None if background else _parsed(path, upload.name)
    except BaseException:
        draft.file.delete(save=False)
        raise
    if background:
        draft.status = type(draft).Status.READING
        draft.save()
        queue_reading(draft)
        return draft
    draft.parsed = as_draft_json(document, draft.original_name)
    draft.save()
    return draft


def extension_of(name: str, content_type: str) -> str:
    """The extension a kept file gets: the one its content shows (a legacy file's own, if it
    was uploaded as one of its family: a .wps stays a .wps)."""
    family = LEGACY_EXTENSIONS.get(content_type, ())
    given = next((ext for ext in family if name.lower().endswith(ext)), None)
    return given or EXTENSIONS.get(content_type, "")


def _read_in_background(path: str) -> bool:
    try:
        return needs_background(path)
    except (OSError, IntakeError):  # unreadable: the request's own reading says why
        return False


def queue_reading(draft: ImportDraft | NewRoundDraft) -> None:
    """Ask the worker to read `draft`, once the draft is saved for good."""
    from zhenggai.ledger.tasks import read_import_draft  # the task module imports this one

    kind = draft_kind(draft)
    transaction.on_commit(lambda: read_import_draft.enqueue(kind, draft.pk))
    log.info("queued reading of %s %s", kind, draft.pk)


def draft_kind(draft: ImportDraft | NewRoundDraft) -> str:
    """The name a task gives a draft's model: "import" (into a round) or "new_round"."""
    return "new_round" if isinstance(draft, NewRoundDraft) else "import"


def as_draft_json(document, name: str) -> dict:
    """A parsed document as a draft keeps it, under the name it was uploaded by."""
    document.file = name  # not where it is kept
    return document.as_json()


def _parsed(path: str, name: str):
    """The document parsed from `path`, or Refused saying in Chinese why it cannot be
    imported: unreadable, without problems, or with more than one import takes."""
    try:
        document = parse_file(path)
    except IntakeError as exc:
        raise unreadable(name, exc) from None
    return checked_document(document, name)


def unreadable(name: str, exc: IntakeError) -> Refused:
    return Refused(f"无法识别“{name}”的内容：{_reason_zh(str(exc))}", str(exc))


def checked_document(document, name: str):
    """`document`, or Refused when it holds no problems or more than one import takes."""
    if not document.problems:
        raise Refused(f"“{name}”中没有识别出问题，请检查文件内容。", "no problems found")
    if len(document.problems) > settings.IMPORT_MAX_PROBLEMS:
        raise Refused(
            f"“{name}”中识别出 {len(document.problems)} 个问题，超过单次导入上限"
            f" {settings.IMPORT_MAX_PROBLEMS} 个。请将文件拆分后分批导入。",
            f"{len(document.problems)} problems exceed IMPORT_MAX_PROBLEMS",
        )
    return document


def _reason_zh(reason: str) -> str:
    for english, chinese in REASONS_ZH:
        if english in reason:
            return chinese
    return "文件无法读取。"


def lock_open(draft: ImportDraft | NewRoundDraft) -> ImportDraft | NewRoundDraft:
    """`draft` read again and locked for the transaction, or Refused once it was handled."""
    model = type(draft)
    locked = model.objects.select_for_update(of=("self",)).get(pk=draft.pk)
    if locked.status != model.Status.OPEN:
        raise Refused("该草稿已处理。", f"{model._meta.model_name} {locked.pk} is {locked.status}")
    return locked


def unfinished_drafts(user, round: InspectionRound | None = None, limit: int = 20) -> list:
    """The drafts still to be read or checked: a round's (for those who may import into it),
    or the user's own drafts of new rounds; newest first."""
    if round is not None:
        drafts = ImportDraft.objects.filter(round=round)
        statuses = ImportDraft.Status
    else:
        drafts = NewRoundDraft.objects.filter(created_by=user)
        statuses = NewRoundDraft.Status
    waiting = (statuses.READING, statuses.OPEN)
    drafts = drafts.filter(status__in=waiting).select_related("created_by")
    return list(drafts.order_by("-created_at")[:limit])
