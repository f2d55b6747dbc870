"""Push keys: what a rating device (评价器) or a platform presents to push ratings."""

from django.conf import settings
from django.db import models


class PushKey(models.Model):
    """A key the evaluation office (评价办) of `office` made for one device or platform, bound to
    rating points of the units below the office: it pushes ratings of those points and nothing
    else, and reads nothing. Only a SHA-256 digest of its secret is kept (as for `ApiToken`);
    `prefix` finds it and tells keys apart. A key no longer used is revoked, never deleted."""

    office = models.ForeignKey(
        "orgs.Unit", models.PROTECT, related_name="push_keys", verbose_name="评价机构"
    )
    name = models.CharField("设备或平台", max_length=100)
    points = models.ManyToManyField(
        "evaluations.RatingPoint", related_name="push_keys", verbose_name="评价点"
    )
    prefix = models.CharField("前缀", max_length=12, unique=True)
    digest = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="创建人"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="撤销人",
    )

    class Meta:
        verbose_name = "评价推送密钥"
        verbose_name_plural = "评价推送密钥"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
