"""Two-factor sign-in: who is sent to the second step, enrolment, codes refused and replayed,
recovery codes, single sign-on, the `next` address, the rate limit and the administrator's reset."""

import re

import pytest
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhenggai.accounts import two_factor
from zhenggai.accounts.tests.two_factor_helpers import code_at, code_for, enrolled, key_of
from zhenggai.api.tokens import create_token
from zhenggai.testing import make_user

VERIFY = "/account/two-factor/"
ENROL = "/account/two-factor/enrol/"
REQUIRED = ["inspector", "leader", "rect_office", "evaluator", "admin"]


@pytest.fixture
def on(settings):
    settings.TWO_FACTOR_REQUIRED = True
    settings.SSO_ENFORCES_MFA = False
    # The devices' own back-off (1, 2, 4 … s after a failure) is tested once, on its own.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0
    return settings


def signed_in(client, user):
    client.force_login(user)
    return client


def verified(client, user):
    """`client` signed in as `user`, who has an authenticator, past the second step."""
    device, codes = enrolled(user)
    client.force_login(user)
    response = client.post(VERIFY, {"code": code_for(device, 1)})
    assert response.status_code == 302, response.content.decode()
    return device, codes


def secret_on(page: str) -> str:
    found = re.search(r'id="totp-secret">(.*?)</p>', page, re.S)
    return re.sub(r"<[^>]+>", " ", found.group(1))


@pytest.mark.parametrize("name", REQUIRED)
def test_required_people_are_sent_to_enrol_then_to_the_code_until_verified(client, world, on, name):
    user = getattr(world, name)
    signed_in(client, user)
    response = client.get("/ledger/?state=open")
    assert response.status_code == 302
    assert response["Location"] == f"{ENROL}?next=%2Fledger%2F%3Fstate%3Dopen"

    device, _ = enrolled(user)
    client.force_login(user)  # a new sign-in: the enrolment's verified session is not this one
    response = client.get("/ledger/")
    assert response["Location"] == f"{VERIFY}?next=%2Fledger%2F"
    assert client.get("/admin/").status_code == 302
    response = client.post(VERIFY, {"code": code_for(device, 1), "next": "/ledger/"})
    assert response["Location"] == "/ledger/"
    assert client.get("/ledger/").status_code == 200


def test_staff_of_the_admin_only_are_asked_too(client, db, on):
    clerk = make_user("clerk", is_staff=True)
    response = signed_in(client, clerk).get("/")
    assert response["Location"].startswith(ENROL)


@pytest.mark.parametrize("name", ["staff", "discipline"])
def test_section_staff_and_discipline_are_not_asked(client, world, on, name):
    assert signed_in(client, getattr(world, name)).get("/ledger/").status_code == 200
    assert client.get("/account/security/").status_code == 200


def test_signing_out_and_the_step_itself_stay_reachable(client, world, on):
    signed_in(client, world.leader)
    assert client.get(ENROL).status_code == 200
    assert client.get("/healthz/").status_code == 200
    response = client.post("/logout/")
    assert response.status_code == 302 and not response["Location"].startswith(ENROL)


def test_a_form_posted_before_the_step_is_not_a_place_to_come_back_to(client, world, on):
    signed_in(client, world.leader)
    response = client.post(f"/rounds/{world.round.pk}/edit/", {"title": "改"})
    assert response["Location"] == ENROL


def test_an_htmx_request_is_sent_to_the_step_as_a_whole_page(client, world, on):
    signed_in(client, world.leader)
    response = client.get("/ledger/", headers={"HX-Request": "true"})
    assert response.status_code == 403
    assert response["HX-Redirect"] == f"{ENROL}?next=%2Fledger%2F"


def test_the_api_refuses_an_unverified_session_but_takes_a_token(client, world, on):
    signed_in(client, world.leader)
    response = client.get("/api/v1/problems/")
    assert response.status_code == 403
    assert response.json()["code"] == "two_factor_required"
    _, text = create_token(world.leader, name="OA", scope="read", days=30)
    response = client.get("/api/v1/problems/", headers={"Authorization": f"Bearer {text}"})
    assert response.status_code == 200
    # A push key's keyword does not lift the step from a view that would take the session.
    response = client.get("/api/v1/problems/", headers={"Authorization": "Key zgk_x"})
    assert response.status_code == 403


def test_enrolment_shows_the_secret_and_takes_a_code_computed_from_it(client, world, on):
    signed_in(client, world.leader)
    page = client.get(f"{ENROL}?next=/ledger/").content.decode()
    assert 'src="data:image/svg+xml' in page
    secret = secret_on(page)
    assert all(len(group) == 4 for group in secret.split())
    assert client.get(ENROL).content.decode().count(secret.split()[0]) == 1  # same secret
    response = client.post(ENROL, {"code": code_at(key_of(secret)), "next": "/ledger/"})
    assert response.status_code == 200
    codes = re.findall(
        r'<code class="tracking-code">([a-z0-9-]+)</code>', response.content.decode()
    )
    assert len(codes) == 10 and len(set(codes)) == 10
    assert 'download="恢复码-leader.txt"' in response.content.decode()
    device = TOTPDevice.objects.get(user=world.leader)
    assert device.confirmed and device.bin_key == key_of(secret)
    assert StaticToken.objects.filter(device__user=world.leader).count() == 10
    assert client.get("/ledger/").status_code == 200


