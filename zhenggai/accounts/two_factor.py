"""Two-factor sign-in: an authenticator app's six-digit code (TOTP, django-otp) after the password,
with ten recovery codes (恢复码) for a lost phone.

Who must use it (ZHENGGAI_TWO_FACTOR on): the people who sign and publish — 巡察办, 单位领导,
整改办, 评价办 — and the system's administrators (superusers and staff). Anyone else may turn it on
for themselves. Nobody is asked when the setting is off, nor in a session signed in through a
unified identity service (OIDC) that enforces its own second factor (ZHENGGAI_SSO_ENFORCES_MFA):
an LDAP password is one factor only, so an LDAP session is asked like a password one.

A session is marked verified by `django_otp.login` (OTPMiddleware reads the mark back on every
request); deleting a person's devices (`reset_devices`) unmarks every session of theirs at once.
"""

import logging
import math
import secrets
import unicodedata
from base64 import b32encode
from dataclasses import dataclass
from datetime import timedelta

import django_otp
import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.models import Device, VerifyNotAllowed
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhenggai.lib.errors import Refused
from zhenggai.orgs.models import Membership, Role

log = logging.getLogger(__name__)

REQUIRED_ROLES = (
    Role.INSPECTION_OFFICE,
    Role.LEADER,
    Role.RECTIFICATION_OFFICE,
    Role.EVALUATION_OFFICE,
)
# What the sign-in views keep in the session to say how it was signed in ("oidc", "ldap").
SSO_SESSION_KEY = "sso"
RECOVERY_CODE_COUNT = 10
# Lower-case letters and digits without the look-alikes (0/o, 1/l/i), ten to a code (49 bits).
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_LENGTH = 10
DEVICE_NAME = "身份验证器"
RECOVERY_DEVICE_NAME = "恢复码"
# An enrolment started and never confirmed is cleared away after this long.
PENDING_SECONDS = 3600

WRONG_CODE = "验证码不正确或已使用过，请重新输入（验证器上的6位数字，或一个恢复码）。"


def is_on() -> bool:
    return settings.TWO_FACTOR_REQUIRED


def must_use(user) -> bool:
    """Whether `user` may not sign in without a second factor: the setting is on and they are
    an administrator or hold one of REQUIRED_ROLES anywhere."""
    if not is_on() or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser or user.is_staff:
        return True
    return Membership.objects.filter(user=user, role__in=REQUIRED_ROLES).exists()


def vouched_by_sso(session) -> bool:
    """Whether the session was signed in through OIDC whose service enforces its own second factor."""
    return settings.SSO_ENFORCES_MFA and session.get(SSO_SESSION_KEY) == "oidc"


def is_asked(user, session) -> bool:
    """Whether this signed-in session must pass the second step before anything else: the
    person must use it, or turned it on for themselves, and the session has not passed it.
    `user` is a request's user (OTPMiddleware gives it `is_verified`)."""
    if not is_on() or not getattr(user, "is_authenticated", False) or vouched_by_sso(session):
        return False
    if user.is_verified():
        return False
    return must_use(user) or confirmed_device(user) is not None


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-id").first()


def recovery_device(user) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user).order_by("id").first()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user).count()


