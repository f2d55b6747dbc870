"""Word papers as PDF, through LibreOffice headless where it is installed (lib.soffice: a profile
of its own per conversion, killed with all it started when it overruns SOFFICE_TIMEOUT).

At most PDF_CONCURRENCY conversions run at once on this machine (lib.slots). The fonts the papers
name (GB/T 9704's) are matched to the server's by `fonts.conf`, shipped beside this module. What
cannot be made is refused in Chinese (`PdfRefused`, a Refused): the person is told to take the
Word file instead.
"""

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

from zhenggai.lib import soffice as lib_soffice
from zhenggai.lib.errors import Refused
from zhenggai.lib.slots import Busy, slot
from zhenggai.lib.sweep import temp_dir

FONTS = Path(__file__).with_name("fonts.conf")
NO_PDF = "服务器未安装 LibreOffice，无法生成 PDF；请下载 Word 版本，在本机另存为 PDF。"
PDF_FAILED = "生成 PDF 失败，请下载 Word 版本。"
PDF_TIMEOUT = "生成 PDF 超时，请稍后重试或下载 Word 版本。"
PDF_BUSY = "服务器正在生成其他 PDF，请稍后再试，或下载 Word 版本。"
MESSAGES = {"absent": NO_PDF, "timeout": PDF_TIMEOUT, "failed": PDF_FAILED}


class PdfRefused(Refused):
    """A PDF that cannot be made; `message` is Chinese, for the interface."""


def soffice() -> str | None:
    """The LibreOffice program (settings.SOFFICE, else one on PATH), or None."""
    return lib_soffice.find(settings.SOFFICE or "")


def available() -> bool:
    """Whether PDFs can be offered at all on this server."""
    return soffice() is not None


def to_pdf(docx: bytes) -> bytes:
    """The Word document `docx` as PDF; PdfRefused, in Chinese, when it cannot be made."""
    program = soffice()
    if program is None:
        raise PdfRefused(NO_PDF, "LibreOffice (soffice) is not installed")
    with pdf_slot(), tempfile.TemporaryDirectory(prefix="zhenggai-pdf-", dir=temp_dir()) as work:
        source = Path(work) / "document.docx"
        source.write_bytes(docx)
        try:
            result = lib_soffice.convert(
                source,
                "pdf",
                outdir=Path(work),
                timeout=settings.SOFFICE_TIMEOUT,
                program=program,
                env={"FONTCONFIG_FILE": str(FONTS)},
            )
        except lib_soffice.ConversionError as exc:
            raise PdfRefused(MESSAGES.get(exc.kind, PDF_FAILED), str(exc)) from None
        return result.read_bytes()


@contextmanager
def pdf_slot() -> Iterator[None]:
    """One of PDF_CONCURRENCY conversions on this machine at once; PdfRefused when all are
    taken."""
    try:
        with slot("pdf", settings.PDF_CONCURRENCY):
            yield
    except Busy:
        raise PdfRefused(PDF_BUSY, "every PDF slot is busy") from None
