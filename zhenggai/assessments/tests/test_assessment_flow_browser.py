"""The whole month's loop in a real browser, as the office's 评价办 works it: a scheme set up,
a month started and scored, a deduction entered, the month reviewed, locked and its 考核通报
downloaded, the ranking published; the unit last two months running is called in, and the
interview is held with commitments that become problems of the unit."""

from decimal import Decimal

import pytest
from docx import Document
from playwright.sync_api import expect

from zhenggai.assessments.models import Interview, Scheme
from zhenggai.assessments.services import months
from zhenggai.assessments.tests.conftest import EARLIER
from zhenggai.assessments.tests.test_scheme_browser import add_indicator, fits

pytestmark = pytest.mark.browser


def _publish_earlier(scheme, world):
    """The month before, published with the world's unit last."""
    month = months.open_month(scheme, EARLIER, by=world.evaluator)
    indicator = month.version.indicators.get(name="日常督查")
    months.add_entry(
        month,
        world.unit,
        indicator,
        by=world.evaluator,
        amount=Decimal(-4),
        reason="会议缺席",
        occurred_on=EARLIER,
    )
    for step in (months.review, months.lock, months.publish):
        step(month, by=world.evaluator)


def test_scheme_month_entries_lock_bulletin_and_a_bottom_rank_interview(
    transactional_db, sign_in, live_server, world, units, tmp_path
):
    width = 1280
    page = sign_in("evaluator", width)
    page.on("dialog", lambda dialog: dialog.accept())

    # The scheme: a group of three units, two indicators, issued.
    page.goto(f"{live_server.url}/assessments/schemes/")
    page.get_by_role("link", name="新建分组").click()
    page.fill("input[name=name]", "部门")
    for unit in units:
        page.get_by_label(unit.name).check()
    page.get_by_role("button", name="保存").click()
    page.get_by_role("link", name="新建考核办法").click()
    page.select_option("select[name=group]", label="部门")
    page.fill("input[name=year]", "2025")
    page.fill("input[name=title]", "2025年优化营商环境工作考核办法")
    page.get_by_role("button", name="保存").click()
    add_indicator(page, width, "日常工作", "按期整改", "40", computed=True)
    add_indicator(page, width, "日常督查", "日常督查", "60")
    page.get_by_role("button", name="发布第1版").click()
    expect(page.locator(".messages")).to_contain_text("第1版已发布")
    scheme = Scheme.objects.get()
    _publish_earlier(scheme, world)

    # The month: started, a deduction entered on the world's unit, which falls to last.
    page.goto(f"{live_server.url}/assessments/")
    page.fill("input[name=month]", "2025-11")
    page.click("button:has-text('开始评分')")
    expect(page.locator(".messages")).to_contain_text("已开始评分")
    page.goto(f"{live_server.url}/assessments/")
    page.click(".am-months a:has-text('排名')")
    page.locator(".am-ranking a:has-text('区科技局')").click()
    form = page.locator("#entry-form form")
    form.locator("select[name=indicator]").select_option(label="日常督查·日常督查")
    form.locator("input[name=amount]").fill("-0.5")
    form.locator("input[name=reason]").fill("电话接听不及时")
    form.locator("input[name=rule]").fill("考核办法第五条")
    form.locator("input[name=occurred_on]").fill("2025-11-12")
    page.click("#entry-form button:has-text('录入')")
    expect(page.locator("#sheet-total")).to_have_text("99.50")
    expect(page.locator("#sheet-rank")).to_have_text("第3名")

    # Reviewed, locked, the 通报 downloaded, published.
    page.click(".crumbs a:has-text('部门 2025年11月')")
    page.click("button:has-text('审核通过')")
    page.click("button:has-text('锁定')")
    expect(page.locator(".am-state").first).to_have_text("已锁定")
    with page.expect_download() as download:
        page.click("a:has-text('考核通报（Word）')")
    path = tmp_path / "bulletin.docx"
    download.value.save_as(path)
    text = "\n".join(p.text for p in Document(path).paragraphs)
    tables = "\n".join(c.text for t in Document(path).tables for r in t.rows for c in r.cells)
    assert "2025年11月" in text and "区科技局" in tables and "电话接听不及时" in text + tables
    page.click("button:has-text('发布')")
    expect(page.locator(".am-state").first).to_have_text("已发布")
    fits(page, width, "flow-published")

    # Last two months running: one interview, held with a commitment that becomes a problem.
    interview = Interview.objects.get()
    assert interview.unit == world.unit and interview.month.month.month == 11
    page.goto(f"{live_server.url}/assessments/interviews/")
    page.locator("table a", has_text="区科技局").click()
    page.click("a.button:has-text('安排约谈')")
    page.fill("input[name=scheduled_on]", "2025-12-10")
    page.fill("input[name=interviewer]", "区营商办主任")
    page.fill("input[name=interviewees]", "区科技局局长")
    page.click("button:has-text('保存')")
    page.click("a.button:has-text('登记约谈情况')")
    page.fill("textarea[name=minutes]", "通报连续两月末位情况。")
    page.fill("textarea[name=c-0-text]", "建立电话值守制度，专人接听")
    page.fill("input[name=c-0-deadline]", "2026-01-31")
    page.click("button.primary:has-text('保存')")
    expect(page.locator("body")).to_contain_text("约谈情况已登记")
    page.locator("#commitments tbody tr").first.locator("a").click()
    expect(page.locator("h1")).to_contain_text("建立电话值守制度")
    problem = Interview.objects.get().commitments.get().problem
    assert (
        problem.unit == world.unit and problem.measures.get().deadline.isoformat() == "2026-01-31"
    )
    page.context.close()