def pending_device(user, device_id: int | None) -> TOTPDevice:
    """The authenticator being enrolled in this session (`device_id`, kept in the session by the
    caller), else a new one. One per session: the secret a person scanned stays the same when
    they reload the page, and nobody else's session is ever shown it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False, pk=device_id).first()
    if device is not None:
        return device
    stale = timezone.now() - timedelta(seconds=PENDING_SECONDS)
    TOTPDevice.objects.filter(user=user, confirmed=False, created_at__lt=stale).delete()
    return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def secret_of(device: TOTPDevice) -> str:
    """The key as an authenticator app takes it typed in (base32), in groups of four."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code(device: TOTPDevice) -> str:
    """The otpauth:// address as a QR code, an SVG data URI (the page's policy allows images
    from data: only, no inline style or script)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def normalise(code: str) -> str:
    """A typed code as stored: full-width digits made plain, spaces and hyphens dropped, lower case."""
    code = unicodedata.normalize("NFKC", code or "")
    return "".join(ch for ch in code if not ch.isspace() and ch != "-").lower()


def _is_totp_code(code: str) -> bool:
    return len(code) == 6 and code.isascii() and code.isdigit()


def _wait_message(why: dict | None) -> str:
    """What to say when the device's own back-off refuses a check: a short wait after a wrong
    code (a second, then two, four …), not the lock-out of many wrong codes (the views' limit)."""
    why = why or {}
    if why.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS and why.get("locked_until"):
        seconds = math.ceil((why["locked_until"] - timezone.now()).total_seconds())
        if seconds > 1:
            return f"请稍候 {seconds} 秒再输入验证码。"
    return "请稍候几秒再输入验证码。"


def _verify(user, device: Device, code: str) -> bool:
    """One check of `code` on `device`, locked against concurrent checks (a code raced twice
    passes once); the device's own throttle (1, 2, 4 … seconds after failures) refuses early."""
    allowed, why = device.verify_is_allowed()
    if not allowed:
        raise Refused(_wait_message(why), f"device {device.persistent_id} is throttled: {why}")
    return django_otp.verify_token(user, device.persistent_id, code) is not None


def check_code(user, code: str) -> Device:
    """The device of `user` that accepts `code` — six digits from the authenticator (a code
    used once is not taken again: the device keeps the last time step it accepted) or a
    recovery code (used up) — else Refused."""
    code = normalise(code)
    if not code:
        raise Refused("请输入验证码。", "no code given")
    device = confirmed_device(user) if _is_totp_code(code) else recovery_device(user)
    if device is None or not _verify(user, device, code):
        raise Refused(WRONG_CODE, f"wrong second-factor code for user {user.pk}")
    device.refresh_from_db()
    return device


def _new_recovery_code() -> str:
    return "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))


def shown(code: str) -> str:
    """A recovery code as shown and printed: two groups of five."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def replace_recovery_codes(user) -> list[str]:
    """Ten new recovery codes in place of the old ones, without asking a code (the callers
    ask). The device row is kept, so a session verified by a recovery code stays verified."""
    device = recovery_device(user)
    if device is None:
        device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.token_set.all().delete()
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return [shown(code) for code in codes]


def confirm_enrolment(user, device: TOTPDevice, code: str, *, current: str = "") -> list[str]:
    """Confirm the authenticator being enrolled by its first code; it replaces any earlier one
    (which then no longer works), and ten new recovery codes replace the old. Returns the codes
    as shown (this once). Replacing a confirmed authenticator asks a `current` code first (from
    the old one, or a recovery code)."""
    if device.user_id != user.pk or device.confirmed:
        raise Refused("绑定已失效，请刷新页面重新扫码。", f"device {device.pk} is not pending")
    code = normalise(code)
    if not _is_totp_code(code):
        raise Refused("请输入验证器上显示的6位数字。", "first code is not six digits")
    if not _verify(user, device, code):
        raise Refused(
            "验证码不正确。请核对手机时间是否准确，并输入验证器上当前显示的6位数字。",
            f"first code refused for device {device.pk}",
        )
    # The new code first: a wrong one must not use up the recovery code given as `current`.
    if confirmed_device(user) is not None:
        check_code(user, current)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        device.confirmed = True
        codes = replace_recovery_codes(user)
    log.info("two-factor authenticator confirmed for user %s", user.pk)
    return codes


def regenerate_recovery_codes(user, current: str) -> list[str]:
    """Ten new recovery codes (the old ones stop working), after a current code."""
    if confirmed_device(user) is None:
        raise Refused("您还没有绑定身份验证器。", f"user {user.pk} has no authenticator")
    check_code(user, current)
    with transaction.atomic():
        codes = replace_recovery_codes(user)
    log.info("recovery codes replaced for user %s", user.pk)
    return codes


def turn_off(user, current: str) -> None:
    """Remove one's own second factor, after a current code: only for people who need not use it."""
    if must_use(user):
        raise Refused("您的角色必须使用两步验证，不能关闭。", f"user {user.pk} must use 2FA")
    if confirmed_device(user) is None:
        raise Refused("您没有开启两步验证。", f"user {user.pk} has no authenticator")
    check_code(user, current)
    _delete_devices(user)
    log.info("two-factor sign-in turned off by user %s", user.pk)


@transaction.atomic
def _delete_devices(user) -> int:
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    removed_codes, _ = StaticDevice.objects.filter(user=user).delete()
    return removed + removed_codes


def reset_devices(user, *, by) -> bool:
    """An administrator's reset of a person's second factor (a lost phone and lost codes): the
    authenticator and the recovery codes are deleted, every session of theirs stops being
    verified, and they enrol again at their next sign-in. Returns whether there was anything."""
    removed = _delete_devices(user)
    log.info("two-factor devices of user %s reset by user %s", user.pk, by.pk)
    return bool(removed)


@dataclass(frozen=True)
class State:
    """What the 账号安全 page says of a person's two-factor sign-in."""

    on: bool  # the installation uses two-factor sign-in
    required: bool
    device: TOTPDevice | None
    codes_left: int
    vouched_by_sso: bool


def state_of(user, session) -> State:
    return State(
        on=is_on(),
        required=must_use(user),
        device=confirmed_device(user),
        codes_left=recovery_codes_left(user),
        vouched_by_sso=vouched_by_sso(session),
    )
