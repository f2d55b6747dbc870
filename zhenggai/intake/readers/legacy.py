"""Legacy office files: Word 97–2003 (.doc) and WPS text (.wps) with a WordDocument stream, Excel
97–2003 (.xls) and WPS spreadsheets (.et) with a Workbook (or Book) stream, all Compound File
Binary. LibreOffice converts them to .docx or .xlsx, which the modern readers then read."""

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from zhenggai.intake.model import IntakeError
from zhenggai.lib import soffice

# stream → (the modern form LibreOffice writes, the legacy name a file of it goes by)
STREAMS = {"worddocument": ("docx", "doc"), "workbook": ("xlsx", "xls"), "book": ("xlsx", "xls")}
# The legacy suffixes a file of each modern form may bear (Microsoft's first, then WPS Office's).
SUFFIXES = {"docx": ("doc", "wps"), "xlsx": ("xls", "et")}


def kind_of(path: Path) -> tuple[str, str] | None:
    """(modern form, legacy name) of a Compound File holding a Word or Excel stream ("docx",
    "wps" for a WPS text file named .wps), None for any other (.ppt, .msg), IntakeError for a
    damaged one."""
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            names = {entry[0].lower() for entry in ole.listdir(streams=True, storages=False)}
    except Exception as exc:  # olefile raises many kinds on a damaged container
        raise IntakeError(f"{path}: a damaged Office 97–2003 file ({type(exc).__name__})") from None
    for stream, (modern, legacy) in STREAMS.items():
        if stream in names:
            suffix = path.suffix.lower().lstrip(".")
            return modern, suffix if suffix in SUFFIXES[modern] else legacy
    return None


@contextmanager
def converted(path: Path, workdir: Path | None, timeout: float) -> Iterator[tuple[Path, str]]:
    """(the .docx or .xlsx LibreOffice made of `path`, the legacy name: "doc", "wps", "xls" or
    "et"), made in `workdir` (kept) or a temporary folder (removed after); IntakeError saying
    why when it cannot be made."""
    kind = kind_of(path)
    if kind is None:
        raise IntakeError(
            f"{path}: not a supported document (an Office 97–2003 file that is neither Word "
            "nor Excel)"
        )
    modern, legacy = kind
    if workdir is not None:
        workdir.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="zhenggai-legacy-", dir=workdir))
    try:
        # The copy bears the suffix of what its streams hold, whatever the upload was called,
        # so that LibreOffice picks its Word or Excel filter (not, say, Works for a .wps).
        source = folder / f"source.{SUFFIXES[modern][0]}"
        shutil.copyfile(path, source)
        try:
            result = soffice.convert(source, modern, outdir=folder, timeout=timeout)
        except soffice.ConversionError as exc:
            raise IntakeError(_reason(path, legacy, exc)) from None
        finally:
            source.unlink()  # the upload is kept elsewhere; the workdir keeps what was made
        yield result, legacy
    finally:
        if workdir is None:
            shutil.rmtree(folder, ignore_errors=True)


def _reason(path: Path, legacy: str, error: soffice.ConversionError) -> str:
    if error.kind == "absent":
        return (
            f"{path}: LibreOffice is not installed: a .{legacy} file is read by converting it "
            "with LibreOffice; save it as .docx or .xlsx, or install LibreOffice"
        )
    if error.kind == "timeout":
        return f"{path}: the conversion timed out ({error}): the .{legacy} file is too large"
    return f"{path}: the conversion failed ({error}): a damaged .{legacy} file?"
