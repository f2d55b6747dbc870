"""Checking uploaded files by what they contain, never by what they are called."""

import hashlib
import logging
import zipfile
from dataclasses import dataclass

import filetype
import olefile
import pypdfium2 as pdfium
from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from PIL import Image

from zhenggai.lib.errors import Refused

log = logging.getLogger(__name__)

# Formats an office hands in as evidence, by the type their bytes show.
ALLOWED = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG 图片",
    "image/png": "PNG 图片",
    "image/gif": "GIF 图片",
    "image/webp": "WebP 图片",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word 文档",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel 表格",
    "application/msword": "Word 97-2003 文档",
    "application/vnd.ms-excel": "Excel 97-2003 表格",
}
_OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
# The main part of an Office Open XML package, as its relationships name it.
_OOXML = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_OFFICE_DOCUMENT = "/relationships/officeDocument"
# Parts no Word or Excel file holds: a package carrying them is something else in disguise.
_EXECUTABLE = (".exe", ".dll", ".com", ".scr", ".bat", ".cmd", ".ps1", ".vbs", ".js", ".jar")
_EXECUTABLE += (".msi", ".hta", ".lnk", ".sh", ".py", ".elf", ".so", ".apk")
# Markup that a browser would run if it ever took a file for a page (a "polyglot").
_MARKUP = (b"<script", b"<html", b"<svg", b"<iframe", b"javascript:")
_IMAGE_FORMATS = {
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/gif": "GIF",
    "image/webp": "WEBP",
}
# A zip that expands beyond these is treated as a bomb, whatever it claims to be.
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_ZIP_RATIO = 100
MAX_ZIP_ENTRIES = 2000


class UploadRefused(ValueError):
    """`message` is Chinese for the interface; str(exc) is English for logs."""

    def __init__(self, message: str, reason: str):
        super().__init__(reason)
        self.message = message


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    size: int
    sha256: str


def _ooxml_type(upload) -> str:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
            total = sum(info.file_size for info in infos)
            packed = sum(info.compress_size for info in infos) or 1
            if (
                len(infos) > MAX_ZIP_ENTRIES
                or total > MAX_UNZIPPED_BYTES
                or total / packed > (MAX_ZIP_RATIO)
            ):
                raise UploadRefused(
                    "文件解压后异常庞大（疑似压缩炸弹），已拒绝。",
                    f"zip expands to {total} bytes from {packed} ({len(infos)} entries)",
                )
            names = {info.filename for info in infos}
            types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
            main = _main_part(archive, names)
    except zipfile.BadZipFile:
        raise UploadRefused("文件已损坏，无法识别。", "corrupt zip container") from None
    if any(name.lower().endswith(_EXECUTABLE) for name in names):
        raise UploadRefused(
            "文件中夹带了可执行程序或脚本，已拒绝。", "Office package carrying an executable part"
        )
    if any(name.lower().endswith("vbaproject.bin") for name in names) or b"macroEnabled" in types:
        raise UploadRefused(
            "文件含有宏代码，已拒绝。请另存为不含宏的文档后上传。", "Office document with macros"
        )
    for prefix, content_type in _OOXML.items():
        if types and main and main.startswith(prefix):
            return content_type
    raise UploadRefused(
        "只接受 PDF、Word、Excel 和图片文件；该压缩文件不是 Word 或 Excel 文档。",
        "zip archive that is neither a .docx nor an .xlsx",
    )


def _main_part(archive: zipfile.ZipFile, names: set[str]) -> str | None:
    """The package's main document (word/document.xml, xl/workbook.xml), if it has one:
    named by the package's relationships, and present."""
    if "_rels/.rels" not in names:
        return None
    try:
        root = ElementTree.fromstring(archive.read("_rels/.rels"))
    except (ElementTree.ParseError, DefusedXmlException):  # broken, or entities: not a package
        return None
    for relation in root:
        if relation.get("Type", "").endswith(_OFFICE_DOCUMENT):
            target = relation.get("Target", "").lstrip("/")
            return target if target in names else None
    return None


def _ole_type(upload) -> str:
    """Legacy Office files are compound files; so are installers and other things. Tell Word
    from Excel by the streams the file's directory lists (not by names found anywhere in its
    bytes), refuse the rest and anything carrying macros."""
    upload.seek(0)
    try:
        with olefile.OleFileIO(upload) as compound:
            streams = {"/".join(path) for path in compound.listdir(streams=True, storages=True)}
    except (OSError, ValueError, IndexError):  # olefile's ways of saying "not a compound file"
        raise UploadRefused("文件已损坏，无法识别。", "corrupt compound file") from None
    if any("VBA" in name or name.startswith("Macros") for name in streams):
        raise UploadRefused(
            "文件含有宏代码，已拒绝。请另存为不含宏的文档后上传。", "legacy Office file with macros"
        )
    if "WordDocument" in streams:
        return "application/msword"
    if "Workbook" in streams or "Book" in streams:
        return "application/vnd.ms-excel"
    raise UploadRefused(
        "只接受 PDF、Word、Excel 和图片文件；该复合文档不是 Word 或 Excel 文件。",
        "compound file that is neither a Word nor an Excel document",
    )


