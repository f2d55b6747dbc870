"""The 账号安全 page: recovery codes made again, the authenticator replaced, and two-factor
turned on and off by the people for whom it is optional — each after a current code."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhenggai.accounts import two_factor
from zhenggai.accounts.tests.two_factor_helpers import code_at, code_for, enrolled, key_of

VERIFY = "/account/two-factor/"
ENROL = "/account/two-factor/enrol/"
SECURITY = "/account/security/"


@pytest.fixture
def on(settings):
    settings.TWO_FACTOR_REQUIRED = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0
    return settings


def verified(client, user):
    device, codes = enrolled(user)
    client.force_login(user)
    assert client.post(VERIFY, {"code": code_for(device, 1)}).status_code == 302
    return device, codes


def codes_on(response) -> list[str]:
    return re.findall(r'<code class="tracking-code">([a-z0-9-]+)</code>', response.content.decode())


def test_the_page_says_the_state(client, world, on):
    verified(client, world.leader)
    page = client.get(SECURITY).content.decode()
    assert "已开启" in page and "剩余恢复码 10 个" in page and "不能关闭" in page
    assert 'action="/account/security/two-factor/off/"' not in page
    client.force_login(world.staff)
    page = client.get(SECURITY).content.decode()
    assert "未开启" in page and f'href="{ENROL}?next=/account/security/"' in page


def test_recovery_codes_are_made_again_after_a_current_code(client, world, on):
    device, old = verified(client, world.leader)
    response = client.post(f"{SECURITY}recovery-codes/", {"regenerate-code": "000000"})
    assert response.status_code == 400 and "验证码不正确" in response.content.decode()
    response = client.post(f"{SECURITY}recovery-codes/", {"regenerate-code": old[0]})
    new = codes_on(response)
    assert len(new) == 10 and not set(new) & set(old)
    assert client.get("/ledger/").status_code == 200  # the session stays verified
    client.post("/logout/")
    client.force_login(world.leader)
    assert client.post(VERIFY, {"code": old[1]}).status_code == 400
    assert client.post(VERIFY, {"code": new[0]}).status_code == 302


def test_the_authenticator_is_replaced_after_a_current_code(client, world, on):
    old_device, _ = verified(client, world.leader)
    page = client.get(ENROL).content.decode()
    assert "原验证器的验证码" in page
    key = key_of(re.sub(r"<[^>]+>", " ", re.search(r'id="totp-secret">(.*?)</p>', page).group(1)))
    response = client.post(ENROL, {"current": "000000", "code": code_at(key)})
    assert response.status_code == 400
    assert TOTPDevice.objects.filter(user=world.leader, confirmed=True).get() == old_device
    response = client.post(ENROL, {"current": code_for(old_device, 2), "code": code_at(key, 1)})
    assert len(codes_on(response)) == 10
    device = TOTPDevice.objects.get(user=world.leader)
    assert device.bin_key == key and device.confirmed
    assert client.get("/ledger/").status_code == 200


def test_optional_people_turn_it_on_and_off(client, world, on):
    client.force_login(world.staff)
    page = client.get(f"{ENROL}?next=/account/security/").content.decode()
    key = key_of(re.sub(r"<[^>]+>", " ", re.search(r'id="totp-secret">(.*?)</p>', page).group(1)))
    response = client.post(ENROL, {"code": code_at(key), "next": "/account/security/"})
    assert len(codes_on(response)) == 10
    assert 'href="/account/security/"' in response.content.decode()
    client.post("/logout/")
    client.force_login(world.staff)
    assert client.get("/ledger/")["Location"].startswith(VERIFY)  # turned on: asked too
    device = TOTPDevice.objects.get(user=world.staff)
    client.post(VERIFY, {"code": code_for(device, 1)})
    response = client.post(f"{SECURITY}two-factor/off/", {"off-code": code_for(device, 2)})
    assert response["Location"] == SECURITY
    assert not TOTPDevice.objects.filter(user=world.staff).exists()
    assert two_factor.recovery_codes_left(world.staff) == 0
    client.post("/logout/")
    client.force_login(world.staff)
    assert client.get("/ledger/").status_code == 200


def test_required_people_cannot_turn_it_off(client, world, on):
    device, _ = verified(client, world.leader)
    response = client.post(f"{SECURITY}two-factor/off/", {"off-code": code_for(device, 2)})
    assert response.status_code == 400
    assert "不能关闭" in response.content.decode()
    assert TOTPDevice.objects.filter(user=world.leader).exists()


def test_the_page_is_behind_the_step(client, world, on):
    enrolled(world.leader)
    client.force_login(world.leader)
    assert client.get(SECURITY)["Location"].startswith(VERIFY)
    assert client.post(f"{SECURITY}recovery-codes/", {})["Location"] == VERIFY
