"""What the two-factor tests share: codes computed from a device's key, and a person enrolled."""

import time
from base64 import b32decode

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhenggai.accounts import two_factor


def code_at(key: bytes, steps_ahead: int = 0, *, step: int = 30) -> str:
    """The six digits an authenticator shows for `key`, `steps_ahead` time steps from now."""
    totp = TOTP(key, step=step)
    totp.time = time.time() + steps_ahead * step
    return f"{totp.token():06d}"


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    return code_at(device.bin_key, steps_ahead, step=device.step)


def key_of(secret_text: str) -> bytes:
    """The key from the secret as the enrolment page shows it ("ABCD EFGH …")."""
    secret = "".join(secret_text.split()).upper()
    return b32decode(secret + "=" * (-len(secret) % 8))


def enrolled(user) -> tuple[TOTPDevice, list[str]]:
    """`user` with a confirmed authenticator (its current code used) and ten recovery codes.
    The next code it takes is one step ahead (`code_for(device, 1)`)."""
    device = two_factor.pending_device(user, None)
    codes = two_factor.confirm_enrolment(user, device, code_for(device))
    device.refresh_from_db()
    return device, codes
