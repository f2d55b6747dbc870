"""Rating points (评价点): what the public rates, each with a stable public code for its QR code."""

import secrets

from django.conf import settings
from django.db import models
from django.shortcuts import get_object_or_404

from zhenggai.evaluations.values import DIMENSIONS, Mode
from zhenggai.orgs.models import Unit
from zhenggai.orgs.querysets import ScopedQuerySet

# Lower-case letters and digits without the look-alikes (0/o, 1/l/i): a code can be read out
# over the phone or typed from a poster.
CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
CODE_LENGTH = 8


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class RatingPointQuerySet(ScopedQuerySet):
    scope_field = "unit_id"
    kind_field = None

    def active(self):
        return self.filter(active=True)


class RatingPoint(models.Model):
    """A unit, or one of its sections, service windows or service items (事项), that the public
    rates by scanning its QR code. `code` is its public name in the rating link and never
    changes, so a poster printed once stays valid; a point no longer used is made inactive,
    never deleted, and its ratings stay."""

    class Kind(models.TextChoices):
        UNIT = "unit", "单位"
        SECTION = "section", "科室"
        WINDOW = "window", "服务窗口"
        ITEM = "item", "服务事项"

    unit = models.ForeignKey(
        Unit,
        models.PROTECT,
        related_name="rating_points",
        limit_choices_to={"kind": Unit.Kind.UNIT},
        verbose_name="被评价单位",
    )
    section = models.ForeignKey(
        Unit,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": Unit.Kind.SECTION},
        verbose_name="科室",
    )
    kind = models.CharField("评价对象类型", max_length=10, choices=Kind.choices)
    name = models.CharField("评价对象", max_length=200)
    mode = models.CharField("服务方式", max_length=10, choices=Mode.choices, default=Mode.ON_SITE)
    code = models.CharField("评价码", max_length=16, unique=True, default=new_code, editable=False)
    active = models.BooleanField("启用", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+", verbose_name="创建人"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = RatingPointQuerySet.as_manager()

    class Meta:
        verbose_name = "评价点"
        verbose_name_plural = "评价点"
        ordering = ["unit_id", "kind", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="rating_point_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def dimensions(self) -> tuple[tuple[str, str], ...]:
        return DIMENSIONS[Mode(self.mode)]

    @property
    def is_on_site(self) -> bool:
        return self.mode == Mode.ON_SITE


def get_point_for_user(user, pk: int) -> RatingPoint:
    """A rating point of a unit the user may read; a missing and a forbidden one answer 404."""
    return get_object_or_404(RatingPoint.objects.visible_to(user).select_related("unit"), pk=pk)
