"""Making, checking and revoking personal API tokens. A token reads "zg_<prefix>_<secret>": the
prefix finds the row, the secret is compared with the kept digest in constant time."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from zhenggai.api import credentials
from zhenggai.api.models import ApiToken
from zhenggai.lib.errors import Refused

MAX_DAYS = 365
MAX_ACTIVE = 20


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
    prefix, kept, text = credentials.new("zg")
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=prefix,
        digest=kept,
        scope=scope,
        expires_at=timezone.now() + timedelta(days=days),
    )
    return token, text


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
    token = credentials.find(ApiToken.objects.select_related("user"), "zg", text)
    if token is None or not token.is_active or not token.user.is_active:
        return None
    credentials.note_use(token)
    return token


def bearer_user(request):
    """The person a request's valid `Authorization: Bearer` token stands for, else None: how
    the request limits tell a token's upload from an anonymous one (REQUEST_AUTHENTICATORS)."""
    header = request.META.get("HTTP_AUTHORIZATION", "").split()
    if len(header) != 2 or header[0] != "Bearer":
        return None
    token = token_for(header[1])
    return token.user if token else None
