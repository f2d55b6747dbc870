"""The dashboard in a real browser: a click on a chart's bar opens the ledger rows behind it; on a
phone the charts stack in one column; printed, the charts fit the page and the tables show."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from zhenggai.ledger.models import Measure, Problem, State
from zhenggai.testing import make_world

pytestmark = pytest.mark.browser


def seed(world):
    today = timezone.localdate()
    for title, area, state in [
        ("请示报告制度执行不严", "政治建设方面", State.IN_PROGRESS),
        ("理论学习流于形式", "政治建设方面", State.IN_PROGRESS),
        ("党组会议记录不规范", "政治建设方面", State.CLOSED),
        ("文山会海问题突出", "作风建设方面", State.PLAN_PENDING),
    ]:
        problem = Problem.objects.create(
            round=world.round,
            unit=world.unit,
            title=title,
            path=[area],
            area=area,
            state=state,
            due_date=today + timedelta(days=30) if state != State.CLOSED else None,
            rectified_on=today if state == State.CLOSED else None,
            rectified_on_time=True if state == State.CLOSED else None,
        )
        Measure.objects.create(
            problem=problem, text="整改", lead_section=world.section, lead_leader=world.leader
        )


# The centre of one bar segment, in page pixels: ECharts' own layout of that data item.
BAR_CENTRE = """([kind, series, index]) => {
  const el = document.querySelector(`.chart[data-chart=${kind}]`);
  const chart = echarts.getInstanceByDom(el);
  const layout = chart.getModel().getSeriesByIndex(series).getData().getItemLayout(index);
  const box = el.getBoundingClientRect();
  return [box.left + layout.x + layout.width / 2, box.top + layout.y + layout.height / 2];
}"""


def test_a_click_on_a_bar_opens_the_ledger_rows_behind_it(sign_in, live_server, transactional_db):
    world = make_world()
    seed(world)
    page = sign_in("inspector")
    page.goto(f"{live_server.url}/dashboard/")
    expect(page.locator(".chart[data-chart=area] svg")).to_be_visible()
    # The bars run from the most problems down: 政治建设方面 first; series 1 is 整改中.
    x, y = page.evaluate(BAR_CENTRE, ["area", 1, 0])
    page.mouse.click(x, y)
    page.wait_for_url("**/ledger/?**")
    assert "state=in_progress" in page.url
    expect(page.locator("#ledger-table")).to_contain_text("共 2 个问题")
    expect(page.locator("#ledger-table")).to_contain_text("请示报告制度执行不严")
    expect(page.locator("#ledger-table")).to_contain_text("理论学习流于形式")
    expect(page.locator("#ledger-table")).not_to_contain_text("党组会议记录不规范")
    expect(page.locator("#ledger-table")).not_to_contain_text("文山会海问题突出")

    page.go_back()
    x, y = page.evaluate(BAR_CENTRE, ["trend", 0, 15])  # this week's rectifications
    page.mouse.click(x, y)
    page.wait_for_url("**/ledger/?**")
    expect(page.locator("#ledger-table")).to_contain_text("共 1 个问题")
    expect(page.locator("#ledger-table")).to_contain_text("党组会议记录不规范")


def test_on_a_phone_the_charts_stack_and_printed_they_fit_the_page(
    sign_in, live_server, transactional_db
):
    world = make_world()
    seed(world)
    page = sign_in("leader", width=390)
    page.goto(f"{live_server.url}/dashboard/")
    charts = page.locator(".chart svg")
    expect(charts.first).to_be_visible()
    boxes = [charts.nth(n).bounding_box() for n in range(charts.count())]
    assert len(boxes) == 4  # area, trend, sections, leaders
    assert len({round(b["x"]) for b in boxes}) == 1  # one column
    assert all(b["x"] >= 0 and b["x"] + b["width"] <= 390 for b in boxes)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.emulate_media(media="print")
    expect(page.locator("details.figures[open]")).to_have_count(4)
    expect(page.locator(".topbar")).to_be_hidden()
    expect(page.locator("form.filters")).to_be_hidden()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
