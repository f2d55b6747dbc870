"""An uploaded document parsed and waiting to be checked before it is imported into a round."""

from django.conf import settings
from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404

from zhenggai.orgs.querysets import ScopedQuerySet
from zhenggai.rounds.models import InspectionRound


class DraftQuerySet(ScopedQuerySet):
    scope_field = "round__unit_id"
    kind_field = "round__kind"


class ImportDraft(models.Model):
    """An uploaded document parsed and waiting for the user to check its outline and confirm.

    `parsed` is the importer's JSON (zhenggai.intake); the file is kept so that the confirmed
    import stores it with the round. A scan or a legacy file is read in the background first
    (READING, with the pages done so far, then OPEN or FAILED with the reason in Chinese).
    Confirmed, failed or discarded drafts stay, as a record.
    """

    class Status(models.TextChoices):
        READING = "reading", "识别中"
        OPEN = "open", "待确认"
        FAILED = "failed", "无法识别"
        IMPORTED = "imported", "已导入"
        DISCARDED = "discarded", "已放弃"

    round = models.ForeignKey(
        InspectionRound, models.PROTECT, related_name="import_drafts", verbose_name="巡察轮次"
    )
    file = models.FileField("文件", upload_to="imports/%Y/%m/")
    original_name = models.CharField("文件名", max_length=255)
    sha256 = models.CharField(max_length=64)
    parsed = models.JSONField("识别结果")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
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

    objects = DraftQuerySet.as_manager()

    class Meta:
        verbose_name = "导入草稿"
        verbose_name_plural = "导入草稿"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name


def get_import_draft_for_user(user, round_pk: int, pk: int) -> ImportDraft:
    """A draft into a round the user may import into. Anyone else (who may see the round, but
    not import into it) gets 404 as for a missing draft, so that draft ids cannot be counted."""
    from zhenggai.ledger.services import may_enter_problems  # services import the models

    draft = get_object_or_404(
        ImportDraft.objects.visible_to(user).select_related("round", "round__unit"),
        round_id=round_pk,
        pk=pk,
    )
    if not may_enter_problems(user, draft.round):
        raise Http404
    return draft
