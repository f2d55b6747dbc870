"""Two-factor sign-in in Chromium: a leader signs in, is asked to enrol, types the secret the
page shows into an "authenticator" (the test computes its code), confirms, keeps the recovery
codes, and signs in again with one of them; at 1280 and 390 px, within the page's policy. Until
the code is given the pages show no nav. And the admin's list of users keeps a 姓名 on one line."""

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from zhenggai.accounts.tests.two_factor_helpers import code_at, key_of
from zhenggai.testing import PASSWORD, make_user, make_world
from zhenggai.tests.browser.looks import fits, shot

pytestmark = pytest.mark.browser


def watch_policy(page) -> list[str]:
    violations = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return violations


def password_sign_in(page, username: str) -> None:
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


def expect_no_nav(page) -> None:
    """A session waiting for its second step: the title and 退出登录, no links, no name."""
    expect(page.locator(".topbar nav")).to_have_count(0)
    expect(page.locator(".topbar .who")).to_have_count(0)
    expect(page.locator(".topbar a")).to_have_count(0)
    expect(page.locator(".topbar button")).to_have_text("退出登录")


@pytest.mark.parametrize("width", [1280, 390])
def test_a_leader_enrols_keeps_the_codes_and_signs_in_with_one(
    browser, live_server, transactional_db, settings, width
):
    settings.TWO_FACTOR_REQUIRED = True
    world = make_world()
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    violations = watch_policy(page)
    page.goto(f"{live_server.url}/ledger/")
    password_sign_in(page, "leader")
    expect(page).to_have_url(re.compile(r"/account/two-factor/enrol/\?next=%2Fledger%2F$"))
    expect(page.locator("h1")).to_have_text("绑定身份验证器")
    expect_no_nav(page)
    qr = page.locator("img.qr")
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.naturalWidth") > 100  # the data: image was drawn
    assert fits(page)
    shot(page, f"two-factor-enrol-{width}.png")

    secret = page.locator("#totp-secret").inner_text()
    assert re.fullmatch(r"([A-Z2-7]{4} ?){8}", secret.strip()), secret
    page.fill("input[name=code]", "000000" if code_at(key_of(secret)) != "000000" else "111111")
    page.click("button:has-text('确认绑定')")
    expect(page.locator(".errors")).to_contain_text("验证码不正确")
    page.fill("input[name=code]", code_at(key_of(secret)))
    page.click("button:has-text('确认绑定')")
    # The device's own back-off after a wrong code (1 s), told as a wait, not a lock-out.
    expect(page.locator(".errors")).to_have_text("请稍候几秒再输入验证码。")
    page.wait_for_timeout(1100)
    page.fill("input[name=code]", code_at(key_of(secret)))
    page.click("button:has-text('确认绑定')")

    codes = page.locator("#recovery-codes code")
    expect(codes).to_have_count(10)
    shown = codes.all_inner_texts()
    assert fits(page)
    shot(page, f"two-factor-codes-{width}.png")
    with page.expect_download() as download:
        page.click("text=下载恢复码（.txt）")
    assert download.value.suggested_filename == "恢复码-leader.txt"
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert all(code in text for code in shown)
    page.click("text=我已保存，继续")
    expect(page).to_have_url(f"{live_server.url}/ledger/")
    expect(page.locator(".topbar nav")).to_be_visible()
    assert "账号：leader，生成于 " in text  # a person without a 姓名: the login name once

    page.click("button:has-text('退出')")
    password_sign_in(page, "leader")
    expect(page).to_have_url(re.compile(r"/account/two-factor/\?next="))
    expect_no_nav(page)
    assert fits(page)
    shot(page, f"two-factor-verify-{width}.png")
    page.fill("input[name=code]", shown[0])
    page.click("button:has-text('验证')")
    expect(page).to_have_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/account/security/")
    expect(page.locator("#two-factor-state")).to_contain_text("剩余恢复码 9 个")
    assert fits(page)
    shot(page, f"two-factor-security-{width}.png")
    assert violations == []
    assert world.leader.totpdevice_set.get().confirmed


@pytest.mark.parametrize("width", [1280, 390])
def test_the_admins_list_of_users_keeps_a_name_on_one_line(
    sign_in, live_server, transactional_db, width
):
    make_world()
    make_user("ouyang", "欧阳娜娜")
    # Long addresses squeeze the table; a Chinese name may break after any character.
    for user in get_user_model().objects.all():
        if user.username != "ouyang":
            user.first_name = "李晓明"
        user.email = f"{user.username}.long.address@example.org.cn"
        user.save()
    page = sign_in("admin", width)
    page.goto(f"{live_server.url}/admin/auth/user/?two_factor=off")
    expect(page.locator("#changelist-filter")).to_contain_text("未绑定")
    cell = page.locator("#result_list td.field-name", has_text="欧阳娜娜")
    # The lines the name takes: the distinct tops of its text's boxes.
    lines = cell.evaluate(
        """td => { const range = document.createRange(); range.selectNodeContents(td);
        return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size; }"""
    )
    assert lines == 1
    assert fits(page)
    shot(page, f"admin-users-{width}.png")
