"""LibreOffice headless conversions (Word to PDF for the reports, .doc/.xls to .docx/.xlsx for the
importer), with no Django: the importer, which never imports Django, uses it too.

Each conversion runs in a user profile of its own, so that conversions running at once do not
share (and lock) one, and in a process group of its own, so that one that overruns is killed
with the soffice.bin it started."""

import logging
import os
import shutil
import signal

# Bandit: LibreOffice, a fixed program without a shell.
import subprocess  # nosec B404
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)


class ConversionError(Exception):
    """A conversion that did not happen; `kind` says why ("absent", "timeout" or "failed") and
    the message, in English, says more."""

    def __init__(self, kind: str, reason: str):
        super().__init__(reason)
        self.kind = kind


def find(configured: str | None = None) -> str | None:
    """The LibreOffice program: `configured` (a path or a name on PATH), else the environment's
    ZHENGGAI_SOFFICE, else soffice or libreoffice on PATH; None when there is none."""
    if configured is None:
        configured = os.environ.get("ZHENGGAI_SOFFICE", "")
    if configured:
        return configured if Path(configured).exists() else shutil.which(configured)
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(
    source: Path,
    to: str,
    *,
    outdir: Path,
    timeout: float,
    program: str | None = None,
    env: dict[str, str] | None = None,
) -> Path:
    """`source` converted by LibreOffice to the format `to` ("pdf", "docx", "xlsx") in `outdir`,
    within `timeout` seconds; the path of the result, or ConversionError."""
    program = program or find()
    if program is None:
        raise ConversionError("absent", "LibreOffice (soffice) is not installed")
    outdir.mkdir(parents=True, exist_ok=True)
    profile = Path(tempfile.mkdtemp(prefix="soffice-profile-", dir=outdir))
    try:
        command = [
            program,
            f"-env:UserInstallation={profile.absolute().as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            to,
            "--outdir",
            str(outdir),
            str(source),
        ]
        _run(command, timeout, {**os.environ, **(env or {})})
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    result = outdir / f"{source.stem}.{to.split(':')[0]}"
    if not result.exists():
        # soffice exits 0 when it cannot load the file: it only says so on its output.
        raise ConversionError("failed", f"LibreOffice wrote no .{to} (the file did not load)")
    return result


def _run(command: list[str], timeout: float, env: dict[str, str]) -> None:
    try:
        # Bandit: fixed arguments, no shell.
        process = subprocess.Popen(  # nosec B603
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
            env=env,
        )
    except OSError as exc:
        raise ConversionError("failed", f"LibreOffice did not start: {exc}") from None
    try:
        _, errors = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # soffice starts soffice.bin: kill them all
        process.communicate()
        raise ConversionError("timeout", f"LibreOffice timed out after {timeout:g} s") from None
    if process.returncode != 0:
        log.warning("LibreOffice failed (%s): %s", process.returncode, errors[-500:])
        raise ConversionError("failed", f"LibreOffice exited {process.returncode}")
