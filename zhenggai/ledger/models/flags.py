"""Concerns of the discipline group (监督意见)."""

from django.conf import settings
from django.db import models
from django.shortcuts import get_object_or_404

from zhenggai.ledger.models.problems import Problem
from zhenggai.ledger.models.states import FlagStatus
from zhenggai.orgs.querysets import ScopedQuerySet


class Flag(models.Model):
    """A concern the discipline group raises on a problem (监督意见).

    The unit's leader or rectification office answers it; the discipline group then closes it,
    or sends it back to be answered again (the reason kept as `decision_note`). Each step is one
    function of `ledger.services`; the problem's `concern` follows the most pressing state.
    """

    Status = FlagStatus

    problem = models.ForeignKey(Problem, models.PROTECT, related_name="flags", verbose_name="问题")
    note = models.TextField("意见")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="提出人"
    )
    created_at = models.DateTimeField("时间", auto_now_add=True)
    status = models.CharField(
        "状态", max_length=10, choices=FlagStatus.choices, default=FlagStatus.OPEN
    )
    answer = models.TextField("答复", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="答复人",
    )
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="办结或退回人",
    )
    decided_at = models.DateTimeField("办结或退回时间", null=True, blank=True)
    decision_note = models.TextField("办结意见或退回理由", blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "监督意见"
        verbose_name_plural = "监督意见"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "problem"], name="flag_status")]

    def __str__(self) -> str:
        return self.note[:40]


def get_flag_for_user(user, pk: int) -> Flag:
    """Fetch a concern the user may read (404 otherwise), with its problem and round."""
    return get_object_or_404(
        Flag.objects.visible_to(user).select_related("problem", "problem__round", "problem__unit"),
        pk=pk,
    )
