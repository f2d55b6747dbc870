"""A confirmed progress import of more rows than PROGRESS_IMPORT_INLINE_ROWS is applied by the
worker: confirming marks it APPLYING and queues the task; the page polls and says 正在导入, then
shows the outcome; the task applies it in one transaction as the uploader who confirmed it,
rights checked again; a failure puts it back to 待确认 with the reason in Chinese and nothing
applied; a task that died is queued again, and given up after MAX_APPLIES. Up to the threshold,
the request applies it as before."""

from datetime import date, timedelta
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from zhenggai.ledger import progress_background, progress_import
from zhenggai.ledger.models import Event, Measure, Problem, ProgressReport
from zhenggai.ledger.models.progress_imports import ProgressImport
from zhenggai.ledger.progress_background import MAX_APPLIES, apply_queued
from zhenggai.ledger.tests.test_progress_import import download, fill, key
from zhenggai.orgs.models import Membership
from zhenggai.testing import make_world

TASK = "zhenggai.ledger.tasks.apply_progress_import_task"
APPLYING = ProgressImport.Status.APPLYING


def _preview(world, measures=3):
    """The section's upload of a progress text, a percentage and a rule on `measures` measures."""
    problem = world.problem(measures=measures, approve=True)
    edits = {
        key(m): {"整改进展": f"第{n}项已完成调研", "完成进度（%）": 40 + n, "新建制度（项）": 1}
        for n, m in enumerate(problem.measures.order_by("position"))
    }
    filled = SimpleUploadedFile("大表.xlsx", fill(download(world, world.staff), edits))
    return progress_import.start_progress_import(world.round, filled, by=world.staff)


def _nothing_applied(imp):
    assert ProgressReport.objects.count() == 0
    assert not Event.objects.filter(note__contains="进度填报表").exists()
    assert set(Measure.objects.values_list("rules_made", flat=True)) == {0}
    assert set(Measure.objects.values_list("percent", flat=True)) == {0}


def _queued(imp) -> list[str]:
    return list(
        DBTaskResult.objects.filter(task_path=TASK, args_kwargs__args=[imp.pk]).values_list(
            "status", flat=True
        )
    )


@pytest.fixture
def small_threshold(settings):
    settings.PROGRESS_IMPORT_INLINE_ROWS = 2


def test_a_big_import_is_queued_polled_then_applied_by_the_task(
    world, client, small_threshold, django_capture_on_commit_callbacks
):
    imp = _preview(world)
    client.force_login(world.staff)
    detail = reverse("progress_import_detail", args=[imp.pk])
    assert "确认后在后台导入" in client.get(detail).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("progress_import_confirm", args=[imp.pk]), follow=True)
    imp.refresh_from_db()
    assert imp.status == APPLYING and imp.outcome["applying"]["by"] == world.staff.pk
    assert _queued(imp) == ["READY"]
    _nothing_applied(imp)
    body = response.content.decode()
    assert "3 行正在后台导入" in body and "正在导入" in body
    status = reverse("progress_import_status", args=[imp.pk])
    assert status in body and 'hx-trigger="every 2s"' in body
    assert "确认导入</button>" not in body and "放弃导入</button>" not in body
    # Neither discarded nor confirmed a second time meanwhile.
    client.post(reverse("progress_import_discard", args=[imp.pk]))
    client.post(reverse("progress_import_confirm", args=[imp.pk]))
    assert ProgressImport.objects.get(pk=imp.pk).status == APPLYING
    polled = client.get(status)
    assert "正在导入" in polled.content.decode() and "HX-Refresh" not in polled

    assert apply_queued(imp.pk)["applied"] is True

    imp.refresh_from_db()
    assert imp.status == ProgressImport.Status.APPLIED and imp.decided_at is not None
    assert imp.outcome["applied"]["apply"] == 9 and "applying" not in imp.outcome
    assert ProgressReport.objects.filter(created_by=world.staff).count() == 3
    assert set(Measure.objects.values_list("percent", flat=True)) == {40, 41, 42}
    assert Problem.objects.get().percent == 41  # refreshed at the end of the task
    assert client.get(status)["HX-Refresh"] == "true"
    page = client.get(detail).content.decode()
    assert "已导入：下表为确认时逐项核对后的结果" in page
    assert apply_queued(imp.pk) == {"import": imp.pk, "applied": False}  # a second run: nothing
    assert ProgressReport.objects.count() == 3


def test_up_to_the_threshold_the_request_applies_it(
    world, client, settings, django_capture_on_commit_callbacks
):
    settings.PROGRESS_IMPORT_INLINE_ROWS = 3
    imp = _preview(world)
    client.force_login(world.staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("progress_import_confirm", args=[imp.pk]))
    assert ProgressImport.objects.get(pk=imp.pk).status == ProgressImport.Status.APPLIED
    assert DBTaskResult.objects.count() == 0 and ProgressReport.objects.count() == 3


def test_the_task_checks_the_uploaders_right_again(world, client, small_threshold):
    imp = _preview(world)
    progress_background.queue_apply(imp, by=world.staff)
    Membership.objects.filter(user=world.staff).delete()  # left the section meanwhile
    result = apply_queued(imp.pk)
    assert result["applied"] is False
    imp.refresh_from_db()
    assert imp.status == ProgressImport.Status.PREVIEW
    assert imp.outcome["failure"] == "您没有权限导入本轮次的整改进度。"
    _nothing_applied(imp)


