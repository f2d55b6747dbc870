"""The directory pages: administrators only; upload, preview, confirm, discard, downloads."""

from io import BytesIO

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from zhenggai.orgs import directory
from zhenggai.orgs.models import DirectoryImport
from zhenggai.orgs.tests.directory_helpers import COUNTY, county, upload

User = get_user_model()


def uploaded(client, data: bytes):
    return client.post(reverse("directory_home"), {"file": upload(data)})


def test_an_administrator_uploads_previews_and_confirms(client, world):
    client.force_login(world.admin)
    response = uploaded(client, county())
    record = DirectoryImport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "directory_preview", args=[record.pk]
    )
    page = client.get(response["Location"]).content.decode()
    assert "核对通讯录导入" in page and "确认导入" in page
    assert (
        "inspector（inspector）"
        in client.get(response["Location"] + "?show=deactivate").content.decode()
    )
    people = client.get(response["Location"] + "?show=people").content.decode()
    assert "吴主任" in people and "13800000004" in people
    confirmed = client.post(reverse("directory_confirm", args=[record.pk]))
    assert confirmed.status_code == 302
    assert User.objects.filter(username="wuzr").exists()
    record.refresh_from_db()
    assert record.status == "applied"
    assert "已导入" in client.get(confirmed["Location"]).content.decode()
    uploaded(client, county())
    again = DirectoryImport.objects.first()
    page = client.get(reverse("directory_preview", args=[again.pk])).content.decode()
    assert "无变化" in page and "确认导入" not in page


def test_errors_are_listed_and_the_sheet_cannot_be_confirmed(client, world):
    client.force_login(world.admin)
    roles = [*COUNTY["roles"], ["fengky", "", "区卫健局/办公室", "科长", ""]]
    uploaded(client, county(roles=roles))
    record = DirectoryImport.objects.get()
    page = client.get(reverse("directory_preview", args=[record.pk])).content.decode()
    assert "角色“科长”无法识别" in page and "确认导入" not in page
    response = client.post(reverse("directory_confirm", args=[record.pk]), follow=True)
    assert "通讯录中有错误，不能导入" in response.content.decode()
    assert not User.objects.filter(username="wuzr").exists()


def test_a_file_that_is_not_a_workbook_is_refused_on_the_form(client, world):
    client.force_login(world.admin)
    response = client.post(reverse("directory_home"), {"file": upload(b"hello", "a.xlsx")})
    assert response.status_code == 400
    assert not DirectoryImport.objects.exists()


def test_a_stale_preview_is_refused_on_confirm(client, world):
    client.force_login(world.admin)
    uploaded(client, county())
    record = DirectoryImport.objects.get()
    User.objects.create(username="meanwhile")
    response = client.post(reverse("directory_confirm", args=[record.pk]), follow=True)
    assert "预览之后通讯录已有变动" in response.content.decode()
    record.refresh_from_db()
    assert record.status == "preview"


def test_discarding_changes_nothing(client, world):
    client.force_login(world.admin)
    uploaded(client, county())
    record = DirectoryImport.objects.get()
    client.post(reverse("directory_discard", args=[record.pk]))
    record.refresh_from_db()
    assert record.status == "discarded" and not User.objects.filter(username="wuzr").exists()


