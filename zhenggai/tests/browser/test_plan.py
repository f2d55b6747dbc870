"""The 整改方案 in a real browser: a section's staff asks for the plan of a round without problems
and is told why not, on the round's page; the rectification office downloads the plan from the
round's page, uploads its own template on the notice page, and downloads the plan again in it.
The round's page fits at 1280 and 390 px."""

from io import BytesIO
from pathlib import Path

import pytest
from docx import Document
from playwright.sync_api import expect

from zhenggai.reports import documents
from zhenggai.testing import make_world
from zhenggai.tests.browser.looks import fits, shot

pytestmark = pytest.mark.browser


def downloaded(page, link) -> list[str]:
    with page.expect_download() as info:
        link.click()
    data = Path(info.value.path()).read_bytes()
    return [p.text for p in Document(BytesIO(data)).paragraphs]


def plan_item(page):
    return page.locator("ul.papers li", has_text="整改方案")


def test_download_the_plan_then_use_an_own_template(
    browser, sign_in, live_server, tmp_path, transactional_db
):
    world = make_world()
    round_url = f"{live_server.url}/rounds/{world.round.pk}/"

    staff = sign_in("staff")
    staff.goto(round_url)
    plan_item(staff).locator("a:has-text('Word')").click()
    expect(staff.locator(".messages")).to_contain_text("本轮次还没有问题，无法生成整改方案")
    assert staff.url == round_url

    world.problem("学习贯彻不深入", measures=2)
    office = sign_in("rect_office")
    office.goto(round_url)
    item = plan_item(office)
    expect(item.locator("a:has-text('PDF')")).to_have_count(1 if documents.soffice() else 0)
    lines = downloaded(office, item.locator("a:has-text('Word')"))
    assert lines[0] == "中共区科技局党组关于落实区委第一巡察组巡察反馈意见的整改方案"
    assert "1．学习贯彻不深入" in lines and "三、整改任务" in lines
    assert fits(office)
    shot(office, "plan-round-1280.png")

    template = Document(BytesIO(documents.builtin_template("plan")))
    template.add_paragraph("本方案共{{ totals.measures }}条整改措施。")
    own = tmp_path / "我们的整改方案模板.docx"
    template.save(own)
    office.goto(f"{round_url}notice/")
    field = office.locator("input[aria-label='整改方案模板文件']")
    row = office.locator("tr", has=field)
    field.set_input_files(str(own))
    row.locator("button:has-text('上传')").click()
    expect(office.locator(".messages")).to_contain_text("模板已更换")
    expect(row).to_contain_text("本单位模板“我们的整改方案模板.docx”")

    office.goto(round_url)
    lines = downloaded(office, plan_item(office).locator("a:has-text('Word')"))
    assert lines[-1] == "本方案共2条整改措施。"

    phone = sign_in("leader", width=390)
    phone.goto(round_url)
    expect(plan_item(phone).locator("a:has-text('Word')")).to_be_visible()
    assert fits(phone)
    shot(phone, "plan-round-390.png")
