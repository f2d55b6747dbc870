"""The directory import (通讯录) through the pages, on a desktop and on a phone: an administrator
downloads the template, fills it in (openpyxl, as Excel would), uploads it, checks the preview,
confirms, and the people exist; the same sheet uploaded again says 无变化. Who is deactivated
and who is reactivated (a person who had left, listed again) are shown above the button."""

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook
from playwright.sync_api import expect

from zhenggai.orgs.models import Unit
from zhenggai.orgs.tests.directory_helpers import COUNTY
from zhenggai.testing import make_world
from zhenggai.tests.browser.looks import fits, shot

pytestmark = pytest.mark.browser
# A person of the world who had left, listed again.
AGAIN = {
    "people": [["科员", "staff", "", "", ""]],
    "roles": [["staff", "", "区教育局", "整改办", ""]],
}


def _fill(template, filled) -> None:
    book = load_workbook(template)
    for sheet, key in (
        ("单位", "units"),
        ("科室", "sections"),
        ("人员", "people"),
        ("角色", "roles"),
    ):
        book[sheet].delete_rows(2)  # the example row
        for row in COUNTY[key] + AGAIN.get(key, []):
            book[sheet].append(row)
    book.save(filled)


@pytest.mark.parametrize("width", [1280, 390])
def test_template_upload_preview_confirm_and_again(
    sign_in, live_server, transactional_db, tmp_path, width
):
    make_world()
    get_user_model().objects.filter(username="staff").update(is_active=False)
    page = sign_in("admin", width)
    if width == 1280:
        page.click(".topbar nav a:has-text('通讯录')")
    else:
        page.goto(f"{live_server.url}/directory/")
    expect(page.locator("h1")).to_have_text("通讯录")
    assert fits(page)
    shot(page, f"directory_upload_{width}.png")
    with page.expect_download() as got:
        page.click("a:has-text('下载模板')")
    template = tmp_path / "template.xlsx"
    got.value.save_as(template)
    filled = tmp_path / "通讯录.xlsx"
    _fill(template, filled)

    page.set_input_files("input[name=file]", str(filled))
    page.click("button:has-text('上传并预览')")
    expect(page.locator("h1")).to_have_text("核对通讯录导入")
    expect(page.locator(".stats")).to_contain_text("5新建人员")
    # Who is deactivated is listed openly, above the button that confirms it.
    leaving = page.locator("#deactivated")
    expect(leaving).to_contain_text("inspector（inspector）")
    confirm = page.locator("button:has-text('确认导入')")
    assert leaving.bounding_box()["y"] < confirm.bounding_box()["y"]
    back = page.locator("#reactivated")
    expect(back).to_contain_text("将重新启用的人员（1）")
    expect(back).to_contain_text("staff（staff）")
    assert back.bounding_box()["y"] < confirm.bounding_box()["y"]
    assert confirm.bounding_box()["y"] < page.locator("#changes").bounding_box()["y"]
    assert fits(page)
    shot(page, f"directory_preview_{width}.png")
    page.click(".stats a:has-text('新建人员')")
    expect(page.locator("#changes table")).to_contain_text("吴主任")
    assert fits(page)

    page.click("button:has-text('确认导入')")
    expect(page.locator(".messages")).to_contain_text("通讯录已导入")
    expect(page.locator("h1")).to_have_text("通讯录导入记录")
    people = get_user_model().objects.filter(username__in=["sunxc", "zhoujz", "wuzr"])
    assert people.count() == 3
    assert get_user_model().objects.get(username="staff").is_active
    assert Unit.objects.get(name="区教育局").memberships.filter(user__username="staff").exists()

    page.goto(f"{live_server.url}/directory/")
    page.set_input_files("input[name=file]", str(filled))
    page.click("button:has-text('上传并预览')")
    expect(page.locator(".notice")).to_contain_text("无变化")
    expect(page.locator("button:has-text('确认导入')")).to_have_count(0)
    expect(page.locator(".stat")).to_have_count(0)
    assert fits(page)
    shot(page, f"directory_unchanged_{width}.png")
    page.goto(f"{live_server.url}/directory/")
    expect(page.locator("#history")).to_contain_text("已导入")
    expect(page.locator("#history")).to_contain_text("新建单位 2，新建科室 3，新建人员 5")
    assert fits(page)
    # Each import's changes are readable: the summary is never squeezed into a narrow column.
    summaries = page.locator("#history td.dir-summary")
    expect(summaries).to_have_count(2)
    for cell in summaries.all():
        box = cell.bounding_box()
        assert box["width"] > 200 and box["height"] < 80, box
    shot(page, f"directory_history_{width}.png")
