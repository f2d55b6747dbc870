"""What the second step's pages show: no nav while the session waits for its code, one hint of
the recovery codes, the device's short back-off told as a wait (not as a lock-out), the codes'
file named by the person once, and the 账号安全 page's line for lost codes only for those who
have any. And the admin: django-otp's English pages gone, a person's authenticator shown
read-only on their page and found with a filter."""

import re
from urllib.parse import unquote

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhenggai.accounts.tests.two_factor_helpers import code_at, code_for, enrolled, key_of
from zhenggai.testing import make_user

VERIFY = "/account/two-factor/"
ENROL = "/account/two-factor/enrol/"
SECURITY = "/account/security/"


@pytest.fixture
def on(settings):
    settings.TWO_FACTOR_REQUIRED = True
    settings.SSO_ENFORCES_MFA = False
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0
    return settings


def header(response) -> str:
    return re.search(r'<header class="topbar">(.*?)</header>', response.content.decode(), re.S)[1]


def secret_on(page: str) -> str:
    found = re.search(r'id="totp-secret">(.*?)</p>', page, re.S)
    return re.sub(r"<[^>]+>", " ", found.group(1))


def test_the_code_page_shows_no_nav_until_the_code_is_given(client, world, on):
    world.leader.first_name = "赵科长"
    world.leader.save()
    device, _ = enrolled(world.leader)
    client.force_login(world.leader)
    response = client.get(VERIFY)
    top = header(response)
    assert "<nav" not in top
    assert "赵科长" not in top
    assert "退出登录" in top
    assert 'href="/"' not in top  # not even the title leads back to the step

    response = client.post(VERIFY, {"code": code_for(device, 1)}, follow=True)
    top = header(response)
    assert "<nav" in top and "赵科长" in top and "退出登录" not in top


def test_the_enrolment_page_shows_no_nav_to_someone_who_must_enrol(client, world, on):
    client.force_login(world.leader)
    top = header(client.get(ENROL))
    assert "<nav" not in top and "退出登录" in top


def test_replacing_an_authenticator_keeps_the_nav(client, world, on):
    device, _ = enrolled(world.leader)
    client.force_login(world.leader)
    client.post(VERIFY, {"code": code_for(device, 1)})
    assert "<nav" in header(client.get(ENROL))


def test_the_codes_page_after_enrolment_shows_the_nav(client, world, on):
    client.force_login(world.leader)
    secret = secret_on(client.get(ENROL).content.decode())
    response = client.post(ENROL, {"code": code_at(key_of(secret))})
    assert "recovery-codes" in response.content.decode()
    assert "<nav" in header(response)


def test_the_verify_page_mentions_recovery_codes_once(client, world, on):
    enrolled(world.leader)
    client.force_login(world.leader)
    page = client.get(VERIFY).content.decode()
    assert page.count("恢复码") - page.count("重置两步验证") == 1, page


def test_a_wrong_first_code_then_the_right_one_at_once_asks_to_wait(client, world, on):
    on.OTP_TOTP_THROTTLE_FACTOR = 1  # django-otp's default: 1 s after a failure, then 2, 4 …
    client.force_login(world.leader)
    secret = secret_on(client.get(ENROL).content.decode())
    right = code_at(key_of(secret))
    client.post(ENROL, {"code": "000000" if right != "000000" else "111111"})
    response = client.post(ENROL, {"code": right})
    page = response.content.decode()
    assert "请稍候几秒再输入验证码。" in page
    assert "错误次数过多" not in page


def test_the_codes_file_names_the_person_once(client, world, on):
    user = make_user("keshi", "赵科员")
    client.force_login(user)
    secret = secret_on(client.get(ENROL).content.decode())
    page = client.post(ENROL, {"code": code_at(key_of(secret))}).content.decode()
    href = re.search(r'href="data:text/plain;charset=utf-8,([^"]+)"', page)[1]
    text = unquote(href.replace("&amp;", "&"))
    assert "账号：赵科员（keshi），生成于 " in text, text


def test_the_lost_codes_line_is_only_for_someone_with_an_authenticator(client, world, on):
    client.force_login(world.staff)
    assert "都丢失时" not in client.get(SECURITY).content.decode()
    device, _ = enrolled(world.staff)
    client.force_login(world.staff)
    client.post(VERIFY, {"code": code_for(device, 1)})
    assert "都丢失时" in client.get(SECURITY).content.decode()


def admin_client(client, world):
    device, _ = enrolled(world.admin)
    client.force_login(world.admin)
    client.post(VERIFY, {"code": code_for(device, 1)})
    return client


def test_the_admin_has_no_english_pages_of_django_otp(client, world, on):
    admin_client(client, world)
    page = client.get("/admin/").content.decode()
    assert "TOTP" not in page and "Static devices" not in page and "OTP_" not in page.upper()
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert client.get("/admin/otp_static/staticdevice/add/").status_code == 404


def test_a_persons_authenticator_is_shown_read_only_and_filtered(client, world, on):
    admin_client(client, world)
    enrolled(world.leader)
    page = client.get(f"/admin/auth/user/{world.leader.pk}/change/").content.decode()
    assert re.search(
        r"已绑定身份验证器（\d{4}-\d\d-\d\d），最近使用于 [\d: -]+；剩余恢复码 10 个。", page
    ), page
    key = TOTPDevice.objects.get(user=world.leader).key
    assert key not in page
    page = client.get(f"/admin/auth/user/{world.staff.pk}/change/").content.decode()
    assert "未绑定身份验证器。" in page
    page = client.get("/admin/auth/user/?two_factor=on").content.decode()
    assert f"/admin/auth/user/{world.leader.pk}/change/" in page
    assert f"/admin/auth/user/{world.staff.pk}/change/" not in page


def test_a_refused_code_is_not_shown_back_in_its_field():
    from zhenggai.accounts.two_factor_forms import CodeForm

    form = CodeForm({"code": "123456"})
    form.add_error("code", "验证码不正确。")
    assert 'value="123456"' not in str(form["code"])
