"""The trends page and the public 红黑榜 in a real browser: the chart is drawn, and nothing
scrolls sideways on a desktop or a phone."""

import os

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from zhenggai.assessments.models import Scheme
from zhenggai.evaluations.tests.test_statistics_browser import OVERFLOWING

pytestmark = pytest.mark.browser


def shoot(page, name):
    folder = os.environ.get("ZHENGGAI_SCREENSHOTS")
    if folder:
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


def fits(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate(OVERFLOWING, width) == []


@pytest.mark.parametrize("width", [1280, 390])
def test_the_trends_draw_a_chart_and_fit_the_screen(
    transactional_db, sign_in, live_server, world, assessed, width
):
    page = sign_in("evaluator", width=width)
    page.goto(f"{live_server.url}{reverse('assessment_trends')}")
    expect(page.locator("h1")).to_have_text("考核走势")
    expect(page.locator(".chart canvas").first).to_be_visible()
    expect(page.locator(".as-trend-table")).to_contain_text("区商务局")
    shoot(page, f"assessment_trends_{width}")
    fits(page, width)

    page.select_option("select[name=unit]", label="区科技局")
    page.get_by_role("button", name="查看").click()
    expect(page.locator("h1")).to_have_text("区科技局考核走势")
    expect(page.locator(".chart canvas").first).to_be_visible()
    expect(page.locator(".as-trend-table")).to_contain_text("第3名 / 共3个")
    shoot(page, f"assessment_unit_trend_{width}")
    fits(page, width)


def test_the_public_lists_fit_a_phone(transactional_db, browser, live_server, assessed):
    Scheme.objects.filter(pk=assessed["scheme"].pk).update(public_lists=True)
    page = browser.new_context(viewport={"width": 390, "height": 900}).new_page()
    page.goto(f"{live_server.url}{reverse('public_lists', args=[assessed['scheme'].pk])}")
    expect(page.locator("h2").first).to_have_text("2025年11月")
    expect(page.locator(".as-top").first).to_contain_text("区商务局")
    expect(page.locator(".as-bottom").first).to_contain_text("区科技局")
    shoot(page, "assessment_public_lists_390")
    fits(page, 390)
