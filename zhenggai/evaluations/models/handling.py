"""What follows a 差评: the call back to the rater (回访) and the unit's appeal (申诉复核)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhenggai.evaluations.models.ratings import Rating
from zhenggai.orgs.models import Unit
from zhenggai.orgs.querysets import ScopedQuerySet


class Callback(models.Model):
    """One call back to the rater of a 差评 after it was rectified: who called, when, and what
    the rater said. A call not answered is recorded too, and the office tries again."""

    class Outcome(models.TextChoices):
        SATISFIED = "satisfied", "满意"
        BASICALLY_SATISFIED = "basically", "基本满意"
        DISSATISFIED = "dissatisfied", "不满意"
        NOT_REACHED = "not_reached", "未接通"

    rating = models.ForeignKey(
        Rating, models.PROTECT, related_name="callbacks", verbose_name="评价"
    )
    caller = models.CharField("回访人", max_length=50)
    called_at = models.DateTimeField("回访时间")
    outcome = models.CharField("回访结果", max_length=15, choices=Outcome.choices)
    note = models.TextField("回访情况", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="登记人"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "回访"
        verbose_name_plural = "回访"
        ordering = ["called_at", "id"]

    def __str__(self) -> str:
        return f"{self.caller} · {self.get_outcome_display()}"

    @property
    def reached(self) -> bool:
        return self.outcome != self.Outcome.NOT_REACHED


class AppealQuerySet(ScopedQuerySet):
    scope_field = "rating__unit_id"
    kind_field = None


class Appeal(models.Model):
    """The rated unit's appeal against a 差评 as mistaken or malicious (申诉复核), with its
    evidence, and the evaluation office's decision with a reason. Upheld, the rating leaves the
    statistics (it is kept, marked); rejected, it stands. One appeal per rating."""

    class Ground(models.TextChoices):
        MISTAKEN = "mistaken", "误评（评价对象或事项有误）"
        MALICIOUS = "malicious", "恶意差评"
        NOT_OURS = "not_ours", "非本单位职责范围"

    class Status(models.TextChoices):
        OPEN = "open", "待复核"
        UPHELD = "upheld", "申诉成立"
        REJECTED = "rejected", "申诉不成立"

    rating = models.OneToOneField(
        Rating, models.PROTECT, related_name="appeal", verbose_name="评价"
    )
    ground = models.CharField("申诉理由", max_length=10, choices=Ground.choices)
    statement = models.TextField("申诉说明")
    evidence = models.FileField("证明材料", upload_to="appeals/%Y/%m/", blank=True)
    evidence_name = models.CharField("证明材料文件名", max_length=255, blank=True)
    evidence_type = models.CharField(max_length=100, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="申诉人"
    )
    filed_at = models.DateTimeField("申诉时间", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="复核人",
    )
    decided_at = models.DateTimeField("复核时间", null=True, blank=True)
    decision_reason = models.TextField("复核意见", blank=True)

    objects = AppealQuerySet.as_manager()

    class Meta:
        verbose_name = "申诉复核"
        verbose_name_plural = "申诉复核"
        ordering = ["-filed_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | ~Q(decision_reason=""), name="appeal_decided_why"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rating} · {self.get_status_display()}"


class ServiceCount(models.Model):
    """How many cases a unit handled in a month (办件量), imported or entered, for the share of
    cases rated (主动评价率)."""

    unit = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name="单位")
    month = models.DateField("月份")
    count = models.PositiveIntegerField("办件量")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "办件量"
        verbose_name_plural = "办件量"
        ordering = ["unit_id", "month"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "month"], name="service_count_unit_month")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.month:%Y-%m}: {self.count}"
