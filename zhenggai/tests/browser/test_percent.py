"""Reporting a completion percentage through the progress form, on a phone and at 1280 px: the
field follows the measure chosen, a refusal is told beside it, and the problem page and the
ledger show the new figures."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from zhenggai.testing import make_world
from zhenggai.tests.browser.looks import fits, shot

pytestmark = pytest.mark.browser

TITLE = "党组理论学习中心组学习制度执行不严格，学习内容与本单位实际结合不够紧密，以学促干成效不明显"


@pytest.mark.parametrize("width", [390, 1280])
def test_a_percentage_reported_on_the_form_shows_on_the_problem_and_the_ledger(
    sign_in, live_server, transactional_db, width
):
    world = make_world()
    problem = world.problem(TITLE, measures=2, approve=True)
    first, second = problem.measures.order_by("position")
    page = sign_in("staff", width)

    page.goto(f"{live_server.url}{reverse('problem_detail', args=[problem.pk])}")
    expect(page.locator(".pagehead .pct b")).to_have_text("0%")
    page.locator(f"a[href$='?measure={first.pk}']").click()
    percent = page.locator("#id_percent")
    expect(page.locator("#id_measure")).to_have_value(str(first.pk))
    expect(percent).to_have_value("0")
    # The whole problem takes no percentage; choosing a measure again brings its figure back.
    page.select_option("#id_measure", "")
    expect(percent).to_be_disabled()
    page.select_option("#id_measure", str(first.pk))
    expect(percent).to_be_enabled()
    page.fill("#id_text", "已起草《党组理论学习中心组学习制度》，正在征求意见。")
    # A figure beyond 100 is refused beside the field (the browser's own check set aside).
    page.evaluate("document.querySelector('form[enctype]').noValidate = true")
    percent.fill("160")
    page.click("form[enctype] button[type=submit]")
    expect(page.locator(".field.has-error .error")).to_have_text(
        "完成进度应为 0 至 100 之间的整数。"
    )
    assert fits(page)
    shot(page, f"percent-refused-{width}.png")

    page.locator("#id_percent").fill("60")
    page.click("form[enctype] button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("整改进展已报告")
    expect(page.locator(".pagehead .pct b")).to_have_text("30%")
    facts = page.locator("article.measure dl.facts")
    expect(facts.nth(0).locator(".pct b")).to_have_text("60%")
    expect(facts.nth(1).locator(".pct b")).to_have_text("0%")
    expect(page.locator("#reports .report").first).to_contain_text("完成进度 60%")
    assert fits(page)
    shot(page, f"percent-problem-{width}.png")

    page.goto(f"{live_server.url}{reverse('ledger')}?sort=-percent")
    row = page.locator("table.ledger tbody tr").first
    expect(row).to_contain_text(TITLE[:10])
    expect(row.locator(".pct b")).to_have_text("30%")
    expect(row.locator(".pct progress")).to_be_visible()
    box = row.locator(".pct").bounding_box()
    assert box["x"] + box["width"] <= width
    assert fits(page)
    shot(page, f"percent-ledger-{width}.png")

    # The form opened on the other measure starts from that measure's figure.
    page.goto(f"{live_server.url}{reverse('report_create', args=[problem.pk])}?measure={second.pk}")
    expect(page.locator("#id_percent")).to_have_value("0")
    page.select_option("#id_measure", str(first.pk))
    expect(page.locator("#id_percent")).to_have_value("60")
    assert fits(page)
    shot(page, f"percent-form-{width}.png")