@pytest.mark.parametrize("name", ["directory_template", "directory_export"])
def test_the_downloads_are_workbooks_of_four_sheets(client, world, name):
    client.force_login(world.admin)
    response = client.get(reverse(name))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    book = openpyxl.load_workbook(BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames[:4] == ["单位", "科室", "人员", "角色"]
    if name == "directory_export":
        rows = [row[:3] for row in book["单位"].iter_rows(values_only=True)]
        assert ("区科技局", "被巡察单位", "区委巡察办") in rows


def test_the_nav_links_the_directory_for_administrators_only(client, world):
    client.force_login(world.admin)
    assert reverse("directory_home") in client.get(reverse("my_tasks")).content.decode()
    client.force_login(world.inspector)
    assert reverse("directory_home") not in client.get(reverse("my_tasks")).content.decode()


@pytest.mark.parametrize("who", ["inspector", "leader", "staff", "outsider"])
def test_nobody_else_reaches_the_directory(client, world, who):
    record = directory.preview_directory_import(upload(county()), by=world.admin)
    client.force_login(getattr(world, who))
    for name in ("directory_home", "directory_template", "directory_export"):
        assert client.get(reverse(name)).status_code == 403
    assert uploaded(client, county()).status_code == 403
    assert client.get(reverse("directory_preview", args=[record.pk])).status_code == 404
    for name in ("directory_confirm", "directory_discard"):
        assert client.post(reverse(name, args=[record.pk])).status_code == 404
    record.refresh_from_db()
    assert record.status == "preview" and DirectoryImport.objects.count() == 1


def test_the_preview_of_two_thousand_people_runs_few_queries(
    client, world, django_assert_max_num_queries
):
    people = [*COUNTY["people"], *([f"人员{n}", f"p{n}", f"N{n}", "", ""] for n in range(2000))]
    record = directory.preview_directory_import(upload(county(people=people)), by=world.admin)
    client.force_login(world.admin)
    with django_assert_max_num_queries(8):
        response = client.get(
            reverse("directory_preview", args=[record.pk]) + "?show=people&page=3"
        )
    page = response.content.decode()
    assert "人员100" in page and "人员10</td>" not in page


def test_the_history_says_how_each_upload_ended_and_what_it_changes(client, world):
    client.force_login(world.admin)
    uploaded(client, county(people=[["", "nobody", "", "", ""]]))
    uploaded(client, county())
    uploaded(client, county())  # supersedes the one before
    client.post(reverse("directory_confirm", args=[DirectoryImport.objects.first().pk]))
    uploaded(client, county())  # nothing left to change
    page = client.get(reverse("directory_home")).content.decode()
    states = [s.split("</span>")[0].rsplit(">", 1)[-1] for s in page.split('class="state')[1:]]
    assert states == ["无变化", "已导入", "已被新上传取代", "有错误，未导入"]
    assert "待确认" not in page
    assert "新建单位 2，新建科室 3，新建人员 5，停用人员 2，授予角色 6" in page


def test_the_preview_lists_who_is_deactivated_before_the_confirm_button(client, world):
    client.force_login(world.admin)
    units = [
        ["区委巡察办", "巡察机构/评价机构", "", ""],
        ["区科技局", "被巡察单位", "区委巡察办", ""],
    ]
    uploaded(client, county(units=units, sections=[], roles=COUNTY["roles"][:1]))
    record = DirectoryImport.objects.get()
    page = client.get(reverse("directory_preview", args=[record.pk])).content.decode()
    leaving = page.index('id="deactivated"')
    assert page.index("leader（leader）", leaving) < page.index("确认导入")
    assert '<a class="stat red" href="#deactivated"><b>' in page
    assert page.index('id="summary"') < page.index("确认导入") < page.index('id="changes"')


def test_a_preview_with_errors_or_without_changes_shows_no_zero_cards(client, world):
    client.force_login(world.admin)
    uploaded(client, county(people=[["", "nobody", "", "", ""]]))
    bad = client.get(reverse("directory_preview", args=[DirectoryImport.objects.get().pk]))
    uploaded(client, county())
    client.post(reverse("directory_confirm", args=[DirectoryImport.objects.first().pk]))
    uploaded(client, county())
    same = client.get(reverse("directory_preview", args=[DirectoryImport.objects.first().pk]))
    for page in (bad.content.decode(), same.content.decode()):
        assert 'class="stat' not in page and "确认时全部变动" not in page
        assert "确认导入" not in page and "放弃</button>" not in page
    assert "缺少姓名" in bad.content.decode() and "无变化" in same.content.decode()


def test_the_preview_lists_who_is_reactivated_before_the_confirm_button(client, world):
    client.force_login(world.admin)
    world.staff.is_active = False
    world.staff.save()
    units = [
        ["区委巡察办", "巡察机构/评价机构", "", ""],
        ["区科技局", "被巡察单位", "区委巡察办", ""],
    ]
    people = [["科员", "staff", "", "", ""]]
    roles = [["staff", "", "区科技局/办公室", "科室人员", ""]]
    uploaded(client, county(units=units, sections=[], people=people, roles=roles))
    record = DirectoryImport.objects.get()
    page = client.get(reverse("directory_preview", args=[record.pk])).content.decode()
    back = page.index('id="reactivated"')
    assert "将重新启用的人员（1）" in page
    assert back < page.index("staff（staff）", back) < page.index("确认导入")
    assert '<a class="stat" href="#reactivated"><b>1</b><span>重新启用人员</span>' in page
    listed = client.get(reverse("directory_preview", args=[record.pk]) + "?show=reactivate")
    assert "账号已停用，表中又列出：重新启用" in listed.content.decode()
