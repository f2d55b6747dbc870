"""Reading a scan or a legacy file in the background: the upload keeps a draft being read and
queues the worker's task; the task writes its progress, opens the draft with its outline or
records why it cannot, within its time limit, once; the page polls, says when the reading is
late, and the person may give the draft up. Page images are served only to those who may see
the draft's preview.

The task's own logic is tested with a reader that reports pages as OCR does (so that progress,
the time limit and a discard in mid-reading can be timed); the real readers are read in
test_import_ocr.py."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from PIL import Image

from zhenggai.intake import IntakeError, parse_lines
from zhenggai.intake.model import SourceLine, SourcePage
from zhenggai.ledger import import_background
from zhenggai.ledger.import_background import pages_dir, read_draft
from zhenggai.ledger.models import ImportDraft
from zhenggai.lib import samples
from zhenggai.rounds.models import NewRoundDraft
from zhenggai.testing import grant, make_user

LINES = [
    "关于巡察反馈意见整改情况的通报",
    "一、存在的问题",
    "（一）理论学习不够深入。",
    "整改情况：每月集中学习一次。",
    "（二）财务报销审核把关不严。",
    "整改情况：复查2023年以来报销凭证。",
]
# What OCR read of the page, and how sure it was: the second problem's measure is doubtful.
OCR_LINES = [(line, 0.98) for line in LINES[:5]] + [(LINES[5], 0.52)]


class Reader:
    """Stands in for parse_file: reports `pages` pages read as OCR does, writing each page's
    image into the work folder, then returns the outline of LINES (or raises `error`)."""

    def __init__(self, pages=3, error=None, during=None):
        self.pages, self.error, self.during = pages, error, during
        self.seen: list[tuple[int, int, int]] = []  # (done, total, pages_done stored)
        self.timeout = None

    def __call__(self, path, *, progress, workdir, timeout):
        self.timeout = timeout
        (Path(workdir) / "converted").mkdir()  # what a conversion leaves (a .docx of a .doc)
        (Path(workdir) / "converted" / "source.docx").write_bytes(b"PK")
        pages = []
        for number in range(1, self.pages + 1):
            image = Path(workdir) / f"page-{number}.png"
            Image.new("L", (40, 60), 240).save(image)
            progress(number, self.pages)
            stored = ImportDraft.objects.values_list("pages_done", flat=True).first()
            self.seen.append((number, self.pages, stored))
            if self.during:
                self.during(number)
            lines = [SourceLine(t, c, low=c < 0.8) for t, c in OCR_LINES] if number == 1 else []
            pages.append(SourcePage(number, lines, image=str(image)))
        if self.error:
            raise self.error
        document = parse_lines(LINES, str(path))
        document.reader, document.pages = "ocr_image", pages
        return document


@pytest.fixture
def reader(monkeypatch):
    def use(**kwargs):
        fake = Reader(**kwargs)
        monkeypatch.setattr(import_background, "parse_file", fake)
        return fake

    return use


def upload_scan(client, world, name="扫描件.png"):
    return client.post(
        reverse("import_upload", args=[world.round.pk]),
        {"file": SimpleUploadedFile(name, samples.png())},
    )


def test_a_scan_is_kept_as_a_draft_being_read_and_queued(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.inspector)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload_scan(client, world)
    draft = ImportDraft.objects.get()
    assert response["Location"] == reverse("import_preview", args=[world.round.pk, draft.pk])
    assert draft.status == ImportDraft.Status.READING and Path(draft.file.path).is_file()
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "zhenggai.ledger.tasks.read_import_draft"
    assert queued.args_kwargs["args"] == ["import", draft.pk]
    body = client.get(response["Location"]).content.decode()
    assert "正在识别文件" in body and "正在等待后台识别" in body
    assert reverse("import_progress", args=[world.round.pk, draft.pk]) in body  # polled
    assert 'hx-trigger="every 2s"' in body


def test_the_task_writes_progress_and_opens_the_draft(client, world, reader):
    client.force_login(world.inspector)
    upload_scan(client, world)
    draft = ImportDraft.objects.get()
    fake = reader(pages=3)
    assert read_draft("import", draft.pk) == {"draft": f"import-{draft.pk}", "read": True}
    # Each page's progress was in the database while the next page was being read.
    assert fake.seen == [(1, 3, 1), (2, 3, 2), (3, 3, 3)]
    draft.refresh_from_db()
    assert draft.status == ImportDraft.Status.OPEN
    assert (draft.pages_done, draft.pages_total) == (3, 3)
    assert [p["title"] for p in draft.parsed["problems"]] == [
        "理论学习不够深入",
        "财务报销审核把关不严",
    ]
    # Page images are named inside the draft's own folder, not by where the data folder is.
    assert [p["image"] for p in draft.parsed["pages"]] == ["page-1.png", "page-2.png", "page-3.png"]
    assert (pages_dir(draft) / "page-1.png").is_file()
    assert sorted(p.name for p in pages_dir(draft).iterdir()) == [
        "page-1.png",
        "page-2.png",
        "page-3.png",
    ]
    assert draft.parsed["file"] == "扫描件.png"


def test_the_daily_sweep_leaves_page_images_alone(world, reader):
    import os
    import time

    from zhenggai.lib.sweep import sweep

    draft = _reading_draft(world)
    reader(pages=1)
    read_draft("import", draft.pk)
    image = pages_dir(draft) / "page-1.png"
    old = time.time() - 3 * 24 * 3600
    os.utime(image, (old, old))
    sweep()
    assert image.is_file()


def test_the_progress_partial_counts_pages_and_reloads_once_read(client, world, reader):
    client.force_login(world.inspector)
    upload_scan(client, world)
    draft = ImportDraft.objects.get()
    url = reverse("import_progress", args=[world.round.pk, draft.pk])
    ImportDraft.objects.filter(pk=draft.pk).update(
        pages_done=2, pages_total=10, reading_started_at=timezone.now()
    )
    partial = client.get(url)
    assert "正在识别第 <b>3/10</b> 页" in partial.content.decode()
    assert "HX-Refresh" not in partial
    ImportDraft.objects.filter(pk=draft.pk).update(reading_started_at=None)
    reader(pages=1)
    read_draft("import", draft.pk)
    done = client.get(url)
    assert done["HX-Refresh"] == "true"
    page = client.get(reverse("import_preview", args=[world.round.pk, draft.pk]))
    assert "共识别出 <b>2</b> 个问题" in page.content.decode()


def test_an_unreadable_file_fails_with_the_reason_in_chinese(
    client, world, reader, django_capture_on_commit_callbacks
):
    client.force_login(world.inspector)
    upload_scan(client, world)
    draft = ImportDraft.objects.get()
    reader(pages=2, error=IntakeError("scan.png: a damaged image"))
    with django_capture_on_commit_callbacks(execute=True):
        assert read_draft("import", draft.pk)["read"] is False
    draft.refresh_from_db()
    assert draft.status == ImportDraft.Status.FAILED
    assert draft.failure == "无法识别“扫描件.png”的内容：文件已损坏。"
    assert not Path(draft.file.path).exists() and not pages_dir(draft).exists()
    page = client.get(reverse("import_preview", args=[world.round.pk, draft.pk]))
    body = page.content.decode()
    assert "无法识别文件" in body and "文件已损坏" in body
    assert reverse("import_upload", args=[world.round.pk]) in body and "重新上传" in body


def test_a_file_without_problems_fails_too(world, monkeypatch):
    draft = _reading_draft(world)
    monkeypatch.setattr(
        import_background, "parse_file", lambda path, **kw: parse_lines(["没有问题的通知"], path)
    )
    read_draft("import", draft.pk)
    draft.refresh_from_db()
    assert draft.status == ImportDraft.Status.FAILED
    assert draft.failure == "“扫描件.png”中没有识别出问题，请检查文件内容。"


def test_a_reader_bug_fails_the_draft_rather_than_leaving_it_reading(world, reader):
    draft = _reading_draft(world)
    reader(pages=1, error=ZeroDivisionError("bug"))
    read_draft("import", draft.pk)
    draft.refresh_from_db()
    assert draft.status == ImportDraft.Status.FAILED and "系统管理员" in draft.failure


def test_the_time_limit_stops_the_reading(world, reader, settings):
    settings.IMPORT_READ_SECONDS = 0
    draft = _reading_draft(world)
    fake = reader(pages=5)
    read_draft("import", draft.pk)
    draft.refresh_from_db()
    assert fake.timeout == 0  # the limit is the readers' own timeout (LibreOffice) as well
    assert draft.status == ImportDraft.Status.FAILED
    assert draft.failure.startswith("识别超时：超过 0 秒仍未读完")


def test_the_limit_is_a_setting(settings, world, reader):
    settings.IMPORT_READ_SECONDS = 42
    draft = _reading_draft(world)
    fake = reader(pages=1)
    read_draft("import", draft.pk)
    assert fake.timeout == 42


def test_a_second_task_does_nothing(world, reader):
    draft = _reading_draft(world)
    first = reader(pages=2)
    assert read_draft("import", draft.pk)["read"] is True
    parsed = ImportDraft.objects.get(pk=draft.pk).parsed
    again = reader(pages=2)
    assert read_draft("import", draft.pk) == {"draft": f"import-{draft.pk}", "read": False}
    assert again.seen == [] and first.seen
    assert ImportDraft.objects.get(pk=draft.pk).parsed == parsed


def test_a_task_on_a_draft_another_is_reading_does_nothing(world, reader):
    draft = _reading_draft(world)
    ImportDraft.objects.filter(pk=draft.pk).update(reading_started_at=timezone.now())
    fake = reader(pages=1)
    assert read_draft("import", draft.pk)["read"] is False
    assert fake.seen == []
    assert ImportDraft.objects.get(pk=draft.pk).status == ImportDraft.Status.READING


def test_a_task_takes_over_a_reading_that_died(world, reader, settings):
    draft = _reading_draft(world)
    long_ago = timezone.now() - timedelta(seconds=settings.IMPORT_READ_SECONDS + 120)
    ImportDraft.objects.filter(pk=draft.pk).update(reading_started_at=long_ago, pages_done=4)
    folder = pages_dir(draft)
    folder.mkdir(parents=True)
    (folder / "left-over.png").write_bytes(b"half")
    reader(pages=1)
    assert read_draft("import", draft.pk)["read"] is True
    assert not (folder / "left-over.png").exists()
    assert ImportDraft.objects.get(pk=draft.pk).status == ImportDraft.Status.OPEN


def test_a_draft_discarded_while_read_stops_at_the_next_page(
    world, reader, django_capture_on_commit_callbacks
):
    draft = _reading_draft(world)

    def discard_after_first(number):
        if number == 1:
            import_background.discard_draft(
                ImportDraft.objects.get(pk=draft.pk), by=world.inspector
            )

    fake = reader(pages=3, during=discard_after_first)
    with django_capture_on_commit_callbacks(execute=True):
        read_draft("import", draft.pk)
    assert [seen[0] for seen in fake.seen] == [1]
    draft.refresh_from_db()
    assert draft.status == ImportDraft.Status.DISCARDED and draft.failure == ""
    assert not pages_dir(draft).exists()


def test_a_late_reading_says_so_and_can_be_discarded(
    client, world, settings, django_capture_on_commit_callbacks
):
    draft = _reading_draft(world)
    late = timezone.now() - timedelta(seconds=settings.IMPORT_READ_SECONDS + 61)
    ImportDraft.objects.filter(pk=draft.pk).update(created_at=late)
    client.force_login(world.inspector)
    url = reverse("import_preview", args=[world.round.pk, draft.pk])
    body = client.get(url).content.decode()
    assert "后台识别服务未运行或超时" in body and 'hx-trigger="every 10s"' in body
    assert "会自动重新识别，多次仍未完成的会提示无法识别" in body  # import_retries does so
    discard = reverse("import_discard", args=[world.round.pk, draft.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(discard, {"confirm": "1"})
    assert response["Location"] == reverse("import_upload", args=[world.round.pk])
    draft.refresh_from_db()
    assert draft.status == ImportDraft.Status.DISCARDED
    assert not Path(draft.file.path).exists()
    assert client.post(discard, {"confirm": "1"}).status_code == 302  # handled: its page says so
    assert ImportDraft.objects.get(pk=draft.pk).status == ImportDraft.Status.DISCARDED
    body = client.get(url).content.decode()
    assert "已放弃的导入" in body and "该草稿已放弃，未导入任何问题" in body


def test_a_recent_reading_is_not_late(client, world):
    draft = _reading_draft(world)
    client.force_login(world.inspector)
    body = client.get(reverse("import_preview", args=[world.round.pk, draft.pk])).content
    assert "后台识别服务未运行" not in body.decode()


def test_without_a_worker_nothing_is_lost(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.inspector)
    with django_capture_on_commit_callbacks(execute=True):
        upload_scan(client, world)
    draft = ImportDraft.objects.get()
    upload_page = client.get(reverse("import_upload", args=[world.round.pk])).content.decode()
    assert (
        "尚未完成的导入" in upload_page and "扫描件.png" in upload_page and "识别中" in upload_page
    )
    assert Path(draft.file.path).is_file() and DBTaskResult.objects.get().status == "READY"


def test_page_images_only_for_those_who_see_the_preview(client, world, reader):
    draft = _reading_draft(world)
    reader(pages=2)
    read_draft("import", draft.pk)
    url = reverse("import_page_image", args=[world.round.pk, draft.pk, 1])
    client.force_login(world.inspector)
    image = client.get(url)
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert "private" in image["Cache-Control"] and image["X-Content-Type-Options"] == "nosniff"
    assert b"".join(image.streaming_content).startswith(b"\x89PNG")
    assert (
        client.get(reverse("import_page_image", args=[world.round.pk, draft.pk, 9])).status_code
        == 404
    )
    other_round = reverse("import_page_image", args=[world.outside_round.pk, draft.pk, 1])
    assert client.get(other_round).status_code == 404
    client.force_login(world.staff)  # of the unit, but may not import: as if it were missing
    assert client.get(url).status_code == 404
    client.force_login(world.outsider)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_a_page_image_named_outside_its_folder_is_not_served(client, world, reader):
    draft = _reading_draft(world)
    reader(pages=1)
    read_draft("import", draft.pk)
    secret = pages_dir(draft).parent.parent / "secret.png"  # where "../../" leads
    Image.new("L", (4, 4)).save(secret)
    parsed = ImportDraft.objects.get(pk=draft.pk).parsed
    parsed["pages"][0]["image"] = "../../secret.png"
    ImportDraft.objects.filter(pk=draft.pk).update(parsed=parsed)
    client.force_login(world.inspector)
    url = reverse("import_page_image", args=[world.round.pk, draft.pk, 1])
    assert client.get(url).status_code == 404


def test_those_who_may_not_import_reach_no_reading_page(client, world):
    draft = _reading_draft(world)
    args = [world.round.pk, draft.pk]
    for who, status in ((world.staff, 404), (world.leader, 404), (world.outsider, 404)):
        client.force_login(who)
        assert client.get(reverse("import_preview", args=args)).status_code == status
        assert client.get(reverse("import_progress", args=args)).status_code == status
        assert client.post(reverse("import_discard", args=args)).status_code == status
    assert ImportDraft.objects.get(pk=draft.pk).status == ImportDraft.Status.READING


def test_a_new_round_draft_is_read_the_same_way(client, world, reader):
    client.force_login(world.inspector)
    response = client.post(
        reverse("round_import_upload"), {"file": SimpleUploadedFile("通报.png", samples.png())}
    )
    draft = NewRoundDraft.objects.get()
    assert response["Location"] == reverse("round_import_preview", args=[draft.pk])
    assert draft.status == NewRoundDraft.Status.READING
    assert "正在识别文件" in client.get(response["Location"]).content.decode()
    progress = reverse("round_import_progress", args=[draft.pk])
    assert client.get(progress).status_code == 200
    reader(pages=2)
    assert read_draft("new_round", draft.pk)["read"] is True
    assert client.get(progress)["HX-Refresh"] == "true"
    page = client.get(response["Location"]).content.decode()
    assert "核对新轮次和导入内容" in page and "OCR识别（图片），共 2 页，1 行置信度低" in page
    image = reverse("round_import_page_image", args=[draft.pk, 1])
    assert client.get(image).status_code == 200
    other = make_user("other_inspector")
    grant(other, world.office, "inspection_office")
    client.force_login(other)  # an office too, but the draft is not theirs
    for url in (response["Location"], progress, image):
        assert client.get(url).status_code == 404
    assert client.post(reverse("round_import_discard", args=[draft.pk])).status_code == 404
    client.force_login(world.inspector)
    client.post(reverse("round_import_discard", args=[draft.pk]), {"confirm": "1"})
    assert NewRoundDraft.objects.get().status == NewRoundDraft.Status.DISCARDED


def test_the_preview_marks_rows_and_lines_ocr_doubted(client, world, reader):
    draft = _reading_draft(world)
    reader(pages=2)
    read_draft("import", draft.pk)
    client.force_login(world.inspector)
    page = client.get(reverse("import_preview", args=[world.round.pk, draft.pk]))
    body = page.content.decode()
    marks = [getattr(form, "low_lines", None) for form in page.context["formset"]]
    assert marks == [[], ["整改情况：复查2023年以来报销凭证。"]]
    assert body.count('class="ocr-low" title="OCR置信度低，请核对"') == 1
    assert (
        '<li class="low" title="OCR置信度低，请核对">整改情况：复查2023年以来报销凭证。</li>'
        in body
    )
    assert "识别方式：</b>OCR识别（图片），共 2 页，1 行置信度低，请核对标黄的文字" in body
    assert reverse("import_page_image", args=[world.round.pk, draft.pk, 2]) in body
    assert "放弃该草稿" in body


def test_a_corrected_line_is_no_longer_marked(client, world, reader):
    draft = _reading_draft(world)
    reader(pages=1)
    read_draft("import", draft.pk)
    client.force_login(world.inspector)
    url = reverse("import_preview", args=[world.round.pk, draft.pk])
    page = client.get(url)
    from zhenggai.ledger.tests.test_import_flow import rows_from

    data = rows_from(page.context)
    data["form-1-measures"] = "复查2023年以来的报销凭证"
    data["goto"] = "1"
    assert client.post(url, data).status_code == 302
    again = client.get(url)
    assert [form.low_lines for form in again.context["formset"]] == [[], []]


def _reading_draft(world) -> ImportDraft:
    """A scan uploaded into the world's round, waiting for the worker."""
    from zhenggai.ledger.imports import start_import

    return start_import(
        world.round, SimpleUploadedFile("扫描件.png", samples.png()), by=world.inspector
    )


