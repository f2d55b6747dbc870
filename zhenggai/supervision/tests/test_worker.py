from datetime import date, datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from zhenggai.ledger import services
from zhenggai.supervision.models import Notification, Preference, ReminderRun
from zhenggai.supervision.schedule import queue_due_tasks


def local(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


@pytest.fixture
def late_item(world, settings):
    settings.EMAIL_ENABLED = True
    settings.REMINDER_TIME = "08:30"
    world.staff.email = "staff@example.cn"
    world.staff.save()
    problem = world.problem("逾期的问题", deadline=date(2020, 1, 1), approve=True)
    measure = world.measure(problem)
    services.update_measure(
        measure, by=world.leader, base_version=measure.version, owner=world.staff
    )
    return world


def test_the_day_run_is_queued_once_after_the_reminder_time(late_item, settings):
    settings.SWEEP_TIME = "23:59"  # out of the way: the sweep has its own test
    day = timezone.localdate()
    assert queue_due_tasks(local(day.year, day.month, day.day, 8, 0)) == []
    assert queue_due_tasks(local(day.year, day.month, day.day, 8, 30)) == [f"run_reminders {day}"]
    assert queue_due_tasks(local(day.year, day.month, day.day, 9, 0)) == []
    assert DBTaskResult.objects.count() == 1


def test_the_sweep_is_queued_once_a_day_after_its_time(late_item, settings):
    settings.SWEEP_TIME, settings.REMINDER_TIME = "03:00", "23:59"
    day = timezone.localdate()
    assert queue_due_tasks(local(day.year, day.month, day.day, 2, 59)) == []
    assert queue_due_tasks(local(day.year, day.month, day.day, 3, 0)) == ["sweep_leftovers"]
    assert queue_due_tasks(local(day.year, day.month, day.day, 4, 0)) == []


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_once_across_restarts(late_item, settings):
    # transaction=True: the worker closes connections between checks, as in production.
    settings.REMINDER_TIME = "00:00"
    settings.SWEEP_TIME = "00:00"  # else, run before that hour, no sweep is queued
    today = timezone.localdate()
    Preference.objects.create(user=late_item.staff, quiet_on_rest_days=False)
    call_command("worker", "--once", stdout=open("/dev/null", "w"))
    call_command("worker", "--once", stdout=open("/dev/null", "w"))
    assert ReminderRun.objects.filter(run_date=today, finished_at__isnull=False).exists()
    assert len(mail.outbox) == 1
    assert Notification.objects.get().status == Notification.Status.SENT
    # The second start found the day's run (and sweep) finished and queued nothing more.
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 2


def test_due_retries_are_queued(late_item):
    run = ReminderRun.objects.create(run_date=date(2026, 11, 23))
    Notification.objects.create(
        unit=late_item.unit,
        run=run,
        recipient=late_item.staff,
        kind="email",
        key="k",
        subject="s",
        body="b",
        status=Notification.Status.RETRYING,
        next_attempt_at=local(2026, 11, 23, 6, 59),  # a fixed time: the test must not age
    )
    assert "send_retries" in queue_due_tasks(local(2026, 11, 23, 7, 0))
    assert "send_retries" not in queue_due_tasks(local(2026, 11, 23, 7, 1))
