"""A section's progress sheet (进度填报表) uploaded back into a round: its parsed changes wait for
a preview, then are applied measure by measure through the same services as the forms."""

from django.conf import settings
from django.db import models

from zhenggai.orgs.querysets import ScopedQuerySet
from zhenggai.rounds.models import InspectionRound


class ProgressImportQuerySet(ScopedQuerySet):
    scope_field = "round__unit_id"
    kind_field = "round__kind"


class ProgressImport(models.Model):
    """One upload of the progress sheet: what it would change (`rows`, the preview), and once
    confirmed what it did (`outcome`). Kept after it is applied or discarded, as the record of
    who changed what by Excel; each change is also in the measures' history."""

    class Status(models.TextChoices):
        PREVIEW = "preview", "待确认"
        # Confirmed, being applied by the worker (an upload of many rows).
        APPLYING = "applying", "正在导入"
        APPLIED = "applied", "已导入"
        DISCARDED = "discarded", "已放弃"

    round = models.ForeignKey(
        InspectionRound, models.PROTECT, related_name="progress_imports", verbose_name="巡察轮次"
    )
    original_name = models.CharField("文件名", max_length=255)
    sha256 = models.CharField(max_length=64)
    # The changes read from the sheet, row by row, with what each row's problem and measure
    # were matched to and why a row was refused (plain JSON, see ledger.progress_sheet).
    rows = models.JSONField("识别结果", default=list)
    outcome = models.JSONField("导入结果", default=dict, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PREVIEW)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="上传人"
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    decided_at = models.DateTimeField("确认时间", null=True, blank=True)

    objects = ProgressImportQuerySet.as_manager()

    class Meta:
        verbose_name = "进度导入"
        verbose_name_plural = "进度导入"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.original_name
