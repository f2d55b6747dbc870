from django.conf import settings
from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404

from zhenggai.orgs.access import scope_for
from zhenggai.orgs.models import Unit


class RoundQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scope_for(user).restrict(self, "unit_id", "kind")


class InspectionRound(models.Model):
    """One inspection (or audit, supervision check, evaluation) of one unit, and its feedback."""

    class Kind(models.TextChoices):
        XUNCHA = "xuncha", "巡察"
        XUNSHI = "xunshi", "巡视"
        SPECIAL = "special", "专项巡察"
        AUDIT = "audit", "审计"
        SUPERVISION = "supervision", "督查"
        EVALUATION = "evaluation", "评价"

    class ReportPeriod(models.TextChoices):
        MONTHLY = "monthly", "每月"
        QUARTERLY = "quarterly", "每季度"

    kind = models.CharField("类型", max_length=20, choices=Kind.choices, default=Kind.XUNCHA)
    title = models.CharField("名称", max_length=300)
    inspecting_body = models.CharField("巡察机构", max_length=200)
    unit = models.ForeignKey(
        Unit,
        models.PROTECT,
        related_name="rounds",
        limit_choices_to={"kind": Unit.Kind.UNIT},
        verbose_name="被巡察单位",
    )
    period_start = models.DateField("巡察开始", null=True, blank=True)
    period_end = models.DateField("巡察结束", null=True, blank=True)
    feedback_date = models.DateField("反馈日期", null=True, blank=True)
    long_term_report_period = models.CharField(
        "长期整改报告周期",
        max_length=10,
        choices=ReportPeriod.choices,
        default=ReportPeriod.QUARTERLY,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+", verbose_name="创建人"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = "巡察轮次"
        verbose_name_plural = "巡察轮次"
        ordering = ["-feedback_date", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def inspecting_body_name(self) -> str:
        """The inspecting body as words for a document: empty when the round holds only the
        placeholder an import writes when the document did not name it ("（导入，未注明）")."""
        return "" if self.inspecting_body.startswith("（") else self.inspecting_body

    @property
    def subject(self) -> str:
        """What the round is about, for naming files and sheets: its title without "关于" and
        without a document's name at the end, so that "关于…整改情况的通报" does not become
        "…情况的通报整改台账"."""
        title = self.title.strip()
        title = title.removeprefix("关于")
        for ending in TITLE_ENDINGS:
            if title.endswith(ending) and len(title) > len(ending):
                title = title[: -len(ending)].rstrip("的")
                break
        return title or self.title

    @property
    def report_period_months(self) -> int:
        return 1 if self.long_term_report_period == self.ReportPeriod.MONTHLY else 3


# Names of documents that round titles often end with, longest first (see `subject`).
TITLE_ENDINGS = (
    "反馈意见整改情况的通报",
    "整改落实情况的通报",
    "整改进展情况的通报",
    "整改情况的通报",
    "整改情况通报",
    "整改情况的报告",
    "整改情况报告",
    "反馈意见整改",
    "反馈意见",
    "情况的通报",
    "情况的报告",
    "整改工作方案",
    "整改方案",
    "整改台账",
    "的通报",
    "的报告",
    "通报",
    "报告",
    "整改",
)


class RoundDocument(models.Model):
    """A document attached to a round: the feedback, the plan, a report as sent."""

    round = models.ForeignKey(
        InspectionRound, models.PROTECT, related_name="documents", verbose_name="巡察轮次"
    )
    file = models.FileField("文件", upload_to="rounds/%Y/%m/")
    original_name = models.CharField("文件名", max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField("大小")
    sha256 = models.CharField(max_length=64)
    # None: imported on the server's command line, not by a person in the application.
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="上传人",
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "轮次文件"
        verbose_name_plural = "轮次文件"
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class NewRoundDraft(models.Model):
    """A document uploaded to set up a new round from: parsed, and waiting for its uploader (an
    inspection office) to check the round it describes and its problems. Confirming creates the
    round (and its unit, if new) and imports the problems at once; the draft then names the round.
    A scan or a legacy file is read in the background first, as an ImportDraft is (READING, then
    OPEN or FAILED). A draft is its uploader's alone. Confirmed, failed or discarded drafts stay,
    as a record.
    """

    class Status(models.TextChoices):
        READING = "reading", "识别中"
        OPEN = "open", "待确认"
        FAILED = "failed", "无法识别"
        IMPORTED = "imported", "已导入"
        DISCARDED = "discarded", "已放弃"

    file = models.FileField("文件", upload_to="imports/%Y/%m/")
    original_name = models.CharField("文件名", max_length=255)
    sha256 = models.CharField(max_length=64)
    parsed = models.JSONField("识别结果")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    round = models.ForeignKey(
        InspectionRound,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="设立的轮次",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="上传人"
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    # Background reading: pages read of how many, when a task took the draft, and why it failed.
    pages_done = models.PositiveIntegerField("已识别页数", default=0)
    pages_total = models.PositiveIntegerField("总页数", default=0)
    reading_started_at = models.DateTimeField("开始识别时间", null=True, blank=True)
    failure = models.CharField("无法识别的原因", max_length=500, blank=True)
    # Tasks that took it: a file that kills the worker is read twice, then fails.
    reading_attempts = models.PositiveSmallIntegerField("识别次数", default=0)

    class Meta:
        verbose_name = "新建轮次导入草稿"
        verbose_name_plural = "新建轮次导入草稿"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name


def get_new_round_draft_for_user(user, pk: int) -> NewRoundDraft:
    """A draft of the user's own upload; anyone else's, or a missing one, answers 404."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    return get_object_or_404(NewRoundDraft.objects.filter(created_by=user), pk=pk)


def get_round_for_user(user, pk: int) -> InspectionRound:
    """Fetch a round the user may read; a missing and a forbidden round both answer 404."""
    return get_object_or_404(InspectionRound.objects.visible_to(user).select_related("unit"), pk=pk)
