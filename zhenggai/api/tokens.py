"""Making, checking and revoking personal API tokens. A token reads "zg_<prefix>_<secret>": the
prefix finds the row, the secret is compared with the kept digest in constant time."""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from zhenggai.api.models import ApiToken
from zhenggai.lib.errors import Refused

MAX_DAYS = 365
MAX_ACTIVE = 20
# How stale `last_used_at` may be before a request writes it again.
USE_GRANULARITY = timedelta(minutes=5)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def create_token(user, *, name: str, scope: str, days: int) -> tuple[ApiToken, str]:
    """A new token for `user` and its text, which is shown once and never kept."""
    name = name.strip()
    if not name:
        raise Refused("请填写令牌用途。", "a token needs a name")
    if scope not in ApiToken.Scope.values:
        raise Refused("请选择令牌权限。", f"scope {scope!r}")
    if not 1 <= days <= MAX_DAYS:
        raise Refused(f"有效期须在1～{MAX_DAYS}天之间。", f"days {days}")
    active = ApiToken.objects.select_for_update().filter(
        user=user, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )
    if active.count() >= MAX_ACTIVE:
        raise Refused(f"有效的令牌最多{MAX_ACTIVE}个，请先撤销不用的令牌。", "too many tokens")
    prefix, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=prefix,
        digest=_digest(secret),
        scope=scope,
        expires_at=timezone.now() + timedelta(days=days),
    )
    return token, f"zg_{prefix}_{secret}"


def revoke_token(token: ApiToken, *, by) -> ApiToken:
    """Revoke one of `by`'s own tokens; it stops working at once."""
    if token.user_id != by.pk:
        raise Refused("只能撤销自己的令牌。", "not the owner's token")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_for(text: str) -> ApiToken | None:
    """The active token `text` is, with its user, or None (malformed, unknown, wrong secret,
    expired, revoked, or its person no longer active)."""
    parts = text.split("_", 2)  # the secret may hold "_" too
    if len(parts) != 3 or parts[0] != "zg" or not parts[1] or not parts[2]:
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=parts[1]).first()
    if token is None or not hmac.compare_digest(token.digest, _digest(parts[2])):
        return None
    if not token.is_active or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > USE_GRANULARITY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def bearer_user(request):
    """The person a request's valid `Authorization: Bearer` token stands for, else None: how
    the request limits tell a token's upload from an anonymous one (REQUEST_AUTHENTICATORS)."""
    header = request.META.get("HTTP_AUTHORIZATION", "").split()
    if len(header) != 2 or header[0] != "Bearer":
        return None
    token = token_for(header[1])
    return token.user if token else None
