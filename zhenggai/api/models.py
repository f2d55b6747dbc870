"""Personal API tokens: what a program presents to act as a person."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ApiToken(models.Model):
    """A token a person made for a program of theirs, read-only or able to write, until it
    expires or they revoke it. Only a SHA-256 digest of its secret is kept (a token is random
    and long, so a fast digest is as good as a slow one); `prefix` finds it, and is what the
    settings page shows to tell tokens apart."""

    class Scope(models.TextChoices):
        READ = "read", "只读"
        WRITE = "write", "读写"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="api_tokens", verbose_name="用户"
    )
    name = models.CharField("用途", max_length=100)
    prefix = models.CharField("前缀", max_length=12, unique=True)
    digest = models.CharField(max_length=64)
    scope = models.CharField("权限", max_length=5, choices=Scope.choices)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    expires_at = models.DateTimeField("到期时间")
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def may_write(self) -> bool:
        return self.scope == self.Scope.WRITE


from zhenggai.api.push_models import PushKey  # noqa: E402, F401 - the push keys' model
