"""Readers turn a file into lines of text (documents) or rows (ledgers). Each reader is a small
module with `read(path) -> list[str]`; the registry picks one by what the file's bytes show."""

import zipfile
from pathlib import Path

from zhenggai.intake.model import IntakeError
from zhenggai.intake.readers import docx, pdf, text, xlsx

MAX_BYTES = 50 * 1024 * 1024
MAX_UNZIPPED = 300 * 1024 * 1024

# (name, test on the first bytes and the name, reader)
REGISTRY = [
    ("pdf", lambda head, name: head.startswith(b"%PDF"), pdf.read),
    ("docx", lambda head, name: head.startswith(b"PK") and zip_holds(name, "word/"), docx.read),
    ("xlsx", lambda head, name: head.startswith(b"PK") and zip_holds(name, "xl/"), xlsx.read),
    ("text", lambda head, name: text.looks_like_text(head), text.read),
]


def zip_holds(path: str, prefix: str) -> bool:
    """Whether the zip at `path` is a sound archive with a part under `prefix`, and not a bomb."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except Exception as exc:  # BadZipFile, NotImplementedError (odd versions), EOFError, …
        raise IntakeError(f"{path}: a damaged zip container ({exc})") from None
    total = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos) or 1
    if len(infos) > 5000 or total > MAX_UNZIPPED or total / packed > 200:
        raise IntakeError(f"{path}: expands to {total} bytes from {packed}: refused as a zip bomb")
    return any(info.filename.startswith(prefix) for info in infos)


def read(path: str | Path) -> tuple[str, list]:
    """(format, lines or rows) of the file at `path`, or IntakeError saying why not."""
    path = Path(path)
    if not path.is_file():
        raise IntakeError(f"{path}: no such file")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise IntakeError(f"{path}: {size} bytes is larger than the {MAX_BYTES} byte limit")
    with path.open("rb") as handle:
        head = handle.read(4096)
    for name, matches, reader in REGISTRY:
        if matches(head, str(path)):
            return name, reader(path)
    raise IntakeError(f"{path}: not a supported document (text, .docx, .pdf or .xlsx)")
