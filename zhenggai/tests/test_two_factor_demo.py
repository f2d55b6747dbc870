"""The demo's administrator has an authenticator with the printed secret, in demo mode only."""

from base64 import b32decode

from django_otp.plugins.otp_totp.models import TOTPDevice

from zhenggai.accounts import two_factor
from zhenggai.accounts.tests.two_factor_helpers import code_at
from zhenggai.demo.two_factor import SECRET, describe, enrol_demo_admin


def test_the_printed_secret_signs_the_demo_administrator_in(client, world, settings):
    settings.DEMO = True
    settings.TWO_FACTOR_REQUIRED = True
    printed = enrol_demo_admin(world.admin)
    assert printed.replace(" ", "") == SECRET
    assert any(SECRET in line for line in describe())
    assert two_factor.recovery_codes_left(world.admin) == 10
    client.force_login(world.admin)
    assert client.get("/admin/")["Location"].startswith("/account/two-factor/?")
    code = code_at(b32decode(SECRET))
    assert client.post("/account/two-factor/", {"code": code, "next": "/admin/"})["Location"] == (
        "/admin/"
    )
    assert client.get("/admin/").status_code == 200


def test_outside_demo_mode_nobody_gets_the_published_secret(world, settings):
    settings.DEMO = False
    assert enrol_demo_admin(world.admin) is None
    assert not TOTPDevice.objects.filter(user=world.admin).exists()