def test_each_session_enrols_its_own_secret(client, world, on):
    from django.test import Client

    first = secret_on(signed_in(client, world.leader).get(ENROL).content.decode())
    other = secret_on(signed_in(Client(), world.leader).get(ENROL).content.decode())
    assert first != other


def test_a_wrong_code_is_refused_in_chinese(client, world, on):
    device, _ = enrolled(world.leader)
    signed_in(client, world.leader)
    wrong = f"{(int(code_for(device, 1)) + 1) % 1_000_000:06d}"
    response = client.post(VERIFY, {"code": wrong})
    assert response.status_code == 400
    assert "验证码不正确或已使用过" in response.content.decode()
    assert client.get("/ledger/").status_code == 302
    page = signed_in(client, world.rect_office).get(ENROL)
    response = client.post(ENROL, {"code": "12345"})
    assert "请输入验证器上显示的6位数字" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=world.rect_office, confirmed=True).exists()
    assert page.status_code == 200


def test_a_used_code_cannot_be_replayed(client, world, on):
    device, _ = enrolled(world.leader)
    code = code_for(device, 1)
    signed_in(client, world.leader)
    assert client.post(VERIFY, {"code": code}).status_code == 302
    client.post("/logout/")
    signed_in(client, world.leader)
    response = client.post(VERIFY, {"code": code})
    assert response.status_code == 400
    assert client.get("/ledger/").status_code == 302


def test_a_recovery_code_works_once(client, world, on):
    _, codes = enrolled(world.leader)
    signed_in(client, world.leader)
    typed = codes[0].upper().replace("-", " ")  # as a person might type it
    assert client.post(VERIFY, {"code": typed}).status_code == 302
    assert client.get("/ledger/").status_code == 200
    assert two_factor.recovery_codes_left(world.leader) == 9
    client.post("/logout/")
    signed_in(client, world.leader)
    assert client.post(VERIFY, {"code": codes[0]}).status_code == 400
    assert client.post(VERIFY, {"code": codes[1]}).status_code == 302


def test_a_session_signed_in_through_oidc_that_enforces_mfa_is_not_asked(client, world, on):
    on.SSO_ENFORCES_MFA = True
    signed_in(client, world.leader)
    session = client.session
    session[two_factor.SSO_SESSION_KEY] = "oidc"
    session.save()
    assert client.get("/ledger/").status_code == 200
    on.SSO_ENFORCES_MFA = False
    assert client.get("/ledger/").status_code == 302


def test_an_ldap_session_is_asked_like_a_password_one(client, world, on):
    on.SSO_ENFORCES_MFA = True
    signed_in(client, world.leader)
    session = client.session
    session[two_factor.SSO_SESSION_KEY] = "ldap"
    session.save()
    assert client.get("/ledger/")["Location"].startswith(ENROL)


def test_with_the_setting_off_nobody_is_asked(client, world, settings):
    settings.TWO_FACTOR_REQUIRED = False
    enrolled(world.leader)
    for user in (world.leader, world.inspector, world.admin):
        assert signed_in(client, user).get("/ledger/").status_code == 200
    assert client.get(ENROL)["Location"] == "/account/security/"
    assert "本系统未启用两步验证" in client.get("/account/security/").content.decode()


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"]
)
def test_next_may_not_lead_away(client, world, on, target):
    device, _ = enrolled(world.leader)
    signed_in(client, world.leader)
    response = client.post(VERIFY, {"code": code_for(device, 1), "next": target})
    assert response["Location"] == "/"


def test_code_attempts_are_rate_limited(client, world, on):
    on.LOGIN_MAX_FAILURES = 3
    device, _ = enrolled(world.leader)
    signed_in(client, world.leader)
    for _ in range(3):
        assert client.post(VERIFY, {"code": "000000"}).status_code == 400
    response = client.post(VERIFY, {"code": code_for(device, 1)})
    assert response.status_code == 429
    assert "验证码错误次数过多" in response.content.decode()
    assert client.get("/ledger/").status_code == 302


def test_the_device_backs_off_after_a_wrong_code(client, world, on):
    on.OTP_TOTP_THROTTLE_FACTOR = 60
    device, _ = enrolled(world.leader)
    signed_in(client, world.leader)
    client.post(VERIFY, {"code": "000000"})
    response = client.post(VERIFY, {"code": code_for(device, 1)})
    page = response.content.decode()
    assert re.search(r"请稍候 (59|60) 秒再输入验证码。", page), page
    assert "错误次数过多" not in page  # that is the rate limit's word, a lock-out of minutes


def test_an_administrator_resets_a_persons_devices(client, world, on):
    _, _ = enrolled(world.leader)
    verified(client, world.admin)
    response = client.post(
        "/admin/auth/user/",
        {"action": "reset_two_factor", "_selected_action": [world.leader.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=world.leader).exists()
    assert two_factor.recovery_codes_left(world.leader) == 0
    response = signed_in(client, world.leader).get("/ledger/")
    assert response["Location"].startswith(ENROL)


def test_a_reset_ends_the_verified_sessions(client, world, on):
    verified(client, world.leader)
    assert client.get("/ledger/").status_code == 200
    two_factor.reset_devices(world.leader, by=world.admin)
    assert client.get("/ledger/")["Location"].startswith(ENROL)


def test_a_password_alone_cannot_replace_an_authenticator(client, world, on):
    enrolled(world.leader)
    signed_in(client, world.leader)
    assert client.get(ENROL)["Location"].startswith(VERIFY)
    assert client.post(ENROL, {"code": "123456"})["Location"].startswith(VERIFY)
