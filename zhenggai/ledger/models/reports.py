"""Progress reports and the evidence that proves them."""

from django.conf import settings
from django.db import models
from django.shortcuts import get_object_or_404

from zhenggai.ledger.models.measures import Measure
from zhenggai.ledger.models.problems import Problem
from zhenggai.orgs.querysets import ScopedQuerySet


class ProgressReport(models.Model):
    """A dated account of what was done on a problem (or one of its measures)."""

    problem = models.ForeignKey(
        Problem, models.PROTECT, related_name="reports", verbose_name="问题"
    )
    measure = models.ForeignKey(
        Measure, models.PROTECT, null=True, blank=True, related_name="reports", verbose_name="措施"
    )
    text = models.TextField("整改进展")
    # The measure's completion as reported with this account (None: not stated).
    percent = models.PositiveSmallIntegerField("完成进度（%）", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="报告人"
    )
    created_at = models.DateTimeField("报告时间", auto_now_add=True)

    class Meta:
        verbose_name = "整改进展"
        verbose_name_plural = "整改进展"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text[:40]


class EvidenceQuerySet(ScopedQuerySet):
    scope_field = "report__problem__unit_id"
    kind_field = "report__problem__round__kind"


class Evidence(models.Model):
    """A file proving a progress report; stored outside the web root, served by a checked view."""

    report = models.ForeignKey(
        ProgressReport, models.PROTECT, related_name="evidence", verbose_name="整改进展"
    )
    file = models.FileField("文件", upload_to="evidence/%Y/%m/")
    original_name = models.CharField("文件名", max_length=255)
    content_type = models.CharField("类型", max_length=100)
    size = models.PositiveBigIntegerField("大小")
    sha256 = models.CharField(max_length=64)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"

    def __str__(self) -> str:
        return self.original_name


def get_evidence_for_user(user, pk: int) -> Evidence:
    return get_object_or_404(Evidence.objects.visible_to(user), pk=pk)
