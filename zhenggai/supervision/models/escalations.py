"""Supervision orders (督办单) on a problem or a measure."""

from django.conf import settings
from django.db import models
from django.shortcuts import get_object_or_404
from django.utils import timezone

from zhenggai.ledger.models import Measure, Problem
from zhenggai.orgs.models import Role
from zhenggai.orgs.querysets import ScopedQuerySet


class Escalation(models.Model):
    """A supervision order (督办单) on a problem or one of its measures.

    Issued by the unit's rectification office or the inspection office with a level, a demand
    and a date to answer by; the owner answers, the issuing side closes it or sends it back.
    The highest level still open is copied onto the problem, so the ledger can show and filter it.
    """

    class Level(models.IntegerChoices):
        SUPERVISE = 1, "督办"
        KEY = 2, "重点督办"
        LISTED = 3, "挂牌督办"

    class Status(models.TextChoices):
        OPEN = "open", "待答复"
        ANSWERED = "answered", "已答复"
        CLOSED = "closed", "已办结"

    problem = models.ForeignKey(
        Problem, models.PROTECT, related_name="escalations", verbose_name="问题"
    )
    measure = models.ForeignKey(
        Measure,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="escalations",
        verbose_name="措施",
    )
    level = models.PositiveSmallIntegerField("督办级别", choices=Level.choices)
    demand = models.TextField("督办要求")
    due_on = models.DateField("答复期限")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="督办人"
    )
    issued_at = models.DateTimeField("下发时间", default=timezone.now)
    # The role it was issued in: an order of the inspection office is closed by that office,
    # one of the unit's own rectification office may be closed inside the unit.
    issued_as = models.CharField("下发身份", max_length=30, choices=Role.choices)
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
        verbose_name="办结人",
    )
    decided_at = models.DateTimeField("办结时间", null=True, blank=True)
    decision_note = models.TextField("办结意见", blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "督办单"
        verbose_name_plural = "督办单"
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["status", "due_on"], name="escalation_status_due")]

    def __str__(self) -> str:
        return f"{self.get_level_display()} · {self.problem}"

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_on < timezone.localdate()


def get_escalation_for_user(user, pk: int) -> Escalation:
    return get_object_or_404(
        Escalation.objects.visible_to(user).select_related("problem", "problem__round", "measure"),
        pk=pk,
    )
