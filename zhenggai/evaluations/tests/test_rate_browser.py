"""The public rating page in a real browser, on a phone (390 px) and a desktop (1280 px): a
差评 without a reason is stopped with a message, with one it is taken and thanked for. And the
poster, as a browser shows the PDF's first page."""

import pytest
from playwright.sync_api import expect

from zhenggai.evaluations.models import Rating, RatingPoint
from zhenggai.evaluations.values import Mode
from zhenggai.testing import make_world

pytestmark = pytest.mark.browser

SHOTS = "/tmp"


@pytest.mark.parametrize("width", [390, 1280])
def test_a_bad_rating_needs_its_reason_then_is_thanked_for(
    browser, live_server, transactional_db, width
):
    world = make_world()
    point = RatingPoint.objects.create(
        unit=world.unit, kind="window", name="不动产登记窗口", mode=Mode.ON_SITE
    )
    context = browser.new_context(viewport={"width": width, "height": 844}, is_mobile=width < 500)
    page = context.new_page()
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(f"{live_server.url}/r/{point.code}/?c=sms")
    expect(page.locator("h1")).to_have_text("区科技局")
    expect(page.locator(".promise")).to_contain_text("看不到评价人的任何信息")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.locator("label.lv-2").click()
    page.select_option("select[name=service_attitude]", "2")
    page.fill("input[name=case_number]", "BDC-2026-001")
    page.click("button[type=submit]")
    expect(page.locator("#reason-msg")).to_be_visible()
    expect(page.locator("#reason-msg")).to_contain_text("原因")
    expect(page.locator("#reason-tag")).to_have_text("必填")
    assert Rating.objects.count() == 0
    page.fill("textarea[name=comment]", "材料要求前后不一致，跑了三趟")
    page.screenshot(path=f"{SHOTS}/rate-{width}.png", full_page=True)
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_have_text("感谢您的评价")
    expect(page.locator("body")).to_contain_text("核实整改")
    page.screenshot(path=f"{SHOTS}/rate-thanks-{width}.png", full_page=True)
    rating = Rating.objects.get()
    assert (rating.level, rating.service_attitude, rating.channel) == (2, 2, "sms")
    assert rating.case_number == "BDC-2026-001" and rating.problem_id
    assert errors == []
    context.close()


def test_without_javascript_the_server_asks_for_the_reason_and_keeps_the_rest(
    browser, live_server, transactional_db
):
    world = make_world()
    point = RatingPoint.objects.create(
        unit=world.unit, kind="item", name="高新技术企业认定", mode=Mode.ONLINE
    )
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/r/{point.code}/")
    page.locator("label.lv-1").click()
    page.fill("input[name=staff]", "王五")
    page.click("button[type=submit]")
    expect(page.locator(".alert")).to_contain_text("请写明原因")
    expect(page.locator("input[name=staff]")).to_have_value("王五")
    expect(page.locator("input[name=level][value='1']")).to_be_checked()
    page.fill("textarea[name=comment]", "网上申报系统总是提交失败")
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_have_text("感谢您的评价")
    assert Rating.objects.get().level == 1
    context.close()
