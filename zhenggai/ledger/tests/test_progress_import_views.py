"""The pages of progress by Excel: who reaches them (404 for anyone who may not import into the
round), the download, the upload and its preview, confirming and discarding, and their queries."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from zhenggai.ledger import progress_import, progress_sheet, services
from zhenggai.ledger.models import ProgressReport
from zhenggai.ledger.models.progress_imports import ProgressImport
from zhenggai.ledger.tests.test_progress_import import download, fill, key


def urls(round_pk: int, pk: int) -> list[tuple[str, str]]:
    return [
        ("get", reverse("progress_sheet_download", args=[round_pk])),
        ("get", reverse("progress_import_list", args=[round_pk])),
        ("post", reverse("progress_import_upload", args=[round_pk])),
        ("get", reverse("progress_import_detail", args=[pk])),
        ("post", reverse("progress_import_confirm", args=[pk])),
        ("post", reverse("progress_import_discard", args=[pk])),
        ("get", reverse("progress_import_status", args=[pk])),
    ]


@pytest.fixture
def preview(world):
    measure = world.measure(world.problem(approve=True))
    filled = fill(download(world, world.staff), {key(measure): {"新建制度（项）": 1}})
    upload = SimpleUploadedFile("表.xlsx", filled)
    return progress_import.start_progress_import(world.round, upload, by=world.staff)


@pytest.mark.parametrize("name", ["discipline", "inspector", "outsider", "outside_leader"])
def test_everything_is_404_to_those_who_may_not_import_into_the_round(world, client, preview, name):
    client.force_login(getattr(world, name))
    for method, url in urls(world.round.pk, preview.pk):
        assert getattr(client, method)(url).status_code == 404, (name, url)
    preview.refresh_from_db()
    assert preview.status == ProgressImport.Status.PREVIEW


def test_another_sections_staff_sees_nothing_of_anothers_import(world, client, preview):
    other = world.measure(world.problem("综合科的问题", approve=True))
    services.update_measure(
        other, by=world.leader, base_version=None, lead_section=world.other_section
    )
    client.force_login(world.other_staff)
    assert client.get(reverse("progress_import_list", args=[world.round.pk])).status_code == 200
    for method, url in urls(world.round.pk, preview.pk)[3:]:
        assert getattr(client, method)(url).status_code == 404, url


def test_the_office_sees_a_sections_import_but_only_the_uploader_confirms(world, client, preview):
    client.force_login(world.rect_office)
    page = client.get(reverse("progress_import_detail", args=[preview.pk]))
    assert page.status_code == 200 and "确认导入</button>" not in page.content.decode()
    client.post(reverse("progress_import_confirm", args=[preview.pk]))
    preview.refresh_from_db()
    assert preview.status == ProgressImport.Status.PREVIEW


def test_download_upload_preview_and_confirm_through_the_pages(world, client):
    problem = world.problem(approve=True)
    measure = world.measure(problem)
    client.force_login(world.staff)
    round_page = client.get(reverse("round_detail", args=[world.round.pk])).content.decode()
    assert "下载进度填报表" in round_page
    response = client.get(reverse("progress_sheet_download", args=[world.round.pk]))
    assert response["Content-Type"] == progress_sheet.XLSX
    data = b"".join(response.streaming_content)
    assert load_workbook(io.BytesIO(data)).sheetnames[0] == progress_sheet.SHEET_NAME
    filled = fill(data, {key(measure): {"整改进展": "已完成制度修订", "完成进度（%）": 90}})
    response = client.post(
        reverse("progress_import_upload", args=[world.round.pk]),
        {"file": SimpleUploadedFile("三季度进度.xlsx", filled)},
    )
    imp = ProgressImport.objects.get()
    assert response.url == reverse("progress_import_detail", args=[imp.pk])
    page = client.get(response.url).content.decode()
    assert "已完成制度修订" in page and "0%" in page and "90%" in page and "直接生效" in page
    assert not ProgressReport.objects.exists()
    response = client.post(reverse("progress_import_confirm", args=[imp.pk]), follow=True)
    assert "已导入：2 项直接生效" in response.content.decode()
    measure.refresh_from_db()
    assert measure.percent == 90
    history = client.get(reverse("progress_import_list", args=[world.round.pk])).content.decode()
    assert "三季度进度.xlsx" in history and "已导入" in history


def test_a_refused_upload_says_why_on_the_page(world, client):
    world.problem(approve=True)
    client.force_login(world.staff)
    response = client.post(
        reverse("progress_import_upload", args=[world.round.pk]),
        {"file": SimpleUploadedFile("照片.xlsx", "不是表格".encode())},
    )
    assert response.status_code == 400
    assert progress_import.NOT_A_SHEET in response.content.decode()
    assert not ProgressImport.objects.exists()


def test_discarding_keeps_the_record_and_changes_nothing(world, client, preview):
    client.force_login(world.staff)
    response = client.post(reverse("progress_import_discard", args=[preview.pk]))
    assert response.url == reverse("progress_import_list", args=[world.round.pk])
    preview.refresh_from_db()
    assert preview.status == ProgressImport.Status.DISCARDED
    response = client.post(reverse("progress_import_confirm", args=[preview.pk]), follow=True)
    assert "未导入任何修改" in response.content.decode()


def test_the_pages_queries_do_not_grow_with_rows(world, client, django_assert_max_num_queries):
    problem = world.problem(approve=True, measures=30)
    edits = {key(m): {"新建制度（项）": 2} for m in problem.measures.all()}
    filled = fill(download(world, world.rect_office), edits)
    upload = SimpleUploadedFile("表.xlsx", filled)
    imp = progress_import.start_progress_import(world.round, upload, by=world.rect_office)
    for n in range(5):
        progress_import.start_progress_import(
            world.round, SimpleUploadedFile(f"{n}.xlsx", filled), by=world.rect_office
        )
    client.force_login(world.rect_office)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("progress_import_detail", args=[imp.pk])).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("progress_import_list", args=[world.round.pk])).status_code == 200
    with django_assert_max_num_queries(12):
        response = client.get(reverse("progress_sheet_download", args=[world.round.pk]))
        assert len(b"".join(response.streaming_content)) > 0
