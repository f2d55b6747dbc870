"""What the evaluation office does per period: the rounds it opens for units (差评 to rectify,
a low rank to answer with a plan), its periodic 通报 (ranking), and imports of ratings."""

from django.conf import settings
from django.db import models

from zhenggai.evaluations.offices import read_office_ids
from zhenggai.evaluations.values import Period
from zhenggai.orgs.access import scope_for
from zhenggai.orgs.models import Unit
from zhenggai.rounds.models import InspectionRound


class PeriodRound(models.Model):
    """The evaluation round (kind 评价) of one unit for one period and purpose: the 差评 of the
    period become its problems, or the findings of a low rank do. Created on demand, once."""

    class Purpose(models.TextChoices):
        BAD_REVIEWS = "bad_reviews", "差评整改"
        LOW_RANK = "low_rank", "排名靠后整改"
        INTERVIEW = "interview", "约谈整改"

    unit = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name="被评价单位")
    period_start = models.DateField("评价期开始")
    period_months = models.PositiveSmallIntegerField("评价期（月）")
    purpose = models.CharField("用途", max_length=15, choices=Purpose.choices)
    round = models.OneToOneField(
        InspectionRound, models.PROTECT, related_name="evaluation_period", verbose_name="轮次"
    )

    class Meta:
        verbose_name = "评价整改轮次"
        verbose_name_plural = "评价整改轮次"
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "period_start", "period_months", "purpose"],
                name="period_round_once",
            )
        ]

    def __str__(self) -> str:
        return str(self.round)


class OfficeQuerySet(models.QuerySet):
    """Records of an evaluation office: its own staff and its discipline group read them."""

    def visible_to(self, user):
        if scope_for(user).is_admin:
            return self
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.filter(office_id__in=read_office_ids(user))


class Bulletin(models.Model):
    """A periodic 通报 of the evaluation office: the units below it ranked by score for a period,
    as it stood when issued (`rows`, kept as issued), and the units at the bottom asked for a
    rectification plan (a `PeriodRound` of purpose LOW_RANK is opened for each)."""

    office = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name="评价机构")
    title = models.CharField("标题", max_length=300)
    period_start = models.DateField("评价期开始")
    period_months = models.PositiveSmallIntegerField("评价期（月）")
    min_sample = models.PositiveIntegerField("最少样本量")
    bottom = models.PositiveSmallIntegerField("末位单位数")
    # One row per unit as ranked: unit id and name, rank (None below the minimum sample),
    # sample size, score, rates and dimension averages.
    rows = models.JSONField("排名")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="签发人"
    )
    created_at = models.DateTimeField("签发时间", auto_now_add=True)

    objects = OfficeQuerySet.as_manager()

    class Meta:
        verbose_name = "评价通报"
        verbose_name_plural = "评价通报"
        ordering = ["-period_start", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "period_start", "period_months"], name="bulletin_once"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def period(self) -> Period:
        return Period(self.period_start, self.period_months)


class RatingImport(models.Model):
    """A file of ratings exported by a provincial 好差评 platform, read and waiting for the
    evaluation office to check the preview: which rows map to which unit and point, which are
    already here (by the platform's record id), and which could not be mapped. Confirming saves
    them at once; the import stays, as a record of what came in."""

    class Status(models.TextChoices):
        OPEN = "open", "待确认"
        IMPORTED = "imported", "已导入"
        DISCARDED = "discarded", "已放弃"

    office = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name="评价机构")
    file = models.FileField("文件", upload_to="rating-imports/%Y/%m/")
    original_name = models.CharField("文件名", max_length=255)
    sha256 = models.CharField(max_length=64)
    parsed = models.JSONField("识别结果")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    result = models.JSONField("导入结果", default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="上传人"
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)

    objects = OfficeQuerySet.as_manager()

    class Meta:
        verbose_name = "评价数据导入"
        verbose_name_plural = "评价数据导入"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name
