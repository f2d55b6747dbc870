"""What personal tokens and push keys share: a text "<kind>_<prefix>_<secret>" made once, of
which only a SHA-256 digest of the secret is kept (the secret is random and long, so a fast
digest is as good as a slow one); the prefix finds the row, the secret is compared in constant
time; its last use is written at most every USE_GRANULARITY."""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.utils import timezone

USE_GRANULARITY = timedelta(minutes=5)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new(kind: str) -> tuple[str, str, str]:
    """A new credential of `kind`: its prefix, the digest to keep, and its text to show once."""
    prefix, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    return prefix, digest(secret), f"{kind}_{prefix}_{secret}"


def find(queryset, kind: str, text: str):
    """The row of `queryset` that `text` is a credential of `kind` for, or None (malformed,
    unknown prefix, wrong secret); whether it is still active is the caller's to say."""
    parts = text.split("_", 2)  # the secret may hold "_" too
    if len(parts) != 3 or parts[0] != kind or not parts[1] or not parts[2]:
        return None
    row = queryset.filter(prefix=parts[1]).first()
    if row is None or not hmac.compare_digest(row.digest, digest(parts[2])):
        return None
    return row


def note_use(row) -> None:
    """Record that `row` was used now, unless it was within the last USE_GRANULARITY."""
    now = timezone.now()
    if row.last_used_at is None or now - row.last_used_at > USE_GRANULARITY:
        type(row).objects.filter(pk=row.pk).update(last_used_at=now)
