"""The month in a real browser, on a desk and on a phone: the office opens the month's page,
enters a deduction on a unit's sheet, sees the score and the rank move, reviews, locks, and
then corrects the locked month with a reason."""

import os
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from zhenggai.assessments.services import months
from zhenggai.assessments.tests.conftest import MONTH

pytestmark = pytest.mark.browser
# Where the screenshots go when ZHENGGAI_SCREENSHOTS names a directory (to look at them).
SHOTS = os.environ.get("ZHENGGAI_SCREENSHOTS")


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def _fits(page) -> None:
    """Nothing wider than the viewport: the page never scrolls sideways."""
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _fill_entry(page, amount: str, reason: str, day: str) -> None:
    form = page.locator("#entry-form form")
    form.locator("select[name=indicator]").select_option(label="日常督查·日常督查")
    form.locator("input[name=amount]").fill(amount)
    form.locator("input[name=reason]").fill(reason)
    form.locator("input[name=rule]").fill("考核办法第五条")
    form.locator("input[name=occurred_on]").fill(day)


@pytest.mark.parametrize("width", [1280, 390])
def test_the_office_enters_reviews_locks_and_corrects_a_month(
    transactional_db, sign_in, live_server, world, units, scheme, width
):
    month = months.open_month(scheme, MONTH, by=world.evaluator)
    imported = month.version.indicators.get(name="第三方考评")
    scores = {u.pk: Decimal(35) for u in units}
    months.set_imported(month, imported, scores, by=world.evaluator, source="三方.xlsx")

    page = sign_in("evaluator", width)
    page.goto(f"{live_server.url}/")
    page.click(".topbar nav a:has-text('考核')")
    expect(page.locator("h1")).to_have_text("月度考核")
    _fits(page)
    _shot(page, f"month_home_{width}")
    page.click(".am-months a:has-text('排名')")
    expect(page.locator("h1")).to_have_text("部门 2025年11月考核排名")
    ranking = page.locator(".am-ranking")
    expect(ranking.locator("tbody tr")).to_have_count(3)
    expect(ranking.locator("td.am-rank")).to_have_text(["1", "1", "1"])
    _fits(page)

    ranking.locator("a:has-text('区商务局')").click()
    expect(page.locator("h1")).to_have_text("区商务局 2025年11月得分表")
    expect(page.locator("#sheet-total")).to_have_text("95.00")
    expect(page.locator("input[name=occurred_on]")).to_have_value("2025-11-01")
    _fill_entry(page, "-2", "电话接听不及时", "2025-11-05")
    page.click("#entry-form button:has-text('录入')")
    expect(page.locator(".messages")).to_contain_text("已录入")
    expect(page.locator("#sheet-total")).to_have_text("93.00")
    expect(page.locator("#sheet-rank")).to_have_text("第3名")
    expect(page.locator("#entries")).to_contain_text("电话接听不及时")
    _fits(page)
    _shot(page, f"month_sheet_{width}")

    page.click(".crumbs a:has-text('部门 2025年11月')")
    last = page.locator(".am-ranking tbody tr").last
    expect(last.locator(".am-unit")).to_have_text("区商务局")
    expect(last.locator("td.am-rank")).to_have_text("3")
    expect(last).to_contain_text("末位")
    _fits(page)
    _shot(page, f"month_ranking_{width}")
    page.click("button:has-text('审核通过')")
    expect(page.locator(".am-state").first).to_have_text("已审核")
    page.click("button:has-text('锁定')")
    expect(page.locator(".am-state").first).to_have_text("已锁定")
    expect(page.locator("button:has-text('发布')")).to_be_visible()

    page.locator(".am-ranking a:has-text('区商务局')").click()
    expect(page.locator("#entry-form h2")).to_have_text("更正：录入加减分")
    _fill_entry(page, "1", "复核后部分扣分不成立", "2025-11-05")
    page.click("#entry-form button:has-text('提交更正')")
    # No reason: the browser holds the form back (the server refuses it too: the page tests).
    expect(page.locator("textarea[name=correction_reason]:invalid")).to_have_count(1)
    expect(page.locator("#sheet-total")).to_have_text("93.00")
    page.fill("#entry-form textarea[name=correction_reason]", "核实后一次来电已接听")
    page.click("#entry-form button:has-text('提交更正')")
    expect(page.locator(".messages")).to_contain_text("已更正")
    expect(page.locator("#sheet-total")).to_have_text("94.00")
    expect(page.locator("#entries")).to_contain_text("锁定后更正")
    _fits(page)
    _shot(page, f"month_correction_{width}")

    page.goto(f"{live_server.url}/assessments/months/{month.pk}/history/")
    expect(page.locator(".am-history")).to_contain_text("核实后一次来电已接听")
    _fits(page)
    _shot(page, f"month_history_{width}")
