"""Two-factor sign-in in the demo. `make run` keeps it off (ZHENGGAI_TWO_FACTOR unset), so the
demo's accounts sign in with the password alone. The demo's system administrator is enrolled
anyway, with a fixed secret printed with the logins, so that `ZHENGGAI_TWO_FACTOR=true make run`
shows both sides at once: `admin` is asked for the six digits of an authenticator set up with
that secret (or `oathtool --totp -b SECRET`), and the office accounts (xunchaban, shuji,
zhenggaiban, pingjia) are asked to enrol one at their first sign-in; keshi and jijian are not
asked. Only in demo mode: the secret is published."""

from base64 import b32decode

from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhenggai.accounts import two_factor

# Bandit: the demo's published authenticator secret (base32, 20 bytes), like its password.
SECRET = "ZHENGGAIDEMOADMINTOTPSECRETKEY23"  # nosec B105


@transaction.atomic
def enrol_demo_admin(admin) -> str | None:
    """Give the demo's administrator a confirmed authenticator with SECRET (and ten recovery
    codes, unprinted); returns the secret as typed into an app, or None outside demo mode."""
    if not settings.DEMO:
        return None
    TOTPDevice.objects.filter(user=admin).delete()
    TOTPDevice.objects.create(
        user=admin, name=two_factor.DEVICE_NAME, key=b32decode(SECRET).hex(), confirmed=True
    )
    two_factor.replace_recovery_codes(admin)
    return " ".join(SECRET[i : i + 4] for i in range(0, len(SECRET), 4))


def describe() -> list[str]:
    """Lines for the demo's list of logins."""
    if settings.TWO_FACTOR_REQUIRED:
        state = "Two-factor sign-in is on:"
    else:
        state = "Two-factor sign-in is off; to try it: ZHENGGAI_TWO_FACTOR=true make run. Then"
    return [
        f"{state} admin's authenticator secret is {SECRET} (oathtool --totp -b {SECRET}),",
        "  and xunchaban, shuji, zhenggaiban and pingjia enrol one at their first sign-in.",
    ]
