"""The loop in a real browser: report with evidence, ask for close-out, be returned with a
reason, fix it, be approved; the round's overview changes with it."""

import pytest
from playwright.sync_api import expect

from zhenggai.lib import samples
from zhenggai.testing import make_world

pytestmark = pytest.mark.browser

PDF = samples.pdf()


def stat(page, label):
    return page.locator(".stat", has_text=label).locator("b")


def test_report_return_fix_and_close_out(sign_in, live_server, transactional_db, tmp_path):
    world = make_world()
    problem = world.problem("“三重一大”决策制度执行不严格", approve=True)
    evidence = tmp_path / "党组会议纪要.pdf"
    evidence.write_bytes(PDF)

    staff = sign_in("staff")
    staff.goto(f"{live_server.url}/rounds/{world.round.pk}/")
    expect(stat(staff, "已销号")).to_have_text("0")
    staff.goto(f"{live_server.url}/problems/{problem.pk}/")
    staff.click("text=报告进展")
    staff.fill("textarea[name=text]", "已修订《党组议事规则》，并于10月召开党组会议学习。")
    staff.set_input_files("input[name=files]", str(evidence))
    staff.click("button:has-text('提交')")
    expect(staff.locator(".messages")).to_contain_text("整改进展已报告")
    expect(staff.locator("a:has-text('党组会议纪要.pdf')")).to_be_visible()
    staff.click("a.button:has-text('申请销号')")
    staff.fill("textarea[name=note]", "整改措施已全部落实。")
    staff.click("button:has-text('确认申请销号')")
    expect(staff.locator(".state").first).to_have_text("待销号审核")

    leader = sign_in("leader")
    leader.goto(f"{live_server.url}/problems/{problem.pk}/")
    leader.click("a.button:has-text('退回')")
    # A return without a reason is not even sent: the browser asks for the required field.
    expect(leader.locator("textarea[name=note]")).to_have_attribute("required", "")
    leader.click("button:has-text('确认退回')")
    expect(leader.locator("h1")).to_have_text("退回")
    leader.fill("textarea[name=note]", "缺少制度印发文件，请补充。")
    leader.click("button:has-text('确认退回')")
    expect(leader.locator(".state").first).to_have_text("整改中")
    expect(leader.locator(".timeline")).to_contain_text("缺少制度印发文件")

    staff.reload()
    staff.click("text=报告进展")
    staff.fill("textarea[name=text]", "补充《党组议事规则》印发文件。")
    staff.set_input_files("input[name=files]", str(evidence))
    staff.click("button:has-text('提交')")
    staff.click("a.button:has-text('申请销号')")
    staff.fill("textarea[name=note]", "已补充印发文件。")
    staff.click("button:has-text('确认申请销号')")

    leader.reload()
    leader.click("a.button:has-text('同意销号')")
    leader.click("button:has-text('确认同意销号')")
    expect(leader.locator(".state").first).to_have_text("已销号")

    leader.goto(f"{live_server.url}/rounds/{world.round.pk}/")
    expect(stat(leader, "已销号")).to_have_text("1")
    expect(stat(leader, "整改完成率")).to_have_text("100.0%")
    leader.screenshot(path=str(tmp_path / "overview.png"), full_page=True)
