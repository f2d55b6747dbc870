"""The worker's heartbeat, and what `zhenggai doctor` says of it and of the task queue."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from zhenggai.ops import doctor
from zhenggai.supervision import heartbeat


@pytest.fixture(autouse=True)
def no_heartbeat(db):
    """The cache table outlives the tests that flush the database: start without a beat."""
    cache.delete(heartbeat.KEY)


def check(name: str, now=None) -> doctor.Result:
    (found,) = [r for r in doctor.check_worker(now) if r.check == name]
    return found


@pytest.mark.django_db(transaction=True)
def test_each_check_of_the_worker_writes_its_heartbeat(settings):
    settings.REMINDER_TIME = settings.SWEEP_TIME = "23:59"
    assert heartbeat.last_beat() is None
    before = timezone.now()
    call_command("worker", "--once", "--interval", "7", stdout=open("/dev/null", "w"))
    beat = heartbeat.last_beat()
    assert beat is not None and before <= beat.at <= timezone.now()
    assert beat.interval == 7 and len(beat.worker) == 32
    assert check("heartbeat").status == doctor.OK


@pytest.mark.django_db
def test_no_heartbeat_fails_with_the_service_to_look_at():
    result = check("heartbeat")
    assert result.status == doctor.FAIL and "systemctl status zhenggai-worker" in result.hint


@pytest.mark.django_db
def test_a_silent_worker_warns_then_fails_after_ten_minutes():
    now = timezone.now()
    heartbeat.beat("w" * 32, 30, now=now - timedelta(seconds=60))
    assert check("heartbeat", now).status == doctor.OK
    heartbeat.beat("w" * 32, 30, now=now - timedelta(minutes=5))
    assert check("heartbeat", now).status == doctor.WARN
    heartbeat.beat("w" * 32, 30, now=now - timedelta(minutes=11))
    result = check("heartbeat", now)
    assert result.status == doctor.FAIL and "11 分钟" in result.message


@pytest.mark.django_db
def test_a_worker_checking_rarely_is_given_its_own_interval():
    now = timezone.now()
    heartbeat.beat("w" * 32, 300, now=now - timedelta(minutes=12))
    assert check("heartbeat", now).status == doctor.OK


@pytest.mark.django_db
def test_an_unreadable_heartbeat_counts_as_none():
    cache.set(heartbeat.KEY, {"at": "yesterday"})
    assert heartbeat.last_beat() is None


def task(status: str, **fields) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="zhenggai.supervision.tasks.run_reminders",
        backend_name="default",
        run_after=fields.pop("run_after", get_date_max()),
        **fields,
    )


@pytest.mark.django_db
def test_tasks_failed_in_the_last_day_warn():
    now = timezone.now()
    task(TaskResultStatus.FAILED, finished_at=now - timedelta(days=2))
    assert check("failed_tasks", now).status == doctor.OK
    task(TaskResultStatus.FAILED, finished_at=now - timedelta(hours=3))
    result = check("failed_tasks", now)
    assert result.status == doctor.WARN and "1 个" in result.message
    assert "run_reminders" in result.message


@pytest.mark.django_db
def test_tasks_waiting_long_warn():
    now = timezone.now()
    task(TaskResultStatus.READY)  # just queued
    task(TaskResultStatus.READY, run_after=now + timedelta(hours=1))  # later
    assert check("waiting_tasks", now).status == doctor.OK
    old = task(TaskResultStatus.READY)
    DBTaskResult.objects.filter(pk=old.pk).update(enqueued_at=now - timedelta(minutes=30))
    assert check("waiting_tasks", now).status == doctor.WARN
