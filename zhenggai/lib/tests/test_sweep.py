"""The daily sweep removes what work cut short left behind, and nothing else."""

import os
import subprocess
import sys
import time

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from zhenggai.ledger import services
from zhenggai.lib import samples
from zhenggai.lib.sweep import DAY, sweep, temp_dir


def _age(path, seconds):
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_old_temporary_directories_go_and_young_ones_stay(db):
    old, young = temp_dir() / "zhenggai-export-old", temp_dir() / "zhenggai-pdf-young"
    (old / "profile").mkdir(parents=True)
    young.mkdir()
    _age(old, 2 * DAY)
    swept = sweep()
    assert not old.exists() and young.exists()
    assert swept.temp_dirs == ["zhenggai-export-old"]


def test_stored_files_without_a_row_go_once_they_are_a_day_old(world):
    problem = world.problem(approve=True)
    report = services.report_progress(
        problem, by=world.staff, text="进展", files=[SimpleUploadedFile("纪要.pdf", samples.pdf())]
    )
    kept = report.evidence.get().file.name
    orphan = default_storage.save("imports/2026/11/killed-mid-import.txt", ContentFile(b"x"))
    fresh = default_storage.save("imports/2026/12/being-imported.txt", ContentFile(b"x"))
    for name in (kept, orphan):
        _age(default_storage.path(name), 2 * DAY)
    swept = sweep()
    assert swept.files == [orphan]
    assert default_storage.exists(kept) and default_storage.exists(fresh)
    assert not default_storage.exists(orphan)


def test_a_conversion_that_outlived_its_request_is_killed(db, settings):
    settings.SOFFICE_TIMEOUT = 1
    marker = f"-env:UserInstallation=file://{temp_dir()}/zhenggai-pdf-x/profile"
    stray = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", marker])
    other = subprocess.Popen(["sleep", "60"])
    try:
        killed = []
        for _ in range(60):  # until it is older than two timeouts (a loaded machine starts slowly)
            time.sleep(0.25)
            killed += sweep().processes
            if stray.pid in killed:
                break
        assert stray.pid in killed and other.pid not in killed
        assert stray.wait(timeout=5) == -9 and other.poll() is None
    finally:
        stray.kill()
        other.kill()
