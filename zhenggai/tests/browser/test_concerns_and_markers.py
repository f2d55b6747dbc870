"""In a real browser: the discipline group raises a concern, the leader sees it in 我的任务 and
answers it there, the group closes it, and the ledger's marker follows; a measure without a
责任人 shows no green light and no "NoneNone"."""

import pytest
from playwright.sync_api import expect

from zhenggai.ledger import services
from zhenggai.testing import make_world

pytestmark = pytest.mark.browser


def ledger_row(page, title):
    return page.locator("table.ledger tbody tr", has_text=title)


def test_a_concern_is_raised_answered_and_closed(sign_in, live_server, transactional_db, tmp_path):
    world = make_world()
    problem = world.problem("“三重一大”决策制度执行不严格", approve=True)

    jijian = sign_in("discipline")
    jijian.goto(f"{live_server.url}/problems/{problem.pk}/")
    jijian.click("a.button:has-text('提出监督意见')")
    jijian.fill("textarea[name=note]", "整改措施偏重学习部署，请补充制度执行情况的佐证材料。")
    jijian.click("button:has-text('提交')")
    expect(jijian.locator(".messages")).to_contain_text("监督意见已记录")
    expect(jijian.locator(".flag .concern")).to_have_text("监督意见待答复")
    jijian.goto(f"{live_server.url}/ledger/")
    expect(ledger_row(jijian, problem.title).locator(".concern")).to_have_text("监督意见待答复")

    leader = sign_in("leader")
    leader.goto(f"{live_server.url}/my/")
    concerns = leader.locator("#flags")
    expect(concerns).to_contain_text("待我答复（1）")
    expect(concerns).to_contain_text("请补充制度执行情况的佐证材料")
    concerns.locator("textarea[name=answer]").fill("已补充党组会议纪要和制度印发文件。")
    concerns.locator("button:has-text('提交答复')").click()
    expect(leader.locator(".messages")).to_contain_text("监督意见已答复")
    expect(leader.locator("h1")).to_have_text("我的任务")
    expect(leader.locator("#flags")).to_have_count(0)

    jijian.goto(f"{live_server.url}/ledger/")
    expect(ledger_row(jijian, problem.title).locator(".concern")).to_have_text("监督意见已答复")
    jijian.goto(f"{live_server.url}/my/")
    jijian.locator("#flags a", has_text=problem.title).click()
    expect(jijian.locator(".flag")).to_contain_text("已补充党组会议纪要和制度印发文件。")
    jijian.click("button:has-text('确认办结')")
    expect(jijian.locator(".messages")).to_contain_text("监督意见已办结")
    jijian.goto(f"{live_server.url}/ledger/")
    expect(ledger_row(jijian, problem.title).locator(".concern")).to_have_text("监督意见已办结")
    jijian.screenshot(path=str(tmp_path / "ledger.png"), full_page=True)


def test_a_measure_without_owner_has_no_green_light(sign_in, live_server, transactional_db):
    world = make_world()
    problem = world.problem("会议记录不规范", measures=0)
    services.create_measure(
        problem,
        by=world.leader,
        text="规范会议记录",
        lead_section=world.section,
        deadline_kind="ongoing",
    )

    staff = sign_in("staff")
    for path in ("/ledger/", f"/problems/{problem.pk}/", "/my/"):
        staff.goto(f"{live_server.url}{path}")
        main = staff.locator("main")
        expect(main).to_contain_text("未定责任人")
        expect(main).not_to_contain_text("NoneNone")
        expect(staff.locator(".light.green")).to_have_count(0)
        expect(staff.locator(".light.unset").first).to_be_visible()
    staff.goto(f"{live_server.url}/ledger/")
    expect(ledger_row(staff, problem.title)).to_contain_text("未定责任领导")
    staff.goto(f"{live_server.url}/problems/{problem.pk}/")
    expect(staff.locator(".facts")).to_contain_text("缺责任人")
    expect(staff.locator(".facts")).to_contain_text("缺责任领导")
