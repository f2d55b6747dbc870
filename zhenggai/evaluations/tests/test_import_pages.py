"""The import pages: upload, preview, confirm, discard, the list and the template; who reaches
them, and what a bad file shows."""

import io
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhenggai.evaluations import imports
from zhenggai.evaluations.models import Rating, RatingImport
from zhenggai.orgs.models import Role, Unit
from zhenggai.testing import grant, make_user

SAMPLES = Path(__file__).parent / "samples"


def sample(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (SAMPLES / name).read_bytes())


def as_user(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def draft(world):
    return imports.start_import(
        sample("ratings_many.xlsx"), by=world.evaluator, office=world.office
    )


def test_uploading_shows_the_preview_with_the_rows_that_cannot_be_imported(client, world):
    as_user(client, world.evaluator)
    page = client.get(reverse("rating_import_upload"))
    assert page.status_code == 200
    assert "能读取的文件和列" in page.text and "GBK" in page.text
    answer = client.post(
        reverse("rating_import_upload"),
        {"kind": "ratings", "office": world.office.pk, "file": sample("ratings_many.xlsx")},
    )
    draft = RatingImport.objects.get()
    assert answer.status_code == 302
    assert answer.url == reverse("rating_import_preview", args=[draft.pk])
    preview = client.get(answer.url)
    assert preview.status_code == 200
    assert "“市财政局”不是本机构所辖单位" in preview.text
    assert "满意度“较好”无法识别" in preview.text
    assert "确认导入 20 条" in preview.text


def test_confirming_imports_and_says_what_was_done(client, world, draft):
    as_user(client, world.evaluator)
    answer = client.post(reverse("rating_import_confirm", args=[draft.pk]), follow=True)
    assert "已导入 20 条评价，2 条差评已转为整改问题；0 条此前已在系统中，4 条无法导入。" in (
        answer.text
    )
    assert Rating.objects.count() == 20
    assert "导入记录" in answer.text and "确认导入 " not in answer.text


def test_confirming_twice_shows_a_message_not_an_error(client, world, draft):
    as_user(client, world.evaluator)
    client.post(reverse("rating_import_confirm", args=[draft.pk]))
    again = client.post(reverse("rating_import_confirm", args=[draft.pk]), follow=True)
    assert again.status_code == 200 and "该文件已经导入，不能再确认或放弃。" in again.text


def test_discarding_goes_back_to_the_list(client, world, draft):
    as_user(client, world.evaluator)
    answer = client.post(reverse("rating_import_discard", args=[draft.pk]), follow=True)
    assert "已放弃导入“ratings_many.xlsx”" in answer.text
    assert "已放弃" in client.get(reverse("rating_import_preview", args=[draft.pk])).text
    assert not Rating.objects.exists()


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("ratings_broken.xlsx", None, "文件已损坏"),
        ("ratings_missing_columns.csv", None, "缺少必需的列：评价时间"),
        ("空.csv", b"", "所提交的是空文件"),
        ("程序.exe", b"MZ\x90\x00" + bytes(range(256)) * 4, "只能导入Excel（.xlsx）或 CSV"),
    ],
)
def test_a_bad_file_gets_a_chinese_message_on_the_form(client, world, name, content, message):
    as_user(client, world.evaluator)
    upload = sample(name) if content is None else SimpleUploadedFile(name, content)
    answer = client.post(
        reverse("rating_import_upload"),
        {"kind": "ratings", "office": world.office.pk, "file": upload},
    )
    assert answer.status_code in (200, 400)
    assert message in answer.text
    assert not RatingImport.objects.exists()


def test_the_template_is_an_xlsx_of_the_columns_read(client, world):
    as_user(client, world.evaluator)
    answer = client.get(reverse("rating_import_template"))
    assert answer.status_code == 200
    assert "attachment" in answer["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(b"".join(answer.streaming_content)))
    assert [c.value for c in book.worksheets[0][1]][:4] == [
        "评价编号",
        "满意度",
        "评价渠道",
        "评价时间",
    ]
    counts = client.get(reverse("rating_import_template") + "?kind=service_counts")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(counts.streaming_content)))
    assert [c.value for c in book.worksheets[0][1]] == [
        "部门名称",
        "统一社会信用代码",
        "月份",
        "办件量",
    ]


def test_the_list_shows_the_offices_imports(client, world, draft, django_assert_max_num_queries):
    for _ in range(3):
        imports.start_import(sample("ratings_one.xlsx"), by=world.evaluator, office=world.office)
    as_user(client, world.evaluator)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("rating_import_list"))
    assert page.status_code == 200
    assert page.text.count("待确认") >= 4 and "ratings_many.xlsx" in page.text


def test_the_preview_shows_no_phone_or_case_number(client, world, draft):
    as_user(client, world.evaluator)
    text = client.get(reverse("rating_import_preview", args=[draft.pk]) + "?show=new").text
    assert "BJ2026100001" not in text
    one = imports.start_import(sample("ratings_one.xlsx"), by=world.evaluator, office=world.office)
    text = client.get(reverse("rating_import_preview", args=[one.pk])).text
    assert "13800138000" not in text and "BJ2026101200001" not in text


