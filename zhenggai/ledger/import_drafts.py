"""The first step of an import on the web: an uploaded document is checked, kept and parsed into a
draft (into a round's ledger, or to set up a new round) that its uploader checks before it is
imported."""

from django.conf import settings

from zhenggai.intake import IntakeError, parse_file
from zhenggai.ledger import services
from zhenggai.ledger.models import ImportDraft
from zhenggai.lib.errors import NotAllowed, Refused
from zhenggai.lib.uploads import EXTENSIONS, UploadRefused, check_upload
from zhenggai.rounds.models import InspectionRound, NewRoundDraft
from zhenggai.rounds.services import may_create_rounds

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
# Why a file could not be read (the reader's English reason) in Chinese, first match wins.
REASONS_ZH = (
    (
        "OCR is not supported",
        "这是扫描件（没有文字层），暂不支持文字识别，请提供 Word 或文本版本。",
    ),
    ("zip bomb", "文件解压后异常庞大，已拒绝。"),
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
        message = NOT_IMPORTABLE_ZH.get(info.content_type, IMAGE_ZH)
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
    return _keep_parsed(draft, upload, info)


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
    """Store the upload with `draft` and parse it; a file that cannot be read is not kept.
    No transaction is open while it parses: on SQLite one would hold the write lock."""
    draft.file.save(
        f"{info.sha256[:16]}{EXTENSIONS.get(info.content_type, '')}", upload, save=False
    )
    try:
        document = _parsed(draft.file.path, upload.name)
    except BaseException:
        draft.file.delete(save=False)
        raise
    document.file = draft.original_name  # the name it was uploaded by, not where it is kept
    draft.parsed = document.as_json()
    draft.save()
    return draft


def _parsed(path: str, name: str):
    """The document parsed from `path`, or Refused saying in Chinese why it cannot be
    imported: unreadable, without problems, or with more than one import takes."""
    try:
        document = parse_file(path)
    except IntakeError as exc:
        raise Refused(f"无法识别“{name}”的内容：{_reason_zh(str(exc))}", str(exc)) from None
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