def _check_image(upload, content_type: str) -> None:
    """An image must decode as the format its first bytes claim (Pillow checks its structure
    and refuses decompression bombs)."""
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            found = image.format
            image.verify()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise UploadRefused("图片已损坏，无法识别。", f"{content_type} does not decode") from None
    if found != _IMAGE_FORMATS[content_type]:
        raise UploadRefused("图片已损坏，无法识别。", f"{content_type} decodes as {found}")


def _check_pdf(upload) -> None:
    """A PDF must open as one, with at least one page (PDFium, as in Chrome, parses it)."""
    upload.seek(0)
    try:
        document = pdfium.PdfDocument(upload.read())
        pages = len(document)
        document.close()
    except pdfium.PdfiumError:
        pages = 0
    if not pages:
        raise UploadRefused("PDF 文件已损坏或加密，无法打开。", "PDF does not open")


def _check_markup(upload) -> None:
    """A PDF or image whose bytes hold page markup anywhere (in UTF-8 or UTF-16) is a
    polyglot: refused. The whole file is read, in overlapping chunks (at most the size limit)."""
    marks = [m for mark in _MARKUP for m in (mark, mark.decode().encode("utf-16-le"))]
    overlap = max(len(m) for m in marks)
    upload.seek(0)
    tail = b""
    for chunk in upload.chunks():
        window = (tail + chunk).lower()
        if any(mark in window for mark in marks):
            raise UploadRefused(
                "文件中夹带了网页脚本，已拒绝。请重新导出或扫描后上传。", "file carries page markup"
            )
        tail = window[-overlap:]


def sniff(upload) -> str:
    """The content type the bytes of `upload` show, or raise UploadRefused."""
    upload.seek(0)
    head = upload.read(8192)
    if head.startswith(_OLE_MAGIC):
        return _ole_type(upload)
    if head.startswith(b"PK\x03\x04"):
        # Every zip (so every .docx and .xlsx) is opened and measured before it is trusted.
        return _ooxml_type(upload)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED:
        what = kind.mime if kind else "unknown"
        raise UploadRefused(
            "只接受 PDF、Word、Excel 和图片文件（按文件内容识别，不看扩展名）。",
            f"content type {what} is not accepted",
        )
    _check_markup(upload)
    if kind.mime in _IMAGE_FORMATS:
        _check_image(upload, kind.mime)
    if kind.mime == "application/pdf":
        _check_pdf(upload)
    return kind.mime


def _plain_text(upload) -> bool:
    """Whether the file is text in UTF-8, UTF-16 (with its BOM) or GB18030."""
    upload.seek(0)
    data = upload.read(2 * 1024 * 1024)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    if b"\x00" in data:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            data.decode(encoding)
            return True
        except UnicodeDecodeError as exc:
            if exc.start >= len(data) - 4:  # a character cut by the 2 MB probe
                return True
    return False


def check_upload(upload, max_bytes: int, *, allow_text: bool = False) -> CheckedFile:
    """Refuse empty, oversized or disallowed files; return the checked type, size and hash.
    With `allow_text`, plain text (a feedback document as .txt) is accepted too."""
    size = upload.size
    if size == 0:
        raise UploadRefused("文件是空的。", "empty file")
    if size > max_bytes:
        raise UploadRefused(
            f"文件超过 {max_bytes // (1024 * 1024)} MB 的大小限制。",
            f"file of {size} bytes exceeds the limit of {max_bytes}",
        )
    try:
        content_type = sniff(upload)
    except UploadRefused:
        if not (allow_text and _plain_text(upload)):
            raise
        content_type = "text/plain"
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(content_type=content_type, size=size, sha256=digest.hexdigest())


EXTENSIONS = {
    "text/plain": ".txt",
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/msword": ".doc",
    "application/vnd.ms-excel": ".xls",
}


def download_name(original: str, content_type: str) -> str:
    """The uploaded name with the extension its content shows ("纪要.exe" of a PDF is served as
    "纪要.exe.pdf"), so that opening a download never runs what the name pretended."""
    extension = EXTENSIONS.get(content_type, "")
    if not extension or original.lower().endswith(extension):
        return original
    if extension == ".jpg" and original.lower().endswith(".jpeg"):
        return original
    return f"{original}{extension}"


def checked_file(upload) -> CheckedFile:
    """An uploaded file checked by content and size (the evidence limit), or Refused naming it."""
    from django.conf import settings

    try:
        return check_upload(upload, settings.EVIDENCE_MAX_BYTES)
    except UploadRefused as exc:
        log.warning("upload %r refused: %s", upload.name, exc)
        raise Refused(f"“{upload.name}”：{exc.message}", f"{upload.name}: {exc}") from None


def stored_file_fields(upload, info: CheckedFile) -> dict:
    """The columns every stored file keeps (evidence and round documents alike)."""
    return {
        "original_name": upload.name[:255],
        "content_type": info.content_type,
        "size": info.size,
        "sha256": info.sha256,
    }
