"""Two-factor sign-in in Chromium: a leader signs in, is asked to enrol, types the secret the
page shows into an "authenticator" (the test computes its code), confirms, keeps the recovery
codes, and signs in again with one of them; at 1280 and 390 px, within the page's policy."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from zhenggai.accounts.tests.two_factor_helpers import code_at, key_of
from zhenggai.testing import PASSWORD, make_world
from zhenggai.tests.browser.looks import fits, shot

pytestmark = pytest.mark.browser


def watch_policy(page) -> list[str]:
    violations = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return violations


@pytest.mark.parametrize("width", [1280, 390])
def test_a_leader_enrols_keeps_the_codes_and_signs_in_with_one(
    sign_in, live_server, transactional_db, settings, width
):
    settings.TWO_FACTOR_REQUIRED = True
    world = make_world()
    page = sign_in("leader", width)
    violations = watch_policy(page)
    page.goto(f"{live_server.url}/ledger/")
    expect(page).to_have_url(re.compile(r"/account/two-factor/enrol/\?next=%2Fledger%2F$"))
    expect(page.locator("h1")).to_have_text("绑定身份验证器")
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
    page.wait_for_timeout(1100)  # the device's own back-off after a wrong code: 1 s
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

    page.click("button:has-text('退出')")
    page.fill("input[name=username]", "leader")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/account/two-factor/\?next="))
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
