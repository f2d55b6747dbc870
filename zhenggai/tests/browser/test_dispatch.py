"""The 调度 sheet in a real browser: opened from the round page, switched to the month, a figure
followed to the ledger rows it counts; at 1280 px and on a 390 px phone the page fits (the
tables scroll inside their box)."""

from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from zhenggai.supervision import dispatch_page
from zhenggai.supervision.tests.dispatch_data import THURSDAY, build
from zhenggai.testing import make_world
from zhenggai.tests.browser.looks import fits, shot

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db, monkeypatch):
    # The live server runs in this process: the sheet's "today" is the Thursday of the data.
    monkeypatch.setattr(dispatch_page, "timezone", SimpleNamespace(localdate=lambda: THURSDAY))
    world = make_world()
    build(world)
    return world


@pytest.mark.parametrize("width", [1280, 390])
def test_from_the_round_page_to_the_month_and_a_figures_ledger_rows(
    sign_in, live_server, world, width
):
    page = sign_in("rect_office", width=width)
    page.goto(f"{live_server.url}/rounds/{world.round.pk}/")
    page.locator("ul.papers li", has_text="调度表").get_by_role("link", name="本周").click()
    expect(page.locator("h1")).to_have_text("区科技局整改工作调度表")
    expect(page.locator(".pagehead")).to_contain_text("2026年第49周（11月30日至12月6日）")
    office = page.locator("#by-section ~ .scroll tr", has_text="办公室").first
    expect(office.locator("[data-figure=due]")).to_have_text("4")  # m1 m2 m14 m15
    assert fits(page)
    shot(page, f"dispatch-week-{width}.png")

    page.get_by_role("link", name="按月查看").click()
    expect(page.locator(".pagehead")).to_contain_text("2026年12月")
    office = page.locator("#by-section ~ .scroll tr", has_text="办公室").first
    expect(office.locator("[data-figure=due]")).to_have_text("4")
    total = page.locator("#by-section ~ .scroll tr.total")
    expect(total.locator("[data-figure=overdue]")).to_have_text("3")  # m4 m11 m13
    assert fits(page)
    shot(page, f"dispatch-month-{width}.png")

    office.locator("[data-figure=due] a").click()
    page.wait_for_url("**/ledger/?**")
    table = page.locator("#ledger-table")
    expect(table).to_contain_text("共 3 个问题")  # two measures of problem 14
    for title in ("问题1", "问题2", "问题14"):
        expect(table.locator(".problem", has_text=title).first).to_be_visible()
    expect(page.locator(".measure-terms")).to_contain_text("措施期限自 2026-12-01")
    assert fits(page)

    # Another filter keeps the figure's measure conditions (hidden fields).
    page.locator("#ledger-filters select[name=sort]").select_option("due")
    page.wait_for_url("**sort=due**")
    assert "measure_due_from=2026-12-01" in page.url
    expect(page.locator("#ledger-table")).to_contain_text("共 3 个问题")


@pytest.mark.parametrize("width", [390, 1280])
def test_the_sheet_reads_on_a_phone_without_scrolling_sideways(sign_in, live_server, world, width):
    """At 390 px every column of the figures is in view (headings wrap) and each oldest
    overdue item is a card as wide as the page; at 1280 px both are tables as before."""
    page = sign_in("rect_office", width=width)
    page.goto(f"{live_server.url}/dispatch/?unit={world.unit.pk}&date=2026-12-03")
    expect(page.locator("h1")).to_have_text("区科技局整改工作调度表")
    assert fits(page)
    for table in page.locator("table.dispatch-table").all():
        box = table.locator("thead th").last.bounding_box()  # 按期完成率
        assert box["x"] + box["width"] <= width, box
        scroller = table.locator("xpath=..")
        assert scroller.evaluate("e => e.scrollWidth <= e.clientWidth + 1")
    item = page.locator("table.dispatch-oldest tbody tr").first
    expect(item).to_contain_text("措施4")
    text = item.locator("td.item-text").bounding_box()
    heading = page.locator("table.dispatch-oldest thead")
    if width == 390:
        assert text["width"] > 250, text  # the measure over the card's width, not 2 characters
        expect(heading).to_be_hidden()
        late = item.locator("td[data-label=逾期天数]")
        expect(late).to_have_text("23")
        said = late.evaluate("e => getComputedStyle(e, '::before').content")
        assert said == '"逾期天数："', said  # each figure of the card says what it is
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height < 2000, height
    else:
        expect(heading).to_be_visible()
    shot(page, f"dispatch-phone-check-{width}.png")
