"""Change requests: a change of plan or deadline that a leader decides."""

from django.conf import settings
from django.db import models
from django.shortcuts import get_object_or_404

from zhenggai.ledger.models.measures import Measure
from zhenggai.ledger.models.problems import Problem
from zhenggai.orgs.querysets import ScopedQuerySet


class ChangeRequest(models.Model):
    """A requested change of a measure's deadline or plan, applied only once a leader approves."""

    class Kind(models.TextChoices):
        DEADLINE = "deadline", "调整时限"
        PLAN = "plan", "调整方案"

    class Status(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已批准"
        REJECTED = "rejected", "未批准"
        SUPERSEDED = "superseded", "已失效"

    measure = models.ForeignKey(
        Measure, models.PROTECT, related_name="change_requests", verbose_name="措施"
    )
    problem = models.ForeignKey(
        Problem, models.PROTECT, related_name="change_requests", verbose_name="问题"
    )
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    changes = models.JSONField("变更内容")
    # The requested fields' values when the request was made: if any of them has changed by the
    # time a leader decides, the request no longer says what its author meant.
    before = models.JSONField("申请时的内容", default=dict)
    reason = models.TextField("理由")
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="申请人"
    )
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审批人",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.TextField("审批意见", blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "变更申请"
        verbose_name_plural = "变更申请"
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["status", "problem"], name="changerequest_status")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.measure}"


def get_change_request_for_user(user, pk: int) -> ChangeRequest:
    return get_object_or_404(ChangeRequest.objects.visible_to(user), pk=pk)
