"""Checking uploaded files by what they contain, never by what they are called."""

import hashlib
import zipfile
from dataclasses import dataclass

import filetype

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
_OOXML = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
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
    except zipfile.BadZipFile:
        raise UploadRefused("文件已损坏，无法识别。", "corrupt zip container") from None
    if "[Content_Types].xml" in names:
        for prefix, content_type in _OOXML.items():
            if any(name.startswith(prefix) for name in names):
                return content_type
    raise UploadRefused(
        "只接受 PDF、Word、Excel 和图片文件；该压缩文件不是 Word 或 Excel 文档。",
        "zip archive that is neither a .docx nor an .xlsx",
    )


def sniff(upload) -> str:
    """The content type the bytes of `upload` show, or raise UploadRefused."""
    upload.seek(0)
    head = upload.read(8192)
    if head.startswith(_OLE_MAGIC):
        # Legacy Office: tell Word from Excel by the stream names inside the compound file.
        upload.seek(0)
        body = upload.read(512 * 1024)
        if "Workbook".encode("utf-16-le") in body or "Book".encode("utf-16-le") in body:
            return "application/vnd.ms-excel"
        return "application/msword"
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
    return kind.mime


def check_upload(upload, max_bytes: int) -> CheckedFile:
    """Refuse empty, oversized or disallowed files; return the checked type, size and hash."""
    size = upload.size
    if size == 0:
        raise UploadRefused("文件是空的。", "empty file")
    if size > max_bytes:
        raise UploadRefused(
            f"文件超过 {max_bytes // (1024 * 1024)} MB 的大小限制。",
            f"file of {size} bytes exceeds the limit of {max_bytes}",
        )
    content_type = sniff(upload)
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(content_type=content_type, size=size, sha256=digest.hexdigest())
