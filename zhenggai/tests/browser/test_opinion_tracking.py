"""An opinion's tracking code in a real browser: a member of the public sends an opinion, copies
the code shown, the office answers it, and the sender reads the reply with the code, on a desktop
and on a phone."""

import pytest
from playwright.sync_api import expect

from zhenggai.public import tracking
from zhenggai.public.models import Opinion
from zhenggai.reports import services as reports
from zhenggai.reports.models import default_notice
from zhenggai.testing import make_world
from zhenggai.tests.browser.looks import fits, shot

pytestmark = pytest.mark.browser

REPLY = "制度文件已于本月在门户网站公开，感谢监督。"


@pytest.mark.parametrize("width", [1280, 390])
def test_send_copy_the_code_and_read_the_reply(
    browser, sign_in, live_server, transactional_db, width
):
    world = make_world()
    world.rect_office.first_name = "张办理"
    world.rect_office.save()
    world.problem("学习贯彻不深入")
    notice = reports.save_notice(default_notice(world.round), by=world.rect_office, phone="1")
    notice = reports.publish_notice(notice, by=world.leader)

    visitor = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    visitor.goto(f"{live_server.url}/public/notices/{notice.pk}/")
    visitor.fill("textarea[name=text]", "建议公开修订后的制度文件")
    visitor.fill("input[name=name]", "王先生")
    visitor.click("button:has-text('提交意见')")
    shown = visitor.locator("#tracking-code")
    expect(shown).to_be_in_viewport()
    expect(visitor.locator(".tracking-issued")).to_contain_text("请抄写或截图保存此查询码")
    assert fits(visitor)
    shot(visitor, f"opinion-code-{width}.png")
    code = shown.inner_text()
    opinion = Opinion.objects.get()
    assert code == tracking.grouped(opinion.tracking_code)

    visitor.reload()  # shown once: not again on the same page
    expect(visitor.locator("#tracking-code")).to_have_count(0)

    office = sign_in("rect_office", width)  # the office answers on its triage page
    office.goto(f"{live_server.url}/rounds/{world.round.pk}/opinions/")
    expect(office.locator(".reply-help")).to_contain_text("处理意见即对提交人的答复")
    office.select_option("form.triage select[name=status]", "answered")
    office.fill("form.triage input[name=note]", REPLY)
    office.click("form.triage button:has-text('保存')")
    expect(office.locator(".messages")).to_contain_text("处理结果已保存")
    assert fits(office)
    shot(office, f"opinion-triage-{width}.png")
    opinion.refresh_from_db()
    assert (opinion.status, opinion.handling_note) == ("answered", REPLY)

    visitor.click("text=凭查询码查看办理情况和答复")
    expect(visitor.locator("h1")).to_have_text("意见办理查询")
    visitor.fill("input[name=code]", code.lower().replace("-", " "))  # as a person may type it
    visitor.click("button:has-text('查询')")
    reply = visitor.locator("#reply")
    expect(reply).to_contain_text("已办结")
    expect(reply).to_contain_text(REPLY)
    expect(reply).to_contain_text(notice.published_content["title"])
    expect(reply).to_contain_text(code)
    for hidden in ("张办理", "王先生", "建议公开修订后的制度文件"):
        expect(visitor.locator("main")).not_to_contain_text(hidden)
    assert "?" not in visitor.url and code not in visitor.url  # posted, not in the address
    assert fits(visitor)
    shot(visitor, f"opinion-reply-{width}.png")

    visitor.fill("input[name=code]", "ABCD-EFGH-JKMN")
    visitor.click("button:has-text('查询')")
    expect(visitor.locator(".messages")).to_contain_text("未查到该查询码对应的意见")
    expect(visitor.locator("#reply")).to_have_count(0)
