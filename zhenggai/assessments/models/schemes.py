"""Assessment schemes (考核办法): who is scored together, by which indicators, in which version."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from zhenggai.assessments.values import IndicatorKind, Metric, TieRule
from zhenggai.evaluations.models.periods import OfficeQuerySet
from zhenggai.orgs.models import Unit

POINTS = {"max_digits": 6, "decimal_places": 2}


class UnitGroup(models.Model):
    """A group of units ranked against each other (部门, 园区, 街道): an office names its own."""

    office = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name="考核机构")
    name = models.CharField("分组名称", max_length=50)
    units = models.ManyToManyField(Unit, related_name="assessment_groups", verbose_name="单位")
    position = models.PositiveSmallIntegerField("顺序", default=0)

    objects = OfficeQuerySet.as_manager()

    class Meta:
        verbose_name = "考核分组"
        verbose_name_plural = "考核分组"
        ordering = ["office_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["office", "name"], name="unit_group_name_once")
        ]

    def __str__(self) -> str:
        return self.name


class Scheme(models.Model):
    """The assessment scheme of one year for one group (e.g. 2021年优化营商环境工作考核办法·部门),
    with its ranking rules. Its indicators live in versions: a month is scored by the version in
    force for it, so a scheme amended in July leaves January to June as they were scored."""

    office = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name="考核机构")
    group = models.ForeignKey(
        UnitGroup, models.PROTECT, related_name="schemes", verbose_name="考核分组"
    )
    year = models.PositiveSmallIntegerField(
        "年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    title = models.CharField("考核办法名称", max_length=200)
    tie_rule = models.CharField(
        "并列名次", max_length=15, choices=TieRule.choices, default=TieRule.COMPETITION
    )
    list_size = models.PositiveSmallIntegerField(
        "红黑榜名额", default=5, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    bottom_count = models.PositiveSmallIntegerField(
        "末位名额",
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text="排名在最后几名之内算作末位（并列者一并计入）。",
    )
    bottom_months = models.PositiveSmallIntegerField(
        "连续末位月数",
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text="连续这么多个月处于末位即启动约谈。",
    )
    public_lists = models.BooleanField("在公开页面发布红黑榜", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="创建人"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = OfficeQuerySet.as_manager()

    class Meta:
        verbose_name = "考核办法"
        verbose_name_plural = "考核办法"
        ordering = ["-year", "group__position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["group", "year"], name="scheme_group_year_once")
        ]

    def __str__(self) -> str:
        return self.title

    def version_for(self, month: date):
        """The issued version in force for `month` (its first day), or None; read from the
        prefetched versions where a list of schemes has them."""
        issued = [v for v in self.versions.all() if not v.is_draft and v.effective_from <= month]
        return max(issued, key=lambda v: (v.effective_from, v.number), default=None)


class SchemeVersion(models.Model):
    """One version of a scheme's indicators, in force from a month on. A draft is edited; once
    issued it never changes (an amendment is a new version)."""

    scheme = models.ForeignKey(
        Scheme, models.CASCADE, related_name="versions", verbose_name="考核办法"
    )
    number = models.PositiveSmallIntegerField("版本号")
    effective_from = models.DateField("施行月份")
    note = models.CharField("修订说明", max_length=300, blank=True)
    issued_at = models.DateTimeField("发布时间", null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="发布人",
    )

    class Meta:
        verbose_name = "考核办法版本"
        verbose_name_plural = "考核办法版本"
        ordering = ["scheme_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "number"], name="scheme_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.scheme} 第{self.number}版"

    @property
    def is_draft(self) -> bool:
        return self.issued_at is None

    @property
    def total_points(self) -> Decimal:
        return sum((i.points for i in self.indicators.all()), Decimal(0))


class Indicator(models.Model):
    """One indicator of a version, under the heading (`section`) the published scheme groups it
    by. Its score starts from `points` (or from nothing, for an indicator of additions), moves
    by what the system computes, what the office enters or what is imported, and is kept
    between `floor` and `cap`.

    A computed indicator scores its metric: a rate earns `points` at `target` (default 100%)
    and, with `deduct_per`, loses that much per percentage point below it, else in proportion;
    a count of lapses loses `deduct_per` each; a volume earns its points in proportion up to
    `target`. A metric without data for the month (no problem due, no 差评) deducts nothing."""

    version = models.ForeignKey(
        SchemeVersion, models.CASCADE, related_name="indicators", verbose_name="版本"
    )
    section = models.CharField("指标类别", max_length=100)
    name = models.CharField("指标名称", max_length=200)
    standard = models.TextField("评分标准", blank=True)
    kind = models.CharField("评分方式", max_length=10, choices=IndicatorKind.choices)
    metric = models.CharField(
        "计算指标", max_length=30, choices=Metric.choices, blank=True, default=""
    )
    # Round kinds a ledger metric counts (empty: every kind). Rows the reader may not open are
    # counted and not listed on the page behind the figure.
    round_kinds = models.JSONField("统计的轮次类型", default=list, blank=True)
    points = models.DecimalField("分值", **POINTS)
    starts_full = models.BooleanField("满分起扣", default=True)
    target = models.DecimalField("目标值", null=True, blank=True, max_digits=12, decimal_places=4)
    deduct_per = models.DecimalField("每项扣分", null=True, blank=True, **POINTS)
    floor = models.DecimalField("最低分", default=Decimal(0), **POINTS)
    cap = models.DecimalField("最高分", **POINTS)
    position = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "考核指标"
        verbose_name_plural = "考核指标"
        ordering = ["version_id", "position", "id"]

    def __str__(self) -> str:
        return f"{self.section}·{self.name}"

    @property
    def base(self) -> Decimal:
        return self.points if self.starts_full else Decimal(0)
