"""What work cut short leaves behind (a SIGKILL, a crash, a power cut), swept away once a day.

- Temporary directories: exports and PDF conversions work under `temp_dir()` (inside the data
  directory, not the system's), so what a killed process left is found here.
- Stored files that no row refers to: a file is stored before its row is written (so a row never
  points at nothing); a process killed between the two leaves the file alone. On local disk or
  in an S3 store alike (`lib/storage.stored_files`).
- LibreOffice processes that outlived the conversion that started them.

- What an app registers (`register`): the page images of import drafts no one needs any more.

Only what is older than `age` is touched: work in progress is younger. Nothing here knows the
apps: stored files are matched against every model's file fields through Django's registry,
and an app's own leftovers are swept by the function it registers.
"""

import logging
import os
import shutil
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models

from zhenggai.lib.storage import stored_files

log = logging.getLogger(__name__)

DAY = 24 * 3600
BATCH = 500


# An app's sweeper: given the time now and the age, removes what it knows is left over and
# returns its names.
_sweepers: dict[str, Callable[[float, float], list[str]]] = {}


def register(name: str, sweeper: Callable[[float, float], list[str]]) -> None:
    """Have the daily sweep run `sweeper` too (from an app's ready())."""
    _sweepers[name] = sweeper


def temp_dir() -> Path:
    """Where exports and conversions keep their temporary files."""
    path = Path(settings.DATA_DIR) / "tmp"
    path.mkdir(parents=True, exist_ok=True)
    return path


@dataclass
class Swept:
    temp_dirs: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    processes: list[int] = field(default_factory=list)
    others: dict[str, list[str]] = field(default_factory=dict)


def sweep(*, age: float = DAY, now: float | None = None) -> Swept:
    now = time.time() if now is None else now
    swept = Swept()
    for entry in temp_dir().iterdir():
        if now - entry.lstat().st_mtime > age:
            shutil.rmtree(entry, ignore_errors=True) if entry.is_dir() else entry.unlink()
            swept.temp_dirs.append(entry.name)
    old = [name for name, mtime in stored_files() if now - mtime > age]
    for start in range(0, len(old), BATCH):
        batch = old[start : start + BATCH]
        for name in set(batch) - _referenced(batch):
            default_storage.delete(name)
            swept.files.append(name)
    swept.processes = _stray_conversions(now, age=min(age, 2 * settings.SOFFICE_TIMEOUT))
    for name, sweeper in _sweepers.items():
        swept.others[name] = sweeper(now, age)
        if swept.others[name]:
            log.info("swept %d %s", len(swept.others[name]), name)
    if swept.temp_dirs or swept.files or swept.processes:
        log.info(
            "swept %d temporary entries, %d orphaned files, %d stray conversions",
            len(swept.temp_dirs),
            len(swept.files),
            len(swept.processes),
        )
    return swept


def _file_fields():
    for model in apps.get_models():
        for model_field in model._meta.concrete_fields:
            if isinstance(model_field, models.FileField):
                yield model, model_field.name


def _referenced(names: list[str]) -> set[str]:
    found = set()
    for model, name in _file_fields():
        rows = model._base_manager.filter(  # every row, whatever a manager hides
            **{f"{name}__in": names}
        )
        found.update(rows.values_list(name, flat=True))
    return found


def _start_time(proc: Path) -> float:
    """When a process started, from /proc: clock ticks after boot, and the boot time."""
    after_name = (proc / "stat").read_text().rsplit(")", 1)[1].split()
    ticks = int(after_name[19])  # field 22 of proc(5), counting from the state (field 3)
    boot = next(
        int(line.split()[1])
        for line in Path("/proc/stat").read_text().splitlines()
        if line.startswith("btime ")
    )
    return boot + ticks / os.sysconf("SC_CLK_TCK")


def _stray_conversions(now: float, *, age: float) -> list[int]:
    """LibreOffice processes working in our temporary directory for longer than any conversion
    may take (they outlived the request that started them): killed."""
    marker = f"UserInstallation=file://{temp_dir()}".encode()
    killed = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if marker not in (proc / "cmdline").read_bytes():
                continue
            started = _start_time(proc)
        except (OSError, ValueError, IndexError):
            continue
        if now - started > age:
            try:
                os.kill(int(proc.name), signal.SIGKILL)
                killed.append(int(proc.name))
            except OSError:
                pass
    return killed