def test_a_failure_midway_applies_nothing_and_says_why(world, client, settings, small_threshold):
    imp = _preview(world)
    progress_background.queue_apply(imp, by=world.staff)
    real = progress_import.report_progress
    calls = []

    def third_fails(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise ValueError("disk full")
        return real(*args, **kwargs)

    with mock.patch.object(progress_import, "report_progress", third_fails):
        assert apply_queued(imp.pk)["reason"] == "ValueError('disk full')"
    imp.refresh_from_db()
    assert imp.status == ProgressImport.Status.PREVIEW
    assert imp.outcome["failure"] == progress_background.FAILED_ZH
    _nothing_applied(imp)  # the first two rows' reports and changes were rolled back
    client.force_login(world.staff)
    page = client.get(reverse("progress_import_detail", args=[imp.pk])).content.decode()
    assert "上次确认未能导入，未做任何修改" in page and progress_background.FAILED_ZH in page
    assert "确认导入</button>" in page  # confirmed again, it is applied
    settings.PROGRESS_IMPORT_INLINE_ROWS = 10
    client.post(reverse("progress_import_confirm", args=[imp.pk]))
    imp.refresh_from_db()
    assert imp.status == ProgressImport.Status.APPLIED and "failure" not in imp.outcome
    assert ProgressReport.objects.count() == 3


def _started(imp, ago: timedelta):
    started = (timezone.now() - ago).isoformat()
    applying = {**imp.outcome["applying"], "started_at": started}
    ProgressImport.objects.filter(pk=imp.pk).update(outcome={**imp.outcome, "applying": applying})


def test_a_task_on_an_import_a_live_task_applies_does_nothing(world, small_threshold):
    imp = _preview(world)
    imp = progress_background.queue_apply(imp, by=world.staff)
    _started(imp, timedelta(seconds=5))
    assert apply_queued(imp.pk) == {"import": imp.pk, "applied": False}
    assert ProgressImport.objects.get(pk=imp.pk).status == APPLYING
    _nothing_applied(imp)


def test_without_a_worker_the_page_says_so(world, client, small_threshold):
    imp = progress_background.queue_apply(_preview(world), by=world.staff)
    client.force_login(world.staff)
    status = reverse("progress_import_status", args=[imp.pk])
    assert "后台导入服务未运行" not in client.get(status).content.decode()
    queued = (timezone.now() - progress_background.GRACE - timedelta(seconds=5)).isoformat()
    applying = {**imp.outcome["applying"], "queued_at": queued}
    ProgressImport.objects.filter(pk=imp.pk).update(outcome={**imp.outcome, "applying": applying})
    body = client.get(status).content.decode()
    assert "后台导入服务未运行或超时" in body and 'hx-trigger="every 10s"' in body


def test_a_task_that_died_is_queued_again_and_given_up_after_two(
    world, client, small_threshold, django_capture_on_commit_callbacks
):
    from zhenggai.supervision.schedule import queue_due_tasks

    imp = progress_background.queue_apply(_preview(world), by=world.staff)
    limit = progress_background.time_limit(imp)
    for attempt in range(1, MAX_APPLIES + 1):
        DBTaskResult.objects.all().delete()
        # A task took it and died (the worker killed): it stays RUNNING, started long ago.
        with mock.patch.object(progress_import, "_apply_rows", side_effect=SystemExit):
            with pytest.raises(SystemExit):
                apply_queued(imp.pk)
        imp.refresh_from_db()
        assert imp.status == APPLYING and imp.outcome["applying"]["attempts"] == attempt
        _started(imp, limit + timedelta(seconds=5))
        queued = queue_due_tasks()
        if attempt < MAX_APPLIES:
            assert f"apply_progress_import_task {imp.pk}" in queued
            assert _queued(imp) == ["READY"]
            assert f"apply_progress_import_task {imp.pk}" not in queue_due_tasks()  # it waits
    assert f"gave up applying progress import {imp.pk}" in queued
    imp.refresh_from_db()
    assert imp.status == ProgressImport.Status.PREVIEW
    assert imp.outcome["failure"] == progress_background.GAVE_UP_ZH
    _nothing_applied(imp)


@pytest.mark.django_db(transaction=True)
def test_the_worker_applies_a_confirmed_import(client, settings):
    # transaction=True: the task is queued once the confirmation is committed, as in use.
    settings.PROGRESS_IMPORT_INLINE_ROWS = 1
    world = make_world()
    imp = _preview(world, measures=2)
    client.force_login(world.staff)
    client.post(reverse("progress_import_confirm", args=[imp.pk]))
    assert ProgressImport.objects.get(pk=imp.pk).status == APPLYING
    call_command("worker", "--once", stdout=open("/dev/null", "w"))
    imp.refresh_from_db()
    assert imp.status == ProgressImport.Status.APPLIED
    assert imp.outcome["applied"]["apply"] == 6
    report = ProgressReport.objects.order_by("id").first()
    assert report.created_by == world.staff and report.text == "第0项已完成调研"
    measure = Measure.objects.order_by("position").first()
    assert measure.rules_made == 1 and measure.completed_on is None
    assert Problem.objects.get().due_date == date(2030, 1, 1)


def test_the_poll_reads_no_rows_and_few_queries(
    world, client, small_threshold, django_assert_max_num_queries
):
    imp = progress_background.queue_apply(_preview(world), by=world.staff)
    client.force_login(world.staff)
    status = reverse("progress_import_status", args=[imp.pk])
    with django_assert_max_num_queries(5) as captured:
        assert client.get(status).status_code == 200
    assert not any('"rows"' in q["sql"].split("FROM")[0] for q in captured.captured_queries)
