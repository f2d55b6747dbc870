"""Text typed into a form survives an expired session, in a real browser."""

import pytest
from playwright.sync_api import expect

from zhenggai.testing import PASSWORD, make_world

pytestmark = pytest.mark.browser


def test_typed_text_comes_back_after_signing_in_again(sign_in, live_server, transactional_db):
    world = make_world()
    problem = world.problem(approve=True)
    measure = world.measure(problem)
    page = sign_in("leader")
    page.goto(f"{live_server.url}/measures/{measure.pk}/edit/")
    page.fill("textarea[name=text]", "修订议事规则，\n报党组会议审议。")
    page.fill("input[name=rules_made]", "2")
    from django.contrib.sessions.models import Session

    Session.objects.all().delete()  # the session expires on the server; the browser keeps it
    page.click("button:has-text('保存')")

    expect(page.locator("main")).to_contain_text("登录已超时")
    page.fill("input[name=username]", "leader")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")

    expect(page).to_have_url(f"{live_server.url}/measures/{measure.pk}/edit/")
    expect(page.locator("#typed-form-note")).to_be_visible()
    expect(page.locator("textarea[name=text]")).to_have_value("修订议事规则，\n报党组会议审议。")
    expect(page.locator("input[name=rules_made]")).to_have_value("2")
    expect(page.locator("input[name=deadline]")).to_have_value("2030-01-01")
    page.click("button:has-text('保存')")
    expect(page.locator(".messages")).to_contain_text("已保存")
    measure.refresh_from_db()
    assert (measure.text, measure.rules_made) == ("修订议事规则，\n报党组会议审议。", 2)
