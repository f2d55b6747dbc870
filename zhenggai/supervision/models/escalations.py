"""Supervision orders (督办单) on a problem or a measure."""

from django.conf import settings
from django.db import models
from django.shortcuts import get_object_or_404
from django.utils import timezone

from zhenggai.ledger.models import Measure, Problem
from zhenggai.orgs.models import Role, Unit
from zhenggai.orgs.querysets import ScopedQuerySet
from zhenggai.supervision.history import Action

# Roles that issue orders as an office above the unit (the rest act as the unit's own 整改办).
OFFICE_ROLES = (Role.INSPECTION_OFFICE, Role.EVALUATION_OFFICE)


class Escalation(models.Model):
    """A supervision order (督办单) or a reminder order (催办单) on a problem or one of its measures.

    Each is numbered per issuing office, kind and year without gaps (`serial`, taken from
    `OrderCounter` in the transaction that creates the order; `number` reads "〔2026〕第12号").
    A 催办单 is issued by a person, or by the daily reminder run when a late measure's reminder
    escalates to its leader: then `issued_by` is empty (the system issued it).

    Issued by the unit's rectification office or the inspection office with a level, a demand
    and a date to answer by; the owner answers, the issuing side closes it or sends it back.
    The highest level still open is copied onto the problem, so the ledger can show and filter it.
    """

    class Level(models.IntegerChoices):
        SUPERVISE = 1, "督办"
        KEY = 2, "重点督办"
        LISTED = 3, "挂牌督办"

    class Kind(models.TextChoices):
        SUPERVISE = "supervise", "督办单"
        URGE = "urge", "催办单"

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
    kind = models.CharField("类别", max_length=10, choices=Kind.choices, default=Kind.SUPERVISE)
    level = models.PositiveSmallIntegerField("督办级别", choices=Level.choices)
    demand = models.TextField("督办要求")
    due_on = models.DateField("答复期限")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="督办人",
    )  # empty: issued by the reminder run (a 催办单 of the system)
    # The office whose number it carries: the inspection (or evaluation) office the issuer
    # acted for, or the inspected unit itself for its rectification office's orders.
    office = models.ForeignKey(
        Unit, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="下发机关"
    )
    year = models.PositiveSmallIntegerField("年度", null=True, blank=True)
    serial = models.PositiveIntegerField("编号", null=True, blank=True)
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
        constraints = [
            models.UniqueConstraint(
                fields=["office", "kind", "year", "serial"],
                condition=models.Q(serial__isnull=False),
                name="escalation_unique_number",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}{self.number} · {self.problem}"

    @property
    def number(self) -> str:
        """ "〔2026〕第12号"; empty for an order issued before orders were numbered."""
        return f"〔{self.year}〕第{self.serial}号" if self.serial else ""

    @property
    def is_urge(self) -> bool:
        """A 催办单: it has no level (the column holds the lowest, never shown)."""
        return self.kind == self.Kind.URGE

    @property
    def issuer_name(self) -> str:
        """The office whose number the order carries, named as on paper: "区委巡察办" for an
        office above the unit, "区科技局整改办" for the unit's own rectification office (and the
        system's 催办单, numbered as the unit). Reads `office` and `problem.unit` (select them)."""
        if not self.by_own_office:
            return self.office.name if self.office_id else Role(self.issued_as).label
        return f"{self.problem.unit.name}整改办"

    @property
    def by_own_office(self) -> bool:
        """Issued (and numbered) by the unit's own rectification office, or by the system for
        it, rather than by an office above the unit."""
        if self.office_id is None:  # issued before orders were numbered
            return self.issued_as not in OFFICE_ROLES
        return self.office_id == self.problem.unit_id

    @property
    def reference(self) -> str:
        """The office, kind and number, as every page names the order:
        "区委巡察办 督办单〔2026〕第1号" (numbers run per office, so the office tells them apart)."""
        return f"{self.issuer_name} {self.get_kind_display()}{self.number or '（未编号）'}"

    def history_label(self, action: str) -> str:
        """A history line about this order, worded by its kind ("下发催办单", "答复催办单")."""
        kind = self.get_kind_display()
        labels = {
            Action.ESCALATED: f"下发{kind}",
            Action.ANSWERED: f"答复{kind}",
            Action.ESCALATION_DECIDED: f"{kind}办结或退回",
        }
        return labels.get(action, "")

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_on < timezone.localdate()


def get_escalation_for_user(user, pk: int) -> Escalation:
    return get_object_or_404(
        Escalation.objects.visible_to(user).select_related(
            "problem", "problem__round", "problem__unit", "measure", "office"
        ),
        pk=pk,
    )


class OrderCounter(models.Model):
    """The last number an office gave to orders of one kind in one year. Taken by incrementing
    the row inside the transaction that creates the order (`supervision.numbering`), so a
    rolled-back order gives its number back and two orders never share one."""

    office = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name="下发机关")
    kind = models.CharField("类别", max_length=10, choices=Escalation.Kind.choices)
    year = models.PositiveSmallIntegerField("年度")
    last = models.PositiveIntegerField("已用编号", default=0)

    class Meta:
        verbose_name = "督办单编号"
        verbose_name_plural = "督办单编号"
        constraints = [
            models.UniqueConstraint(fields=["office", "kind", "year"], name="order_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.office} {self.get_kind_display()} {self.year}: {self.last}"


class AttachmentQuerySet(ScopedQuerySet):
    scope_field = "escalation__problem__unit_id"
    kind_field = "escalation__problem__round__kind"


class EscalationAttachment(models.Model):
    """A file sent with an order's answer (a signed scan, a report); served by a checked view."""

    escalation = models.ForeignKey(
        Escalation, models.PROTECT, related_name="attachments", verbose_name="督办单"
    )
    file = models.FileField("文件", upload_to="orders/%Y/%m/")
    original_name = models.CharField("文件名", max_length=255)
    content_type = models.CharField("类型", max_length=100)
    size = models.PositiveBigIntegerField("大小")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="上传人"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = "督办答复附件"
        verbose_name_plural = "督办答复附件"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name
