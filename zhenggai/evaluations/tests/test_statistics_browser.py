"""The statistics pages in a real browser, as the evaluation office, on a desktop and on a
phone: nothing sticks out of the viewport; wide tables scroll inside their own frame."""

import os

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from zhenggai.evaluations.models import RatingPoint
from zhenggai.evaluations.tests.test_statistics import bad, other_unit, rate
from zhenggai.evaluations.values import Channel, Mode
from zhenggai.testing import make_world
from zhenggai.tests.browser.conftest import browser, sign_in  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

# Anything sticking out to the right of the viewport, outside a scrolling frame.
OVERFLOWING = """(width) => [...document.querySelectorAll('main *')]
  .filter((e) => e.getBoundingClientRect().right > width + 0.5)
  .filter((e) => {
    for (let p = e.parentElement; p; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (s.overflowX === 'auto' || s.overflowX === 'scroll' || s.overflowX === 'hidden') return false;
    }
    return true;
  })
  .map((e) => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""


def seed(world):
    point = RatingPoint.objects.create(
        unit=world.unit,
        section=world.section,
        kind=RatingPoint.Kind.WINDOW,
        name="政务服务中心科技窗口",
        mode=Mode.ON_SITE,
    )
    online = RatingPoint.objects.create(
        unit=world.unit, kind=RatingPoint.Kind.ITEM, name="高新技术企业认定", mode=Mode.ONLINE
    )
    rate(point, 5, n=30, service_efficiency=5, service_attitude=4)
    rate(point, 4, n=6, burst=True)
    rate(online, 4, n=8, handling_efficiency=4, channel=Channel.WEB)
    bad(point, phone="13900000000")
    for k, name in enumerate(["区市场监督管理局", "区人力资源和社会保障局", "区统计局"]):
        unit, p = other_unit(world, name)
        rate(p, 5 - k, n=20 + 10 * k)


def shoot(page, name):
    folder = os.environ.get("ZHENGGAI_SCREENSHOTS")
    if folder:
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


@pytest.mark.parametrize("width", [1280, 390])
def test_the_statistics_pages_fit_the_screen(sign_in, live_server, transactional_db, width):  # noqa: F811
    world = make_world()
    seed(world)
    page = sign_in("evaluator", width=width)
    page.goto(f"{live_server.url}{reverse('evaluation_home')}")
    expect(page.locator("h1")).to_have_text("评价统计")
    expect(page.locator(".ev-figures")).to_contain_text("区科技局")
    expect(page.locator(".ev-signs")).to_contain_text("短时集中评价")
    shoot(page, f"evaluation_home_{width}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate(OVERFLOWING, width) == []

    page.get_by_role("link", name="区科技局").click()
    expect(page.locator("h1")).to_have_text("区科技局")
    expect(page.locator("svg.ev-trend rect.good").first).to_be_visible()
    shoot(page, f"evaluation_unit_{width}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate(OVERFLOWING, width) == []

    page.locator("svg.ev-trend a").last.click()
    page.wait_for_url("**/evaluations/ratings/?**")
    expect(page.locator(".ev-ratings tbody tr")).to_have_count(45)
    shoot(page, f"rating_list_{width}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate(OVERFLOWING, width) == []
