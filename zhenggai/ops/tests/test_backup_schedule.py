"""The worker's daily backup: queued once a day after ZHENGGAI_BACKUP_TIME when
ZHENGGAI_BACKUP_DIR is set, named zhenggai-YYYYMMDD-HHMMSS.tar, keeping the last
ZHENGGAI_BACKUP_KEEP archives and touching nothing else in the directory."""

import os
import time
from datetime import datetime

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from zhenggai.lib.backup import latest_backup, rotate, verify_archive
from zhenggai.supervision import tasks
from zhenggai.supervision.schedule import queue_due_tasks


def local(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


def test_rotation_keeps_the_last_archives_and_nothing_else_is_touched(tmp_path):
    archives = [f"zhenggai-2026010{day}-020000.tar" for day in range(1, 6)]
    others = ["notes.txt", "zhenggai-latest.tar", "zhenggai-20260101-0200.tar", "x.tar.gz"]
    for name in [*archives, *others]:
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "zhenggai-20260106-020000.tar.gz").write_bytes(b"x")
    stale = tmp_path / ".zhenggai-20260101-020000.tar.partial-41"
    fresh = tmp_path / ".zhenggai-20260107-020000.tar.partial-42"
    stale.write_bytes(b"x")
    fresh.write_bytes(b"x")
    os.utime(stale, (time.time() - 2 * 86400,) * 2)

    removed = rotate(tmp_path, keep=3)

    assert sorted(removed) == sorted([*archives[:3], stale.name])
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        [*archives[3:], "zhenggai-20260106-020000.tar.gz", fresh.name, *others]
    )
    path, made = latest_backup(tmp_path)
    assert path.name == "zhenggai-20260106-020000.tar.gz"
    assert made == local(2026, 1, 6, 2, 0)


def test_no_backup_yet(tmp_path):
    assert latest_backup(tmp_path) is None
    assert latest_backup(tmp_path / "missing") is None


@pytest.fixture
def times(settings, tmp_path):
    settings.REMINDER_TIME = settings.SWEEP_TIME = "23:59"  # out of the way
    settings.BACKUP_DIR, settings.BACKUP_TIME = str(tmp_path / "backups"), "02:00"
    return timezone.localdate()


@pytest.mark.django_db
def test_the_backup_is_queued_once_a_day_after_its_time(times):
    day = times
    assert queue_due_tasks(local(day.year, day.month, day.day, 1, 59)) == []
    assert queue_due_tasks(local(day.year, day.month, day.day, 2, 0)) == ["daily_backup"]
    assert queue_due_tasks(local(day.year, day.month, day.day, 5, 0)) == []
    assert DBTaskResult.objects.filter(task_path=tasks.daily_backup.module_path).count() == 1


@pytest.mark.django_db
def test_no_backup_is_queued_without_a_backup_directory(times, settings):
    settings.BACKUP_DIR = ""
    day = times
    assert queue_due_tasks(local(day.year, day.month, day.day, 3, 0)) == []


@pytest.mark.django_db(transaction=True)  # pg_dump sees only what is committed
def test_the_daily_backup_writes_an_archive_and_keeps_the_last(world, settings, tmp_path):
    directory = tmp_path / "backups"
    directory.mkdir()
    for name in ("zhenggai-20250101-020000.tar", "zhenggai-20250102-020000.tar", "keep.me"):
        (directory / name).write_bytes(b"old")
    settings.BACKUP_DIR, settings.BACKUP_KEEP = str(directory), 2

    result = tasks.daily_backup.call()

    path, made = latest_backup(directory)
    assert result["archive"] == path.name
    assert abs((timezone.now() - made).total_seconds()) < 120
    assert result["removed"] == ["zhenggai-20250101-020000.tar"]
    assert sorted(p.name for p in directory.iterdir()) == sorted(
        ["zhenggai-20250102-020000.tar", path.name, "keep.me"]
    )
    manifest = verify_archive(path)
    assert manifest["vendor"] == connection.vendor and "auth_user" in manifest["tables"]
