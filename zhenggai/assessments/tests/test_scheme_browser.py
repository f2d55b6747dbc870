"""Setting up an assessment in a real browser, as the office's 评价办: a group, a scheme, two
indicators, one of them changed, the version issued; on a desktop and on a phone, nothing sticks
out sideways."""

import os
import re

import pytest
from playwright.sync_api import expect

from zhenggai.assessments.models import SchemeVersion
from zhenggai.orgs.models import Unit
from zhenggai.orgs.services import create_unit
from zhenggai.testing import make_world

pytestmark = pytest.mark.browser

# Anything sticking out to the right of the viewport, outside a scrolling frame.
OVERFLOWING = """(width) => [...document.querySelectorAll('body *')]
  .filter((e) => e.getBoundingClientRect().right > width + 0.5)
  .filter((e) => {
    for (let p = e.parentElement; p; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (s.overflowX === 'auto' || s.overflowX === 'scroll' || s.overflowX === 'hidden') return false;
    }
    return true;
  })
  .map((e) => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""


def fits(page, width: int, name: str) -> None:
    folder = os.environ.get("ZHENGGAI_SCREENSHOTS")
    if folder:
        page.screenshot(path=f"{folder}/scheme-{name}-{width}.png", full_page=True)
    assert page.evaluate(OVERFLOWING, width) == [], f"{name} at {width}px"
    assert page.evaluate("document.documentElement.scrollWidth") <= width, name


def add_indicator(page, width, section, name, points, *, computed=False):
    page.get_by_role("link", name="添加指标").click()
    page.fill("input[name=section]", section)
    page.fill("input[name=name]", name)
    metric = page.locator("select[name=metric]")
    if computed:
        page.check("input[name=kind][value=computed]")
        expect(metric).to_be_visible()
        metric.select_option(label="按期整改率")
        page.fill("input[name=deduct_per]", "0.2")
        fits(page, width, "indicator-form")
    else:
        page.check("input[name=kind][value=entered]")
        expect(metric).to_be_hidden()
    page.fill("input[name=points]", points)
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".messages")).to_contain_text(f"指标“{name}”已添加。")


@pytest.mark.parametrize("width", [1280, 390])
def test_the_office_sets_up_a_scheme_and_issues_it(sign_in, live_server, transactional_db, width):  # noqa: F811
    world = make_world()
    for name in ("区商务局", "区税务局", "区市场监督管理局"):
        create_unit(name, Unit.Kind.UNIT, world.office)
    page = sign_in("evaluator", width)
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{live_server.url}/assessments/schemes/")
    fits(page, width, "list-empty")

    page.get_by_role("link", name="新建分组").click()
    page.fill("input[name=name]", "部门")
    for name in ("区科技局", "区商务局", "区税务局"):
        page.get_by_label(name).check()
    fits(page, width, "group")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".messages")).to_contain_text("考核分组“部门”已建立。")

    page.get_by_role("link", name="新建考核办法").click()
    page.select_option("select[name=group]", label="部门")
    page.fill("input[name=year]", "2026")
    page.fill("input[name=title]", "2026年优化营商环境工作考核办法（部门）")
    page.check("input[name=tie_rule][value=dense]")
    fits(page, width, "scheme")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("h1")).to_have_text("2026年优化营商环境工作考核办法（部门）")

    add_indicator(page, width, "日常工作", "按期整改", "40", computed=True)
    add_indicator(page, width, "日常督查", "日常督查情况", "50")
    expect(page.locator("main")).to_contain_text("按期整改率，每低1个百分点扣0.2分")
    expect(page.locator(".total-warning")).to_contain_text("合计90分")

    page.locator("tr", has_text="日常督查情况").get_by_role("link", name="修改").click()
    expect(page.locator("input[name=points]")).to_have_value(re.compile(r"^50(\.0+)?$"))
    expect(page.locator("select[name=metric]")).to_be_hidden()
    fits(page, width, "indicator-edit")
    page.fill("input[name=points]", "60")
    page.get_by_role("button", name="保存").click()
    row = page.locator("tr", has_text="日常督查情况")
    expect(row).to_contain_text("60")
    expect(page.locator(".total-warning")).to_have_count(0)
    fits(page, width, "draft")

    page.get_by_role("button", name="发布第1版").click()
    expect(page.locator(".messages")).to_contain_text("第1版已发布，自2026年1月起施行。")
    expect(page.get_by_role("link", name="修改")).to_have_count(0)
    expect(page.get_by_role("button", name="新建修订版本")).to_be_visible()
    fits(page, width, "issued")
    version = SchemeVersion.objects.get(scheme__year=2026)
    assert not version.is_draft and version.indicators.get(name="日常督查情况").points == 60

    page.goto(f"{live_server.url}/assessments/schemes/")
    expect(page.locator("main")).to_contain_text("第1版（2026年1月起）")
    fits(page, width, "list")
    page.context.close()
