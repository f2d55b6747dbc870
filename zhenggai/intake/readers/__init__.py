"""Readers turn a file into a `Source`: lines of text (documents), sheets of rows (workbooks),
the tables a document holds, and the pages OCR read. Each reader is a small module with
`read(path, context) -> Source`; the registry picks one by what the file's bytes show."""

import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from zhenggai.intake.model import IntakeError, SourcePage
from zhenggai.intake.readers import docx, legacy, ocr, pdf, text, xlsx

MAX_BYTES = 50 * 1024 * 1024
MAX_UNZIPPED = 300 * 1024 * 1024
# python-docx holds a Word part's whole XML in memory (an Excel sheet is streamed): a part may
# not be larger, nor expand more than Word's own XML ever does (5 to 30 times).
MAX_WORD_PART = 48 * 1024 * 1024
MAX_WORD_RATIO = 100

# The readers a document can come from, as ParsedDocument.reader names them.
READERS = ("text", "docx", "docx_table", "pdf", "ocr_pdf", "ocr_image", "xlsx")


DEFAULT_TIMEOUT = 600.0


@dataclass
class Context:
    """What a reader may use beyond the file: `progress(done, total)` to report pages read, a
    folder to keep what it makes (converted files, page images; None: a temporary one, removed
    after), and the seconds reading may take: LibreOffice's conversion, or OCR of every page
    (about 3 s a page on two cores, so the default lets the longest scan taken, 100 pages, in)."""

    progress: Callable[[int, int], None] | None = None
    workdir: Path | None = None
    timeout: float = DEFAULT_TIMEOUT

    def report(self, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(done, total)


@dataclass
class Source:
    """What a reader read. `reader` is one of READERS."""

    reader: str
    lines: list[str] = field(default_factory=list)
    sheets: list[tuple[str, list[list[str]]]] = field(default_factory=list)  # (name, rows)
    tables: list[list[list[str]]] = field(default_factory=list)  # a document's tables: rows
    table_lines: list[tuple[int, int]] = field(default_factory=list)  # each table's in `lines`
    pages: list[SourcePage] = field(default_factory=list)
    converted_from: str | None = None


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
    for info in infos:
        size, ratio = info.file_size, info.file_size / max(info.compress_size, 1)
        if info.filename.startswith("word/") and (
            size > MAX_WORD_PART or (size > 2**20 and ratio > MAX_WORD_RATIO)
        ):
            raise IntakeError(
                f"{path}: {info.filename} expands to {size} bytes from {info.compress_size}:"
                " refused as a zip bomb"
            )
    return any(info.filename.startswith(prefix) for info in infos)


def _docx(path: Path, context: Context) -> Source:
    word = docx.read(path)
    return Source("docx", lines=word.lines, tables=word.tables, table_lines=word.table_lines)


def _pdf(path: Path, context: Context) -> Source:
    lines = pdf.read(path) if pdf.has_text(path) else []
    if any(line.strip() for line in lines):
        return Source("pdf", lines=lines)
    lines, pages = ocr.read_pdf(path, context)  # a scan: pages of images, no text layer
    return Source("ocr_pdf", lines=lines, pages=pages)


def _image(path: Path, context: Context) -> Source:
    lines, pages = ocr.read_image(path, context)
    return Source("ocr_image", lines=lines, pages=pages)


def _xlsx(path: Path, context: Context) -> Source:
    return Source("xlsx", sheets=xlsx.read(path))


def _legacy(path: Path, context: Context) -> Source:
    """.doc, .wps, .xls, .et: converted by LibreOffice, then read as .docx or .xlsx."""
    with legacy.converted(path, context.workdir, context.timeout) as (modern, name):
        source = (_docx if modern.suffix == ".docx" else _xlsx)(modern, context)
    source.converted_from = name
    return source


def _text(path: Path, context: Context) -> Source:
    return Source("text", lines=text.read(path))


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .wps, .xls, .et (Compound File Binary)
IMAGES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")  # PNG, JPEG


def needs_background(path: str | Path) -> bool:
    """Whether reading the file takes an outside program or OCR (seconds to minutes), so that
    the web reads it in the background rather than in the request."""
    with Path(path).open("rb") as handle:
        head = handle.read(16)
    if head.startswith(OLE) or head.startswith(IMAGES):
        return True
    return head.startswith(b"%PDF") and not pdf.has_text(Path(path))


# (name, test on the first bytes and the name, reader)
REGISTRY = [
    ("pdf", lambda head, name: head.startswith(b"%PDF"), _pdf),
    ("image", lambda head, name: head.startswith(IMAGES), _image),
    ("docx", lambda head, name: head.startswith(b"PK") and zip_holds(name, "word/"), _docx),
    ("xlsx", lambda head, name: head.startswith(b"PK") and zip_holds(name, "xl/"), _xlsx),
    ("legacy", lambda head, name: head.startswith(OLE), _legacy),
    ("text", lambda head, name: text.looks_like_text(head), _text),
]


def read(path: str | Path, context: Context | None = None) -> Source:
    """What the file at `path` holds, or IntakeError saying why it cannot be read."""
    path = Path(path)
    context = context or Context()
    if not path.is_file():
        raise IntakeError(f"{path}: no such file")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise IntakeError(f"{path}: {size} bytes is larger than the {MAX_BYTES} byte limit")
    with path.open("rb") as handle:
        head = handle.read(4096)
    for _name, matches, reader in REGISTRY:
        if matches(head, str(path)):
            return reader(path, context)
    raise IntakeError(
        f"{path}: not a supported document (text, .docx, .pdf, .xlsx, a JPG or PNG scan, "
        ".doc, .wps, .xls or .et)"
    )