def test_page_images_go_once_the_draft_is_imported(
    client, world, reader, django_capture_on_commit_callbacks
):
    from zhenggai.ledger.tests.test_import_flow import rows_from

    draft = _reading_draft(world)
    reader(pages=2)
    read_draft("import", draft.pk)
    assert pages_dir(draft).is_dir()
    client.force_login(world.inspector)
    url = reverse("import_preview", args=[world.round.pk, draft.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, rows_from(client.get(url).context)).status_code == 302
    assert ImportDraft.objects.get(pk=draft.pk).status == ImportDraft.Status.IMPORTED
    assert not pages_dir(draft).exists()


def _age_reading(draft, seconds_past_limit=120):
    """Make `draft` look taken by a task that died: started long before its limit ran out."""
    from django.conf import settings

    started = timezone.now() - timedelta(seconds=settings.IMPORT_READ_SECONDS + seconds_past_limit)
    ImportDraft.objects.filter(pk=draft.pk).update(reading_started_at=started, created_at=started)


def draft_started(settings):
    return timezone.now() - timedelta(seconds=settings.IMPORT_READ_SECONDS + 120)


def _queued_readings(draft) -> list[str]:
    return list(
        DBTaskResult.objects.filter(
            task_path="zhenggai.ledger.tasks.read_import_draft",
            args_kwargs__args=["import", draft.pk],
        ).values_list("status", flat=True)
    )


def test_the_worker_queues_a_reading_again_once_its_task_died(world, reader, settings):
    from zhenggai.supervision.schedule import queue_due_tasks

    draft = _reading_draft(world)
    _age_reading(draft)
    ImportDraft.objects.filter(pk=draft.pk).update(reading_attempts=1)
    # A task that died mid-reading stays RUNNING for ever: it does not stop a second one.
    from zhenggai.ledger.tasks import read_import_draft

    dead = DBTaskResult.objects.get(pk=read_import_draft.enqueue("import", draft.pk).id)
    dead.status, dead.started_at = "RUNNING", draft_started(settings)
    dead.save()
    assert f"read_import_draft import {draft.pk}" in queue_due_tasks()
    assert sorted(_queued_readings(draft)) == ["READY", "RUNNING"]
    assert f"read_import_draft import {draft.pk}" not in queue_due_tasks()  # the READY one waits
    DBTaskResult.objects.exclude(pk=dead.pk).delete()
    reader(pages=1)
    assert read_draft("import", draft.pk)["read"] is True
    draft.refresh_from_db()
    assert draft.status == ImportDraft.Status.OPEN and draft.reading_attempts == 2


def test_a_reading_on_time_or_queued_is_not_queued_again(world):
    from zhenggai.ledger.import_retries import requeue_late_readings

    on_time = _reading_draft(world)
    ImportDraft.objects.filter(pk=on_time.pk).update(reading_started_at=timezone.now())
    waiting = _reading_draft(world)
    _age_reading(waiting)
    from zhenggai.ledger.tasks import read_import_draft

    read_import_draft.enqueue("import", waiting.pk)
    assert requeue_late_readings() == []
    assert _queued_readings(on_time) == [] and _queued_readings(waiting) == ["READY"]


def test_a_file_that_kills_the_worker_fails_after_two_readings(
    world, reader, django_capture_on_commit_callbacks
):
    from zhenggai.ledger.import_retries import MAX_READINGS, requeue_late_readings

    draft = _reading_draft(world)
    reader(pages=1, during=lambda number: (_ for _ in ()).throw(SystemExit))  # the worker dies
    for attempt in range(1, MAX_READINGS + 1):
        DBTaskResult.objects.all().delete()
        with pytest.raises(SystemExit):
            read_draft("import", draft.pk)
        assert ImportDraft.objects.get(pk=draft.pk).reading_attempts == attempt
        _age_reading(draft)
        with django_capture_on_commit_callbacks(execute=True):
            queued = requeue_late_readings()
        if attempt < MAX_READINGS:
            assert queued == [f"read_import_draft import {draft.pk}"]
    assert queued == [f"gave up reading import {draft.pk}"] and _queued_readings(draft) == []
    draft.refresh_from_db()
    assert draft.status == ImportDraft.Status.FAILED
    assert draft.failure == "多次识别未能完成，文件可能过大或已损坏，请拆分或改用文字版后重新上传。"
    assert not Path(draft.file.path).exists() and not pages_dir(draft).exists()


def test_a_new_round_draft_is_queued_again_too(world, settings):
    from zhenggai.ledger.import_retries import requeue_late_readings

    draft = NewRoundDraft.objects.create(
        file=SimpleUploadedFile("扫描件.png", samples.png()),
        original_name="扫描件.png",
        parsed={},
        status=NewRoundDraft.Status.READING,
        created_by=world.inspector,
    )
    long_ago = timezone.now() - timedelta(seconds=settings.IMPORT_READ_SECONDS + 120)
    NewRoundDraft.objects.filter(pk=draft.pk).update(created_at=long_ago)
    assert requeue_late_readings() == [f"read_import_draft new_round {draft.pk}"]


def test_a_discard_between_pages_leaves_no_page_folder(
    world, reader, django_capture_on_commit_callbacks
):
    draft = _reading_draft(world)

    def discard_while_next_page_is_kept(number):
        if number == 1:
            with django_capture_on_commit_callbacks(execute=True):  # its request commits
                import_background.discard_draft(
                    ImportDraft.objects.get(pk=draft.pk), by=world.inspector
                )
            assert not pages_dir(draft).exists()
            pages_dir(draft).mkdir(parents=True)  # the reader keeps page 2 (ocr._keep)

    reader(pages=3, during=discard_while_next_page_is_kept)
    read_draft("import", draft.pk)  # the discard is committed: the task removes it at once
    assert ImportDraft.objects.get(pk=draft.pk).status == ImportDraft.Status.DISCARDED
    assert not pages_dir(draft).exists()


def test_the_daily_sweep_removes_page_folders_no_draft_needs(world, reader):
    import os
    import time

    from zhenggai.lib.sweep import sweep

    reading, discarded, failed, imported = (_reading_draft(world) for _ in range(4))
    for draft, status in (
        (discarded, ImportDraft.Status.DISCARDED),
        (failed, ImportDraft.Status.FAILED),
        (imported, ImportDraft.Status.IMPORTED),
    ):
        ImportDraft.objects.filter(pk=draft.pk).update(status=status)
    folders = [pages_dir(d) for d in (reading, discarded, failed, imported)]
    gone_draft = Path(folders[0].parent / "import-99999")
    young = Path(folders[0].parent / "new_round-99998")
    old = time.time() - 3 * 24 * 3600
    for folder in [*folders, gone_draft, young]:
        folder.mkdir(parents=True)
        (folder / "page-1.png").write_bytes(b"png")
        if folder != young:
            os.utime(folder, (old, old))
    swept = sweep()
    assert sorted(swept.others["import page folders"]) == sorted(
        f.name for f in folders[1:] + [gone_draft]
    )
    assert folders[0].is_dir() and young.is_dir()
    assert not any(f.exists() for f in folders[1:] + [gone_draft])


def test_the_read_limit_is_intakes_own_by_default(monkeypatch):
    import importlib

    import zhenggai.settings as conf
    from zhenggai.intake.readers import DEFAULT_TIMEOUT

    monkeypatch.delenv("ZHENGGAI_IMPORT_READ_SECONDS", raising=False)
    assert importlib.reload(conf).IMPORT_READ_SECONDS == DEFAULT_TIMEOUT
    readme = (Path(conf.BASE_DIR) / "README.md").read_text()
    row = next(
        line for line in readme.splitlines() if line.startswith("| `ZHENGGAI_IMPORT_READ_SECONDS`")
    )
    assert f"| `{DEFAULT_TIMEOUT:g}` |" in row
