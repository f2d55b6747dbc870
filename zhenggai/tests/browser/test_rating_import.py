"""Importing a 好差评 platform's export through the pages, on a desktop and on a phone: upload,
the preview with a row no unit answers to, confirm, the result."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from zhenggai.orgs.models import Unit
from zhenggai.testing import make_world
from zhenggai.tests.browser.looks import fits, shot

pytestmark = pytest.mark.browser

SAMPLES = Path(__file__).resolve().parents[2] / "evaluations" / "tests" / "samples"


@pytest.mark.parametrize("width", [1280, 390])
def test_upload_preview_and_confirm_an_export(sign_in, live_server, transactional_db, width):
    world = make_world()
    Unit.objects.filter(pk=world.unit.pk).update(credit_code="11330100002400001B")
    page = sign_in("evaluator", width)
    page.goto(f"{live_server.url}/evaluations/imports/new/")
    expect(page.locator("h1")).to_have_text("导入好差评数据")
    assert fits(page)
    shot(page, f"import_upload_{width}.png")
    page.set_input_files("input[name=file]", str(SAMPLES / "ratings_many.xlsx"))
    page.click("button:has-text('上传并识别')")
    expect(page.locator("h1")).to_have_text("核对导入内容")
    expect(page.locator("#left-out h2")).to_have_text("无法导入的行（4）")
    expect(page.locator("#left-out")).to_contain_text("“区教育局”不是本机构所辖单位")
    expect(page.locator("#left-out")).to_contain_text("满意度“较好”无法识别")
    assert fits(page)
    shot(page, f"import_preview_{width}.png")
    page.click("button:has-text('确认导入 20 条')")
    expect(page.locator(".messages")).to_contain_text("已导入 20 条评价，2 条差评已转为整改问题")
    expect(page.locator("h1")).to_have_text("导入记录")
    assert fits(page)
    shot(page, f"import_done_{width}.png")
    page.click("a:has-text('好差评数据导入')")
    expect(page.locator("table")).to_contain_text("ratings_many.xlsx")
    expect(page.locator("table")).to_contain_text("已导入")
    shot(page, f"import_list_{width}.png")
