"""The 通报 in a real browser, on a desk and on a phone: the evaluation office previews a
quarter's ranking, issues it, and opens the round of the unit at the bottom."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from zhenggai.evaluations.tests.bulletin_data import Q3, rate, rated_unit
from zhenggai.testing import make_world

pytestmark = pytest.mark.browser
# Where the screenshots go when ZHENGGAI_SCREENSHOTS names a directory (to look at them).
SHOTS = os.environ.get("ZHENGGAI_SCREENSHOTS")


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def _fits(page) -> None:
    """Nothing wider than the viewport: the page never scrolls sideways."""
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("width", [1280, 390])
def test_the_office_previews_issues_and_opens_the_bottom_units_round(
    sign_in, live_server, transactional_db, width
):
    world = make_world()
    rated_unit(world.office, "区发改局", {5: 40})
    rated_unit(world.office, "区教育局", {5: 20, 4: 20})
    rated_unit(world.office, "区审计局", {1: 5})
    rate(
        world.unit,
        {4: 10, 2: 20, 1: 10},
        service_efficiency=5,
        service_level=5,
        service_attitude=1,
    )
    page = sign_in("evaluator", width)
    page.goto(f"{live_server.url}/evaluations/bulletins/")
    page.click("a:has-text('签发通报')")
    expect(page.locator("h1")).to_have_text("签发评价通报")
    page.goto(f"{page.url}?period={Q3.key}")
    page.fill("input[name=min_sample]", "30")
    page.fill("input[name=bottom]", "1")
    page.click("button:has-text('预览排名')")
    expect(page.locator("h2").first).to_have_text("2026年第三季度评价结果（预览）")
    table = page.locator(".bulletin-table")
    expect(table).to_contain_text("区发改局")
    expect(table.locator("tr.w-red")).to_contain_text("区科技局")
    expect(table).to_contain_text("样本不足（少于 30 条）")
    expect(page.locator("main")).to_contain_text("“服务态度”评价偏低")
    _fits(page)
    _shot(page, f"bulletin_preview_{width}")

    page.check("input[name=confirm]")
    page.click("button:has-text('签发通报')")
    expect(page.locator(".messages")).to_contain_text("已为 1 个排名靠后单位开设整改轮次")
    expect(page.locator("h1")).to_have_text("关于2026年第三季度营商环境“背靠背”评价结果的通报")
    expect(page.locator("a:has-text('下载 Word')")).to_be_visible()
    _fits(page)
    _shot(page, f"bulletin_detail_{width}")

    page.locator(".bottom-units a:has-text('整改轮次')").click()
    expect(page.locator("h1")).to_contain_text("营商环境“背靠背”评价排名靠后整改")
    expect(page.locator("main")).to_contain_text("反馈的 3 个方面 3 个问题")
    _shot(page, f"bulletin_round_{width}")
    page.click("a:has-text('查看台账')")  # the findings, waiting for the unit's plan
    main = page.locator("main")
    expect(main).to_contain_text("排名第3（共3个单位）")
    expect(main).to_contain_text("“服务态度”评价偏低")
    expect(main).to_contain_text("差评整改不到位")
    _shot(page, f"bulletin_ledger_{width}")
