"""Ratings (好差评) and their monthly tallies."""

from django.db import models
from django.db.models import Q
from django.shortcuts import get_object_or_404

from zhenggai.evaluations.models.points import RatingPoint
from zhenggai.evaluations.values import BAD_LEVELS, DIMENSION_LABELS, Channel, Level
from zhenggai.orgs.models import Unit
from zhenggai.orgs.querysets import ScopedQuerySet


def _dimension(name: str):
    return models.PositiveSmallIntegerField(
        DIMENSION_LABELS[name], choices=Level.choices, null=True, blank=True
    )


class RatingQuerySet(ScopedQuerySet):
    scope_field = "unit_id"
    kind_field = None

    def counted(self):
        """The ratings statistics count: not left out on appeal, not replaced by a 追评."""
        return self.filter(excluded=False, superseded=False)

    def bad(self):
        return self.filter(level__in=BAD_LEVELS)


class Rating(models.Model):
    """One rating of a service by an enterprise or citizen, one per service event (一次一评,
    一事一评).

    What identifies a rater is kept only as far as they gave it (case number, phone for a call
    back) or as keyed hashes (device token, client address), never raw; it is shown to the
    evaluation office only, never to the rated unit (背靠背). A 追评 is a rating of its own,
    `follow_up_of` the first: the case then counts once, by its latest word (`superseded`).
    A rating upheld as mistaken or malicious on appeal is `excluded` from the statistics and
    kept with its history.
    """

    class Source(models.TextChoices):
        PAGE = "page", "本系统评价页"
        IMPORT = "import", "好差评平台导入"

    point = models.ForeignKey(
        RatingPoint, models.PROTECT, related_name="ratings", verbose_name="评价点"
    )
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name="被评价单位")
    section = models.ForeignKey(
        Unit, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="科室"
    )
    level = models.PositiveSmallIntegerField("满意度", choices=Level.choices)
    service_efficiency = _dimension("service_efficiency")
    service_level = _dimension("service_level")
    service_attitude = _dimension("service_attitude")
    handling_efficiency = _dimension("handling_efficiency")
    guide_accuracy = _dimension("guide_accuracy")
    convenience = _dimension("convenience")
    operability = _dimension("operability")
    channel = models.CharField("评价渠道", max_length=10, choices=Channel.choices)
    case_number = models.CharField("办件编号", max_length=64, blank=True)
    service_item = models.CharField("服务事项", max_length=200, blank=True)
    staff = models.CharField("工作人员", max_length=50, blank=True)
    comment = models.TextField("评价内容", blank=True)
    phone = models.CharField("回访电话", max_length=20, blank=True)
    device_hash = models.CharField("设备标识（密钥散列）", max_length=64, blank=True)
    client_hash = models.CharField("来源标识（密钥散列）", max_length=64, blank=True)
    rated_at = models.DateTimeField("评价时间")
    source = models.CharField("来源", max_length=10, choices=Source.choices, default=Source.PAGE)
    external_id = models.CharField("平台记录号", max_length=100, null=True, blank=True, unique=True)
    follow_up_of = models.OneToOneField(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_up",
        verbose_name="追评对象",
    )
    superseded = models.BooleanField("已被追评取代", default=False)
    burst = models.BooleanField("疑似集中评价", default=False)
    outside_hours = models.BooleanField("非办公时间", default=False)
    excluded = models.BooleanField("申诉成立，已剔除", default=False)
    problem = models.OneToOneField(
        "ledger.Problem",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="bad_review",
        verbose_name="整改问题",
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    objects = RatingQuerySet.as_manager()

    class Meta:
        verbose_name = "评价"
        verbose_name_plural = "评价"
        ordering = ["-rated_at", "-id"]
        constraints = [
            # One rating per case (and one 追评, by `follow_up_of` being one-to-one).
            models.UniqueConstraint(
                fields=["unit", "case_number"],
                condition=Q(follow_up_of__isnull=True) & ~Q(case_number=""),
                name="rating_one_per_case",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "rated_at"], name="rating_unit_time"),
            models.Index(fields=["point", "rated_at"], name="rating_point_time"),
            models.Index(fields=["device_hash", "point", "rated_at"], name="rating_device"),
            models.Index(fields=["client_hash", "rated_at"], name="rating_client"),
        ]

    def __str__(self) -> str:
        return f"{self.point} · {self.get_level_display()}"

    @property
    def is_bad(self) -> bool:
        return self.level in BAD_LEVELS

    def dimension_values(self) -> list[tuple[str, int | None]]:
        """(label, level) of the dimensions of its point's mode."""
        return [(label, getattr(self, name)) for name, label in self.point.dimensions]


class MonthlyTally(models.Model):
    """What one point's counted ratings add up to in one month (`month`: its first day): the
    statistics, trends and rankings read these, one row per point and month, instead of every
    rating (evaluation periods are whole months). A new rating is added to its row by
    increments; `refresh_tally` recounts a month from the ratings (after a 追评, a burst or an
    upheld appeal), so a tally is right whatever happened to its ratings."""

    point = models.ForeignKey(RatingPoint, models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, models.CASCADE, related_name="+")
    month = models.DateField()
    count = models.PositiveIntegerField(default=0)
    level_sum = models.PositiveIntegerField(default=0)
    good = models.PositiveIntegerField(default=0)
    bad = models.PositiveIntegerField(default=0)
    very_satisfied = models.PositiveIntegerField(default=0)
    burst = models.PositiveIntegerField(default=0)
    outside_hours = models.PositiveIntegerField(default=0)
    # Per dimension: the sum of its levels and how many ratings gave one.
    service_efficiency_sum = models.PositiveIntegerField(default=0)
    service_efficiency_n = models.PositiveIntegerField(default=0)
    service_level_sum = models.PositiveIntegerField(default=0)
    service_level_n = models.PositiveIntegerField(default=0)
    service_attitude_sum = models.PositiveIntegerField(default=0)
    service_attitude_n = models.PositiveIntegerField(default=0)
    handling_efficiency_sum = models.PositiveIntegerField(default=0)
    handling_efficiency_n = models.PositiveIntegerField(default=0)
    guide_accuracy_sum = models.PositiveIntegerField(default=0)
    guide_accuracy_n = models.PositiveIntegerField(default=0)
    convenience_sum = models.PositiveIntegerField(default=0)
    convenience_n = models.PositiveIntegerField(default=0)
    operability_sum = models.PositiveIntegerField(default=0)
    operability_n = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "每月评价统计"
        verbose_name_plural = "每月评价统计"
        constraints = [models.UniqueConstraint(fields=["point", "month"], name="tally_point_month")]
        indexes = [models.Index(fields=["month", "unit"], name="tally_month_unit")]

    def __str__(self) -> str:
        return f"{self.point_id} {self.month:%Y-%m}: {self.count}"


def get_rating_for_user(user, pk: int) -> Rating:
    """A rating of a unit the user may read; a missing and a forbidden one answer 404."""
    return get_object_or_404(
        Rating.objects.visible_to(user).select_related("point", "unit", "section"), pk=pk
    )
