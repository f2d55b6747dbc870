"""The first run of an installation: the first inspection office and its administrator.

From the command line (`zhenggai setup`) or from the page /setup/, which exists only while the
database holds no user. The page asks for a one-time setup code that the server writes to
`DATA_DIR/setup-code.txt` (readable by its owner only) when the page is first opened: whoever
reaches a fresh server first cannot claim it without access to the server's disk.
"""

import hmac
import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction

from zhenggai.lib import ratelimit
from zhenggai.lib.errors import Refused
from zhenggai.lib.names import normalize_name
from zhenggai.orgs.models import Membership, Role, Unit
from zhenggai.orgs.services import create_unit

CODE_FILE = "setup-code.txt"
# One setup at a time, across processes (the database cache): two people submitting the right
# code together must not both create an administrator.
_LOCK = "zhenggai:first-run"
ATTEMPTS, WINDOW = 10, 15 * 60  # tries of the setup code from one address, per window


class TooManyAttempts(Refused):
    """Too many tries of the setup code from one address: wait."""


def is_fresh() -> bool:
    """Whether the installation has no user yet (the first run is still to be done)."""
    return not get_user_model().objects.exists()


def code_path() -> Path:
    return Path(settings.DATA_DIR) / CODE_FILE


def ensure_setup_code() -> Path:
    """Write a new setup code to DATA_DIR/setup-code.txt (mode 0600) unless one is there."""
    path = code_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path
    with os.fdopen(handle, "w") as file:
        file.write(secrets.token_hex(8) + "\n")
    return path


def code_matches(given: str) -> bool:
    try:
        expected = code_path().read_text().strip()
    except OSError:
        return False
    given = "".join((given or "").split()).lower()
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


def check_code(given: str, address: str) -> None:
    """Refused (TooManyAttempts first) unless `given` is the setup code; each try from
    `address` counts, so that the code cannot be guessed."""
    if not ratelimit.hit("setup", address, ATTEMPTS, WINDOW):
        raise TooManyAttempts("尝试次数过多，请 15 分钟后再试。", "too many setup attempts")
    if not code_matches(given):
        raise Refused("初始化码不正确。", "wrong setup code")


def forget_setup_code() -> None:
    code_path().unlink(missing_ok=True)


def create_first_admin(*, office: str, username: str, name: str, password: str):
    """Create the first inspection office and its administrator (a superuser holding the
    巡察办 role on it). Refused when any user exists, or on a bad name or password."""
    office, name, username = normalize_name(office), normalize_name(name), username.strip()
    _check(office, username, password)
    if not cache.add(_LOCK, 1, 60):
        raise Refused("另一个初始化正在进行，请稍后刷新。", "another first run is in progress")
    try:
        with transaction.atomic():
            if not is_fresh():
                raise Refused("系统已初始化（已有用户），不能再次初始化。", "users exist already")
            User = get_user_model()
            user = User(
                username=username,
                first_name=name or username,
                is_superuser=True,
                is_staff=True,
            )
            user.set_password(password)
            user.save()
            unit = Unit.objects.filter(name=office, parent=None, kind=Unit.Kind.OFFICE).first()
            unit = unit or create_unit(office, Unit.Kind.OFFICE)
            Membership.objects.create(user=user, unit=unit, role=Role.INSPECTION_OFFICE)
    finally:
        cache.delete(_LOCK)
    forget_setup_code()
    return user, unit


def _check(office: str, username: str, password: str) -> None:
    if not office or len(office) > 200 or "/" in office:
        raise Refused("请填写巡察机构的名称（不超过 200 字，不含“/”）。", "bad office name")
    User = get_user_model()
    try:
        User.username_validator(username)
        if not username or len(username) > 150:
            raise ValidationError("length")
    except ValidationError:
        raise Refused(
            "登录名只能由字母、数字和 @ . + - _ 组成（最多 150 个字符）。", "bad username"
        ) from None
    try:
        password_validation.validate_password(password, User(username=username))
    except ValidationError as exc:
        raise Refused(
            "密码不符合要求：" + "".join(exc.messages), "weak password: " + " ".join(exc.messages)
        ) from None
