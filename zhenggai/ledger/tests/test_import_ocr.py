"""The real readers behind the background import: the demo's scanned notice read by OCR (its
faint line marked in the preview, its page image served), its Word 97-2003 feedback converted
by LibreOffice, a scan without text refused in Chinese, and the worker command taking the task
from the queue."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from zhenggai.ledger.import_background import read_draft
from zhenggai.ledger.import_samples import FOLDER
from zhenggai.ledger.models import ImportDraft, Problem
from zhenggai.lib import soffice
from zhenggai.testing import make_world

SCAN = FOLDER / "扫描的整改通报.png"
LEGACY = FOLDER / "巡察反馈意见.doc"


def upload(client, round, path: Path, name: str | None = None):
    return client.post(
        reverse("import_upload", args=[round.pk]),
        {"file": SimpleUploadedFile(name or path.name, path.read_bytes())},
    )


def test_a_scanned_notice_is_read_by_ocr_and_its_doubtful_line_marked(client, world):
    client.force_login(world.inspector)
    preview = upload(client, world.round, SCAN)["Location"]
    draft = ImportDraft.objects.get()
    assert read_draft("import", draft.pk)["read"] is True
    draft.refresh_from_db()
    assert draft.parsed["reader"] == "ocr_image" and (draft.pages_done, draft.pages_total) == (1, 1)
    page = client.get(preview)
    body = page.content.decode()
    titles = [form.initial["title"] for form in page.context["formset"]]
    assert titles == [
        "理论学习不够深入",
        "服务市场主体措施落实不到位",
        "执法检查廉政风险防控不严",
        "财务报销审核把关不严",
    ]
    marked = [form.initial["title"] for form in page.context["formset"] if form.low_lines]
    assert marked == ["财务报销审核把关不严"]  # the faint measure line printed under it
    assert "OCR识别（图片），共 1 页，1 行置信度低，请核对标黄的文字" in body
    image = client.get(reverse("import_page_image", args=[world.round.pk, draft.pk, 1]))
    assert image.status_code == 200 and b"".join(image.streaming_content)[:4] == b"\x89PNG"


@pytest.mark.skipif(soffice.find() is None, reason="LibreOffice is not installed")
def test_a_word_97_2003_file_is_converted_and_says_so(client, world):
    client.force_login(world.inspector)
    preview = upload(client, world.round, LEGACY)["Location"]
    draft = ImportDraft.objects.get()
    assert draft.file.name.endswith(".doc")
    read_draft("import", draft.pk)
    body = client.get(preview).content.decode()
    assert "由 Word 97-2003 文档（.doc）转换后按Word文档的标题层次识别" in body
    assert "统计数据质量管控不够严格" in body


@pytest.mark.skipif(soffice.find() is None, reason="LibreOffice is not installed")
def test_a_wps_file_is_named_as_one(client, world):
    client.force_login(world.inspector)
    preview = upload(client, world.round, LEGACY, name="反馈意见.wps")["Location"]
    read_draft("import", ImportDraft.objects.get().pk)
    assert "由 WPS 文字（.wps）转换后" in client.get(preview).content.decode()


def test_a_scan_without_text_fails_in_chinese(client, world, django_capture_on_commit_callbacks):
    from zhenggai.intake.tests.test_readers import BLANK_PDF

    client.force_login(world.inspector)
    response = client.post(
        reverse("import_upload", args=[world.round.pk]),
        {"file": SimpleUploadedFile("scan.pdf", BLANK_PDF)},
    )
    draft = ImportDraft.objects.get()
    assert draft.status == ImportDraft.Status.READING
    with django_capture_on_commit_callbacks(execute=True):
        read_draft("import", draft.pk)
    draft.refresh_from_db()
    assert draft.status == ImportDraft.Status.FAILED
    assert draft.failure.startswith("无法识别“scan.pdf”的内容：")
    assert not Path(draft.file.path).exists()
    assert draft.failure in client.get(response["Location"]).content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_worker_reads_the_queued_draft_and_the_import_is_confirmed(client):
    # transaction=True: the upload's task is queued once its draft is committed, as in use.
    world = make_world()
    client.force_login(world.inspector)
    preview = upload(client, world.round, SCAN)["Location"]
    call_command("worker", "--once", stdout=open("/dev/null", "w"))
    draft = ImportDraft.objects.get()
    assert draft.status == ImportDraft.Status.OPEN
    call_command("worker", "--once", stdout=open("/dev/null", "w"))  # nothing left to do
    page = client.get(preview)
    from zhenggai.ledger.tests.test_import_flow import rows_from

    confirmed = client.post(preview, rows_from(page.context))
    assert confirmed.status_code == 302
    assert Problem.objects.filter(round=world.round).count() == 4
    assert world.round.documents.get().original_name == SCAN.name