@pytest.mark.parametrize("query", ["?page=abc", "?page=999&upage=-1", "?show=nonsense"])
def test_odd_page_parameters_show_a_page(client, world, draft, query):
    as_user(client, world.evaluator)
    assert client.get(reverse("rating_import_preview", args=[draft.pk]) + query).status_code == 200


def test_the_discipline_group_of_the_office_reads_but_cannot_confirm(client, world, draft):
    watcher = make_user("office_discipline")
    grant(watcher, world.office, Role.DISCIPLINE)
    as_user(client, watcher)
    page = client.get(reverse("rating_import_preview", args=[draft.pk]))
    assert page.status_code == 200 and "确认导入" not in page.text
    assert client.get(reverse("rating_import_list")).status_code == 200
    assert client.post(reverse("rating_import_confirm", args=[draft.pk])).status_code == 403
    assert client.post(reverse("rating_import_discard", args=[draft.pk])).status_code == 403
    assert client.get(reverse("rating_import_upload")).status_code == 403


@pytest.mark.parametrize("who", ["leader", "rect_office", "staff", "discipline", "inspector"])
def test_units_and_other_offices_get_403_on_the_forms_and_404_on_an_import(
    client, world, draft, who
):
    as_user(client, getattr(world, who))
    assert client.get(reverse("rating_import_upload")).status_code == 403
    assert client.get(reverse("rating_import_template")).status_code == 403
    assert client.get(reverse("rating_import_list")).status_code == 403
    for name in ("rating_import_preview",):
        assert client.get(reverse(name, args=[draft.pk])).status_code == 404
    for name in ("rating_import_confirm", "rating_import_discard"):
        assert client.post(reverse(name, args=[draft.pk])).status_code == 404
    draft.refresh_from_db()
    assert draft.status == RatingImport.Status.OPEN


def test_the_evaluation_office_of_another_city_gets_404(client, world, draft):
    other = make_user("other_evaluator")
    grant(other, Unit.objects.get(name="市委巡察办"), Role.EVALUATION_OFFICE)
    as_user(client, other)
    assert client.get(reverse("rating_import_preview", args=[draft.pk])).status_code == 404
    assert client.post(reverse("rating_import_confirm", args=[draft.pk])).status_code == 404
    assert "ratings_many.xlsx" not in client.get(reverse("rating_import_list")).text


def test_outsiders_and_the_anonymous_reach_nothing(client, world, draft):
    login = client.get(reverse("rating_import_preview", args=[draft.pk]))
    assert login.status_code == 302 and "/login/" in login.url
    as_user(client, world.outsider)
    assert client.get(reverse("rating_import_preview", args=[draft.pk])).status_code == 404
    assert client.get(reverse("rating_import_upload")).status_code == 403


def test_confirming_needs_a_post(client, world, draft):
    as_user(client, world.evaluator)
    assert client.get(reverse("rating_import_confirm", args=[draft.pk])).status_code == 405
    assert client.get(reverse("rating_import_discard", args=[draft.pk])).status_code == 405


def test_service_counts_through_the_pages(client, world):
    as_user(client, world.evaluator)
    answer = client.post(
        reverse("rating_import_upload"),
        {
            "kind": "service_counts",
            "office": world.office.pk,
            "file": sample("service_counts.xlsx"),
        },
        follow=True,
    )
    assert "系统中原值" in answer.text and "“区教育局”不是本机构所辖单位" in answer.text
    draft = RatingImport.objects.get()
    done = client.post(reverse("rating_import_confirm", args=[draft.pk]), follow=True)
    assert "已导入 1 条办件量（新增 1 条，更新 0 条）" in done.text


def test_a_units_credit_code_is_entered_in_the_admin_and_rows_map_by_it(client, world):
    as_user(client, world.admin)
    form = {
        "name": world.unit.name,
        "credit_code": " 11330100002400001b ",
        "contact_phone": "",
        "contact_email": "",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    answer = client.post(reverse("admin:orgs_unit_change", args=[world.unit.pk]), form)
    assert answer.status_code == 302
    world.unit.refresh_from_db()
    assert world.unit.credit_code == "11330100002400001B"
    short = client.post(
        reverse("admin:orgs_unit_change", args=[world.unit.pk]), {**form, "credit_code": "1133"}
    )
    assert "统一社会信用代码应为 18 位" in short.text
    upload = SimpleUploadedFile(
        "导出.csv",
        "评价编号,满意度,评价时间,统一社会信用代码\nA1,5,2026-10-12 09:30,11330100002400001B\n".encode(),
    )
    draft = imports.start_import(upload, by=world.evaluator, office=world.office)
    assert imports.preview(draft).rows[0].unit == world.unit
