"""A month of assessment: the scores of each unit on each indicator, the office's entries, the
ranking, and the month's own history."""

from django.conf import settings
from django.db import models

from zhenggai.assessments.models.schemes import POINTS, Indicator, Scheme, SchemeVersion
from zhenggai.assessments.values import FROZEN_STATES, MonthState, month_label
from zhenggai.orgs.models import Unit


class AssessmentMonth(models.Model):
    """One scheme's month (`month`: its first day). Scored as of the month's end by the version
    in force, open for the office's entries, then reviewed, locked and published; after the
    lock every change is a correction with a reason."""

    scheme = models.ForeignKey(
        Scheme, models.PROTECT, related_name="months", verbose_name="考核办法"
    )
    month = models.DateField("考核月份")
    version = models.ForeignKey(
        SchemeVersion, models.PROTECT, related_name="months", verbose_name="适用版本"
    )
    state = models.CharField(
        "状态", max_length=10, choices=MonthState.choices, default=MonthState.OPEN
    )
    computed_at = models.DateTimeField("计算时间", null=True, blank=True)
    locked_at = models.DateTimeField("锁定时间", null=True, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="创建人"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "月度考核"
        verbose_name_plural = "月度考核"
        ordering = ["-month", "scheme_id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "month"], name="assessment_month_once")
        ]

    def __str__(self) -> str:
        return f"{self.scheme.group.name} {self.label}"

    @property
    def label(self) -> str:
        return month_label(self.month)

    @property
    def is_frozen(self) -> bool:
        return self.state in FROZEN_STATES

    @property
    def is_published(self) -> bool:
        return self.state == MonthState.PUBLISHED


class Score(models.Model):
    """One unit's score on one indicator in a month, and the figures it came from: the computed
    metric (`value`, out of `numerator`/`denominator` for a rate), the entries' sum, or the
    imported score."""

    month = models.ForeignKey(
        AssessmentMonth, models.CASCADE, related_name="scores", verbose_name="月度考核"
    )
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name="单位")
    indicator = models.ForeignKey(
        Indicator, models.PROTECT, related_name="scores", verbose_name="指标"
    )
    value = models.DecimalField("计算值", null=True, blank=True, max_digits=14, decimal_places=4)
    numerator = models.PositiveIntegerField("分子", null=True, blank=True)
    denominator = models.PositiveIntegerField("分母", null=True, blank=True)
    entries_sum = models.DecimalField("加减分合计", default=0, **POINTS)
    imported = models.DecimalField("导入得分", null=True, blank=True, **POINTS)
    score = models.DecimalField("得分", **POINTS)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "指标得分"
        verbose_name_plural = "指标得分"
        ordering = ["month_id", "unit_id", "indicator__position", "indicator_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["month", "unit", "indicator"], name="score_once_per_indicator"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator.name} {self.score}"


class Result(models.Model):
    """A unit's total and place in its group for the month, and whether it is on the top
    (红榜) or bottom (黑榜) list and within the bottom places (末位)."""

    month = models.ForeignKey(
        AssessmentMonth, models.CASCADE, related_name="results", verbose_name="月度考核"
    )
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name="单位")
    total = models.DecimalField("总分", max_digits=8, decimal_places=2)
    rank = models.PositiveSmallIntegerField("名次")
    on_top_list = models.BooleanField("红榜", default=False)
    on_bottom_list = models.BooleanField("黑榜", default=False)
    at_bottom = models.BooleanField("末位", default=False)

    class Meta:
        verbose_name = "考核结果"
        verbose_name_plural = "考核结果"
        ordering = ["month_id", "rank", "unit__name"]
        constraints = [models.UniqueConstraint(fields=["month", "unit"], name="result_once")]
        indexes = [models.Index(fields=["unit", "month"], name="result_unit_month")]

    def __str__(self) -> str:
        return f"{self.unit} 第{self.rank}名"


class Entry(models.Model):
    """A deduction (negative) or addition the office enters for a unit on an indicator, with its
    reason, the clause of the scheme it applies, the day of the lapse and optional evidence.
    Entered after the lock, it is a correction; withdrawn, it stays on record."""

    month = models.ForeignKey(
        AssessmentMonth, models.CASCADE, related_name="entries", verbose_name="月度考核"
    )
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name="单位")
    indicator = models.ForeignKey(
        Indicator, models.PROTECT, related_name="entries", verbose_name="指标"
    )
    amount = models.DecimalField("加减分", **POINTS)
    reason = models.CharField("事由", max_length=300)
    rule = models.CharField("依据条款", max_length=200, blank=True)
    occurred_on = models.DateField("发生日期")
    is_correction = models.BooleanField("锁定后更正", default=False)
    file = models.FileField("佐证材料", upload_to="assessments/%Y/%m/", blank=True)
    original_name = models.CharField("文件名", max_length=255, blank=True)
    content_type = models.CharField("类型", max_length=100, blank=True)
    size = models.PositiveBigIntegerField("大小", null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="录入人"
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    withdrawn_at = models.DateTimeField("撤销时间", null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="撤销人",
    )
    withdrawn_reason = models.CharField("撤销理由", max_length=300, blank=True)

    class Meta:
        verbose_name = "加减分"
        verbose_name_plural = "加减分"
        ordering = ["month_id", "unit_id", "occurred_on", "id"]
        indexes = [models.Index(fields=["month", "unit"], name="entry_month_unit")]

    def __str__(self) -> str:
        return f"{self.reason} {self.amount:+}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class MonthEvent(models.Model):
    """One line of a month's history: computed, an entry made or withdrawn, scores imported,
    reviewed, locked, published, corrected, an interview opened."""

    class Action(models.TextChoices):
        OPENED = "opened", "开始评分"
        COMPUTED = "computed", "计算得分"
        ENTERED = "entered", "录入加减分"
        WITHDRAWN = "withdrawn", "撤销加减分"
        IMPORTED = "imported", "导入评分"
        REVIEWED = "reviewed", "审核"
        REOPENED = "reopened", "退回重评"
        LOCKED = "locked", "锁定"
        PUBLISHED = "published", "发布"
        CORRECTED = "corrected", "更正"
        INTERVIEW = "interview", "启动末位约谈"

    month = models.ForeignKey(
        AssessmentMonth, models.CASCADE, related_name="events", verbose_name="月度考核"
    )
    action = models.CharField("操作", max_length=15, choices=Action.choices)
    unit = models.ForeignKey(
        Unit, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="单位"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+", verbose_name="操作人"
    )
    at = models.DateTimeField("时间", auto_now_add=True)
    changes = models.JSONField("变更", default=dict, blank=True)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "考核记录"
        verbose_name_plural = "考核记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.note}"[:80]
