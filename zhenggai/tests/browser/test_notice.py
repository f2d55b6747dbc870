"""The notice in a real browser: the office withholds a problem, publishes, a member of the public
reads the notice without logging in and sends an opinion, the office withdraws it again."""

import pytest
from playwright.sync_api import expect

from zhenggai.testing import make_world

pytestmark = pytest.mark.browser


def test_publish_read_send_an_opinion_and_withdraw(browser, sign_in, live_server, transactional_db):
    world = make_world()
    world.problem("学习贯彻不深入")
    secret = world.problem("<img src=x onerror=alert(1)>涉及个人隐私的问题")

    office = sign_in("rect_office")
    dialogs = []  # a title planted as markup must stay text on every page
    office.on("dialog", lambda dialog: dialogs.append(dialog) or dialog.dismiss())
    office.goto(f"{live_server.url}/problems/{secret.pk}/")
    office.click("text=公开设置")
    office.check("input[name=disclose][value='0']")
    office.fill("textarea[name=reason]", "涉及个人隐私")
    office.click("button:has-text('保存')")
    expect(office.locator(".messages")).to_contain_text("公开设置已保存")

    office.goto(f"{live_server.url}/rounds/{world.round.pk}/notice/")
    office.fill("input[name=phone]", "023-12345678")
    office.click("form >> button:has-text('保存')")
    expect(office.locator(".messages")).to_contain_text("通报内容已保存")
    office.click("a:has-text('发布公开版通报')")
    expect(office.locator("h1")).to_have_text("发布整改通报")
    office.click("button:has-text('确认发布')")
    expect(office.locator(".messages")).to_contain_text("通报已发布")
    public_url = office.locator("a:has-text('查看公开页面')").get_attribute("href")

    visitor = browser.new_context().new_page()  # nobody logged in
    visitor.on("dialog", lambda dialog: dialogs.append(dialog) or dialog.dismiss())
    visitor.goto(f"{live_server.url}{public_url}")
    document = visitor.locator(".document")
    expect(document).to_contain_text("学习贯彻不深入")
    expect(document).to_contain_text("联系电话：023-12345678")
    expect(document).to_contain_text("其中1个问题按规定不予公开")
    expect(document).not_to_contain_text("涉及个人隐私")
    visitor.fill("textarea[name=text]", "建议公开修订后的制度文件")
    visitor.click("button:has-text('提交意见')")
    confirmation = visitor.locator("#opinion .messages")  # beside the form, where one looks
    expect(confirmation).to_contain_text("您的意见已提交")
    expect(confirmation).to_be_in_viewport()

    office.goto(f"{live_server.url}/rounds/{world.round.pk}/opinions/")
    expect(office.locator(".opinion")).to_contain_text("建议公开修订后的制度文件")
    office.goto(f"{live_server.url}/rounds/{world.round.pk}/notice/")
    office.click("a:has-text('撤回')")
    office.fill("textarea[name=reason]", "内容需更正")
    office.click("button:has-text('撤回')")
    expect(office.locator(".history")).to_contain_text("撤回通报：内容需更正")

    assert visitor.goto(f"{live_server.url}{public_url}").status == 404
    office.goto(f"{live_server.url}/ledger/?round={world.round.pk}")
    assert dialogs == []
